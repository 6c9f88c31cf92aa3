"""What every function's `app.py` uses: the resolver factory, the Lambda entry point, the caller's identity.

A handler module does:

    app = make_app()

    @app.get("/me", security=USER, responses=answers(404))
    def me(identity: Annotated[Identity, Depends(user)]) -> Me: ...

    handler = lambda_handler(app)

The resolver (`ofeli.api.resolver`) resolves who calls before it validates what they sent, refuses what
no route accepts (`ofeli.api.inputs`: 400, 415, 422, 404), and documents every status a route answers
(`ofeli.api.responses`: the generic ones added from the route's shape, `answers(...)` for the rest).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig
from aws_lambda_powertools.utilities.typing import LambdaContext

from ofeli import observability
from ofeli.api import errors
from ofeli.api.errors import ErrorBody
from ofeli.api.identity import moderator, partner, user
from ofeli.api.resolver import Resolver
from ofeli.api.responses import answers

__all__ = ["PARTNER", "USER", "ErrorBody", "answers", "lambda_handler", "make_app", "moderator", "partner", "user"]

# OpenAPI security of a route: `security=USER` behind the Cognito authorizer, `security=PARTNER` for
# API keys (the schemes themselves are described by the docs function, which merges the document).
USER: list[dict[str, list[str]]] = [{"cognito": []}]
PARTNER: list[dict[str, list[str]]] = [{"partner": []}]

LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


class _SettingsCors(CORSConfig):
    """CORS for the web origin, read from the settings at the first request, not at import."""

    def __init__(self) -> None:
        super().__init__(allow_headers=["X-Correlation-Id"], expose_headers=["X-Correlation-Id"], max_age=600)

    @property  # type: ignore[override]
    def _allowed_origins(self) -> list[str]:
        from ofeli.settings import settings  # read at the first request, not at import

        return [settings().web_origin]

    @_allowed_origins.setter
    def _allowed_origins(self, _value: list[str]) -> None:
        """Set by the parent's constructor; the settings are the truth."""


def make_app() -> APIGatewayRestResolver:
    app = Resolver(
        enable_validation=True,
        cors=_SettingsCors(),
        # A response that breaks its own model is our bug: a 500, never a 422 (DESIGN.md rule 2).
        response_validation_error_http_code=500,
    )
    errors.register(app)
    return app


def lambda_handler(app: APIGatewayRestResolver) -> LambdaHandler:
    """The Lambda entry point of a resolver (`observability.entry_point`: logged, traced, measured, built
    at the first invocation); responses echo the correlation id."""
    from aws_lambda_powertools.logging import correlation_paths

    def resolve(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        response = app.resolve(event, context)
        correlation_id = observability.logger().get_correlation_id()
        if correlation_id:
            response.setdefault("multiValueHeaders", {})["X-Correlation-Id"] = [str(correlation_id)]
        return response

    return observability.entry_point(resolve, correlation_id_path=correlation_paths.API_GATEWAY_REST)
