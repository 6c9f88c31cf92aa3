"""The partners' feed: what it holds, and the rules of partner API keys and of `since`. Pure.

The feed is the guide's *Formations diffusées*: "uniquement les formations en cours et à venir, exportées
vers nos partenaires". A formation is in it when it is published, has a current or upcoming session
(not archived, not ended before today), and none of its certifications awaits its renewal (*non
diffusées*: "Il n'y a pas d'export vers nos partenaires"). Only its current and upcoming sessions are
written.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import Field

from ofeli.domain.errors import violation
from ofeli.domain.model import Model

if TYPE_CHECKING:  # in signatures only: the key routes do not import the offer's models
    from ofeli.domain.certifications import Certification
    from ofeli.domain.search import SearchRow
    from ofeli.domain.sessions import SessionDraft

KEY_BYTES = 32  # secrets.token_urlsafe(32): 256 bits, 43 characters
MAX_KEY_LENGTH = 200
SINCE_MAX_DAYS = 5 * 366  # one Query a month since then; older: the full feed

UNKNOWN_KEY = "Clé API absente, inconnue ou révoquée : envoyez une clé valide dans l'en-tête X-Api-Key."
NO_FEED = "Aucun flux n'a encore été généré : réessayez après la prochaine génération (chaque nuit)."
EMPTY_FEED = (
    "Le dernier flux généré est vide : aucune formation n'était diffusée. Réessayez après la prochaine génération."
)
KEY_NOT_FOUND = "Cette clé partenaire n'existe pas."
KEY_REVOKED = "Cette clé partenaire est déjà révoquée."


# ---------------------------------------------------------------------- what the feed holds
def current(session: SessionDraft, today: date) -> bool:
    """A session the feed writes: not archived, not ended before today (the search's *diffusée*)."""
    return not session.archived and (session.end_date is None or session.end_date >= today)


def row_may_be_in_feed(row: SearchRow, today: date) -> bool:
    """What a formation's search row says of it, before its record is read: published, with a current
    or upcoming session (its certifications are checked with the record)."""
    return row.published and any(not s.archived and (s.end is None or s.end >= today) for s in row.sessions)


def awaiting_renewal(codes: Iterable[str], known: dict[str, Certification]) -> bool:
    """One of its certifications is inactive in the referential (the search's *awaiting renewal*)."""
    return any(code in known and not known[code].active for code in codes)


def in_feed(
    *,
    published: bool,
    sessions: Iterable[SessionDraft],
    codes: Iterable[str],
    known: dict[str, Certification],
    today: date,
) -> bool:
    return published and any(current(s, today) for s in sessions) and not awaiting_renewal(codes, known)


# ---------------------------------------------------------------------- keys
def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def key_hash(key: str) -> str:
    """How a key is stored and looked up: SHA-256 (a 256-bit random key needs no slow hash)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class PartnerKeyCreate(Model):
    name: str = Field(min_length=1, max_length=100, description="Le partenaire à qui la clé est remise")


class PartnerKeyView(Model):
    id: str
    name: str
    created_at: str
    created_by: str
    revoked_at: str | None = None
    revoked_by: str | None = None
    last_used_at: str | None = None


class PartnerKeyCreated(PartnerKeyView):
    key: str = Field(description="La clé, affichée cette seule fois : elle n'est conservée que sous forme hachée")


# ---------------------------------------------------------------------- the feed's answers
class FeedLink(Model):
    url: str | None = Field(
        description="Adresse signée du fichier LHEO 2.3, valable quelques minutes (absente : aucune formation à écrire)"
    )
    expires_at: str
    generated_at: str
    offers: int = Field(description="Formations dans le fichier")


class FeedChanges(FeedLink):
    withdrawn: list[str] = Field(
        default_factory=list, description="Numéros des formations retirées du flux depuis cette date"
    )


# ---------------------------------------------------------------------- since
def parse_since(text: str, now: datetime) -> datetime:
    """`since` as an instant (ISO 8601 with its time zone, or a date: midnight UTC); a bad one, one in the
    future or more than five years old is refused with a French message."""
    value = text.strip()
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise violation(
            "since", "Cette date n'est pas lisible : écrivez-la en ISO 8601, par exemple 2026-11-01T00:00:00Z."
        ) from None
    if moment.tzinfo is None:
        raise violation("since", "Précisez le fuseau horaire de la date, par exemple 2026-11-01T00:00:00Z.")
    moment = moment.astimezone(UTC)
    if moment > now + timedelta(minutes=5):
        raise violation("since", "Cette date est dans le futur : aucun changement ne peut encore s'y trouver.")
    if moment < now - timedelta(days=SINCE_MAX_DAYS):
        raise violation(
            "since",
            "Cette date remonte à plus de cinq ans : téléchargez plutôt le flux complet "
            "(GET /partner/feed sans since).",
        )
    return moment


def instant(moment: datetime) -> str:
    """An instant as the product stores them (`ofeli.clock.iso`): comparable as text."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def months(since: datetime, now: datetime) -> list[str]:
    """The months (`YYYY-MM`) from `since` to `now`: the partitions of what changed meanwhile."""
    out, year, month = [], since.year, since.month
    while (year, month) <= (now.year, now.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
