"""The nightly check of the offer's web links (block *Erreur liens site internet*).

Every published formation's web page and its sessions' are checked once per run (`ofeli.store.link_probe`:
HEAD then GET, redirects, bounded concurrency, one site never hammered); each formation's search rows keep
the result of each of its links and the date (`links`), written only when something changed; a link that
works again clears its flag at the next run. The run is recorded with its counts."""

from __future__ import annotations

from typing import Any

from ofeli import clock, observability
from ofeli.domain.search import urls_of
from ofeli.store import link_probe, link_runs
from ofeli.store import search as store
from ofeli.store.table import Item


def _finding(result: Any, checked_at: str) -> dict[str, Any]:
    return {"ok": result.ok, "status": result.status, "reason": result.reason, "checked_at": checked_at}


def run(*, trigger: str) -> Item:
    started_at = clock.iso()
    formations = []
    for item in store.region_rows():
        row = store.unpacked(item)
        if row.published:
            formations.append((item, row, urls_of(row)))
    results = link_probe.probe_all(url for _, _, urls in formations for url in urls)
    broken = changed = 0
    for item, row, urls in formations:
        links = {url: _finding(results[url], started_at) for url in urls}
        broken += sum(1 for f in links.values() if not f["ok"])
        before = store.links_of(item)
        same = {u: {k: v for k, v in f.items() if k != "checked_at"} for u, f in links.items()} == {
            u: {k: v for k, v in f.items() if k != "checked_at"} for u, f in before.items()
        }
        if not same:
            trainers = {s.trainer for s in row.sessions} - {row.siret}
            store.set_links(row.siret, row.ref, trainers, links)
            changed += 1
    observability.count("LinksChecked", len(results))
    observability.count("LinksBroken", broken)
    return link_runs.record(
        {
            "started_at": started_at,
            "finished_at": clock.iso(),
            "trigger": trigger,
            "checked": len(results),
            "broken": broken,
            "formations_changed": changed,
        }
    )


def last_runs(limit: int = 10) -> list[Item]:
    return link_runs.last(limit)
