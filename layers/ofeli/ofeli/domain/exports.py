"""What an export writes (Excel and LHEO 2.3 alike): one `Offer` per formation, everything its writer
needs resolved beforehand, so the writers (`ofeli.lheo.writer`, `ofeli.excel.writer`) are pure and read
nothing: the formation, its sessions with their references, the responsible organisation, the trainer
organisations its sessions name, the places its sessions refer to by id, the contacts they name, and the
certifications of the referential it cites.

Readers (`ofeli.services.export_offers`) build offers from storage; the benchmark builds them in memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from ofeli.domain.certifications import Certification
from ofeli.domain.offers import FormationDraft
from ofeli.domain.sessions import Place, SessionDraft
from ofeli.domain.structures import Structure, StructureContact

Format = Literal["xlsx", "lheo"]
FORMATS: dict[str, str] = {"xlsx": "Excel", "lheo": "LHEO 2.3 (XML)"}


@dataclass(frozen=True)
class Offer:
    ref: str  # F number
    formation: FormationDraft  # the published version (or the draft of a formation in creation)
    sessions: tuple[SessionDraft, ...]  # each with its `ref` (S number); archived ones left out by the reader
    responsible: Structure
    published: bool = True
    updated_at: datetime | None = None  # when the published version was published
    # resolved references: a session's trainer_siret → its structure; place_id → place; contact_id → contact
    trainers: Mapping[str, Structure] = field(default_factory=dict)
    places: Mapping[str, Place] = field(default_factory=dict)
    contacts: Mapping[str, StructureContact] = field(default_factory=dict)
    certifications: Mapping[str, Certification] = field(default_factory=dict)  # code → referential entry
    # the Carif-Oref's indexing of the formation (LHEO domaine-formation): Formacode, NSF, ROME codes
    formacodes: tuple[str, ...] = ()
    nsf: tuple[str, ...] = ()
    romes: tuple[str, ...] = ()


@dataclass
class Rejected:
    """A formation an export could not write as it is (the file is written without it and says so)."""

    ref: str
    reason: str


@dataclass
class Report:
    formations: int = 0
    sessions: int = 0
    rejected: list[Rejected] = field(default_factory=list)
