"""The national list of training organisations, as last imported.

- `TRAINING_ORG#<nda>` / `ORG`: the organisation of that NDA (what its line of the list says), with
  the `content_hash` of the line; `gsi1`: `TRAINING_ORG_SIRET#<siret>` / `<nda>` (the organisations
  a SIRET declares, for the check of an account request whose NDA is not in the list).
- `TRAINING_ORG#<nda>` / `LAPSED`: an NDA given as an earlier one of another organisation (caduc):
  `replaced_by` (the NDA now declared), `name`, `siren`, and its own `content_hash`.

An NDA's two items share a partition: checking an NDA is one batch read with the others of a page.
Writes are conditioned on what was read (absent, or the same `content_hash`), 100 at a time in one
transaction; an unchanged line is not written at all.
"""

from __future__ import annotations

from typing import Any

from ofeli.domain.errors import Conflict
from ofeli.settings import settings
from ofeli.store import table
from ofeli.store.table import Item

BATCH = 100  # TransactWriteItems takes at most 100 actions


def org_key(nda: str) -> str:
    return f"TRAINING_ORG#{nda}"


def siret_key(siret: str) -> str:
    return f"TRAINING_ORG_SIRET#{siret}"


def org_item(data: dict[str, Any], content_hash: str) -> Item:
    item: Item = {"pk": org_key(data["nda"]), "sk": "ORG", **data, "content_hash": content_hash}
    if data.get("siret"):
        item |= {"gsi1pk": siret_key(data["siret"]), "gsi1sk": data["nda"]}
    return item


def lapsed_item(nda: str, *, replaced_by: str, name: str, siren: str | None, content_hash: str) -> Item:
    return {
        "pk": org_key(nda),
        "sk": "LAPSED",
        "nda": nda,
        "replaced_by": replaced_by,
        "name": name,
        "siren": siren,
        "content_hash": content_hash,
    }


def get_many(ndas: list[str]) -> dict[tuple[str, str], Item]:
    """The stored items (`ORG` and `LAPSED`) of these NDAs, by (nda, "ORG" | "LAPSED"), in batch reads."""
    keys = [(org_key(nda), sk) for nda in dict.fromkeys(ndas) for sk in ("ORG", "LAPSED")]
    return {(item["pk"].split("#", 1)[1], item["sk"]): item for item in table.get_many(keys)}


def declared_by(siret: str) -> list[Item]:
    """The organisations of the list whose declaring establishment is this SIRET."""
    return list(table.query_all(siret_key(siret), index="gsi1"))


def _put(item: Item, previous: Item | None) -> dict[str, Any]:
    """A write of `item` that holds only if the stored one is still what was read (`previous`)."""
    if previous is None:
        return table.tx_put_new(item)
    return {
        "Put": {
            "TableName": settings().table,
            "Item": table.stored({**item, "version": int(previous.get("version", 1)) + 1}),
            "ConditionExpression": "#content_hash = :seen",
            "ExpressionAttributeNames": {"#content_hash": "content_hash"},
            "ExpressionAttributeValues": {":seen": previous["content_hash"]},
        }
    }


def write(changes: list[tuple[Item, Item | None]]) -> int:
    """Write each (new item, item read before or None), 100 per transaction; how many were written.

    A transaction refused because an item changed since it was read (another import at the same time)
    is retried item by item, and the items that moved are left to that other import."""
    written = 0
    for start in range(0, len(changes), BATCH):
        part = changes[start : start + BATCH]
        try:
            table.transact([_put(item, previous) for item, previous in part])
            written += len(part)
        except Conflict:
            for item, previous in part:
                try:
                    table.transact([_put(item, previous)])
                    written += 1
                except Conflict:
                    continue
    return written
