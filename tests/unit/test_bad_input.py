"""Issue 7, item 2 and 5: bad input is never a 5xx, and who may call a route is checked before its input.

Every case goes through the local API Gateway to the real handlers (the `api` fixtures), as a client or
an attacker would send it.
"""

from __future__ import annotations

import json

import pytest

HEAD = "81432712100012"
OF = ("contact@of-demo.test", "Organisme-2026!")
MODERATOR = ("moderation@carif-oref.test", "Moderation-2026!")
JSON = {"Content-Type": "application/json"}
INVALID_JSON = "Le corps de la requête n'est pas un JSON valide."


def fields(response) -> dict[str, str]:
    return {f["field"]: f["message"] for f in response.get_json()["error"]["fields"]}


def account_request(**changes):
    body = {
        "siret": "81432712100038",
        "nda": "28140000014",
        "contact": {
            "last_name": "Martin",
            "first_name": "Claire",
            "phone": "02 31 00 00 00",
            "email": "claire.martin@exemple.test",
        },
        "accept_privacy_policy": True,
    }
    for key, value in changes.items():
        if key in body["contact"]:
            body["contact"][key] = value
        else:
            body[key] = value
    return body


@pytest.fixture
def of(seeded_api):
    return seeded_api.login(*OF)


@pytest.fixture
def moderator(seeded_api):
    return seeded_api.login(*MODERATOR)


# ---------------------------------------------------------------------- malformed bodies: 400
@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"email": "a@b.fr",}', b"", b"NaN", b'{"email": NaN, "password": "x"}', b"[1, 2"],
    ids=["garbage", "trailing comma", "empty", "bare NaN", "NaN value", "unclosed"],
)
def test_invalid_json_is_a_400(api, body):
    if not body:  # an empty body on a route that needs one is a missing body: 422, not a parse error
        response = api.post("/auth/login", data=body, headers=JSON)
        assert response.status_code == 422
        return
    response = api.post("/auth/login", data=body, headers=JSON)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert (error["code"], error["message"]) == ("invalid_json", INVALID_JSON)


def test_invalid_utf8_is_a_400(api):
    # The gateway hands a body that is not UTF-8 to Lambda in base64 with isBase64Encoded.
    response = api.post("/auth/login", data=b'{"email": "\xff\xfe@b.fr", "password": "x"}', headers=JSON)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == "invalid_json"
    assert "UTF-8" in response.get_json()["error"]["message"]


def test_json_nested_too_deep_is_a_400(api):
    deep = '{"email": "a@b.fr", "password": "x", "extra": ' + "[" * 40 + "]" * 40 + "}"
    response = api.post("/auth/login", data=deep, headers=JSON)
    assert response.status_code == 400
    assert "imbriqué" in response.get_json()["error"]["message"]
    very_deep = "[" * 100_000 + "]" * 100_000  # deeper than Python's own recursion limit
    assert api.post("/auth/login", data=very_deep, headers=JSON).status_code == 400


def test_json_nested_within_the_limit_is_validated_as_usual(api):
    nested = '{"email": "a@b.fr", "password": ' + "[" * 30 + "]" * 30 + "}"
    response = api.post("/auth/login", data=nested, headers=JSON)
    assert response.status_code == 422
    assert fields(response) == {"password": "Ce champ doit être un texte."}


# ---------------------------------------------------------------------- content types: 415
@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/xml", "application/x-www-form-urlencoded", "application/json; charset=latin-1"],
)
def test_a_body_that_is_not_json_is_a_415(api, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    body = json.dumps({"email": "contact@of-demo.test", "password": "x"})
    response = api.post("/auth/login", data=body, headers=headers)
    assert response.status_code == 415, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "unsupported_media_type"
    assert "application/json" in error["message"]


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"])
def test_json_with_or_without_charset_is_accepted(seeded_api, content_type):
    body = json.dumps({"email": OF[0], "password": OF[1]})
    response = seeded_api.post("/auth/login", data=body, headers={"Content-Type": content_type})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_route_without_body_ignores_what_is_sent(seeded_api, of):
    response = seeded_api.get("/me", data=b"\xff not json", headers={**of, "Content-Type": "text/plain"})
    assert response.status_code == 200


# ---------------------------------------------------------------------- numbers: 422 naming the field
@pytest.mark.parametrize("version", ["1" + "0" * 38, "9223372036854775808", "-9223372036854775809", "1e400"])
def test_numbers_beyond_64_bits_or_infinite_are_a_422(seeded_api, of, version):
    body = '{"version": ' + version + ', "data": {"emails": [], "phones": [], "websites": []}}'
    response = seeded_api.put(f"/structures/{HEAD}/draft", data=body, headers={**of, **JSON})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert set(fields(response)) == {"version"}


def test_a_big_number_deep_in_a_body_names_its_place(seeded_api, of):
    body = '{"version": 0, "data": {"emails": [{"label": 1' + "0" * 40 + ', "email": "a@b.fr"}]}}'
    response = seeded_api.put(f"/structures/{HEAD}/draft", data=body, headers={**of, **JSON})
    assert response.status_code == 422
    assert set(fields(response)) == {"data.emails.0.label"}


def test_the_largest_64_bit_version_gets_an_ordinary_answer(seeded_api, of):
    body = {"version": 2**63 - 1, "data": {"emails": [], "phones": [], "websites": []}}
    response = seeded_api.put(f"/structures/{HEAD}/draft", json=body, headers=of)
    assert response.status_code == 404, response.get_data(as_text=True)  # no draft has that version
    assert response.get_json()["error"]["code"] == "not_found"


# ---------------------------------------------------------------------- control characters
@pytest.mark.parametrize(
    "path",
    ["/structures/%00", f"/structures/{HEAD}%00", f"/structures/{HEAD}%0A/history", "/memos/a%00b", "/memos/%1B"],
)
def test_a_control_character_in_a_path_is_a_404(seeded_api, of, path):
    method = seeded_api.delete if path.startswith("/memos") else seeded_api.get
    response = method(path, headers=of)
    assert response.status_code == 404, response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800"])
def test_control_characters_in_a_text_are_a_422_naming_it(seeded_api, of, character):
    before = seeded_api.get("/memos", headers=of).get_json()
    body = json.dumps({"text": f"Rappeler{character}le client"})
    response = seeded_api.post("/memos", data=body, headers={**of, **JSON})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert fields(response) == {"text": "Ce champ contient un caractère de contrôle non autorisé."}
    assert seeded_api.get("/memos", headers=of).get_json() == before


def test_tabs_and_new_lines_are_allowed_in_long_texts(seeded_api, of):
    memo = seeded_api.post("/memos", json={"text": "Rappeler :\n\t- le client\r\n\t- le financeur"}, headers=of)
    assert memo.status_code == 201, memo.get_data(as_text=True)
    assert memo.get_json()["text"] == "Rappeler :\n\t- le client\r\n\t- le financeur"
    message = seeded_api.post(f"/structures/{HEAD}/messages", json={"body": "Bonjour,\n\nMerci."}, headers=of)
    assert message.status_code == 201, message.get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"last_name": "Mar\ntin"}, "contact.last_name"),
        ({"first_name": "Cla\tire"}, "contact.first_name"),
        ({"email": "claire.martin@exemple.test\n"}, "contact.email"),
        ({"last_name": "Mar\x00tin"}, "contact.last_name"),
        ({"phone": "02 31 00\x0000 00"}, "contact.phone"),
    ],
)
def test_names_and_emails_hold_no_tab_nor_new_line(api, change, field):
    response = api.post("/account-requests", json=account_request(**change))
    assert response.status_code == 422, response.get_data(as_text=True)
    assert set(fields(response)) == {field}


def test_labels_hold_no_new_line(seeded_api, of):
    data = {"emails": [{"label": "Inscrip\ntions", "email": "inscriptions@of-demo.test"}], "phones": [], "websites": []}
    response = seeded_api.put(f"/structures/{HEAD}/draft", json={"version": 0, "data": data}, headers=of)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert set(fields(response)) == {"data.emails.0.label"}


def test_a_control_character_in_a_query_parameter_is_a_422(seeded_api, moderator):
    response = seeded_api.get("/moderation/users?email=a%00b@c.fr", headers=moderator)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert set(fields(response)) == {"email"}


# ---------------------------------------------------------------------- identifiers: ASCII digits only
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"siret": "81432712100038".translate(FULL_WIDTH)}, "siret"),
        ({"siret": "81432712100038".replace("3", "٣")}, "siret"),  # Arabic-Indic digit three
        ({"nda": "28140000014".translate(FULL_WIDTH)}, "nda"),
        ({"phone": "02 " + "31 00 00 00".translate(FULL_WIDTH)}, "contact.phone"),
    ],
    ids=["full-width SIRET", "Arabic-Indic SIRET", "full-width NDA", "full-width phone"],
)
def test_identifiers_are_ascii_digits_only(api, change, field):
    response = api.post("/account-requests", json=account_request(**change))
    assert response.status_code == 422, response.get_data(as_text=True)
    assert set(fields(response)) == {field}


def test_a_full_width_postal_code_is_refused(seeded_api, moderator):
    record = seeded_api.get(f"/structures/{HEAD}", headers=moderator).get_json()["published"]
    address = {**record["address"], "postal_code": "14000".translate(FULL_WIDTH)}
    body = {"version": record["version"], "name": record["name"], "address": address}
    # `PUT /moderation/structures/{siret}` becomes `PATCH` in this issue (another part of it).
    response = seeded_api.patch(f"/moderation/structures/{HEAD}", json=body, headers=moderator)
    if response.status_code == 405:
        response = seeded_api.put(f"/moderation/structures/{HEAD}", json=body, headers=moderator)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert set(fields(response)) == {"address.postal_code"}


# ---------------------------------------------------------------------- who before what
MODERATOR_ROUTES_WITH_BODY = [
    ("post", "/moderation/account-requests/nope/decision"),
    ("post", "/moderation/users/nope/rights"),
    ("post", "/moderation/submissions/nope/decision"),
]


@pytest.mark.parametrize(("method", "path"), MODERATOR_ROUTES_WITH_BODY)
@pytest.mark.parametrize(
    "body", [{}, {"decision": "peut-être", "siret": "x"}, "{not json"], ids=["empty", "wrong", "bad"]
)
def test_an_of_user_gets_403_on_a_moderator_route_whatever_its_body(seeded_api, of, method, path, body):
    data = body if isinstance(body, str) else json.dumps(body)
    response = getattr(seeded_api, method)(path, data=data, headers={**of, **JSON})
    assert response.status_code == 403, response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == "forbidden"
    assert response.get_json()["error"]["fields"] == []


def test_an_of_user_gets_403_on_a_moderator_route_whatever_its_query(seeded_api, of):
    response = seeded_api.get("/moderation/queue?kind=nothing&siret=123", headers=of)
    assert response.status_code == 403, response.get_data(as_text=True)


def test_a_moderator_still_gets_the_validation_errors(seeded_api, moderator):
    response = seeded_api.post("/moderation/users/nope/rights", json={}, headers=moderator)
    assert response.status_code == 422
    assert set(fields(response)) == {"siret"}
