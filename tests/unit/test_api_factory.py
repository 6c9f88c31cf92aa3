"""The resolver every function uses: error mapping, validation in French, CORS, correlation id."""

from __future__ import annotations

import json
import os
from typing import Annotated

import pytest
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from pydantic import BaseModel, Field

from ofeli.api import lambda_handler, make_app
from ofeli.domain.errors import Conflict, FieldError, Locked, NotFound, RuleViolation
from ofeli.settings import settings


class Payload(BaseModel):
    name: str = Field(min_length=1, max_length=5)
    count: int = Field(ge=1, le=999)


class Answer(BaseModel):
    ok: bool


app = make_app()


@app.post("/things")
def create(body: Annotated[Payload, Body()]) -> Answer:
    return Answer(ok=True)


@app.get("/raise/<kind>")
def fail(kind: str) -> Answer:
    errors = {
        "conflict": Conflict("Déjà modifié."),
        "locked": Locked("Fiche verrouillée."),
        "missing": NotFound("Introuvable."),
        "rule": RuleViolation("Règle.", [FieldError("places", "Entre 1 et 999.")]),
    }
    if kind == "bug":
        raise RuntimeError("boom")
    raise errors[kind]


@app.get("/bad-response")
def bad_response(page: Annotated[int, Query(ge=1)] = 1) -> Answer:
    return {"unexpected": page}  # type: ignore[return-value]


handler = lambda_handler(app)


class Context:
    function_name = "test"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:eu-west-3:123456789012:function:test"
    aws_request_id = "req-1"


def call(method: str, path: str, body: object = None, headers: dict | None = None, query: dict | None = None):
    event = {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "multiValueHeaders": {},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": None,
        "requestContext": {"requestId": "corr-123", "resourcePath": path, "httpMethod": method, "stage": "v1"},
        "body": body if isinstance(body, str) or body is None else json.dumps(body),
        "isBase64Encoded": False,
    }
    response = handler(event, Context())
    headers_out = {k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items()}
    return response["statusCode"], json.loads(response["body"]), headers_out


@pytest.fixture(autouse=True)
def web_origin(monkeypatch):
    for name, value in {
        "OFELI_TABLE": "t",
        "OFELI_DOCUMENTS_BUCKET": "d",
        "OFELI_EXPORTS_BUCKET": "e",
        "OFELI_JOBS_QUEUE_URL": "q",
        "OFELI_USER_POOL_ID": "p",
        "OFELI_USER_POOL_CLIENT_ID": "c",
        "OFELI_SES_SENDER": "s@x.fr",
        "OFELI_WEB_ORIGIN": "https://offre.example.fr",
    }.items():
        monkeypatch.setenv(name, value)
    settings.cache_clear()
    yield
    settings.cache_clear()
    os.environ.pop("OFELI_WEB_ORIGIN", None)


def test_valid_body_passes():
    status, body, headers = call("POST", "/things", {"name": "abc", "count": 3})
    assert (status, body) == (200, {"ok": True})
    assert headers["X-Correlation-Id"] == "corr-123"


def test_validation_errors_are_french_and_name_each_field():
    status, body, _ = call("POST", "/things", {"name": "", "count": 0})
    assert status == 422
    assert body["error"]["code"] == "invalid_request"
    assert body["error"]["message"] == "La requête contient des erreurs : corrigez les champs signalés."
    assert sorted((f["field"], f["message"]) for f in body["error"]["fields"]) == [
        ("count", "Ce champ doit être supérieur ou égal à 1."),
        ("name", "Ce champ ne peut pas être vide."),
    ]


def test_missing_and_wrong_types():
    status, body, _ = call("POST", "/things", {"name": "abcdefgh", "count": "x"})
    assert status == 422
    assert sorted((f["field"], f["message"]) for f in body["error"]["fields"]) == [
        ("count", "Ce champ doit être un nombre entier."),
        ("name", "Ce champ ne peut pas dépasser 5 caractères."),
    ]
    status, body, _ = call("POST", "/things", {})
    assert {f["field"] for f in body["error"]["fields"]} == {"name", "count"}
    assert {f["message"] for f in body["error"]["fields"]} == {"Ce champ est obligatoire."}


def test_invalid_json_body():
    status, body, _ = call("POST", "/things", "{not json")
    assert status == 422
    assert body["error"]["message"] == "Le corps de la requête n'est pas un JSON valide."


@pytest.mark.parametrize(
    ("kind", "status", "code", "message"),
    [
        ("conflict", 409, "conflict", "Déjà modifié."),
        ("locked", 423, "locked", "Fiche verrouillée."),
        ("missing", 404, "not_found", "Introuvable."),
        ("rule", 422, "rule_violation", "Règle."),
        (
            "bug",
            500,
            "internal_error",
            "Une erreur inattendue est survenue de notre côté. "
            "Réessayez dans un instant ; si elle persiste, contactez le Carif-Oref.",
        ),
    ],
)
def test_domain_errors_map_to_http(kind, status, code, message):
    got_status, body, _ = call("GET", f"/raise/{kind}")
    assert got_status == status
    assert body["error"]["code"] == code and body["error"]["message"] == message


def test_rule_violation_keeps_its_fields():
    _, body, _ = call("GET", "/raise/rule")
    assert body["error"]["fields"] == [{"field": "places", "message": "Entre 1 et 999."}]


def test_failed_response_validation_is_a_500_never_a_422():
    status, body, _ = call("GET", "/bad-response")
    assert status == 500
    assert body["error"]["code"] == "internal_error"


def test_invalid_query_parameter_is_a_422():
    status, body, _ = call("GET", "/bad-response", query={"page": "0"})
    assert status == 422
    assert body["error"]["fields"] == [{"field": "page", "message": "Ce champ doit être supérieur ou égal à 1."}]


def test_unknown_route_is_a_french_404():
    status, body, _ = call("GET", "/nowhere")
    assert status == 404
    assert body["error"]["message"] == "Cette adresse n'existe pas dans l'API OFeli."


def test_cors_allows_the_web_origin_only():
    _, _, headers = call("POST", "/things", {"name": "a", "count": 1}, headers={"Origin": "https://offre.example.fr"})
    assert headers["Access-Control-Allow-Origin"] == "https://offre.example.fr"
    _, _, headers = call("POST", "/things", {"name": "a", "count": 1}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers
