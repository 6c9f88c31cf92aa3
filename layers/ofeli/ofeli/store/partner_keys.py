"""Partner API keys, stored hashed (the key itself is shown once, at its creation, and never kept).

- `PARTNER_KEY#<sha256 of the key>` / `KEY`: `id`, `name`, `created_at`, `created_by`, `revoked_at`,
  `revoked_by`, `last_used_at`; a request's key resolves with one GetItem on its hash. Filed under
  `gsi1`: `PARTNER_KEYS` / `<id>`: the moderators' list is one Query, a key's id finds it.
  Revoked keys are kept (who had access, until when).
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from ofeli.domain.errors import Conflict
from ofeli.store import table
from ofeli.store.table import Item

LIST = "PARTNER_KEYS"


def _pk(key_hash: str) -> str:
    return f"PARTNER_KEY#{key_hash}"


def create(key_hash: str, fields: Item) -> Item:
    return table.put_new(
        {"pk": _pk(key_hash), "sk": "KEY", "gsi1pk": LIST, "gsi1sk": str(fields["id"]), **fields},
        conflict="Cette clé existe déjà.",
    )


def by_hash(key_hash: str) -> Item | None:
    return table.get(_pk(key_hash), "KEY")


def all_keys() -> list[Item]:
    return list(table.query_all(LIST, index="gsi1"))


def by_id(key_id: str) -> Item | None:
    page = table.query(LIST, index="gsi1", sk_prefix=key_id)
    found = next((i for i in page.items if i.get("id") == key_id), None)
    return table.get(found["pk"], "KEY", consistent=True) if found else None  # the index lags: read the item


def revoke(item: Item, *, at: str, by: str) -> Item:
    """Revoked once: a key already revoked is a Conflict."""
    try:
        out = table.table().update_item(
            Key={"pk": item["pk"], "sk": "KEY"},
            UpdateExpression="SET revoked_at = :at, revoked_by = :by, #version = #version + :one",
            ConditionExpression="attribute_exists(pk) AND attribute_not_exists(revoked_at)",
            ExpressionAttributeNames={"#version": "version"},
            ExpressionAttributeValues={":at": at, ":by": by, ":one": 1},
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            raise Conflict("Cette clé partenaire est déjà révoquée.") from error
        raise
    return table.plain(out["Attributes"])


def mark_used(item: Item, *, at: str, not_since: str) -> None:
    """`last_used_at` set to `at`, at most once per period (unless it was set after `not_since`), and never
    on a revoked key."""
    try:
        table.table().update_item(
            Key={"pk": item["pk"], "sk": "KEY"},
            UpdateExpression="SET last_used_at = :at",
            ConditionExpression=(
                "attribute_exists(pk) AND attribute_not_exists(revoked_at) "
                "AND (attribute_not_exists(last_used_at) OR last_used_at < :since)"
            ),
            ExpressionAttributeValues={":at": at, ":since": not_since},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
