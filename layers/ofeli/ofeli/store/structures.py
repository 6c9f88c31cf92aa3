"""Structure records: `STRUCTURE#<siret>` / `RECORD` holds the published record."""

from __future__ import annotations

from ofeli import aws
from ofeli.domain.structures import Structure
from ofeli.settings import settings
from ofeli.store import table
from ofeli.store.table import Item


def structure_key(siret: str) -> str:
    return f"STRUCTURE#{siret}"


def item(structure: Structure) -> Item:
    """The published record; a branch is also filed under its head office (`gsi1`: `PARENT#<siret>`)."""
    record = {"pk": structure_key(structure.siret), "sk": "RECORD", **structure.model_dump(mode="json")}
    if structure.parent_siret:
        record |= {"gsi1pk": f"PARENT#{structure.parent_siret}", "gsi1sk": structure.siret}
    return record


def create(structure: Structure) -> Item:
    return table.put_new(item(structure), conflict="Cette structure existe déjà.")


def get(siret: str) -> Item | None:
    return table.get(structure_key(siret), "RECORD")


def get_many(sirets: list[str]) -> list[Item]:
    """Several records in one batch read, in the order asked."""
    if not sirets:
        return []
    name = settings().table
    keys = [{"pk": structure_key(s), "sk": "RECORD"} for s in dict.fromkeys(sirets)]
    found: dict[str, Item] = {}
    for start in range(0, len(keys), 100):
        request = {name: {"Keys": keys[start : start + 100]}}
        while request:
            out = aws.dynamodb().batch_get_item(RequestItems=request)
            for item in out["Responses"].get(name, []):
                found[item["siret"]] = table.plain(item)
            request = out.get("UnprocessedKeys") or {}
    return [found[s] for s in sirets if s in found]


def attached_to(siret: str) -> list[Item]:
    """The structures attached to a head office (branches, secondary establishments)."""
    return list(table.query_all(f"PARENT#{siret}", index="gsi1"))


def update(siret: str, changes: dict[str, object], *, version: int) -> Item:
    return table.update_versioned(structure_key(siret), "RECORD", changes, version=version)
