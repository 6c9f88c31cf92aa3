"""The draft → submission → decision workflow shared by structure records, formations and sessions.

A record has a published version (what the public and partners see) and at most one draft. The draft
is saved (version-checked), dropped, or submitted; a submitted draft is locked until a moderator
approves it (its changes are published, a history entry is written) or rejects it (back to the OF as
a draft, with the moderator's comment). Nothing reaches the published record any other way.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from ofeli.domain.model import Model

State = Literal["none", "draft", "submitted"]

NOTHING_TO_SUBMIT = "Il n'y a aucune modification à soumettre : ouvrez d'abord une demande de modification."
NO_DRAFT = "Il n'y a aucune modification en cours."
NOT_SUBMITTED = "Il n'y a pas de demande de validation en attente."
NEW_DRAFT_VERSION = (
    "Une modification est déjà en cours (ouverte dans un autre onglet ou par un collègue) : "
    "rechargez la page pour la reprendre."
)
ALREADY_DECIDED = (
    "Cette demande a déjà été traitée ou retirée, ou l'enregistrement publié a changé entre-temps : "
    "rechargez la file de modération."
)
COMMENT_REQUIRED = "Indiquez la raison du refus : elle est envoyée à l'organisme avec sa fiche."


class Difference(Model):
    field: str
    label: str
    before: Any = None
    after: Any = None
    added: list[Any] = Field(default_factory=list)
    removed: list[Any] = Field(default_factory=list)


class DraftInfo(Model):
    state: State
    version: int = 0
    saved_at: datetime | None = None
    saved_by: str | None = None
    submitted_at: datetime | None = None
    submitted_by: str | None = None
    submission_id: str | None = None
    comment: str | None = Field(default=None, description="La raison du dernier refus du Carif-Oref")


class Decision(Model):
    decision: Literal["approve", "reject"]
    comment: str | None = Field(default=None, max_length=2000)


class QueueEntry(Model):
    id: str
    kind: str
    record_id: str
    siret: str
    title: str
    submitted_at: datetime
    submitted_by: str


class SubmissionView(QueueEntry):
    submitted: dict[str, Any]
    published: dict[str, Any]
    differences: list[Difference]
    details: dict[str, Any] = Field(
        default_factory=dict,
        description="Selon le type : pour une formation, `sessions`, chaque session ajoutée, modifiée ou retirée et "
        "ses différences champ par champ",
    )


class HistoryEntry(Model):
    kind: str
    record_id: str
    submitted_by: str
    submitted_at: datetime
    decided_by: str
    decided_at: datetime
    comment: str | None = None
    differences: list[Difference]


class SubmitRequest(Model):
    version: int | None = Field(default=None, description="La version du brouillon relue avant de soumettre")


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def differences(before: dict[str, Any], after: dict[str, Any], labels: dict[str, str]) -> list[Difference]:
    """Field by field, in the order of `labels`; lists also say which entries were added or removed."""
    out = []
    for name, label in labels.items():
        old, new = before.get(name), after.get(name)
        if _canon(old) == _canon(new):
            continue
        entry = Difference(field=name, label=label, before=old, after=new)
        if isinstance(old, list | type(None)) and isinstance(new, list | type(None)):
            old_items, new_items = old or [], new or []
            old_keys, new_keys = {_canon(i) for i in old_items}, {_canon(i) for i in new_items}
            entry.added = [i for i in new_items if _canon(i) not in old_keys]
            entry.removed = [i for i in old_items if _canon(i) not in new_keys]
        out.append(entry)
    return out
