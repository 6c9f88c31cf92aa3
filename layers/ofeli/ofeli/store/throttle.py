"""Counters per key and fixed window: `THROTTLE#<scope>#<key>` / `WINDOW#<n>` (TTL `expires_at`).

One conditional `ADD` per hit: of any number of parallel hits on one key, exactly `limit` are counted
in a window and every other one is refused, whatever their order (DynamoDB applies the updates of one
item one after the other, each with its condition).
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from ofeli.domain.login import window_of
from ofeli.store import table


def _key(scope: str, key: str, window: int) -> dict[str, str]:
    return {"pk": f"THROTTLE#{scope}#{key}", "sk": f"WINDOW#{window}"}


def hit(scope: str, key: str, *, limit: int, window_seconds: int, now: int) -> bool:
    """Count one hit in the window holding `now`; False (and nothing counted) once `limit` is reached."""
    window = window_of(now, window_seconds)
    try:
        table.table().update_item(
            Key=_key(scope, key, window),
            UpdateExpression="ADD hits :one SET expires_at = :expires",
            ConditionExpression="attribute_not_exists(hits) OR hits < :limit",
            ExpressionAttributeValues={
                ":one": 1,
                ":limit": limit,
                ":expires": (window + 2) * window_seconds,
            },
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True
