"""Messages and memos.

- `STRUCTURE#<siret>` / `MESSAGE#<created_at>#<id>`: the thread of a structure, oldest first;
  `gsi2`: `MESSAGES` / `<created_at>#<siret>`, so moderators see the latest messages of every thread.
- `USER#<user id>` / `MEMO#<created_at>#<id>`: a user's personal memos.
- `USER#<user id>` / `READ#<siret>`: up to when the user has read the structure's thread.
- `STRUCTURE#<siret>` / `THREAD`: how many of the OF's messages the Carif-Oref has not read yet
  (`unread`); while some wait, also `gsi2`: `AWAITING_CARIF` / `<first waiting message>#<siret>`, so the
  moderators' alerts count them with one query. Any moderator reading or answering the thread clears it:
  the Carif-Oref reads as one team.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ofeli.domain.errors import NotFound
from ofeli.settings import settings
from ofeli.store import table
from ofeli.store.table import Item

AWAITING = "AWAITING_CARIF"


def _thread_update(siret: str, message: Item) -> dict[str, Any]:
    values: dict[str, Any]
    if message["from_carif"]:  # an answer: the thread no longer waits
        expression, values = "SET unread = :zero REMOVE gsi2pk, gsi2sk", {":zero": 0}
    else:
        expression = "SET gsi2pk = :awaiting, gsi2sk = if_not_exists(gsi2sk, :since), siret = :siret ADD unread :one"
        values = {
            ":awaiting": AWAITING,
            ":since": f"{message['created_at']}#{siret}",
            ":siret": siret,
            ":one": 1,
        }
    return {
        "Update": {
            "TableName": settings().table,
            "Key": {"pk": f"STRUCTURE#{siret}", "sk": "THREAD"},
            "UpdateExpression": expression,
            "ExpressionAttributeValues": values,
        }
    }


def post(siret: str, message: Item) -> Item:
    item = {
        "pk": f"STRUCTURE#{siret}",
        "sk": f"MESSAGE#{message['created_at']}#{message['id']}",
        "gsi2pk": "MESSAGES",
        "gsi2sk": f"{message['created_at']}#{siret}",
        "siret": siret,
        **message,
    }
    table.transact([table.tx_put_new(item), _thread_update(siret, message)], conflict="Ce message existe déjà.")
    return {**item, "version": 1}


def carif_read(siret: str) -> None:
    """A moderator has read the thread: none of its messages waits for the Carif-Oref any more."""
    try:
        table.table().update_item(
            Key={"pk": f"STRUCTURE#{siret}", "sk": "THREAD"},
            UpdateExpression="SET unread = :zero REMOVE gsi2pk, gsi2sk",
            ConditionExpression="attribute_exists(gsi2pk)",
            ExpressionAttributeValues={":zero": 0},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise


def awaiting_carif() -> list[Item]:
    """The threads with messages the Carif-Oref has not read, the longest waiting first."""
    return list(table.query_all(AWAITING, index="gsi2"))


def thread(siret: str) -> list[Item]:
    return list(table.query_all(f"STRUCTURE#{siret}", sk_prefix="MESSAGE#"))


def latest(limit: int = 50) -> list[Item]:
    return table.query("MESSAGES", index="gsi2", limit=limit, forward=False).items


def add_memo(user_id: str, memo: Item) -> Item:
    item = {"pk": f"USER#{user_id}", "sk": f"MEMO#{memo['created_at']}#{memo['id']}", **memo}
    return table.put_new(item, conflict="Ce mémo existe déjà.")


def memos(user_id: str) -> list[Item]:
    return list(table.query_all(f"USER#{user_id}", sk_prefix="MEMO#"))


def delete_memo(user_id: str, memo_id: str) -> None:
    """A memo is the user's own note: deleting it removes it. Only its owner's partition is searched."""
    for item in memos(user_id):
        if item["id"] == memo_id:
            try:
                table.table().delete_item(
                    Key={"pk": item["pk"], "sk": item["sk"]}, ConditionExpression="attribute_exists(pk)"
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
                break
            return
    raise NotFound("Ce mémo n'existe pas (ou plus).")


def mark_read(user_id: str, siret: str, at: str) -> None:
    """The user has read the thread up to `at` (never moved backwards)."""
    try:
        table.table().put_item(
            Item={"pk": f"USER#{user_id}", "sk": f"READ#{siret}", "at": at},
            ConditionExpression="attribute_not_exists(pk) OR #at < :at",
            ExpressionAttributeNames={"#at": "at"},
            ExpressionAttributeValues={":at": at},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise


def read_up_to(user_id: str, siret: str) -> str:
    item = table.get(f"USER#{user_id}", f"READ#{siret}")
    return str(item["at"]) if item else ""
