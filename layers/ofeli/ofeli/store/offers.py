"""Formations and their sessions.

- `FORMATION#<ref>` / `RECORD`: the formation; `gsi1`: `STRUCTURE#<siret>` / `FORMATION#<ref>`, so an
  OF's offer is one query.
- `FORMATION#<ref>` / `SESSION#<ref>`: its sessions, read with the formation in one query.
- `SESSION#<ref>` / `REF`: which formation a session number belongs to (one read resolves an S number).
- `FORMATION#<ref>` / `TRAINER#<siret>`: a structure training some of its sessions, filed under it
  (`gsi1`: `STRUCTURE#<siret>` / `TRAINS#<ref>`): its *Formations de l'OF* is one query more.
"""

from __future__ import annotations

from ofeli.domain.offers import FORMATION_PREFIX, SESSION_PREFIX, FormationInput, reference
from ofeli.store import table
from ofeli.store.table import Item


def formation_key(ref: str) -> str:
    return f"FORMATION#{ref}"


def create_formation(siret: str, formation: FormationInput, *, author: str) -> Item:
    """The formation and its sessions, numbered, written together or not at all."""
    ref = reference(FORMATION_PREFIX, table.next_number("FORMATION"))
    data = formation.model_dump(mode="json", exclude={"sessions"})
    record: Item = {
        "pk": formation_key(ref),
        "sk": "RECORD",
        "gsi1pk": f"STRUCTURE#{siret}",
        "gsi1sk": f"FORMATION#{ref}",
        "ref": ref,
        "siret": siret,
        "author": author,
        **data,
    }
    actions = [table.tx_put_new(record)]
    sessions: list[Item] = []
    for session in formation.sessions:
        sref = reference(SESSION_PREFIX, table.next_number("SESSION"))
        item = {
            "pk": formation_key(ref),
            "sk": f"SESSION#{sref}",
            "ref": sref,
            "formation_ref": ref,
            **session.model_dump(mode="json"),
        }
        sessions.append(item)
        actions.append(table.tx_put_new(item))
        actions.append(table.tx_put_new({"pk": f"SESSION#{sref}", "sk": "REF", "formation_ref": ref}))
    for trainer in sorted({s.trainer_siret for s in formation.sessions if s.trainer_siret} - {siret}):
        actions.append(
            table.tx_put_new(
                {
                    "pk": formation_key(ref),
                    "sk": f"TRAINER#{trainer}",
                    "gsi1pk": f"STRUCTURE#{trainer}",
                    "gsi1sk": f"TRAINS#{ref}",
                    "ref": ref,
                    "title": record["title"],
                    "siret": siret,
                }
            )
        )
    table.transact(actions, conflict="Cette référence existe déjà.")
    return {**record, "version": 1, "sessions": sessions}


def formations_of(siret: str) -> list[Item]:
    return list(table.query_all(f"STRUCTURE#{siret}", index="gsi1", sk_prefix="FORMATION#"))


def trained_by(siret: str) -> list[Item]:
    """The formations some of whose sessions this structure trains (it is not their responsible)."""
    return list(table.query_all(f"STRUCTURE#{siret}", index="gsi1", sk_prefix="TRAINS#"))


def get_formation(ref: str) -> Item | None:
    """The formation with its sessions, in one query."""
    items = list(table.query_all(formation_key(ref)))
    record = next((i for i in items if i["sk"] == "RECORD"), None)
    if record is None:
        return None
    record["sessions"] = [i for i in items if i["sk"].startswith("SESSION#")]
    record["trainers"] = [i["sk"].removeprefix("TRAINER#") for i in items if i["sk"].startswith("TRAINER#")]
    return record
