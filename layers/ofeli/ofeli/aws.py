"""Lazily created, cached boto3 clients (one per service for the life of the process).

Only `ofeli.store` and `ofeli.mail` use them; the domain never does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=10)


@cache
def client(service: str) -> Any:
    return boto3.session.Session().client(service, config=_CONFIG)


@cache
def dynamodb() -> Any:
    """The DynamoDB resource: items in and out as Python values (Decimal for numbers)."""
    return boto3.session.Session().resource("dynamodb", config=_CONFIG)


def reset() -> None:
    """Forget every client (after the environment's endpoint changed, in tests and the local stack)."""
    client.cache_clear()
    dynamodb.cache_clear()
