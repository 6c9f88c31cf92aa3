"""Structure records: `STRUCTURE#<siret>` / `RECORD` holds the published record."""

from __future__ import annotations

from ofeli.domain.structures import Structure
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
    return table.get_many([(structure_key(s), "RECORD") for s in sirets])


def attached_to(siret: str) -> list[Item]:
    """The structures attached to a head office (branches, secondary establishments)."""
    return list(table.query_all(f"PARENT#{siret}", index="gsi1"))


def update(siret: str, changes: dict[str, object], *, version: int) -> Item:
    return table.update_versioned(structure_key(siret), "RECORD", changes, version=version)
