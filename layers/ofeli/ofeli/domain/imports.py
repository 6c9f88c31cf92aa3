"""File imports run by moderators (the national list of training organisations; the France Compétences
certifications next): what a moderator asks, and what the status page shows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from ofeli.domain.accounts import PresignedPost
from ofeli.domain.model import Model
from ofeli.domain.text import line_error

ImportStatus = Literal["waiting_upload", "queued", "running", "done", "failed"]
NOT_UPLOADED = (
    "Le fichier n'a pas encore été déposé : envoyez-le avec le formulaire de dépôt reçu à la création de "
    "l'import, puis lancez l'import."
)


class ImportRequest(Model):
    list_date: date | None = Field(
        default=None, description="La date de la liste (celle de sa publication) ; aujourd'hui par défaut"
    )
    filename: str | None = Field(default=None, max_length=200, description="Le nom du fichier déposé, pour mémoire")

    def clean_filename(self) -> str | None:
        name = " ".join((self.filename or "").split())
        return name if name and line_error(name) is None else None


class ImportCounts(Model):
    read: int = Field(default=0, description="Lignes lues (hors en-tête et lignes vides)")
    created: int = Field(default=0, description="Organismes nouveaux")
    changed: int = Field(default=0, description="Organismes dont la ligne a changé")
    unchanged: int = Field(default=0, description="Organismes dont la ligne est inchangée (rien n'est écrit)")
    rejected: int = Field(default=0, description="Lignes refusées (toutes comptées)")
    structures_updated: int = Field(default=0, description="Structures d'OFeli dont les labels Qualiopi ont changé")


class RejectedEntry(Model):
    line: int
    message: str


class ImportView(Model):
    id: str
    kind: str
    status: ImportStatus
    list_date: date
    filename: str | None = None
    created_at: datetime
    created_by: str
    finished_at: datetime | None = None
    counts: ImportCounts
    rejected: list[RejectedEntry] = Field(
        description="Les 200 premières lignes refusées (counts.rejected les compte toutes)"
    )
    error: str | None = Field(default=None, description="Pourquoi l'import a échoué (statut failed)")
    message: str = Field(description="L'état de l'import, en une phrase")


class ImportCreated(Model):
    id: str
    upload: PresignedPost
    message: str
