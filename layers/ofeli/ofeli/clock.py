"""The one clock of the product: every date and time OFeli reads comes from here.

In AWS it is the system clock. Tests (and the local stack's `POST /_local/clock`) move it with `set`
or `advance`, so a 15-minute lock-out, a 7-day key or a session's dates are tested at their
boundaries without back-dating stored items. Moved time keeps flowing from where it was set.
"""

from __future__ import annotations

import time as _time
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

_offset = 0.0  # seconds added to the system clock


def timestamp() -> float:
    """Seconds since the epoch, as the product sees them."""
    return _time.time() + _offset


def seconds() -> int:
    """Whole seconds since the epoch (TTL attributes, windows)."""
    return int(timestamp())


def sequence() -> int:
    """Nanoseconds of the system clock, which tests never move: the order of a technical log that readers
    follow (the search rows' changes). A product date moved back by a test must not put a write before
    what a reader has already read; business dates come from `now()`."""
    return _time.time_ns()


def now() -> datetime:
    """The current instant, in UTC."""
    return datetime.fromtimestamp(timestamp(), UTC)


def iso(timespec: str = "milliseconds") -> str:
    """The current instant as ISO 8601 (`2026-11-28T10:00:00.000+00:00`)."""
    return now().isoformat(timespec=timespec)


@cache
def _paris() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Paris")


def today() -> date:
    """Today's date in France (session dates, deadlines)."""
    return now().astimezone(_paris()).date()


def set(moment: datetime | None) -> None:  # noqa: A001 (the clock's own verb)
    """Make `now()` read `moment` (then go on from there); None goes back to the system clock."""
    global _offset
    _offset = 0.0 if moment is None else moment.timestamp() - _time.time()


def advance(by: timedelta | float) -> None:
    """Move the clock forward (or back with a negative value)."""
    global _offset
    _offset += by.total_seconds() if isinstance(by, timedelta) else float(by)
