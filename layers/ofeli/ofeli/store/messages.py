"""Messages and memos.

- `STRUCTURE#<siret>` / `MESSAGE#<created_at>#<id>`: the thread of a structure, oldest first;
  `gsi2`: `MESSAGES` / `<created_at>#<siret>`, so moderators see the latest messages of every thread.
- `USER#<user id>` / `MEMO#<created_at>#<id>`: a user's personal memos.
- `USER#<user id>` / `READ#<siret>`: up to when the user has read the structure's thread.
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from ofeli.domain.errors import NotFound
from ofeli.store import table
from ofeli.store.table import Item


def post(siret: str, message: Item) -> Item:
    item = {
        "pk": f"STRUCTURE#{siret}",
        "sk": f"MESSAGE#{message['created_at']}#{message['id']}",
        "gsi2pk": "MESSAGES",
        "gsi2sk": f"{message['created_at']}#{siret}",
        "siret": siret,
        **message,
    }
    return table.put_new(item, conflict="Ce message existe déjà.")


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
