"""Activation keys: the link e-mailed to set a password, on account creation and on reset.

256 random bits, URL-safe; only their SHA-256 is stored; single use; valid 7 days.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

KEY_BYTES = 32
VALIDITY = timedelta(days=7)

UNKNOWN = (
    "Cette clé d'activation est inconnue. Vérifiez que vous avez copié le lien en entier, "
    "ou demandez-en une nouvelle avec « Réinitialiser mon mot de passe »."
)
USED = (
    "Cette clé d'activation a déjà servi. Connectez-vous avec votre mot de passe, "
    "ou demandez une nouvelle clé avec « Réinitialiser mon mot de passe »."
)
EXPIRED = (
    "Cette clé d'activation a expiré (elle est valable 7 jours). "
    "Demandez-en une nouvelle avec « Réinitialiser mon mot de passe »."
)
REPLACED = "Cette clé d'activation a été remplacée par une plus récente : utilisez le lien du dernier e-mail reçu."


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
