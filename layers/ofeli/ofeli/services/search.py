"""The guide's search engine and the dashboard's blocks, over the search rows (`ofeli.store.search`):
an OF's search is one Query on its partition, the moderators' one Query per shard in parallel; the
criteria, sort and paging run in memory (`ofeli.domain.search`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ofeli import clock
from ofeli.domain.certification_search import Index
from ofeli.domain.identity import Identity
from ofeli.domain.search import (
    BlockCounts,
    PreparedRow,
    RowFacts,
    SearchPage,
    SearchQuery,
    SearchRow,
    block_counts,
    broken_links,
    prepare,
    search,
)
from ofeli.domain.sessions import financing_referential
from ofeli.services import certifications
from ofeli.services.access import structure_for
from ofeli.store import search as store
from ofeli.store.table import Item


def _facts(item: Item, row: SearchRow, today: date, index: Index) -> RowFacts:
    known = [r for code in row.codes if (r := index.row(code)) is not None]
    inactive = [r for r in known if not r.get("active")]
    ended = all(s.end is not None and s.end < today for s in row.sessions)
    not_renewed = bool(known) and len(inactive) == len(known) and not any(r.get("successors") for r in inactive)
    return RowFacts(
        pending=bool(item.get("pending")),
        broken_links=[f.url for f in broken_links(row, store.links_of(item))],
        archived=row.published and not_renewed and ended,
        awaiting_renewal=bool(inactive),
        role=item.get("role") or "responsable",
    )


# A row's bytes, unpacked and prepared once per container: a search prepares only the rows that changed
# since the last one.
_PREPARED: dict[bytes, PreparedRow] = {}
_PREPARED_MAX = 200_000


def _prepared(item: Item) -> PreparedRow:
    packed = bytes(item["row"])
    prepared = _PREPARED.get(packed)
    if prepared is None:
        if len(_PREPARED) >= _PREPARED_MAX:
            _PREPARED.clear()
        prepared = _PREPARED[packed] = prepare(store.unpacked(item))
    return prepared


def _rows(items: Iterable[Item], siret: str | None = None) -> list[tuple[PreparedRow, RowFacts]]:
    """The rows with their facts; a trainer (`siret`) sees the sessions it trains."""
    today = clock.today()
    index = certifications.index()  # one GetItem (the referential's pointer), whatever the rows
    out = []
    for item in items:
        prepared = _prepared(item)
        if siret is not None and item.get("role") == "formateur":
            prepared = prepared.for_trainer(siret)
        out.append((prepared, _facts(item, prepared.row, today, index)))
    return out


def _measure_labels() -> dict[str, str]:
    return {m.code: m.label for f in financing_referential().financers for m in f.measures}


def structure_search(identity: Identity, siret: str, query: SearchQuery) -> SearchPage:
    """*Formations*: the space's offer, as responsible and as trainer (read-only)."""
    structure_for(identity, siret)
    return search(_rows(store.rows_of(siret), siret), query, today=clock.today(), measure_labels=_measure_labels())


def region_search(query: SearchQuery) -> SearchPage:
    """The moderators' search across every structure of the region."""
    rows = _rows(store.region_rows())
    return search(rows, query, today=clock.today(), measure_labels=_measure_labels())


def blocks(siret: str) -> tuple[int, BlockCounts]:
    """The dashboard: how many formations (archived ones aside), and the count of each block's search."""
    rows = _rows(store.rows_of(siret), siret)
    return sum(1 for _, facts in rows if not facts.archived), block_counts(rows, today=clock.today())
