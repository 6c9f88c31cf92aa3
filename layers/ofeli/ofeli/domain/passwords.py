"""The password policy of the guide: 8 characters minimum, an upper-case letter, a special character.

Checked here, by the project itself: the local Cognito does not enforce it on every path.
"""

from __future__ import annotations

from ofeli.domain.errors import FieldError, RuleViolation

MIN_LENGTH = 8


def missing_rules(password: str) -> list[str]:
    missing = []
    if len(password) < MIN_LENGTH:
        missing.append(f"au moins {MIN_LENGTH} caractères")
    if not any(c.isupper() for c in password):
        missing.append("une majuscule")
    if not any(not c.isalnum() and not c.isspace() for c in password):
        missing.append("un caractère spécial")
    return missing


def check_password(password: str, *, field: str = "password") -> None:
    missing = missing_rules(password)
    if missing:
        message = "Le mot de passe doit contenir " + ", ".join(missing) + "."
        raise RuleViolation(message, [FieldError(field, message)])
