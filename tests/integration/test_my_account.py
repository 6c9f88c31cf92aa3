"""Issue 8, item 4, the OF's side: *Mon compte* (PATCH /me), the change of password (POST /me/password)
and *Demander l'accès à une autre structure* (POST /me/rights-requests), decided by moderators beside the
account requests. Through the handlers, on the emulated AWS, with the demo data."""

from __future__ import annotations

import pytest
from records import HEAD, MODERATOR, OF

from ofeli.domain.contact import PHONE_ERROR
from ofeli.domain.errors import Conflict

SINGLE = ("contact@atelier-normand.test", "Organisme-2026!")  # rights on « Atelier Normand des Métiers » only
SINGLE_SIRET = "41298765400016"
HEAD_NDA = "28140000014"
UNKNOWN_SIRET = "55210055400013"
NEW_PASSWORD = "Nouveau-Secret-2026?"
GRANTED = "OFeli : votre demande d'accès est acceptée"
REFUSED = "OFeli : votre demande d'accès à une structure"


def error_fields(response):
    return {f["field"]: f["message"] for f in response.get_json()["error"]["fields"]}


def sirets(api, headers):
    response = api.get("/me", headers=headers)
    assert response.status_code == 200, response.get_json()
    return {s["siret"] for s in response.get_json()["structures"]}


def rights_requests(api, moderator):
    response = api.get("/moderation/account-requests", headers=moderator)
    assert response.status_code == 200, response.get_json()
    return [r for r in response.get_json() if r["kind"] == "rights"]


def ask(api, headers, **body):
    return api.post("/me/rights-requests", json=body, headers=headers)


def decide(api, moderator, request_id, **body):
    return api.post(f"/moderation/account-requests/{request_id}/decision", json=body, headers=moderator)


# ---------------------------------------------------------------------- Mon compte
def test_only_the_fields_sent_change(seeded_api, of):
    before = seeded_api.get("/me", headers=of).get_json()
    assert before["phone"] is None  # the demo account was made without one

    response = seeded_api.patch("/me", json={"phone": "+33 2 31 00 00 07"}, headers=of)
    assert response.status_code == 200, response.get_json()
    me = response.get_json()
    assert me["phone"] == "02 31 00 00 07"  # the domain's rule: a French number, written the French way
    assert (me["first_name"], me["last_name"], me["email"]) == (
        before["first_name"],
        before["last_name"],
        before["email"],
    )
    assert me["structures"] == before["structures"]

    response = seeded_api.patch("/me", json={"first_name": "  Julie  ", "last_name": "Lefèvre"}, headers=of)
    assert response.status_code == 200
    assert seeded_api.get("/me", headers=of).get_json() | {"structures": None} == before | {
        "first_name": "Julie",
        "last_name": "Lefèvre",
        "phone": "02 31 00 00 07",
        "structures": None,
    }

    # null takes the phone away; names cannot be erased
    assert seeded_api.patch("/me", json={"phone": None}, headers=of).get_json()["phone"] is None
    refused = seeded_api.patch("/me", json={"last_name": None, "phone": "12 34"}, headers=of)
    assert refused.status_code == 422
    fields = error_fields(refused)
    assert fields["phone"] == PHONE_ERROR
    assert "obligatoire" in fields["last_name"]
    assert seeded_api.get("/me", headers=of).get_json()["last_name"] == "Lefèvre"  # nothing written


def test_the_profile_write_is_guarded_by_its_version(seeded_api, of):
    from ofeli.store import users

    user_id = seeded_api.get("/moderation/users", query_string={"email": OF[0]}, headers=seeded_api.login(*MODERATOR))
    user_id = user_id.get_json()["user_id"]
    version = users.get_profile(user_id)["version"]
    assert seeded_api.patch("/me", json={"first_name": "Léna"}, headers=of).status_code == 200
    with pytest.raises(Conflict):  # a write made on the profile as it was before that change
        users.update_profile(user_id, {"first_name": "Ancien"}, version=version)
    assert seeded_api.get("/me", headers=of).get_json()["first_name"] == "Léna"


def test_the_phone_of_an_account_request_is_the_account_s(seeded_api, mailbox):
    request = {
        "siret": UNKNOWN_SIRET,
        "nda": "25140000123",
        "contact": {"last_name": "Martin", "first_name": "Léa", "phone": "0231000008", "email": "lea@nouvel-of.test"},
        "accept_privacy_policy": True,
    }
    request_id = seeded_api.post("/account-requests", json=request).get_json()["id"]
    moderator = seeded_api.login(*MODERATOR)
    approved = decide(seeded_api, moderator, request_id, decision="approve", structure_name="Nouvel OF")
    assert approved.status_code == 200, approved.get_json()
    found = seeded_api.get("/moderation/users", query_string={"email": "lea@nouvel-of.test"}, headers=moderator)
    from ofeli.store import users

    assert users.get_profile(found.get_json()["user_id"])["phone"] == "02 31 00 00 08"


# ---------------------------------------------------------------------- the change of password
def test_a_wrong_current_password_is_a_422_on_its_field(seeded_api, of):
    response = seeded_api.post(
        "/me/password", json={"current_password": "Pas-le-bon-1!", "new_password": NEW_PASSWORD}, headers=of
    )
    assert response.status_code == 422  # not 401: the person is still signed in
    assert error_fields(response) == {
        "current_password": "Le mot de passe actuel est incorrect : saisissez celui que vous utilisez pour vous "
        "connecter."
    }
    # the new one follows the policy, checked first (no attempt spent on it)
    weak = seeded_api.post("/me/password", json={"current_password": OF[1], "new_password": "nouveau"}, headers=of)
    assert weak.status_code == 422
    assert error_fields(weak) == {
        "new_password": "Le mot de passe doit contenir au moins 8 caractères, une majuscule, un caractère spécial."
    }
    assert seeded_api.post("/auth/login", json={"email": OF[0], "password": OF[1]}).status_code == 200


def test_changing_the_password_signs_every_session_out(seeded_api):
    other_session = seeded_api.post("/auth/login", json={"email": OF[0], "password": OF[1]}).get_json()
    assert seeded_api.post("/auth/refresh", json={"refresh_token": other_session["refresh_token"]}).status_code == 200
    this_tab = seeded_api.login(*OF)

    response = seeded_api.post(
        "/me/password", json={"current_password": OF[1], "new_password": NEW_PASSWORD}, headers=this_tab
    )
    assert response.status_code == 204, response.get_json()
    assert response.get_data() == b""

    stale = seeded_api.post("/auth/refresh", json={"refresh_token": other_session["refresh_token"]})
    assert stale.status_code == 401
    assert stale.get_json()["error"]["message"] == "Votre session a expiré : reconnectez-vous."
    assert seeded_api.post("/auth/login", json={"email": OF[0], "password": OF[1]}).status_code == 401
    new_session = seeded_api.post("/auth/login", json={"email": OF[0], "password": NEW_PASSWORD})
    assert new_session.status_code == 200
    refresh = new_session.get_json()["refresh_token"]
    assert seeded_api.post("/auth/refresh", json={"refresh_token": refresh}).status_code == 200


def test_wrong_current_passwords_count_in_the_sign_in_lock_out(seeded_api, of, counted):
    for _ in range(5):
        response = seeded_api.post(
            "/me/password", json={"current_password": "Pas-le-bon-1!", "new_password": NEW_PASSWORD}, headers=of
        )
        assert response.status_code == 422
    assert counted.count("SignInLocked") == 1
    # locked: the right current password is not even tried, and signing in is locked alike
    locked = seeded_api.post("/me/password", json={"current_password": OF[1], "new_password": NEW_PASSWORD}, headers=of)
    assert locked.status_code == 429
    assert locked.get_json()["error"]["message"].startswith("Trop de tentatives de connexion ont échoué")
    assert seeded_api.post("/auth/login", json={"email": OF[0], "password": OF[1]}).status_code == 429
    assert seeded_api.post("/auth/login", json={"email": OF[0], "password": NEW_PASSWORD}).status_code == 429


# ---------------------------------------------------------------------- Demander l'accès à une autre structure
def test_a_rights_request_approved_gives_the_structure(seeded_api, mailbox):
    single = seeded_api.login(*SINGLE)
    moderator = seeded_api.login(*MODERATOR)
    assert sirets(seeded_api, single) == {SINGLE_SIRET}

    response = ask(seeded_api, single, siret="814 327 121 00012", nda="28 14 00000 14", message=" Je remplace Julien. ")
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["message"].startswith("Votre demande d'accès est enregistrée.")
    again = ask(seeded_api, single, siret=HEAD)
    assert again.status_code == 409
    assert again.get_json()["error"]["message"] == (
        "Vous avez déjà une demande d'accès en cours pour cette structure : le Carif-Oref la traite."
    )

    # the moderators see it beside the account requests, told apart, with the account
    (seen,) = rights_requests(seeded_api, moderator)
    assert seen["id"] == response.get_json()["id"]
    assert (seen["siret"], seen["nda"], seen["message"], seen["status"]) == (
        HEAD,
        HEAD_NDA,
        "Je remplace Julien.",
        "pending",
    )
    assert seen["contact"] == {"last_name": "Durand", "first_name": "Sophie", "email": SINGLE[0], "phone": None}
    assert seen["structure_name"] == "OF Démo Formation"

    decided = decide(seeded_api, moderator, seen["id"], decision="approve")
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["status"] == "approved"
    assert rights_requests(seeded_api, moderator) == []
    assert sirets(seeded_api, single) == {SINGLE_SIRET, HEAD}
    (mail,) = [m for m in mailbox.sent(SINGLE[0]) if m["subject"] == GRANTED]
    assert "« OF Démo Formation »" in mail["body"]
    assert decide(seeded_api, moderator, seen["id"], decision="approve").status_code == 409

    # held now: asking again is a 409 naming the SIRET
    held = ask(seeded_api, single, siret=HEAD, nda=HEAD_NDA)
    assert held.status_code == 409
    assert error_fields(held) == {
        "siret": "Vous avez déjà accès à cette structure : choisissez-la dans la liste « Espace structure »."
    }


def test_the_nda_must_be_the_structure_s(seeded_api, mailbox):
    single = seeded_api.login(*SINGLE)
    moderator = seeded_api.login(*MODERATOR)
    assert ask(seeded_api, single, siret=HEAD).status_code == 202  # no NDA stated
    (request,) = rights_requests(seeded_api, moderator)
    refused = decide(seeded_api, moderator, request["id"], decision="approve")
    assert refused.status_code == 422
    assert error_fields(refused)["nda"].startswith("La demande n'indique aucun NDA")
    assert HEAD not in sirets(seeded_api, single)

    rejected = decide(seeded_api, moderator, request["id"], decision="reject", reason="Le NDA manque.")
    assert rejected.status_code == 200
    (mail,) = [m for m in mailbox.sent(SINGLE[0]) if m["subject"] == REFUSED]
    assert "Le NDA manque." in mail["body"] and HEAD in mail["body"]

    # decided, the structure may be asked for again; with another NDA, refused again
    assert ask(seeded_api, single, siret=HEAD, nda="28140000099").status_code == 202
    (request,) = rights_requests(seeded_api, moderator)
    refused = decide(seeded_api, moderator, request["id"], decision="approve")
    assert refused.status_code == 422
    assert error_fields(refused)["nda"] == (
        "Le NDA de la demande (28140000099) diffère de celui de la structure (28140000014) : vérifiez auprès de "
        "l'organisme avant d'accepter."
    )
    no_reason = decide(seeded_api, moderator, request["id"], decision="reject", reason="  ")
    assert no_reason.status_code == 422 and "reason" in error_fields(no_reason)


def test_an_unknown_structure_is_the_moderator_s_to_create(seeded_api):
    single = seeded_api.login(*SINGLE)
    moderator = seeded_api.login(*MODERATOR)
    # the same 202 as for a structure OFeli knows: which SIRETs OFeli knows does not leak
    assert ask(seeded_api, single, siret=UNKNOWN_SIRET, nda="25140000123").status_code == 202
    (request,) = rights_requests(seeded_api, moderator)
    assert request["structure_name"] is None
    unnamed = decide(seeded_api, moderator, request["id"], decision="approve")
    assert unnamed.status_code == 422 and "structure_name" in error_fields(unnamed)
    named = decide(seeded_api, moderator, request["id"], decision="approve", structure_name="Nouvel établissement")
    assert named.status_code == 200, named.get_json()
    structures = seeded_api.get("/me", headers=single).get_json()["structures"]
    assert {"siret": UNKNOWN_SIRET, "name": "Nouvel établissement", "nda": "25140000123"}.items() <= next(
        s for s in structures if s["siret"] == UNKNOWN_SIRET
    ).items()


def test_what_a_rights_request_refuses(seeded_api):
    single = seeded_api.login(*SINGLE)
    bad = ask(seeded_api, single, siret="41298765400017", nda="123", message="x" * 2001)
    assert bad.status_code == 422
    assert set(error_fields(bad)) == {"siret", "nda", "message"}
    assert ask(seeded_api, single, siret=SINGLE_SIRET).status_code == 409  # its own structure
    moderator = ask(seeded_api, seeded_api.login(*MODERATOR), siret=HEAD)
    assert moderator.status_code == 403
    assert moderator.get_json()["error"]["message"].startswith("Les modérateurs du Carif-Oref ont accès")
