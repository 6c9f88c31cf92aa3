"""What no route accepts, checked once for every route before it validates its own input.

- A body is read only by a route that declares one: it must be JSON (`Content-Type: application/json`,
  UTF-8), parse, nest at most `MAX_DEPTH` levels (400 / 415 otherwise), and hold only integers that fit in
  64 bits, finite numbers and texts without control characters (422 naming each field otherwise).
- A query parameter the route declares holds one line of text (422 naming it otherwise).
- A path parameter holds no control character (404: no such address).

Powertools would answer 422 for a body that is not JSON and 500 for one that is not UTF-8; DynamoDB
refuses numbers beyond 38 digits (a 500) and no store can encode a lone surrogate.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from ofeli.api.errors import (
    INVALID_JSON,
    INVALID_REQUEST,
    INVALID_UTF8,
    TOO_DEEP,
    UNSUPPORTED_MEDIA_TYPE,
    InvalidRequest,
    MalformedBody,
    UnsupportedMediaType,
    field_name,
)
from ofeli.domain.errors import FieldError, NotFound
from ofeli.domain.text import control_error, line_error

MAX_DEPTH = 32
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
OUT_OF_RANGE = "Ce nombre est hors des limites acceptées (un entier doit tenir sur 64 bits)."
NO_SUCH_ADDRESS = "Cette adresse n'existe pas dans l'API OFeli."


class _TooLong:
    """An integer written with more digits than any 64-bit one: kept apart, not converted (no CPU spent)."""


_TOO_LONG = _TooLong()


def _integer(text: str) -> int | _TooLong:
    return int(text) if len(text.lstrip("-")) <= 19 else _TOO_LONG


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity, -Infinity: Python's extension, not JSON


def is_json(content_type: str | None) -> bool:
    """`application/json`, with or without `charset=utf-8`."""
    media_type, _, parameters = (content_type or "").partition(";")
    if media_type.strip().lower() != "application/json":
        return False
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in {"utf-8", "utf8"}:
            return False
    return True


def body_text(event: dict[str, Any]) -> str | None:
    """The body as text, or None when there is none; 415 / 400 when it cannot be JSON text.

    Media types are case-insensitive (`Application/JSON`) but Powertools compares them as written: an
    accepted one is rewritten in the event as Powertools expects it.
    """
    body = event.get("body")
    if body is None or body == "":
        return None
    headers = event.get("headers") or {}
    name = next((key for key in headers if key.lower() == "content-type"), None)
    if name is None or not is_json(headers[name]):
        raise UnsupportedMediaType(UNSUPPORTED_MEDIA_TYPE)
    headers[name] = "application/json"
    if not event.get("isBase64Encoded"):
        return str(body)
    try:
        raw = base64.b64decode(str(body), validate=True)
    except (binascii.Error, ValueError):
        raise MalformedBody(INVALID_JSON) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedBody(INVALID_UTF8) from None


def parse_json(text: str) -> Any:
    """The JSON value of a body, or 400 (malformed, too deep) / 422 (a field no route accepts)."""
    try:
        value = json.loads(text, parse_int=_integer, parse_constant=_no_constant)
    except RecursionError:
        raise MalformedBody(TOO_DEEP.format(depth=MAX_DEPTH)) from None
    except ValueError:
        raise MalformedBody(INVALID_JSON) from None
    problems: list[FieldError] = []
    _walk(value, (), 0, problems)
    if problems:
        raise InvalidRequest(INVALID_REQUEST, problems)
    return value


def _walk(value: Any, path: tuple[Any, ...], depth: int, problems: list[FieldError]) -> None:
    if isinstance(value, dict | list):
        if depth >= MAX_DEPTH:
            raise MalformedBody(TOO_DEEP.format(depth=MAX_DEPTH))
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(key, str) and (error := control_error(key)):
                problems.append(FieldError(field_name(("body", *path, key)), error))
            _walk(item, (*path, key), depth + 1, problems)
    elif isinstance(value, str):
        if error := control_error(value):
            problems.append(FieldError(field_name(("body", *path)), error))
    elif _out_of_range(value):
        problems.append(FieldError(field_name(("body", *path)), OUT_OF_RANGE))


def _out_of_range(value: Any) -> bool:
    if value is _TOO_LONG:
        return True
    if isinstance(value, int) and not isinstance(value, bool):
        return not INT_MIN <= value <= INT_MAX
    return isinstance(value, float) and not math.isfinite(value)  # 1e400 parses as infinity


def check_path(arguments: Mapping[str, Any]) -> None:
    """A path parameter with a control character names no resource: 404, as an unknown address."""
    if any(isinstance(v, str) and line_error(v) for v in arguments.values()):
        raise NotFound(NO_SUCH_ADDRESS)


def check_query(parameters: Mapping[str, Iterable[str] | str | None], declared: Iterable[str]) -> None:
    """The query parameters a route declares hold one line of text each."""
    problems = []
    for name in declared:
        values = parameters.get(name)
        for value in [values] if isinstance(values, str) else values or []:
            if error := line_error(str(value)):
                problems.append(FieldError(name, error))
                break
    if problems:
        raise InvalidRequest(INVALID_REQUEST, problems)
