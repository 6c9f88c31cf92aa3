"""The Carif-Oref's side of what waits: the menu's counts, the contact requests, and the digest
e-mailed to the moderation address when something new waits (one e-mail, never one per event)."""

from __future__ import annotations

from typing import Any

from ofeli import clock, mail, observability
from ofeli.domain.alerts import Alerts, ContactRequestView, digest_due
from ofeli.domain.identity import Identity
from ofeli.mail import messages
from ofeli.settings import settings
from ofeli.store import alerts, contact_requests


def counts() -> Alerts:
    return Alerts(**alerts.counts())


def pending_contact_requests() -> list[ContactRequestView]:
    """Oldest first."""
    return [ContactRequestView.model_validate(item) for item in contact_requests.pending()]


def contact_request_done(moderator: Identity, request_id: str) -> ContactRequestView:
    item = contact_requests.mark_done(request_id, done_by=moderator.email, done_at=clock.iso())
    observability.count("ContactRequestDone")
    return ContactRequestView.model_validate(item)


def digest_job(message: dict[str, Any]) -> None:
    """The scheduled "moderation-digest" job. Safe to run twice at once: the e-mail's job id is made from
    the newest waiting item, so two runs queue the same e-mail, which is sent once."""
    newest = alerts.newest()
    last = alerts.last_digest()
    config = settings()
    if not digest_due(
        newest,
        last.get("newest") if last else None,
        last.get("sent_at") if last else None,
        clock.now(),
        config.digest_interval,
    ):
        return
    assert newest is not None
    counts = alerts.counts()
    mail.enqueue(messages.moderation_digest(config.moderation_email, counts), job_id=f"digest-{newest}")
    alerts.record_digest(last, sent_at=clock.iso(), newest=newest)
    observability.count("ModerationDigest")
