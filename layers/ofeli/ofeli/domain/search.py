"""The guide's search engine over the offer (*Moteur de recherche des formations*, *Tableau de
résultats*) and the dashboard's blocks: what a search row holds, how the criteria match it, the lines of
the results table, their state, sort, column filters and paging. Pure: the store keeps one compact row
per formation (its sessions' searchable fields inside) and the service reads them with one Query.

One row per formation, not per session: a change of a formation's title would otherwise rewrite up to
`MAX_SESSIONS` rows in its publication's transaction (which holds 100 writes); the row carries what the
results table needs of each session, and the table shows one line per session.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Literal, TypeVar, cast

from pydantic import Field

from ofeli.domain.directory import fold
from ofeli.domain.model import Model
from ofeli.domain.sessions import FinancingReferential, SessionDraft, publicly_funded

LineState = Literal["en_creation", "diffusee", "en_attente", "terminee"]
STATE_LABELS: dict[str, str] = {
    "en_creation": "En création",
    "diffusee": "Diffusée",
    "en_attente": "En attente de validation",
    "terminee": "Terminée",
}
Block = Literal["diffusees", "fonds_publics", "en_attente", "non_diffusees", "erreur_lien"]
BLOCKS: tuple[Block, ...] = ("diffusees", "fonds_publics", "en_attente", "non_diffusees", "erreur_lien")
BLOCK_LABELS: dict[str, str] = {
    "diffusees": "Formations diffusées",
    "fonds_publics": "Formations fonds publics diffusées",
    "en_attente": "Formations en attente de validation",
    "non_diffusees": "Formations non diffusées",
    "erreur_lien": "Erreur liens site internet",
}
Column = Literal["ref", "title", "session", "start", "end", "city", "state", "structure"]
COLUMNS: tuple[Column, ...] = ("ref", "title", "session", "start", "end", "city", "state", "structure")
MAX_REFS = 50  # numbers in one `ref` criterion
_T = TypeVar("_T")


# ---------------------------------------------------------------------- the stored row
class RowSession(Model):
    """What the search needs of one published session."""

    ref: str
    start: date | None = None
    end: date | None = None
    cities: list[str] = Field(default_factory=list, description="Villes des lieux de formation")
    measures: list[str] = Field(default_factory=list, description="Codes des mesures de ses financements")
    markets: list[str] = Field(default_factory=list, description="Numéros de marché")
    public: bool = Field(default=False, description="Un financeur public (bloc fonds publics)")
    trainer: str
    website: str | None = None
    archived: bool = False


class SearchRow(Model):
    """A formation as the search reads it: kept in step with its record, in the same transaction."""

    ref: str
    siret: str = Field(description="L'organisme responsable")
    title: str
    codes: list[str] = Field(default_factory=list, description="Ses certifications")
    published: bool = False
    website: str | None = None
    structure: str | None = Field(default=None, description="Le nom de l'organisme responsable")
    sessions: list[RowSession] = Field(default_factory=list)


def urls_of(row: SearchRow) -> list[str]:
    """The web pages of a formation and of its sessions, each once (what the link checker checks)."""
    return list(dict.fromkeys(u for u in [row.website, *(s.website for s in row.sessions)] if u))


class LinkFinding(Model):
    """What the nightly link checker found of a web page of the offer, and when."""

    url: str
    ok: bool
    status: int | None = None
    reason: str
    checked_at: str


def broken_links(row: SearchRow, links: Mapping[str, Mapping[str, object]]) -> list[LinkFinding]:
    """The current web pages of a formation found broken at the last check (a page changed since is
    not reported before it is checked)."""
    return [
        finding
        for url in urls_of(row)
        if (found := links.get(url)) is not None
        and not (finding := LinkFinding.model_validate({**found, "url": url})).ok
    ]


class RowFacts(Model):
    """What the row's item and the referential add to it: the pending submission (the workflow), the
    links found broken (the link checker), the certifications' state, whose copy it is."""

    pending: bool = False
    broken_links: list[str] = Field(default_factory=list)
    archived: bool = Field(default=False, description="Certification non renouvelée et sessions terminées")
    awaiting_renewal: bool = Field(default=False, description="Une certification inactive (renouvellement RNCP)")
    role: Literal["responsable", "formateur"] = "responsable"


def row_of(
    formation: Mapping[str, object],
    sessions: Iterable[SessionDraft],
    *,
    published: bool,
    place_cities: Mapping[str, str],
    referential: FinancingReferential,
    structure: str | None = None,
) -> SearchRow:
    """A formation's row from its published values and its sessions (finished ones too: the results
    table shows them as *terminée*); `place_cities` gives the city of the places sessions refer to."""

    def cities(session: SessionDraft) -> list[str]:
        found = [
            (place_cities.get(place.place_id) if place.place_id else (place.address.city if place.address else None))
            for place in session.places
        ]
        return list(dict.fromkeys(c for c in found if c))

    certifications = cast(list[Mapping[str, object]], formation.get("certifications") or [])
    return SearchRow(
        ref=str(formation["ref"]),
        siret=str(formation["siret"]),
        title=str(formation.get("title") or ""),
        codes=[str(c["code"]) for c in certifications],
        published=published,
        website=cast(str | None, formation.get("website")),
        structure=structure,
        sessions=[
            RowSession(
                ref=s.ref,
                start=s.start_date,
                end=s.end_date,
                cities=cities(s),
                measures=list(dict.fromkeys(line.measure for line in s.funding if line.measure)),
                markets=list(dict.fromkeys(line.market_number for line in s.funding if line.market_number)),
                public=publicly_funded(s, referential),
                trainer=s.trainer_siret or str(formation["siret"]),
                website=s.website,
                archived=s.archived,
            )
            for s in sessions
            if s.ref
        ],
    )


def place_ids(sessions: Iterable[SessionDraft], responsible: str) -> dict[str, set[str]]:
    """The places sessions refer to, by trainer (to read their cities)."""
    out: dict[str, set[str]] = {}
    for session in sessions:
        for place in session.places:
            if place.place_id:
                out.setdefault(session.trainer_siret or responsible, set()).add(place.place_id)
    return out


# ---------------------------------------------------------------------- the query
class SearchQuery(Model):
    q: str | None = Field(default=None, max_length=200, description="Recherche rapide : intitulé ou référence")
    ref: str | None = Field(default=None, max_length=600, description="Numéros F ou S, `*` joker, `;` entre plusieurs")
    ref_type: Literal["F", "S"] = "F"
    title: str | None = Field(default=None, max_length=255, description="Un mot, ou le libellé exact")
    mesure: str | None = Field(default=None, max_length=120, description="Code ou libellé d'une mesure")
    marche: str | None = Field(default=None, max_length=50, description="Numéro de marché région")
    city: str | None = Field(default=None, max_length=80)
    state: LineState | None = None
    block: Block | None = None
    filters: dict[Column, str] = Field(default_factory=dict, description="Filtre par colonne (contient)")
    sort: Column = "ref"
    order: Literal["asc", "desc"] = "asc"
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=20, ge=1, le=200)


class SearchParams(Model):
    """`SearchQuery` as the query string carries it: the column filters as `filter_<column>`."""

    q: str | None = Field(default=None, max_length=200, description="Recherche rapide : intitulé ou référence")
    ref: str | None = Field(
        default=None, max_length=600, description="Numéros F ou S ; * remplace des chiffres ; « ; » entre plusieurs"
    )
    ref_type: Literal["F", "S"] = Field(default="F", description="F : numéros de formation ; S : de session")
    title: str | None = Field(default=None, max_length=255, description="Un mot entier, ou le libellé exact")
    mesure: str | None = Field(default=None, max_length=120, description="Code ou libellé de la mesure")
    marche: str | None = Field(default=None, max_length=50, description="Numéro de marché région")
    city: str | None = Field(default=None, max_length=80)
    state: LineState | None = None
    block: Block | None = Field(default=None, description="Un bloc du tableau de bord")
    sort: Column = "ref"
    order: Literal["asc", "desc"] = "asc"
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=20, ge=1, le=200)
    filter_ref: str | None = Field(default=None, max_length=100)
    filter_title: str | None = Field(default=None, max_length=100)
    filter_session: str | None = Field(default=None, max_length=100)
    filter_start: str | None = Field(default=None, max_length=100)
    filter_end: str | None = Field(default=None, max_length=100)
    filter_city: str | None = Field(default=None, max_length=100)
    filter_state: str | None = Field(default=None, max_length=100)
    filter_structure: str | None = Field(default=None, max_length=100, description="Recherche régionale")

    def query(self) -> SearchQuery:
        values = self.model_dump()
        filters = {c: text for c in COLUMNS if (text := values.pop(f"filter_{c}")) and text.strip()}
        return SearchQuery(**values, filters=filters)


class SearchLine(Model):
    """A line of the results table: a session with its formation (a formation without a published
    session: one line without session)."""

    ref: str
    title: str
    session: str | None = None
    start: date | None = None
    end: date | None = None
    city: str | None = None
    state: LineState
    state_label: str
    role: Literal["responsable", "formateur"]
    siret: str
    structure: str | None = None


class SearchPage(Model):
    items: list[SearchLine]
    total: int = Field(description="Lignes trouvées (une par session ; une formation sans session : une ligne)")
    formations: int = Field(description="Formations distinctes trouvées")
    sessions: int = Field(description="Sessions trouvées")
    page: int
    page_size: int


class BlockCounts(Model):
    """The dashboard's *Formations* block: each count is the number of formations its search finds."""

    diffusees: int
    fonds_publics: int
    en_attente: int
    non_diffusees: int
    erreur_lien: int


# ---------------------------------------------------------------------- criteria
_REF = re.compile(r"^[A-Za-z]?[0-9*]+$")


def _ref_pattern(token: str, kind: str) -> re.Pattern[str] | None:
    """`F0000012`, `0000012`, `*28`, `F00*1`: a whole number, `*` standing for any digits."""
    token = token.strip().upper()
    if not token or not _REF.match(token):
        return None
    if token[0].isalpha():
        if token[0] != kind:
            return None
        token = token[1:]
    if not token.strip("*"):
        return None
    return re.compile(kind + ".*".join(re.escape(part) for part in token.split("*")) + "$")


def ref_patterns(text: str | None, kind: str) -> list[re.Pattern[str]]:
    """The numbers of a `ref` criterion (`;` between them), each as a pattern on whole references."""
    tokens = [t for t in (text or "").replace(",", ";").split(";") if t.strip()][:MAX_REFS]
    return [p for t in tokens if (p := _ref_pattern(t, kind)) is not None]


def looks_like_reference(text: str) -> bool:
    """The quick search: `F0000012`, `S0000003`, `*28` are references; words are a title."""
    tokens = [t.strip() for t in text.split(";") if t.strip()]
    return bool(tokens) and all(_REF.match(t) and any(c.isdigit() for c in t) for t in tokens)


def _compact(text: str | None) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


def measure_codes(wanted: str | None, labels: Mapping[str, str]) -> set[str] | None:
    """The measure codes a `mesure` criterion names: a code, or a label (case and accents ignored);
    None when no criterion; an empty set when it names no measure."""
    if not wanted or not wanted.strip():
        return None
    key = fold(wanted)
    return {code for code, label in labels.items() if fold(code) == key or fold(label) == key}


# ---------------------------------------------------------------------- lines and blocks
def _current(session: RowSession, today: date) -> bool:
    return not session.archived and (session.end is None or session.end >= today)


def line_state(row: SearchRow, facts: RowFacts, session: RowSession | None, today: date) -> LineState:
    if facts.pending:
        return "en_attente"
    if not row.published:
        return "en_creation"
    if session is not None and not _current(session, today):
        return "terminee"
    if session is None and not any(_current(s, today) for s in row.sessions):
        return "terminee"
    return "diffusee"


def in_block(row: SearchRow, facts: RowFacts, block: Block, today: date) -> bool:
    """The guide's pre-filtered searches, by formation:
    - *diffusées*: published, with a current or upcoming session (what the partners and the public see);
    - *fonds publics diffusées*: among those, a current or upcoming session funded by a public financer;
    - *en attente de validation*: a submission waits for the Carif-Oref;
    - *non diffusées*: published, and every session finished, or a certification awaiting its renewal;
    - *erreur liens site internet*: a website link of the formation or of its sessions found broken."""
    current = [s for s in row.sessions if _current(s, today)]
    if block == "diffusees":
        return row.published and bool(current) and not facts.awaiting_renewal
    if block == "fonds_publics":
        return row.published and any(s.public for s in current) and not facts.awaiting_renewal
    if block == "en_attente":
        return facts.pending
    if block == "non_diffusees":
        return row.published and (not current or facts.awaiting_renewal)
    return bool(facts.broken_links)


# ---------------------------------------------------------------------- prepared rows (folded once)
def _day(day: date | None) -> str:
    """A date as the API gives it and as the table shows it: a filter may type either."""
    return f"{day.isoformat()} {day:%d/%m/%Y}" if day else ""


class PreparedSession:
    """A session's searchable values, folded once (a row's bytes are unpacked and prepared once per
    container: a search then compares strings)."""

    __slots__ = ("session", "ref", "cities", "city_text", "city_key", "measures", "markets", "start", "end")

    def __init__(self, session: RowSession) -> None:
        self.session = session
        self.ref = session.ref
        self.cities = [fold(c) for c in session.cities]
        shown = ", ".join(dict.fromkeys(session.cities))
        self.city_text = shown or None
        self.city_key = fold(shown)
        self.measures = frozenset(session.measures)
        self.markets = frozenset(_compact(m) for m in session.markets)
        self.start = _day(session.start)
        self.end = _day(session.end)


class PreparedRow:
    __slots__ = ("row", "title_key", "title_words", "structure_key", "sessions", "measures")

    def __init__(self, row: SearchRow, sessions: list[PreparedSession] | None = None) -> None:
        self.row = row
        self.title_key = fold(row.title)
        self.title_words = frozenset(self.title_key.split())
        self.structure_key = fold(row.structure)
        shown = [s for s in row.sessions if not s.archived]
        self.sessions = (
            sessions
            if sessions is not None
            else [PreparedSession(s) for s in sorted(shown, key=lambda s: (s.start or date.max, s.ref))]
        )
        self.measures = frozenset(m for s in self.sessions for m in s.measures)

    def for_trainer(self, siret: str) -> PreparedRow:
        """The rows a trainer sees: the sessions it trains."""
        row = self.row.model_copy(update={"sessions": [s for s in self.row.sessions if s.trainer == siret]})
        return PreparedRow(row, [s for s in self.sessions if s.session.trainer == siret])


def prepare(row: SearchRow) -> PreparedRow:
    return PreparedRow(row)


class _Criteria:
    """A query parsed once: what each row and each session is compared with."""

    def __init__(self, query: SearchQuery, measure_labels: Mapping[str, str]) -> None:
        self.title = fold(query.title).split()
        quick = query.q.strip() if query.q else ""
        self.quick_refs: list[re.Pattern[str]] | None = None
        self.quick_words: list[str] = []
        if quick and looks_like_reference(quick):
            self.quick_refs = ref_patterns(quick, "F") + ref_patterns(quick, "S")
        elif quick:
            self.quick_words = fold(quick).split()
        self.refs = ref_patterns(query.ref, query.ref_type) if query.ref else None
        self.ref_type = query.ref_type
        self.measures = measure_codes(query.mesure, measure_labels)
        self.market = _compact(query.marche)
        self.city = fold(query.city)
        self.state = query.state
        self.block = query.block
        self.filters = {
            c: (t.strip() if c in ("start", "end") else fold(t)) for c, t in query.filters.items() if t.strip()
        }
        # criteria only a session can meet (a formation without one meets none of them)
        self.session_only = bool(
            (self.refs is not None and self.ref_type == "S") or self.measures is not None or self.market or self.city
        )
        self.sessions_matter = self.session_only or self.quick_refs is not None

    def row(self, prepared: PreparedRow) -> bool:
        if self.title:
            if len(self.title) == 1:
                if self.title[0] not in prepared.title_words:
                    return False
            elif prepared.title_key != " ".join(self.title):
                return False
        if self.quick_words and not all(w in prepared.title_words for w in self.quick_words):
            return False
        if self.measures is not None and not (self.measures & prepared.measures):
            return False
        return not (
            self.refs is not None and self.ref_type == "F" and not any(p.match(prepared.row.ref) for p in self.refs)
        )

    def session(self, prepared: PreparedRow, session: PreparedSession | None) -> bool:
        if not self.sessions_matter:
            return True
        if session is None:
            if self.session_only:
                return False
            return self.quick_refs is None or any(p.match(prepared.row.ref) for p in self.quick_refs)
        if self.refs is not None and self.ref_type == "S" and not any(p.match(session.ref) for p in self.refs):
            return False
        if self.quick_refs is not None and not any(
            p.match(prepared.row.ref) or p.match(session.ref) for p in self.quick_refs
        ):
            return False
        if self.measures is not None and not (self.measures & session.measures):
            return False
        if self.market and self.market not in session.markets:
            return False
        return not (self.city and not any(c == self.city or c.startswith(self.city + " ") for c in session.cities))


def _sort_value(
    column: Column, prepared: PreparedRow, session: PreparedSession | None, state: LineState
) -> tuple[object, ...]:
    """A line's place in a column's order (empty values last, then by formation and session)."""
    tie = (prepared.row.ref, session.ref if session else "")
    if column in ("start", "end"):
        day = (session.session.start if column == "start" else session.session.end) if session else None
        return (day is None, day or date.min, *tie)
    if column == "ref":
        value = prepared.row.ref
    elif column == "title":
        value = prepared.title_key
    elif column == "session":
        value = session.ref if session else ""
    elif column == "city":
        value = session.city_key if session else ""
    elif column == "state":
        value = STATE_LABELS[state]
    else:
        value = prepared.structure_key
    return (value == "", value, *tie)


class Catalogue:
    """Rows with their facts, ready to be searched on one day: the results table's lines built once
    (a formation without a shown session: one line), each line's state, each row's blocks; built at
    first use and kept: each column's order of the lines and the text its filter reads, and indexes
    (references, title words, measures, market numbers, cities, blocks) that give a criterion's
    candidates without reading every row. A search then checks the candidates only and pages along an
    order without sorting: the service keeps a catalogue while its rows do not change (an OF's, the
    region's)."""

    def __init__(self, rows: Sequence[tuple[PreparedRow, RowFacts]], *, today: date) -> None:
        self.today = today
        self.rows = [prepared for prepared, _ in rows]
        self.facts = [facts for _, facts in rows]
        self.line_row: list[int] = []
        self.line_session: list[PreparedSession | None] = []
        self.line_state: list[LineState] = []
        self.row_lines: list[range] = []
        self.row_blocks: list[frozenset[Block]] = []
        for position, (prepared, facts) in enumerate(rows):
            first = len(self.line_row)
            if not facts.archived:
                shown: list[PreparedSession | None] = list(prepared.sessions) or [None]
                for session in shown:
                    self.line_row.append(position)
                    self.line_session.append(session)
                    self.line_state.append(line_state(prepared.row, facts, session.session if session else None, today))
            self.row_lines.append(range(first, len(self.line_row)))
            self.row_blocks.append(frozenset(b for b in BLOCKS if in_block(prepared.row, facts, b, today)))
        self.with_session = bytes(session is not None for session in self.line_session)
        self._built: dict[object, object] = {}

    def __len__(self) -> int:
        return len(self.line_row)

    def _once(self, key: object, build: Callable[[], _T]) -> _T:
        found = self._built.get(key)
        if found is None:
            found = self._built[key] = build()
        return cast(_T, found)

    def order(self, column: Column) -> tuple[list[int], list[int]]:
        """The lines in the column's ascending order, and each line's place in it."""

        def build() -> tuple[list[int], list[int]]:
            rows, line_row, sessions, states = self.rows, self.line_row, self.line_session, self.line_state
            lines = sorted(
                range(len(line_row)), key=lambda j: _sort_value(column, rows[line_row[j]], sessions[j], states[j])
            )
            rank = [0] * len(lines)
            for place, line in enumerate(lines):
                rank[line] = place
            return lines, rank

        return self._once(("order", column), build)

    def texts(self, column: Column) -> list[str]:
        """What a column's filter reads on each line (folded; dates as both the API and the table write them)."""

        def build() -> list[str]:
            rows, sessions, states = self.rows, self.line_session, self.line_state
            out = []
            for row_at, session, state in zip(self.line_row, sessions, states, strict=True):
                prepared = rows[row_at]
                if column == "ref":
                    text = fold(prepared.row.ref)
                elif column == "title":
                    text = prepared.title_key
                elif column == "session":
                    text = fold(session.ref) if session else ""
                elif column == "start":
                    text = session.start if session else ""
                elif column == "end":
                    text = session.end if session else ""
                elif column == "city":
                    text = session.city_key if session else ""
                elif column == "state":
                    text = fold(STATE_LABELS[state])
                else:
                    text = prepared.structure_key
                out.append(text)
            return out

        return self._once(("texts", column), build)

    def _refs(self, kind: str) -> tuple[str, dict[str, list[int]]]:
        """Every formation (F) or session (S) reference, one per line of a text a pattern runs through in
        one call, and where each is (rows for F, lines for S)."""

        def build() -> tuple[str, dict[str, list[int]]]:
            where: dict[str, list[int]] = {}
            if kind == "F":
                for position, prepared in enumerate(self.rows):
                    if self.row_lines[position]:
                        where.setdefault(prepared.row.ref, []).append(position)
            else:
                for line, session in enumerate(self.line_session):
                    if session is not None:
                        where.setdefault(session.ref, []).append(line)
            return "\n".join(where), where

        return self._once(("refs", kind), build)

    def matching(self, patterns: Sequence[re.Pattern[str]], kind: str) -> set[int]:
        """The rows (F) or lines (S) whose reference a pattern matches whole."""
        text, where = self._refs(kind)
        found: set[int] = set()
        for pattern in patterns:
            for match in re.finditer("^" + pattern.pattern, text, re.MULTILINE):
                found.update(where[match.group()])
        return found

    def _postings(self, name: str) -> dict[str, list[int]]:
        def build() -> dict[str, list[int]]:
            out: dict[str, list[int]] = {}
            if name in ("words", "titles", "measures"):
                for position, prepared in enumerate(self.rows):
                    if not self.row_lines[position]:
                        continue
                    keys: Iterable[str] = (
                        prepared.title_words
                        if name == "words"
                        else (prepared.title_key,)
                        if name == "titles"
                        else prepared.measures
                    )
                    for key in keys:
                        out.setdefault(key, []).append(position)
            else:
                for line, session in enumerate(self.line_session):
                    if session is not None:
                        for key in session.markets if name == "markets" else set(session.cities):
                            out.setdefault(key, []).append(line)
            return out

        return self._once(("postings", name), build)

    def rows_with(self, name: Literal["words", "titles", "measures"], keys: Iterable[str], *, every: bool) -> set[int]:
        """The rows whose title words (every one, or any), exact title or measures are among `keys`."""
        postings = self._postings(name)
        found: set[int] | None = None
        for key in keys:
            rows = set(postings.get(key, ()))
            found = rows if found is None else (found & rows if every else found | rows)
        return found or set()

    def lines_with(self, name: Literal["markets", "cities"], match: Callable[[str], bool]) -> set[int]:
        """The lines whose market numbers or cities (folded) one of `match` accepts."""
        return {line for key, lines in self._postings(name).items() if match(key) for line in lines}

    def block_lines(self, block: Block) -> list[int]:
        return self._once(
            ("block", block),
            lambda: [
                line
                for position, lines in enumerate(self.row_lines)
                if block in self.row_blocks[position]
                for line in lines
            ],
        )

    def build_all(self) -> Catalogue:
        """Every order, filter text and index now (a catalogue kept long pays them once, not a request)."""
        for column in COLUMNS:
            self.order(column)
            self.texts(column)
        for kind in ("F", "S"):
            self._refs(kind)
        for name in ("words", "titles", "measures", "markets", "cities"):
            self._postings(name)
        for block in BLOCKS:
            self.block_lines(block)
        return self

    def hide(self, positions: Iterable[int]) -> bytes:
        """The lines of these rows, as `search_layers` leaves them out."""
        hidden = bytearray(len(self))
        for position in positions:
            for line in self.row_lines[position]:
                hidden[line] = 1
        return bytes(hidden)

    def blocks(self) -> BlockCounts:
        """Each block's count: the formations its search finds (the same rows, the same rules)."""
        counts = dict.fromkeys(BLOCKS, 0)
        for facts, blocks in zip(self.facts, self.row_blocks, strict=True):
            if not facts.archived:
                for block in blocks:
                    counts[block] += 1
        return BlockCounts(**counts)


def _line(catalogue: Catalogue, line: int) -> SearchLine:
    position = catalogue.line_row[line]
    row, session, state = catalogue.rows[position].row, catalogue.line_session[line], catalogue.line_state[line]
    return SearchLine(
        ref=row.ref,
        title=row.title,
        session=session.ref if session else None,
        start=session.session.start if session else None,
        end=session.session.end if session else None,
        city=session.city_text if session else None,
        state=state,
        state_label=STATE_LABELS[state],
        role=catalogue.facts[position].role,
        siret=row.siret,
        structure=row.structure,
    )


def _candidates(catalogue: Catalogue, criteria: _Criteria) -> list[int] | None:
    """The lines the indexed criteria leave (a superset of the matches, in line order), or None when no
    criterion narrows them."""
    rows: set[int] | None = None
    lines: set[int] | None = None

    def keep_rows(found: set[int]) -> None:
        nonlocal rows
        rows = found if rows is None else rows & found

    def keep_lines(found: set[int]) -> None:
        nonlocal lines
        lines = found if lines is None else lines & found

    if criteria.refs is not None:
        if criteria.ref_type == "F":
            keep_rows(catalogue.matching(criteria.refs, "F"))
        else:
            keep_lines(catalogue.matching(criteria.refs, "S"))
    if criteria.quick_refs is not None:
        by_formation = catalogue.matching(criteria.quick_refs, "F")
        keep_lines(
            {line for row in by_formation for line in catalogue.row_lines[row]}
            | catalogue.matching(criteria.quick_refs, "S")
        )
    if criteria.title:
        if len(criteria.title) == 1:
            keep_rows(catalogue.rows_with("words", criteria.title, every=True))
        else:
            keep_rows(catalogue.rows_with("titles", [" ".join(criteria.title)], every=True))
    if criteria.quick_words:
        keep_rows(catalogue.rows_with("words", criteria.quick_words, every=True))
    if criteria.measures is not None:
        keep_rows(catalogue.rows_with("measures", criteria.measures, every=False))
    if criteria.market:
        keep_lines(catalogue.lines_with("markets", lambda key: key == criteria.market))
    if criteria.city:
        city = criteria.city
        keep_lines(catalogue.lines_with("cities", lambda key: key == city or key.startswith(city + " ")))
    if criteria.block:
        keep_lines(set(catalogue.block_lines(criteria.block)))
    if rows is None and lines is None:
        return None
    if rows is not None:
        in_rows = {line for row in rows for line in catalogue.row_lines[row]}
        lines = in_rows if lines is None else lines & in_rows
    return sorted(lines or ())


def _hits(catalogue: Catalogue, criteria: _Criteria, query: SearchQuery, hidden: bytes | None = None) -> list[int]:
    """The lines that meet the criteria, in the query's order (`hidden`: lines left out)."""
    candidates = _candidates(catalogue, criteria)
    found: list[int]
    if candidates is None:
        found = list(range(len(catalogue)))
    else:
        rows, line_row, sessions = catalogue.rows, catalogue.line_row, catalogue.line_session
        found = []
        for line in candidates:
            prepared = rows[line_row[line]]
            if criteria.block and criteria.block not in catalogue.row_blocks[line_row[line]]:
                continue
            if criteria.row(prepared) and criteria.session(prepared, sessions[line]):
                found.append(line)
    if hidden is not None:
        found = [line for line in found if not hidden[line]]
    if criteria.state:
        states, wanted = catalogue.line_state, criteria.state
        found = [line for line in found if states[line] == wanted]
    for column, text in criteria.filters.items():
        texts = catalogue.texts(column)
        found = [line for line in found if text in texts[line]]
    order, rank = catalogue.order(query.sort)
    if len(found) == len(order):  # every line
        return order[::-1] if query.order == "desc" else order
    if len(found) * 8 < len(order):  # few lines: sort them by their places rather than walk the order
        return sorted(found, key=rank.__getitem__, reverse=query.order == "desc")
    matched = bytearray(len(order))
    for line in found:
        matched[line] = 1
    return [line for line in (reversed(order) if query.order == "desc" else order) if matched[line]]


def search(catalogue: Catalogue, query: SearchQuery, *, measure_labels: Mapping[str, str]) -> SearchPage:
    """The criteria with AND, the block, the column filters, then the sort and the page. Archived
    formations and sessions never show. One line per session (a formation without one: one line).

    The indexed criteria give the candidates; each candidate is then checked against every criterion
    (the indexes only spare reading the others); the state and the column filters read their columns."""
    return search_layers(catalogue, None, None, query, measure_labels=measure_labels)


def search_layers(
    base: Catalogue,
    hidden: bytes | None,
    top: Catalogue | None,
    query: SearchQuery,
    *,
    measure_labels: Mapping[str, str],
) -> SearchPage:
    """`search` over a large catalogue kept as it was built (`base`, its `hidden` lines left out: those
    of rows that changed since) and a small one of the rows that changed (`top`): the same answer as one
    catalogue of all the current rows, without rebuilding the large one at each change. Both lists of
    hits are in the query's order; they are merged up to the page."""
    criteria = _Criteria(query, measure_labels)
    layers = [(base, _hits(base, criteria, query, hidden))]
    if top is not None and len(top):
        layers.append((top, _hits(top, criteria, query)))
    start, end = (query.page - 1) * query.page_size, query.page * query.page_size
    if len(layers) == 1:
        page = [(base, line) for line in layers[0][1][start:end]]
    else:

        def keyed(catalogue: Catalogue, hits: list[int]) -> Iterable[tuple[tuple[object, ...], Catalogue, int]]:
            rows, line_row, sessions, states = (
                catalogue.rows,
                catalogue.line_row,
                catalogue.line_session,
                catalogue.line_state,
            )
            for line in hits:
                yield _sort_value(query.sort, rows[line_row[line]], sessions[line], states[line]), catalogue, line

        merged = heapq.merge(*(keyed(c, h) for c, h in layers), key=lambda k: k[0], reverse=query.order == "desc")
        page = [(catalogue, line) for _, catalogue, line in itertools.islice(merged, start, end)]
    return SearchPage(
        items=[_line(catalogue, line) for catalogue, line in page],
        total=sum(len(hits) for _, hits in layers),
        formations=sum(len(set(map(c.line_row.__getitem__, hits))) for c, hits in layers),
        sessions=sum(sum(map(c.with_session.__getitem__, hits)) for c, hits in layers),
        page=query.page,
        page_size=query.page_size,
    )
