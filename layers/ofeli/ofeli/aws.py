"""Lazily created, cached boto3 clients (one per service for the life of the process).

Only `ofeli.store` and `ofeli.mail` use them; the domain never does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

_FORGET: list[Callable[[], None]] = []


@cache
def _boto3() -> tuple[Any, Any]:
    """boto3 and the clients' configuration, imported at the first AWS call rather than at import time
    (a function pays for boto3 when a route needs it, not to import its module)."""
    import boto3
    from botocore.config import Config

    return boto3, Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=10)


@cache
def client(service: str) -> Any:
    boto3, config = _boto3()
    return boto3.session.Session().client(service, config=config)


@cache
def dynamodb() -> Any:
    """The DynamoDB resource: items in and out as Python values (Decimal for numbers)."""
    boto3, config = _boto3()
    return boto3.session.Session().resource("dynamodb", config=config)


def on_reset(forget: Callable[[], None]) -> Callable[[], None]:
    """Register what a container holds of what it read (a cache of the region's search rows): `reset`
    forgets it with the clients."""
    _FORGET.append(forget)
    return forget


def reset() -> None:
    """Forget every client and what was read through them (after the environment's endpoint changed or
    its data was replaced, in tests and the local stack: as a new container would)."""
    client.cache_clear()
    dynamodb.cache_clear()
    for forget in _FORGET:
        forget()
