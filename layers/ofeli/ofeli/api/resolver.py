"""The Powertools resolver every function uses, with three additions.

1. **Who before what.** Powertools validates a request (the first middleware of every route) before it
   resolves the route's `Depends`, so an OF user calling a moderator route with a wrong body got 422 and
   the list of the fields. Here the route's dependencies (who calls: `user`, `moderator`) are resolved
   first, in the same per-request cache Powertools uses later, then what no route accepts is refused
   (`ofeli.api.inputs`), then Powertools validates. Every present and future route gets this order.
2. **The OpenAPI document tells the truth.** Each route declares every status it can answer, with the
   error body (`ofeli.api.responses`).
3. **One event per thread** (`Resolver`), where Powertools keeps one per process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.openapi.constants import DEFAULT_OPENAPI_RESPONSE_DESCRIPTION

from ofeli.api import inputs
from ofeli.api.responses import documented

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
    from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

Handler = TypeVar("Handler", bound=Callable[..., Any])

# Where Powertools keeps the dependencies resolved for one request (shared by middlewares and the route).
_DEPENDENCY_CACHE = "_dependency_cache"


def _authorize_then_validate(validation: Callable[..., Any]) -> Callable[..., Any]:
    def authorize_then_validate(app: Resolver, next_middleware: NextMiddleware) -> Any:
        from aws_lambda_powertools.event_handler.depends import build_dependency_tree, solve_dependencies

        route = app.context["_route"]
        if getattr(route, "_ofeli_dependencies", None) is None:
            route._ofeli_dependencies = build_dependency_tree(route.func)
        if route._ofeli_dependencies.dependencies:
            solve_dependencies(
                dependant=route._ofeli_dependencies,
                request=app.request,
                dependency_overrides=app.dependency_overrides or None,
                dependency_cache=app.context.setdefault(_DEPENDENCY_CACHE, {}),
            )
        inputs.check_path(app.context.get("_route_args") or {})
        dependant = route.dependant
        if dependant.query_params:
            inputs.check_query(
                app.current_event.resolved_query_string_parameters or {},
                [param.alias for param in dependant.query_params],
            )
        if dependant.body_params:
            text = inputs.body_text(app.current_event.raw_event)
            if text is not None:
                # Powertools reads these cached properties next: it gets the body checked here.
                vars(app.current_event)["decoded_body"] = text
                vars(app.current_event)["json_body"] = inputs.parse_json(text)
        return validation(app, next_middleware)

    return authorize_then_validate


# The event and context of the invocation each thread handles (see `Resolver.current_event`).
_invocation = threading.local()


class Resolver(APIGatewayRestResolver):
    """Powertools' resolver, authorizing before validating (`_authorize_then_validate`), and keeping the
    event being handled per thread.

    Powertools (3.3x) assigns the event to the `BaseRouter` *class*, shared by every resolver of the
    process: right in Lambda, where a process handles one invocation at a time, wrong wherever several
    instances of a function run side by side in one process, as the local stack's do (a request would be
    answered with another's event, so with another person's identity).
    """

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        _invocation.event = self._to_proxy_event(dict(event))
        _invocation.context = context
        try:
            return super().resolve(event, context)
        finally:
            _invocation.event = _invocation.context = None

    @property  # type: ignore[override]
    def current_event(self) -> Any:
        return getattr(_invocation, "event", None)

    @current_event.setter
    def current_event(self, value: Any) -> None:
        _invocation.event = value

    @property  # type: ignore[override]
    def lambda_context(self) -> Any:
        return getattr(_invocation, "context", None)

    @lambda_context.setter
    def lambda_context(self, value: Any) -> None:
        _invocation.context = value

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # Set by Powertools when validation is on; every route's middleware stack starts with it.
        validation = getattr(self, "_request_validation_middleware", None)
        if validation is not None:
            self._request_validation_middleware = _authorize_then_validate(validation)  # type: ignore[assignment]

    def _add_resolver_response_validation_error_response_to_route(
        self,
        route_openapi_path: tuple[dict[str, Any], dict[str, Any]],
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Powertools replaces each route's 500 with its own `ResponseValidationError` schema; ours already
        declares its 500 with `ErrorBody`, the body `ofeli.api.errors` sends for a failed response."""
        return route_openapi_path

    def route(
        self,
        rule: str,
        method: str | list[str] | tuple[str],
        cors: bool | None = None,
        compress: bool = False,
        cache_control: str | None = None,
        summary: str | None = None,
        description: str | None = None,
        responses: dict[int, OpenAPIResponse] | None = None,
        response_description: str = DEFAULT_OPENAPI_RESPONSE_DESCRIPTION,
        tags: list[str] | None = None,
        operation_id: str | None = None,
        include_in_schema: bool = True,
        security: list[dict[str, list[str]]] | None = None,
        openapi_extensions: dict[str, Any] | None = None,
        deprecated: bool = False,
        enable_validation: bool | None = None,
        custom_response_validation_http_code: int | HTTPStatus | None = None,
        status_code: int = 200,
        middlewares: list[Callable[..., Any]] | None = None,
    ) -> Callable[[Handler], Handler]:
        def register(func: Handler) -> Handler:
            all_responses = responses
            if include_in_schema:
                all_responses = documented(
                    func,
                    method=method if isinstance(method, str) else method[0],
                    rule=rule,
                    status_code=status_code,
                    description=response_description,
                    security=security,
                    declared=responses,
                )
            register_route = APIGatewayRestResolver.route(
                self,
                rule,
                method,
                cors,
                compress,
                cache_control,
                summary,
                description,
                all_responses,
                response_description,
                tags,
                operation_id,
                include_in_schema,
                security,
                openapi_extensions,
                deprecated,
                enable_validation,
                custom_response_validation_http_code,
                status_code,
                middlewares,
            )
            return register_route(func)

        return register
