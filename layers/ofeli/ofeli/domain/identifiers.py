"""Identifiers of the guide: SIRET, SIREN, NDA. Pure functions, French messages."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

LA_POSTE_SIREN = "356000000"
# ASCII digits only: `\d` also matches full-width and other scripts' digits (a SIRET typed in full-width
# digits would be another key for the same establishment).
_DIGITS = re.compile(r"[0-9]+")


def compact(value: str) -> str:
    """What a person typed, without the spaces, dots and dashes people put in numbers."""
    return re.sub(r"[\s.\-]", "", value or "")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def siret_error(value: str) -> str | None:
    """Why `value` is not a SIRET, or None. La Poste's establishments follow their own key."""
    siret = compact(value)
    if not siret:
        return "Le SIRET est obligatoire."
    if len(siret) != 14 or not _DIGITS.fullmatch(siret):
        return "Le SIRET doit comporter exactement 14 chiffres."
    # La Poste's establishments share one SIREN; their key is "the sum of the digits is a multiple of 5"
    # (the head office, 356 000 000 00048, also passes Luhn).
    la_poste_ok = siret.startswith(LA_POSTE_SIREN) and sum(int(c) for c in siret) % 5 == 0
    if not (luhn_ok(siret) or la_poste_ok):
        return "Ce SIRET n'est pas valide : sa clé de contrôle est fausse. Vérifiez-le sur votre avis de situation."
    return None


def nda_error(value: str) -> str | None:
    """Why `value` is not a numéro de déclaration d'activité (11 digits from the Dreets), or None."""
    nda = compact(value)
    if not nda:
        return "Le numéro de déclaration d'activité est obligatoire."
    if len(nda) != 11 or not _DIGITS.fullmatch(nda):
        return "Le numéro de déclaration d'activité doit comporter exactement 11 chiffres."
    return None


def siren_of(siret: str) -> str:
    return compact(siret)[:9]


def _valid_siret(value: str) -> str:
    if error := siret_error(value):
        raise ValueError(error)
    return compact(value)


def _valid_nda(value: str) -> str:
    if error := nda_error(value):
        raise ValueError(error)
    return compact(value)


Siret = Annotated[str, AfterValidator(_valid_siret)]
Nda = Annotated[str, AfterValidator(_valid_nda)]
