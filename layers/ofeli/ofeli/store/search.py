"""The search rows of the offer (`ofeli.domain.search`), one per formation, written in the transactions
that change what they hold, read with one Query per structure and a few in parallel for the region.

- `SEARCH#<shard>` / `<siret>#<ref>`: the row of a formation in its responsible structure's partition,
  and a copy in each trainer structure's (`role` formateur), so that an OF's search, as responsible and
  as trainer, is one Query (`begins_with(sk, "<siret>#")`). The shard is a stable hash of the SIRET
  (`SEARCH_SHARDS` of them): it splits the region for the moderators' search, which queries every shard
  in parallel and keeps the responsible rows; never a Scan.
- attributes: `row` (the `SearchRow` as zlib-compressed JSON: one attribute, however many sessions),
  `pending` (set by the workflow when a submission locks or unlocks the formation), `links` (what
  the link checker found of each of its web pages, and when), `role`.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError

from ofeli.domain.search import SearchRow
from ofeli.settings import settings
from ofeli.store import table
from ofeli.store.table import Item

SEARCH_SHARDS = 8


def shard(siret: str) -> int:
    return zlib.crc32(siret.encode()) % SEARCH_SHARDS


def _key(siret: str, ref: str) -> dict[str, str]:
    return {"pk": f"SEARCH#{shard(siret)}", "sk": f"{siret}#{ref}"}


def _packed(row: SearchRow) -> bytes:
    return zlib.compress(row.model_dump_json(exclude_defaults=True).encode(), 6)


def unpacked(item: Item) -> SearchRow:
    return SearchRow.model_validate(json.loads(zlib.decompress(bytes(item["row"]))))


def _update(key: dict[str, str], expression: str, values: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": settings().table,
            "Key": key,
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": table.stored(values),
        }
    }


def tx_rows(
    row: SearchRow, trainers: Iterable[str], *, pending: bool | None = None, dropped: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """The transaction's actions that write a formation's row and its trainers' copies (`dropped`: the
    trainers that no longer train any of its sessions lose theirs). The other actions of the
    transaction carry its conditions; the link checker's findings are kept."""
    expression = "SET #row = :row, #role = :role"
    names = {"#row": "row", "#role": "role"}
    values: dict[str, Any] = {":row": _packed(row)}
    if pending is not None:
        expression += ", #pending = :pending"
        names["#pending"] = "pending"
        values[":pending"] = pending
    actions = [_update(_key(row.siret, row.ref), expression, {**values, ":role": "responsable"}, names)]
    for trainer in sorted(set(trainers) - {row.siret}):
        actions.append(_update(_key(trainer, row.ref), expression, {**values, ":role": "formateur"}, names))
    for trainer in sorted(set(dropped) - set(trainers) - {row.siret}):
        key = _key(trainer, row.ref)
        actions.append({"Delete": {"TableName": settings().table, "Key": key}})
    return actions


def tx_pending(siret: str, ref: str, trainers: Iterable[str], pending: bool) -> list[dict[str, Any]]:
    """A submission locks (or unlocks) the formation: its rows say so, in the workflow's transaction."""
    return [
        _update(_key(s, ref), "SET #pending = :pending", {":pending": pending}, {"#pending": "pending"})
        for s in sorted({siret, *trainers})
    ]


def tx_delete(siret: str, ref: str) -> dict[str, Any]:
    """A formation never published, abandoned: its row goes with it."""
    return {"Delete": {"TableName": settings().table, "Key": _key(siret, ref)}}


def get(siret: str, ref: str) -> Item | None:
    """A formation's row in its responsible structure's partition."""
    key = _key(siret, ref)
    return table.get(key["pk"], key["sk"])


def rows_of(siret: str) -> list[Item]:
    """The structure's rows, as responsible and as trainer: one Query (pages of 1 MB aside)."""
    return [i for i in table.query_all(f"SEARCH#{shard(siret)}", sk_prefix=f"{siret}#") if "row" in i]


def region_rows() -> list[Item]:
    """Every formation's row (responsible rows only), the shards read in parallel."""
    items = table.query_partitions([f"SEARCH#{n}" for n in range(SEARCH_SHARDS)])
    return [i for i in items if i.get("role") == "responsable" and "row" in i]


def links_of(item: Item) -> dict[str, Any]:
    """The link checker's findings on a row: `{url: {ok, status, reason, checked_at}}`."""
    text = item.get("links")
    return json.loads(text) if text else {}


def links_value(links: dict[str, Any]) -> str:
    """How the findings are stored: one JSON string."""
    return json.dumps(links, ensure_ascii=False, sort_keys=True)


def set_links(siret: str, ref: str, trainers: Iterable[str], links: dict[str, Any]) -> None:
    """The link checker's findings (`{url: {ok, status, reason, checked_at}}`) on a formation's rows, as
    one JSON string (a map of maps would cost a search three times as much to read); a row that no longer
    exists is not created."""
    for s in sorted({siret, *trainers}):
        try:
            table.table().update_item(
                Key=_key(s, ref),
                UpdateExpression="SET #links = :links",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={"#links": "links"},
                ExpressionAttributeValues={":links": links_value(links)},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
