"""Sign-in hardening: 5 failed attempts for one e-mail within 15 minutes lock it for 15 minutes."""

from __future__ import annotations

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60
LOCKED = (
    "Trop de tentatives de connexion ont échoué pour cette adresse e-mail. "
    "Par sécurité, réessayez dans 15 minutes, ou réinitialisez votre mot de passe."
)
