"""Sign-in and the authorizer, through the local API Gateway and the real handlers on moto."""

from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path

import jwt
import moto
import pytest

OF = {"email": "contact@of-demo.test", "password": "Organisme-2026!"}
BAD = "Adresse e-mail ou mot de passe incorrect."


def test_login_returns_cognito_tokens(seeded_api):
    response = seeded_api.post("/auth/login", json=OF)
    assert response.status_code == 200
    tokens = response.get_json()
    assert set(tokens) == {"id_token", "access_token", "refresh_token", "expires_in"}
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["email"] == OF["email"] and claims["token_use"] == "id"


def test_login_ignores_the_case_of_the_email(seeded_api):
    response = seeded_api.post("/auth/login", json={**OF, "email": "  Contact@OF-Demo.test "})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "contact@of-demo.test", "password": "Organisme-2025!"},
        {"email": "personne@nulle-part.test", "password": "Organisme-2026!"},
    ],
    ids=["wrong password", "unknown e-mail"],
)
def test_wrong_credentials_get_the_same_401(seeded_api, credentials):
    response = seeded_api.post("/auth/login", json=credentials)
    assert response.status_code == 401
    assert response.get_json() == {"error": {"code": "unauthorized", "message": BAD, "fields": []}}


def test_login_requires_both_fields(seeded_api):
    response = seeded_api.post("/auth/login", json={"email": ""})
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.get_json()["error"]["fields"]}
    assert fields == {"email": "Ce champ ne peut pas être vide.", "password": "Ce champ est obligatoire."}


def test_me_lists_rights_head_office_first(seeded_api):
    response = seeded_api.get("/me", headers=seeded_api.login(**OF))
    assert response.status_code == 200
    me = response.get_json()
    assert (me["email"], me["first_name"], me["last_name"], me["roles"]) == (
        "contact@of-demo.test",
        "Julien",
        "Lefebvre",
        ["of"],
    )
    assert me["structures"] == [
        {"siret": "81432712100012", "name": "OF Démo Formation", "nda": "28140000014", "is_responsible": True},
        {
            "siret": "81432712100020",
            "name": "OF Démo Formation — antenne de Cherbourg",
            "nda": None,
            "is_responsible": False,
        },
    ]


def test_moderator_role_comes_from_the_cognito_group(seeded_api):
    headers = seeded_api.login("moderation@carif-oref.test", "Moderation-2026!")
    me = seeded_api.get("/me", headers=headers).get_json()
    assert me["roles"] == ["moderator"] and me["structures"] == []


# ---------------------------------------------------------------------- the authorizer
def _moto_key() -> dict:
    path = Path(moto.__file__).parent / "cognitoidp" / "resources" / "jwks-private.json.gz"
    return json.loads(gzip.decompress(path.read_bytes()))


def _forge(claims: dict, key: dict | None = None) -> str:
    key = key or _moto_key()
    return jwt.encode(claims, jwt.PyJWK(key).key, algorithm="RS256", headers={"kid": key.get("kid", "dummy")})


def _claims(**overrides) -> dict:
    pool = os.environ["OFELI_USER_POOL_ID"]
    now = int(time.time())
    return {
        "iss": f"https://cognito-idp.eu-west-3.amazonaws.com/{pool}",
        "sub": "someone",
        "aud": os.environ["OFELI_USER_POOL_CLIENT_ID"],
        "token_use": "id",
        "iat": now,
        "exp": now + 600,
        "email": "someone@x.test",
        **overrides,
    }


def _me(api, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return api.get("/me", headers=headers)


def test_me_without_token_is_401(api):
    response = _me(api, None)
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "Vous devez être connecté pour accéder à cette page."


def test_a_well_signed_token_passes_the_authorizer(api):
    # signed with the pool's key, for a user OFeli does not know: past the authorizer, the handler says 404
    response = _me(api, _forge(_claims()))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": int(time.time()) - 10},
        {"aud": "another-client"},
        {"token_use": "access"},
        {"iss": "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_other"},
    ],
    ids=["expired", "wrong audience", "access token", "other pool"],
)
def test_the_authorizer_rejects(api, claims):
    assert _me(api, _forge(_claims(**claims))).status_code == 401


def test_the_authorizer_rejects_a_foreign_signature(api):
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(_claims(), other, algorithm="RS256", headers={"kid": _moto_key().get("kid", "dummy")})
    assert _me(api, token).status_code == 401
    assert _me(api, "not-a-token").status_code == 401


def test_refresh_gives_a_new_id_token_that_passes_the_authorizer(seeded_api):
    tokens = seeded_api.post("/auth/login", json=OF).get_json()
    refreshed = seeded_api.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200
    new = refreshed.get_json()["id_token"]
    assert seeded_api.get("/me", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    bad = seeded_api.post("/auth/refresh", json={"refresh_token": "not-a-token"})
    assert bad.status_code == 401
    assert bad.get_json()["error"]["message"] == "Votre session a expiré : reconnectez-vous."
