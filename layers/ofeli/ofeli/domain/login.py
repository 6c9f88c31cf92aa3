"""Sign-in hardening and the throttles of the public routes.

- At most MAX_FAILURES wrong passwords for one e-mail reach Cognito per 15-minute window (fixed
  windows: 10:00-10:15, 10:15-10:30...); after that the e-mail is locked until the window ends, or
  until a password is set with an activation key (*Réinitialiser mon mot de passe*).
- Each public route (sign-in, password reset, account request) takes a limited number of requests
  per caller's address and window (settings `public_rate_limit`, `public_rate_window`).
"""

from __future__ import annotations

import math

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _delay(seconds_left: int) -> str:
    """'dans 7 minutes', 'dans 1 minute', 'dans 40 secondes'."""
    if seconds_left < 60:
        seconds = max(1, seconds_left)
        return f"dans {seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = math.ceil(seconds_left / 60)
    return f"dans {minutes} minute{'s' if minutes > 1 else ''}"


def locked_message(seconds_left: int) -> str:
    """What a person reads when their e-mail is locked, with the time left before the window ends."""
    return (
        "Trop de tentatives de connexion ont échoué pour cette adresse e-mail. "
        f"Par sécurité, réessayez {_delay(seconds_left)}, ou réinitialisez votre mot de passe."
    )


def throttled_message(seconds_left: int) -> str:
    """What a person reads when their connection sent too many requests to a public route."""
    return (
        "Trop de demandes ont été envoyées depuis votre connexion en peu de temps. "
        f"Par sécurité, réessayez {_delay(seconds_left)}."
    )


def window_of(now: int, seconds: int) -> int:
    """The number of the fixed window of `seconds` that holds the instant `now` (epoch seconds)."""
    return now // seconds


def seconds_left(now: int, seconds: int) -> int:
    """Seconds until the window holding `now` ends."""
    return (window_of(now, seconds) + 1) * seconds - now
