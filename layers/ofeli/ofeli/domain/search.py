"""The guide's search engine over the offer (*Moteur de recherche des formations*, *Tableau de
résultats*) and the dashboard's blocks: what a search row holds, how the criteria match it, the lines of
the results table, their state, sort, column filters and paging. Pure: the store keeps one compact row
per formation (its sessions' searchable fields inside) and the service reads them with one Query.

One row per formation, not per session: a change of a formation's title would otherwise rewrite up to
`MAX_SESSIONS` rows in its publication's transaction (which holds 100 writes); the row carries what the
results table needs of each session, and the table shows one line per session.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Literal, cast

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
    """What other writers keep beside the row: the pending submission (the workflow), the links found
    broken (the link checker), the structure's name (the moderators' table)."""

    pending: bool = False
    broken_links: list[str] = Field(default_factory=list)
    archived: bool = Field(default=False, description="Certification non renouvelée et sessions terminées")
    awaiting_renewal: bool = Field(default=False, description="Une certification inactive (renouvellement RNCP)")
    role: Literal["responsable", "formateur"] = "responsable"
    structure: str | None = None


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


def title_matches(title: str, wanted: str | None) -> bool:
    """One word: a whole word of the title (*boul* does not find *boulanger*); several: the exact label.
    Case, accents and punctuation never matter."""
    words = fold(wanted).split()
    if not words:
        return True
    folded = fold(title)
    if len(words) == 1:
        return words[0] in folded.split()
    return folded == " ".join(words)


def city_matches(cities: Iterable[str], wanted: str | None) -> bool:
    """*Cherbourg* finds Cherbourg-en-Cotentin: the words given begin the city's name."""
    target = fold(wanted)
    if not target:
        return True
    return any((c := fold(city)) == target or c.startswith(target + " ") for city in cities)


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


def _lines(row: SearchRow, facts: RowFacts, today: date) -> list[tuple[SearchLine, RowSession | None]]:
    def line(session: RowSession | None) -> SearchLine:
        state = line_state(row, facts, session, today)
        return SearchLine(
            ref=row.ref,
            title=row.title,
            session=session.ref if session else None,
            start=session.start if session else None,
            end=session.end if session else None,
            city=", ".join(dict.fromkeys(session.cities)) or None if session else None,
            state=state,
            state_label=STATE_LABELS[state],
            role=facts.role,
            siret=row.siret,
            structure=facts.structure,
        )

    shown = [s for s in row.sessions if not s.archived]
    if not shown:
        return [(line(None), None)]
    return [(line(s), s) for s in sorted(shown, key=lambda s: (s.start or date.max, s.ref))]


def _row_matches(row: SearchRow, query: SearchQuery, measures: set[str] | None) -> bool:
    if not title_matches(row.title, query.title):
        return False
    quick = fold(query.q).split() if query.q and not looks_like_reference(query.q) else []
    if quick and not all(w in fold(row.title).split() for w in quick):
        return False
    return not (measures is not None and not any(measures & set(s.measures) for s in row.sessions))


def _session_matches(session: RowSession | None, row: SearchRow, query: SearchQuery, measures: set[str] | None) -> bool:
    """The criteria that hold on a session: its number, measure, market, city."""
    refs = ref_patterns(query.ref, query.ref_type)
    if query.ref and query.ref_type == "F" and not any(p.match(row.ref) for p in refs):
        return False
    if query.ref and query.ref_type == "S" and not (session and any(p.match(session.ref) for p in refs)):
        return False
    if query.q and looks_like_reference(query.q):
        quick = ref_patterns(query.q, "F") + ref_patterns(query.q, "S")
        if not any(p.match(row.ref) or (session is not None and p.match(session.ref)) for p in quick):
            return False
    if measures is not None and not (session and measures & set(session.measures)):
        return False
    if (market := _compact(query.marche)) and not (session and market in {_compact(m) for m in session.markets}):
        return False
    return not (query.city and not (session and city_matches(session.cities, query.city)))


def _day(day: date | None) -> str:
    """A date as the API gives it and as the table shows it: a filter may type either."""
    return f"{day.isoformat()} {day:%d/%m/%Y}" if day else ""


def _cell(line: SearchLine, column: Column) -> str:
    value = {
        "ref": line.ref,
        "title": line.title,
        "session": line.session,
        "start": _day(line.start),
        "end": _day(line.end),
        "city": line.city,
        "state": line.state_label,
        "structure": line.structure,
    }[column]
    return value or ""


def _filter_matches(line: SearchLine, filters: Mapping[Column, str]) -> bool:
    """Each column filter: the text its cell contains (case and accents ignored; dates as typed)."""
    for column, text in filters.items():
        if column in ("start", "end"):
            if text.strip() not in _cell(line, column):
                return False
        elif (wanted := fold(text)) and wanted not in fold(_cell(line, column)):
            return False
    return True


def _sort_key(line: SearchLine, column: Column) -> tuple[object, ...]:
    if column in ("start", "end"):
        day = line.start if column == "start" else line.end
        return (day is None, day or date.min, line.ref, line.session or "")
    return (fold(_cell(line, column)) == "", fold(_cell(line, column)), line.ref, line.session or "")


def search(
    rows: Sequence[tuple[SearchRow, RowFacts]],
    query: SearchQuery,
    *,
    today: date,
    measure_labels: Mapping[str, str],
) -> SearchPage:
    """The criteria with AND, the block, the column filters, then the sort and the page. Archived
    formations and sessions never show."""
    measures = measure_codes(query.mesure, measure_labels)
    lines: list[SearchLine] = []
    for row, facts in rows:
        if facts.archived or not _row_matches(row, query, measures):
            continue
        if query.block and not in_block(row, facts, query.block, today):
            continue
        for line, session in _lines(row, facts, today):
            if not _session_matches(session, row, query, measures):
                continue
            if query.state and line.state != query.state:
                continue
            if query.filters and not _filter_matches(line, query.filters):
                continue
            lines.append(line)
    lines.sort(key=lambda line: _sort_key(line, query.sort), reverse=query.order == "desc")
    start = (query.page - 1) * query.page_size
    return SearchPage(
        items=lines[start : start + query.page_size],
        total=len(lines),
        formations=len({line.ref for line in lines}),
        sessions=sum(1 for line in lines if line.session),
        page=query.page,
        page_size=query.page_size,
    )


def block_counts(rows: Sequence[tuple[SearchRow, RowFacts]], *, today: date) -> BlockCounts:
    """Each block's count: the formations its search finds (`search` with `block`, the same rules)."""
    counts = dict.fromkeys(BLOCKS, 0)
    for row, facts in rows:
        if facts.archived:
            continue
        for block in BLOCKS:
            counts[block] += in_block(row, facts, block, today)
    return BlockCounts(**counts)
