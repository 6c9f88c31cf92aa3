"""Runs of the link checker: `LINKCHECK` / `RUN#<started_at>`, newest read first."""

from __future__ import annotations

from ofeli import clock
from ofeli.store import table
from ofeli.store.table import Item


def record_run(*, trigger: str, checked: int = 0) -> Item:
    started_at = clock.iso()
    item = {
        "pk": "LINKCHECK",
        "sk": f"RUN#{started_at}",
        "started_at": started_at,
        "trigger": trigger,
        "checked": checked,
    }
    return table.put_new(item, conflict="Une vérification des liens vient déjà de démarrer.")


def last_runs(limit: int = 10) -> list[Item]:
    return table.query("LINKCHECK", sk_prefix="RUN#", limit=limit, forward=False).items
