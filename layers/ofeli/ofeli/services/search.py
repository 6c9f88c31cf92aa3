"""The guide's search engine and the dashboard's blocks, over the search rows (`ofeli.store.search`):
an OF's search is one Query on its partition, the moderators' one Query per shard in parallel; the
criteria, sort and paging run in memory (`ofeli.domain.search`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import date

from ofeli import aws, clock
from ofeli.domain.certification_search import Index
from ofeli.domain.identity import Identity
from ofeli.domain.search import (
    BlockCounts,
    Catalogue,
    PreparedRow,
    RowFacts,
    SearchPage,
    SearchQuery,
    SearchRow,
    broken_links,
    prepare,
    search,
    search_layers,
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


def _catalogue(items: Iterable[Item], today: date, index: Index, siret: str | None = None) -> Catalogue:
    """The rows with their facts, ready to search; a trainer (`siret`) sees the sessions it trains."""
    rows = []
    for item in items:
        prepared = _prepared(item)
        if siret is not None and item.get("role") == "formateur":
            prepared = prepared.for_trainer(siret)
        rows.append((prepared, _facts(item, prepared.row, today, index)))
    return Catalogue(rows, today=today)


# A structure's catalogue, kept while what its rows hold, the day and the certification referential are
# the same (the last few structures searched in this container).
_STRUCTURES: OrderedDict[tuple[object, ...], Catalogue] = OrderedDict()
_STRUCTURES_KEPT = 16


def _structure_catalogue(siret: str) -> Catalogue:
    items = store.rows_of(siret)
    today, index = clock.today(), certifications.index()  # one GetItem (the referential's pointer)
    key = (
        siret,
        today,
        index,  # the object itself: a newer referential is another one
        tuple((i["sk"], bytes(i["row"]), i.get("pending"), i.get("links"), i.get("role")) for i in items),
    )
    with _LOCK:
        found = _STRUCTURES.get(key)
        if found is not None:
            _STRUCTURES.move_to_end(key)
            return found
    built = _catalogue(items, today, index, siret)
    with _LOCK:
        _STRUCTURES[key] = built
        while len(_STRUCTURES) > _STRUCTURES_KEPT:
            _STRUCTURES.popitem(last=False)
    return built


class _Region:
    """The region's responsible rows as this container last read them: the 8 shards once, then only what
    the change log (`ofeli.store.search`) says changed since, each change's row read again (strongly
    consistent reads: a moderator sees a publication at once). Read whole again after `RELOAD_NS`.

    Searched as two catalogues (`search_layers`): the region as it was read (every order and index
    built once) with the rows changed since left out, and a small one of those rows as they are now;
    the large one is built again when the day or the certification referential changes, or after
    `REBUILD_AFTER` changed rows."""

    RELOAD_NS = 3600 * 10**9  # well within the log's two days (the system clock's, like the log's order)
    OVERLAP_NS = 30 * 10**9  # a change logged before the last one read, committed after it (slow commit, skew)
    REBUILD_AFTER = 500

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Item] = {}
        self.marks: store.LogMarks = {}
        self.seen: set[str] = set()
        self.loaded_at = 0
        self.base: Catalogue | None = None
        self.positions: dict[tuple[str, str], int] = {}  # a row's place in `base`
        self.built_for: tuple[object, ...] = ()
        self.changed: set[tuple[str, str]] = set()  # rows changed since `base` was built
        self.top: tuple[Catalogue, bytes] | None = None

    def refresh(self) -> None:
        if not self.marks or clock.sequence() - self.loaded_at > self.RELOAD_NS:
            self.marks = store.log_marks()
            # the changes already in the rows read next, which the overlap would bring back
            self.seen = {c["sk"] for c in store.changes_after(self.marks, self.OVERLAP_NS)}
            self.rows = {(i["pk"], i["sk"]): i for i in store.region_rows()}
            self.loaded_at, self.base = clock.sequence(), None
            return
        changes = [c for c in store.changes_after(self.marks, self.OVERLAP_NS) if c["sk"] not in self.seen]
        if not changes:
            return
        for key, item in store.rows_at(changes).items():
            if item is None:
                self.rows.pop(key, None)
            else:
                self.rows[key] = item
            self.changed.add(key)
        for change in changes:
            self.marks[change["pk"]] = max(self.marks[change["pk"]], change["sk"])
        # what may come back within the overlap: the changes read since its start
        self.seen |= {c["sk"] for c in changes}
        floor = min(int(m.split("#")[0]) for m in self.marks.values() if m) - self.OVERLAP_NS
        self.seen = {sk for sk in self.seen if int(sk.split("#")[0]) >= floor}
        self.top = None

    def searched(self) -> tuple[Catalogue, bytes | None, Catalogue | None]:
        self.refresh()
        today, index = clock.today(), certifications.index()
        if self.base is None or self.built_for != (today, index) or len(self.changed) > self.REBUILD_AFTER:
            keys = list(self.rows)
            self.base = _catalogue([self.rows[k] for k in keys], today, index).build_all()
            self.positions = {key: position for position, key in enumerate(keys)}
            self.built_for, self.changed, self.top = (today, index), set(), None
        if not self.changed:
            return self.base, None, None
        if self.top is None:
            current = [self.rows[k] for k in sorted(self.changed) if k in self.rows]
            hidden = self.base.hide(self.positions[k] for k in self.changed if k in self.positions)
            self.top = (_catalogue(current, today, index), hidden)
        top, hidden = self.top
        return self.base, hidden, top


_LOCK = threading.Lock()
_REGION_LOCK = threading.Lock()  # one refresh at a time; requests in parallel then search the same catalogue
_REGION = _Region()


@aws.on_reset
def _forget() -> None:
    global _REGION
    with _REGION_LOCK, _LOCK:
        _REGION = _Region()
        _STRUCTURES.clear()
        _PREPARED.clear()


def _measure_labels() -> dict[str, str]:
    return {m.code: m.label for f in financing_referential().financers for m in f.measures}


def structure_search(identity: Identity, siret: str, query: SearchQuery) -> SearchPage:
    """*Formations*: the space's offer, as responsible and as trainer (read-only)."""
    structure_for(identity, siret)
    return search(_structure_catalogue(siret), query, measure_labels=_measure_labels())


def region_search(query: SearchQuery) -> SearchPage:
    """The moderators' search across every structure of the region."""
    with _REGION_LOCK:
        base, hidden, top = _REGION.searched()
    return search_layers(base, hidden, top, query, measure_labels=_measure_labels())


def blocks(siret: str) -> tuple[int, BlockCounts]:
    """The dashboard: how many formations (archived ones aside), and the count of each block's search."""
    catalogue = _structure_catalogue(siret)
    return sum(1 for facts in catalogue.facts if not facts.archived), catalogue.blocks()
