"""The caller, from the authorizer's context (Cognito claims) or a partner's `X-Api-Key`, as `Depends`
for routes."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.request import Request

from ofeli.domain.errors import Unauthorized
from ofeli.domain.identity import Identity, parse_groups, require_moderator

SIGN_IN = "Vous devez être connecté pour accéder à cette page."


def user(request: Request) -> Identity:
    """The signed-in OF user or moderator (API Gateway has checked the ID token)."""
    context = request.resolved_event.get("requestContext") or {}
    claims = (context.get("authorizer") or {}).get("claims") or {}
    user_id = claims.get("sub")
    if not user_id:
        raise Unauthorized(SIGN_IN)
    return Identity(
        user_id=str(user_id),
        email=str(claims.get("email", "")),
        groups=parse_groups(claims.get("cognito:groups")),
    )


def moderator(request: Request) -> Identity:
    identity = user(request)
    require_moderator(identity)
    return identity


def partner(request: Request) -> Any:
    """A partner machine (`ofeli.domain.partners.PartnerKeyView`): its `X-Api-Key` (no Cognito authorizer
    on its routes) must be a key moderators created and did not revoke; else 401."""
    from ofeli.services import partners  # the key's look-up: imported by the partner routes only

    return partners.authenticate(request.resolved_event.headers.get("X-Api-Key"))  # headers: case-insensitive
