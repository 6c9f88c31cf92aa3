"""Sessions: what an OF writes on the guide's session screens, the guide's rules on it, and France Travail's.

A session is edited inside its formation's draft (`SessionDraft`, saved as it goes: nothing is required to
save, only lengths, types and codes are checked) and checked whole at submission (`session_errors`, each
violation with the path of its field: `sessions.S0000012.funding.0.measure`, or `sessions.3...` for a
session not yet numbered). What the guide says is important but not required comes back from
`session_warnings`, never blocking.

OFeli's session carries what LHEO 2.3 splits between `action` (places, trainer organisation, teaching
mode, funding, hours, rhythm, prerequisites, equipment) and `session` (dates, registration address,
recruitment modalities, competence blocks, apprenticeship cycles), with LHEO's codes
(`ofeli.domain.lheo_codes`), so the LHEO writer maps it field by field:

| here | LHEO |
|---|---|
| start_date, end_date | session/periode/debut, fin |
| entry_type | action/modalites-entrees-sorties (`ENTRY_TYPES`: on demand is written as fixed dates) |
| trainer_siret (None: the responsible) | action/organisme-formateur/SIRET-formateur |
| teaching_mode | action/modalites-enseignement |
| places | action/lieu-de-formation/coordonnees/adresse (name: denomination) |
| contacts | session/contact-session (type-contact) |
| funding | action/organisme-financeur (code-financeur, nb-places-financees); publics → code-public-vise |
| funding_conditions, audience_info | action/detail-conditions-prise-en-charge, action/info-public-vise |
| cycles | session/cycle (type-cycle, annee-cycle, alternance/type-alternance, rythme-alternance) |
| blocks | session/blocs-competences (validation-blocs, reference-certification, bloc-competences) |
| hours_in_centre, hours_in_company, total_hours | action/nombre-heures-centre, -entreprise, -total |
| prerequisites | action/conditions-specifiques |
| path_type | formation/parcours-de-formation (LHEO has one per formation) |
| rhythms, rhythm_comment | action/rythme-formation (labels, then the comment) |
| equipment | action/equipement (type-equipement, commentaire) |
| registration | session/adresse-inscription/adresse |
| recruitment | session/recrutement (modalite-recrutement, numero attribute, nb-places, periode, heure-debut, |
|  | heure-fin, commentaire cut by `exported_comment`, adresse or a-distance) |
| funding recruitment_state | session/etat-recrutement |

Rules are pure: what they need (today, the formation's facts, the certifications with their blocks, the
OF's contacts and places, the region's departments) comes in a `SessionContext`.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, time
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from ofeli.domain import lheo_codes as lheo
from ofeli.domain.certifications import Certification, normalise_code
from ofeli.domain.directory import department_of as postal_department
from ofeli.domain.directory import fold
from ofeli.domain.errors import FieldError
from ofeli.domain.identifiers import Siret
from ofeli.domain.model import Model
from ofeli.domain.structures import CONTACT_TYPES
from ofeli.domain.text import clean_pasted, line_error
from ofeli.domain.workflow import Difference, differences

if TYPE_CHECKING:  # the formation holds its sessions: it imports this module
    from ofeli.domain.offers import FormationDraft

# ---------------------------------------------------------------------- settings of the rules
# Short (< 35 h) or individualised sessions are one yearly session with permanent entry. The session page
# of the guide says from 02/01 to 30/12; its recommendations page says 01/01 to 31/12. One setting
# (month, day) for both ends: change it here only.
YEARLY_SESSION: tuple[tuple[int, int], tuple[int, int]] = ((1, 2), (12, 30))
SHORT_SESSION_HOURS = 35
NORMANDIE = ("14", "27", "50", "61", "76")  # the default of `Settings.region_departments`
INTERCARIFOREF = "https://reseau.intercariforef.org/lassociation-intercariforef"
# France Travail's rules on recruitment modalities (guide, "ZOOM sur les Modalités de recrutement")
APPLICATION_SEATS = (1, 999)
MEETING_SEATS = (1, 299)
MAX_MEETINGS = 120
EARLIEST, LATEST = time(7, 0), time(20, 0)
EXPORTED_COMMENT = 500  # France Travail reads the first 500 characters of a comment (LHEO commentaire)
# What France Travail writes for a remote interview or information meeting that has no address.
REMOTE_ADDRESS = "Lieu de formation à distance – 75000 Paris"
FRANCE_TRAVAIL_MODALITIES = (lheo.APPLICATION, lheo.INTERVIEW, lheo.INFORMATION_MEETING)

# A work-study rhythm per unit, as the guide reads it: "heure" is the split of 1 day (4 h in centre and
# 4 h in company), "semaine" the split of 1 month (1 week in centre, 3 in company), "même principe pour
# les autres unités": a half-day or a day over a week, a month over a year. (unit: span label, most units)
RHYTHM_SPANS: dict[str, tuple[str, int]] = {
    "0": ("une journée", 24),
    "1": ("une semaine", 14),
    "2": ("une semaine", 7),
    "3": ("un mois", 5),
    "4": ("une année", 12),
}
RHYTHM_UNIT_NAMES = {"0": "heures", "1": "demi-journées", "2": "journées", "3": "semaines", "4": "mois"}

EntryType = Literal["fixed", "on_demand", "permanent"]
# entry type: (label, LHEO dict-modalites-es). LHEO has no code for a session opened on demand: it is
# written as fixed dates (its dates are the window in which it opens).
ENTRY_TYPES: dict[str, tuple[str, str]] = {
    "fixed": ("Entrée et sortie à date fixe", "0"),
    "on_demand": ("Session à la demande (ouverte en fonction du nombre d'inscrits)", "0"),
    "permanent": ("Entrée-sortie permanente", "1"),
}
# The guide's "Rythme" list; written in LHEO's free-text rythme-formation with the comment.
RHYTHMS: dict[str, str] = {
    "temps_plein": "Temps plein",
    "temps_partiel": "Temps partiel",
    "intra_entreprise": "Formation intra-entreprise",
    "alternance": "En alternance",
    "cours_du_soir": "Cours du soir",
    "week_end": "Week-end",
}
# *État du dispositif*, set by the Carif-Oref when it validates (the OF reads it). The guide does not list
# its values: these follow LHEO's `conventionnement` (conventionne → 1, the others → 0).
SCHEME_STATES: dict[str, str] = {
    "conventionne": "Conventionné",
    "en_cours": "En cours de conventionnement",
    "non_conventionne": "Non conventionné",
}
MeasureKind = Literal["apprentissage", "professionnalisation"]
SessionState = Literal["upcoming", "running", "finished", "archived"]
SESSION_STATE_LABELS: dict[str, str] = {
    "upcoming": "À venir",
    "running": "En cours",
    "finished": "Terminée",
    "archived": "Archivée",
}

SESSION_LABELS: dict[str, str] = {
    "ref": "Référence de la session",
    "start_date": "Date de début",
    "end_date": "Date de fin",
    "entry_type": "Type de session (dates fixes, à la demande, entrée-sortie permanente)",
    "trainer_siret": "Organisme formateur",
    "teaching_mode": "Modalité d'enseignement",
    "places": "Lieux de formation",
    "contacts": "Contacts de la session",
    "contact_request": "Demande de contacts spécifiques",
    "funding": "Financements",
    "funding_conditions": "Détail des conditions de prise en charge",
    "audience_info": "Informations complémentaires sur le public visé",
    "cycles": "Cycles de l'alternance",
    "blocks": "Blocs de compétences",
    "hours_in_centre": "Durée en centre (en heures)",
    "hours_in_company": "Durée en entreprise (en heures)",
    "total_hours": "Durée totale (en heures)",
    "prerequisites": "Prérequis",
    "path_type": "Type de parcours",
    "rhythms": "Rythme",
    "rhythm_comment": "Commentaire rythme",
    "equipment": "Équipements",
    "registration": "Lieu d'inscription",
    "website": "Page web de la session",
    "recruitment": "Modalités de recrutement",
    "archived": "Session archivée",
}
# The labels of the fields inside a session's lists and objects (a page names a nested field with them).
PART_LABELS: dict[str, str] = {
    "place_id": "Lieu de l'organisme formateur",
    "name": "Nom du lieu",
    "address": "Adresse",
    "line1": "Adresse (1re ligne)",
    "line2": "Adresse (2e ligne)",
    "line3": "Adresse (3e ligne)",
    "postal_code": "Code postal",
    "city": "Ville",
    "insee_code": "Code INSEE de la commune",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "contact_id": "Contact",
    "contact_type": "Type de contact",
    "financer": "Financeur",
    "measure": "Mesure",
    "publics": "Publics",
    "recruitment_state": "État du recrutement",
    "seats": "Nombre de places",
    "market_number": "Numéro de marché",
    "scheme_state": "État du dispositif",
    "year": "Année de cycle",
    "cycle_type": "Type de cycle",
    "contract_type": "Type de contrat d'alternance",
    "rhythm": "Rythme de l'alternance",
    "unit": "Unité",
    "in_centre": "En centre",
    "in_company": "En entreprise",
    "certification": "Certification",
    "validation": "Type de validation",
    "equipment_type": "Type d'équipement",
    "description": "Description",
    "code": "Modalité de recrutement",
    "number": "Numéro",
    "state": "État du recrutement",
    "periods": "Périodes de candidature",
    "start": "Début",
    "end": "Fin",
    "date": "Date de réalisation",
    "hours": "Horaires",
    "remote": "À distance",
    "comment": "Commentaire",
}
# The fields the pages mark with the red star (always required at submission); others are required in
# some cases only: cycles (apprenticeship), funding_conditions and audience_info (regional council),
# recruitment (France Travail), places (unless entirely remote).
REQUIRED: tuple[str, ...] = ("start_date", "end_date", "funding", "total_hours", "registration")


# ---------------------------------------------------------------------- what a field may hold
def _one_line(value: object) -> object:
    if not isinstance(value, str):
        return value
    cleaned = clean_pasted(value, one_line=True)
    if error := line_error(cleaned):
        raise ValueError(error)
    return cleaned or None


def _long_text(value: object) -> object:
    if not isinstance(value, str):
        return value
    return clean_pasted(value) or None


def _code_text(value: object) -> object:
    """Codes people type (postal, INSEE): no spaces, upper case (2a004 → 2A004)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return value
    return "".join(value.split()).upper() or None


def _coded(table: Mapping[str, str], what: str, *, refused: Iterable[str] = ()) -> Callable[[object], object]:
    refused_codes = frozenset(refused)

    def check(value: object) -> object:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or value not in table or value in refused_codes:
            shown = str(value)[:20]
            raise ValueError(f"« {shown} » n'est pas un code de la liste des {what} (nomenclature LHEO).")
        return value

    return check


def _in_list(table: Mapping[str, str], what: str) -> Callable[[object], object]:
    def check(value: object) -> object:
        if value is not None and value not in table:
            raise ValueError(f"« {str(value)[:30]} » ne fait pas partie des {what} proposés.")
        return value

    return check


def _hour_minute(value: time) -> time:
    return value.replace(second=0, microsecond=0, tzinfo=None)


OneLine = Annotated[str | None, BeforeValidator(_one_line)]
LongText = Annotated[str | None, BeforeValidator(_long_text)]
HourMinute = Annotated[
    time,
    AfterValidator(_hour_minute),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
]


def _no_zero(value: object) -> object:
    """Hours left empty rather than zero (the guide: *ne pas mettre zéro*): 0 and "" are read as empty."""
    if isinstance(value, bool):
        return value
    return None if value in (0, "0", "") else value


Hours = Annotated[Annotated[int, Field(ge=1, le=99_999)] | None, BeforeValidator(_no_zero)]
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _website(value: object) -> object:
    if not isinstance(value, str):
        return value
    value = value.strip()
    if not value:
        return None
    if not _URL.match(value):
        raise ValueError(
            "L'adresse du site doit commencer par http:// ou https:// (exemple : https://www.organisme.fr)."
        )
    return value


# A web page of the offer (LHEO `urlweb`): checked every night by the link checker.
Website = Annotated[Annotated[str, Field(max_length=500)] | None, BeforeValidator(_website)]


class SessionAddress(Model):
    """An address as LHEO writes it (lines of 50 characters, 5-character postal and INSEE codes),
    completed and geolocated by *Rechercher une adresse*, or typed in *saisie manuelle*."""

    line1: OneLine = Field(default=None, max_length=50, description="Numéro et voie")
    line2: OneLine = Field(default=None, max_length=50, description="Complément")
    line3: OneLine = Field(default=None, max_length=50, description="Lieu-dit, boîte postale")
    postal_code: Annotated[str | None, BeforeValidator(_code_text)] = Field(default=None, max_length=5)
    city: OneLine = Field(default=None, max_length=50)
    insee_code: Annotated[str | None, BeforeValidator(_code_text)] = Field(
        default=None, max_length=5, description="Code INSEE de la commune (14118 : Caen)"
    )
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class Place(Model):
    """A place of training or of registration: one of the trainer's places (`place_id`), or created here
    (its name and address). A reference wins: the name and address sent with it are dropped."""

    place_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,40}$")
    name: OneLine = Field(default=None, max_length=255, description="Mairie, Hôtel Novotel…")
    address: SessionAddress | None = None

    @model_validator(mode="after")
    def _reference_wins(self) -> Place:
        if self.place_id is not None:
            self.name, self.address = None, None
        return self


class SessionContact(Model):
    contact_id: str = Field(pattern=r"^[a-z0-9]{1,32}$", description="Un contact des structures de l'OF")
    contact_type: Annotated[str | None, BeforeValidator(_coded(CONTACT_TYPES, "types de contact"))] = None


class FundingLine(Model):
    """*Financements*: financer first (LHEO `dict-financeurs`), then a measure among that financer's
    (`financing_referential()`), the publics the measure gives."""

    financer: Annotated[
        str | None, BeforeValidator(_coded(lheo.FINANCERS, "financeurs", refused=[lheo.OBSOLETE_FINANCER]))
    ] = None
    measure: OneLine = Field(default=None, max_length=60)
    publics: list[str] = Field(default_factory=list, max_length=10, description="Remplis d'après la mesure")
    recruitment_state: Annotated[str, BeforeValidator(_coded(lheo.RECRUITMENT_STATES, "états du recrutement"))] = (
        lheo.OPEN
    )
    seats: int | None = Field(default=None, ge=1, le=99_999, description="Nombre de places")
    market_number: OneLine = Field(default=None, max_length=50, description="Numéro de marché")
    scheme_state: Annotated[str | None, AfterValidator(_in_list(SCHEME_STATES, "états du dispositif"))] = Field(
        default=None, description="État du dispositif : renseigné par le Carif-Oref lors de sa validation"
    )

    @field_validator("publics")
    @classmethod
    def _publics(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(v.strip() for v in value if v.strip()))


class AlternanceRhythm(Model):
    unit: Annotated[str | None, BeforeValidator(_coded(lheo.RHYTHM_UNITS, "unités de rythme"))] = None
    in_centre: int | None = Field(default=None, ge=0, le=999)
    in_company: int | None = Field(default=None, ge=0, le=999)


class ApprenticeshipCycle(Model):
    """One line per year accessible in apprenticeship (*Cycles de l'alternance*)."""

    year: int | None = Field(default=None, ge=1, le=5, description="De 1 à la durée de cycle de la formation")
    cycle_type: Annotated[str, BeforeValidator(_coded(lheo.CYCLE_TYPES, "types de cycle"))] = lheo.APPRENTICESHIP_CYCLE
    contract_type: Annotated[str, BeforeValidator(_coded(lheo.ALTERNANCE_TYPES, "types de contrat d'alternance"))] = (
        lheo.APPRENTICESHIP_CONTRACT
    )
    rhythm: AlternanceRhythm | None = None


class CertificationBlocks(Model):
    """The competence blocks a session prepares, for one certification of its formation."""

    certification: str = Field(description="RNCP35000…")
    validation: Annotated[
        str | None, BeforeValidator(_coded(lheo.BLOCK_VALIDATIONS, "types de validation des blocs"))
    ] = None
    blocks: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(default_factory=list, max_length=60)

    @field_validator("certification")
    @classmethod
    def _code(cls, value: str) -> str:
        code = normalise_code(value)
        if code is None:
            raise ValueError("Ce code n'est pas un code RNCP ou RS (exemples : RNCP35000, RS5678).")
        return code

    @field_validator("blocks")
    @classmethod
    def _blocks(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(v.strip().upper() for v in value))


class Equipment(Model):
    equipment_type: Annotated[str, BeforeValidator(_coded(lheo.EQUIPMENT_TYPES, "types d'équipement"))] = "0"
    description: LongText = Field(default=None, max_length=500)


class Period(Model):
    start: date | None = None
    end: date | None = None


class TimeRange(Model):
    start: HourMinute | None = None
    end: HourMinute | None = None


class RecruitmentModality(Model):
    """A recruitment modality (LHEO `recrutement`), its fields depending on its code (`dict-modalite-recrutement`):

    - 0 to 6: documentary only for France Travail (a comment);
    - 7, *inscription sur candidature* (ISC): number, state, seats, application periods; no address;
    - 8, *entretien ou RDV individuel* (RDVI), and 9, *information collective* (ICO): number, state, seats,
      one date, hours between 07:00 and 20:00, an address or remote.

    The fields a code does not use are dropped on saving (a form that changed its code leaves none behind)."""

    code: Annotated[str, BeforeValidator(_coded(lheo.RECRUITMENT_MODALITIES, "modalités de recrutement"))]
    number: OneLine = Field(default=None, max_length=30, description="ISC, RDVI, ICO : numéro d'identification unique")
    state: Annotated[str | None, BeforeValidator(_coded(lheo.RECRUITMENT_STATES, "états du recrutement"))] = Field(
        default=lheo.OPEN, description="ISC, RDVI, ICO : état du recrutement"
    )
    seats: int | None = Field(
        default=None,
        ge=0,
        le=99_999,
        description="Nombre de places. ISC : de 1 à 999 ; RDVI : les personnes qui reçoivent les candidats en même "
        "temps ; ICO : la capacité de la salle ou à distance (de 1 à 299)",
    )
    periods: list[Period] = Field(default_factory=list, max_length=50, description="ISC : périodes de candidature")
    date: _dt.date | None = Field(default=None, description="RDVI, ICO : date de réalisation")
    end_date: _dt.date | None = Field(default=None, description="RDVI, ICO : vide, le même jour (une journée au plus)")
    hours: TimeRange | None = Field(default=None, description="RDVI, ICO : de 07:00 à 20:00")
    remote: bool = Field(default=False, description="RDVI, ICO : à distance (aucune adresse n'est transmise)")
    address: SessionAddress | None = Field(default=None, description="RDVI, ICO : l'adresse, sinon à distance")
    comment: LongText = Field(default=None, max_length=3000, description="Conservé entier, transmis sur 500 caractères")

    @property
    def application(self) -> bool:
        return self.code == lheo.APPLICATION

    @property
    def meeting(self) -> bool:
        return self.code in (lheo.INTERVIEW, lheo.INFORMATION_MEETING)

    @property
    def numbered(self) -> bool:
        """What France Travail reads: ISC, RDVI, ICO (the others are documentation)."""
        return self.code in FRANCE_TRAVAIL_MODALITIES

    @model_validator(mode="after")
    def _only_its_fields(self) -> RecruitmentModality:
        if not self.numbered:
            self.number, self.state, self.seats = None, None, None
        if not self.application:
            self.periods = []
        if not self.meeting:
            self.date, self.end_date, self.hours, self.remote, self.address = None, None, None, False, None
        elif self.remote:
            self.address = None
        return self


class SessionDraft(Model):
    """A session as the OF edits it inside its formation's draft: everything optional enough to save a
    partial session; `session_errors` says what is missing at submission."""

    ref: str | None = Field(default=None, pattern=r"^S[0-9]{7}$", description="Le numéro S, donné à la création")
    # Dates de la session
    start_date: date | None = None
    end_date: date | None = None
    entry_type: EntryType = Field(default="fixed", description="Dates fixes, session à la demande, entrée-sortie")
    # Organisation de la session
    trainer_siret: Siret | None = Field(default=None, description="Vide : l'organisme responsable")
    teaching_mode: Annotated[str, BeforeValidator(_coded(lheo.TEACHING_MODES, "modalités d'enseignement"))] = (
        lheo.ON_SITE
    )
    places: list[Place] = Field(default_factory=list, max_length=10, description="Lieux de formation")
    contacts: list[SessionContact] = Field(default_factory=list, max_length=10)
    contact_request: LongText = Field(default=None, max_length=2000, description="Demande de contacts spécifiques")
    # Financements
    funding: list[FundingLine] = Field(default_factory=list, max_length=8)
    funding_conditions: LongText = Field(default=None, max_length=600)
    audience_info: LongText = Field(default=None, max_length=250)
    # Cycles de l'alternance, blocs de compétences
    cycles: list[ApprenticeshipCycle] = Field(default_factory=list, max_length=5)
    blocks: list[CertificationBlocks] = Field(default_factory=list, max_length=5)
    # Durée de la session: empty rather than zero; the total is computed when a part is given
    hours_in_centre: Hours = None
    hours_in_company: Hours = None
    total_hours: Hours = None
    # Modalités de la session
    prerequisites: LongText = Field(default=None, max_length=3000)
    path_type: Annotated[str | None, BeforeValidator(_coded(lheo.PATH_TYPES, "types de parcours"))] = None
    rhythms: list[str] = Field(default_factory=list, max_length=len(RHYTHMS))
    rhythm_comment: LongText = Field(default=None, max_length=2000)
    equipment: list[Equipment] = Field(default_factory=list, max_length=20)
    # Organisation de l'inscription
    registration: Place | None = None
    website: Website = Field(default=None, description="Page web de la session (LHEO url-action)")
    # Modalités de recrutement
    recruitment: list[RecruitmentModality] = Field(default_factory=list, max_length=200)
    # Set by the platform, never by the OF
    archived: bool = False

    @field_validator("rhythms")
    @classmethod
    def _rhythms(cls, value: list[str]) -> list[str]:
        for code in value:
            _in_list(RHYTHMS, "rythmes")(code)
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _total(self) -> SessionDraft:
        if self.hours_in_centre is not None or self.hours_in_company is not None:
            self.total_hours = (self.hours_in_centre or 0) + (self.hours_in_company or 0)
        return self


# ---------------------------------------------------------------------- the financing referential (data)
class Public(Model):
    code: str = Field(min_length=1, max_length=40)
    label: str = Field(min_length=1, max_length=120)
    formacode: str | None = Field(default=None, pattern=r"^[0-9]{5}$", description="LHEO code-public-vise")


class Measure(Model):
    code: str = Field(min_length=1, max_length=60)
    label: str = Field(min_length=1, max_length=120)
    publics: list[str] = Field(min_length=1)
    kind: MeasureKind | None = Field(default=None, description="Contrat d'apprentissage ou de professionnalisation")


class Financer(Model):
    code: str
    label: str = Field(min_length=1, max_length=120, description="Le libellé affiché (LHEO dit « Pôle emploi »)")
    public: bool = Field(description="Fonds publics (bloc du tableau de bord)")
    measures: list[Measure] = Field(min_length=1)

    def measure(self, code: str | None) -> Measure | None:
        return next((m for m in self.measures if m.code == code), None)


class FinancingReferential(Model):
    """Financers → measures → publics of one region: `ofeli/data/financements.json`."""

    region: str
    publics: list[Public]
    financers: list[Financer]

    @model_validator(mode="after")
    def _consistent(self) -> FinancingReferential:
        publics = {p.code for p in self.publics}
        financers = [f.code for f in self.financers]
        if len(set(financers)) != len(financers):
            raise ValueError("Un financeur apparaît deux fois.")
        for financer in self.financers:
            if financer.code not in lheo.FINANCERS or financer.code == lheo.OBSOLETE_FINANCER:
                raise ValueError(f"Le financeur {financer.code} n'est pas un code LHEO (dict-financeurs).")
            codes = [m.code for m in financer.measures]
            if len(set(codes)) != len(codes):
                raise ValueError(f"Une mesure du financeur {financer.code} apparaît deux fois.")
            for measure in financer.measures:
                unknown = [p for p in measure.publics if p not in publics]
                if unknown:
                    raise ValueError(f"La mesure {measure.code} cite des publics inconnus : {', '.join(unknown)}.")
        return self

    def financer(self, code: str | None) -> Financer | None:
        return next((f for f in self.financers if f.code == code), None)

    def measure(self, financer: str | None, code: str | None) -> Measure | None:
        found = self.financer(financer)
        return found.measure(code) if found else None

    def public_label(self, code: str) -> str:
        return next((p.label for p in self.publics if p.code == code), code)


@cache
def financing_referential() -> FinancingReferential:
    """The region's financing referential, read at first use from the package's data file."""
    text = resources.files("ofeli").joinpath("data/financements.json").read_text(encoding="utf-8")
    return FinancingReferential.model_validate(json.loads(text))


# ---------------------------------------------------------------------- what the rules are given
@dataclass(frozen=True)
class SessionContext:
    """The facts a session's rules need, gathered by the service from the formation's draft, the
    certification referential, the OF's structures and the settings."""

    today: date
    certifying: bool = False
    apprenticeship: bool = False
    cycle_years: int | None = None
    certifications: Sequence[Certification] = ()  # the formation's, the principal first
    responsible_siret: str | None = None
    departments: Sequence[str] = NORMANDIE  # Settings.departments()
    region: str = "Normandie"
    contact_ids: frozenset[str] | None = None  # the contacts of the OF's structures; None: not checked
    places: Mapping[str, Place] | None = None  # the trainers' places by id; None: references not checked
    other_numbers: frozenset[str] = frozenset()  # recruitment numbers other sessions already use
    referential: FinancingReferential | None = None  # None: `financing_referential()`

    @property
    def financing(self) -> FinancingReferential:
        return self.referential or financing_referential()


def context_for(formation: FormationDraft, certifications: Sequence[Certification], **facts: Any) -> SessionContext:
    """A context from a `FormationDraft` (certifying, apprenticeship, cycle duration) and the referential's
    certifications of its codes (kept in the formation's order: the principal first)."""
    by_code = {c.code: c for c in certifications}
    chosen = [by_code[code] for code in formation.codes if code in by_code]
    return SessionContext(
        certifying=formation.certifying,
        apprenticeship=formation.apprenticeship,
        cycle_years=formation.cycle_years,
        certifications=chosen,
        **facts,
    )


class AddressLike(Protocol):
    @property
    def line1(self) -> str | None: ...

    @property
    def postal_code(self) -> str | None: ...

    @property
    def city(self) -> str | None: ...


# ---------------------------------------------------------------------- small readings
def session_path(session: SessionDraft, position: int) -> str:
    """`sessions.S0000012`, or `sessions.3` for the fourth session while it has no number."""
    return f"sessions.{session.ref or position}"


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _hm(moment: time) -> str:
    return f"{moment:%H:%M}"


def finished(session: SessionDraft, today: date) -> bool:
    return session.end_date is not None and session.end_date < today


def session_state(session: SessionDraft, today: date) -> SessionState:
    """Archived (set by the platform), finished (ended before today), running (started), or upcoming."""
    if session.archived:
        return "archived"
    if finished(session, today):
        return "finished"
    if session.start_date is not None and session.start_date <= today:
        return "running"
    return "upcoming"


def trainer_of(session: SessionDraft, responsible_siret: str) -> str:
    """The trainer organisation: the responsible one unless another was chosen."""
    return session.trainer_siret or responsible_siret


def lheo_entry_mode(session: SessionDraft) -> str:
    return ENTRY_TYPES[session.entry_type][1]


def yearly_session(year: int) -> tuple[date, date]:
    (first_month, first_day), (last_month, last_day) = YEARLY_SESSION
    return date(year, first_month, first_day), date(year, last_month, last_day)


def is_yearly(session: SessionDraft) -> bool:
    if session.entry_type != "permanent" or session.start_date is None:
        return False
    return (session.start_date, session.end_date) == yearly_session(session.start_date.year)


def as_yearly_session(session: SessionDraft, year: int) -> SessionDraft:
    """What the warning on short or individualised sessions offers: one yearly session, permanent entry."""
    start, end = yearly_session(year)
    return session.model_copy(update={"start_date": start, "end_date": end, "entry_type": "permanent"})


def exported_comment(text: str | None) -> str | None:
    """A comment as France Travail reads it: its first 500 characters (kept whole in OFeli)."""
    if not text or not text.strip():
        return None
    return text[:EXPORTED_COMMENT]


def remote_address() -> SessionAddress:
    """`REMOTE_ADDRESS` as an address's lines: what a remote RDVI or ICO is written with."""
    return SessionAddress(line1="Lieu de formation à distance", postal_code="75000", city="Paris")


def department(address: AddressLike) -> str | None:
    """The department of an address, from its INSEE code (2A004 → 2A, 97411 → 974), else its postal code."""
    insee = getattr(address, "insee_code", None) or ""
    if len(insee) == 5 and insee.isalnum() and insee != "00000":
        return insee[:3] if insee.startswith(("97", "98")) else insee[:2]
    return postal_department(address.postal_code)


def publicly_funded(session: SessionDraft, referential: FinancingReferential | None = None) -> bool:
    """A funding line's financer is a public body (the dashboard's *fonds publics* block)."""
    found = referential or financing_referential()
    return any((f := found.financer(line.financer)) is not None and f.public for line in session.funding)


def france_travail_funded(session: SessionDraft) -> bool:
    return any(line.financer == lheo.FRANCE_TRAVAIL for line in session.funding)


def _modality_name(modality: RecruitmentModality) -> str:
    if modality.application:
        return "L'inscription sur candidature (ISC)"
    if modality.code == lheo.INTERVIEW:
        return "L'entretien individuel (RDVI)"
    return "L'information collective (ICO)"


# ---------------------------------------------------------------------- addresses (every address into LHEO)
def _code_error(value: str | None, what: str, example: str) -> str | None:
    if not value:
        return None
    if len(value) != 5 or not value.isascii() or not value.isalnum():
        return f"Le {what} « {value} » doit comporter 5 caractères alphanumériques (exemple : {example})."
    if value == "00000":
        return f"Le {what} ne peut pas être 00000."
    return None


def address_errors(address: AddressLike, path: str, *, insee_required: bool = True) -> list[FieldError]:
    """LHEO's and France Travail's rules on an address: first line, city, postal code alphanumeric and not
    00000, INSEE code alphanumeric and not 00000 (required unless `insee_required` is False, for addresses
    that have none, such as a structure's)."""
    out: list[FieldError] = []
    if not (address.line1 or "").strip():
        out.append(
            FieldError(
                f"{path}.line1",
                "La 1re ligne de l'adresse est obligatoire (France Travail ne lit pas le nom de la structure : "
                "indiquez-le avant l'adresse si besoin).",
            )
        )
    if not (address.city or "").strip():
        out.append(FieldError(f"{path}.city", "La ville est obligatoire."))
    postal = address.postal_code
    if not postal:
        out.append(FieldError(f"{path}.postal_code", "Le code postal est obligatoire."))
    elif error := _code_error(postal, "code postal", "14000"):
        out.append(FieldError(f"{path}.postal_code", error))
    insee = getattr(address, "insee_code", None)
    if not insee and insee_required:
        out.append(
            FieldError(
                f"{path}.insee_code",
                "Le code INSEE de la commune est obligatoire : « Rechercher une adresse » le renseigne ; en saisie "
                "manuelle, indiquez-le (5 caractères, exemple : 14118 pour Caen).",
            )
        )
    elif error := _code_error(insee, "code INSEE", "14118"):
        out.append(FieldError(f"{path}.insee_code", error))
    return out


def _place_address(place: Place, known: Mapping[str, Place] | None) -> SessionAddress | None:
    if place.place_id is not None:
        found = (known or {}).get(place.place_id)
        return found.address if found else None
    return place.address


def place_errors(place: Place, path: str, known: Mapping[str, Place] | None, *, what: str) -> list[FieldError]:
    """A place chosen among the trainer's (still there), or created: its name and a valid address."""
    if place.place_id is not None:
        if known is not None and place.place_id not in known:
            return [
                FieldError(
                    f"{path}.place_id",
                    f"Ce {what} n'est plus parmi les lieux de l'organisme formateur : choisissez-en un autre ou "
                    "créez-le.",
                )
            ]
        return []
    out: list[FieldError] = []
    if not place.name:
        out.append(FieldError(f"{path}.name", f"Renseignez le nom du {what} (exemples : Mairie, Hôtel Novotel)."))
    if place.address is None:
        out.append(
            FieldError(
                f"{path}.address",
                f"L'adresse du {what} est obligatoire : saisissez-la dans « Rechercher une adresse » (ou en saisie "
                "manuelle).",
            )
        )
    else:
        out += address_errors(place.address, f"{path}.address")
    return out


def _outside_message(address: SessionAddress, region: str) -> str:
    where = " ".join(x for x in (address.postal_code, address.city) if x)
    return (
        f"Ce lieu ({where}) est hors de la région {region} : si la formation se déroule hors région {region}, vous "
        f"devez la référencer auprès du Carif-Oref correspondant : {INTERCARIFOREF}"
    )


def _outside_places(session: SessionDraft, context: SessionContext) -> tuple[list[tuple[int, SessionAddress]], bool]:
    """The places outside the region, and whether some place is inside it."""
    outside: list[tuple[int, SessionAddress]] = []
    inside = False
    for position, place in enumerate(session.places):
        address = _place_address(place, context.places)
        where = department(address) if address is not None else None
        if where is None or address is None:
            continue
        if where in context.departments:
            inside = True
        else:
            outside.append((position, address))
    return outside, inside


# ---------------------------------------------------------------------- the rules at submission
def session_errors(
    session: SessionDraft,
    context: SessionContext,
    *,
    position: int = 0,
    published: SessionDraft | None = None,
) -> list[FieldError]:
    """Every rule a session must meet to be submitted, each with the path of its field. `published` is the
    session as published, if it was: an interview or information meeting it already had, unchanged, is
    not refused for having taken place since."""
    path = session_path(session, position)
    out: list[FieldError] = []

    def add(name: str, message: str) -> None:
        out.append(FieldError(f"{path}.{name}" if name else path, message))

    _dates(session, add)
    _organisation(session, context, path, add, out)
    _funding(session, context, add)
    _cycles(session, context, add)
    _blocks(session, context, add)
    if session.total_hours is None:
        add(
            "total_hours",
            "La durée totale est obligatoire (ne mettez pas zéro) : renseignez la durée en centre et/ou en "
            "entreprise, le total se calcule.",
        )
    if session.registration is None:
        add(
            "registration",
            "Le lieu d'inscription doit obligatoirement être renseigné : choisissez un lieu de l'organisme "
            "formateur, ou créez-en un (une agence France Travail par exemple).",
        )
    else:
        out.extend(
            place_errors(session.registration, f"{path}.registration", context.places, what="lieu d'inscription")
        )
    _recruitment(session, context, published, path, add, out)
    return out


Add = Callable[[str, str], None]


def _dates(session: SessionDraft, add: Add) -> None:
    start, end = session.start_date, session.end_date
    if start is None:
        add("start_date", "La date de début de la session est obligatoire.")
    if end is None:
        add("end_date", "La date de fin de la session est obligatoire.")
    if start is not None and end is not None and end < start:
        add(
            "end_date",
            f"La date de fin ({_d(end)}) est antérieure à la date de début ({_d(start)}) : la session finit le jour "
            "de son début ou après.",
        )


def _organisation(session: SessionDraft, context: SessionContext, path: str, add: Add, out: list[FieldError]) -> None:
    if not session.places and session.teaching_mode != lheo.REMOTE:
        add(
            "places",
            "Indiquez au moins un lieu de formation (par défaut, celui de l'organisme responsable) : seule une "
            "formation entièrement à distance s'en passe.",
        )
    for position, place in enumerate(session.places):
        out.extend(place_errors(place, f"{path}.places.{position}", context.places, what="lieu de formation"))
    outside, inside = _outside_places(session, context)
    if outside and not inside:  # the training takes place outside the region (mixed: a warning)
        for position, address in outside:
            add(f"places.{position}", _outside_message(address, context.region))
    if context.contact_ids is not None:
        for position, contact in enumerate(session.contacts):
            if contact.contact_id not in context.contact_ids:
                add(
                    f"contacts.{position}.contact_id",
                    "Ce contact n'est plus un contact de vos structures (siège et antennes) : choisissez-en un autre, "
                    "ou demandez son ajout dans le champ des demandes de contacts spécifiques.",
                )


def _funding(session: SessionDraft, context: SessionContext, add: Add) -> None:
    if not session.funding:
        add(
            "funding",
            "Les financements sont obligatoires : ajoutez au moins un financement (le financeur, puis la mesure).",
        )
        return
    referential = context.financing
    found: list[Measure | None] = []  # each line's measure, when it is one of its financer's
    for position, line in enumerate(session.funding):
        at = f"funding.{position}"
        financer = referential.financer(line.financer)
        measure = financer.measure(line.measure) if financer else None
        found.append(measure)
        if line.financer is None:
            add(f"{at}.financer", "Sélectionnez le financeur de ce financement.")
        elif financer is None:
            add(
                f"{at}.financer",
                f"Le financeur « {lheo.FINANCERS.get(line.financer, line.financer)} » n'est pas proposé en "
                f"{referential.region} : choisissez-en un de la liste.",
            )
        if line.measure is None:
            if financer is not None:
                add(
                    f"{at}.measure",
                    f"Sélectionnez la mesure de ce financement parmi celles du financeur « {financer.label} ».",
                )
        elif financer is not None and measure is None:
            add(
                f"{at}.measure",
                f"La mesure « {line.measure} » n'est pas une mesure du financeur « {financer.label} » : choisissez "
                f"parmi {', '.join(m.label for m in financer.measures)}.",
            )
        if measure is not None:
            strangers = [p for p in line.publics if p not in measure.publics]
            if strangers:
                add(
                    f"{at}.publics",
                    f"Les publics de la mesure « {measure.label} » sont : "
                    f"{', '.join(referential.public_label(p) for p in measure.publics)} ; "
                    f"« {', '.join(strangers)} » n'en fait pas partie (ils se remplissent d'après la mesure).",
                )
    if any(line.financer == lheo.REGIONAL_COUNCIL for line in session.funding):
        for name in ("funding_conditions", "audience_info"):
            if not getattr(session, name):
                add(
                    name,
                    f"« {SESSION_LABELS[name]} » est obligatoire pour une formation conventionnée par le Conseil "
                    "régional (voir les cadres de saisie fournis par la Région).",
                )
    professionalisation = any(m is not None and m.kind == "professionnalisation" for m in found)
    for position, measure in enumerate(found):
        if measure is None:
            continue
        if professionalisation and measure.kind != "professionnalisation":
            add(
                f"funding.{position}.measure",
                "Le contrat de professionnalisation demande une session dédiée : créez une 2e session pour "
                f"« {measure.label} » (le contrat de professionnalisation n'étant pas déversé dans Kairos, il "
                "bloquerait les autres financements).",
            )
        if context.apprenticeship and measure.kind != "apprentissage":
            add(
                f"funding.{position}.measure",
                "Une formation en apprentissage est spécifique à ce dispositif (pas de mélange avec les autres "
                f"dispositifs) : créez une autre formation pour « {measure.label} ».",
            )
        if not context.apprenticeship and measure.kind == "apprentissage":
            add(
                f"funding.{position}.measure",
                "Le contrat d'apprentissage demande une formation spécifique à ce dispositif : créez une formation en "
                "apprentissage (avec dans l'intitulé les années accessibles et la mention « en apprentissage »).",
            )


def rhythm_errors(rhythm: AlternanceRhythm, path: str) -> list[FieldError]:
    """A work-study rhythm: its unit, the time in centre and in company, within the span the unit reads."""
    out: list[FieldError] = []
    if rhythm.unit is None:
        out.append(
            FieldError(f"{path}.unit", "Choisissez l'unité du rythme : heure, demi-journée, journée, semaine ou mois.")
        )
    if rhythm.in_centre is None:
        out.append(FieldError(f"{path}.in_centre", "Indiquez le temps en centre (0 s'il n'y en a pas)."))
    if rhythm.in_company is None:
        out.append(FieldError(f"{path}.in_company", "Indiquez le temps en entreprise (0 s'il n'y en a pas)."))
    if out:
        return out
    assert rhythm.unit is not None and rhythm.in_centre is not None and rhythm.in_company is not None
    total = rhythm.in_centre + rhythm.in_company
    span, most = RHYTHM_SPANS[rhythm.unit]
    name = RHYTHM_UNIT_NAMES[rhythm.unit]
    if total == 0:
        out.append(FieldError(f"{path}.in_centre", "Le rythme ne peut pas être de 0 en centre et 0 en entreprise."))
    elif total > most:
        out.append(
            FieldError(
                f"{path}.in_company",
                f"Avec l'unité « {lheo.RHYTHM_UNITS[rhythm.unit]} », le rythme se lit sur {span} : "
                f"{rhythm.in_centre} + {rhythm.in_company} = {total} {name}, au-delà des {most} {name} de {span}.",
            )
        )
    return out


def _cycles(session: SessionDraft, context: SessionContext, add: Add) -> None:
    if not context.apprenticeship:
        return
    years = context.cycle_years
    if years is None:
        add(
            "cycles",
            "Renseignez d'abord la durée de cycle de la formation (de 1 à 5 ans) : sans elle, les années de cycle de "
            "l'alternance ne sont pas accessibles.",
        )
    if not session.cycles:
        add(
            "cycles",
            "Les cycles de l'alternance sont obligatoires pour l'apprentissage (essentiels pour la visibilité sur "
            "Parcoursup et Affelnet) : ajoutez une ligne par année accessible en apprentissage.",
        )
    seen: set[int] = set()
    for position, cycle in enumerate(session.cycles):
        at = f"cycles.{position}"
        if cycle.year is None:
            add(f"{at}.year", "Choisissez l'année de cycle accessible en apprentissage.")
        elif years is not None and cycle.year > years:
            add(
                f"{at}.year",
                f"L'année {cycle.year} dépasse la durée de cycle de la formation ({years} an"
                f"{'s' if years > 1 else ''}) : choisissez une année de 1 à {years}.",
            )
        elif cycle.year in seen:
            add(f"{at}.year", f"L'année {cycle.year} est déjà indiquée : une ligne par année accessible.")
        if cycle.year is not None:
            seen.add(cycle.year)
        if cycle.rhythm is None:
            add(
                f"{at}.rhythm",
                "Le rythme de l'alternance est obligatoire : choisissez l'unité, puis le temps en centre et en "
                "entreprise.",
            )
        else:
            for error in rhythm_errors(cycle.rhythm, f"{at}.rhythm"):
                add(error.field, error.message)


def _blocks(session: SessionDraft, context: SessionContext, add: Add) -> None:
    certifications = {c.code: c for c in context.certifications} if context.certifying else {}
    seen: set[str] = set()
    for position, entry in enumerate(session.blocks):
        at = f"blocks.{position}"
        certification = certifications.get(entry.certification)
        if certification is None:
            add(
                f"{at}.certification",
                f"La certification {entry.certification} n'est pas une certification de la formation.",
            )
            continue
        if entry.certification in seen:
            add(f"{at}.certification", f"Les blocs de la certification {entry.certification} sont déjà indiqués.")
            continue
        seen.add(entry.certification)
        codes = [b.code for b in certification.blocks]
        if not codes:
            add(
                f"{at}.certification",
                f"La certification {entry.certification} n'est pas décrite en blocs de compétences sur France "
                "compétences : retirez cette ligne.",
            )
            continue
        if entry.validation is None:
            add(f"{at}.validation", "Choisissez le type de validation : partielle, totale ou mixte.")
        elif context.apprenticeship and entry.validation != lheo.TOTAL:
            add(
                f"{at}.validation",
                "Pour l'apprentissage, vous devez sélectionner obligatoirement « Validation totale ».",
            )
        unknown = [b for b in entry.blocks if b not in codes]
        if unknown:
            add(
                f"{at}.blocks",
                f"{', '.join(unknown)} : ce ne sont pas des blocs de la certification {entry.certification} "
                f"({', '.join(codes)}).",
            )
        elif entry.validation == lheo.PARTIAL:
            if not entry.blocks:
                add(f"{at}.blocks", "Pour une validation partielle, sélectionnez le ou les blocs concernés.")
            elif set(entry.blocks) == set(codes):
                add(
                    f"{at}.blocks",
                    "Une validation partielle porte sur certains blocs, pas sur tous : pour tous les blocs, choisissez "
                    "« Validation totale » (ou mixte).",
                )
        elif (
            entry.validation in (lheo.TOTAL, lheo.MIXED_VALIDATION) and entry.blocks and set(entry.blocks) != set(codes)
        ):
            missing = [c for c in codes if c not in entry.blocks]
            add(
                f"{at}.blocks",
                f"Une validation {'totale' if entry.validation == lheo.TOTAL else 'mixte'} porte sur tous les blocs de "
                f"la certification {entry.certification} : il manque {', '.join(missing)}.",
            )
    if context.apprenticeship:
        for certification in certifications.values():
            if certification.blocks and certification.code not in seen:
                add(
                    "blocks",
                    "Pour l'apprentissage, vous devez sélectionner obligatoirement « Validation totale » des blocs de "
                    f"la certification {certification.code}.",
                )


def _recruitment(
    session: SessionDraft,
    context: SessionContext,
    published: SessionDraft | None,
    path: str,
    add: Add,
    out: list[FieldError],
) -> None:
    modalities = session.recruitment
    if france_travail_funded(session) and not any(m.code in FRANCE_TRAVAIL_MODALITIES for m in modalities):
        add(
            "recruitment",
            "Avec un financement France Travail, vous devez choisir au moins une de ces modalités de recrutement : "
            "inscription sur candidature (7), entretien ou rendez-vous individuel (8), information collective (9). "
            "Sans elle, aucune candidature ne peut être positionnée en ligne (Ouiform, Aude Formation).",
        )
    meetings = [m for m in modalities if m.meeting]
    if len(meetings) > MAX_MEETINGS:
        add(
            "recruitment",
            f"Une session planifie au plus {MAX_MEETINGS} entretiens individuels et informations collectives : elle en "
            f"compte {len(meetings)}.",
        )
    held = {(m.code, m.number, m.date) for m in (published.recruitment if published else []) if m.meeting and m.number}
    numbers: set[str] = set()
    periods: list[tuple[Period, int, int]] = []
    for position, modality in enumerate(modalities):
        at = f"recruitment.{position}"
        if not modality.numbered:
            continue
        name = _modality_name(modality)
        if not modality.number:
            add(f"{at}.number", f"{name} doit avoir un numéro d'identification unique.")
        elif modality.number in numbers:
            add(
                f"{at}.number",
                f"Le numéro « {modality.number} » est déjà celui d'une autre modalité de cette session : chaque "
                "modalité a son numéro.",
            )
        elif modality.number in context.other_numbers:
            add(
                f"{at}.number",
                f"Le numéro « {modality.number} » est déjà celui d'une modalité d'une autre session : chaque "
                "modalité a un numéro unique.",
            )
        if modality.number:
            numbers.add(modality.number)
        if modality.state != lheo.OPEN:
            if modality.application:
                add(
                    f"{at}.state",
                    "L'état du recrutement de l'inscription sur candidature doit être « ouvert » (places disponibles). "
                    "Pour ne plus recevoir de candidatures, fermez le recrutement dans la rubrique Financement, ou "
                    "changez les dates de candidature.",
                )
            else:
                add(f"{at}.state", f"{name} doit avoir un état du recrutement « ouvert ».")
        low, high = APPLICATION_SEATS if modality.application else MEETING_SEATS
        if modality.seats is None:
            add(f"{at}.seats", f"Le nombre de places est obligatoire : entre {low} et {high}.")
        elif not low <= modality.seats <= high:
            add(f"{at}.seats", f"Le nombre de places ({modality.seats}) doit être compris entre {low} et {high}.")
        if modality.application:
            _application(modality, session, at, add, periods, position)
        else:
            unchanged = (modality.code, modality.number, modality.date) in held
            _meeting(modality, session, context.today, unchanged, path, at, add, out)
    # Application periods never overlap (a shared day is an overlap), within an ISC or between the ISCs.
    dated = sorted(
        ((p.start, p.end, i, j) for p, i, j in periods if p.start and p.end and p.start <= p.end),
        key=lambda x: (x[0], x[1]),
    )
    latest: tuple[date, date] | None = None  # the period reaching furthest so far
    for start, end, i, j in dated:
        if latest is not None and start <= latest[1]:
            add(
                f"recruitment.{i}.periods.{j}",
                f"Cette période de candidature (du {_d(start)} au {_d(end)}) chevauche celle du {_d(latest[0])} au "
                f"{_d(latest[1])} : les périodes de candidature ne se chevauchent pas.",
            )
        if latest is None or end > latest[1]:
            latest = (start, end)


def _application(
    modality: RecruitmentModality,
    session: SessionDraft,
    at: str,
    add: Add,
    periods: list[tuple[Period, int, int]],
    position: int,
) -> None:
    if not modality.periods:
        add(
            f"{at}.periods",
            "La période de candidature est obligatoire : indiquez une date de début et une date de fin.",
        )
    for index, period in enumerate(modality.periods):
        where = f"{at}.periods.{index}"
        if period.start is None:
            add(f"{where}.start", "La date de début de la période de candidature est obligatoire.")
        if period.end is None:
            add(f"{where}.end", "La date de fin de la période de candidature est obligatoire.")
        if period.start and period.end and period.end < period.start:
            add(
                f"{where}.end",
                f"La fin de la période de candidature ({_d(period.end)}) est antérieure à son début "
                f"({_d(period.start)}).",
            )
        if period.start and session.end_date and period.start >= session.end_date:
            add(
                f"{where}.start",
                f"La période de candidature commence le {_d(period.start)} : elle doit commencer avant la fin de la "
                f"formation (le {_d(session.end_date)}).",
            )
        periods.append((period, position, index))


def _meeting(
    modality: RecruitmentModality,
    session: SessionDraft,
    today: date,
    unchanged: bool,
    path: str,
    at: str,
    add: Add,
    out: list[FieldError],
) -> None:
    day = modality.date
    if day is None:
        add(f"{at}.date", "La date de réalisation est obligatoire.")
    else:
        if modality.end_date is not None and modality.end_date != day:
            add(
                f"{at}.end_date",
                "Un entretien ou une information collective dure une journée au plus : sa fin "
                f"({_d(modality.end_date)}) doit être le jour de son début ({_d(day)}).",
            )
        if day < today and not unchanged:
            add(
                f"{at}.date",
                f"La date de réalisation ({_d(day)}) est passée : elle doit être postérieure ou égale à la date du "
                f"jour ({_d(today)}). Anticipez votre saisie !",
            )
        if session.end_date is not None and day > session.end_date:
            add(
                f"{at}.date",
                f"La date de réalisation ({_d(day)}) est après la fin de la formation ({_d(session.end_date)}) : "
                "elle ne doit pas lui être postérieure.",
            )
    hours = modality.hours or TimeRange()
    if hours.start is None:
        add(f"{at}.hours.start", "L'heure de début est obligatoire (au plus tôt 07:00).")
    elif hours.start < EARLIEST:
        add(f"{at}.hours.start", f"L'heure de début ({_hm(hours.start)}) est trop tôt : au plus tôt {_hm(EARLIEST)}.")
    if hours.end is None:
        add(f"{at}.hours.end", "L'heure de fin est obligatoire (au plus tard 20:00).")
    elif hours.end > LATEST:
        add(f"{at}.hours.end", f"L'heure de fin ({_hm(hours.end)}) est trop tard : au plus tard {_hm(LATEST)}.")
    if hours.start is not None and hours.end is not None and hours.end <= hours.start:
        add(
            f"{at}.hours.end",
            f"L'heure de fin ({_hm(hours.end)}) doit être postérieure à l'heure de début ({_hm(hours.start)}).",
        )
    if modality.remote:
        return
    if modality.address is None:
        add(f"{at}.address", "Indiquez l'adresse du rendez-vous, ou cochez « à distance ».")
    else:
        out.extend(address_errors(modality.address, f"{path}.{at}.address"))


# ---------------------------------------------------------------------- the guide's recommendations
def session_warnings(session: SessionDraft, context: SessionContext, *, position: int = 0) -> list[FieldError]:
    """What the guide says is important but not required in OFeli: shown before submission, never blocking."""
    path = session_path(session, position)
    out: list[FieldError] = []

    def add(name: str, message: str) -> None:
        out.append(FieldError(f"{path}.{name}" if name else path, message))

    why = "pour la compréhension de votre formation et l'information du public."
    if session.total_hours is not None:
        if session.hours_in_centre is None:
            add(
                "hours_in_centre",
                f"La durée en centre n'est pas renseignée : elle n'est pas obligatoire dans OFeli mais elle est "
                f"importante {why}",
            )
        if session.hours_in_company is None and (context.apprenticeship or "alternance" in session.rhythms):
            add(
                "hours_in_company",
                f"La durée en entreprise n'est pas renseignée : elle n'est pas obligatoire dans OFeli mais elle est "
                f"importante {why}",
            )
    if not session.recruitment and not france_travail_funded(session):
        add(
            "recruitment",
            "Aucune modalité de recrutement n'est indiquée : elles ne sont pas obligatoires dans OFeli mais elles "
            f"sont importantes {why}",
        )
    if context.certifying and not context.apprenticeship:
        chosen = {entry.certification for entry in session.blocks}
        for certification in context.certifications:
            if certification.blocks and certification.code not in chosen:
                add(
                    "blocks",
                    f"Les blocs de compétences de la certification {certification.code} ne sont pas précisés : ils ne "
                    f"sont pas obligatoires dans OFeli mais ils sont importants {why}",
                )
    short = session.total_hours is not None and session.total_hours < SHORT_SESSION_HOURS
    if (short or session.path_type == lheo.INDIVIDUALISED) and not is_yearly(session):
        year = session.start_date.year if session.start_date else context.today.year
        first, last = yearly_session(year)
        why = f"courte (moins de {SHORT_SESSION_HOURS} heures : {session.total_hours} h)" if short else "individualisée"
        add(
            "start_date",
            f"Pour une session {why}, créez une session unique annuelle en entrées-sorties permanentes, du "
            f"{_d(first)} au {_d(last)}, plutôt que des sessions courtes et fréquentes.",
        )
    outside, inside = _outside_places(session, context)
    if outside and inside:
        for place_position, address in outside:
            add(f"places.{place_position}", _outside_message(address, context.region))
    for name, places in (("places", session.places), ("registration", [session.registration])):
        for place_position, place in enumerate(places):
            if place is None or place.place_id is not None or place.address is None:
                continue
            at = f"{name}.{place_position}" if name == "places" else name
            if twin := _twin(place, context.places or {}, session.places[:place_position] if name == "places" else []):
                add(
                    at,
                    f"Ce lieu ressemble à « {twin} », déjà enregistré : choisissez-le plutôt que de créer un doublon.",
                )
    for modality_position, modality in enumerate(session.recruitment):
        comment = modality.comment or ""
        if len(comment) > EXPORTED_COMMENT:
            add(
                f"recruitment.{modality_position}.comment",
                f"Le commentaire compte {len(comment)} caractères : seuls les {EXPORTED_COMMENT} premiers sont "
                "transmis à France Travail.",
            )
    return out


def _place_key(place: Place) -> tuple[str, str]:
    address = place.address or SessionAddress()
    return fold(address.line1), (address.postal_code or "")


def _same_address(place: Place, other: Place) -> bool:
    """The same first line (case, accents and punctuation ignored) in the same postal code."""
    line, postal = _place_key(place)
    return other.address is not None and bool(line) and (line, postal) == _place_key(other)


def _same_name(place: Place, other: Place) -> bool:
    """The same name in the same postal code."""
    name, postal = fold(place.name), _place_key(place)[1]
    return other.address is not None and bool(name) and (name, postal) == (fold(other.name), _place_key(other)[1])


def _twin(place: Place, known: Mapping[str, Place], earlier: Sequence[Place]) -> str | None:
    """A known place (or one earlier in the session) at the same address, or of the same name in the same
    postal code: a likely duplicate."""
    for other in [*known.values(), *earlier]:
        if other.address is not None and (_same_address(place, other) or _same_name(place, other)):
            where = ", ".join(x for x in (other.address.line1, other.address.postal_code, other.address.city) if x)
            return f"{other.name} ({where})" if other.name else where
    return None


def known_place_at(place: Place, known: Mapping[str, Place]) -> str | None:
    """The id of the known place (the trainer's, by id) at this place's address, by the likely-duplicate
    rule's address test: a prefilled place refers to it rather than creating its twin. Not one that only
    shares the name: its address may be an old one, and the prefill stays the organisation's own address."""
    return next((place_id for place_id, other in known.items() if _same_address(place, other)), None)


# ---------------------------------------------------------------------- a formation's sessions at once
def finished_session_errors(
    published: Sequence[SessionDraft], draft: Sequence[SessionDraft], today: date
) -> list[FieldError]:
    """A finished session cannot be modified (it can be duplicated), and no published session is removed
    (finished and archived ones feed the national statistics)."""
    out: list[FieldError] = []
    drafts = {s.ref: s for s in draft if s.ref}
    for before in published:
        if not before.ref:
            continue
        after = drafts.get(before.ref)
        if after is None:
            out.append(
                FieldError(
                    f"sessions.{before.ref}",
                    f"Ne supprimez pas la session {before.ref} : les sessions terminées ou archivées alimentent un "
                    "entrepôt de données national à des fins de statistiques.",
                )
            )
        elif finished(before, today) and _canon(before) != _canon(after):
            assert before.end_date is not None
            out.append(
                FieldError(
                    f"sessions.{before.ref}",
                    f"La session {before.ref} est terminée depuis le {_d(before.end_date)} : vous ne pouvez pas la "
                    "modifier, mais vous pouvez la dupliquer pour proposer de nouvelles dates.",
                )
            )
    return out


def all_session_errors(
    sessions: Sequence[SessionDraft], context: SessionContext, published: Sequence[SessionDraft] = ()
) -> list[FieldError]:
    """Every session's rules (a recruitment number unique across the formation's sessions too), and the
    rules on finished and removed sessions. A finished session left as published is not checked again."""
    by_ref = {s.ref: s for s in published if s.ref}
    out = finished_session_errors(published, sessions, context.today)
    for position, session in enumerate(sessions):
        before = by_ref.get(session.ref) if session.ref else None
        if before is not None and finished(before, context.today) and _canon(before) == _canon(session):
            continue
        others = {n for i, s in enumerate(sessions) if i != position for n in recruitment_numbers(s)}
        here = replace(context, other_numbers=context.other_numbers | others)
        out += session_errors(session, here, position=position, published=before)
    return out


def recruitment_numbers(session: SessionDraft) -> list[str]:
    return [m.number for m in session.recruitment if m.numbered and m.number]


def _canon(session: SessionDraft) -> str:
    return json.dumps(session.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


# ---------------------------------------------------------------------- what the service does with sessions
def duplicate(session: SessionDraft, start: date, end: date) -> SessionDraft:
    """A copy of a session (a finished one too) with new dates, to submit as a new session.

    - no reference (it gets its S number when added), not archived, no *état du dispositif* (the Carif-Oref
      sets it again when it validates the copy);
    - recruitment modalities lose their numbers (each is unique: the copy's are given anew), and their dates
      move with the session: by the days between the old start and the new one, so an information meeting
      two weeks before the start stays two weeks before it. A date that would fall after the new end is
      cleared (an ISC period starting on or after it is dropped), for the OF to set; without an old start
      date the dates are cleared.
    Everything else (places, funding, cycles, blocks, durations...) is kept."""
    shift = start - session.start_date if session.start_date else None

    def moved(day: date | None) -> date | None:
        if day is None or shift is None:
            return None
        new = day + shift
        return new if new <= end else None

    modalities: list[RecruitmentModality] = []
    for modality in session.recruitment:
        if modality.application:
            periods = []
            for period in modality.periods:
                new_start = period.start + shift if period.start and shift is not None else None
                if new_start is not None and new_start >= end:
                    continue
                new_end = period.end + shift if period.end and shift is not None else None
                periods.append(Period(start=new_start, end=new_end))
            modalities.append(modality.model_copy(update={"number": None, "periods": periods}, deep=True))
        elif modality.meeting:
            modalities.append(
                modality.model_copy(update={"number": None, "date": moved(modality.date), "end_date": None}, deep=True)
            )
        else:
            modalities.append(modality.model_copy(deep=True))
    copy = session.model_copy(deep=True)
    return copy.model_copy(
        update={
            "ref": None,
            "start_date": start,
            "end_date": end,
            "archived": False,
            "funding": [line.model_copy(update={"scheme_state": None}) for line in copy.funding],
            "recruitment": modalities,
        }
    )


def number_recruitment(session: SessionDraft, prefix: str, taken: Iterable[str] = ()) -> SessionDraft:
    """Give the ISC, RDVI and ICO without a number one: `{prefix}-1`, `{prefix}-2`... skipping those taken
    (the session's own and `taken`). The service calls it with the session's S number."""
    used = set(taken) | set(recruitment_numbers(session))
    counter = 0
    modalities: list[RecruitmentModality] = []
    for modality in session.recruitment:
        if modality.numbered and not modality.number:
            counter += 1
            while f"{prefix}-{counter}" in used:
                counter += 1
            used.add(f"{prefix}-{counter}")
            modality = modality.model_copy(update={"number": f"{prefix}-{counter}"})
        modalities.append(modality)
    return session.model_copy(update={"recruitment": modalities})


def fill_publics(session: SessionDraft, referential: FinancingReferential | None = None) -> SessionDraft:
    """*La rubrique Publics se remplira automatiquement après sélection de la Mesure*."""
    found = referential or financing_referential()
    lines = []
    for line in session.funding:
        measure = found.measure(line.financer, line.measure)
        lines.append(line.model_copy(update={"publics": list(measure.publics)}) if measure else line)
    return session.model_copy(update={"funding": lines})


def fill_blocks(session: SessionDraft, certifications: Sequence[Certification]) -> SessionDraft:
    """*Si la validation est totale (ou mixte), tous les blocs seront sélectionnés automatiquement*; the
    entries in the formation's order of certifications (the principal first)."""
    by_code = {c.code: c for c in certifications}
    order = {c.code: i for i, c in enumerate(certifications)}
    entries = []
    for entry in session.blocks:
        certification = by_code.get(entry.certification)
        if certification and entry.validation in (lheo.TOTAL, lheo.MIXED_VALIDATION):
            entry = entry.model_copy(update={"blocks": [b.code for b in certification.blocks]})
        entries.append(entry)
    entries.sort(key=lambda e: order.get(e.certification, len(order)))
    return session.model_copy(update={"blocks": entries})


def restore_moderator_fields(published: SessionDraft | None, draft: SessionDraft) -> SessionDraft:
    """What only the Carif-Oref sets, put back as published whatever the OF sent: the *état du dispositif*
    of each funding line (matched by financer and measure; none on a new line) and the archived flag."""
    states = {(line.financer, line.measure): line.scheme_state for line in (published.funding if published else [])}
    lines = [
        line.model_copy(update={"scheme_state": states.get((line.financer, line.measure))}) for line in draft.funding
    ]
    return draft.model_copy(update={"funding": lines, "archived": published.archived if published else False})


# ---------------------------------------------------------------------- the moderator's differences
class SessionChange(Model):
    """One session of the submitted formation that changed, and how."""

    ref: str | None = Field(description="Null pour une session ajoutée, pas encore numérotée")
    position: int = Field(description="Sa place dans la liste des sessions (soumise, ou publiée si retirée)")
    title: str = Field(description="Session S0000012 du 02/03/2026 au 30/06/2026")
    change: Literal["added", "changed", "removed"]
    differences: list[Difference] = Field(default_factory=list)


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == "" or value is False


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[Difference]:
    """The workflow's differences, without a field that goes from nothing to a default (an added session's
    empty lists, a removed one's)."""
    return [d for d in differences(before, after, SESSION_LABELS) if not (_empty(d.before) and _empty(d.after))]


def _title(session: SessionDraft) -> str:
    name = f"Session {session.ref}" if session.ref else "Nouvelle session"
    if session.start_date and session.end_date:
        return f"{name} du {_d(session.start_date)} au {_d(session.end_date)}"
    return name


def session_differences(before: Sequence[SessionDraft], after: Sequence[SessionDraft]) -> list[SessionChange]:
    """Per session (matched by reference), which fields changed, before and after: sessions added (new ones
    have no reference yet), changed, then removed."""
    published = {s.ref: s for s in before if s.ref}
    out: list[SessionChange] = []
    for position, session in enumerate(after):
        old = published.get(session.ref) if session.ref else None
        new_data = session.model_dump(mode="json")
        if old is None:
            found = _changes({}, new_data)
            out.append(
                SessionChange(
                    ref=session.ref, position=position, title=_title(session), change="added", differences=found
                )
            )
            continue
        found = _changes(old.model_dump(mode="json"), new_data)
        if found:
            out.append(
                SessionChange(
                    ref=session.ref, position=position, title=_title(session), change="changed", differences=found
                )
            )
    kept = {s.ref for s in after if s.ref}
    for position, session in enumerate(before):
        if session.ref and session.ref not in kept:
            found = _changes(session.model_dump(mode="json"), {})
            out.append(
                SessionChange(
                    ref=session.ref, position=position, title=_title(session), change="removed", differences=found
                )
            )
    return out
