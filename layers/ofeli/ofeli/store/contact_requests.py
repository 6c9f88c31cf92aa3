"""Contact requests: the free text an OF sends the Carif-Oref to add or remove a contact.

- `CONTACTREQUEST#<id>` / `REQUEST`: the request; while pending, also `gsi2`: `CONTACT_REQUESTS` /
  `<requested_at>#<id>` (the moderators' list, oldest first, is one query). Handled, it leaves the
  list and keeps who handled it and when.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ofeli.domain.errors import Conflict, NotFound
from ofeli.store import table
from ofeli.store.table import Item

PENDING = "CONTACT_REQUESTS"
ALREADY_DONE = "Cette demande a déjà été traitée (par vous dans un autre onglet, ou par un collègue)."


def key(request_id: str) -> str:
    return f"CONTACTREQUEST#{request_id}"


def tx_create(request: Item) -> dict[str, Any]:
    """The action that files a new request, to join the transaction that publishes its record."""
    return table.tx_put_new(
        {
            "pk": key(request["id"]),
            "sk": "REQUEST",
            "gsi2pk": PENDING,
            "gsi2sk": f"{request['requested_at']}#{request['id']}",
            "state": "pending",
            **request,
        }
    )


def pending() -> list[Item]:
    return list(table.query_all(PENDING, index="gsi2"))


def mark_done(request_id: str, *, done_by: str, done_at: str) -> Item:
    try:
        out = table.table().update_item(
            Key={"pk": key(request_id), "sk": "REQUEST"},
            UpdateExpression="SET #state = :done, done_by = :by, done_at = :at, #version = #version + :one "
            "REMOVE gsi2pk, gsi2sk",
            ConditionExpression="attribute_exists(pk) AND #state = :pending",
            ExpressionAttributeNames={"#state": "state", "#version": "version"},
            ExpressionAttributeValues={
                ":done": "done",
                ":by": done_by,
                ":at": done_at,
                ":one": 1,
                ":pending": "pending",
            },
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
        if table.get(key(request_id), "REQUEST", consistent=True) is None:
            raise NotFound("Cette demande de contact n'existe pas.") from error
        raise Conflict(ALREADY_DONE) from error
    return table.plain(out["Attributes"])
