"""Activation keys, stored as their hash only.

- `ACTIVATION#<sha256>` / `KEY`: user, e-mail, purpose, `expires_at` (the TTL attribute); `used_at` or
  `revoked_at` once spent; `gsi1`: `USER#<user id>` / `ACTIVATION#<created_at>`, so a reset can revoke
  the user's earlier keys.
"""

from __future__ import annotations

from typing import Literal

from botocore.exceptions import ClientError

from ofeli import clock
from ofeli.domain.activation import EXPIRED, REPLACED, UNKNOWN, USED, VALIDITY, key_hash, new_key
from ofeli.domain.errors import Gone, NotFound
from ofeli.store import table
from ofeli.store.table import Item

Purpose = Literal["creation", "reset"]


def _key(hashed: str) -> tuple[str, str]:
    return f"ACTIVATION#{hashed}", "KEY"


def new_item(user_id: str, email: str, purpose: Purpose) -> tuple[str, Item]:
    """A fresh key (to e-mail) and the item that stores its hash (to write, alone or in a transaction)."""
    key = new_key()
    now = clock.now()
    pk, sk = _key(key_hash(key))
    item = {
        "pk": pk,
        "sk": sk,
        "gsi1pk": f"USER#{user_id}",
        "gsi1sk": f"ACTIVATION#{now.isoformat()}",
        "user_id": user_id,
        "email": email,
        "purpose": purpose,
        "created_at": now.isoformat(),
        "expires_at": int((now + VALIDITY).timestamp()),
    }
    return key, item


def consume(key: str) -> Item:
    """Spend a key, once: of two concurrent uses exactly one succeeds. Errors say why it cannot be used."""
    pk, sk = _key(key_hash(key))
    now = clock.seconds()
    try:
        out = table.table().update_item(
            Key={"pk": pk, "sk": sk},
            UpdateExpression="SET used_at = :now",
            ConditionExpression=(
                "attribute_exists(pk) AND attribute_not_exists(used_at) "
                "AND attribute_not_exists(revoked_at) AND expires_at > :now"
            ),
            ExpressionAttributeValues={":now": now},
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
        raise _why_unusable(table.get(pk, sk, consistent=True), now) from None
    return table.plain(out["Attributes"])


def _why_unusable(item: Item | None, now: int) -> Exception:
    if item is None:
        return NotFound(UNKNOWN)
    if "used_at" in item:
        return Gone(USED)
    if "revoked_at" in item:
        return Gone(REPLACED)
    if int(item.get("expires_at", 0)) <= now:
        return Gone(EXPIRED)
    return NotFound(UNKNOWN)


def release(key: str) -> None:
    """Give back a key whose password could not be set, so the person can try again."""
    pk, sk = _key(key_hash(key))
    table.table().update_item(Key={"pk": pk, "sk": sk}, UpdateExpression="REMOVE used_at")


def revoke_all(user_id: str) -> int:
    """Earlier keys of a user stop working (a reset was asked for). Returns how many were revoked."""
    now = clock.seconds()
    count = 0
    for item in table.query_all(f"USER#{user_id}", index="gsi1", sk_prefix="ACTIVATION#"):
        try:
            table.table().update_item(
                Key={"pk": item["pk"], "sk": item["sk"]},
                UpdateExpression="SET revoked_at = :now",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(used_at)",
                ExpressionAttributeValues={":now": now},
            )
            count += 1
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
    return count


def create(user_id: str, email: str, purpose: Purpose) -> str:
    key, item = new_item(user_id, email, purpose)
    table.put_new(item, conflict="Cette clé existe déjà.")
    return key
