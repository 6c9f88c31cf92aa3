"""What a job did, so that a retried or twice-delivered message does its work once.

- `JOB#<job id>` / `RUN`: `state` running (with `lease_until` and the `token` of the delivery that
  holds it) or done; expires (TTL) after the dead-letter queue's retention.

SQS delivers a message at least once, and again when its job failed. A job claims its id before its
work and marks it done after: a delivery that finds it done does nothing, one that finds it running
under a live lease fails (SQS retries it later, and it then finds it done). A failed job gives its
claim back; a job that died between its work and its mark leaves a lease that runs out, and the next
delivery does the work again: a side effect can happen twice in that rare case, never zero times.
"""

from __future__ import annotations

import uuid
from typing import Literal

from botocore.exceptions import ClientError

from ofeli.store import table

KEPT_SECONDS = 15 * 24 * 3600  # longer than the dead-letter queue keeps a message (14 days)


def _key(job_id: str) -> dict[str, str]:
    return {"pk": f"JOB#{job_id}", "sk": "RUN"}


def _failed_condition(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def claim(job_id: str, *, now: int, lease: int) -> str | Literal["done", "busy"]:
    """Take the job for `lease` seconds: a token to finish or release it with, or "done" / "busy"."""
    token = uuid.uuid4().hex
    try:
        table.table().put_item(
            Item={
                **_key(job_id),
                "state": "running",
                "token": token,
                "lease_until": now + lease,
                "expires_at": now + KEPT_SECONDS,
            },
            ConditionExpression="attribute_not_exists(pk) OR (#state = :running AND lease_until < :now)",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={":running": "running", ":now": now},
        )
    except ClientError as error:
        if not _failed_condition(error):
            raise
        item = table.get(f"JOB#{job_id}", "RUN", consistent=True)
        return "done" if item is not None and item.get("state") == "done" else "busy"
    return token


def finish(job_id: str) -> None:
    """Mark the job done (whoever holds it now: the work is done either way)."""
    table.table().update_item(
        Key=_key(job_id),
        UpdateExpression="SET #state = :done REMOVE lease_until",
        ConditionExpression="attribute_exists(pk)",
        ExpressionAttributeNames={"#state": "state"},
        ExpressionAttributeValues={":done": "done"},
    )


def release(job_id: str, token: str) -> None:
    """Give the claim back after a failure, so that the retry does the work (only our own claim)."""
    try:
        table.table().delete_item(
            Key=_key(job_id),
            ConditionExpression="#state = :running AND #token = :token",
            ExpressionAttributeNames={"#state": "state", "#token": "token"},
            ExpressionAttributeValues={":running": "running", ":token": token},
        )
    except ClientError as error:
        if not _failed_condition(error):
            raise
