"""The workflow engine, once for every kind of record (DESIGN: structures now, formations next).

A `Kind` says where a record lives, what its draft is (a pydantic model), which published fields the
draft changes, how a person names it and where its page is. Everything else is here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ofeli import clock, mail, observability
from ofeli.domain import workflow as rules
from ofeli.domain.errors import Conflict, FieldError, Locked, NotFound, RuleViolation, violation
from ofeli.domain.identity import Identity
from ofeli.mail import messages
from ofeli.store import contact_requests, table, workflow
from ofeli.store.table import STALE, Item


@dataclass(frozen=True)
class Kind:
    name: str  # "structure"
    label: str  # "la fiche structure", for sentences
    draft_model: type[BaseModel]
    labels: dict[str, str]  # the draft's fields, as a person names them, in display order
    locked: str  # the guide's sentence while a submission waits
    key: Callable[[str], str]  # record id -> partition key
    page: Callable[[str], str]  # record id -> path of its web page
    title: Callable[[Item], str]
    siret: Callable[[Item], str]
    # the rules at submission, given the draft and the published item
    check: Callable[[BaseModel, Item], list[FieldError]] = field(default=lambda _draft, _published: [])
    # Requests to the Carif-Oref (free text about contacts): once published, a non-empty one is filed in
    # the moderators' contact requests, in the same transaction, and emptied from the record.
    handled_on_publish: tuple[str, ...] = ()
    # What else a publication changes, from the published item and the draft's data: more fields of the
    # record (the first publication's date...) and more transaction actions (copies of the title filed
    # elsewhere...), written in the same transaction.
    # (`history` is the entry the publication writes: who submitted, who decided, when.)
    on_publish: Callable[[Item, dict[str, Any], Item], tuple[dict[str, Any], list[dict[str, Any]]]] = field(
        default=lambda _published, _data, _history: ({}, [])
    )
    # Fields of the draft kept as items of their own, not on the record (a formation's sessions): the
    # publication leaves them to `on_publish`, and `read_published` gives the published item with them.
    stored_apart: tuple[str, ...] = ()
    # More to show the moderator than field-by-field differences (which session changed, and how), from
    # the published values and the submitted ones.
    details: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] = field(default=lambda _before, _after: {})
    read_published: Callable[[str], Item | None] = field(default=lambda pk: table.get(pk, "RECORD", consistent=True))
    # What a submission's lock (True) or unlock (False) changes elsewhere (the formation's search rows
    # say it waits), as transaction actions written with it.
    on_lock: Callable[[Item, bool], list[dict[str, Any]]] = field(default=lambda _published, _locked: [])


def _now() -> str:
    return clock.iso()


def published_data(kind: Kind, published: Item) -> dict[str, Any]:
    """The published values of the fields a draft edits (a field never set reads as its default)."""
    fields = kind.draft_model.model_fields
    defaults = {n: f.get_default(call_default_factory=True) for n, f in fields.items() if not f.is_required()}
    return {name: published.get(name, defaults.get(name)) for name in kind.labels}


def draft_info(draft: Item | None) -> rules.DraftInfo:
    if draft is None:
        return rules.DraftInfo(state="none")
    return rules.DraftInfo(
        state=draft["state"],
        version=draft["version"],
        saved_at=draft.get("saved_at"),
        saved_by=draft.get("saved_by"),
        submitted_at=draft.get("submitted_at"),
        submitted_by=(draft.get("entry") or {}).get("submitted_by"),
        submission_id=draft.get("submission_id"),
        comment=draft.get("comment"),
    )


def current(kind: Kind, record_id: str) -> Item | None:
    return workflow.get_draft(kind.key(record_id))


def save(kind: Kind, identity: Identity, record_id: str, published: Item, version: int, data: BaseModel) -> Item:
    """*Sauvegarder*: version 0 opens the draft (*Demande de modification*), else it must be the draft's."""
    pk = kind.key(record_id)
    values = data.model_dump(mode="json")
    draft = workflow.get_draft(pk)
    if draft is not None and draft["state"] == "submitted":
        raise Locked(kind.locked)
    if version == 0:
        if draft is not None:
            raise Conflict(rules.NEW_DRAFT_VERSION)
        try:
            return workflow.create_draft(
                pk,
                {
                    "data": values,
                    "base_version": published["version"],
                    "opened_by": identity.email,
                    "saved_by": identity.email,
                    "saved_by_id": identity.user_id,
                    "saved_at": _now(),
                },
            )
        except Conflict:
            raise Conflict(rules.NEW_DRAFT_VERSION) from None
    saved = workflow.save_draft(pk, values, version=version, saved_by=identity.email, saved_at=_now())
    if saved is None:
        _raise_why(kind, pk, missing=NotFound(rules.NO_DRAFT), stale=Conflict(STALE))
    assert saved is not None
    return saved


def _raise_why(kind: Kind, pk: str, *, missing: Exception, stale: Exception) -> None:
    draft = workflow.get_draft(pk)
    if draft is None:
        raise missing
    if draft["state"] == "submitted":
        raise Locked(kind.locked)
    raise stale


def drop(kind: Kind, record_id: str) -> None:
    """*Annuler* / *Supprimer ma demande*: the draft goes, the published record stays."""
    pk = kind.key(record_id)
    if not workflow.drop_draft(pk):
        _raise_why(kind, pk, missing=NotFound(rules.NO_DRAFT), stale=NotFound(rules.NO_DRAFT))


def submit(kind: Kind, identity: Identity, record_id: str, published: Item, *, version: int | None = None) -> Item:
    """*Soumettre pour validation* then *Confirmer*: every rule checked, then locked until a decision.

    `version`, when given, is the draft the person saw: a colleague's newer save is not submitted unseen.
    """
    pk = kind.key(record_id)
    draft = workflow.get_draft(pk)
    if draft is None:
        raise Conflict(rules.NOTHING_TO_SUBMIT)
    if draft["state"] == "submitted":
        raise Locked(kind.locked)
    if version is not None and version != draft["version"]:
        raise Conflict(STALE)
    data = kind.draft_model.model_validate(draft["data"])
    problems = kind.check(data, published)
    if problems:
        raise RuleViolation("La saisie n'est pas complète : corrigez les points signalés avant de soumettre.", problems)
    if not rules.differences(published_data(kind, published), draft["data"], kind.labels):
        raise Conflict("Votre modification ne change rien à la version publiée : il n'y a rien à soumettre.")
    submission_id = str(uuid.uuid4())
    submitted_at = _now()
    entry = {
        "kind": kind.name,
        "record_id": record_id,
        "siret": kind.siret(published),
        "title": kind.title({**published, **draft["data"]}),  # the title as submitted
        "submitted_by": identity.email,
        "submitted_by_id": identity.user_id,
    }
    locked = workflow.submit(
        pk,
        version=draft["version"],
        submission_id=submission_id,
        submitted_at=submitted_at,
        entry=entry,
        also=kind.on_lock(published, True),
    )
    if locked is None:
        _raise_why(kind, pk, missing=Conflict(rules.NOTHING_TO_SUBMIT), stale=Conflict(STALE))
    assert locked is not None
    return locked


def withdraw(kind: Kind, record_id: str, published: Item) -> Item:
    """*Annuler ma demande de vérification*: back to a draft, while no moderator has decided."""
    pk = kind.key(record_id)
    draft = workflow.get_draft(pk)
    if draft is None or draft["state"] != "submitted":
        raise Conflict(rules.NOT_SUBMITTED)
    unlocked = workflow.unlock(pk, submission_id=draft["submission_id"], also=kind.on_lock(published, False))
    if unlocked is None:
        raise Conflict(rules.NOT_SUBMITTED)
    return unlocked


def history(kind: Kind, record_id: str) -> list[rules.HistoryEntry]:
    return [rules.HistoryEntry.model_validate(item) for item in workflow.history(kind.key(record_id))]


# ---------------------------------------------------------------------- the moderators' side
def queue(kind: str | None = None, siret: str | None = None) -> list[rules.QueueEntry]:
    return [_entry(item) for item in workflow.queue(kind=kind, siret=siret)]


def _entry(draft: Item) -> rules.QueueEntry:
    entry = draft["entry"]
    return rules.QueueEntry(
        id=draft["submission_id"],
        kind=entry["kind"],
        record_id=entry["record_id"],
        siret=entry["siret"],
        title=entry["title"],
        submitted_at=draft["submitted_at"],
        submitted_by=entry["submitted_by"],
    )


def _submission(kinds: dict[str, Kind], submission_id: str) -> tuple[Kind, Item, Item]:
    draft = workflow.find_submission(submission_id)
    if draft is None or draft.get("submission_id") != submission_id or draft["state"] != "submitted":
        raise NotFound("Cette demande n'est plus en attente : elle a été traitée ou retirée.")
    kind = kinds[draft["entry"]["kind"]]
    published = kind.read_published(draft["pk"])
    if published is None:
        raise NotFound("L'enregistrement publié de cette demande n'existe plus.")
    return kind, draft, published


def submission(kinds: dict[str, Kind], submission_id: str) -> rules.SubmissionView:
    kind, draft, published = _submission(kinds, submission_id)
    before = published_data(kind, published)
    return rules.SubmissionView(
        **_entry(draft).model_dump(),
        submitted=draft["data"],
        published=before,
        differences=rules.differences(before, draft["data"], kind.labels),
        details=kind.details(before, draft["data"]),
    )


def decide(kinds: dict[str, Kind], moderator: Identity, submission_id: str, decision: rules.Decision) -> None:
    kind, draft, published = _submission(kinds, submission_id)
    entry = draft["entry"]
    comment = (decision.comment or "").strip()
    title = kind.title({**published, **draft["data"]})
    if decision.decision == "reject":
        if not comment:
            raise violation("comment", rules.COMMENT_REQUIRED)
        unlocked = workflow.unlock(
            draft["pk"], submission_id=submission_id, comment=comment, also=kind.on_lock(published, False)
        )
        if unlocked is None:
            raise Conflict(rules.ALREADY_DECIDED)
        observability.count("SubmissionDecided")
        mail.enqueue(
            messages.submission_rejected(
                entry["submitted_by"], kind.label, title, comment, kind.page(entry["record_id"])
            )
        )
        return
    decided_at = _now()
    before = published_data(kind, published)
    history = {
        "kind": kind.name,
        "record_id": entry["record_id"],
        "submitted_by": entry["submitted_by"],
        "submitted_at": draft["submitted_at"],
        "decided_by": moderator.email,
        "decided_at": decided_at,
        "comment": comment or None,
        "differences": [d.model_dump(mode="json") for d in rules.differences(before, draft["data"], kind.labels)],
    }
    more_changes, more_actions = kind.on_publish(published, draft["data"], {**history, "siret": entry["siret"]})
    workflow.publish(
        draft["pk"],
        published_version=published["version"],
        changes={
            **{k: v for k, v in draft["data"].items() if k not in kind.stored_apart},
            **dict.fromkeys(kind.handled_on_publish),
            **more_changes,
        },
        submission_id=submission_id,
        history=history,
        conflict=rules.ALREADY_DECIDED,
        also=[
            contact_requests.tx_create(
                {
                    "id": uuid.uuid4().hex,
                    "kind": kind.name,
                    "record_id": entry["record_id"],
                    "siret": entry["siret"],
                    "title": title,
                    "field": name,
                    "text": draft["data"][name],
                    "requested_by": entry["submitted_by"],
                    "requested_at": draft["submitted_at"],
                    "submission_id": submission_id,
                    "approved_by": moderator.email,
                }
            )
            for name in kind.handled_on_publish
            if draft["data"].get(name)
        ]
        + more_actions,
    )
    observability.count("SubmissionDecided")
    mail.enqueue(messages.submission_approved(entry["submitted_by"], kind.label, title, kind.page(entry["record_id"])))
