"""One Logger, Tracer and Metrics for the whole product, made at first use (not at import).

Handlers are wrapped by `ofeli.api.lambda_handler` (and the worker), which flushes the metrics and
traces the invocation; services count their business events with `count("RequestApproved")`.
"""

from __future__ import annotations

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
