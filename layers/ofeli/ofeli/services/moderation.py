"""The moderation queue across every kind of record."""

from __future__ import annotations

from ofeli.domain.identity import Identity
from ofeli.domain.workflow import Decision, QueueEntry, SubmissionView
from ofeli.services import workflow
from ofeli.services.offers import FORMATION
from ofeli.services.structures import STRUCTURE

KINDS = {kind.name: kind for kind in (STRUCTURE, FORMATION)}


def queue(kind: str | None = None, siret: str | None = None) -> list[QueueEntry]:
    return workflow.queue(kind, siret)


def submission(submission_id: str) -> SubmissionView:
    return workflow.submission(KINDS, submission_id)


def decide(moderator: Identity, submission_id: str, decision: Decision) -> None:
    workflow.decide(KINDS, moderator, submission_id, decision)
