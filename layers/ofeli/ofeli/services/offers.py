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
from ofeli.domain import offers as rules
from ofeli.domain.certifications import Certification
from ofeli.domain.errors import Conflict, FieldError, Forbidden, Locked, NotFound, RuleViolation, violation
from ofeli.domain.identity import Identity
from ofeli.domain.offers import (
    FIELD_LABELS,
    INDEXING_LABELS,
    LOCKED,
    STATUS_LABELS,
    CertificationSummary,
    FieldWarning,
    FormationCreate,
    FormationDraft,
    FormationIndexing,
    FormationListItem,
    FormationSubmission,
    FormationView,
    SessionInput,
    SessionView,
    SimilarFormation,
)
from ofeli.domain.structures import contacts_of
from ofeli.domain.workflow import HistoryEntry, differences
from ofeli.services import workflow
from ofeli.services.access import structure_for
from ofeli.store import certifications as referential
from ofeli.store import offers, structures, users
from ofeli.store.table import STALE, Item

NOT_YOURS = "Cette formation n'est pas celle d'une de vos structures (ni comme responsable, ni comme formateur)."
NEW_TITLE = "Nouvelle formation"
INDEXING = "Indexation par le Carif-Oref"


def _title(record: Item) -> str:
    return str(record.get("title") or NEW_TITLE)


def _check(data: BaseModel, published: Item) -> list[FieldError]:
    draft = cast(FormationDraft, data)
    known = _certifications(draft.codes)
    already = frozenset(_published_codes(published))
    responsible = structures.get(published["siret"]) or {}
    contact_ids = {c.id for c in contacts_of(responsible)}
    sessions = (offers.get_formation(published["ref"]) or {}).get("sessions", [])
    starts = [(s["ref"], date.fromisoformat(s["start_date"])) for s in sessions]
    return rules.submission_errors(draft, known, already=already, contact_ids=contact_ids, session_starts=starts)


def _on_publish(published: Item, data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The first publication's date; the title filed under each trainer kept in step."""
    now = clock.iso()
    changes: dict[str, Any] = {"last_published_at": now}
    if not published.get("published_at"):
        changes["published_at"] = now
    actions: list[dict[str, Any]] = []
    if data.get("title") and data["title"] != published.get("title"):
        trainers = (offers.get_formation(published["ref"]) or {}).get("trainers", [])
        actions = offers.trainer_titles(published["ref"], trainers, data["title"])
    return changes, actions


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
)


# ---------------------------------------------------------------------- reading
def _certifications(codes: list[str]) -> dict[str, Certification]:
    """The certifications of these codes, and their successors (the messages name them)."""
    known = referential.get_many(list(dict.fromkeys(codes))) if codes else {}
    successors = [s for c in known.values() for s in c.successors if s not in known]
    if successors:
        known |= referential.get_many(successors)
    return known


def _published_codes(record: Item) -> list[str]:
    if not record.get("published_at"):
        return []
    return [c["code"] for c in record.get("certifications") or []]


def _get(ref: str) -> Item:
    record = offers.get_formation(ref)
    if record is None:
        raise NotFound("Cette formation n'existe pas.")
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
    return (session["start_date"], session["ref"])


def _view(identity: Identity, record: Item) -> FormationView:
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
        can_edit=not identity.is_moderator and users.has_right(identity.user_id, record["siret"]),
        certifications=_summaries(shown, known),
        formacodes=record.get("formacodes") or [],
        nsf=record.get("nsf") or [],
        romes=record.get("romes") or [],
        warnings=[FieldWarning(field=w.field, message=w.message) for w in rules.warnings(current)] if draft else [],
        sessions=[SessionView.model_validate(s) for s in sorted(record["sessions"], key=_session_order)],
        objective=published.objective if published else None,
        content=published.content if published else None,
    )


def formation(identity: Identity, ref: str) -> FormationView:
    """For moderators, and for users with rights on the responsible structure or on a trainer."""
    record = _get(ref)
    _readable(identity, record)
    return _view(identity, record)


def formations(identity: Identity, siret: str) -> list[FormationListItem]:
    """The space's formations (*Formations* in the menu): those it is responsible for, then those whose
    sessions it trains (read-only), each with its state."""
    structure_for(identity, siret)
    pending = {e.record_id for e in workflow.queue(kind=FORMATION.name, siret=None)}
    own = offers.formations_of(siret)
    trained = offers.records([t["ref"] for t in offers.trained_by(siret)])
    rows = [(r, "responsable") for r in own] + [(r, "formateur") for r in trained]
    codes = [c["code"] for r, _ in rows for c in r.get("certifications") or []]
    known = _certifications(codes)
    today = clock.today()
    out = []
    for record, role in rows:
        record_codes = [c["code"] for c in record.get("certifications") or []]
        status = rules.status(
            published=bool(record.get("published_at")),
            pending=record["ref"] in pending,
            sessions_end=date.fromisoformat(record["sessions_end"]) if record.get("sessions_end") else None,
            archived=rules.not_renewed(record_codes, known),
            today=today,
        )
        out.append(
            FormationListItem(
                ref=record["ref"],
                title=_title(record),
                status=status,
                status_label=STATUS_LABELS[status],
                certification_codes=record_codes,
                role=cast(Any, role),
            )
        )
    return out


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
    )
    observability.count("FormationCreated")
    return _view(identity, _get(ref))


def save_draft(identity: Identity, ref: str, version: int, data: FormationDraft) -> FormationView:
    record = _to_edit(identity, ref)
    workflow.save(FORMATION, identity, ref, record, version, data)
    return _view(identity, _get(ref))


def drop_draft(identity: Identity, ref: str) -> FormationView | None:
    """*Supprimer ma demande*: the draft goes; a formation never published goes with it (None)."""
    record = _to_edit(identity, ref)
    if record.get("published_at"):
        workflow.drop(FORMATION, ref)
        return _view(identity, _get(ref))
    if not offers.discard(ref):
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
    _to_edit(identity, ref)
    workflow.withdraw(FORMATION, ref)
    return _view(identity, _get(ref))


def add_sessions(identity: Identity, ref: str, sessions: list[SessionInput]) -> FormationView:
    """Published sessions of a published formation (the demo data's; sessions move into the formation's
    draft with their issue). Each must start before its certifications' end of registration."""
    record = _to_edit(identity, ref)
    if not record.get("published_at"):
        raise violation("ref", "Les sessions s'ajoutent à une formation publiée.")
    codes = _published_codes(record)
    known = _certifications(codes)
    chosen = [known[c] for c in codes if c in known]
    problems = [
        FieldError(f"sessions.{position}.start_date", error)
        for position, session in enumerate(sessions)
        if (error := rules.session_start_error(session.start_date, chosen, known))
    ]
    if problems:
        raise RuleViolation("Ces sessions ne peuvent pas être ajoutées.", problems)
    offers.add_sessions(record, sessions)
    return _view(identity, _get(ref))


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
