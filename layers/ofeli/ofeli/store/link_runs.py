"""Runs of the link checker: `LINKCHECK` / `RUN#<started_at>`, newest read first."""

from __future__ import annotations

from ofeli.store import table
from ofeli.store.table import Item


def record(item: Item) -> Item:
    return table.put_new(
        {"pk": "LINKCHECK", "sk": f"RUN#{item['started_at']}", **item},
        conflict="Une vérification des liens vient déjà de démarrer.",
    )


def last(limit: int = 10) -> list[Item]:
    return table.query("LINKCHECK", sk_prefix="RUN#", limit=limit, forward=False).items
