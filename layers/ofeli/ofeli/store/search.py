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
- `SEARCHLOG#<shard>` / `<nanoseconds>#<siret>#<ref>#<random>`: the change log of the shard's responsible
  rows, one item per change written with it (in its transaction), kept two days (`expires_at`). A container
  that holds the region's rows (`ofeli.services.search`) reads only what changed since its last read.
"""

from __future__ import annotations

import json
import uuid
import zlib
from collections.abc import Iterable
from contextlib import suppress
from typing import Any

from ofeli import clock
from ofeli.domain.errors import Conflict
from ofeli.domain.search import SearchRow
from ofeli.settings import settings
from ofeli.store import table
from ofeli.store.table import Item

SEARCH_SHARDS = 8
LOG_KEPT_S = 2 * 24 * 3600  # a change stays in the log two days; a container reads the whole region more often


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


def _logged(siret: str, ref: str) -> dict[str, Any]:
    """The change log's item of a change of a formation's row, in the transaction that changes it."""
    item = {
        "pk": f"SEARCHLOG#{shard(siret)}",
        "sk": f"{clock.sequence():020d}#{siret}#{ref}#{uuid.uuid4().hex[:8]}",
        "siret": siret,
        "ref": ref,
        "expires_at": clock.seconds() + LOG_KEPT_S,
    }
    return table.tx_put_new(item)


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
    actions = [
        _update(_key(row.siret, row.ref), expression, {**values, ":role": "responsable"}, names),
        _logged(row.siret, row.ref),
    ]
    for trainer in sorted(set(trainers) - {row.siret}):
        actions.append(_update(_key(trainer, row.ref), expression, {**values, ":role": "formateur"}, names))
    for trainer in sorted(set(dropped) - set(trainers) - {row.siret}):
        key = _key(trainer, row.ref)
        actions.append({"Delete": {"TableName": settings().table, "Key": key}})
    return actions


def tx_pending(siret: str, ref: str, trainers: Iterable[str], pending: bool) -> list[dict[str, Any]]:
    """A submission locks (or unlocks) the formation: its rows say so, in the workflow's transaction."""
    return [
        *(
            _update(_key(s, ref), "SET #pending = :pending", {":pending": pending}, {"#pending": "pending"})
            for s in sorted({siret, *trainers})
        ),
        _logged(siret, ref),
    ]


def tx_delete(siret: str, ref: str) -> list[dict[str, Any]]:
    """A formation never published, abandoned: its row goes with it."""
    return [{"Delete": {"TableName": settings().table, "Key": _key(siret, ref)}}, _logged(siret, ref)]


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


LogMarks = dict[str, str]  # per log partition, the sort key read last


def log_marks() -> LogMarks:
    """Where each shard's change log ends now (read before the rows, so a change written meanwhile is
    read again afterwards)."""
    marks = {f"SEARCHLOG#{n}": "" for n in range(SEARCH_SHARDS)}
    for item in table.query_partitions(list(marks), latest=True, consistent=True):
        marks[item["pk"]] = item["sk"]
    return marks


def changes_after(marks: LogMarks, overlap_ns: int) -> list[Item]:
    """The log's items after the marks, less `overlap_ns` (a change that took its place in the log
    before one already read, and committed after it, is still read): strongly consistent."""

    after = {pk: f"{max(0, int(sk.split('#')[0]) - overlap_ns):020d}" for pk, sk in marks.items() if sk}
    return table.query_partitions(list(marks), after=after, consistent=True)  # an empty log: all of it


def rows_at(changes: Iterable[Item]) -> dict[tuple[str, str], Item | None]:
    """The responsible rows the changes name, as they are now (None: gone), strongly consistent."""
    keys = list(dict.fromkeys((key["pk"], key["sk"]) for c in changes if (key := _key(c["siret"], c["ref"]))))
    found = {(i["pk"], i["sk"]): i for i in table.get_many(keys, consistent=True)}
    return {key: found.get(key) for key in keys}


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
        update = _update(_key(s, ref), "SET #links = :links", {":links": links_value(links)}, {"#links": "links"})
        update["Update"]["ConditionExpression"] = "attribute_exists(pk)"
        with suppress(Conflict):  # the row is gone
            table.transact([update, _logged(siret, ref)] if s == siret else [update])
