"""The resolver every function uses: error mapping, validation in French, CORS, correlation id."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Any

import pytest
from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from pydantic import BaseModel, Field

from ofeli import observability
from ofeli.api import USER, answers, lambda_handler, make_app, moderator, user
from ofeli.domain.errors import Conflict, FieldError, Locked, NotFound, RuleViolation
from ofeli.domain.identity import Identity
from ofeli.settings import settings

ROOT = Path(__file__).resolve().parents[2]


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


@app.post("/moderation/things/<thing_id>", security=USER, responses=answers(409))
def moderate(thing_id: str, body: Annotated[Payload, Body()], _: Annotated[Identity, Depends(moderator)]) -> Answer:
    return Answer(ok=True)


@app.get("/my/things", security=USER)
def mine(identity: Annotated[Identity, Depends(user)], page: Annotated[int, Query(ge=1)] = 1) -> Answer:
    return Answer(ok=identity.user_id == "u-1")


@app.delete("/my/things/<thing_id>", status_code=204, security=USER)
def forget(thing_id: str, _: Annotated[Identity, Depends(user)]):  # noqa: ANN201 (204, no body)
    return Response(204)


@app.post("/counted")
def counted(body: Annotated[Payload, Body()]) -> Answer:
    observability.count("ThingCounted")
    return Answer(ok=True)


handler = lambda_handler(app)

OF_CLAIMS = {"sub": "u-1", "email": "of@exemple.test"}
MODERATOR_CLAIMS = {"sub": "m-1", "email": "m@carif.test", "cognito:groups": "moderators"}


class Context:
    function_name = "test"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:eu-west-3:123456789012:function:test"
    aws_request_id = "req-1"


def call(
    method: str,
    path: str,
    body: object = None,
    headers: dict | None = None,
    query: dict | None = None,
    claims: dict | None = None,
    base64_body: bytes | None = None,
):
    event = {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "multiValueHeaders": {},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": None,
        "requestContext": {
            "requestId": "corr-123",
            "resourcePath": path,
            "httpMethod": method,
            "stage": "v1",
            "authorizer": {"claims": claims} if claims else None,
        },
        "body": body if isinstance(body, str) or body is None else json.dumps(body),
        "isBase64Encoded": False,
    }
    if base64_body is not None:
        event["body"], event["isBase64Encoded"] = base64.b64encode(base64_body).decode(), True
    response = handler(event, Context())
    headers_out = {k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items()}
    return response["statusCode"], json.loads(response["body"]) if response["body"] else None, headers_out


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


def test_invalid_json_body_is_a_400():
    status, body, _ = call("POST", "/things", "{not json")
    assert status == 400
    assert body == {
        "error": {"code": "invalid_json", "message": "Le corps de la requête n'est pas un JSON valide.", "fields": []}
    }


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


# ---------------------------------------------------------------------- bad input, at the handler
def test_a_body_that_is_not_utf8_is_a_400_not_a_500():
    status, body, _ = call("POST", "/things", base64_body=b'{"name": "\xe9t\xe9", "count": 1}')
    assert status == 400
    assert body["error"]["code"] == "invalid_json"


def test_a_base64_body_in_utf8_is_read():
    status, body, _ = call("POST", "/things", base64_body=json.dumps({"name": "été", "count": 1}).encode())
    assert (status, body) == (200, {"ok": True})


def test_a_body_without_json_content_type_is_a_415():
    status, body, _ = call("POST", "/things", {"name": "a", "count": 1}, headers={"Content-Type": "text/plain"})
    assert status == 415
    assert body["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"name": "a", "count": 1' + "0" * 30 + "}", "count"),
        ('{"name": "a", "count": 1e400}', "count"),
        ('{"name": "a", "count": -1e400}', "count"),
        ('{"name": "a", "count": 1, "extra": [1, 2, 99999999999999999999]}', "extra.2"),
        ('{"name": "a\\u0000", "count": 1}', "name"),
        ('{"name": "a", "count": 1, "b\\u0001": 1}', "b\x01"),
    ],
)
def test_what_no_field_may_hold_is_a_422_naming_it(raw, field):
    status, body, _ = call("POST", "/things", raw)
    assert status == 422, body
    assert [f["field"] for f in body["error"]["fields"]] == [field]


def test_nesting_is_limited_to_32_levels():
    at_limit = '{"name": "a", "count": 1, "extra": ' + "[" * 31 + "]" * 31 + "}"
    assert call("POST", "/things", at_limit)[0] == 200
    beyond = '{"name": "a", "count": 1, "extra": ' + "[" * 32 + "]" * 32 + "}"
    status, body, _ = call("POST", "/things", beyond)
    assert status == 400
    assert body["error"]["message"].endswith("imbriqué sur plus de 32 niveaux.")


# ---------------------------------------------------------------------- who before what
@pytest.mark.parametrize("body", [{}, {"name": "", "count": "x"}, "{not json", None])
def test_anyone_but_a_moderator_is_refused_before_validation(body):
    status, answer, _ = call("POST", "/moderation/things/t1", body, claims=OF_CLAIMS)
    assert status == 403, answer
    assert answer["error"]["code"] == "forbidden" and answer["error"]["fields"] == []
    status, answer, _ = call("POST", "/moderation/things/t1", body)
    assert status == 401, answer
    assert answer["error"]["code"] == "unauthorized"


def test_a_moderator_gets_the_validation_errors():
    status, answer, _ = call("POST", "/moderation/things/t1", {"name": ""}, claims=MODERATOR_CLAIMS)
    assert status == 422
    assert {f["field"] for f in answer["error"]["fields"]} == {"name", "count"}
    status, answer, _ = call("POST", "/moderation/things/t1", {"name": "a", "count": 1}, claims=MODERATOR_CLAIMS)
    assert (status, answer) == (200, {"ok": True})


def test_a_signed_in_route_refuses_the_anonymous_before_its_query():
    assert call("GET", "/my/things", query={"page": "0"})[0] == 401
    assert call("GET", "/my/things", query={"page": "0"}, claims=OF_CLAIMS)[0] == 422
    assert call("GET", "/my/things", query={"page": "2"}, claims=OF_CLAIMS)[:2] == (200, {"ok": True})


def test_a_control_character_in_a_query_is_a_422_and_in_a_path_a_404():
    status, answer, _ = call("GET", "/my/things", query={"page": "1\n"}, claims=OF_CLAIMS)
    assert status == 422
    assert answer["error"]["fields"][0]["field"] == "page"
    assert call("DELETE", "/my/things/a\x00b", claims=OF_CLAIMS)[0] == 404
    assert call("DELETE", "/my/things/ab", claims=OF_CLAIMS)[0] == 204


# ---------------------------------------------------------------------- the OpenAPI document
def operations():
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    schema = app.get_openapi_schema(security_schemes={"cognito": HTTPBearer()}).model_dump(
        mode="json", by_alias=True, exclude_none=True
    )
    return schema, {(m.upper(), p): op for p, item in schema["paths"].items() for m, op in item.items()}


def test_every_route_declares_its_statuses_with_the_error_body():
    schema, ops = operations()
    expected = {
        ("POST", "/things"): {"200", "400", "415", "422", "500"},
        ("GET", "/raise/{kind}"): {"200", "404", "422", "500"},
        ("POST", "/moderation/things/{thing_id}"): {"200", "400", "401", "403", "404", "409", "415", "422", "500"},
        ("GET", "/my/things"): {"200", "401", "403", "422", "500"},
        ("DELETE", "/my/things/{thing_id}"): {"204", "401", "403", "404", "422", "500"},
    }
    for key, statuses in expected.items():
        responses = ops[key]["responses"]
        assert set(map(str, responses)) == statuses, key
        for status, response in responses.items():
            if int(status) >= 400:
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
                assert response["description"]
    assert ops[("DELETE", "/my/things/{thing_id}")]["responses"]["204"].get("content") in (None, {})
    assert ops[("POST", "/things")]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Answer"
    }
    error = schema["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["error"]
    detail = schema["components"]["schemas"]["ErrorDetail"]
    assert set(detail["properties"]) == {"code", "message", "fields"}


# ---------------------------------------------------------------------- traces and metrics
def test_metrics_counted_during_a_request_are_flushed_once(capsys):
    assert call("POST", "/counted", {"name": "a", "count": 1})[0] == 200
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    emf = [p for p in printed if "_aws" in p]
    assert len(emf) == 1 and emf[0]["ThingCounted"] in (1.0, [1.0])
    assert emf[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "OFeli"
    assert observability.metrics().metric_set == {}


def test_a_request_that_counts_nothing_prints_no_metric_and_warns_nothing(capsys, recwarn):
    assert call("POST", "/things", {"name": "a", "count": 1})[0] == 200
    assert "_aws" not in capsys.readouterr().out
    assert [str(w.message) for w in recwarn] == []


def test_the_handler_is_traced_from_its_first_invocation(monkeypatch):
    traced = []

    class Tracer:
        def capture_lambda_handler(self, handler, capture_response=True):
            def wrapper(event, context):
                traced.append(capture_response)
                return handler(event, context)

            return wrapper

    monkeypatch.setattr(observability, "tracer", Tracer)
    fresh = lambda_handler(app)
    assert traced == []
    event = {"path": "/things", "httpMethod": "POST", "headers": {"Content-Type": "application/json"}}
    event |= {"requestContext": {"requestId": "r"}, "body": json.dumps({"name": "a", "count": 1})}
    assert fresh(event, Context())["statusCode"] == 200
    assert fresh(event, Context())["statusCode"] == 200
    assert traced == [False, False]  # responses stay out of traces (tokens, personal data)


def test_importing_a_function_makes_neither_tracer_nor_metrics():
    code = (
        "import sys; sys.path.insert(0, 'functions/accounts'); import app; from ofeli import observability; "
        "print(observability.tracer.cache_info().currsize, observability.metrics.cache_info().currsize, "
        "any(m.startswith('aws_xray_sdk') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["0", "0", "False"], result.stdout + result.stderr


def test_two_instances_handling_requests_at_once_each_see_their_own_caller():
    """The local stack runs a function's instances side by side in one process, as Lambda runs them in
    separate ones: each must answer its own request (its event, its caller), not the last one received."""
    apps = [make_app(), make_app()]
    both_inside = threading.Barrier(2, timeout=10)

    def route(app_: Any) -> None:
        @app_.get("/who")
        def who(identity: Annotated[Identity, Depends(user)]) -> Caller:
            both_inside.wait()  # the other instance has received its request too
            return Caller(email=identity.email, request_id=app_.current_event.request_context.request_id)

    for app_ in apps:
        route(app_)
    handlers = [lambda_handler(app_) for app_ in apps]

    def one(index: int) -> dict[str, str]:
        email = f"personne{index}@of.test"
        event = {
            "resource": "/who",
            "path": "/who",
            "httpMethod": "GET",
            "headers": {},
            "multiValueHeaders": {},
            "queryStringParameters": None,
            "multiValueQueryStringParameters": None,
            "pathParameters": None,
            "requestContext": {
                "requestId": f"r{index}",
                "resourcePath": "/who",
                "httpMethod": "GET",
                "stage": "v1",
                "authorizer": {"claims": {"sub": f"u{index}", "email": email}},
            },
            "body": None,
            "isBase64Encoded": False,
        }
        response = handlers[index](event, Context())
        assert response["statusCode"] == 200, response
        return json.loads(response["body"])

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(one, [0, 1]))
    assert [(a["email"], a["request_id"]) for a in answers] == [
        ("personne0@of.test", "r0"),
        ("personne1@of.test", "r1"),
    ]


class Caller(BaseModel):
    email: str
    request_id: str
