"""*Mon compte*: the user's own names and phone, the change of password, the request for rights on
another structure. Pure models, French messages."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ofeli.domain.contact import FirstName, LastName, Phone
from ofeli.domain.identifiers import Nda, Siret
from ofeli.domain.model import Model
from ofeli.domain.text import control_error

MESSAGE_MAX = 2000
RIGHTS = "rights"  # the kind of a rights request in the moderators' list of account requests
RequestKind = Literal["account", "rights"]


class MeUpdate(Model):
    """*Mon compte*: only the fields sent change; `phone: null` takes the phone number away."""

    first_name: FirstName | None = None
    last_name: LastName | None = None
    phone: Phone | None = Field(default=None, description="Un numéro français à 10 chiffres ; null l'efface")

    @field_validator("first_name", "last_name")
    @classmethod
    def _required(cls, value: str | None) -> str:
        if value is None:  # sent as null: names cannot be erased
            raise ValueError("Ce champ est obligatoire : il ne peut pas être effacé.")
        return value

    def changes(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class PasswordChange(Model):
    current_password: str = Field(min_length=1, max_length=256, description="Le mot de passe actuel")
    new_password: str = Field(
        min_length=1, max_length=256, description="8 caractères, une majuscule, un caractère spécial"
    )


class RightsRequestInput(Model):
    """*Demander l'accès à une autre structure*, for an account that exists already."""

    siret: Siret
    nda: Nda | None = Field(
        default=None, description="Le numéro de déclaration d'activité : celui de la structure quand elle en porte un"
    )
    message: str | None = Field(default=None, max_length=MESSAGE_MAX, description="Un mot pour le Carif-Oref")

    @field_validator("message")
    @classmethod
    def _message(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if error := control_error(value):
            raise ValueError(error)
        return value.strip() or None


class RightsRequestCreated(Model):
    id: str
    message: str
