"""The partners' feed: its runs, what changed in the offer since an instant, and its files.

- `FORMATION#<ref>` / `FEED`: when the feed's content of a formation last changed (`changed_at`), filed by
  month (`gsi2`: `FEED_CHANGES#<YYYY-MM>` / `<changed_at>#<ref>`); put in the transactions that change
  it (a publication, the Carif-Oref's indexing or scheme states), so "changed since" is a few Queries.
- `PARTNER_FEED` / `RUN#<generated_at>`: each run of the full feed (file key, counts, rejected refs, the
  key of the list of its formations); `PARTNER_FEED` / `LATEST`: the latest one, what `GET /partner/feed`
  reads with one GetItem (moved forward only: an older run never replaces a newer one).
- `PARTNER_FEED#EVENTS#<YYYY-MM>` / `<at>#<ref>`: a formation that entered (`entered`) or left
  (`withdrawn`) the feed between two runs (its sessions ended, archived, a certification awaiting its
  renewal...), as the later run found it: "withdrawn since" is a few Queries.
- The exports bucket: `partner-feed/<run>/lheo.xml` (the file), `partner-feed/<run>/formations.txt` (its
  formations' refs, one a line), `partner-feed/changes/<id>/lheo.xml` (a `since` request's file).
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from ofeli import aws
from ofeli.domain.errors import Conflict
from ofeli.settings import settings
from ofeli.store import exports, table
from ofeli.store.table import Item

PARTITION = "PARTNER_FEED"
LATEST = "LATEST"
PREFIX = "partner-feed/"


def _month(at: str) -> str:
    return at[:7]


# ---------------------------------------------------------------------- what changed
def tx_changed(ref: str, at: str) -> dict[str, Any]:
    """The transaction action that marks the formation changed at `at` (a derived item: the transaction's
    other actions carry its conditions)."""
    return table.tx_put(
        {
            "pk": f"FORMATION#{ref}",
            "sk": "FEED",
            "ref": ref,
            "changed_at": at,
            "gsi2pk": f"FEED_CHANGES#{_month(at)}",
            "gsi2sk": f"{at}#{ref}",
        }
    )


def _query_from(pk: str, sk_name: str, start: str, *, index: str | None) -> list[Item]:
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "#pk = :pk AND #sk >= :start",
        "ExpressionAttributeNames": {"#pk": "pk" if index is None else f"{index}pk", "#sk": sk_name},
        "ExpressionAttributeValues": {":pk": pk, ":start": start},
    }
    if index:
        kwargs["IndexName"] = index
    items: list[Item] = []
    while True:
        out = table.table().query(**kwargs)
        items += [table.plain(i) for i in out.get("Items", [])]
        if not out.get("LastEvaluatedKey"):
            return items
        kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]


def changed_since(since: str, months: list[str] | None = None) -> set[str]:
    """The formations whose feed content changed at or after `since` (one Query per month)."""
    months = months or _months_from(since)
    return {str(i["ref"]) for m in months for i in _query_from(f"FEED_CHANGES#{m}", "gsi2sk", since, index="gsi2")}


def _months_from(since: str) -> list[str]:
    from datetime import datetime

    from ofeli import clock
    from ofeli.domain.partners import months

    return months(datetime.fromisoformat(since), clock.now())


# ---------------------------------------------------------------------- entries and withdrawals
def put_events(at: str, entered: list[str], withdrawn: list[str]) -> None:
    """What a run found entered or left since the previous one; written once (a retried run's items,
    under its own instant, are new)."""
    for event, refs in (("entered", entered), ("withdrawn", withdrawn)):
        for ref in refs:
            item = {"pk": f"{PARTITION}#EVENTS#{_month(at)}", "sk": f"{at}#{ref}", "ref": ref, "event": event, "at": at}
            with suppress(Conflict):  # the same run, retried: already there
                table.put_new(item, conflict="exists")


def events_since(since: str, months: list[str] | None = None) -> list[Item]:
    months = months or _months_from(since)
    return [i for m in months for i in _query_from(f"{PARTITION}#EVENTS#{m}", "sk", since, index=None)]


# ---------------------------------------------------------------------- runs
def record_run(run: Item) -> None:
    """The run (`generated_at`, `key`, `members_key`, `offers`, `sessions`, `rejected`), then the latest
    pointer moved to it unless a later run is there already."""
    at = str(run["generated_at"])
    table.put_new({"pk": PARTITION, "sk": f"RUN#{at}", **run}, conflict="Cette génération du flux existe déjà.")
    try:
        table.table().put_item(
            Item=table.stored({"pk": PARTITION, "sk": LATEST, **run}),
            ConditionExpression="attribute_not_exists(pk) OR generated_at < :at",
            ExpressionAttributeValues={":at": at},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise


def latest() -> Item | None:
    return table.get(PARTITION, LATEST)


def runs(limit: int = 20) -> list[Item]:
    """The latest runs, newest first."""
    return table.query(PARTITION, sk_prefix="RUN#", forward=False, limit=limit).items


# ---------------------------------------------------------------------- files
def upload(path: Path, key: str, content_type: str = "application/xml") -> None:
    aws.client("s3").upload_file(str(path), settings().exports_bucket, key, ExtraArgs={"ContentType": content_type})


def put_text(key: str, text: str) -> None:
    aws.client("s3").put_object(
        Bucket=settings().exports_bucket, Key=key, Body=text.encode("utf-8"), ContentType="text/plain; charset=utf-8"
    )


def read_text(key: str) -> str | None:
    try:
        body = aws.client("s3").get_object(Bucket=settings().exports_bucket, Key=key)["Body"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise
    try:
        return bytes(body.read()).decode("utf-8")
    finally:
        body.close()


def download_url(key: str, *, seconds: int, filename: str) -> str:
    """A presigned GET of a feed file, as an attachment under its name."""
    return exports.download_url(key, filename, "application/xml", seconds=seconds)
