"""Accounts: sign-in and the user's own view (`/me`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, field_validator

from ofeli.domain.contact import Contact, normalise_email
from ofeli.domain.identifiers import Nda, Siret
from ofeli.domain.model import Model
from ofeli.domain.training_organisations import NationalMatch

ONE_ACCOUNT_PER_EMAIL = (
    "1 compte = 1 adresse mail (il n'est pas possible de créer plusieurs comptes avec la même adresse mail)."
)
ACCOUNT_EXISTS = "Un compte existe déjà avec cette adresse e-mail : " + ONE_ACCOUNT_PER_EMAIL
DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


class LoginRequest(Model):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=256)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return normalise_email(value)


class RefreshRequest(Model):
    refresh_token: str = Field(min_length=1, max_length=4096)


class Tokens(Model):
    id_token: str
    access_token: str
    refresh_token: str | None = None
    expires_in: int


class StructureRight(Model):
    siret: str
    name: str
    nda: str | None = None
    is_responsible: bool


class Me(Model):
    email: str
    first_name: str
    last_name: str
    phone: str | None = Field(default=None, description="Téléphone du compte (*Mon compte*)")
    roles: list[str]
    structures: list[StructureRight]


class AccountRequestInput(Model):
    """The form *Créer un compte*."""

    siret: Siret
    nda: Nda
    contact: Contact
    accept_privacy_policy: bool = Field(
        description="La personne a été informée de la politique de gestion des données personnelles et l'accepte."
    )
    document_content_type: Literal["application/pdf", "image/jpeg", "image/png"] | None = Field(
        default=None, description="Type du document de déclaration d'activité à déposer, s'il y en a un."
    )

    @field_validator("accept_privacy_policy")
    @classmethod
    def _accepted(cls, value: bool) -> bool:
        if not value:
            raise ValueError("Vous devez accepter la politique de gestion des données personnelles d'OFeli.")
        return value


class PresignedPost(Model):
    url: str
    fields: dict[str, str]
    max_bytes: int
    content_type: str


class AccountRequestCreated(Model):
    id: str
    message: str
    document_upload: PresignedPost | None = None


class RequesterView(Model):
    """Who asks: the contact of an account request, or the account of a rights request (whose phone may
    be unknown)."""

    last_name: str
    first_name: str
    email: str
    phone: str | None = None


class AccountRequestView(Model):
    id: str
    kind: Literal["account", "rights"] = Field(
        default="account",
        description="account : une demande de création de compte ; rights : un compte existant demande l'accès "
        "à une autre structure",
    )
    siret: str
    nda: str | None = Field(default=None, description="Absent d'une demande d'accès qui n'en indique pas")
    contact: RequesterView
    message: str | None = Field(default=None, description="Le mot du demandeur (demande d'accès)")
    status: Literal["pending", "approved", "rejected"]
    created_at: datetime
    structure_name: str | None = Field(default=None, description="La structure existante de ce SIRET, s'il y en a une")
    document_url: str | None = Field(default=None, description="Lien de téléchargement temporaire du document")
    national: NationalMatch | None = Field(
        default=None, description="Ce que dit la liste publique des OF (DGEFP) du SIRET et du NDA, une fois importée"
    )
    decided_at: datetime | None = None
    reason: str | None = None


class AccountDecision(Model):
    decision: Literal["approve", "reject"]
    reason: str | None = Field(default=None, max_length=2000)
    structure_name: str | None = Field(
        default=None, max_length=200, description="Raison sociale, quand la structure n'existe pas encore"
    )


class ActivationRequest(Model):
    key: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=256)


class PasswordResetRequest(Model):
    email: str = Field(min_length=1, max_length=254)


class Accepted(Model):
    message: str
