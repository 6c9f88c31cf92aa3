"""The structure record (an establishment, by SIRET). Its full tab-by-tab model grows with the
structure issue; what is here is what accounts and the offer already need."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from ofeli.domain.identifiers import compact, nda_error, siren_of, siret_error


class Address(BaseModel):
    line1: str = Field(min_length=1, max_length=120)
    line2: str | None = Field(default=None, max_length=120)
    postal_code: str = Field(pattern=r"^\d{5}$")
    city: str = Field(min_length=1, max_length=80)


class Structure(BaseModel):
    siret: str
    name: str = Field(min_length=1, max_length=200)
    nda: str | None = None
    parent_siret: str | None = None
    address: Address | None = None

    @field_validator("siret", "parent_siret")
    @classmethod
    def _siret(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if error := siret_error(value):
            raise ValueError(error)
        return compact(value)

    @field_validator("nda")
    @classmethod
    def _nda(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if error := nda_error(value):
            raise ValueError(error)
        return compact(value)

    @property
    def siren(self) -> str:
        return siren_of(self.siret)

    @property
    def is_responsible(self) -> bool:
        """The head office holds the NDA: it alone is the responsible OF of a formation."""
        return self.nda is not None
