"""Formations and sessions: what an OF writes, the guide's rules on it, and how a formation is read.

A formation (LHEO `formation`) is created in a structure space holding the NDA (the *organisme
responsable*, the *mandataire*), certifying or not; it goes through the workflow engine
(`ofeli.services.workflow`): its draft (`FormationDraft`) is saved, submitted, decided. Its sessions
(LHEO `action` + `session`) grow with the sessions issue; today they are the core the demo data,
the dashboard and the *Formations de l'OF* tab read.

Rules here are pure: the certifications a rule needs are given to it (`Certification` models read by
the service from the referential).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ofeli.domain.certifications import NO_SPECIFIC_LEVEL, Certification, normalise_code
from ofeli.domain.directory import fold
from ofeli.domain.errors import FieldError
from ofeli.domain.lheo_codes import LEVELS
from ofeli.domain.model import Model
from ofeli.domain.search import LinkFinding
from ofeli.domain.sessions import SCHEME_STATES, SessionAddress, SessionDraft, SessionState, Website
from ofeli.domain.structures import ContactView
from ofeli.domain.text import clean_pasted, line_error

FORMATION_PREFIX = "F"
SESSION_PREFIX = "S"
MAX_CERTIFICATIONS = 5
MAX_TITLE = 255
MAX_TEXT = 3000
MAX_SESSIONS = 100  # current and upcoming ones in one draft (finished ones stay published, out of the draft)


LOCKED = (
    "Vous ne pouvez plus modifier cette formation tant que le Carif-Oref ne l'a pas validée. S'il s'agit "
    "d'une erreur, cliquez sur Voir ma demande puis sur Annuler ma demande de vérification."
)
NOT_MANDATAIRE = "Seul le mandataire (l'organisme responsable) peut modifier cette formation et ses sessions."
NO_NDA = (
    "Attention à bien sélectionner dans votre espace structure l'organisme porteur du numéro de déclaration "
    "d'activité, qui seul est considéré comme organisme responsable ! Cette structure n'a pas de numéro de "
    "déclaration d'activité : changez d'espace structure pour créer la formation."
)
MODERATORS_DO_NOT_WRITE = (
    "Les modérateurs ne modifient pas la formation d'un organisme à sa place : ils valident ou refusent ses "
    "demandes, et indexent l'offre (Formacode, NSF, ROME) depuis la modération."
)

FIELD_LABELS: dict[str, str] = {
    "certifying": "Formation certifiante",
    "certifications": "Certifications",
    "apprenticeship": "Formation en apprentissage",
    "parcoursup": "Visée Parcoursup / Affelnet",
    "title": "Intitulé de la formation",
    "objective": "Objectif",
    "content": "Contenu",
    "expected_results": "Résultats attendus",
    "cycle_years": "Durée de cycle (en années)",
    "entry_level": "Niveau d'entrée",
    "exit_level": "Niveau de sortie",
    "contact_id": "Contact",
    "website": "Site internet de la formation",
    "sessions": "Sessions",
}
INDEXING_LABELS: dict[str, str] = {"formacodes": "Formacode", "nsf": "Codes NSF", "romes": "Codes ROME"}

Status = Literal["en_creation", "publiee", "en_attente", "terminee", "archivee"]
STATUS_LABELS: dict[str, str] = {
    "en_creation": "En création",
    "publiee": "Publiée",
    "en_attente": "En attente de validation",
    "terminee": "Terminée (non diffusée)",
    "archivee": "Archivée",
}


def reference(prefix: str, number: int) -> str:
    return f"{prefix}{number:07d}"


# ---------------------------------------------------------------------- what the OF writes
def _long_text(value: str | None) -> str | None:
    if value is None:
        return None
    return clean_pasted(value) or None


def _title(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = clean_pasted(value, one_line=True)
    if error := line_error(cleaned):
        raise ValueError(error)
    return cleaned or None


class FormationCertification(Model):
    code: str = Field(description="RNCP35000, RS5678")
    principal: bool = Field(default=False, description="La certification principale : la première des blocs")

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        code = normalise_code(value)
        if code is None:
            raise ValueError("Ce code n'est pas un code RNCP ou RS (exemples : RNCP35000, RS5678).")
        return code


class FormationDraft(Model):
    """What the responsible OF edits, saved as it goes (6 pm before a deadline: nothing required to
    save) and checked whole at submission (`submission_errors`)."""

    certifying: bool = Field(default=False, description="La formation mène à une certification ou habilitation")
    certifications: list[FormationCertification] = Field(default_factory=list, max_length=MAX_CERTIFICATIONS)
    apprenticeship: bool = Field(default=False, description="Formation en apprentissage (contrat d'apprentissage)")
    parcoursup: bool = Field(default=False, description="Formation en apprentissage visée par Parcoursup ou Affelnet")
    title: str | None = Field(default=None, max_length=MAX_TITLE)
    objective: str | None = Field(default=None, max_length=MAX_TEXT)
    content: str | None = Field(default=None, max_length=MAX_TEXT)
    expected_results: str | None = Field(default=None, max_length=MAX_TEXT)
    cycle_years: int | None = Field(default=None, ge=1, le=5, description="De 1 à 5 ans ; obligatoire en apprentissage")
    entry_level: str = Field(default=NO_SPECIFIC_LEVEL, description="Code LHEO (dict-niveaux)")
    exit_level: str | None = Field(default=None, description="Code LHEO (dict-niveaux)")
    contact_id: str | None = Field(default=None, max_length=40, description="Un contact de l'organisme responsable")
    website: Website = None
    sessions: list[SessionDraft] = Field(
        default_factory=list,
        max_length=MAX_SESSIONS,
        description="Les sessions en cours et à venir, et les nouvelles (une session terminée ne change plus)",
    )

    _title = field_validator("title", mode="before")(lambda v: _title(v) if isinstance(v, str) else v)
    _texts = field_validator("objective", "content", "expected_results", mode="before")(
        lambda v: _long_text(v) if isinstance(v, str) else v
    )

    @field_validator("entry_level", "exit_level")
    @classmethod
    def _level(cls, value: str | None) -> str | None:
        if value is not None and value not in LEVELS:
            raise ValueError("Ce niveau n'est pas un niveau de la nomenclature LHEO.")
        return value

    @model_validator(mode="after")
    def _certifications(self) -> FormationDraft:
        codes = [c.code for c in self.certifications]
        if len(set(codes)) != len(codes):
            raise ValueError("Une même certification est choisie deux fois.")
        if sum(c.principal for c in self.certifications) > 1:
            raise ValueError("Une seule certification peut être la principale.")
        if self.certifications and not any(c.principal for c in self.certifications):
            self.certifications[0].principal = True
        # the principal first: it comes first in the sessions' competence blocks
        self.certifications.sort(key=lambda c: not c.principal)
        if not self.certifying:
            self.certifications = []
        return self

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.certifications]


class FormationCreate(Model):
    """*Ajouter une formation*: certifying or not, and the certifications chosen in the dialog."""

    certifying: bool = False
    certification_codes: list[str] = Field(default_factory=list, max_length=MAX_CERTIFICATIONS)
    principal: str | None = Field(default=None, description="La certification principale (la première par défaut)")
    apprenticeship: bool = False
    parcoursup: bool = False
    title: str | None = Field(default=None, max_length=MAX_TITLE, description="Pour une formation non certifiante")

    @field_validator("certification_codes")
    @classmethod
    def _known_shape(cls, codes: list[str]) -> list[str]:
        out = []
        for code in codes:
            normal = normalise_code(code)
            if normal is None:
                raise ValueError(f"« {code[:20]} » n'est pas un code RNCP ou RS (exemples : RNCP35000, RS5678).")
            if normal in out:
                raise ValueError(f"La certification {normal} est choisie deux fois.")
            out.append(normal)
        return out

    @model_validator(mode="after")
    def _codes(self) -> FormationCreate:
        if self.certifying and not self.certification_codes:
            raise ValueError(
                "Choisissez au moins une certification, ou indiquez que la formation n'est pas certifiante."
            )
        return self

    def certifications(self) -> list[FormationCertification]:
        principal = normalise_code(self.principal) if self.principal else None
        return [
            FormationCertification(code=code, principal=normalise_code(code) == principal)
            for code in self.certification_codes
        ]


class FormationIndexing(Model):
    """The Carif-Oref's indexing of a formation (moderators set it, the OF reads it)."""

    version: int = Field(ge=1, description="La version de la formation relue")
    formacodes: list[str] | None = Field(default=None, max_length=25)
    nsf: list[str] | None = Field(default=None, max_length=3)
    romes: list[str] | None = Field(default=None, max_length=5)

    @field_validator("formacodes")
    @classmethod
    def _formacodes(cls, value: list[str] | None) -> list[str] | None:
        return _codes(value, r"[0-9]{5}", "Un Formacode a 5 chiffres (exemple : 21538).")

    @field_validator("nsf")
    @classmethod
    def _nsf(cls, value: list[str] | None) -> list[str] | None:
        return _codes(value, r"[0-9]{3}[a-zA-Z]?", "Un code NSF a 3 chiffres et parfois une lettre (exemple : 221s).")

    @field_validator("romes")
    @classmethod
    def _romes(cls, value: list[str] | None) -> list[str] | None:
        return _codes(value, r"[A-Na-n][0-9]{4}", "Un code ROME a une lettre et 4 chiffres (exemple : D1102).")

    def changes(self) -> dict[str, list[str]]:
        return {name: getattr(self, name) for name in INDEXING_LABELS if getattr(self, name) is not None}


def _codes(value: list[str] | None, pattern: str, message: str) -> list[str] | None:
    if value is None:
        return None
    out: list[str] = []
    for code in value:
        code = code.strip()
        if not re.fullmatch(pattern, code):
            raise ValueError(f"« {code[:20]} » : {message}")
        code = code.upper() if pattern.startswith("[A-N") else code.lower()
        if code not in out:
            out.append(code)
    return out


# ---------------------------------------------------------------------- the guide's rules
def prefill(request: FormationCreate, chosen: dict[str, Certification]) -> FormationDraft:
    """The draft a new formation opens with: from the principal certification, the title, entry level
    *sans niveau spécifique*, exit level, objective and content (the guide's *préremplissage*)."""
    certifications = request.certifications() if request.certifying else []
    draft = FormationDraft(
        certifying=request.certifying,
        certifications=certifications,
        apprenticeship=request.apprenticeship,
        parcoursup=request.parcoursup,
        title=request.title,
    )
    if not draft.certifications:
        return draft
    principal = chosen[draft.certifications[0].code]
    objective = principal.objectives or principal.activities
    return draft.model_copy(
        update={
            "title": request.title or _title(certification_title(principal)[:MAX_TITLE]),
            "exit_level": principal.lheo_level,
            "objective": _long_text(objective[:MAX_TEXT]) if objective else None,
            "content": _long_text(principal.capacities[:MAX_TEXT]) if principal.capacities else None,
        }
    )


def certification_title(certification: Certification) -> str:
    """The certification's title as a formation's: its kind first (CAP Boulanger, Titre professionnel
    Soudeur assembleur industriel), as the repertory's short title leaves it out."""
    code, label = certification.abbreviation_code, certification.abbreviation_label
    kind = label if code == "TP" and label else code
    if not kind or fold(certification.title).startswith(fold(kind)):
        return certification.title
    return f"{kind} {certification.title}"


def unknown_or_inactive(
    codes: list[str], known: dict[str, Certification], *, field: str, already: frozenset[str] = frozenset()
) -> list[FieldError]:
    """A code the referential does not know, or an inactive certification newly chosen (one the formation
    already had, `already`, stays: its sessions are then checked against its end of registration)."""
    problems = []
    for position, code in enumerate(codes):
        certification = known.get(code)
        if certification is None:
            problems.append(
                FieldError(f"{field}.{position}", f"La certification {code} n'est pas dans le référentiel.")
            )
        elif not certification.active and code not in already:
            problems.append(FieldError(f"{field}.{position}", inactive_message(certification, known)))
    return problems


def _successors(certification: Certification, known: dict[str, Certification]) -> str:
    names = [f"{code} ({known[code].title})" if code in known else code for code in certification.successors]
    return ", ".join(names)


def inactive_message(certification: Certification, known: dict[str, Certification]) -> str:
    message = f"La certification {certification.code} n'est plus active : elle ne peut pas être choisie."
    if certification.successors:
        return (
            message
            + f" Créez la formation avec la certification qui la remplace : {_successors(certification, known)}."
        )
    return message + " Elle n'a pas été renouvelée par France Compétences."


def session_start_error(
    start: date, certifications: list[Certification], known: dict[str, Certification]
) -> str | None:
    """A session may not start after the end of registration of a certification of its formation."""
    for certification in certifications:
        end = certification.registration_end
        if end is not None and start > end:
            message = (
                f"Cette session commence le {start:%d/%m/%Y}, après la fin d'enregistrement de la certification "
                f"{certification.code} (le {end:%d/%m/%Y}) : toute session commençant après cette date doit faire "
                "l'objet d'une nouvelle formation"
            )
            if certification.successors:
                return message + f" avec la certification qui la remplace : {_successors(certification, known)}."
            return message + " (cette certification n'a pas été renouvelée)."
    return None


def submission_errors(
    draft: FormationDraft,
    known: dict[str, Certification],
    *,
    already: frozenset[str],
    contact_ids: set[str],
    session_starts: list[tuple[str, date]],
) -> list[FieldError]:
    """Every rule of the guide a formation must meet to be submitted, each with its field."""
    problems: list[FieldError] = []
    if not draft.title:
        problems.append(FieldError("title", "L'intitulé de la formation est obligatoire."))
    if not draft.objective:
        problems.append(FieldError("objective", "L'objectif de la formation est obligatoire."))
    if draft.certifying and not draft.certifications:
        problems.append(
            FieldError("certifications", "Une formation certifiante mène à au moins une certification : choisissez-la.")
        )
    problems += unknown_or_inactive(draft.codes, known, field="certifications", already=already)
    if draft.apprenticeship and draft.cycle_years is None:
        problems.append(
            FieldError(
                "cycle_years", "La durée de cycle (de 1 à 5 ans) est obligatoire pour une formation en apprentissage."
            )
        )
    if draft.parcoursup and not draft.apprenticeship:
        problems.append(
            FieldError("parcoursup", "Seule une formation en apprentissage est visée par Parcoursup ou Affelnet.")
        )
    if draft.parcoursup and len(draft.certifications) != 1:
        problems.append(
            FieldError(
                "certifications",
                "Une formation en apprentissage visée par Parcoursup ou Affelnet mène à une seule certification : "
                "créez une formation par option du diplôme.",
            )
        )
    if draft.contact_id is not None and draft.contact_id not in contact_ids:
        problems.append(FieldError("contact_id", "Ce contact n'est plus un contact de l'organisme responsable."))
    chosen = [known[c] for c in draft.codes if c in known]
    for ref, start in session_starts:
        if error := session_start_error(start, chosen, known):
            problems.append(FieldError(f"sessions.{ref}.start_date", error))
    return problems


_ACRONYM = re.compile(r"\b[A-ZÀ-Ý]{2,}\b")
_YEARS = re.compile(r"\b(1(?:re|ère|er)|[2-5](?:e|ème|eme))\b", re.IGNORECASE)
_ROMAN = {"II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII"}


def shouting(text: str | None) -> bool:
    """Written in capitals: more than half the letters of a text of some length."""
    letters = [c for c in text or "" if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) > len(letters) / 2


def acronyms(text: str | None) -> list[str]:
    found = [w for w in _ACRONYM.findall(text or "") if w not in _ROMAN]
    return list(dict.fromkeys(found))


def warnings(draft: FormationDraft) -> list[FieldError]:
    """What the guide recommends, not required: shown before submission, never blocking."""
    out: list[FieldError] = []
    for name, label in (("title", "L'intitulé"), ("objective", "L'objectif"), ("content", "Le contenu")):
        text = getattr(draft, name)
        if shouting(text):
            out.append(
                FieldError(
                    name,
                    f"{label} est écrit en majuscules : écrivez en minuscules accentuées "
                    "(majuscule en début de phrase).",
                )
            )
        elif name == "title" and (found := acronyms(text)):
            out.append(
                FieldError(
                    name,
                    f"L'intitulé contient des sigles ({', '.join(found[:5])}) : un intitulé lisible et explicite "
                    "évite les acronymes.",
                )
            )
    if draft.apprenticeship and draft.title:
        folded = fold(draft.title)
        if "en apprentissage" not in folded or not _YEARS.search(draft.title):
            out.append(
                FieldError(
                    "title",
                    "Pour une formation en apprentissage, indiquez dans l'intitulé les années accessibles et la notion "
                    "(en apprentissage), par exemple : Bac pro maintenance et efficacité énergétique - 1ère, 2ème et "
                    "3ème année (en apprentissage).",
                )
            )
    return out


def status(*, published: bool, pending: bool, sessions_end: date | None, archived: bool, today: date) -> Status:
    """The life of a formation: in creation (never published), pending, published, finished (every
    session ended: *non diffusée*), archived (its certification not renewed, its last session ended)."""
    if pending:
        return "en_attente"
    if not published:
        return "en_creation"
    if sessions_end is not None and sessions_end < today:
        return "archivee" if archived else "terminee"
    return "publiee"


def not_renewed(codes: list[str], known: dict[str, Certification]) -> bool:
    """Every certification of the formation inactive with no successor: once its sessions end, it is archived."""
    chosen = [known[c] for c in codes if c in known]
    return bool(chosen) and all(not c.active and not c.successors for c in chosen)


def similar(
    title: str | None, codes: list[str], formations: list[tuple[str, str, list[str]]]
) -> list[tuple[str, str, str]]:
    """The space's formations (ref, title, codes) that share a certification with, or have a title close
    to, the one being created: (ref, title, why)."""
    words = {w for w in fold(title).split() if len(w) > 2}
    out = []
    for ref, other_title, other_codes in formations:
        shared = sorted(set(codes) & set(other_codes))
        if shared:
            out.append((ref, other_title, f"Même certification ({', '.join(shared)})"))
            continue
        other_words = {w for w in fold(other_title).split() if len(w) > 2}
        if words and other_words and len(words & other_words) * 2 >= min(len(words), len(other_words)):
            out.append((ref, other_title, "Intitulé proche"))
    return out


# ---------------------------------------------------------------------- sessions
class StructurePlace(Model):
    """A place of training a structure's published sessions created: a later session refers to it by id."""

    place_id: str
    name: str
    address: SessionAddress


class SchemeState(Model):
    financer: str = Field(max_length=3)
    measure: str = Field(max_length=60)
    scheme_state: str | None = Field(description="conventionne, en_cours, non_conventionne ; null l'efface")

    @field_validator("scheme_state")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        if value is not None and value not in SCHEME_STATES:
            raise ValueError(f"État du dispositif inconnu. États : {', '.join(SCHEME_STATES)}.")
        return value


class SchemeStates(Model):
    """*État du dispositif* of a published session's funding lines: set by the Carif-Oref only."""

    version: int = Field(ge=1, description="La version de la formation relue")
    funding: list[SchemeState] = Field(min_length=1, max_length=8)


class SessionDates(Model):
    """*Dupliquer* a session: the copy's dates."""

    start_date: date
    end_date: date


class SessionView(SessionDraft):
    """A published session, with its state (the guide's *à venir*, *en cours*, *terminée*, *archivée*)."""

    ref: str | None = None
    state: SessionState
    state_label: str


# ---------------------------------------------------------------------- how a formation is read
class CertificationSummary(Model):
    """A certification of the formation as the form shows it: validity and successor at a glance."""

    code: str
    principal: bool
    title: str
    active: bool
    level: str | None = None
    registration_end: date | None = None
    url: str
    successors: list[str] = Field(default_factory=list)
    known: bool = Field(default=True, description="False when the referential no longer has this code")


class ContactChoice(ContactView):
    """A contact a session may name: one of the OF's structures' (the responsible one, its head office,
    its branches)."""

    siret: str
    structure_name: str


class FieldWarning(Model):
    field: str
    message: str


class FormationSubmission(Model):
    state: Literal["none", "draft", "submitted"]
    version: int = 0
    saved_at: str | None = None
    saved_by: str | None = None
    submitted_at: str | None = None
    submitted_by: str | None = None
    comment: str | None = Field(default=None, description="La raison du dernier refus du Carif-Oref")


class FormationView(Model):
    """A formation as its responsible OF, its trainers and moderators read it."""

    ref: str
    version: int = Field(description="La version de la formation publiée (ou en création)")
    siret: str = Field(description="L'organisme responsable (le mandataire)")
    responsible_name: str
    status: Status
    status_label: str
    title: str = Field(description="L'intitulé publié, ou celui du brouillon d'une formation en création")
    published: FormationDraft | None = Field(
        description="La version publiée ; null tant qu'elle n'a jamais été publiée"
    )
    draft: FormationDraft | None = None
    submission: FormationSubmission
    can_edit: bool = Field(description="L'appelant est du mandataire : il peut demander une modification")
    session_contacts: list[ContactChoice] = Field(
        default_factory=list,
        description="Les contacts que ses sessions peuvent nommer (organisme responsable, siège, antennes) ; "
        "pour le mandataire et les modérateurs",
    )
    certifications: list[CertificationSummary] = Field(
        description="Les certifications du brouillon (sinon de la version publiée), puis celles de la seule "
        "version publiée"
    )
    formacodes: list[str] = Field(default_factory=list)
    nsf: list[str] = Field(default_factory=list)
    romes: list[str] = Field(default_factory=list)
    warnings: list[FieldWarning] = Field(
        default_factory=list, description="Les recommandations du guide non suivies (non bloquantes)"
    )
    sessions: list[SessionView]
    broken_links: list[LinkFinding] = Field(
        default_factory=list, description="Ses pages web (formation, sessions) en erreur à la dernière vérification"
    )
    # the published fields, at the top level as before the workflow (the *Formations de l'OF* tab reads them)
    objective: str | None = None
    content: str | None = None


class SimilarFormation(Model):
    ref: str
    title: str
    reason: str


class FormationDraftSave(Model):
    version: int = Field(ge=0, description="0 ouvre le brouillon (Demande de modification) ; sinon celle du brouillon")
    data: FormationDraft
