"""Sign-in attempts per e-mail and 15-minute window: `LOGIN#<email>` / `WINDOW#<n>` (TTL `expires_at`).

- `attempts`: the attempts let through to Cognito in the window, counted *before* Cognito is called
  with one conditional `ADD`: whatever the parallelism, at most MAX_FAILURES of them are in flight or
  failed. A success gives back its own attempt, and only its own (signing in often locks nobody,
  and a success never clears the failures of an attacker's parallel attempts).
- `failures`: the attempts Cognito refused; the one that fills the window is the lock (a metric).

A password set with an activation key lifts the lock (`lift`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ofeli.domain.login import MAX_FAILURES, WINDOW_SECONDS, window_of
from ofeli.store import table


@dataclass(frozen=True)
class Attempt:
    """An attempt let through: the window it was counted in (the one to give it back to)."""

    email: str
    window: int


def _key(email: str, window: int) -> dict[str, str]:
    return {"pk": f"LOGIN#{email}", "sk": f"WINDOW#{window}"}


def _update(key: dict[str, str], expression: str, condition: str, values: dict[str, Any]) -> dict[str, Any] | None:
    """One conditional update; the new values, or None when the condition failed."""
    try:
        out = table.table().update_item(
            Key=key,
            UpdateExpression=expression,
            ConditionExpression=condition,
            ExpressionAttributeValues=values,
            ReturnValues="UPDATED_NEW",
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return None
        raise
    return dict(out.get("Attributes", {}))


def begin(email: str, now: int) -> Attempt | None:
    """Count an attempt before asking Cognito; None when the window already holds MAX_FAILURES."""
    window = window_of(now, WINDOW_SECONDS)
    counted = _update(
        _key(email, window),
        "ADD attempts :one SET expires_at = :expires",
        "attribute_not_exists(attempts) OR attempts < :max",
        {":one": 1, ":max": MAX_FAILURES, ":expires": (window + 2) * WINDOW_SECONDS},
    )
    return None if counted is None else Attempt(email, window)


def succeeded(attempt: Attempt) -> None:
    """Give back the attempt of a sign-in that was not a wrong password (nothing when lifted meanwhile)."""
    _update(
        _key(attempt.email, attempt.window),
        "ADD attempts :minus_one",
        "attribute_exists(pk) AND attempts > :zero",
        {":minus_one": -1, ":zero": 0},
    )


def failed(attempt: Attempt) -> bool:
    """Record a wrong password; True when it is the one that locks the e-mail for the window."""
    counted = _update(
        _key(attempt.email, attempt.window),
        "ADD failures :one",
        "attribute_exists(pk)",
        {":one": 1},
    )
    return counted is not None and int(counted["failures"]) == MAX_FAILURES


def lift(email: str, now: int) -> None:
    """The owner proved who they are (a password set with a key): the window starts again from zero."""
    table.delete(f"LOGIN#{email}", f"WINDOW#{window_of(now, WINDOW_SECONDS)}")
