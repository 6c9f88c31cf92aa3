"""Formations and their sessions.

- `FORMATION#<ref>` / `RECORD`: the formation as published (its fields at the top level, as the
  workflow engine writes them), `published_at` once first published (a formation in creation has
  none), the Carif-Oref's indexing (`formacodes`, `nsf`, `romes`), `sessions_end` (the last end date of
  its sessions); `gsi1`: `STRUCTURE#<siret>` / `FORMATION#<ref>`, so an OF's offer is one query.
  Its draft, submission and history are the workflow engine's items of the same partition
  (`ofeli.store.workflow`).
- `FORMATION#<ref>` / `SESSION#<ref>`: its sessions, read with the formation in one query.
- `SESSION#<ref>` / `REF`: which formation a session number belongs to (one read resolves an S number).
- `FORMATION#<ref>` / `TRAINER#<siret>`: a structure training some of its sessions, filed under it
  (`gsi1`: `STRUCTURE#<siret>` / `TRAINS#<ref>`): its *Formations de l'OF* is one query more.

Formation and session numbers come from counters: unique, never reused (an abandoned creation keeps
its number).
"""

from __future__ import annotations

from typing import Any

from ofeli.domain.errors import Conflict
from ofeli.domain.offers import FORMATION_PREFIX, SESSION_PREFIX, SessionInput, reference
from ofeli.store import table
from ofeli.store.table import Item

NEVER_PUBLISHED = "Cette formation a déjà été publiée : sa demande de création ne peut plus être supprimée."


def formation_key(ref: str) -> str:
    return f"FORMATION#{ref}"


def create(
    siret: str,
    draft: dict[str, Any],
    *,
    title: str,
    author: str,
    author_id: str,
    at: str,
    indexing: dict[str, list[str]],
) -> str:
    """A formation in creation: its record (never published, with the indexing its certification
    suggests) and its draft, together. Returns its ref."""
    ref = reference(FORMATION_PREFIX, table.next_number("FORMATION"))
    record: Item = {
        "pk": formation_key(ref),
        "sk": "RECORD",
        "gsi1pk": f"STRUCTURE#{siret}",
        "gsi1sk": f"FORMATION#{ref}",
        "ref": ref,
        "siret": siret,
        "title": title,
        "created_at": at,
        "created_by": author,
        **indexing,
    }
    opened = {
        "pk": formation_key(ref),
        "sk": "DRAFT",
        "state": "draft",
        "data": draft,
        "base_version": 1,
        "opened_by": author,
        "saved_by": author,
        "saved_by_id": author_id,
        "saved_at": at,
    }
    table.transact([table.tx_put_new(record), table.tx_put_new(opened)], conflict="Cette référence existe déjà.")
    return ref


def discard(ref: str) -> bool:
    """*Supprimer ma demande* of a formation never published: the record and its draft go together
    (not while submitted, nor once published). False when that no longer holds."""
    try:
        table.transact(
            [
                table.tx_delete(formation_key(ref), "DRAFT", condition="#state = :draft", values={":draft": "draft"}),
                table.tx_delete(formation_key(ref), "RECORD", condition="attribute_not_exists(published_at)"),
            ],
            conflict=NEVER_PUBLISHED,
        )
    except Conflict:
        return False
    return True


def add_sessions(record: Item, sessions: list[SessionInput]) -> list[Item]:
    """Published sessions added to a published formation, numbered, with their trainers' filing and the
    formation's last end date: together or not at all. (The sessions issue moves sessions into the
    formation's draft; until then the demo data adds them this way.)"""
    ref, siret = record["ref"], record["siret"]
    actions = []
    items: list[Item] = []
    for session in sessions:
        sref = reference(SESSION_PREFIX, table.next_number("SESSION"))
        item = {"pk": formation_key(ref), "sk": f"SESSION#{sref}", "ref": sref, "formation_ref": ref}
        item |= session.model_dump(mode="json")
        items.append(item)
        actions.append(table.tx_put_new(item))
        actions.append(table.tx_put_new({"pk": f"SESSION#{sref}", "sk": "REF", "formation_ref": ref}))
    for trainer in sorted({s.trainer_siret for s in sessions if s.trainer_siret} - {siret}):
        actions.append(
            table.tx_put(
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
    ends = [s.end_date.isoformat() for s in sessions]
    if record.get("sessions_end"):
        ends.append(record["sessions_end"])
    actions.append(
        table.tx_update(
            formation_key(ref),
            "RECORD",
            {"sessions_end": max(ends)},
            condition="#version = :expected",
            values={":expected": record["version"]},
        )
    )
    table.transact(actions)
    return items


def trainer_titles(ref: str, trainers: list[str], title: str) -> list[dict[str, Any]]:
    """The transaction actions that keep the title filed under each trainer in step with the formation's."""
    return [
        table.tx_update(formation_key(ref), f"TRAINER#{siret}", {"title": title}, condition="attribute_exists(pk)")
        for siret in trainers
    ]


def set_indexing(record: Item, changes: dict[str, Any], *, version: int, history: Item) -> Item:
    """The Carif-Oref's indexing changed on the record if it is still at `version`, with its history."""
    pk = formation_key(record["ref"])
    table.transact(
        [
            table.tx_update(pk, "RECORD", changes, condition="#version = :expected", values={":expected": version}),
            table.tx_put_new({"pk": pk, "sk": f"HISTORY#{history['decided_at']}#{history['id']}", **history}),
        ]
    )
    return {**record, **changes, "version": version + 1}


def formations_of(siret: str) -> list[Item]:
    return list(table.query_all(f"STRUCTURE#{siret}", index="gsi1", sk_prefix="FORMATION#"))


def records(refs: list[str]) -> list[Item]:
    """The records of these formations, in one batch read."""
    return table.get_many([(formation_key(ref), "RECORD") for ref in refs])


def trained_by(siret: str) -> list[Item]:
    """The formations some of whose sessions this structure trains (it is not their responsible)."""
    return list(table.query_all(f"STRUCTURE#{siret}", index="gsi1", sk_prefix="TRAINS#"))


def get_formation(ref: str) -> Item | None:
    """The formation with its sessions, trainers and draft, in one query (history aside)."""
    items = list(table.query_all(formation_key(ref), consistent=True))
    record = next((i for i in items if i["sk"] == "RECORD"), None)
    if record is None:
        return None
    record["sessions"] = [i for i in items if i["sk"].startswith("SESSION#")]
    record["trainers"] = [i["sk"].removeprefix("TRAINER#") for i in items if i["sk"].startswith("TRAINER#")]
    record["draft"] = next((i for i in items if i["sk"] == "DRAFT"), None)
    return record
