"""Accounts: sign-in and the user's own view (`/me`)."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator


def normalise_email(value: str) -> str:
    """E-mails are compared case-insensitively: one account = one e-mail."""
    return value.strip().lower()


class LoginRequest(BaseModel):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=256)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return normalise_email(value)


class Tokens(BaseModel):
    id_token: str
    access_token: str
    refresh_token: str | None = None
    expires_in: int


class StructureRight(BaseModel):
    siret: str
    name: str
    nda: str | None = None
    is_responsible: bool


class Me(BaseModel):
    email: str
    first_name: str
    last_name: str
    roles: list[str]
    structures: list[StructureRight]
