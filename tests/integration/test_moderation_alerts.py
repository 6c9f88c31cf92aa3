"""What waits for the Carif-Oref: the menu's counts, the contact requests, and the digest e-mailed to
the moderation address (one e-mail when something new waits, never one per event)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

from records import HEAD, MODERATOR, data_with, save, structure

from ofeli import clock

ADDRESS = "moderation@carif-oref.test"  # the template's ModerationEmail


def alerts(api, moderator):
    response = api.get("/moderation/alerts", headers=moderator)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def submit_with_request(api, of, text):
    record = structure(api, of)
    assert save(api, of, 0, data_with(record, contact_request=text)).status_code == 200
    assert api.post(f"/structures/{HEAD}/submission", headers=of).status_code == 200


def approve_all(api, moderator):
    for entry in api.get("/moderation/queue", headers=moderator).get_json():
        decided = api.post(
            f"/moderation/submissions/{entry['id']}/decision", json={"decision": "approve"}, headers=moderator
        )
        assert decided.status_code == 200, decided.get_json()


def test_a_published_contact_request_waits_until_a_moderator_marks_it_done(seeded_api, of, moderator):
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    submit_with_request(seeded_api, of, "Ajouter Mme Lemoine, référente apprentissage, 02 31 00 00 09.")
    assert seeded_api.get("/moderation/contact-requests", headers=moderator).get_json() == []  # not published yet
    approve_all(seeded_api, moderator)
    clock.advance(3600)
    submit_with_request(seeded_api, of, "Retirer M. Petit, parti en retraite.")
    approve_all(seeded_api, moderator)

    waiting = seeded_api.get("/moderation/contact-requests", headers=moderator).get_json()
    assert [w["text"] for w in waiting] == [  # oldest first
        "Ajouter Mme Lemoine, référente apprentissage, 02 31 00 00 09.",
        "Retirer M. Petit, parti en retraite.",
    ]
    first = waiting[0]
    assert (first["siret"], first["title"], first["requested_by"], first["approved_by"]) == (
        HEAD,
        "OF Démo Formation",
        "contact@of-demo.test",
        MODERATOR[0],
    )
    assert alerts(seeded_api, moderator)["contact_requests"] == 2
    assert structure(seeded_api, of)["published"]["contact_request"] is None  # the next draft starts empty

    done = seeded_api.post(f"/moderation/contact-requests/{first['id']}/done", headers=moderator)
    assert done.status_code == 200 and done.get_json()["state"] == "done"
    assert done.get_json()["done_by"] == MODERATOR[0]
    again = seeded_api.post(f"/moderation/contact-requests/{first['id']}/done", headers=moderator)
    assert again.status_code == 409
    assert seeded_api.post("/moderation/contact-requests/inconnue/done", headers=moderator).status_code == 404
    assert [w["text"] for w in seeded_api.get("/moderation/contact-requests", headers=moderator).get_json()] == [
        "Retirer M. Petit, parti en retraite."
    ]
    assert alerts(seeded_api, moderator)["contact_requests"] == 1


def test_the_counts_follow_what_waits(seeded_api, of, moderator):
    assert alerts(seeded_api, moderator) == {
        "account_requests": 0,
        "submissions": 0,
        "unread_messages": 0,  # the demo's only message comes from the Carif-Oref
        "contact_requests": 0,
    }
    for body in ("Bonjour, une question sur notre fiche.", "Et une seconde."):
        posted = seeded_api.post(f"/structures/{HEAD}/messages", json={"body": body}, headers=of)
        assert posted.status_code == 201, posted.get_json()
    submit_with_request(seeded_api, of, "Ajouter un contact.")
    account = {
        "siret": "55210055400013",
        "nda": "25140000123",
        "contact": {"last_name": "Martin", "first_name": "Léa", "phone": "0231000000", "email": "lea@nouvel-of.test"},
        "accept_privacy_policy": True,
    }
    assert seeded_api.post("/account-requests", json=account).status_code == 202
    assert alerts(seeded_api, moderator) == {
        "account_requests": 1,
        "submissions": 1,
        "unread_messages": 2,
        "contact_requests": 0,
    }
    # any moderator reading the thread reads it for the Carif-Oref
    other_moderator = seeded_api.login(*MODERATOR)
    assert seeded_api.get(f"/structures/{HEAD}/messages", headers=other_moderator).status_code == 200
    assert alerts(seeded_api, moderator)["unread_messages"] == 0
    # an OF's reading does not
    seeded_api.post(f"/structures/{HEAD}/messages", json={"body": "Une troisième."}, headers=of)
    seeded_api.get(f"/structures/{HEAD}/messages", headers=of)
    assert alerts(seeded_api, moderator)["unread_messages"] == 1
    # an answer reads it too
    seeded_api.post(f"/structures/{HEAD}/messages", json={"body": "Réponse."}, headers=moderator)
    assert alerts(seeded_api, moderator)["unread_messages"] == 0


def digests(mailbox):
    """The digests sent, newest first, as a person reads them (tags removed, entities decoded)."""
    return [
        unescape(re.sub(r"<[^>]+>", "", m["body"]))
        for m in mailbox.sent(ADDRESS)
        if "attendent le Carif-Oref" in m["subject"]
    ]


def test_one_digest_when_something_new_waits_never_one_per_event(seeded_api, of, mailbox, workers, template):
    schedule = next(s for s in template.schedules if s.function == "JobsWorkerFunction")
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    clock.set(start)
    mailbox.run_jobs()
    workers.fire(schedule)
    assert digests(mailbox) == []  # nothing waits

    for body in ("Première question.", "Deuxième question.", "Troisième question."):
        seeded_api.post(f"/structures/{HEAD}/messages", json={"body": body}, headers=of)
    clock.advance(60)
    workers.fire(schedule)
    workers.fire(schedule)  # a second run (or a retry) sends nothing more
    (digest,) = digests(mailbox)
    assert "3 message(s) d'organismes non lu(s)" in digest

    clock.advance(60)
    workers.fire(schedule)
    assert len(digests(mailbox)) == 1  # nothing new since

    clock.set(start + timedelta(minutes=5))
    submit_with_request(seeded_api, of, "Ajouter un contact.")
    workers.fire(schedule)
    assert len(digests(mailbox)) == 1  # something new, but the last digest is recent: it waits
    clock.set(start + timedelta(minutes=20))
    workers.fire(schedule)
    latest = digests(mailbox)
    assert len(latest) == 2
    assert "1 modification(s) soumise(s) à valider" in latest[0]
    assert "3 message(s) d'organismes non lu(s)" in latest[0]
