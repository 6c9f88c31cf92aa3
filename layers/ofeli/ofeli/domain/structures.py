"""The structure record (an establishment, by SIRET), tab by tab as *Ma structure* shows it.

What the OF may change goes through a draft and a moderator's approval (`StructureDraft`); what comes
from national databases or the Carif-Oref (identity, address, organisation, contacts, quality,
habilitations) is set by moderators only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Literal

from pydantic import Field, field_validator

from ofeli.domain.contact import (
    PHONE_ERROR,
    Email,
    FirstName,
    LastName,
    Phone,
    email_error,
    normalise_email,
    normalise_phone,
)
from ofeli.domain.identifiers import Nda, Siret
from ofeli.domain.model import Model
from ofeli.domain.text import line_error
from ofeli.domain.workflow import DraftInfo as DraftInfoRef

LOCKED = (
    "Attention : après votre demande de validation, vous ne pouvez plus modifier la fiche organisme tant "
    "que le Carif-Oref ne l'a pas validée."
)
MAX_ITEMS = 10
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.IGNORECASE)


class Address(Model):
    line1: str = Field(min_length=1, max_length=120)
    line2: str | None = Field(default=None, max_length=120)
    postal_code: str = Field(pattern=r"^[0-9]{5}$")
    city: str = Field(min_length=1, max_length=80)


def _label(value: str | None) -> str | None:
    if value and (error := line_error(value)):
        raise ValueError(error)
    value = " ".join((value or "").split())
    if len(value) > 50:
        raise ValueError("Le libellé ne peut pas dépasser 50 caractères.")
    return value or None


class EmailEntry(Model):
    label: str | None = None
    email: str

    _label = field_validator("label")(_label)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if error := email_error(value):
            raise ValueError(error)
        return normalise_email(value)


class PhoneEntry(Model):
    label: str | None = None
    number: str

    _label = field_validator("label")(_label)

    @field_validator("number")
    @classmethod
    def _number(cls, value: str) -> str:
        phone = normalise_phone(value)
        if phone is None:
            raise ValueError(PHONE_ERROR)
        return phone


class WebsiteEntry(Model):
    label: str | None = None
    url: str

    _label = field_validator("label")(_label)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("L'adresse du site est obligatoire.")
        if len(value) > 500 or not _URL.match(value):
            raise ValueError(
                "L'adresse du site doit commencer par http:// ou https:// (exemple : https://www.organisme.fr)."
            )
        return value


class StructureDraft(Model):
    """What the OF edits (*Coordonnées* dialogs, the *Contacts* request), saved and submitted as a whole."""

    emails: list[EmailEntry] = Field(default_factory=list, max_length=MAX_ITEMS)
    phones: list[PhoneEntry] = Field(default_factory=list, max_length=MAX_ITEMS)
    websites: list[WebsiteEntry] = Field(default_factory=list, max_length=MAX_ITEMS)
    contact_request: str | None = Field(
        default=None,
        max_length=2000,
        description="Demande au Carif-Oref d'ajouter ou de retirer un contact (texte libre)",
    )

    @field_validator("contact_request")
    @classmethod
    def _request(cls, value: str | None) -> str | None:
        return (value or "").strip() or None


# LHEO 2.3 `dict-type-contact` (copied; tests/unit/test_contact_types.py checks it matches the file)
CONTACT_TYPES: dict[str, str] = {
    "0": "Autre",
    "1": "Référent handicap",
    "2": "Référent mobilité internationale",
    "3": "Référent pédagogique",
    "4": "Accueil",
    "5": "Direction",
    "6": "Référent qualité",
    "7": "Référent entreprise",
    "8": "Référent commercial",
    "9": "Gestionnaire financier",
    "10": "Direction Déléguée aux Formations Professionnelles et Techniques (DDFPT)",
    "11": "Communication",
    "12": "Référent FOAD",
    "13": "Référent VAE",
    "14": "Référent Apprentissage",
}
MAX_CONTACTS = 30


class ContactType(Model):
    code: str
    label: str


class ContactInput(Model):
    """A contact of the structure as a moderator sends it; a new one has no `id` yet."""

    id: str | None = Field(default=None, pattern=r"^[a-z0-9]{1,32}$")
    principal: bool = Field(default=False, description="La personne responsable de l'établissement")
    civility: Literal["Madame", "Monsieur"] | None = None
    last_name: LastName
    first_name: FirstName
    role: str | None = Field(default=None, max_length=100, description="Fonction")
    email: Email | None = None
    phones: list[Phone] = Field(default_factory=list, max_length=3)
    types: list[str] = Field(default_factory=list, max_length=len(CONTACT_TYPES), description="Codes LHEO")

    @field_validator("role")
    @classmethod
    def _role(cls, value: str | None) -> str | None:
        if value and (error := line_error(value)):
            raise ValueError(error)
        return " ".join((value or "").split()) or None

    @field_validator("types")
    @classmethod
    def _types(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if code not in CONTACT_TYPES]
        if unknown:
            raise ValueError(f"Type de contact inconnu : {', '.join(unknown)} (voir le dictionnaire LHEO).")
        return list(dict.fromkeys(value))


class StructureContact(ContactInput):
    """A contact as stored: it has its `id`, which sessions refer to."""

    id: str = Field(pattern=r"^[a-z0-9]{1,32}$")


class ContactView(StructureContact):
    type_labels: list[ContactType] = Field(default_factory=list)


def contacts_of(record: dict[str, object]) -> list[ContactView]:
    """The contacts, the principal one first, then in the order the Carif-Oref gave them."""
    raw = record.get("contacts")
    contacts = [StructureContact.model_validate(c) for c in raw] if isinstance(raw, list) else []
    contacts.sort(key=lambda c: not c.principal)  # stable
    return [
        ContactView(**c.model_dump(), type_labels=[ContactType(code=t, label=CONTACT_TYPES[t]) for t in c.types])
        for c in contacts
    ]


def principal_contact(record: dict[str, object]) -> ContactView | None:
    contacts = contacts_of(record)
    return contacts[0] if contacts and contacts[0].principal else None


class QualityLabel(Model):
    name: str = Field(default="Qualiopi", max_length=100)
    categories: list[str] = Field(default_factory=list, description="Actions de formation, bilans, VAE, apprentissage")
    valid_until: date | None = None
    # Set by the import of the DGEFP's list (`ofeli.services.training_organisations`), not typed.
    source: str | None = Field(default=None, max_length=100, description="D'où vient le label (liste publique des OF)")
    list_date: date | None = Field(default=None, description="La date de la liste dont il vient")


class Habilitation(Model):
    code: str = Field(min_length=1, max_length=20, description="RNCP…, RS…")
    title: str = Field(min_length=1, max_length=300)


class Structure(Model):
    """The published record."""

    siret: Siret
    name: str = Field(min_length=1, max_length=200)
    nda: Nda | None = None
    legal_form: str | None = Field(default=None, max_length=100)
    naf: str | None = Field(default=None, max_length=10)
    parent_siret: Siret | None = None
    network: str | None = Field(default=None, max_length=100, description="Réseau d'appartenance")
    address: Address | None = None
    contacts: Sequence[StructureContact] = Field(default_factory=list, max_length=MAX_CONTACTS)
    qualiopi: list[QualityLabel] = Field(default_factory=list)
    habilitations: list[Habilitation] = Field(default_factory=list)
    emails: list[EmailEntry] = Field(default_factory=list)
    phones: list[PhoneEntry] = Field(default_factory=list)
    websites: list[WebsiteEntry] = Field(default_factory=list)
    contact_request: str | None = None

    @property
    def is_responsible(self) -> bool:
        """The head office holds the NDA: it alone is the responsible OF of a formation."""
        return self.nda is not None


class ModeratorStructureUpdate(Model):
    """What moderators change on the published record (fields fed from national databases and the
    Carif-Oref): a partial update, only the fields sent change. `null` clears a field that may be
    empty (NDA, legal form, NAF, parent, network, address); a field left out is never touched.
    `contacts` is the whole list: a contact left out is removed, one without `id` is added."""

    version: int = Field(ge=1)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    nda: Nda | None = None
    legal_form: str | None = Field(default=None, max_length=100)
    naf: str | None = Field(default=None, max_length=10)
    parent_siret: Siret | None = Field(default=None, description="Le siège, porteur du numéro de déclaration")
    network: str | None = Field(default=None, max_length=100, description="Réseau d'appartenance")
    address: Address | None = None
    contacts: list[ContactInput] | None = Field(default=None, max_length=MAX_CONTACTS, description="La liste entière")
    qualiopi: list[QualityLabel] | None = None
    habilitations: list[Habilitation] | None = None

    @field_validator("name", "legal_form", "naf", "network")
    @classmethod
    def _line(cls, value: str | None) -> str | None:
        if value is not None and (error := line_error(value)):
            raise ValueError(error)
        return None if value is None else (" ".join(value.split()) or None)

    @field_validator("contacts")
    @classmethod
    def _contacts(cls, value: list[ContactInput] | None) -> list[ContactInput] | None:
        if value is not None:
            ids = [c.id for c in value if c.id]
            if len(set(ids)) != len(ids):
                raise ValueError("Un même contact apparaît deux fois dans la liste.")
            if sum(c.principal for c in value) > 1:
                raise ValueError("Un seul contact peut être le contact principal.")
        return value

    @field_validator("name", "qualiopi", "habilitations", "contacts", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("Ce champ ne peut pas être vidé : envoyez sa nouvelle valeur, ou ne l'envoyez pas.")
        return value

    def changes(self) -> dict[str, object]:
        """The fields sent, as stored (JSON values), without the version."""
        return self.model_dump(mode="json", exclude_unset=True, exclude={"version"})


# What moderators correct, as the record's history names it, in the order of *Ma structure*'s tabs.
REFERENCE_LABELS = {
    "name": "Raison sociale",
    "nda": "Numéro de déclaration d'activité",
    "legal_form": "Forme juridique",
    "naf": "Code NAF",
    "address": "Adresse",
    "parent_siret": "Structure parente (siège)",
    "network": "Réseau d'appartenance",
    "contacts": "Contacts",
    "qualiopi": "Qualité (Qualiopi)",
    "habilitations": "Habilitations",
}


FIELD_LABELS = {
    "emails": "Adresses e-mail",
    "phones": "Téléphones",
    "websites": "Sites internet",
    "contact_request": "Demande de modification des contacts",
}


class StructureRef(Model):
    siret: str
    name: str


class FormationRef(Model):
    ref: str
    title: str
    role: Literal["responsable", "formateur"]


class StructureRecord(Structure):
    """The published record as *Ma structure* shows it, with its organisation."""

    siren: str
    version: int
    contacts: Sequence[ContactView] = Field(default_factory=list, description="Le contact principal d'abord")
    parent: StructureRef | None = None
    attached: list[StructureRef] = Field(default_factory=list, description="Structures rattachées au siège")


class StructureView(Model):
    published: StructureRecord
    draft: StructureDraft | None = None
    submission: DraftInfoRef
    formations: list[FormationRef]


class DraftSave(Model):
    version: int = Field(ge=0, description="0 pour ouvrir une modification, sinon la version du brouillon")
    data: StructureDraft


class DocumentRequest(Model):
    filename: str = Field(min_length=1, max_length=150)
    content_type: Literal["application/pdf", "image/jpeg", "image/png"]


class Document(Model):
    key: str
    filename: str
    size: int
    uploaded_at: str
    url: str
