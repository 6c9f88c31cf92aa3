"""The one place where errors become HTTP responses (DESIGN.md rule 2).

Body: {"error": {"code", "message" (French), "fields": [{"field", "message"}]}} (`ErrorBody`, which the
OpenAPI document declares on every status a route can answer).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
    ResponseValidationError,
)
from pydantic import Field

from ofeli import observability
from ofeli.domain.errors import DomainError, FieldError
from ofeli.domain.model import Model

INVALID_REQUEST = "La requête contient des erreurs : corrigez les champs signalés."
INVALID_JSON = "Le corps de la requête n'est pas un JSON valide."
INVALID_UTF8 = "Le corps de la requête n'est pas un JSON valide : il doit être encodé en UTF-8."
TOO_DEEP = "Le corps de la requête n'est pas accepté : son JSON est imbriqué sur plus de {depth} niveaux."
UNSUPPORTED_MEDIA_TYPE = (
    "Le corps de la requête doit être du JSON encodé en UTF-8 (en-tête Content-Type: application/json)."
)
INTERNAL = (
    "Une erreur inattendue est survenue de notre côté. "
    "Réessayez dans un instant ; si elle persiste, contactez le Carif-Oref."
)

_LOCATIONS = {"body", "query", "path", "header", "cookie"}


class MalformedBody(DomainError):
    """A body that cannot be read at all: not JSON, not UTF-8, nested too deep."""

    status = 400
    code = "invalid_json"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


class InvalidRequest(DomainError):
    """Fields refused before the route's own validation (what no route accepts), named as it names them."""

    status = 422
    code = "invalid_request"


class ErrorField(Model):
    field: str = Field(description="Le champ en cause (`contact.email`, `data.emails.0.label`…)")
    message: str = Field(description="Ce qui ne va pas dans ce champ, en français")


class ErrorDetail(Model):
    code: str = Field(description="Code stable pour les programmes (`invalid_request`, `forbidden`…)")
    message: str = Field(description="Message en français, pour une personne")
    fields: list[ErrorField]


class ErrorBody(Model):
    """The body of every error answer of the API."""

    error: ErrorDetail


def error_body(code: str, message: str, fields: Iterable[FieldError] = ()) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "fields": [{"field": f.field, "message": f.message} for f in fields],
        }
    }


def error_response(status: int, code: str, message: str, fields: Iterable[FieldError] = ()) -> Response:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(error_body(code, message, fields), ensure_ascii=False),
    )


def field_name(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    return ".".join(parts) or "body"


def french_message(error: Mapping[str, Any]) -> str:
    """A person's sentence for one pydantic error."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "Ce champ est obligatoire."
    if kind == "value_error":
        message = str(error.get("msg", ""))
        return message.removeprefix("Value error, ") or "Ce champ n'est pas valide."
    if kind == "string_too_short":
        if ctx.get("min_length", 1) <= 1:
            return "Ce champ ne peut pas être vide."
        return f"Ce champ doit comporter au moins {ctx['min_length']} caractères."
    if kind == "string_too_long":
        return f"Ce champ ne peut pas dépasser {ctx.get('max_length')} caractères."
    if kind == "string_pattern_mismatch":
        return "Ce champ n'a pas le format attendu."
    if kind in {"string_type"}:
        return "Ce champ doit être un texte."
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "Ce champ doit être un nombre entier."
    if kind in {"float_parsing", "float_type", "decimal_parsing"}:
        return "Ce champ doit être un nombre."
    if kind in {"bool_parsing", "bool_type"}:
        return "Ce champ doit valoir vrai ou faux."
    if kind.startswith("date") or kind.startswith("datetime"):
        return "Ce champ doit être une date au format AAAA-MM-JJ."
    if kind.startswith("time"):
        return "Ce champ doit être une heure au format HH:MM."
    if kind in {"literal_error", "enum"}:
        expected = str(ctx.get("expected", "les valeurs proposées")).replace(" or ", " ou ")
        return f"Valeur non autorisée : choisissez parmi {expected}."
    if kind in {"greater_than_equal", "greater_than"}:
        return f"Ce champ doit être supérieur ou égal à {ctx.get('ge', ctx.get('gt'))}."
    if kind in {"less_than_equal", "less_than"}:
        return f"Ce champ doit être inférieur ou égal à {ctx.get('le', ctx.get('lt'))}."
    if kind in {"too_short"}:
        return "Cette liste doit comporter au moins un élément."
    if kind in {"too_long"}:
        return f"Cette liste ne peut pas dépasser {ctx.get('max_length')} éléments."
    if kind in {"list_type", "tuple_type", "set_type"}:
        return "Ce champ doit être une liste."
    if kind in {"model_attributes_type", "dict_type", "model_type"}:
        return "Ce champ doit être un objet."
    if kind == "json_invalid":
        return "Le corps de la requête n'est pas un JSON valide."
    if kind == "extra_forbidden":
        return "Ce champ n'est pas attendu."
    return "Ce champ n'est pas valide."


def register(app: APIGatewayRestResolver) -> None:
    """Install the mapping on a resolver (done by `ofeli.api.make_app`)."""

    @app.exception_handler(DomainError)
    def _domain(error: DomainError) -> Response:
        return error_response(error.status, error.code, error.message, error.fields)

    @app.exception_handler(RequestValidationError)
    def _request(error: RequestValidationError) -> Response:
        errors_ = error.errors()
        # `ofeli.api.inputs` reads every JSON body before Powertools does; these stay as a safety net.
        if any(e.get("type") == "json_invalid" for e in errors_):
            return error_response(MalformedBody.status, MalformedBody.code, INVALID_JSON)
        fields = [FieldError(field_name(e.get("loc", ())), french_message(e)) for e in errors_]
        return error_response(422, "invalid_request", INVALID_REQUEST, fields)

    @app.exception_handler(RequestUnsupportedContentType)
    def _media_type(_: RequestUnsupportedContentType) -> Response:
        return error_response(UnsupportedMediaType.status, UnsupportedMediaType.code, UNSUPPORTED_MEDIA_TYPE)

    @app.exception_handler(ResponseValidationError)
    def _response(error: ResponseValidationError) -> Response:
        observability.logger().error("response failed validation", extra={"errors": error.errors()})
        return error_response(500, "internal_error", INTERNAL)

    @app.not_found
    def _not_found(_: NotFoundError) -> Response:
        return error_response(404, "not_found", "Cette adresse n'existe pas dans l'API OFeli.")

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response:
        observability.logger().exception("unexpected error")
        return error_response(500, "internal_error", INTERNAL)
