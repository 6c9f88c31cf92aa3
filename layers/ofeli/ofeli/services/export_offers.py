"""Offers read from storage for the writers (`ofeli.domain.exports.Offer`): an OF's export and the
partners' feed.

- `structure_offers(siret, refs)`: the formations of a structure as the OF sees them in its search
  (responsible, and the sessions it trains of other formations): the published version where one
  exists, else the draft of a formation in creation; only `refs` (F numbers) when given; archived
  sessions left out.
- `published_offers(today=..., since=...)`: the partners' feed (`ofeli.domain.partners.in_feed`): every
  structure's published formations with their current and upcoming sessions; with `since`, only those
  published or changed since then.

Formations are enumerated from the search rows (one Query per structure, or the 8 shards in parallel:
never a Scan), then read a batch at a time (`ofeli.store.offers.read_formations`). The structures, their
places and contacts, and the certifications they cite are read once per call (`_Resolved`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from ofeli.domain import partners as rules
from ofeli.domain.certifications import Certification
from ofeli.domain.exports import Offer
from ofeli.domain.offers import FormationDraft
from ofeli.domain.sessions import Place, SessionDraft
from ofeli.domain.structures import Structure, StructureContact
from ofeli.store import certifications as certification_store
from ofeli.store import offers, structures
from ofeli.store import search as search_store
from ofeli.store.table import Item


class _Resolved:
    """What offers refer to, read once per call: structures by SIRET, a trainer's places, the contacts of a
    responsible structure's family (itself, its head office, its branches), certifications by code."""

    def __init__(self) -> None:
        self._records: dict[str, Item | None] = {}
        self._places: dict[str, dict[str, Place]] = {}
        self._contacts: dict[str, dict[str, StructureContact]] = {}
        self._certifications: dict[str, Certification | None] = {}

    def record(self, siret: str) -> Item | None:
        if siret not in self._records:
            self._records[siret] = structures.get(siret)
        return self._records[siret]

    def structure(self, siret: str) -> Structure | None:
        record = self.record(siret)
        return Structure.model_validate(record) if record else None

    def places(self, trainer: str) -> dict[str, Place]:
        if trainer not in self._places:
            self._places[trainer] = {
                str(p["place_id"]): Place(name=p.get("name"), address=p.get("address"))
                for p in offers.places_of(trainer)
            }
        return self._places[trainer]

    def contacts(self, responsible: str) -> dict[str, StructureContact]:
        """Contact id → contact, among the family's structures (the responsible one's win)."""
        if responsible not in self._contacts:
            own = self.record(responsible) or {}
            family = [own]
            if own.get("parent_siret"):
                family.append(self.record(str(own["parent_siret"])) or {})
            family += structures.attached_to(responsible) if own else []
            found: dict[str, StructureContact] = {}
            for member in reversed(family):
                for contact in member.get("contacts") or []:
                    parsed = StructureContact.model_validate(contact)
                    found[parsed.id] = parsed
            self._contacts[responsible] = found
        return self._contacts[responsible]

    def certifications(self, codes: list[str]) -> dict[str, Certification]:
        missing = [c for c in dict.fromkeys(codes) if c not in self._certifications]
        if missing:
            known = certification_store.get_many(missing)
            for code in missing:
                self._certifications[code] = known.get(code)
        return {c: found for c in codes if (found := self._certifications.get(c)) is not None}


def _session_order(session: SessionDraft) -> tuple[str, str]:
    return (session.start_date.isoformat() if session.start_date else "", session.ref or "")


def _updated_at(record: Item) -> datetime | None:
    text = record.get("last_published_at") or record.get("published_at")
    return datetime.fromisoformat(str(text)) if text else None


def _formation(record: Item) -> tuple[FormationDraft, list[SessionDraft], bool] | None:
    """The version the OF sees: published (with its published sessions), or a formation in creation's draft
    (with the draft's sessions); None for a formation in creation without its draft."""
    if record.get("published_at"):
        published = {k: v for k, v in record.items() if k in FormationDraft.model_fields and k != "sessions"}
        formation = FormationDraft.model_validate(published)
        sessions = [SessionDraft.model_validate(offers.session_data(s)) for s in record["sessions"]]
        return formation, sessions, True
    draft = record.get("draft")
    if draft is None:
        return None
    formation = FormationDraft.model_validate(draft["data"])
    return formation.model_copy(update={"sessions": []}), list(formation.sessions), False


def _offer(
    record: Item,
    formation: FormationDraft,
    sessions: list[SessionDraft],
    *,
    published: bool,
    resolved: _Resolved,
    known: dict[str, Certification],
) -> Offer | None:
    responsible = resolved.structure(str(record["siret"]))
    if responsible is None:
        return None
    siret = responsible.siret
    sessions = sorted((s for s in sessions if s.ref), key=_session_order)
    trainers = {t: s for t in {x.trainer_siret for x in sessions if x.trainer_siret} if (s := resolved.structure(t))}
    places: dict[str, Place] = {}
    for session in sessions:
        wanted = {p.place_id for p in [*session.places, session.registration] if p is not None and p.place_id}
        if wanted:
            known_places = resolved.places(session.trainer_siret or siret)
            places |= {pid: known_places[pid] for pid in wanted if pid in known_places}
    return Offer(
        ref=str(record["ref"]),
        formation=formation,
        sessions=tuple(sessions),
        responsible=responsible,
        published=published,
        updated_at=_updated_at(record),
        trainers=trainers,
        places=places,
        contacts=resolved.contacts(siret),
        certifications=known,
        formacodes=tuple(record.get("formacodes") or ()),
        nsf=tuple(record.get("nsf") or ()),
        romes=tuple(record.get("romes") or ()),
    )


# ---------------------------------------------------------------------- an OF's export
def structure_offers(siret: str, refs: list[str] | None = None) -> Iterator[Offer]:
    """The structure's formations as its search shows them (see the module's docstring), by reference."""
    wanted = set(refs) if refs is not None else None
    roles: dict[str, str] = {}
    for item in search_store.rows_of(siret):
        ref = str(item["sk"]).split("#", 1)[1]
        if wanted is None or ref in wanted:
            roles[ref] = str(item.get("role") or "responsable")
    resolved = _Resolved()
    for record in offers.read_formations(sorted(roles), with_draft=True):
        found = _formation(record)
        if found is None:
            continue
        formation, sessions, published = found
        sessions = [s for s in sessions if not s.archived]
        if roles[record["ref"]] == "formateur":  # a trainer sees the sessions it trains
            sessions = [s for s in sessions if s.trainer_siret == siret]
        known = resolved.certifications(formation.codes)
        offer = _offer(record, formation, sessions, published=published, resolved=resolved, known=known)
        if offer is not None:
            yield offer


# ---------------------------------------------------------------------- the partners' feed
def feed_candidates(today: date) -> list[str]:
    """The formations whose search row says they may be in the feed (published, a current session): the
    8 shards read in parallel, never a Scan."""
    refs = []
    for item in search_store.region_rows():
        if rules.row_may_be_in_feed(search_store.unpacked(item), today):
            refs.append(str(item["sk"]).split("#", 1)[1])
    return sorted(refs)


def offers_of(refs: Iterable[str], *, today: date) -> Iterator[Offer]:
    """These formations as the feed writes them, those in the feed only (`ofeli.domain.partners.in_feed`)."""
    resolved = _Resolved()
    for record in offers.read_formations(refs):
        found = _formation(record)
        if found is None or not found[2]:
            continue
        formation, sessions, _ = found
        known = resolved.certifications(formation.codes)
        if not rules.in_feed(published=True, sessions=sessions, codes=formation.codes, known=known, today=today):
            continue
        current = [s for s in sessions if rules.current(s, today)]
        offer = _offer(record, formation, current, published=True, resolved=resolved, known=known)
        if offer is not None:
            yield offer


def published_offers(*, today: date, since: str | None = None) -> Iterator[Offer]:
    """The partners' feed: every structure's published formations in it, their current and upcoming
    sessions; with `since` (an instant as `ofeli.clock.iso` writes them), only the formations published or
    changed since then."""
    refs = feed_candidates(today)
    if since is not None:
        from ofeli.store import partner_feed

        changed = partner_feed.changed_since(since)
        refs = [r for r in refs if r in changed]
    return offers_of(refs, today=today)
