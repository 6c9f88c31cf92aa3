"""Formations and sessions. The full model (LHEO action/session, rules of the guide) grows with the
offer issues; what is here is the core the demo data, search and exports build on."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from ofeli.domain.identifiers import Siret
from ofeli.domain.model import Model

FORMATION_PREFIX = "F"
SESSION_PREFIX = "S"


def reference(prefix: str, number: int) -> str:
    return f"{prefix}{number:07d}"


class SessionInput(Model):
    start_date: date
    end_date: date
    city: str = Field(min_length=1, max_length=80)
    postal_code: str = Field(pattern=r"^[0-9]{5}$")
    trainer_siret: Siret | None = Field(
        default=None, description="L'organisme formateur, s'il n'est pas le responsable"
    )

    @model_validator(mode="after")
    def _dates(self) -> SessionInput:
        if self.end_date < self.start_date:
            raise ValueError("La date de fin de la session doit être postérieure ou égale à sa date de début.")
        return self


class FormationInput(Model):
    title: str = Field(min_length=1, max_length=255)
    objective: str = Field(min_length=1, max_length=3000)
    content: str | None = Field(default=None, max_length=3000)
    sessions: list[SessionInput] = Field(default_factory=list)


class SessionView(Model):
    ref: str
    start_date: date
    end_date: date
    city: str
    postal_code: str
    trainer_siret: str | None = None


class FormationView(Model):
    """A formation as its responsible OF, its trainers and moderators read it."""

    ref: str
    title: str
    objective: str
    content: str | None = None
    siret: str = Field(description="L'organisme responsable")
    responsible_name: str
    sessions: list[SessionView]
