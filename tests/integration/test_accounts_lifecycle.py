"""Issue 3: account requests, moderator decisions, activation keys, resets, rights.

The sign-in lock-out and the throttles are in test_sign_in_lock_out.py."""

from __future__ import annotations

import base64
import json
import re
import statistics
import threading
import time
from datetime import UTC, datetime

import pytest

from ofeli.store import table

OF = ("contact@of-demo.test", "Organisme-2026!")
MODERATOR = ("moderation@carif-oref.test", "Moderation-2026!")
NEW_SIRET = "81432712100038"  # same SIREN as the demo head office, a new establishment
UNKNOWN_SIRET = "55210055400013"


def request_body(**overrides):
    body = {
        "siret": "552 100 554 00013",
        "nda": "25 14 00001 23",
        "contact": {
            "last_name": "Martin",
            "first_name": "Léa",
            "phone": "+33 2 31 00 00 00",
            "email": "Lea.Martin@Nouvel-OF.test",
        },
        "accept_privacy_policy": True,
    }
    for key, value in overrides.items():
        if key in body["contact"]:
            body["contact"][key] = value
        else:
            body[key] = value
    return body


def pending(api):
    response = api.get("/moderation/account-requests", headers=api.login(*MODERATOR))
    assert response.status_code == 200
    return response.get_json()


def mails(mailbox, to=None, *, after=0):
    """The e-mails sent (to `to`) once the pending jobs ran, newest first; `after`: ignore the first
    `after` ones (sent earlier)."""
    sent = mailbox.sent()
    sent = sent[: len(sent) - after]
    return [m for m in sent if to is None or to in sum(m["destinations"].values(), [])]


def key_from(mail):
    match = re.search(r"/activation\?key=([A-Za-z0-9_\-]+)", mail["body"])
    assert match, mail["body"]
    return match.group(1)


def submit(api, **overrides):
    response = api.post("/account-requests", json=request_body(**overrides))
    assert response.status_code == 202, response.get_json()
    return response.get_json()


def decide(api, request_id, **body):
    return api.post(f"/moderation/account-requests/{request_id}/decision", json=body, headers=api.login(*MODERATOR))


# ---------------------------------------------------------------------- the whole journey
def test_request_approval_activation_sign_in(seeded_api, aws, mailbox):
    created = seeded_api.post("/account-requests", json=request_body(document_content_type="application/pdf"))
    assert created.status_code == 202
    body = created.get_json()
    assert "clé d'activation" in body["message"]
    upload = body["document_upload"]
    policy = json.loads(base64.b64decode(upload["fields"]["policy"]))
    assert ["content-length-range", 1, 5 * 1024 * 1024] in policy["conditions"]
    assert {"Content-Type": "application/pdf"} in policy["conditions"]
    assert upload["fields"]["key"] == f"account-requests/{body['id']}/declaration-activite"

    # the OF uploads its document; the moderator sees the request with a link to it
    s3 = aws.client("s3")
    s3.put_object(Bucket=aws.physical["DocumentsBucket"].ref, Key=upload["fields"]["key"], Body=b"%PDF-1.4")
    (listed,) = pending(seeded_api)
    assert listed["id"] == body["id"] and listed["status"] == "pending"
    assert listed["siret"] == "55210055400013" and listed["nda"] == "25140000123"
    assert listed["contact"] == {
        "last_name": "Martin",
        "first_name": "Léa",
        "phone": "02 31 00 00 00",
        "email": "lea.martin@nouvel-of.test",
    }
    assert listed["structure_name"] is None
    assert "declaration-activite" in listed["document_url"]

    approved = decide(seeded_api, body["id"], decision="approve", structure_name="Nouvel OF")
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["status"] == "approved"
    assert pending(seeded_api) == []

    (mail,) = mails(mailbox, "lea.martin@nouvel-of.test")
    assert mail["subject"] == "Demande de clé d'activation"
    assert "Activer mon compte" in mail["body"]
    key = key_from(mail)
    assert len(base64.urlsafe_b64decode(key + "==")) >= 16  # at least 128 random bits

    weak = seeded_api.post("/activation", json={"key": key, "password": "faible"})
    assert weak.status_code == 422
    assert weak.get_json()["error"]["message"] == (
        "Le mot de passe doit contenir au moins 8 caractères, une majuscule, un caractère spécial."
    )
    assert seeded_api.post("/activation", json={"key": key, "password": "Nouvel-OF-2026"}).status_code == 204

    headers = seeded_api.login("lea.martin@nouvel-of.test", "Nouvel-OF-2026")
    me = seeded_api.get("/me", headers=headers).get_json()
    assert me["structures"] == [
        {"siret": "55210055400013", "name": "Nouvel OF", "nda": "25140000123", "is_responsible": True}
    ]

    again = seeded_api.post("/activation", json={"key": key, "password": "Autre-Mot-2026"})
    assert again.status_code == 410
    assert again.get_json()["error"]["message"].startswith("Cette clé d'activation a déjà servi.")


def test_approval_links_an_existing_structure(seeded_api, mailbox):
    created = submit(seeded_api, siret="81432712100012", nda="28140000014")
    (listed,) = pending(seeded_api)
    assert listed["structure_name"] == "OF Démo Formation"
    assert decide(seeded_api, created["id"], decision="approve").status_code == 200
    key = key_from(mails(mailbox, "lea.martin@nouvel-of.test")[0])
    seeded_api.post("/activation", json={"key": key, "password": "Nouvel-OF-2026"})
    me = seeded_api.get("/me", headers=seeded_api.login("lea.martin@nouvel-of.test", "Nouvel-OF-2026")).get_json()
    assert [s["siret"] for s in me["structures"]] == ["81432712100012"]


def test_approval_of_an_unknown_siret_needs_the_company_name(seeded_api):
    created = submit(seeded_api)
    response = decide(seeded_api, created["id"], decision="approve")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"][0]["field"] == "structure_name"
    assert [r["id"] for r in pending(seeded_api)] == [created["id"]]


def test_approval_refuses_a_different_nda(seeded_api):
    created = submit(seeded_api, siret="81432712100012", nda="11111111111")
    response = decide(seeded_api, created["id"], decision="approve")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"][0]["field"] == "nda"


def test_rejection_needs_a_reason_sends_it_and_frees_the_email(seeded_api, mailbox):
    created = submit(seeded_api)
    before = len(mailbox.sent())
    response = decide(seeded_api, created["id"], decision="reject")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"][0]["field"] == "reason"
    assert mails(mailbox, after=before) == []

    response = decide(seeded_api, created["id"], decision="reject", reason="Le NDA <n'est> pas encore enregistré.")
    assert response.status_code == 200 and response.get_json()["status"] == "rejected"
    (mail,) = mails(mailbox, "lea.martin@nouvel-of.test")
    assert mail["subject"] == "Votre demande de compte OFeli"
    assert "Le NDA &lt;n&#x27;est&gt; pas encore enregistré." in mail["body"]
    # the e-mail is free again: the OF can ask once more
    assert seeded_api.post("/account-requests", json=request_body()).status_code == 202


def test_a_request_is_decided_once(seeded_api):
    created = submit(seeded_api)
    assert decide(seeded_api, created["id"], decision="reject", reason="Doublon.").status_code == 200
    response = decide(seeded_api, created["id"], decision="approve", structure_name="X")
    assert response.status_code == 409
    assert response.get_json()["error"]["message"] == "Cette demande de compte a déjà été traitée."
    assert decide(seeded_api, "no-such-id", decision="approve").status_code == 404


def test_only_moderators_decide(seeded_api):
    created = submit(seeded_api)
    headers = seeded_api.login(*OF)
    assert seeded_api.get("/moderation/account-requests", headers=headers).status_code == 403
    response = seeded_api.post(
        f"/moderation/account-requests/{created['id']}/decision", json={"decision": "approve"}, headers=headers
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["message"] == "Cette action est réservée aux modérateurs du Carif-Oref."
    assert seeded_api.get("/moderation/account-requests").status_code == 401


# ---------------------------------------------------------------------- bad inputs write nothing
BAD_REQUESTS = [
    ({"siret": ""}, "siret", "Le SIRET est obligatoire."),
    ({"siret": "5521005540001"}, "siret", "Le SIRET doit comporter exactement 14 chiffres."),
    ({"siret": "5521005540001X"}, "siret", "Le SIRET doit comporter exactement 14 chiffres."),
    (
        {"siret": "55210055400014"},
        "siret",
        "Ce SIRET n'est pas valide : sa clé de contrôle est fausse. Vérifiez-le sur votre avis de situation.",
    ),
    ({"nda": ""}, "nda", "Le numéro de déclaration d'activité est obligatoire."),
    ({"nda": "2514000012"}, "nda", "Le numéro de déclaration d'activité doit comporter exactement 11 chiffres."),
    (
        {"email": "lea.martin"},
        "contact.email",
        "L'adresse e-mail n'est pas valide (exemple : prenom.nom@organisme.fr).",
    ),
    ({"email": ""}, "contact.email", "L'adresse e-mail est obligatoire."),
    (
        {"phone": "12345"},
        "contact.phone",
        "Le numéro de téléphone doit être un numéro français à 10 chiffres (exemple : 02 31 00 00 00).",
    ),
    ({"last_name": "  "}, "contact.last_name", "Le nom est obligatoire."),
    ({"first_name": "x" * 51}, "contact.first_name", "Le prénom ne peut pas dépasser 50 caractères."),
    (
        {"accept_privacy_policy": False},
        "accept_privacy_policy",
        "Vous devez accepter la politique de gestion des données personnelles d'OFeli.",
    ),
    ({"document_content_type": "application/zip"}, "document_content_type", None),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_REQUESTS, ids=[b[1] for b in BAD_REQUESTS])
def test_bad_account_requests(api, overrides, field, message):
    response = api.post("/account-requests", json=request_body(**overrides))
    assert response.status_code == 422
    errors = {f["field"]: f["message"] for f in response.get_json()["error"]["fields"]}
    assert field in errors
    if message:
        assert errors[field] == message
    assert table.query("ACCOUNT_REQUESTS#pending", index="gsi2").items == []
    assert table.get("EMAIL#lea.martin@nouvel-of.test", "CLAIM") is None


def test_french_phone_numbers_are_normalised(api):
    for phone in ["0231000000", "02.31.00.00.00", "+33 (0)2 31 00 00 00", "0033231000000"]:
        body = request_body(phone=phone, email=f"x{len(phone)}@of.test")
        assert api.post("/account-requests", json=body).status_code == 202
    phones = {i["contact"]["phone"] for i in table.query("ACCOUNT_REQUESTS#pending", index="gsi2").items}
    assert phones == {"02 31 00 00 00"}


def test_an_address_with_an_account_or_a_request_gets_the_same_202_and_its_owner_an_e_mail(seeded_api, mailbox):
    before = len(mailbox.sent())
    fresh = seeded_api.post("/account-requests", json=request_body())
    taken = seeded_api.post("/account-requests", json=request_body(email="CONTACT@of-demo.test"))
    again = seeded_api.post("/account-requests", json=request_body(email="LEA.martin@nouvel-of.test"))
    assert fresh.status_code == taken.status_code == again.status_code == 202
    bodies = [r.get_json() for r in (fresh, taken, again)]
    assert {b["message"] for b in bodies} == {fresh.get_json()["message"]}
    assert len({b["id"] for b in bodies}) == 3  # an id each: nothing tells which one was written
    # no second account, no second request
    assert [r["contact"]["email"] for r in pending(seeded_api)] == ["lea.martin@nouvel-of.test"]
    assert table.get("EMAIL#contact@of-demo.test", "CLAIM")["owner"].startswith("user:")

    sent = mails(mailbox, after=before)
    (owner,) = [m for m in sent if m["destinations"]["ToAddresses"] == ["contact@of-demo.test"]]
    assert owner["subject"] == "OFeli : une demande de compte avec votre adresse e-mail"
    assert "Un compte OFeli existe déjà pour cette adresse" in owner["body"]
    assert "/connexion" in owner["body"] and "/mot-de-passe-oublie" in owner["body"]
    assert "Martin" not in owner["body"]  # nothing the requester typed reaches the owner
    (requester,) = [m for m in sent if m["destinations"]["ToAddresses"] == ["lea.martin@nouvel-of.test"]]
    assert "Une demande de compte est déjà en cours pour cette adresse" in requester["body"]


def test_a_few_account_e_mails_per_address_and_hour(seeded_api, mailbox):
    from ofeli import clock

    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    before = len(mailbox.sent())
    for _ in range(6):
        response = seeded_api.post("/account-requests", json=request_body(email="contact@of-demo.test"))
        assert response.status_code == 202
    assert len(mails(mailbox, "contact@of-demo.test", after=before)) == 3  # the others dropped silently
    clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))  # the next hour
    seeded_api.post("/account-requests", json=request_body(email="contact@of-demo.test"))
    assert len(mails(mailbox, "contact@of-demo.test", after=before)) == 4


# ---------------------------------------------------------------------- activation keys
def _approved_key(api, mailbox):
    created = submit(api)
    decide(api, created["id"], decision="approve", structure_name="Nouvel OF")
    return key_from(mails(mailbox, "lea.martin@nouvel-of.test")[0])


def test_unknown_key(api):
    response = api.post("/activation", json={"key": "nope", "password": "Valide-2026!"})
    assert response.status_code == 404
    assert response.get_json()["error"]["message"].startswith("Cette clé d'activation est inconnue.")


@pytest.mark.parametrize(("after", "status"), [(7 * 86400 - 60, 204), (7 * 86400, 410)], ids=["last minute", "expired"])
def test_a_key_lasts_7_days(seeded_api, mailbox, after, status):
    from ofeli import clock

    key = _approved_key(seeded_api, mailbox)
    clock.advance(after)
    response = seeded_api.post("/activation", json={"key": key, "password": "Nouvel-OF-2026"})
    assert response.status_code == status
    signed_in = seeded_api.post(
        "/auth/login", json={"email": "lea.martin@nouvel-of.test", "password": "Nouvel-OF-2026"}
    )
    if status == 410:
        assert response.get_json()["error"]["message"].startswith("Cette clé d'activation a expiré")
        assert signed_in.status_code == 401  # nothing changed
    else:
        assert signed_in.status_code == 200


def test_a_bad_password_does_not_spend_the_key(seeded_api, mailbox):
    key = _approved_key(seeded_api, mailbox)
    assert seeded_api.post("/activation", json={"key": key, "password": "sansmajuscule!"}).status_code == 422
    assert seeded_api.post("/activation", json={"key": key, "password": "Avec-Majuscule"}).status_code == 204


def test_two_concurrent_uses_of_a_key_give_one_success(seeded_api, mailbox):
    key = _approved_key(seeded_api, mailbox)
    statuses = []
    barrier = threading.Barrier(2)

    def use(password):
        client = type(seeded_api)(seeded_api.application)
        barrier.wait()
        statuses.append(client.post("/activation", json={"key": key, "password": password}).status_code)

    threads = [threading.Thread(target=use, args=(p,)) for p in ("Premier-2026", "Second-2026!")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [204, 410]


# ---------------------------------------------------------------------- password reset
def test_reset_of_an_unknown_email_says_the_same_and_sends_nothing(seeded_api, mailbox):
    before = len(mailbox.sent())
    unknown = seeded_api.post("/auth/password-reset", json={"email": "personne@nulle-part.test"})
    known = seeded_api.post("/auth/password-reset", json={"email": "Contact@OF-demo.test"})
    assert unknown.status_code == known.status_code == 202
    assert unknown.get_json() == known.get_json()
    assert [m["destinations"]["ToAddresses"] for m in mails(mailbox, after=before)] == [["contact@of-demo.test"]]


def test_reset_takes_the_same_time_for_a_known_and_an_unknown_address(seeded_api, mailbox):
    mailbox.run_jobs()
    before = len(mailbox.sent())

    def median_ms(email):
        durations = []
        for _ in range(20):
            start = time.perf_counter()
            response = seeded_api.post("/auth/password-reset", json={"email": email})
            durations.append(time.perf_counter() - start)
            assert response.status_code == 202
        return statistics.median(durations) * 1000

    # interleaved, so that a slower moment of the machine weighs on both
    known, unknown = [], []
    for _ in range(2):
        unknown.append(median_ms("personne@nulle-part.test"))
        known.append(median_ms(OF[0]))
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 0.5 < ratio < 2, (known, unknown)
    # the work was done after answering: the known address got its e-mails (3 an hour, the rest dropped)
    sent = mails(mailbox, after=before)
    assert {tuple(m["destinations"]["ToAddresses"]) for m in sent} == {(OF[0],)}
    assert len(sent) == 3


def test_reset_replaces_earlier_keys_and_sets_a_new_password(seeded_api, mailbox):
    before = len(mailbox.sent())
    seeded_api.post("/auth/password-reset", json={"email": OF[0]})
    seeded_api.post("/auth/password-reset", json={"email": OF[0]})
    newest, older = mails(mailbox, OF[0], after=before)
    assert newest["subject"] == "Réinitialisation de votre mot de passe OFeli"
    response = seeded_api.post("/activation", json={"key": key_from(older), "password": "Nouveau-2026"})
    assert response.status_code == 410
    assert response.get_json()["error"]["message"].startswith("Cette clé d'activation a été remplacée")
    assert seeded_api.post("/activation", json={"key": key_from(newest), "password": "Nouveau-2026"}).status_code == 204
    assert seeded_api.post("/auth/login", json={"email": OF[0], "password": "Nouveau-2026"}).status_code == 200
    assert seeded_api.post("/auth/login", json={"email": OF[0], "password": OF[1]}).status_code == 401


def test_a_password_set_with_a_key_signs_the_account_out_everywhere(seeded_api, mailbox):
    old_session = seeded_api.post("/auth/login", json={"email": OF[0], "password": OF[1]}).get_json()
    refreshed = seeded_api.post("/auth/refresh", json={"refresh_token": old_session["refresh_token"]})
    assert refreshed.status_code == 200
    seeded_api.post("/auth/password-reset", json={"email": OF[0]})
    mail = mails(mailbox, OF[0])[0]
    assert mail["subject"] == "Réinitialisation de votre mot de passe OFeli"
    assert seeded_api.post("/activation", json={"key": key_from(mail), "password": "Nouveau-2026"}).status_code == 204
    stale = seeded_api.post("/auth/refresh", json={"refresh_token": old_session["refresh_token"]})
    assert stale.status_code == 401
    assert stale.get_json()["error"]["message"] == "Votre session a expiré : reconnectez-vous."
    # the new password opens a new session, which refreshes
    new_session = seeded_api.post("/auth/login", json={"email": OF[0], "password": "Nouveau-2026"}).get_json()
    assert seeded_api.post("/auth/refresh", json={"refresh_token": new_session["refresh_token"]}).status_code == 200


# ---------------------------------------------------------------------- rights on structures
def test_moderators_grant_and_revoke_rights(seeded_api):
    moderator = seeded_api.login(*MODERATOR)
    found = seeded_api.get("/moderation/users", query_string={"email": "Contact@of-demo.test"}, headers=moderator)
    assert found.status_code == 200
    user = found.get_json()
    assert [s["siret"] for s in user["structures"]] == ["81432712100012", "81432712100020"]

    granted = seeded_api.post(
        f"/moderation/users/{user['user_id']}/rights", json={"siret": "41298765400016"}, headers=moderator
    )
    assert granted.status_code == 201
    of = seeded_api.login(*OF)
    assert len(seeded_api.get("/me", headers=of).get_json()["structures"]) == 3
    assert (
        seeded_api.post(
            f"/moderation/users/{user['user_id']}/rights", json={"siret": "41298765400016"}, headers=moderator
        ).status_code
        == 409
    )

    revoked = seeded_api.delete(f"/moderation/users/{user['user_id']}/rights/41298765400016", headers=moderator)
    assert revoked.status_code == 204
    assert len(seeded_api.get("/me", headers=of).get_json()["structures"]) == 2
    again = seeded_api.delete(f"/moderation/users/{user['user_id']}/rights/41298765400016", headers=moderator)
    assert again.status_code == 404


def test_rights_errors(seeded_api):
    moderator = seeded_api.login(*MODERATOR)
    user = seeded_api.get("/moderation/users", query_string={"email": OF[0]}, headers=moderator).get_json()
    unknown = seeded_api.post(
        f"/moderation/users/{user['user_id']}/rights", json={"siret": UNKNOWN_SIRET}, headers=moderator
    )
    assert unknown.status_code == 404
    bad = seeded_api.post(f"/moderation/users/{user['user_id']}/rights", json={"siret": "123"}, headers=moderator)
    assert bad.status_code == 422
    assert seeded_api.get("/moderation/users", query_string={"email": "x@y.test"}, headers=moderator).status_code == 404
    of = seeded_api.login(*OF)
    assert (
        seeded_api.post(
            f"/moderation/users/{user['user_id']}/rights", json={"siret": "41298765400016"}, headers=of
        ).status_code
        == 403
    )
