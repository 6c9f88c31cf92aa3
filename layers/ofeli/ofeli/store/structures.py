"""Structure records.

- `STRUCTURE#<siret>` / `RECORD`: the published record; a branch is also filed under its head office
  (`gsi1`: `PARENT#<siret>` / `<siret>`).
- `STRUCTURE#<siret>` / `DIRECTORY`: its compact row of the moderators' directory, filed under its
  department (`gsi2`: `DIRECTORY#<department>` / `<siret>`), written in the same transaction as every
  change of the record, so a search never sees a row out of step.
"""

from __future__ import annotations

from typing import Any

from ofeli.domain.directory import StructureRow, partition_of, row_of
from ofeli.domain.structures import Structure
from ofeli.settings import settings
from ofeli.store import table
from ofeli.store.table import Item

EXISTS = "Cette structure existe déjà."


def structure_key(siret: str) -> str:
    return f"STRUCTURE#{siret}"


def _parent_keys(parent_siret: str | None, siret: str) -> dict[str, str]:
    return {"gsi1pk": f"PARENT#{parent_siret}", "gsi1sk": siret} if parent_siret else {}


def item(structure: Structure) -> Item:
    """The published record; a branch is also filed under its head office."""
    record = {"pk": structure_key(structure.siret), "sk": "RECORD", **structure.model_dump(mode="json")}
    return record | _parent_keys(structure.parent_siret, structure.siret)


def _directory_item(record: Item) -> Item:
    row = row_of(record)
    partition = partition_of(row.postal_code, settings().departments())
    return {
        "pk": structure_key(row.siret),
        "sk": "DIRECTORY",
        "gsi2pk": f"DIRECTORY#{partition}",
        "gsi2sk": row.siret,
        **row.model_dump(mode="json"),
    }


def create_actions(structure: Structure) -> list[dict[str, Any]]:
    """The transaction's actions that create a structure (its record and its directory row)."""
    record = item(structure)
    return [table.tx_put_new(record), table.tx_put_new(_directory_item(record))]


def create(structure: Structure) -> Item:
    table.transact(create_actions(structure), conflict=EXISTS)
    return {**item(structure), "version": 1}


def get(siret: str, *, consistent: bool = False) -> Item | None:
    return table.get(structure_key(siret), "RECORD", consistent=consistent)


def get_many(sirets: list[str]) -> list[Item]:
    """Several records in one batch read, in the order asked."""
    return table.get_many([(structure_key(s), "RECORD") for s in sirets])


def attached_to(siret: str) -> list[Item]:
    """The structures attached to a head office (branches, secondary establishments)."""
    return list(table.query_all(f"PARENT#{siret}", index="gsi1"))


def update(record: Item, changes: dict[str, Any], *, version: int, history: Item | None = None) -> Item:
    """Set `changes` on the record if it is still at `version` (else Conflict), keep its directory
    row and its filing under the head office in step, and write `history` (an entry of the record's
    history, `HISTORY#<decided_at>#<id>`): all together or nothing."""
    siret = record["siret"]
    after = {**record, **changes, "version": version + 1}
    remove: tuple[str, ...] = ()
    sets = dict(changes)
    if "parent_siret" in changes:
        if changes["parent_siret"]:
            sets |= _parent_keys(str(changes["parent_siret"]), siret)
        else:
            remove = ("gsi1pk", "gsi1sk")
    actions = [
        table.tx_update(
            structure_key(siret),
            "RECORD",
            sets,
            condition="attribute_exists(pk) AND #version = :expected",
            values={":expected": version},
            remove=remove,
        ),
        table.tx_put(_directory_item(after)),
    ]
    if history is not None:
        actions.append(
            table.tx_put_new(
                {"pk": structure_key(siret), "sk": f"HISTORY#{history['decided_at']}#{history['id']}", **history}
            )
        )
    table.transact(actions)
    return {k: v for k, v in after.items() if k not in remove}


def directory(departments: list[str]) -> list[StructureRow]:
    """The directory rows of these partitions (departments, or `autres`), read in parallel."""
    items = table.query_partitions([f"DIRECTORY#{d}" for d in departments], index="gsi2")
    return [StructureRow.model_validate(i) for i in items]
