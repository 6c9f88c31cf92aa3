"""The API's own documentation: the OpenAPI document merged from every function's routes, and a page.

Deployed with the whole `functions/` folder as its code, so it reads the other functions' routes.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types

from ofeli.api import lambda_handler, make_app
from ofeli.api.modules import load_function_module

FUNCTIONS = Path(__file__).resolve().parent.parent

app = make_app()


@lru_cache(maxsize=1)
def security_schemes() -> dict[str, Any]:
    from aws_lambda_powertools.event_handler.openapi.models import APIKey, APIKeyIn, HTTPBearer

    return {
        "cognito": HTTPBearer(bearerFormat="JWT", description="Jeton d'identité Cognito (POST /auth/login)"),
        "partner": APIKey.model_validate(
            {"in": APIKeyIn.header, "name": "X-Api-Key", "description": "Clé API d'un partenaire"}
        ),
    }


@lru_cache(maxsize=1)
def openapi_json() -> str:
    """Built at the first request (the OpenAPI machinery stays out of the cold start)."""
    from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge

    merge = OpenAPIMerge(
        title="API OFeli",
        version="1.0.0",
        description="Déclaration, modération et publication de l'offre de formation (LHEO 2.3).",
        security_schemes=security_schemes(),
        on_conflict="error",
    )
    for path in sorted(FUNCTIONS.glob("*/app.py")):
        if path.parent.name == "docs":
            continue
        resolver = getattr(load_function_module(path), "app", None)
        if resolver is not None and hasattr(resolver, "get_openapi_schema"):
            merge.add_schema(resolver.get_openapi_schema(security_schemes=security_schemes()))
    return json.dumps(without_unused_schemas(json.loads(merge.get_openapi_json_schema())), ensure_ascii=False)


def without_unused_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """The document without the schemas no operation refers to (Powertools adds its own validation error
    bodies to every document; the API answers `ErrorBody` instead)."""
    schemas = document.get("components", {}).get("schemas", {})
    used: set[str] = set()
    pending = _references(document.get("paths", {}))
    while pending:
        name = pending.pop()
        if name not in used and name in schemas:
            used.add(name)
            pending |= _references(schemas[name])
    if schemas:
        document["components"]["schemas"] = {name: body for name, body in schemas.items() if name in used}
    return document


def _references(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["$ref"].rsplit("/", 1)[-1]} if isinstance(value.get("$ref"), str) else set()
        return found.union(*(_references(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_references(v) for v in value))
    return set()


@app.get("/openapi.json", include_in_schema=False)
def openapi():  # noqa: ANN201 (a raw Response: no model to validate)
    return Response(200, content_types.APPLICATION_JSON, openapi_json())


@app.get("/docs", include_in_schema=False)
def docs():  # noqa: ANN201
    # Swagger UI's module costs a fifth of a cold start: loaded only for this page.
    from aws_lambda_powertools.event_handler.openapi.swagger_ui.html import generate_swagger_html

    swagger = Path(generate_swagger_html.__code__.co_filename).parent
    html = generate_swagger_html(
        openapi_json().replace("</", "<\\/"),
        (swagger / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        (swagger / "swagger-ui.min.css").read_text(encoding="utf-8"),
        "",
        None,
    )
    html = html.replace("<html>", '<html lang="fr">', 1).replace(
        "<title>Swagger UI</title>", "<title>API OFeli</title>", 1
    )
    return Response(200, "text/html; charset=utf-8", html)


handler = lambda_handler(app)
