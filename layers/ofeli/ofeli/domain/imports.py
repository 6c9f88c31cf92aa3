"""File imports run by moderators (the national list of training organisations; the France Compétences
certifications next): what a moderator asks, and what the status page shows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field, field_validator

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


# ---------------------------------------------------------------------- France Compétences' certifications
# (the same import record and the same three routes, with their own counts: `ofeli.services.certifications`)
CERTIFICATION_FILES = {".zip": "application/zip", ".xml": "application/xml"}


class CertificationImportRequest(ImportRequest):
    list_date: date | None = Field(
        default=None,
        description="La date de l'export : celle de son nom (export-fiches-csv-2026-11-02.zip), sinon aujourd'hui",
    )
    filename: str = Field(
        min_length=1,
        max_length=200,
        description="Le nom du fichier : l'export CSV de France Compétences (.zip) ou un de ses exports XML (.xml)",
    )

    @field_validator("filename")
    @classmethod
    def _export_file(cls, value: str) -> str:
        if value.strip()[-4:].lower() not in CERTIFICATION_FILES:
            raise ValueError(
                "Choisissez un export de France Compétences : le fichier .zip des fiches au format CSV "
                "(export-fiches-csv-AAAA-MM-JJ.zip), ou un export XML des fiches RNCP ou RS (.xml)."
            )
        return value.strip()

    def content_type(self) -> str:
        return CERTIFICATION_FILES[self.filename[-4:].lower()]


class CertificationImportCounts(Model):
    read: int = Field(default=0, description="Fiches lues (et entrées refusées)")
    created: int = Field(default=0, description="Certifications nouvelles")
    changed: int = Field(default=0, description="Certifications dont la fiche a changé")
    unchanged: int = Field(default=0, description="Certifications dont la fiche est inchangée (rien n'est écrit)")
    rejected: int = Field(default=0, description="Entrées refusées (toutes comptées)")
    structures_updated: int = Field(default=0, description="Structures d'OFeli dont les habilitations ont changé")


class CertificationImportView(ImportView):
    counts: CertificationImportCounts  # type: ignore[assignment]
