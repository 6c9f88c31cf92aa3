"""One Logger, Tracer and Metrics for the whole product, made at first use (not at import).

Handlers are wrapped by `ofeli.api.lambda_handler` (and the worker), which flushes the metrics and
traces the invocation; services count their business events with `count("RequestApproved")`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

SERVICE = "ofeli"
NAMESPACE = "OFeli"


@cache
def logger() -> Any:
    from aws_lambda_powertools import Logger

    return Logger(service=SERVICE)


@cache
def metrics() -> Any:
    from aws_lambda_powertools import Metrics

    return Metrics(namespace=NAMESPACE, service=SERVICE)


@cache
def tracer() -> Any:
    from aws_lambda_powertools import Tracer

    return Tracer(service=SERVICE)


def count(name: str, value: int = 1) -> None:
    """One business event (an approved request, a decided submission, a used key, a locked sign-in)."""
    from aws_lambda_powertools.metrics import MetricUnit

    metrics().add_metric(name=name, unit=MetricUnit.Count, value=value)


Handler = Callable[[dict[str, Any], Any], Any]


def entry_point(function: Handler, *, correlation_id_path: str | None = None) -> Handler:
    """A Lambda entry point around `function`: logs carry the request id (and the correlation id found
    at `correlation_id_path`), the invocation is traced (without its response: it may hold tokens and
    personal data) and the business events counted during it are flushed.

    The decorated handler is built at the first invocation, not at import: Tracer and Metrics stay out
    of a function's cold start.
    """

    @cache
    def instrumented() -> Handler:
        logged = logger().inject_lambda_context(correlation_id_path=correlation_id_path, clear_state=True)(function)
        traced = tracer().capture_lambda_handler(logged, capture_response=False)

        def measured(event: dict[str, Any], context: Any) -> Any:
            try:
                return traced(event, context)
            finally:
                # What `Metrics.log_metrics` does, without its warning when nothing was counted.
                if metrics().metric_set:
                    metrics().flush_metrics()

        return measured

    def handler(event: dict[str, Any], context: Any) -> Any:
        return instrumented()(event, context)

    return handler
