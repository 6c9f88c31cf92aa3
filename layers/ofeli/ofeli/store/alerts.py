"""What waits for the Carif-Oref, read from the waiting lists the other stores keep on `gsi2`, and the
marker of the last digest e-mailed to the moderation address (`ALERTS` / `DIGEST`)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ofeli.store import account_requests, contact_requests, messages, table, workflow
from ofeli.store.table import Item

# Each waiting list, with its sort key starting with the time the item started waiting.
LISTS = {
    "account_requests": account_requests.PENDING,
    "submissions": workflow.QUEUE,
    "unread_messages": messages.AWAITING,
    "contact_requests": contact_requests.PENDING,
}


def counts() -> dict[str, int]:
    """How many wait in each list; unread messages are counted one by one, not by thread."""
    out = {name: table.count(pk, index="gsi2") for name, pk in LISTS.items() if name != "unread_messages"}
    out["unread_messages"] = sum(int(thread.get("unread", 0)) for thread in messages.awaiting_carif())
    return out


def newest() -> str | None:
    """When the latest waiting item of any list started waiting (ISO time), or None when none waits."""
    times = []
    for pk in LISTS.values():
        page = table.query(pk, index="gsi2", limit=1, forward=False)
        if page.items:
            times.append(str(page.items[0]["gsi2sk"]).split("#", 1)[0])
    return max(times) if times else None


def last_digest() -> Item | None:
    return table.get("ALERTS", "DIGEST", consistent=True)


def record_digest(previous: Item | None, *, sent_at: str, newest: str) -> bool:
    """Record a digest unless another run recorded one since `previous` was read; False then."""
    condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
    if previous is not None:
        condition = {
            "ConditionExpression": "#version = :seen",
            "ExpressionAttributeNames": {"#version": "version"},
            "ExpressionAttributeValues": {":seen": previous["version"]},
        }
    try:
        table.table().put_item(
            Item={
                "pk": "ALERTS",
                "sk": "DIGEST",
                "sent_at": sent_at,
                "newest": newest,
                "version": 1 if previous is None else previous["version"] + 1,
            },
            **condition,
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True
