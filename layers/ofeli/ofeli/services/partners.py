"""Partners: their API keys (created, listed and revoked by moderators), and the published offer's
LHEO 2.3 feed they fetch as signed URLs.

- The full feed is written by a scheduled job (`feed_job`, kind `partner-feed`): every structure's
  published formations in it (`ofeli.domain.partners`), streamed into a file of /tmp, uploaded to the
  exports bucket, the run recorded; the formations that entered or left the feed since the previous run
  are filed with the run's instant (`ofeli.store.partner_feed`).
- `GET /partner/feed?since=` writes on request a small file of the formations published or changed since
  then (or that entered the feed since), and lists the references withdrawn since then: a formation that
  left the feed by a run since, one of the latest run no longer in it, or a changed one no longer in it.
  A reference a partner never had may be listed (deleting it is harmless); one it holds is never missed
  by more than a run (a certification found inactive since the latest run waits for the next).
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from ofeli import clock, jobs, observability
from ofeli.domain import partners as rules
from ofeli.domain.errors import NotFound, Unauthorized
from ofeli.domain.exports import Offer, Report
from ofeli.domain.identity import Identity
from ofeli.domain.partners import FeedChanges, FeedLink, PartnerKeyCreate, PartnerKeyCreated, PartnerKeyView
from ofeli.services import export_offers
from ofeli.settings import settings
from ofeli.store import partner_feed, partner_keys
from ofeli.store.table import Item

USE_MARK_SECONDS = 60  # `last_used_at` is written at most once a minute per key
FEED_FILENAME = "offre-formation-lheo.xml"


# ---------------------------------------------------------------------- keys
def _view(item: Item) -> PartnerKeyView:
    return PartnerKeyView.model_validate(item)


def create_key(moderator: Identity, request: PartnerKeyCreate, *, key: str | None = None) -> PartnerKeyCreated:
    """A new key for a partner: shown in this answer only, stored as its hash. (`key`: a key given, the
    local demo's only; the API always draws a random one.)"""
    key = key or rules.new_key()
    item = partner_keys.create(
        rules.key_hash(key),
        {
            "id": uuid.uuid4().hex,
            "name": request.name.strip(),
            "created_at": clock.iso(),
            "created_by": moderator.email,
        },
    )
    observability.count("PartnerKeyCreated")
    return PartnerKeyCreated(**_view(item).model_dump(), key=key)


def list_keys() -> list[PartnerKeyView]:
    """Every key, newest first, without its secret (which is not kept)."""
    return sorted((_view(i) for i in partner_keys.all_keys()), key=lambda k: k.created_at, reverse=True)


def revoke_key(moderator: Identity, key_id: str) -> PartnerKeyView:
    item = partner_keys.by_id(key_id)
    if item is None:
        raise NotFound(rules.KEY_NOT_FOUND)
    revoked = partner_keys.revoke(item, at=clock.iso(), by=moderator.email)
    observability.count("PartnerKeyRevoked")
    return _view(revoked)


def authenticate(key: str | None) -> PartnerKeyView:
    """The partner holding this key; a missing, unknown or revoked one is Unauthorized (one message, so
    that an answer tells nothing of which)."""
    if not key or len(key) > rules.MAX_KEY_LENGTH:
        raise Unauthorized(rules.UNKNOWN_KEY)
    item = partner_keys.by_hash(rules.key_hash(key.strip()))
    if item is None or item.get("revoked_at"):
        raise Unauthorized(rules.UNKNOWN_KEY)
    now = clock.now()
    partner_keys.mark_used(
        item,
        at=clock.iso(),
        not_since=rules.instant(now - timedelta(seconds=USE_MARK_SECONDS)),
    )
    return _view(item)


# ---------------------------------------------------------------------- writing a file
def _write(offers: Iterable[Offer], key: str, generated_at: str) -> tuple[Report, list[str], bool]:
    """The LHEO 2.3 file of these offers, written into /tmp as a stream, then uploaded under `key`; its
    report, the refs written (the rejected ones aside), and whether a file was written (LHEO has no file
    for an empty offer: none is uploaded then)."""
    from datetime import datetime

    from ofeli.lheo import writer

    seen: list[str] = []

    def tracked() -> Iterator[Offer]:
        for offer in offers:
            seen.append(offer.ref)
            yield offer

    with tempfile.TemporaryDirectory(prefix="partner-feed-") as folder:
        path = Path(folder) / "lheo.xml"
        try:
            with path.open("wb") as out:
                report = writer.write(tracked(), out, generated_at=datetime.fromisoformat(generated_at))
        except writer.NothingToWrite as empty:
            return empty.report, [], False
        partner_feed.upload(path, key)
    rejected = {r.ref for r in report.rejected}
    return report, [ref for ref in seen if ref not in rejected], True


def _stamp(at: str) -> str:
    return at.replace(":", "").replace("+0000", "Z")


def _members(run: Item | None) -> set[str] | None:
    if run is None or not run.get("members_key"):
        return None
    text = partner_feed.read_text(str(run["members_key"]))
    return set(text.split()) if text is not None else None


# ---------------------------------------------------------------------- the full feed
def generate(*, trigger: str = "schedule") -> Item:
    """Write the full feed, record the run and what entered or left the feed since the previous one."""
    at = clock.iso()
    folder = f"{partner_feed.PREFIX}{_stamp(at)}/"
    previous = partner_feed.latest()
    report, written, wrote = _write(export_offers.published_offers(today=clock.today()), folder + "lheo.xml", at)
    members = sorted(set(written))
    before = _members(previous)
    if before is not None:
        partner_feed.put_events(at, sorted(set(members) - before), sorted(before - set(members)))
    partner_feed.put_text(folder + "formations.txt", "\n".join(members))
    run = {
        "generated_at": at,
        "key": folder + "lheo.xml" if wrote else None,
        "members_key": folder + "formations.txt",
        "offers": report.formations,
        "sessions": report.sessions,
        "rejected": [{"ref": r.ref, "reason": r.reason} for r in report.rejected],
        "trigger": trigger,
    }
    partner_feed.record_run(run)
    observability.count("PartnerFeedGenerated")
    return run


def feed_job(message: dict[str, Any]) -> None:
    """The schedule's job (kind `partner-feed`): the feed once per delivered message."""
    job_id = str(message.get("id") or uuid.uuid4().hex)

    def work() -> None:
        generate(trigger=str(message.get("trigger") or "schedule"))

    jobs.once(f"partner-feed:{job_id}", work)


def _link(key: str | None, generated_at: str, offers: int) -> FeedLink:
    """The file's signed URL, valid `download_url_ttl` seconds (none when no formation is in it)."""
    seconds = settings().download_url_ttl
    return FeedLink(
        url=partner_feed.download_url(key, seconds=seconds, filename=FEED_FILENAME) if key else None,
        expires_at=(clock.now() + timedelta(seconds=seconds)).isoformat(timespec="seconds"),
        generated_at=generated_at,
        offers=offers,
    )


def feed() -> FeedLink:
    """The latest full feed's signed URL."""
    run = partner_feed.latest()
    if run is None:
        raise NotFound(rules.NO_FEED)
    if not run.get("key"):
        raise NotFound(rules.EMPTY_FEED)
    return _link(str(run["key"]), str(run["generated_at"]), int(run.get("offers") or 0))


# ---------------------------------------------------------------------- changes since
def changes(since_text: str) -> FeedChanges:
    """The formations published, changed or entered since `since` (a file), and the refs withdrawn."""
    now = clock.now()
    moment = rules.parse_since(since_text, now)
    since = rules.instant(moment)
    months = rules.months(moment, now)
    today = clock.today()
    candidates = set(export_offers.feed_candidates(today))
    changed = partner_feed.changed_since(since, months)
    events = partner_feed.events_since(since, months)
    last_members = _members(partner_feed.latest())
    entered = {str(e["ref"]) for e in events if e.get("event") == "entered"}
    new = candidates - last_members if last_members is not None else candidates
    wanted = sorted(candidates & (changed | entered | new))
    at = clock.iso()
    key = f"{partner_feed.PREFIX}changes/{_stamp(at)}-{uuid.uuid4().hex[:8]}/lheo.xml"
    report, written, wrote = _write(export_offers.offers_of(wanted, today=today), key, at)
    in_feed = (candidates - set(wanted)) | set(written)
    of_interest = changed | {str(e["ref"]) for e in events} | (last_members or set())
    observability.count("PartnerFeedChanges")
    return FeedChanges(
        **_link(key if wrote else None, at, report.formations).model_dump(), withdrawn=sorted(of_interest - in_feed)
    )
