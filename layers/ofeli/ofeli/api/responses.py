"""The statuses a route answers, as its OpenAPI document declares them, each error with `ErrorBody`.

Routes declare only what their use case can answer (`responses=answers(409, 423)`); the resolver of
`ofeli.api.make_app` adds what follows from the route's shape:

- every route: 422 (a field refused) and 500 (our bug);
- a route with a body: 400 (not JSON, not UTF-8, nested too deep) and 415 (not `application/json`);
- a route with a path parameter: 404;
- a secured route (`security=` or a `Depends` on the caller): 401 and 403;
- and its own success status, with its return model (no content for a 204).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin, get_type_hints

from ofeli.api.errors import ErrorBody

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

DESCRIPTIONS = {
    400: "Corps de la requête illisible : pas du JSON, pas de l'UTF-8, ou imbriqué trop profondément",
    401: "Non connecté : jeton absent, expiré ou invalide, ou identifiants incorrects",
    403: "Connecté, mais sans droit sur cette ressource ou cette action",
    404: "Ressource introuvable",
    409: "Conflit : la ressource a changé entre-temps ou la demande a déjà été traitée",
    410: "Clé d'activation déjà utilisée, remplacée ou expirée",
    415: "Type de contenu non pris en charge : envoyez du JSON (Content-Type: application/json)",
    422: "Saisie refusée : chaque champ en cause est nommé, avec un message en français",
    423: "Verrouillé : une demande de validation est en attente",
    429: "Trop de tentatives : réessayez plus tard",
    500: "Erreur inattendue de notre côté",
    503: "Un service extérieur (la Base Adresse Nationale) ne répond pas : réessayez ou saisissez à la main",
}
BODY_METHODS = {"POST", "PUT", "PATCH"}


def answers(*statuses: int) -> dict[int, OpenAPIResponse]:
    """`responses=` for a route: each status with its description and the error body."""
    return {
        status: {
            "description": DESCRIPTIONS.get(status, "Erreur"),
            "content": {"application/json": {"model": ErrorBody}},
        }
        for status in statuses
    }


def _markers(func: Callable[..., Any]) -> list[Any] | None:
    """The `Annotated` metadata of the route function's parameters (None when they cannot be read)."""
    try:
        hints = get_type_hints(func, include_extras=True)
    except Exception:  # a forward reference not yet defined: Powertools reads it later, we guess
        return None
    hints.pop("return", None)
    markers: list[Any] = []
    for hint in hints.values():
        if get_origin(hint) is Annotated:
            markers.extend(get_args(hint)[1:])
    return markers


def documented(
    func: Callable[..., Any],
    *,
    method: str,
    rule: str,
    status_code: int,
    description: str,
    security: object,
    declared: Mapping[int, OpenAPIResponse] | None,
) -> dict[int, OpenAPIResponse]:
    """Every status the route can answer: the generic ones, then what it declared, then its success."""
    from aws_lambda_powertools.event_handler import Depends
    from aws_lambda_powertools.event_handler.openapi.params import Body

    markers = _markers(func)
    if markers is None:
        has_body, secured = method.upper() in BODY_METHODS, bool(security)
    else:
        has_body = any(isinstance(m, Body) for m in markers)
        secured = bool(security) or any(isinstance(m, Depends) for m in markers)
    statuses = {422, 500}
    if has_body:
        statuses |= {400, 415}
    if "<" in rule:
        statuses.add(404)
    if secured:
        statuses |= {401, 403}
    responses = answers(*sorted(statuses))
    responses.update(declared or {})
    if status_code not in responses:
        success: OpenAPIResponse = {"description": description}
        if status_code == 204:
            success["content"] = {}
        responses[status_code] = success
    return dict(sorted(responses.items()))
