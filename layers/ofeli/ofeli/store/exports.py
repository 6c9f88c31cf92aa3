"""The OF's export files: their records in the asker's partition, their files in the exports bucket.

- `USER#<user id>` / `EXPORT#<export id>`: one export (`ofeli.domain.export_files`): `siret`, `format`,
  `refs` (the formations ticked; none: all), `status` (queued → running → ready | failed), `attempts`
  (the deliveries of its job so far), `filename`, the S3 `key` once written, `formations` / `sessions` /
  `rejected` / `rejected_count` / `size` once ready, `error` once failed, `downloaded_at` at its first
  download, `expires_at` (TTL: when the bucket's lifecycle removes the file). The id starts with the time
  it was asked, so the bell is one Query of the partition, newest first; and `GET /exports/{id}` is one
  GetItem in the caller's own partition: someone else's export is simply not found.
- `USER#<user id>` / `EXPORTREQ#<digest>`: the last export of one request (structure, format, formations)
  and `hold_until`: while it holds, the same request gives the same export (idempotency; written in
  the same transaction as the export, on the condition that no hold is current).
- exports bucket: `exports/<user id>/<export id>/<file name>`, downloaded with a short-lived presigned GET
  whose answer carries `Content-Disposition: attachment; filename=…`.

Every write is conditioned: the export's creation on its absence (and the hold's expiry), each change of
state on the state it leaves, so that two deliveries of a job never undo each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from ofeli import aws
from ofeli.settings import settings
from ofeli.store import table
from ofeli.store.table import Item

BELL_SIZE = 30


def _pk(user_id: str) -> str:
    return f"USER#{user_id}"


def _key(user_id: str, export_id: str) -> dict[str, str]:
    return {"pk": _pk(user_id), "sk": f"EXPORT#{export_id}"}


def _request_key(user_id: str, digest: str) -> dict[str, str]:
    return {"pk": _pk(user_id), "sk": f"EXPORTREQ#{digest}"}


def _failed_condition(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in {
        "ConditionalCheckFailedException",
        "TransactionCanceledException",
    }


def create(user_id: str, record: Item, *, digest: str, now: int, hold_until: int) -> str | None:
    """Write a new export and make it the request's current one, unless an identical request holds:
    None when written, else the id of the export the current hold names."""
    name = settings().table
    request = {
        **_request_key(user_id, digest),
        "export_id": record["id"],
        "hold_until": hold_until,
        "expires_at": record["expires_at"],
    }
    try:
        aws.dynamodb().meta.client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": name,
                        "Item": table.stored(request),
                        "ConditionExpression": "attribute_not_exists(pk) OR hold_until < :now",
                        "ExpressionAttributeValues": {":now": now},
                    }
                },
                {
                    "Put": {
                        "TableName": name,
                        "Item": table.stored({**_key(user_id, record["id"]), **record, "version": 1}),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )
    except ClientError as error:
        if not _failed_condition(error):
            raise
        current = table.get(request["pk"], request["sk"], consistent=True)
        if current is None:  # the hold went away in between: the caller may try again
            return ""
        return str(current["export_id"])
    return None


def release(user_id: str, digest: str, export_id: str, *, hold_until: int) -> None:
    """Shorten the request's hold (once its export is finished), if it still names that export."""
    try:
        table.table().update_item(
            Key=_request_key(user_id, digest),
            UpdateExpression="SET hold_until = :until",
            ConditionExpression="attribute_exists(pk) AND export_id = :id",
            ExpressionAttributeValues={":until": hold_until, ":id": export_id},
        )
    except ClientError as error:
        if not _failed_condition(error):
            raise


def get(user_id: str, export_id: str) -> Item | None:
    key = _key(user_id, export_id)
    return table.get(key["pk"], key["sk"], consistent=True)


def bell(user_id: str, *, limit: int = BELL_SIZE) -> list[Item]:
    """The user's latest exports, newest first (one Query)."""
    page = table.query(_pk(user_id), sk_prefix="EXPORT#", limit=limit, forward=False)
    return list(page.items)


def _update(user_id: str, export_id: str, expression: str, condition: str, values: dict[str, Any], *names: str) -> bool:
    """An update under `condition` (`#status` and each of `names` as `#name`); False when it failed."""
    try:
        table.table().update_item(
            Key=_key(user_id, export_id),
            UpdateExpression=expression,
            ConditionExpression="attribute_exists(pk) AND " + condition,
            ExpressionAttributeNames={"#status": "status", **{f"#{n}": n for n in names}},
            ExpressionAttributeValues=table.stored(values),
        )
    except ClientError as error:
        if _failed_condition(error):
            return False
        raise
    return True


_PENDING = {":queued": "queued", ":running": "running"}
_IS_PENDING = "#status IN (:queued, :running)"


def start(user_id: str, export_id: str, *, attempt: int, at: str) -> bool:
    """queued (or running: a delivery that died) → running, for this attempt."""
    return _update(
        user_id,
        export_id,
        "SET #status = :running, attempts = :attempt, started_at = :at",
        _IS_PENDING,
        {**_PENDING, ":attempt": attempt, ":at": at},
    )


def retry(user_id: str, export_id: str, *, at: str) -> bool:
    """running → queued again: the attempt failed, SQS delivers the job again."""
    return _update(
        user_id,
        export_id,
        "SET #status = :queued, updated_at = :at",
        "#status = :running",
        {":queued": "queued", ":running": "running", ":at": at},
    )


def ready(user_id: str, export_id: str, *, key: str, size: int, report: dict[str, Any], at: str) -> bool:
    """→ ready, with the file's key and what the writer reported."""
    return _update(
        user_id,
        export_id,
        "SET #status = :ready, #key = :key, #size = :size, #formations = :formations, #sessions = :sessions, "
        "#rejected = :rejected, #rejected_count = :rejected_count, #finished_at = :at",
        _IS_PENDING,
        {
            **_PENDING,
            ":ready": "ready",
            ":key": key,
            ":size": size,
            ":formations": report["formations"],
            ":sessions": report["sessions"],
            ":rejected": report["rejected"],
            ":rejected_count": report["rejected_count"],
            ":at": at,
        },
        "key",
        "size",
        "formations",
        "sessions",
        "rejected",
        "rejected_count",
        "finished_at",
    )


def fail(user_id: str, export_id: str, reason: str, *, at: str) -> bool:
    """→ failed, with the reason the bell shows."""
    return _update(
        user_id,
        export_id,
        "SET #status = :failed, #error = :error, finished_at = :at",
        _IS_PENDING,
        {**_PENDING, ":failed": "failed", ":error": reason, ":at": at},
        "error",
    )


def mark_downloaded(user_id: str, export_id: str, *, at: str) -> None:
    """The first download of a ready file (the bell's badge stops counting it)."""
    _update(
        user_id,
        export_id,
        "SET downloaded_at = :at",
        "#status = :ready AND attribute_not_exists(downloaded_at)",
        {":ready": "ready", ":at": at},
    )


# ---------------------------------------------------------------------- the files
def file_key(user_id: str, export_id: str, filename: str) -> str:
    return f"exports/{user_id}/{export_id}/{filename}"


def upload(key: str, path: Path, content_type: str) -> int:
    """The written file put in the exports bucket; its size."""
    aws.client("s3").upload_file(str(path), settings().exports_bucket, key, ExtraArgs={"ContentType": content_type})
    return path.stat().st_size


def download_url(key: str, filename: str, content_type: str, *, seconds: int) -> str:
    """A presigned GET of the file, answered as an attachment under its name."""
    return str(
        aws.client("s3").generate_presigned_url(
            "get_object",
            Params={
                "Bucket": settings().exports_bucket,
                "Key": key,
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
                "ResponseContentType": content_type,
            },
            ExpiresIn=seconds,
        )
    )
