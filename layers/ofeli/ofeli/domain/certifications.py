"""The certification referential: France Compétences' RNCP and RS repertories (open data, Licence
Ouverte), with Certifinfo codes where known. What a formation chooses, what prefills it, what
limits its sessions' dates.

A certification is known by its code: `RNCP` or `RS` and the number of its *fiche* (`RNCP35000`,
`RS5678`). The parsers of the official files (`ofeli.domain.certification_files`) give these models;
the import (`ofeli.services.certifications`) stores them, and the search reads them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import Field

from ofeli.domain.model import Model

Repertory = Literal["RNCP", "RS"]
CODE = re.compile(r"^(RNCP|RS)([0-9]{1,6})$")
FRANCE_COMPETENCES = "https://www.francecompetences.fr/recherche/{repertory}/{number}/"
# The European levels of the repertories (NIV3…NIV8) as LHEO's `dict-niveaux` codes them.
LHEO_LEVELS: dict[str, str] = {f"NIV{n}": str(10 + n) for n in range(1, 9)}
NO_SPECIFIC_LEVEL = "1"  # `dict-niveaux`: sans niveau spécifique (the entry level a prefill gives)


def normalise_code(value: str) -> str | None:
    """`rncp 35000`, `RNCP35000`, ` RS 5678 ` → the canonical code; None when it is not one."""
    compact = re.sub(r"[\s_-]+", "", value).upper()
    match = CODE.match(compact)
    if match is None:
        return None
    return f"{match.group(1)}{int(match.group(2))}"


def lheo_level(level: str | None) -> str | None:
    """`NIV5` → `15` (LHEO `dict-niveaux`); None when the fiche has no level."""
    return LHEO_LEVELS.get((level or "").upper())


class CodeLabel(Model):
    code: str
    label: str | None = None


class CompetenceBlock(Model):
    code: str = Field(description="RNCP35000BC01…")
    title: str


class Certifier(Model):
    siret: str | None = None
    name: str


class Partner(Model):
    """An organisation the certifier habilitates to prepare (and sometimes to assess) the certification."""

    siret: str | None = None
    name: str
    habilitation: str | None = Field(
        default=None, description="HABILITATION_ORGA_FORM, HABILITATION_ORGA_FORM_ET_EVAL…"
    )


class Certification(Model):
    code: str = Field(description="RNCP35000, RS5678")
    repertory: Repertory
    number: int
    title: str
    active: bool
    level: str | None = Field(default=None, description="NIV3…NIV8 (nomenclature européenne)")
    level_label: str | None = None
    abbreviation_code: str | None = Field(default=None, description="CAP, BTS, TP…")
    abbreviation_label: str | None = None
    registration_type: str | None = Field(default=None, description="Enregistrement de droit, sur demande…")
    partial_validation: bool | None = None
    registration_end: date | None = Field(default=None, description="Date de fin d'enregistrement")
    decision_date: date | None = None
    effective_date: date | None = None
    last_jo_date: date | None = None
    first_exam_session: date | None = Field(default=None, description="Première session d'examen, si connue")
    blocks: list[CompetenceBlock] = Field(default_factory=list)
    nsf: list[CodeLabel] = Field(default_factory=list)
    formacodes: list[CodeLabel] = Field(default_factory=list)
    romes: list[CodeLabel] = Field(default_factory=list)
    certifiers: list[Certifier] = Field(default_factory=list)
    partners: list[Partner] = Field(default_factory=list)
    successors: list[str] = Field(default_factory=list, description="Les codes des certifications qui la remplacent")
    predecessors: list[str] = Field(default_factory=list)
    ccn: list[CodeLabel] = Field(default_factory=list, description="Conventions collectives")
    access_routes: list[str] = Field(
        default_factory=list, description="Voies d'accès : apprentissage, contrat de professionnalisation, VAE…"
    )
    certifinfo: str | None = Field(default=None, description="Le code Certifinfo, s'il est connu")
    objectives: str | None = Field(default=None, description="Objectifs et contexte")
    activities: str | None = Field(default=None, description="Activités visées")
    capacities: str | None = Field(default=None, description="Capacités attestées")

    @property
    def url(self) -> str:
        return FRANCE_COMPETENCES.format(repertory=self.repertory.lower(), number=self.number)

    @property
    def lheo_level(self) -> str | None:
        return lheo_level(self.level)
