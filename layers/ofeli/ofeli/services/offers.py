"""Formations: creation from the certification referential, the workflow (a `Kind` of the engine that
structure records use), who may read and who may write, the Carif-Oref's indexing.

Who may:
- read a formation: moderators, and users with rights on its responsible structure or on a structure
  training one of its sessions;
- write it (draft, submission, withdrawal): users with rights on the responsible structure only, the
  *mandataire*; a trainer's users read it and get 403 on a write; moderators decide, they do not write
  the OF's formation (they set its indexing).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, cast

from pydantic import BaseModel

from ofeli import clock, observability
from ofeli.domain import lheo_codes, sessions
from ofeli.domain import offers as rules
from ofeli.domain import search as search_rules
from ofeli.domain.certifications import Certification
from ofeli.domain.errors import (
    Conflict,
    FieldError,
    Forbidden,
    Locked,
    NotFound,
    RuleViolation,
    ServiceUnavailable,
    violation,
)
from ofeli.domain.identity import Identity
from ofeli.domain.offers import (
    FIELD_LABELS,
    INDEXING_LABELS,
    LOCKED,
    STATUS_LABELS,
    CertificationSummary,
    ContactChoice,
    FieldWarning,
    FormationCreate,
    FormationDraft,
    FormationIndexing,
    FormationSubmission,
    FormationView,
    SchemeStates,
    SessionView,
    SimilarFormation,
    StructurePlace,
)
from ofeli.domain.search import LinkFinding, SearchRow
from ofeli.domain.sessions import SESSION_STATE_LABELS, SessionDraft
from ofeli.domain.structures import contacts_of
from ofeli.domain.workflow import HistoryEntry, differences
from ofeli.services import addresses, workflow
from ofeli.services.access import structure_for
from ofeli.settings import settings
from ofeli.store import certifications as certification_store
from ofeli.store import contact_requests, offers, partner_feed, structures, users
from ofeli.store import search as search_store
from ofeli.store.table import STALE, Item

NOT_YOURS = "Cette formation n'est pas celle d'une de vos structures (ni comme responsable, ni comme formateur)."
NEW_TITLE = "Nouvelle formation"
INDEXING = "Indexation par le Carif-Oref"
MAX_PUBLICATION_WRITES = 85  # sessions, places, contact requests: with the record's own, within 100 writes


def _title(record: Item) -> str:
    return str(record.get("title") or NEW_TITLE)


def _family(responsible: Item) -> list[Item]:
    """The responsible structure (its record), its head office and its branches: the structures whose
    contacts a session chooses from."""
    if not responsible:
        return []
    family = [responsible]
    if responsible.get("parent_siret"):
        family += [p for p in [structures.get(responsible["parent_siret"])] if p]
    return family + structures.attached_to(responsible["siret"])


def _session_contacts(family: list[Item]) -> list[ContactChoice]:
    return [
        ContactChoice(**contact.model_dump(), siret=member["siret"], structure_name=member["name"])
        for member in family
        for contact in contacts_of(member)
    ]


def _context(
    draft: FormationDraft, record: Item, known: dict[str, Certification], family: list[Item]
) -> sessions.SessionContext:
    """What the sessions' rules need: the formation's facts, its certifications, the contacts of the OF's
    structures (`family`: the responsible one, its head office and branches), the region, today."""
    contact_ids = frozenset(c.id for member in family for c in contacts_of(member))
    trainers = sorted({s.trainer_siret or record["siret"] for s in draft.sessions})
    known_places = {p.place_id: sessions.Place(name=p.name, address=p.address) for t in trainers for p in places(t)}
    return sessions.context_for(
        draft,
        [known[c] for c in draft.codes if c in known],
        today=clock.today(),
        responsible_siret=record["siret"],
        departments=tuple(settings().departments()),
        contact_ids=contact_ids,
        places=known_places,
        other_numbers=frozenset(
            n
            for s in record.get("all_sessions", [])
            if s.get("ref") not in {d.ref for d in draft.sessions}
            for n in sessions.recruitment_numbers(SessionDraft.model_validate(s))
        ),
    )


def _check(data: BaseModel, published: Item) -> list[FieldError]:
    draft = cast(FormationDraft, data)
    known = _certifications(draft.codes)
    already = frozenset(_published_codes(published))
    responsible = structures.get(published["siret"]) or {}
    contact_ids = {c.id for c in contacts_of(responsible)}
    starts = [(s.ref or str(n), s.start_date) for n, s in enumerate(draft.sessions) if s.start_date]
    problems = rules.submission_errors(draft, known, already=already, contact_ids=contact_ids, session_starts=starts)
    context = _context(draft, published, known, _family(responsible))
    # the published sessions the rules compare with: those a draft carries, and a finished one put back in
    # the draft (it may not change)
    refs = {s.ref for s in draft.sessions}
    compared = [
        SessionDraft.model_validate(s)
        for s in published.get("all_sessions", [])
        if s.get("ref") in refs or not sessions.finished(SessionDraft.model_validate(s), context.today)
    ]
    published_dumps = {s.ref: s.model_dump(mode="json") for s in compared}
    changed = [s for s in draft.sessions if published_dumps.get(s.ref) != s.model_dump(mode="json")]
    created_places = {
        offers.place_id(p.model_dump(mode="json"))
        for s in changed
        for p in [*s.places, *([s.registration] if s.registration else [])]
        if p.place_id is None
    }
    trainers = {s.trainer_siret for s in draft.sessions if s.trainer_siret} | set(published.get("trainers") or [])
    # besides: the search rows (the formation's and each trainer's copy) and the trainers' own items
    writes = len(changed) + len(created_places) + sum(1 for s in changed if s.contact_request) + 1 + 2 * len(trainers)
    if writes > MAX_PUBLICATION_WRITES:  # one publication is one transaction (100 writes at most)
        problems.append(
            FieldError(
                "sessions",
                f"Cette demande ajoute ou modifie {len(changed)} sessions et crée {len(created_places)} lieux : "
                "c'est trop pour une seule validation. Soumettez une partie des sessions, puis les autres dans "
                "une demande suivante.",
            )
        )
    return problems + sessions.all_session_errors(draft.sessions, context, compared)


def _on_publish(published: Item, data: dict[str, Any], history: Item) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What the publication of a formation's draft writes besides the record, in the same transaction:
    - its sessions that changed (each replaced whole; an unchanged one is not written again);
    - the places of training and of registration created in them, filed under their trainer (the
      trainer's places that later sessions choose from);
    - a session's request for other contacts, filed in the moderators' contact requests (and emptied);
    - the structures training its sessions, filed under them; the title filed under each trainer;
    - the record's first publication date and the last end date of its sessions."""
    now = clock.iso()
    ref, responsible = published["ref"], published["siret"]
    title = data.get("title") or _title(published)
    changes: dict[str, Any] = {"last_published_at": now}
    if not published.get("published_at"):
        changes["published_at"] = now
    before = {s["ref"]: s for s in published.get("sessions") or []}
    before |= {
        s["ref"]: SessionDraft.model_validate(s).model_dump(mode="json") for s in published.get("all_sessions", [])
    }
    actions: list[dict[str, Any]] = []
    places: dict[tuple[str, str], dict[str, Any]] = {}
    drafted = [SessionDraft.model_validate(s) for s in data.get("sessions") or []]
    for session in drafted:
        request = session.contact_request
        if request:
            session = session.model_copy(update={"contact_request": None})
            actions.append(
                contact_requests.tx_create(
                    {
                        "id": uuid.uuid4().hex,
                        "kind": "session",
                        "record_id": ref,
                        "siret": history["siret"],
                        "title": f"{title} — session {session.ref}",
                        "field": "contact_request",
                        "text": request,
                        "requested_by": history["submitted_by"],
                        "requested_at": history["submitted_at"],
                        "submission_id": history.get("id") or "",
                        "approved_by": history["decided_by"],
                    }
                )
            )
        trainer = session.trainer_siret or responsible
        for place in [*session.places, *([session.registration] if session.registration else [])]:
            if place.place_id is None and place.name and place.address is not None:
                places[(trainer, offers.place_id(place.model_dump(mode="json")))] = place.model_dump(mode="json")
        published_session = before.get(session.ref)
        if published_session is not None:  # the Carif-Oref may have set them since the draft copied them
            session = sessions.restore_moderator_fields(SessionDraft.model_validate(published_session), session)
        if session.model_dump(mode="json") != published_session:
            actions.append(offers.tx_session(ref, session.model_dump(mode="json", exclude_none=True)))
    actions += [offers.tx_place(trainer, place) for (trainer, _), place in sorted(places.items())]
    trainers = set(published.get("trainers", []))
    new_trainers = {s.trainer_siret for s in drafted if s.trainer_siret} - trainers - {responsible}
    actions += [offers.tx_trainer(ref, t, title=title, siret=responsible) for t in sorted(new_trainers)]
    if title != published.get("title"):
        actions += offers.trainer_titles(ref, sorted(trainers), title)
    ends = [s.end_date.isoformat() for s in drafted if s.end_date]
    if published.get("sessions_end"):
        ends.append(published["sessions_end"])
    if ends:
        changes["sessions_end"] = max(ends)
    final = {ref: SessionDraft.model_validate(s) for ref, s in before.items()} | {s.ref: s for s in drafted if s.ref}
    actions += _search_rows(published, {**data, "title": title}, list(final.values()), places)
    actions.append(partner_feed.tx_changed(ref, now))  # the partners' feed: "changed since"
    return changes, actions


def _search_rows(
    published: Item,
    data: dict[str, Any],
    final: list[SessionDraft],
    created: dict[tuple[str, str], dict[str, Any]],
) -> list[dict[str, Any]]:
    """The formation's search rows as the publication leaves it (no longer pending), in its transaction:
    the cities of the places its sessions refer to are read from their trainers' places."""
    responsible = published["siret"]
    cities = {place_id: str((p.get("address") or {}).get("city") or "") for (_, place_id), p in created.items()}
    for trainer, ids in search_rules.place_ids(final, responsible).items():
        if ids - cities.keys():
            for item in offers.places_of(trainer):
                cities.setdefault(str(item["place_id"]), str((item.get("address") or {}).get("city") or ""))
    row = search_rules.row_of(
        {**published, **{k: v for k, v in data.items() if k != "sessions"}},
        final,
        published=True,
        place_cities=cities,
        referential=sessions.financing_referential(),
        structure=(structures.get(responsible) or {}).get("name"),
    )
    trainers = {s.trainer_siret for s in final if s.trainer_siret} - {responsible}
    return search_store.tx_rows(row, trainers, pending=False, dropped=published.get("trainers") or [])


def _details(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Which session changed and how, for the moderator."""
    old = [SessionDraft.model_validate(s) for s in before.get("sessions") or []]
    new = [SessionDraft.model_validate(s) for s in after.get("sessions") or []]
    return {"sessions": [c.model_dump(mode="json") for c in sessions.session_differences(old, new)]}


def _read_published(pk: str) -> Item | None:
    """The formation as `_get` reads it (one query), or None when it no longer exists."""
    try:
        return _get(pk.removeprefix("FORMATION#"))
    except NotFound:
        return None


FORMATION = workflow.Kind(
    name="formation",
    label="la formation",
    draft_model=FormationDraft,
    labels=FIELD_LABELS,
    locked=LOCKED,
    key=offers.formation_key,
    page=lambda ref: f"/formation?ref={ref}",
    title=_title,
    siret=lambda record: str(record["siret"]),
    check=_check,
    on_publish=_on_publish,
    stored_apart=("sessions",),
    details=_details,
    read_published=_read_published,
    on_lock=lambda published, locked: search_store.tx_pending(
        published["siret"], published["ref"], published.get("trainers") or [], locked
    ),
)


# ---------------------------------------------------------------------- reading
def _certifications(codes: list[str]) -> dict[str, Certification]:
    """The certifications of these codes, and their successors (the messages name them)."""
    known = certification_store.get_many(list(dict.fromkeys(codes))) if codes else {}
    successors = [s for c in known.values() for s in c.successors if s not in known]
    if successors:
        known |= certification_store.get_many(successors)
    return known


def _published_codes(record: Item) -> list[str]:
    if not record.get("published_at"):
        return []
    return [c["code"] for c in record.get("certifications") or []]


def _get(ref: str) -> Item:
    """The formation with its draft, trainers, and sessions: `all_sessions` (every published one) and
    `sessions` (the current and upcoming ones, which a draft carries: the workflow compares those)."""
    record = offers.get_formation(ref)
    if record is None:
        raise NotFound("Cette formation n'existe pas.")
    today = clock.today()
    published = sorted((offers.session_data(s) for s in record["sessions"]), key=_session_order)
    record["all_sessions"] = published
    # as a draft holds them (every field), so that an unchanged session compares equal
    record["sessions"] = [
        session.model_dump(mode="json")
        for session in (SessionDraft.model_validate(s) for s in published)
        if not sessions.finished(session, today)
    ]
    return record


def _readable(identity: Identity, record: Item) -> None:
    if identity.is_moderator:
        return
    if not any(users.has_right(identity.user_id, siret) for siret in (record["siret"], *record["trainers"])):
        raise Forbidden(NOT_YOURS)


def _to_edit(identity: Identity, ref: str) -> Item:
    """The formation, for the users of its responsible structure (the *mandataire*) only."""
    record = _get(ref)
    if identity.is_moderator:
        raise Forbidden(rules.MODERATORS_DO_NOT_WRITE)
    if users.has_right(identity.user_id, record["siret"]):
        return record
    if any(users.has_right(identity.user_id, siret) for siret in record["trainers"]):
        raise Forbidden(rules.NOT_MANDATAIRE)
    raise Forbidden(NOT_YOURS)


def _summaries(certifications: list[dict[str, Any]], known: dict[str, Certification]) -> list[CertificationSummary]:
    out = []
    for chosen in certifications:
        found = known.get(chosen["code"])
        if found is None:
            out.append(
                CertificationSummary(
                    code=chosen["code"],
                    principal=chosen.get("principal", False),
                    title=chosen["code"],
                    active=False,
                    url="",
                    known=False,
                )
            )
            continue
        out.append(
            CertificationSummary(
                code=found.code,
                principal=chosen.get("principal", False),
                title=found.title,
                active=found.active,
                level=found.level,
                registration_end=found.registration_end,
                url=found.url,
                successors=found.successors,
            )
        )
    return out


def _session_order(session: Item) -> tuple[str, str]:
    return (str(session.get("start_date") or ""), str(session.get("ref") or ""))


def _session_view(session: Item, today: date) -> SessionView:
    state = sessions.session_state(SessionDraft.model_validate(session), today)
    return SessionView.model_validate({**session, "state": state, "state_label": SESSION_STATE_LABELS[state]})


def _warnings(
    draft: FormationDraft, record: Item, known: dict[str, Certification], family: list[Item]
) -> list[FieldWarning]:
    """The guide's recommendations the draft does not follow: the formation's, then each session's."""
    found = rules.warnings(draft)
    if draft.sessions:
        context = _context(draft, record, known, family)
        for position, session in enumerate(draft.sessions):
            found += sessions.session_warnings(session, context, position=position)
    return [FieldWarning(field=w.field, message=w.message) for w in found]


def _view(identity: Identity, record: Item) -> FormationView:
    today = clock.today()
    can_edit = not identity.is_moderator and users.has_right(identity.user_id, record["siret"])
    draft_item = record.get("draft")
    published = (
        FormationDraft.model_validate(workflow.published_data(FORMATION, record))
        if record.get("published_at")
        else None
    )
    draft = FormationDraft.model_validate(draft_item["data"]) if draft_item else None
    current = draft or published or FormationDraft()
    # the draft's certifications, then those only the published version has (both pages describe theirs)
    shown = current.model_dump(mode="json")["certifications"]
    if draft is not None and published is not None:
        shown += [c for c in published.model_dump(mode="json")["certifications"] if c["code"] not in draft.codes]
    known = _certifications([c["code"] for c in shown])
    responsible = structures.get(record["siret"])
    family = _family(responsible or {}) if can_edit or identity.is_moderator or draft is not None else []
    info = workflow.draft_info(draft_item)
    sessions_end = date.fromisoformat(record["sessions_end"]) if record.get("sessions_end") else None
    status = rules.status(
        published=published is not None,
        pending=info.state == "submitted",
        sessions_end=sessions_end,
        archived=rules.not_renewed(current.codes, known),
        today=clock.today(),
    )
    return FormationView(
        ref=record["ref"],
        version=record["version"],
        siret=record["siret"],
        responsible_name=responsible["name"] if responsible else record["siret"],
        status=status,
        status_label=STATUS_LABELS[status],
        title=(published.title if published else None) or (draft.title if draft else None) or _title(record),
        published=published,
        draft=draft,
        submission=FormationSubmission(
            state=info.state,
            version=info.version,
            saved_at=draft_item.get("saved_at") if draft_item else None,
            saved_by=info.saved_by,
            submitted_at=draft_item.get("submitted_at") if draft_item else None,
            submitted_by=info.submitted_by,
            comment=info.comment,
        ),
        can_edit=can_edit,
        session_contacts=_session_contacts(family) if can_edit or identity.is_moderator else [],
        certifications=_summaries(shown, known),
        formacodes=record.get("formacodes") or [],
        nsf=record.get("nsf") or [],
        romes=record.get("romes") or [],
        warnings=_warnings(draft, record, known, family) if draft else [],
        sessions=[_session_view(s, today) for s in record["all_sessions"]],
        broken_links=_broken_links(record) if published is not None else [],
        objective=published.objective if published else None,
        content=published.content if published else None,
    )


def _broken_links(record: Item) -> list[LinkFinding]:
    """What the last link check found broken among the published formation's web pages."""
    item = search_store.get(record["siret"], record["ref"])
    if item is None or "row" not in item:
        return []
    return search_rules.broken_links(search_store.unpacked(item), search_store.links_of(item))


def formation(identity: Identity, ref: str) -> FormationView:
    """For moderators, and for users with rights on the responsible structure or on a trainer."""
    record = _get(ref)
    _readable(identity, record)
    return _view(identity, record)


def similar(identity: Identity, siret: str, title: str | None, codes: list[str]) -> list[SimilarFormation]:
    """Before creating: the space's formations with the same certification or a close title."""
    structure_for(identity, siret)
    mine = [
        (r["ref"], _title(r), [c["code"] for c in r.get("certifications") or []]) for r in offers.formations_of(siret)
    ]
    return [SimilarFormation(ref=ref, title=t, reason=why) for ref, t, why in rules.similar(title, codes, mine)]


def history(identity: Identity, ref: str) -> list[HistoryEntry]:
    _readable(identity, _get(ref))
    return workflow.history(FORMATION, ref)


# ---------------------------------------------------------------------- the mandataire's work
def create(identity: Identity, siret: str, request: FormationCreate) -> FormationView:
    """*Ajouter une formation* in the chosen structure space, which must hold the NDA."""
    if identity.is_moderator:
        raise Forbidden(rules.MODERATORS_DO_NOT_WRITE)
    structure = structure_for(identity, siret)
    if not structure.get("nda"):
        raise violation("siret", rules.NO_NDA)
    draft = FormationDraft(certifying=request.certifying, certifications=request.certifications())
    known = _certifications(draft.codes)
    problems = rules.unknown_or_inactive([c.code for c in request.certifications()], known, field="certification_codes")
    if problems:
        raise RuleViolation("Cette certification ne peut pas être choisie.", problems)
    prefilled = rules.prefill(request, known)
    principal = known.get(prefilled.codes[0]) if prefilled.codes else None
    now = clock.iso()
    ref = offers.create(
        siret,
        prefilled.model_dump(mode="json"),
        title=prefilled.title or NEW_TITLE,
        author=identity.email,
        author_id=identity.user_id,
        at=now,
        indexing={
            "formacodes": [c.code for c in principal.formacodes][:25],
            "nsf": [c.code for c in principal.nsf][:3],
            "romes": [c.code for c in principal.romes][:5],
        }
        if principal
        else {},
        also=lambda ref: search_store.tx_rows(
            SearchRow(
                ref=ref,
                siret=siret,
                title=prefilled.title or NEW_TITLE,
                codes=prefilled.codes,
                structure=structure.get("name"),
            ),
            [],
        ),
    )
    observability.count("FormationCreated")
    return _view(identity, _get(ref))


def save_draft(identity: Identity, ref: str, version: int, data: FormationDraft) -> FormationView:
    record = _to_edit(identity, ref)
    workflow.save(FORMATION, identity, ref, record, version, _numbered(ref, data, record))
    return _view(identity, _get(ref))


def drop_draft(identity: Identity, ref: str) -> FormationView | None:
    """*Supprimer ma demande*: the draft goes; a formation never published goes with it (None)."""
    record = _to_edit(identity, ref)
    if record.get("published_at"):
        workflow.drop(FORMATION, ref)
        return _view(identity, _get(ref))
    if not offers.discard(ref, record["siret"]):
        draft = record.get("draft")
        if draft is not None and draft["state"] == "submitted":
            raise Locked(LOCKED)
        raise NotFound("Cette demande de création n'existe plus.")
    observability.count("FormationDiscarded")
    return None


def submit(identity: Identity, ref: str, version: int | None = None) -> FormationView:
    record = _to_edit(identity, ref)
    workflow.submit(FORMATION, identity, ref, record, version=version)
    return _view(identity, _get(ref))


def withdraw(identity: Identity, ref: str) -> FormationView:
    record = _to_edit(identity, ref)
    workflow.withdraw(FORMATION, ref, record)
    return _view(identity, _get(ref))


NO_DRAFT_FOR_SESSIONS = (
    "Ouvrez d'abord une demande de modification de la formation : ses sessions s'ajoutent et se dupliquent "
    "dans son brouillon."
)
NOT_THIS_FORMATION = "La session {ref} n'est pas une session de cette formation : rechargez la page."


def _open_draft(record: Item) -> Item:
    draft = record.get("draft")
    if draft is None:
        raise Conflict(NO_DRAFT_FOR_SESSIONS)
    if draft["state"] == "submitted":
        raise Locked(LOCKED)
    return draft


def _numbered(ref: str, data: FormationDraft, record: Item) -> FormationDraft:
    """The draft's sessions as they may be saved: a new one numbered (S number, then its ISC, RDVI and
    ICO numbers), a known number checked to be one of this formation's, what only the Carif-Oref sets put
    back as published."""
    known = [s.ref for s in data.sessions if s.ref]
    owners = offers.formations_of_sessions(known) if known else {}
    problems = [
        FieldError(f"sessions.{n}.ref", NOT_THIS_FORMATION.format(ref=s.ref))
        for n, s in enumerate(data.sessions)
        if s.ref and owners.get(s.ref) != ref
    ]
    if problems:
        raise RuleViolation("Ces sessions ne sont pas celles de la formation.", problems)
    published = {s["ref"]: SessionDraft.model_validate(s) for s in record.get("all_sessions", [])}
    out = []
    for session in data.sessions:
        if session.ref is None:
            session = session.model_copy(update={"ref": offers.number_session(ref)})
        assert session.ref is not None
        number = session.ref
        session = sessions.restore_moderator_fields(published.get(number), session)
        out.append(sessions.number_recruitment(session, number))
    return data.model_copy(update={"sessions": out})


def _default_place(responsible: Item, trainer: str) -> sessions.Place | None:
    """The responsible organisation's address (the guide: the place of training by default): the trainer's
    place already at that address when it has one (chosen by reference, not created twice), otherwise a new
    place completed by *Rechercher une adresse* (its INSEE code, its position) when the address base finds it."""
    address = responsible.get("address")
    if not address:
        return None
    found = sessions.SessionAddress(
        line1=address["line1"][:50], postal_code=address["postal_code"], city=address["city"][:50]
    )
    place = sessions.Place(name=str(responsible["name"])[:255], address=found)
    known = {p.place_id: sessions.Place(name=p.name, address=p.address) for p in places(trainer)}
    if (place_id := sessions.known_place_at(place, known)) is not None:
        return sessions.Place(place_id=place_id)
    try:
        hits = addresses.search(f"{address['line1']} {address['city']}", postal_code=address["postal_code"], limit=1)
    except (RuleViolation, ServiceUnavailable):
        hits = []
    if hits:
        hit = hits[0]
        found = found.model_copy(
            update={"insee_code": hit.insee_code, "latitude": hit.latitude, "longitude": hit.longitude}
        )
    return place.model_copy(update={"address": found})


def add_session(identity: Identity, ref: str, session: SessionDraft) -> FormationView:
    """*Ajouter une session* to the open draft: numbered, prefilled where the OF left it empty (the place
    of training and of registration: the responsible organisation's address, or the trainer's place already
    there; the formation's contact)."""
    record = _to_edit(identity, ref)
    draft = _open_draft(record)
    data = FormationDraft.model_validate(draft["data"])
    if not session.places or session.registration is None:
        trainer = session.trainer_siret or record["siret"]
        place = _default_place(structures.get(record["siret"]) or {}, trainer)
        if place is not None:
            session = session.model_copy(
                update={
                    "places": session.places or [place],
                    "registration": session.registration or place,
                }
            )
    if not session.contacts and data.contact_id:
        session = session.model_copy(update={"contacts": [sessions.SessionContact(contact_id=data.contact_id)]})
    session = session.model_copy(update={"ref": None})
    saved = data.model_copy(update={"sessions": [*data.sessions, session]})
    workflow.save(FORMATION, identity, ref, record, draft["version"], _numbered(ref, saved, record))
    return _view(identity, _get(ref))


def duplicate_session(identity: Identity, session_ref: str, start: date, end: date) -> FormationView:
    """*Dupliquer*: a copy of a session (a finished one too) with new dates, added to the open draft."""
    owner = offers.formations_of_sessions([session_ref]).get(session_ref)
    if owner is None:
        raise NotFound("Cette session n'existe pas.")
    record = _to_edit(identity, owner)
    draft = _open_draft(record)
    data = FormationDraft.model_validate(draft["data"])
    source = next((s for s in data.sessions if s.ref == session_ref), None)
    if source is None:
        found = next((s for s in record["all_sessions"] if s.get("ref") == session_ref), None)
        if found is None:
            raise NotFound("Cette session n'est ni publiée ni dans le brouillon : enregistrez-la d'abord.")
        source = SessionDraft.model_validate(found)
    if end < start:
        raise violation("end_date", "La date de fin de la session doit être postérieure ou égale à sa date de début.")
    copy = sessions.duplicate(source, start, end)
    saved = data.model_copy(update={"sessions": [*data.sessions, copy]})
    workflow.save(FORMATION, identity, owner, record, draft["version"], _numbered(owner, saved, record))
    observability.count("SessionDuplicated")
    return _view(identity, _get(owner))


def set_scheme_states(moderator: Identity, session_ref: str, update: SchemeStates) -> FormationView:
    """The *état du dispositif* of a published session's funding lines (matched by financer and measure),
    set by a moderator: version-checked on the formation, kept in its history."""
    owner = offers.formations_of_sessions([session_ref]).get(session_ref)
    record = _get(owner) if owner else None
    found = next((s for s in (record or {}).get("all_sessions", []) if s.get("ref") == session_ref), None)
    if record is None or found is None:
        raise NotFound("Cette session n'est pas publiée : son état du dispositif se fixe une fois validée.")
    if update.version != record["version"]:
        raise Conflict(STALE)
    session = SessionDraft.model_validate(found)
    wanted: dict[tuple[str | None, str | None], str | None] = {
        (line.financer, line.measure): line.scheme_state for line in update.funding
    }
    lines = {(line.financer, line.measure) for line in session.funding}
    problems = [
        FieldError(f"funding.{n}", "Cette session n'a pas de ligne de financement de ce financeur et de cette mesure.")
        for n, line in enumerate(update.funding)
        if (line.financer, line.measure) not in lines
    ]
    if problems:
        raise RuleViolation("Ces lignes de financement ne sont pas celles de la session.", problems)
    changed = session.model_copy(
        update={
            "funding": [
                line.model_copy(update={"scheme_state": wanted.get((line.financer, line.measure), line.scheme_state)})
                for line in session.funding
            ]
        }
    )
    label = {"funding": f"Financements de la session {session_ref} (état du dispositif)"}
    found_differences = differences(
        {"funding": session.model_dump(mode="json")["funding"]},
        {"funding": changed.model_dump(mode="json")["funding"]},
        label,
    )
    if not found_differences:
        return _view(moderator, record)
    now = clock.iso()
    offers.set_session(
        record,
        changed.model_dump(mode="json", exclude_none=True),
        version=update.version,
        history={
            "id": uuid.uuid4().hex,
            "kind": FORMATION.name,
            "record_id": record["ref"],
            "submitted_by": moderator.email,
            "submitted_at": now,
            "decided_by": moderator.email,
            "decided_at": now,
            "comment": "État du dispositif fixé par le Carif-Oref",
            "differences": [d.model_dump(mode="json") for d in found_differences],
        },
    )
    return _view(moderator, _get(record["ref"]))


def places(siret: str) -> list[StructurePlace]:
    """The places of training a structure's published sessions created (those its next sessions choose
    from): public, as they are in the published offer."""
    return [StructurePlace.model_validate(p) for p in offers.places_of(siret)]


def referential(name: str) -> dict[str, Any]:
    """`financements` (the region's financers → measures → publics, the layer's data file), or an LHEO
    dictionary by its name (`dict-financeurs`...) as code → label."""
    if name == "financements":
        return sessions.financing_referential().model_dump(mode="json")
    table = lheo_codes.DICTIONARIES.get(name)
    if table is None:
        names = ", ".join(["financements", *sorted(lheo_codes.DICTIONARIES)])
        raise NotFound(f"Ce référentiel n'existe pas. Référentiels : {names}.")
    return dict(table)


# ---------------------------------------------------------------------- the Carif-Oref's side
def set_indexing(moderator: Identity, ref: str, update: FormationIndexing) -> FormationView:
    """Formacode, NSF and ROME: set by moderators only, version-checked, kept in the history."""
    record = _get(ref)
    changes = update.changes()
    if not changes:
        raise RuleViolation("Indiquez au moins une liste de codes à modifier (Formacode, NSF, ROME).")
    if update.version != record["version"]:
        raise Conflict(STALE)
    labels = {k: v for k, v in INDEXING_LABELS.items() if k in changes}
    found = differences({k: record.get(k) or [] for k in labels}, changes, labels)
    if not found:
        return _view(moderator, record)
    now = clock.iso()
    offers.set_indexing(
        record,
        changes,
        version=update.version,
        history={
            "id": uuid.uuid4().hex,
            "kind": FORMATION.name,
            "record_id": ref,
            "submitted_by": moderator.email,
            "submitted_at": now,
            "decided_by": moderator.email,
            "decided_at": now,
            "comment": INDEXING,
            "differences": [d.model_dump(mode="json") for d in found],
        },
    )
    return _view(moderator, _get(ref))
