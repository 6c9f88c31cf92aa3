"""The structure record (*Ma structure*): reading it, editing it through the workflow, documents."""

from __future__ import annotations

import re
import unicodedata
import uuid
from typing import Any

from ofeli import clock, observability
from ofeli.domain import directory
from ofeli.domain.directory import OUTSIDE, OrganisationPage, StructurePage, StructureQuery
from ofeli.domain.errors import Conflict, NotFound, RuleViolation, violation
from ofeli.domain.identifiers import siren_of
from ofeli.domain.identity import Identity
from ofeli.domain.structures import (
    FIELD_LABELS,
    LOCKED,
    REFERENCE_LABELS,
    ContactView,
    DocumentRequest,
    FormationRef,
    ModeratorStructureUpdate,
    Structure,
    StructureDraft,
    StructureRecord,
    StructureRef,
    StructureView,
    contacts_of,
)
from ofeli.domain.workflow import HistoryEntry, differences
from ofeli.services import workflow
from ofeli.services.access import structure_for, structure_to_edit
from ofeli.settings import settings
from ofeli.store import documents, offers, structures
from ofeli.store.table import STALE, Item

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
CORRECTION = "Correction par le Carif-Oref"

STRUCTURE = workflow.Kind(
    name="structure",
    label="la fiche structure",
    draft_model=StructureDraft,
    labels=FIELD_LABELS,
    locked=LOCKED,
    key=structures.structure_key,
    page=lambda siret: f"/ma-structure?siret={siret}",
    title=lambda record: str(record["name"]),
    siret=lambda record: str(record["siret"]),
    # a request to the Carif-Oref about contacts is handled once published: the next draft starts empty
    handled_on_publish=("contact_request",),
)


def register(structure: Structure) -> Item:
    """A new establishment, as the national databases describe it (set by moderators or the seed)."""
    if structure.parent_siret and structures.get(structure.parent_siret) is None:
        raise violation("parent_siret", "La structure parente (siège) n'existe pas.")
    return structures.create(structure)


def _record(record: Item) -> StructureRecord:
    parent = structures.get(record["parent_siret"]) if record.get("parent_siret") else None
    return StructureRecord(
        **(record | {"contacts": contacts_of(record)}),
        siren=siren_of(record["siret"]),
        parent=StructureRef(siret=parent["siret"], name=parent["name"]) if parent else None,
        attached=[StructureRef(siret=s["siret"], name=s["name"]) for s in structures.attached_to(record["siret"])],
    )


def view(identity: Identity, siret: str) -> StructureView:
    record = structure_for(identity, siret)
    return _view(record, workflow.current(STRUCTURE, siret))


def _view(record: Item, draft: Item | None) -> StructureView:
    """The page's view from what the caller already read: the published record and the draft."""
    siret = record["siret"]
    return StructureView(
        published=_record(record),
        draft=StructureDraft.model_validate(draft["data"]) if draft else None,
        submission=workflow.draft_info(draft),
        formations=[
            *(FormationRef(ref=f["ref"], title=f["title"], role="responsable") for f in offers.formations_of(siret)),
            *(FormationRef(ref=f["ref"], title=f["title"], role="formateur") for f in offers.trained_by(siret)),
        ],
    )


def save_draft(identity: Identity, siret: str, version: int, data: StructureDraft) -> StructureView:
    record = structure_to_edit(identity, siret)
    return _view(record, workflow.save(STRUCTURE, identity, siret, record, version, data))


def drop_draft(identity: Identity, siret: str) -> None:
    structure_to_edit(identity, siret)
    workflow.drop(STRUCTURE, siret)


def submit(identity: Identity, siret: str, version: int | None = None) -> StructureView:
    record = structure_to_edit(identity, siret)
    return _view(record, workflow.submit(STRUCTURE, identity, siret, record, version=version))


def withdraw(identity: Identity, siret: str) -> StructureView:
    record = structure_to_edit(identity, siret)
    return _view(record, workflow.withdraw(STRUCTURE, siret, record))


def history(identity: Identity, siret: str) -> list[HistoryEntry]:
    structure_for(identity, siret)
    return workflow.history(STRUCTURE, siret)


def contacts(identity: Identity, siret: str) -> list[ContactView]:
    """The structure's contacts, principal first (users with rights, and moderators)."""
    return contacts_of(structure_for(identity, siret))


# ---------------------------------------------------------------------- the Carif-Oref's side
def _directory_rows(query: StructureQuery) -> list[directory.StructureRow]:
    """The department's partition, or all the region's (and the rest) in parallel: never a Scan."""
    departments = settings().departments()
    if query.department:
        partitions = [query.department if query.department in departments else OUTSIDE]
    else:
        partitions = [*departments, OUTSIDE]
    return structures.directory(partitions)


def search(query: StructureQuery) -> StructurePage:
    """The moderators' directory."""
    return directory.search(_directory_rows(query), query)


def organisations(query: StructureQuery) -> OrganisationPage:
    """The organisations any signed-in user may name as trainer of a session (the guide's searchable,
    filterable dialog): the same rows as the moderators' directory, public fields only."""
    return directory.organisations(_directory_rows(query), query)


def _with_contact_ids(record: Item, sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    known = {c["id"] for c in record.get("contacts") or []}
    out = []
    for position, contact in enumerate(sent):
        if contact.get("id") is None:
            contact = {**contact, "id": uuid.uuid4().hex[:12]}
        elif contact["id"] not in known:
            raise violation(
                f"contacts.{position}.id",
                "Ce contact n'existe plus dans la fiche (retiré entre-temps ?) : rechargez la page.",
            )
        out.append(contact)
    return out


def _check_parent(siret: str, parent_siret: str | None) -> None:
    if parent_siret is None:
        return
    if parent_siret == siret:
        raise violation("parent_siret", "Une structure ne peut pas être son propre siège.")
    parent = structures.get(parent_siret)
    if parent is None:
        raise violation("parent_siret", "La structure parente (siège) n'existe pas : créez-la d'abord.")
    if parent.get("parent_siret"):
        raise violation(
            "parent_siret",
            f"« {parent['name']} » est elle-même rattachée à un siège : rattachez la structure à ce siège.",
        )
    if structures.attached_to(siret):
        raise violation(
            "parent_siret", "Cette structure est le siège d'autres structures : elle ne peut pas être rattachée."
        )


def moderator_update(moderator: Identity, siret: str, update: ModeratorStructureUpdate) -> StructureRecord:
    """Fields fed from national databases and set by the Carif-Oref (identity, address, organisation,
    contacts, quality, habilitations).

    Partial: only the fields sent change (an absent field is never erased); version-checked (409); the
    change lands in the record's history with its author and the differences, as an OF's change does."""
    record = structures.get(siret, consistent=True)
    if record is None:
        raise NotFound("Cette structure n'existe pas.")
    changes = update.changes()
    if not changes:
        raise RuleViolation(
            "Indiquez au moins un champ à modifier (identité, adresse, organisation, contacts, qualité)."
        )
    if "contacts" in changes:
        changes["contacts"] = _with_contact_ids(record, update.model_dump(mode="json")["contacts"])
    if "parent_siret" in changes:
        _check_parent(siret, update.parent_siret)
    if update.version != record["version"]:
        raise Conflict(STALE)
    labels = {k: v for k, v in REFERENCE_LABELS.items() if k in changes}
    found = differences({k: record.get(k) for k in labels}, changes, labels)
    if not found:
        return _record(record)  # nothing changes: nothing is written, the version stays
    now = clock.iso()
    history = {
        "id": uuid.uuid4().hex,
        "kind": STRUCTURE.name,
        "record_id": siret,
        "submitted_by": moderator.email,
        "submitted_at": now,
        "decided_by": moderator.email,
        "decided_at": now,
        "comment": CORRECTION,
        "differences": [d.model_dump(mode="json") for d in found],
    }
    observability.count("StructureCorrected")
    return _record(structures.update(record, changes, version=update.version, history=history))


# ---------------------------------------------------------------------- documents (*Gestion*)
def _safe_filename(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-.") or "document"
    return cleaned[-100:]


def document_upload(identity: Identity, siret: str, request: DocumentRequest) -> dict[str, object]:
    structure_to_edit(identity, siret)
    key = f"structures/{siret}/documents/{uuid.uuid4().hex[:12]}/{_safe_filename(request.filename)}"
    return documents.upload_form(key, request.content_type, DOCUMENT_MAX_BYTES)


def document_list(identity: Identity, siret: str) -> list[dict[str, object]]:
    structure_for(identity, siret)
    return documents.listing(f"structures/{siret}/documents/")
