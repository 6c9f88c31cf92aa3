"""Failed sign-ins per e-mail: `LOGIN#<email>` / `FAILURES` (expires with its TTL)."""

from __future__ import annotations

from botocore.exceptions import ClientError

from ofeli.domain.login import LOCK_SECONDS, MAX_FAILURES, WINDOW_SECONDS
from ofeli.store import table


def _key(email: str) -> dict[str, str]:
    return {"pk": f"LOGIN#{email}", "sk": "FAILURES"}


def locked(email: str, now: int) -> bool:
    item = table.get(f"LOGIN#{email}", "FAILURES", consistent=True)
    return item is not None and int(item.get("locked_until", 0)) > now


def record_failure(email: str, now: int) -> None:
    """Count a failure in the current 15-minute window (a new window starts after it); the fifth locks."""
    try:
        out = table.table().update_item(
            Key=_key(email),
            UpdateExpression="ADD failures :one SET expires_at = :expires",
            ConditionExpression="attribute_exists(pk) AND window_start > :window_opened_after",
            ExpressionAttributeValues={
                ":one": 1,
                ":expires": now + WINDOW_SECONDS + LOCK_SECONDS,
                ":window_opened_after": now - WINDOW_SECONDS,
            },
            ReturnValues="ALL_NEW",
        )
        failures = int(out["Attributes"]["failures"])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
        table.table().put_item(
            Item={**_key(email), "failures": 1, "window_start": now, "expires_at": now + WINDOW_SECONDS + LOCK_SECONDS}
        )
        failures = 1
    if failures >= MAX_FAILURES:
        table.table().update_item(
            Key=_key(email),
            UpdateExpression="SET locked_until = :until, expires_at = :until",
            ExpressionAttributeValues={":until": now + LOCK_SECONDS},
        )


def clear(email: str) -> None:
    table.table().delete_item(Key=_key(email))
