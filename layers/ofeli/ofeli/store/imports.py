"""File imports run by moderators (the national list of training organisations now, the France
Compétences certifications next): one record per import, whatever its kind.

- `IMPORT#<id>` / `IMPORT`: `kind` ("organisations", "certifications"...), `status` (waiting_upload →
  queued → running → done | failed), the uploaded object's `key`, `counts`, the first `rejected` lines,
  `offset` (the last line done: a long file is imported in several runs of the worker, each one going
  on from there), who created it and when, `error` when it failed. Every change is conditioned on the
  record's status (and offset), so that two deliveries of a job never count a part twice.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ofeli.store import table
from ofeli.store.table import Item

MAX_REJECTED = 200  # the rejected lines kept to show; all of them are counted


def _key(import_id: str) -> dict[str, str]:
    return {"pk": f"IMPORT#{import_id}", "sk": "IMPORT"}


def create(import_id: str, fields: dict[str, Any]) -> Item:
    return table.put_new(
        {**_key(import_id), "id": import_id, "status": "waiting_upload", "offset": 0, "rejected": [], **fields},
        conflict="Cet import existe déjà.",
    )


def get(import_id: str) -> Item | None:
    return table.get(f"IMPORT#{import_id}", "IMPORT", consistent=True)


def _update(import_id: str, expression: str, condition: str, values: dict[str, Any], names: dict[str, str]) -> bool:
    """An update under `condition`; False when the condition failed."""
    try:
        table.table().update_item(
            Key=_key(import_id),
            UpdateExpression=expression,
            ConditionExpression="attribute_exists(pk) AND " + condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=table.stored(values),
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True


def queue(import_id: str, *, at: str) -> bool:
    """waiting_upload → queued; False when it was started already."""
    return _update(
        import_id,
        "SET #status = :queued, queued_at = :at",
        "#status = :waiting",
        {":queued": "queued", ":waiting": "waiting_upload", ":at": at},
        {"#status": "status"},
    )


def progress(
    import_id: str, *, offset: int, new_offset: int, counts: dict[str, int], rejected: list[Any], done: bool, at: str
) -> bool:
    """The work of one run (lines after `offset` up to `new_offset`) added; False when another delivery
    of the same run already added it."""
    return _update(
        import_id,
        "SET #status = :status, #offset = :new_offset, #counts = :counts, rejected = :rejected, updated_at = :at"
        + (", finished_at = :at" if done else ""),
        "#offset = :offset AND #status IN (:queued, :running)",
        {
            ":status": "done" if done else "running",
            ":new_offset": new_offset,
            ":counts": counts,
            ":rejected": rejected[:MAX_REJECTED],
            ":at": at,
            ":offset": offset,
            ":queued": "queued",
            ":running": "running",
        },
        {"#status": "status", "#offset": "offset", "#counts": "counts"},
    )


def fail(import_id: str, message: str, *, at: str) -> bool:
    return _update(
        import_id,
        "SET #status = :failed, #error = :error, finished_at = :at",
        "#status IN (:queued, :running)",
        {":failed": "failed", ":error": message, ":at": at, ":queued": "queued", ":running": "running"},
        {"#status": "status", "#error": "error"},
    )


def mark_latest(kind: str, import_id: str, list_date: str, *, at: str) -> None:
    """`IMPORTS#<kind>` / `LATEST`: the list now in the table (unless a newer list was imported already)."""
    try:
        table.table().put_item(
            Item={"pk": f"IMPORTS#{kind}", "sk": "LATEST", "import_id": import_id, "list_date": list_date, "at": at},
            ConditionExpression="attribute_not_exists(pk) OR list_date <= :date",
            ExpressionAttributeValues={":date": list_date},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise


def latest(kind: str) -> Item | None:
    return table.get(f"IMPORTS#{kind}", "LATEST")
