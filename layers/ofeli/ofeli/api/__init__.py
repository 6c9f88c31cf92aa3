"""What every function's `app.py` uses: the resolver factory, the Lambda entry point, the caller's identity.

A handler module does:

    app = make_app()

    @app.get("/me")
    def me(identity: Annotated[Identity, Depends(user)]) -> Me: ...

    handler = lambda_handler(app)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from ofeli.api import errors
from ofeli.api.identity import moderator, user
from ofeli.settings import settings

__all__ = ["PARTNER", "USER", "lambda_handler", "make_app", "moderator", "user"]

# OpenAPI security of a route: `security=USER` behind the Cognito authorizer, `security=PARTNER` for
# API keys (the schemes themselves are described by the docs function, which merges the document).
USER: list[dict[str, list[str]]] = [{"cognito": []}]
PARTNER: list[dict[str, list[str]]] = [{"partner": []}]

logger = Logger(service="ofeli")


class _SettingsCors(CORSConfig):
    """CORS for the web origin, read from the settings at the first request, not at import."""

    def __init__(self) -> None:
        super().__init__(allow_headers=["X-Correlation-Id"], expose_headers=["X-Correlation-Id"], max_age=600)

    @property  # type: ignore[override]
    def _allowed_origins(self) -> list[str]:
        return [settings().web_origin]

    @_allowed_origins.setter
    def _allowed_origins(self, _value: list[str]) -> None:
        """Set by the parent's constructor; the settings are the truth."""


def make_app() -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(
        enable_validation=True,
        cors=_SettingsCors(),
        # A response that breaks its own model is our bug: a 500, never a 422 (DESIGN.md rule 2).
        response_validation_error_http_code=500,
    )
    errors.register(app)
    return app


def lambda_handler(app: APIGatewayRestResolver) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """The Lambda entry point of a resolver: logs carry the request id, responses echo it."""

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        response = app.resolve(event, context)
        correlation_id = logger.get_correlation_id()
        if correlation_id:
            response.setdefault("multiValueHeaders", {})["X-Correlation-Id"] = [str(correlation_id)]
        return response

    return handler
