"""A person's contact details: names, e-mail, French phone numbers. Pure, French messages."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

from ofeli.domain.model import Model
from ofeli.domain.text import line_error

NAME_MAX = 50
PHONE_ERROR = "Le numéro de téléphone doit être un numéro français à 10 chiffres (exemple : 02 31 00 00 00)."
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
# DOM numbers dialled from abroad: +262 (Réunion, Mayotte), +590 (Guadeloupe), +594 (Guyane), +596 (Martinique)...
_OVERSEAS = ("262", "269", "590", "594", "596", "508", "681", "687", "689")


def normalise_email(value: str) -> str:
    """E-mails are compared case-insensitively: one account = one e-mail."""
    return value.strip().lower()


def email_error(value: str) -> str | None:
    if error := line_error(value):
        return error
    email = normalise_email(value)
    if not email:
        return "L'adresse e-mail est obligatoire."
    if len(email) > 254 or not _EMAIL.match(email) or ".." in email:
        return "L'adresse e-mail n'est pas valide (exemple : prenom.nom@organisme.fr)."
    return None


def normalise_phone(value: str) -> str | None:
    """A French number as "02 31 00 00 00", or None when it is not one."""
    digits = re.sub(r"[\s.\-/()]", "", value or "")
    if digits.startswith("+"):
        digits = "00" + digits[1:]
    if digits.startswith("0033"):
        digits = "0" + digits[4:].removeprefix("0")
    else:
        for code in _OVERSEAS:
            if digits.startswith("00" + code):
                digits = "0" + digits[2 + len(code) :].removeprefix("0")
                break
    if not re.fullmatch(r"0[1-9][0-9]{8}", digits):  # ASCII digits only (`\d` takes any script's)
        return None
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def _email(value: str) -> str:
    if error := email_error(value):
        raise ValueError(error)
    return normalise_email(value)


def _phone(value: str) -> str:
    phone = normalise_phone(value)
    if phone is None:
        raise ValueError(PHONE_ERROR)
    return phone


def _name(label: str) -> AfterValidator:
    def check(value: str) -> str:
        if error := line_error(value):
            raise ValueError(error)
        value = " ".join(value.split())
        if not value:
            raise ValueError(f"Le {label} est obligatoire.")
        if len(value) > NAME_MAX:
            raise ValueError(f"Le {label} ne peut pas dépasser {NAME_MAX} caractères.")
        return value

    return AfterValidator(check)


Email = Annotated[str, AfterValidator(_email)]
Phone = Annotated[str, AfterValidator(_phone)]
LastName = Annotated[str, _name("nom")]
FirstName = Annotated[str, _name("prénom")]


class Contact(Model):
    last_name: LastName
    first_name: FirstName
    phone: Phone
    email: Email
