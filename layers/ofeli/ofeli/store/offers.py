"""Formations and their sessions.

- `FORMATION#<ref>` / `RECORD`: the formation as published (its fields at the top level, as the
  workflow engine writes them), `published_at` once first published (a formation in creation has
  none), the Carif-Oref's indexing (`formacodes`, `nsf`, `romes`), `sessions_end` (the last end date of
  its sessions); `gsi1`: `STRUCTURE#<siret>` / `FORMATION#<ref>`, so an OF's offer is one query.
  Its draft, submission and history are the workflow engine's items of the same partition
  (`ofeli.store.workflow`).
- `FORMATION#<ref>` / `SESSION#<ref>`: its published sessions (`ofeli.domain.sessions.SessionDraft`),
  read with the formation in one query, written at the publication of the formation's draft (which holds
  the current and upcoming ones, and the new ones).
- `SESSION#<ref>` / `REF`: which formation a session number belongs to (one read resolves an S number),
  written when the number is given (a session added to a draft).
- `STRUCTURE#<siret>` / `PLACE#<id>`: a place of training or of registration of a structure training
  sessions, filed when a session that created it is published (the places later sessions choose from).
- `FORMATION#<ref>` / `TRAINER#<siret>`: a structure training some of its sessions, filed under it
  (`gsi1`: `STRUCTURE#<siret>` / `TRAINS#<ref>`): its *Formations de l'OF* is one query more.

Formation and session numbers come from counters: unique, never reused (an abandoned creation keeps
its number).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from ofeli.domain.errors import Conflict
from ofeli.domain.offers import FORMATION_PREFIX, SESSION_PREFIX, reference
from ofeli.store import partner_feed, search, table
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
    also: Callable[[str], list[dict[str, Any]]] = lambda _ref: [],
) -> str:
    """A formation in creation: its record (never published, with the indexing its certification
    suggests) and its draft, together (with `also(ref)`, what it files elsewhere: its search row).
    Returns its ref."""
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
    table.transact(
        [table.tx_put_new(record), table.tx_put_new(opened), *also(ref)], conflict="Cette référence existe déjà."
    )
    return ref


def discard(ref: str, siret: str) -> bool:
    """*Supprimer ma demande* of a formation never published: the record, its draft and its search row
    go together (not while submitted, nor once published). False when that no longer holds."""
    try:
        table.transact(
            [
                table.tx_delete(formation_key(ref), "DRAFT", condition="#state = :draft", values={":draft": "draft"}),
                table.tx_delete(formation_key(ref), "RECORD", condition="attribute_not_exists(published_at)"),
                *search.tx_delete(siret, ref),
            ],
            conflict=NEVER_PUBLISHED,
        )
    except Conflict:
        return False
    return True


def number_session(formation_ref: str) -> str:
    """A new session number for this formation, filed at once (`SESSION#<ref>` / `REF`): an S number
    resolves with one read even before its session is published; never reused."""
    sref = reference(SESSION_PREFIX, table.next_number("SESSION"))
    table.put_new({"pk": f"SESSION#{sref}", "sk": "REF", "formation_ref": formation_ref}, conflict="Ce numéro existe.")
    return sref


def formations_of_sessions(refs: list[str]) -> dict[str, str]:
    """Which formation each of these session numbers belongs to (one batch read)."""
    rows = table.get_many([(f"SESSION#{ref}", "REF") for ref in refs])
    return {row["pk"].removeprefix("SESSION#"): row["formation_ref"] for row in rows}


def tx_session(formation_ref: str, session: dict[str, Any]) -> dict[str, Any]:
    """The transaction action that publishes a session (its whole content, replaced)."""
    return table.tx_put(
        {
            "pk": formation_key(formation_ref),
            "sk": f"SESSION#{session['ref']}",
            "formation_ref": formation_ref,
            **session,
        }
    )


def place_id(place: dict[str, Any]) -> str:
    """A place's id under its trainer, from its name and address: the same place created twice is one."""
    address = place.get("address") or {}
    text = "|".join(
        " ".join(str(v or "").lower().split())
        for v in (place.get("name"), address.get("line1"), address.get("postal_code"))
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def tx_place(trainer: str, place: dict[str, Any]) -> dict[str, Any]:
    """A place of training or of registration filed under its trainer (`STRUCTURE#<siret>` / `PLACE#<id>`),
    for its later sessions to choose; written again as it is (the same place, the same item)."""
    identifier = place_id(place)
    return table.tx_put(
        {
            "pk": f"STRUCTURE#{trainer}",
            "sk": f"PLACE#{identifier}",
            "place_id": identifier,
            "name": place.get("name"),
            "address": place.get("address"),
        }
    )


def places_of(siret: str) -> list[Item]:
    """A structure's places of training (one query)."""
    return list(table.query_all(f"STRUCTURE#{siret}", sk_prefix="PLACE#"))


def tx_trainer(formation_ref: str, trainer: str, *, title: str, siret: str) -> dict[str, Any]:
    """A structure training sessions of the formation, filed under it (its *Formations de l'OF*)."""
    return table.tx_put(
        {
            "pk": formation_key(formation_ref),
            "sk": f"TRAINER#{trainer}",
            "gsi1pk": f"STRUCTURE#{trainer}",
            "gsi1sk": f"TRAINS#{formation_ref}",
            "ref": formation_ref,
            "title": title,
            "siret": siret,
        }
    )


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
            partner_feed.tx_changed(record["ref"], history["decided_at"]),
        ]
    )
    return {**record, **changes, "version": version + 1}


def set_session(record: Item, session: dict[str, Any], *, version: int, history: Item) -> None:
    """A published session changed by the Carif-Oref, if its formation is still at `version` (the
    formation's version moves on), with the history entry: together or not at all."""
    pk = formation_key(record["ref"])
    table.transact(
        [
            table.tx_update(pk, "RECORD", {}, condition="#version = :expected", values={":expected": version}),
            tx_session(record["ref"], session),
            table.tx_put_new({"pk": pk, "sk": f"HISTORY#{history['decided_at']}#{history['id']}", **history}),
            partner_feed.tx_changed(record["ref"], history["decided_at"]),
        ]
    )


def formations_of(siret: str) -> list[Item]:
    return list(table.query_all(f"STRUCTURE#{siret}", index="gsi1", sk_prefix="FORMATION#"))


def trained_by(siret: str) -> list[Item]:
    """The formations some of whose sessions this structure trains (it is not their responsible)."""
    return list(table.query_all(f"STRUCTURE#{siret}", index="gsi1", sk_prefix="TRAINS#"))


SESSION_KEYS = frozenset({"pk", "sk", "formation_ref", "version"})


def session_data(item: Item) -> Item:
    """A published session's content, without its keys."""
    return {k: v for k, v in item.items() if k not in SESSION_KEYS}


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


def _published_parts(client: Any, name: str, ref: str, with_draft: bool) -> Item | None:
    """A formation's record, published sessions and trainers: one Query from `RECORD` on (its history and
    draft sort before it); its draft (one GetItem) when asked and the record was never published."""
    kwargs: dict[str, Any] = {
        "TableName": name,
        "KeyConditionExpression": "#pk = :pk AND #sk >= :record",
        "ExpressionAttributeNames": {"#pk": "pk", "#sk": "sk"},
        "ExpressionAttributeValues": {":pk": formation_key(ref), ":record": "RECORD"},
    }
    items: list[Item] = []
    while True:
        out = client.query(**kwargs)
        items += [table.plain(i) for i in out.get("Items", [])]
        if not out.get("LastEvaluatedKey"):
            break
        kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]
    record = next((i for i in items if i["sk"] == "RECORD"), None)
    if record is None:
        return None
    record["sessions"] = [i for i in items if i["sk"].startswith("SESSION#")]
    record["trainers"] = [i["sk"].removeprefix("TRAINER#") for i in items if i["sk"].startswith("TRAINER#")]
    record["draft"] = None
    if with_draft and not record.get("published_at"):
        found = client.get_item(TableName=name, Key={"pk": formation_key(ref), "sk": "DRAFT"}).get("Item")
        record["draft"] = table.plain(found) if found else None
    return record


def read_formations(refs: Iterable[str], *, with_draft: bool = False, batch: int = 32) -> Iterator[Item]:
    """Formations as `get_formation` gives them, history aside (the exports and the partners' feed), read
    `batch` at a time with parallel Queries, in the order asked; a ref that no longer exists is skipped.
    Memory holds one batch, whatever the number of refs."""
    from concurrent.futures import ThreadPoolExecutor

    from ofeli import aws
    from ofeli.settings import settings

    client = aws.dynamodb().meta.client  # thread-safe (the resource is not)
    name = settings().table
    pending = iter(refs)
    with ThreadPoolExecutor(max_workers=8) as pool:
        while chunk := list(islice(pending, batch)):
            for record in pool.map(lambda ref: _published_parts(client, name, ref, with_draft), chunk):
                if record is not None:
                    yield record
