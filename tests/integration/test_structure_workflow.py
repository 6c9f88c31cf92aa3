"""Issue 4: the structure record, the draft → submission → decision workflow, history, messages, memos."""

from __future__ import annotations

import base64
import json
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from records import HEAD, MODERATOR, OF, data_with, save, structure

from ofeli.domain.structures import LOCKED

BRANCH = "81432712100020"
OTHER = "41298765400016"
OTHER_OF = ("contact@atelier-normand.test", "Organisme-2026!")


def sent_to(mailbox, email, after):
    """The e-mails to `email` once the pending jobs ran, newest first, but the first `after` sent."""
    sent = mailbox.sent()
    return [m for m in sent[: len(sent) - after] if email in m["destinations"]["ToAddresses"]]


def test_the_full_cycle(seeded_api, mailbox, of, moderator):
    api = seeded_api
    record = structure(api, of)
    assert record["submission"]["state"] == "none" and record["draft"] is None
    published = record["published"]
    assert (published["siren"], published["nda"], published["legal_form"]) == (
        "814327121",
        "28140000014",
        "Société par actions simplifiée",
    )
    assert published["attached"] == [{"siret": BRANCH, "name": "OF Démo Formation — antenne de Cherbourg"}]
    assert {f["title"] for f in record["formations"]} == {
        "CAP boulanger",
        "Assistant de comptabilité et d'administration",
    }

    # *Demande de modification* then *Sauvegarder* twice
    new_email = {"label": "Inscriptions", "email": "Inscriptions@OF-demo.test"}
    opened = save(api, of, 0, data_with(record, emails=[*published["emails"], new_email]))
    assert opened.status_code == 200, opened.get_json()
    assert opened.get_json()["submission"] == {**opened.get_json()["submission"], "state": "draft", "version": 1}
    assert opened.get_json()["draft"]["emails"][-1]["email"] == "inscriptions@of-demo.test"
    draft = opened.get_json()["draft"]
    saved = save(api, of, 1, {**draft, "contact_request": "Ajouter M. Petit, responsable pédagogique."})
    assert saved.status_code == 200 and saved.get_json()["submission"]["version"] == 2
    assert structure(api, of)["published"]["emails"] == published["emails"]  # nothing published yet

    # *Soumettre pour validation*: locked
    submitted = api.post(f"/structures/{HEAD}/submission", headers=of)
    assert submitted.status_code == 200 and submitted.get_json()["submission"]["state"] == "submitted"
    for response in (save(api, of, 3, draft), api.delete(f"/structures/{HEAD}/draft", headers=of)):
        assert response.status_code == 423
        assert response.get_json()["error"]["message"] == LOCKED

    # the moderator sees it, with the difference
    (entry,) = api.get("/moderation/queue", headers=moderator).get_json()
    assert (entry["kind"], entry["siret"], entry["title"], entry["submitted_by"]) == (
        "structure",
        HEAD,
        "OF Démo Formation",
        OF[0],
    )
    detail = api.get(f"/moderation/submissions/{entry['id']}", headers=moderator).get_json()
    diffs = {d["field"]: d for d in detail["differences"]}
    assert set(diffs) == {"emails", "contact_request"}
    assert diffs["emails"]["label"] == "Adresses e-mail"
    assert diffs["emails"]["added"] == [{"label": "Inscriptions", "email": "inscriptions@of-demo.test"}]
    assert diffs["emails"]["removed"] == []
    assert diffs["contact_request"]["before"] is None

    # rejected with a comment: back to the OF as a draft, e-mailed
    before = len(mailbox.sent())
    no_comment = api.post(
        f"/moderation/submissions/{entry['id']}/decision", json={"decision": "reject"}, headers=moderator
    )
    assert no_comment.status_code == 422 and no_comment.get_json()["error"]["fields"][0]["field"] == "comment"
    rejected = api.post(
        f"/moderation/submissions/{entry['id']}/decision",
        json={"decision": "reject", "comment": "Précisez la fonction de M. Petit."},
        headers=moderator,
    )
    assert rejected.status_code == 200
    (mail,) = sent_to(mailbox, OF[0], before)
    assert mail["subject"] == "OFeli : vos modifications de la fiche structure sont à reprendre"
    assert "Précisez la fonction de M. Petit." in mail["body"] and f"/ma-structure?siret={HEAD}" in mail["body"]
    record = structure(api, of)
    assert record["submission"]["state"] == "draft"
    assert record["submission"]["comment"] == "Précisez la fonction de M. Petit."
    assert api.get("/moderation/queue", headers=moderator).get_json() == []

    # edited again, submitted again (with the version the OF saw), approved: published, in history, e-mailed
    version = record["submission"]["version"]
    fixed = {**record["draft"], "contact_request": "Ajouter M. Petit, responsable pédagogique (formateur)."}
    assert save(api, of, version, fixed).status_code == 200
    stale = api.post(f"/structures/{HEAD}/submission", json={"version": version}, headers=of)
    assert stale.status_code == 409  # the draft moved on since that version
    submitted = api.post(f"/structures/{HEAD}/submission", json={"version": version + 1}, headers=of)
    assert submitted.status_code == 200
    assert submitted.get_json()["submission"]["submitted_by"] == OF[0]
    (entry,) = api.get("/moderation/queue", headers=moderator).get_json()
    before = len(mailbox.sent())
    approved = api.post(
        f"/moderation/submissions/{entry['id']}/decision",
        json={"decision": "approve", "comment": "Merci, c'est noté."},
        headers=moderator,
    )
    assert approved.status_code == 200
    (mail,) = sent_to(mailbox, OF[0], before)
    assert mail["subject"] == "OFeli : vos modifications de la fiche structure sont publiées"

    record = structure(api, of)
    assert record["submission"]["state"] == "none" and record["draft"] is None
    assert record["published"]["emails"][-1] == {"label": "Inscriptions", "email": "inscriptions@of-demo.test"}
    assert record["published"]["contact_request"] is None  # handled by the Carif-Oref: the next draft starts empty
    assert record["published"]["nda"] == "28140000014"  # read-only fields untouched
    (entry_history,) = api.get(f"/structures/{HEAD}/history", headers=of).get_json()
    assert (entry_history["submitted_by"], entry_history["decided_by"]) == (OF[0], MODERATOR[0])
    assert entry_history["comment"] == "Merci, c'est noté."
    assert {d["field"] for d in entry_history["differences"]} == {"emails", "contact_request"}
    assert (
        api.post(
            f"/moderation/submissions/{entry['id']}/decision", json={"decision": "approve"}, headers=moderator
        ).status_code
        == 404
    )


def test_two_saves_on_one_version_one_wins_whole(seeded_api, of):
    record = structure(seeded_api, of)
    save(seeded_api, of, 0, data_with(record))
    first = data_with(record, contact_request="Version A", websites=[{"url": "https://a.example.fr"}])
    second = data_with(record, contact_request="Version B", phones=[{"number": "0611223344"}])
    statuses = {}
    barrier = threading.Barrier(2)

    def put(name, data):
        client = type(seeded_api)(seeded_api.application)
        barrier.wait()
        statuses[name] = save(client, of, 1, data).status_code

    threads = [threading.Thread(target=put, args=a) for a in (("A", first), ("B", second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses.values()) == [200, 409]
    winner = first if statuses["A"] == 200 else second
    draft = structure(seeded_api, of)["draft"]
    assert draft["contact_request"] == winner["contact_request"]
    assert draft["websites"] == [{"label": None, **w} for w in winner["websites"]]
    assert [p["number"] for p in draft["phones"]] == [
        "06 11 22 33 44" if p["number"] == "0611223344" else p["number"] for p in winner["phones"]
    ]


def test_stale_save_and_opening_twice(seeded_api, of):
    record = structure(seeded_api, of)
    save(seeded_api, of, 0, data_with(record))
    again = save(seeded_api, of, 0, data_with(record))
    assert again.status_code == 409
    save(seeded_api, of, 1, data_with(record, contact_request="x"))
    stale = save(seeded_api, of, 1, data_with(record, contact_request="y"))
    assert stale.status_code == 409
    assert stale.get_json()["error"]["message"].startswith("Ces données ont été modifiées entre-temps")
    assert structure(seeded_api, of)["draft"]["contact_request"] == "x"


def test_cancel_withdraw_and_nothing_to_submit(seeded_api, of, moderator):
    api = seeded_api
    record = structure(api, of)
    assert api.post(f"/structures/{HEAD}/submission", headers=of).status_code == 409
    assert api.delete(f"/structures/{HEAD}/draft", headers=of).status_code == 404
    save(api, of, 0, data_with(record))
    unchanged = api.post(f"/structures/{HEAD}/submission", headers=of)
    assert unchanged.status_code == 409
    assert "ne change rien" in unchanged.get_json()["error"]["message"]
    assert api.delete(f"/structures/{HEAD}/draft", headers=of).status_code == 204
    assert structure(api, of)["submission"]["state"] == "none"

    save(api, of, 0, data_with(record, contact_request="Retirer M. Durand."))
    assert api.delete(f"/structures/{HEAD}/submission", headers=of).status_code == 409
    api.post(f"/structures/{HEAD}/submission", headers=of)
    withdrawn = api.delete(f"/structures/{HEAD}/submission", headers=of)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["submission"]["state"] == "draft"
    assert api.get("/moderation/queue", headers=moderator).get_json() == []


EDITABLE_ERRORS = [
    ({"emails": [{"email": "pas-une-adresse"}]}, "data.emails.0.email", "L'adresse e-mail n'est pas valide"),
    ({"phones": [{"number": "123"}]}, "data.phones.0.number", "Le numéro de téléphone doit être un numéro français"),
    (
        {"websites": [{"url": "www.sans-protocole.fr"}]},
        "data.websites.0.url",
        "L'adresse du site doit commencer par http",
    ),
    ({"emails": [{"label": "x" * 51, "email": "a@b.fr"}]}, "data.emails.0.label", "Le libellé ne peut pas dépasser 50"),
    ({"contact_request": "x" * 2001}, "data.contact_request", "Ce champ ne peut pas dépasser 2000 caractères."),
    ({"emails": [{"email": f"a{i}@b.fr"} for i in range(11)]}, "data.emails", "Cette liste ne peut pas dépasser 10"),
]


@pytest.mark.parametrize(("changes", "field", "message"), EDITABLE_ERRORS, ids=[e[1] for e in EDITABLE_ERRORS])
def test_bad_inputs_on_editable_fields(seeded_api, of, changes, field, message):
    record = structure(seeded_api, of)
    response = save(seeded_api, of, 0, data_with(record, **changes))
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.get_json()["error"]["fields"]}
    assert fields[field].startswith(message)
    assert structure(seeded_api, of)["submission"]["state"] == "none"


ROUTES = [
    ("get", f"/structures/{HEAD}", None),
    ("put", f"/structures/{HEAD}/draft", {"version": 0, "data": {}}),
    ("delete", f"/structures/{HEAD}/draft", None),
    ("post", f"/structures/{HEAD}/submission", None),
    ("delete", f"/structures/{HEAD}/submission", None),
    ("get", f"/structures/{HEAD}/history", None),
    ("post", f"/structures/{HEAD}/documents", {"filename": "a.pdf", "content_type": "application/pdf"}),
    ("get", f"/structures/{HEAD}/documents", None),
    ("get", f"/structures/{HEAD}/dashboard", None),
    ("get", f"/structures/{HEAD}/messages", None),
    ("post", f"/structures/{HEAD}/messages", {"body": "Bonjour"}),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_another_ofs_user_is_refused_everywhere(seeded_api, method, path, body):
    headers = seeded_api.login(*OTHER_OF)
    response = getattr(seeded_api, method)(path, json=body, headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["message"] == "Vous n'avez pas de droits sur cette structure."
    assert getattr(seeded_api, method)(path, json=body).status_code == 401


def test_moderators_do_not_write_an_ofs_draft(seeded_api, moderator):
    record = structure(seeded_api, moderator)
    for response in (
        save(seeded_api, moderator, 0, data_with(record)),
        seeded_api.delete(f"/structures/{HEAD}/draft", headers=moderator),
        seeded_api.post(f"/structures/{HEAD}/submission", headers=moderator),
        seeded_api.delete(f"/structures/{HEAD}/submission", headers=moderator),
        seeded_api.post(
            f"/structures/{HEAD}/documents",
            json={"filename": "a.pdf", "content_type": "application/pdf"},
            headers=moderator,
        ),
    ):
        assert response.status_code == 403
        assert response.get_json()["error"]["message"].startswith("Les modérateurs ne modifient pas la fiche")
    assert structure(seeded_api, moderator)["submission"]["state"] == "none"


def test_an_of_user_cannot_moderate(seeded_api, of):
    for method, path, body in [
        ("get", "/moderation/queue", None),
        ("get", "/moderation/submissions/x", None),
        ("post", "/moderation/submissions/x/decision", {"decision": "approve"}),
        ("patch", f"/moderation/structures/{HEAD}", {"version": 1, "name": "X"}),
        ("get", "/moderation/messages", None),
    ]:
        assert getattr(seeded_api, method)(path, json=body, headers=of).status_code == 403, path


def test_an_unknown_structure_leaks_nothing_to_an_of_user(seeded_api, of, moderator):
    unknown = seeded_api.get("/structures/55210055400013", headers=of)
    assert unknown.status_code == 403  # the same answer as for a structure of another OF
    assert seeded_api.get("/structures/55210055400013", headers=moderator).status_code == 404


def test_queue_filters_and_order(seeded_api, moderator):
    api = seeded_api
    of, other = api.login(*OF), api.login(*OTHER_OF)
    for headers, siret in ((of, BRANCH), (other, OTHER), (of, HEAD)):
        record = structure(api, headers, siret)
        save(api, headers, 0, data_with(record, contact_request=f"Demande {siret}"), siret=siret)
        assert api.post(f"/structures/{siret}/submission", headers=headers).status_code == 200
    queue = api.get("/moderation/queue", headers=moderator).get_json()
    assert [e["siret"] for e in queue] == [BRANCH, OTHER, HEAD]  # oldest first
    only = api.get("/moderation/queue", query_string={"siret": OTHER}, headers=moderator).get_json()
    assert [e["siret"] for e in only] == [OTHER]
    assert api.get("/moderation/queue", query_string={"kind": "formation"}, headers=moderator).get_json() == []
    assert api.get("/moderation/queue", query_string={"kind": "autre"}, headers=moderator).status_code == 422


def test_moderators_set_reference_fields_version_checked(seeded_api, of, moderator):
    record = structure(seeded_api, moderator)
    body = {"version": record["published"]["version"], "name": "OF Démo Formation SAS", "nda": "28140000014"}
    updated = seeded_api.patch(f"/moderation/structures/{HEAD}", json=body, headers=moderator)
    assert updated.status_code == 200 and updated.get_json()["name"] == "OF Démo Formation SAS"
    stale = seeded_api.patch(f"/moderation/structures/{HEAD}", json=body, headers=moderator)
    assert stale.status_code == 409
    assert stale.get_json()["error"]["message"].startswith("Ces données ont été modifiées entre-temps")
    assert structure(seeded_api, of)["published"]["name"] == "OF Démo Formation SAS"
    assert seeded_api.put(f"/moderation/structures/{HEAD}", json=body, headers=moderator).status_code in {404, 405}


KEPT = ("nda", "legal_form", "naf", "address", "contacts", "qualiopi", "habilitations", "emails", "phones")


def test_a_partial_update_changes_only_the_fields_sent(seeded_api, moderator):
    before = structure(seeded_api, moderator)["published"]
    assert all(before[name] for name in KEPT)  # the demo head office has every field set
    response = seeded_api.patch(
        f"/moderation/structures/{HEAD}",
        json={"version": before["version"], "name": "OF Démo Formation SAS"},
        headers=moderator,
    )
    assert response.status_code == 200, response.get_json()
    after = structure(seeded_api, moderator)["published"]
    assert after["name"] == "OF Démo Formation SAS" and after["version"] == before["version"] + 1
    assert {name: after[name] for name in KEPT} == {name: before[name] for name in KEPT}

    # one nested field sent: that field is replaced whole, the others stay; null clears what may be empty
    address = {"line1": "1 place Saint-Pierre", "postal_code": "14000", "city": "Caen"}
    response = seeded_api.patch(
        f"/moderation/structures/{HEAD}",
        json={"version": after["version"], "address": address, "legal_form": None},
        headers=moderator,
    )
    assert response.status_code == 200, response.get_json()
    last = structure(seeded_api, moderator)["published"]
    assert last["address"] == {**address, "line2": None} and last["legal_form"] is None
    assert {n: last[n] for n in KEPT if n not in {"address", "legal_form"}} == {
        n: before[n] for n in KEPT if n not in {"address", "legal_form"}
    }
    assert last["name"] == "OF Démo Formation SAS"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": None}, "name"), ({"qualiopi": None}, "qualiopi"), ({"name": ""}, "name"), ({}, None)],
    ids=["null name", "null list", "empty name", "nothing"],
)
def test_a_partial_update_refuses_to_erase_what_must_stay(seeded_api, moderator, body, field):
    before = structure(seeded_api, moderator)["published"]
    response = seeded_api.patch(
        f"/moderation/structures/{HEAD}", json={"version": before["version"], **body}, headers=moderator
    )
    assert response.status_code == 422
    if field:
        assert [f["field"] for f in response.get_json()["error"]["fields"]] == [field]
    assert structure(seeded_api, moderator)["published"] == before


def test_documents_are_uploaded_with_a_signed_form_and_listed(seeded_api, aws, of):
    response = seeded_api.post(
        f"/structures/{HEAD}/documents",
        json={"filename": "Certificat Qualiopi été.pdf", "content_type": "application/pdf"},
        headers=of,
    )
    assert response.status_code == 201
    form = response.get_json()
    policy = json.loads(base64.b64decode(form["fields"]["policy"]))
    assert ["content-length-range", 1, 10 * 1024 * 1024] in policy["conditions"]
    key = form["fields"]["key"]
    assert key.startswith(f"structures/{HEAD}/documents/") and key.endswith("/Certificat-Qualiopi-ete.pdf")
    aws.client("s3").put_object(Bucket=aws.physical["DocumentsBucket"].ref, Key=key, Body=b"%PDF")
    (document,) = seeded_api.get(f"/structures/{HEAD}/documents", headers=of).get_json()
    assert document["filename"] == "Certificat-Qualiopi-ete.pdf" and document["size"] == 4
    signed = parse_qs(urlsplit(document["url"]).query)  # SigV4 query string: expiry in seconds from signing
    assert signed["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and signed["X-Amz-Signature"][0]
    assert signed["X-Amz-Expires"] == ["300"]  # settings().download_url_ttl: 5 minutes, not the 7-day maximum
    bad = seeded_api.post(
        f"/structures/{HEAD}/documents",
        json={"filename": "a.exe", "content_type": "application/x-msdownload"},
        headers=of,
    )
    assert bad.status_code == 422


def test_dashboard_counts(seeded_api, of):
    dashboard = seeded_api.get(f"/structures/{HEAD}/dashboard", headers=of).get_json()
    assert dashboard["formations"] == 2
    assert dashboard["blocks"]["diffusees"] == 2 and dashboard["blocks"]["non_diffusees"] == 0
    assert dashboard["messages"] == 1 and dashboard["memos"] == 1
    assert dashboard["unread_messages"] == 1  # the Carif-Oref's message, not read yet
    assert {(c["name"], c["role"]) for c in dashboard["contacts"]} == {
        ("Anne Roussel", "Contact principal"),
        ("Julien Lefebvre", "Droits de saisie"),
    }
    assert dashboard["structure_submission"] == "none"


def test_messages_between_the_of_and_the_carif(seeded_api, mailbox, of, moderator):
    api = seeded_api
    posted = api.post(
        f"/structures/{HEAD}/messages", json={"body": "  Pouvez-vous ajouter notre antenne ?  "}, headers=of
    )
    assert posted.status_code == 201
    assert posted.get_json()["body"] == "Pouvez-vous ajouter notre antenne ?" and not posted.get_json()["from_carif"]
    latest = api.get("/moderation/messages", headers=moderator).get_json()
    assert latest[0]["body"] == "Pouvez-vous ajouter notre antenne ?" and latest[0]["siret"] == HEAD
    assert latest[0]["structure_name"] == "OF Démo Formation"
    before = len(mailbox.sent())
    answer = api.post(f"/structures/{HEAD}/messages", json={"body": "C'est fait."}, headers=moderator)
    assert answer.status_code == 201 and answer.get_json()["from_carif"]
    assert answer.get_json()["author_name"] == "Claire Martin (Carif-Oref)"
    (mail,) = sent_to(mailbox, OF[0], before)
    assert mail["subject"] == "OFeli : nouveau message du Carif-Oref"
    assert api.get(f"/structures/{HEAD}/dashboard", headers=of).get_json()["unread_messages"] == 2
    thread = api.get(f"/structures/{HEAD}/messages", headers=of).get_json()
    assert [m["body"] for m in thread][-2:] == ["Pouvez-vous ajouter notre antenne ?", "C'est fait."]
    assert api.get(f"/structures/{HEAD}/dashboard", headers=of).get_json()["unread_messages"] == 0  # read now
    empty = api.post(f"/structures/{HEAD}/messages", json={"body": "   "}, headers=of)
    assert empty.status_code == 422 and empty.get_json()["error"]["fields"][0]["field"] == "body"


def test_memos_are_personal(seeded_api, of):
    api = seeded_api
    created = api.post("/memos", json={"text": "Relancer la Région", "due_date": "2026-12-15"}, headers=of)
    assert created.status_code == 201
    memo = created.get_json()
    assert [m["text"] for m in api.get("/memos", headers=of).get_json()][-1] == "Relancer la Région"
    other = api.login(*OTHER_OF)
    assert api.get("/memos", headers=other).get_json() == []
    assert api.delete(f"/memos/{memo['id']}", headers=other).status_code == 404
    assert api.delete(f"/memos/{memo['id']}", headers=of).status_code == 204
    assert api.delete(f"/memos/{memo['id']}", headers=of).status_code == 404
    assert api.post("/memos", json={"text": ""}, headers=of).status_code == 422
    bad_date = api.post("/memos", json={"text": "x", "due_date": "15/12/2026"}, headers=of)
    assert bad_date.status_code == 422
    assert bad_date.get_json()["error"]["fields"][0]["message"] == "Ce champ doit être une date au format AAAA-MM-JJ."


def test_the_branch_shows_its_head_office(seeded_api, of):
    branch = structure(seeded_api, of, BRANCH)["published"]
    assert branch["parent"] == {"siret": HEAD, "name": "OF Démo Formation"}
    assert branch["nda"] is None
