"""Drafts, submissions and history of any record, beside its published item.

For a record whose published item is `<pk>` / `RECORD`:
- `<pk>` / `DRAFT`: the draft (`data`, `state` draft|submitted, author, times, last `comment`); once
  submitted, `gsi2`: `QUEUE` / `<submitted_at>#<submission id>` (the moderation queue, oldest first)
  and `gsi1`: `SUBMISSION#<id>` / `DRAFT` (a submission resolves with one query);
- `<pk>` / `HISTORY#<decided_at>#<id>`: one entry per published change, kept for good.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ofeli.domain.errors import Conflict
from ofeli.settings import settings
from ofeli.store import table
from ofeli.store.table import Item

QUEUE = "QUEUE"


def get_draft(pk: str) -> Item | None:
    return table.get(pk, "DRAFT", consistent=True)


def create_draft(pk: str, fields: dict[str, Any]) -> Item:
    return table.put_new({"pk": pk, "sk": "DRAFT", "state": "draft", **fields}, conflict="exists")


def _update(
    pk: str,
    expression: str,
    condition: str,
    values: dict[str, Any],
    names: dict[str, str],
    also: list[dict[str, Any]] | None = None,
) -> Item | None:
    """An update of the draft under `condition` (with `also`, the actions of what it changes elsewhere,
    in one transaction); None when the condition failed."""
    if also:
        draft = {
            "Update": {
                "TableName": settings().table,
                "Key": {"pk": pk, "sk": "DRAFT"},
                "UpdateExpression": expression,
                "ConditionExpression": condition,
                "ExpressionAttributeValues": table.stored(values),
                "ExpressionAttributeNames": names,
            }
        }
        try:
            table.transact([draft, *also])
        except Conflict:
            return None
        return get_draft(pk)
    try:
        out = table.table().update_item(
            Key={"pk": pk, "sk": "DRAFT"},
            UpdateExpression=expression,
            ConditionExpression=condition,
            ExpressionAttributeValues=table.stored(values),
            ExpressionAttributeNames=names,
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return None
        raise
    return table.plain(out["Attributes"])


def save_draft(pk: str, data: dict[str, Any], *, version: int, saved_by: str, saved_at: str) -> Item | None:
    return _update(
        pk,
        "SET #data = :data, #saved_by = :by, #saved_at = :at, #version = #version + :one",
        "attribute_exists(pk) AND #state = :draft AND #version = :version",
        {":data": data, ":by": saved_by, ":at": saved_at, ":one": 1, ":draft": "draft", ":version": version},
        {"#data": "data", "#saved_by": "saved_by", "#saved_at": "saved_at", "#version": "version", "#state": "state"},
    )


def drop_draft(pk: str) -> bool:
    try:
        table.table().delete_item(
            Key={"pk": pk, "sk": "DRAFT"},
            ConditionExpression="attribute_exists(pk) AND #state = :draft",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={":draft": "draft"},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True


def submit(
    pk: str,
    *,
    version: int,
    submission_id: str,
    submitted_at: str,
    entry: dict[str, Any],
    also: list[dict[str, Any]] | None = None,
) -> Item | None:
    """Lock the draft and put it in the queue; `entry` is what the queue shows (kind, title, siret...)."""
    values = {
        ":submitted": "submitted",
        ":at": submitted_at,
        ":id": submission_id,
        ":queue": QUEUE,
        ":queue_sk": f"{submitted_at}#{submission_id}",
        ":lookup": f"SUBMISSION#{submission_id}",
        ":lookup_sk": "DRAFT",
        ":entry": entry,
        ":one": 1,
        ":draft": "draft",
        ":version": version,
    }
    return _update(
        pk,
        "SET #state = :submitted, submitted_at = :at, submission_id = :id, gsi2pk = :queue, gsi2sk = :queue_sk, "
        "gsi1pk = :lookup, gsi1sk = :lookup_sk, entry = :entry, #version = #version + :one REMOVE #comment",
        "attribute_exists(pk) AND #state = :draft AND #version = :version",
        values,
        {"#state": "state", "#version": "version", "#comment": "comment"},
        also,
    )


def unlock(
    pk: str, *, submission_id: str, comment: str | None = None, also: list[dict[str, Any]] | None = None
) -> Item | None:
    """Back to a draft (withdrawn by the OF, or rejected with a comment), out of the queue."""
    expression = "SET #state = :draft, #version = #version + :one"
    values: dict[str, Any] = {":draft": "draft", ":one": 1, ":submitted": "submitted", ":id": submission_id}
    if comment:
        expression += ", #comment = :comment"
        values[":comment"] = comment
    expression += " REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk, submission_id, submitted_at, entry"
    return _update(
        pk,
        expression,
        "attribute_exists(pk) AND #state = :submitted AND submission_id = :id",
        values,
        {"#state": "state", "#version": "version", **({"#comment": "comment"} if comment else {})},
        also,
    )


def publish(
    pk: str,
    *,
    published_version: int,
    changes: dict[str, Any],
    submission_id: str,
    history: Item,
    conflict: str,
    also: list[dict[str, Any]] | None = None,
) -> None:
    """Apply the changes to the published record, drop the draft, write history (and `also`, the
    transaction actions of what the publication files elsewhere): together or not at all."""
    table.transact(
        [
            table.tx_update(
                pk, "RECORD", changes, condition="#version = :published", values={":published": published_version}
            ),
            table.tx_delete(
                pk,
                "DRAFT",
                condition="#state = :submitted AND submission_id = :id",
                values={":submitted": "submitted", ":id": submission_id},
            ),
            table.tx_put_new({"pk": pk, "sk": f"HISTORY#{history['decided_at']}#{submission_id}", **history}),
            *(also or []),
        ],
        conflict=conflict,
    )


def find_submission(submission_id: str) -> Item | None:
    page = table.query(f"SUBMISSION#{submission_id}", index="gsi1", limit=1)
    if not page.items:
        return None
    return get_draft(page.items[0]["pk"])  # the index is eventually consistent: read the item itself


def queue(*, kind: str | None = None, siret: str | None = None) -> list[Item]:
    items = table.query_all(QUEUE, index="gsi2")
    return [
        i
        for i in items
        if (kind is None or i.get("entry", {}).get("kind") == kind)
        and (siret is None or i.get("entry", {}).get("siret") == siret)
    ]


def history(pk: str) -> list[Item]:
    return list(table.query_all(pk, sk_prefix="HISTORY#", forward=False))
