"""What waits for the Carif-Oref (the moderators' menu), the contact requests, and when the moderation
address gets a digest. Pure."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import Field

from ofeli.domain.model import Model


class Alerts(Model):
    account_requests: int = Field(description="Demandes de compte et d'accès à une structure en attente")
    submissions: int = Field(description="Modifications soumises en attente de validation")
    unread_messages: int = Field(description="Messages des organismes que le Carif-Oref n'a pas lus")
    contact_requests: int = Field(description="Demandes de contact à traiter")

    @property
    def total(self) -> int:
        return self.account_requests + self.submissions + self.unread_messages + self.contact_requests


class ContactRequestView(Model):
    id: str
    siret: str
    title: str = Field(description="La fiche d'où vient la demande (structure, formation…)")
    kind: str
    record_id: str
    text: str
    requested_by: str
    requested_at: datetime
    approved_by: str | None = None
    state: str = "pending"
    done_by: str | None = None
    done_at: datetime | None = None


def digest_due(
    newest: str | None, last_newest: str | None, last_sent_at: str | None, now: datetime, interval: int
) -> bool:
    """One digest when something new waits: an item started waiting after the last digest's newest one,
    and the last digest is at least `interval` seconds old (a burst of requests makes one e-mail)."""
    if newest is None or (last_newest is not None and newest <= last_newest):
        return False
    if last_sent_at is None:
        return True
    return now - datetime.fromisoformat(last_sent_at) >= timedelta(seconds=interval)
