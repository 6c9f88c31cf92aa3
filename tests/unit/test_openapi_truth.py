"""Issue 7, item 9: the merged OpenAPI document (`GET /openapi.json`) declares every status a route answers,
each error with the one error body; and every route answers bad input as its document says."""

from __future__ import annotations

import pytest

HEAD = "81432712100012"
OF = ("contact@of-demo.test", "Organisme-2026!")
MODERATOR = ("moderation@carif-oref.test", "Moderation-2026!")
ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}
THROTTLED = {("POST", "/auth/login"), ("POST", "/auth/password-reset"), ("POST", "/account-requests")}


def operations(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    ops = {(m.upper(), path): op for path, item in document["paths"].items() for m, op in item.items()}
    assert ops
    return document, ops


def concrete(path: str) -> str:
    """The path with every parameter filled: a SIRET the demo OF has rights on, or a made-up id."""
    return path.replace("{siret}", HEAD).replace("{", "x-").replace("}", "")


def test_every_operation_declares_the_statuses_its_shape_implies(api):
    document, ops = operations(api)
    for (method, path), op in ops.items():
        statuses = set(op["responses"])
        where = f"{method} {path}"
        assert {"422", "500"} <= statuses, where
        assert any(s.startswith("2") for s in statuses), where
        if "requestBody" in op:
            assert {"400", "415"} <= statuses, where
        if "{" in path:
            assert "404" in statuses, where
        if op.get("security"):
            assert {"401", "403"} <= statuses, where
        if (method, path) in THROTTLED:
            assert "429" in statuses, where
        for status, response in op["responses"].items():
            if int(status) >= 400:
                assert response["content"]["application/json"]["schema"] == ERROR_BODY, (where, status)
                assert response["description"], (where, status)


def test_the_error_body_is_described_once_and_nothing_unused_is_left(api):
    document, _ = operations(api)
    schemas = document["components"]["schemas"]
    assert schemas["ErrorBody"]["properties"]["error"] == {"$ref": "#/components/schemas/ErrorDetail"}
    assert set(schemas["ErrorDetail"]["required"]) == {"code", "message", "fields"}
    assert set(schemas["ErrorField"]["required"]) == {"field", "message"}
    assert not {"HTTPValidationError", "ValidationError", "ResponseValidationError"} & set(schemas)


@pytest.mark.parametrize(
    ("route", "statuses"),
    [
        (("POST", "/auth/login"), {"200", "400", "401", "415", "422", "429", "500"}),
        (("POST", "/activation"), {"204", "400", "404", "410", "415", "422", "500"}),
        (("PUT", "/structures/{siret}/draft"), {"200", "400", "401", "403", "404", "409", "415", "422", "423", "500"}),
        (("DELETE", "/memos/{memo_id}"), {"204", "401", "403", "404", "422", "500"}),
    ],
)
def test_use_case_statuses_are_declared(api, route, statuses):
    _, ops = operations(api)
    assert set(ops[route]["responses"]) == statuses


def test_every_route_with_a_body_answers_400_and_415_as_documented(seeded_api):
    _, ops = operations(seeded_api)
    moderator = seeded_api.login(*MODERATOR)
    of = seeded_api.login(*OF)
    tried = 0
    for (method, path), op in ops.items():
        if "requestBody" not in op:
            continue
        # A moderator passes every moderator route; OF routes are the OF user's.
        headers = (moderator if path.startswith("/moderation/") else of) if op.get("security") else {}
        url = concrete(path)
        bad = seeded_api.open(
            url, method=method, data="{not json", headers={**headers, "Content-Type": "application/json"}
        )
        assert bad.status_code == 400, (method, path, bad.get_data(as_text=True))
        text = seeded_api.open(url, method=method, data="{}", headers={**headers, "Content-Type": "text/plain"})
        assert text.status_code == 415, (method, path, text.get_data(as_text=True))
        tried += 1
    assert tried >= 10


def test_every_moderator_route_refuses_an_of_user_whatever_is_sent(seeded_api):
    _, ops = operations(seeded_api)
    of = seeded_api.login(*OF)
    tried = 0
    for method, path in ops:
        if not path.startswith("/moderation/"):
            continue
        for body in ("{not json", '{"decision": 42}', None):
            headers = {**of, "Content-Type": "application/json"}
            response = seeded_api.open(concrete(path) + "?kind=x&email=", method=method, data=body, headers=headers)
            assert response.status_code == 403, (method, path, body, response.get_data(as_text=True))
            assert response.get_json()["error"]["code"] == "forbidden"
        tried += 1
    assert tried >= 8
