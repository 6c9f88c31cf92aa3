"""The DGEFP's *liste publique des organismes de formation* (open data): its lines, read as they come.

The file is a CSV of about 100,000 lines: `;`-separated, strings quoted (a quoted field may hold a `;`),
booleans `true`/`false`, dates `dd/mm/yyyy`, sometimes a UTF-8 byte order mark. It is read as a stream
(`text_lines` over byte chunks, `parse` over text lines): nothing holds the whole file in memory.

Each line is checked on its own with the rules the rest of OFeli uses (`ofeli.domain.identifiers`): a
bad line is rejected with its line number and a French reason, the others are imported. Known quirks:
- `siretEtablissementDeclarant` holds a whole SIRET in some versions and only the NIC (the 5 digits to
  append to the SIREN) in others; both are read, and the SIRET so made must pass the SIRET rule. A NIC
  shortened by a spreadsheet (`12` for `00012`) gets its leading zeros back.
- `numerosDeclarationActivitePrecedent` lists the organisation's earlier NDAs (several are separated by
  commas, semicolons, slashes or spaces): those are no longer valid (*caducs*). A malformed earlier NDA
  is left out rather than losing the organisation's line: the current NDA is what the line is about.
- An organisation abroad (`organismeEtrangerRepresente.*`) may have neither SIREN nor SIRET.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Literal

from pydantic import Field

from ofeli.domain.identifiers import compact, nda_error, siret_error
from ofeli.domain.model import Model
from ofeli.domain.text import line_error

SOURCE = "Liste publique des OF (DGEFP)"
QUALIOPI = "Qualiopi"
# The four certified categories, in the order of the file's columns, as the *Qualité* tab names them.
CATEGORIES: dict[str, str] = {
    "certifications.actionsDeFormation": "Actions de formation",
    "certifications.bilansDeCompetences": "Bilans de compétences",
    "certifications.VAE": "VAE",
    "certifications.actionsDeFormationParApprentissage": "Actions de formation par apprentissage",
}
REQUIRED_COLUMNS = (
    "numeroDeclarationActivite",
    "denomination",
    "siren",
    "siretEtablissementDeclarant",
    *CATEGORIES,
)
_ADDRESS = "adressePhysiqueOrganismeFormation."
_FOREIGN = "organismeEtrangerRepresente."
_DECLARED = "informationsDeclarees."
_SEPARATORS = re.compile(r"[\s,;/|]+")
_DIGITS = re.compile(r"[0-9]+")
_FRENCH_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
MAX_TEXT = 500


class ListFormatError(Exception):
    """The file is not the list at all (not UTF-8, columns missing): nothing of it can be imported."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LineError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class OrganisationAddress(Model):
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    region_code: str | None = None


class Speciality(Model):
    code: str
    label: str | None = None


class Certifications(Model):
    """The Qualiopi certification of the organisation, by category (the four booleans of the list)."""

    training_actions: bool = False
    skills_assessments: bool = False
    vae: bool = False
    apprenticeship: bool = False


class TrainingOrganisation(Model):
    """One line of the list: an organisation, known by its NDA."""

    nda: str
    previous_ndas: list[str] = Field(default_factory=list)
    name: str
    siren: str | None = None
    siret: str | None = None
    address: OrganisationAddress | None = None
    certifications: Certifications
    foreign_organisation: dict[str, str] | None = None
    last_declaration: date | None = None
    fiscal_year_start: date | None = None
    fiscal_year_end: date | None = None
    specialities: list[Speciality] = Field(default_factory=list)
    trainees: int | None = None
    trainees_from_other_organisations: int | None = None
    trainers: int | None = None

    def qualiopi_categories(self) -> list[str]:
        """The certified categories as the *Qualité* tab names them, in the list's order."""
        flags = self.certifications
        values = [flags.training_actions, flags.skills_assessments, flags.vae, flags.apprenticeship]
        return [label for label, on in zip(CATEGORIES.values(), values, strict=True) if on]

    def content_hash(self) -> str:
        """A digest of what the line says: an unchanged line on re-import has the same one (no write)."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


class RejectedLine(Model):
    line: int
    message: str


NationalStatus = Literal["match", "other_organisation", "unknown", "lapsed"]


class NationalMatch(Model):
    """What the national list says of a (SIRET, NDA) pair, for the moderator deciding a request."""

    status: NationalStatus = Field(
        description="match : le NDA est celui de cet organisme ; other_organisation : le NDA est celui d'un "
        "autre organisme ; unknown : NDA absent de la liste ; lapsed : NDA caduc (remplacé)"
    )
    name: str | None = Field(default=None, description="La dénomination que donne la liste")
    nda: str | None = Field(default=None, description="Le NDA que la liste donne à ce SIRET, quand il diffère")
    message: str = Field(description="La même chose, en une phrase")
    list_date: date | None = Field(default=None, description="La date de la liste consultée")


def lapsed_hash(nda: str, successor: TrainingOrganisation) -> str:
    """A digest of what the list says of a lapsed NDA (who replaced it): unchanged, it is not written."""
    canonical = json.dumps([nda, successor.nda, successor.name, successor.siren], ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# ---------------------------------------------------------------------- reading the file
def text_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """UTF-8 text lines (with their line ending, as `csv` wants them) from byte chunks of any size.

    A byte order mark at the start is dropped; bytes that are not UTF-8 are a ListFormatError (a list
    saved in another encoding would give wrong names silently otherwise)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    pending = ""
    line = 1
    try:
        for chunk in chunks:
            pending += decoder.decode(chunk)
            if "\n" not in pending:
                continue
            *complete, pending = pending.split("\n")
            for text in complete:
                yield text + "\n"
                line += 1
        pending += decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise ListFormatError(
            f"Le fichier n'est pas encodé en UTF-8 (vers la ligne {line}) : enregistrez-le en UTF-8 "
            "(c'est l'encodage de la liste publiée), puis déposez-le à nouveau."
        ) from error
    if pending:
        yield pending


def parse(lines: Iterable[str]) -> Iterator[tuple[int, TrainingOrganisation | RejectedLine]]:
    """(line number, organisation or rejection) for each data line, in the file's order.

    Line numbers are those a spreadsheet shows (the header is line 1); a quoted field spanning several
    lines counts them all, and its record has the number of its first line."""
    reader = csv.reader(lines, delimiter=";", quotechar='"', strict=False)
    try:
        header = next(reader)
    except StopIteration:
        raise ListFormatError("Le fichier est vide : déposez la liste publique des organismes de formation.") from None
    except csv.Error as error:
        raise ListFormatError(f"La première ligne du fichier n'est pas lisible ({error}).") from error
    columns = [name.strip() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ListFormatError(
            "Ce fichier n'est pas la liste publique des organismes de formation : il y manque les colonnes "
            + ", ".join(missing)
            + " (séparateur attendu : point-virgule)."
        )
    previous_end = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            start, previous_end = previous_end + 1, reader.line_num
            yield start, RejectedLine(line=start, message=f"Ligne illisible ({error}).")
            continue
        start, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            message = (
                f"La ligne a {len(row)} colonnes au lieu de {len(columns)} : un point-virgule "
                "en trop ou une valeur mal entourée de guillemets ?"
            )
            yield start, RejectedLine(line=start, message=message)
            continue
        try:
            yield start, organisation(dict(zip(columns, row, strict=True)))
        except LineError as error:
            yield start, RejectedLine(line=start, message=error.message)


# ---------------------------------------------------------------------- one line
def organisation(cells: dict[str, str]) -> TrainingOrganisation:
    """The organisation of one line (cells by column name); LineError says why the line is refused."""
    nda = compact(_text(cells, "numeroDeclarationActivite") or "")
    if error := nda_error(nda):
        raise LineError(f"numeroDeclarationActivite : {error}")
    name = _text(cells, "denomination")
    if not name:
        raise LineError("denomination : la dénomination de l'organisme est vide.")
    siren, siret = _siren_siret(cells)
    previous = [n for n in dict.fromkeys(_SEPARATORS.split(compact_keep_separators(cells))) if n and n != nda]
    address = OrganisationAddress(
        street=_text(cells, _ADDRESS + "voie"),
        postal_code=_text(cells, _ADDRESS + "codePostal"),
        city=_text(cells, _ADDRESS + "ville"),
        region_code=_text(cells, _ADDRESS + "codeRegion"),
    )
    foreign = {
        column[len(_FOREIGN) :]: value
        for column in cells
        if column.startswith(_FOREIGN) and (value := _text(cells, column))
    }
    specialities = []
    for i in (1, 2, 3):
        code = _text(cells, f"{_DECLARED}specialitesDeFormation.codeSpecialite{i}")
        if code:
            label = _text(cells, f"{_DECLARED}specialitesDeFormation.libelleSpecialite{i}")
            specialities.append(Speciality(code=code, label=label))
    return TrainingOrganisation(
        nda=nda,
        previous_ndas=[n for n in previous if nda_error(n) is None],
        name=name,
        siren=siren,
        siret=siret,
        address=address if address.model_dump(exclude_none=True) else None,
        certifications=Certifications(
            training_actions=_boolean(cells, "certifications.actionsDeFormation"),
            skills_assessments=_boolean(cells, "certifications.bilansDeCompetences"),
            vae=_boolean(cells, "certifications.VAE"),
            apprenticeship=_boolean(cells, "certifications.actionsDeFormationParApprentissage"),
        ),
        foreign_organisation=foreign or None,
        last_declaration=_date(cells, _DECLARED + "dateDerniereDeclaration"),
        fiscal_year_start=_date(cells, _DECLARED + "debutExercice"),
        fiscal_year_end=_date(cells, _DECLARED + "finExercice"),
        specialities=specialities,
        trainees=_number(cells, _DECLARED + "nbStagiaires"),
        trainees_from_other_organisations=_number(cells, _DECLARED + "nbStagiairesConfiesParUnAutreOF"),
        trainers=_number(cells, _DECLARED + "effectifFormateurs"),
    )


def compact_keep_separators(cells: dict[str, str]) -> str:
    """The earlier NDAs' cell with the dots and dashes people put in numbers removed, separators kept."""
    return re.sub(r"[.\-]", "", cells.get("numerosDeclarationActivitePrecedent") or "").strip()


def _text(cells: dict[str, str], column: str) -> str | None:
    value = " ".join((cells.get(column) or "").split())
    if not value:
        return None
    if error := line_error(value):
        raise LineError(f"{column} : {error}")
    if len(value) > MAX_TEXT:
        raise LineError(f"{column} : la valeur dépasse {MAX_TEXT} caractères.")
    return value


def _siren_siret(cells: dict[str, str]) -> tuple[str | None, str | None]:
    siren = compact(cells.get("siren") or "")
    declared = compact(cells.get("siretEtablissementDeclarant") or "")
    if not siren and not declared:
        if any((cells.get(c) or "").strip() for c in cells if c.startswith(_FOREIGN)):
            return None, None  # an organisation abroad, represented in France: no SIRET
        raise LineError("siren : le SIREN est vide (seul un organisme étranger représenté peut ne pas en avoir).")
    if siren and (len(siren) != 9 or not _DIGITS.fullmatch(siren)):
        raise LineError(f"siren : « {siren} » n'est pas un SIREN (9 chiffres).")
    if not declared:
        raise LineError("siretEtablissementDeclarant : le SIRET (ou le NIC) de l'établissement déclarant est vide.")
    if not _DIGITS.fullmatch(declared):
        raise LineError(f"siretEtablissementDeclarant : « {declared} » ne contient pas que des chiffres.")
    if len(declared) <= 5:  # the NIC alone, to append to the SIREN
        if not siren:
            raise LineError("siretEtablissementDeclarant : un NIC seul demande le SIREN, qui est vide.")
        siret = siren + declared.zfill(5)
    else:
        siret = declared
        if siren and siret[:9] != siren:
            raise LineError(f"siretEtablissementDeclarant : le SIRET {siret} ne commence pas par le SIREN {siren}.")
    if error := siret_error(siret):
        raise LineError(f"siretEtablissementDeclarant : {error} (SIRET lu : {siret})")
    return siret[:9], siret


def _boolean(cells: dict[str, str], column: str) -> bool:
    value = (cells.get(column) or "").strip().lower()
    if value in {"true", "vrai", "1", "oui"}:
        return True
    if value in {"false", "faux", "0", "non", ""}:
        return False
    raise LineError(f"{column} : « {value} » n'est ni true ni false.")


def _date(cells: dict[str, str], column: str) -> date | None:
    value = (cells.get(column) or "").strip()
    if not value:
        return None
    french, iso = _FRENCH_DATE.fullmatch(value), _ISO_DATE.fullmatch(value)
    try:
        if french:
            return date(int(french[3]), int(french[2]), int(french[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        pass
    raise LineError(f"{column} : « {value} » n'est pas une date au format jj/mm/aaaa.")


def _number(cells: dict[str, str], column: str) -> int | None:
    value = compact(cells.get(column) or "")
    if not value:
        return None
    if not _DIGITS.fullmatch(value) or len(value) > 9:
        raise LineError(f"{column} : « {value} » n'est pas un nombre entier.")
    return int(value)


# ---------------------------------------------------------------------- the national check of a request
def national_match(
    siret: str,
    nda: str,
    by_nda: dict[str, object] | None,
    lapsed: dict[str, object] | None,
    by_siret: list[dict[str, object]],
) -> NationalMatch:
    """Whether (SIRET, NDA) agree with the list: `by_nda` is the list's organisation of that NDA, `lapsed`
    the record saying the NDA was replaced, `by_siret` the list's organisations declared by that SIRET.

    The NDA belongs to a company, not to one establishment: a branch (same SIREN as the declaring
    establishment) asking with its head office's NDA is a match."""
    if by_nda is not None:
        name = str(by_nda.get("name") or "")
        if str(by_nda.get("siren") or "") == siret[:9]:
            return NationalMatch(status="match", name=name, message=f"NDA conforme à la liste publique : {name}.")
        return NationalMatch(
            status="other_organisation",
            name=name,
            message=f"Ce NDA est celui d'un autre organisme dans la liste publique : {name} "
            f"(SIRET {by_nda.get('siret') or 'non renseigné'}).",
        )
    if lapsed is not None:
        name = str(lapsed.get("name") or "")
        replaced_by = str(lapsed.get("replaced_by") or "")
        return NationalMatch(
            status="lapsed",
            name=name or None,
            nda=replaced_by or None,
            message=f"Ce NDA est caduc : {name} déclare désormais le NDA {replaced_by}.",
        )
    listed = by_siret[0] if by_siret else None
    if listed is not None:
        return NationalMatch(
            status="unknown",
            name=str(listed.get("name") or "") or None,
            nda=str(listed.get("nda") or "") or None,
            message=f"Ce NDA n'est pas dans la liste publique ; elle donne à ce SIRET le NDA {listed.get('nda')} "
            f"({listed.get('name')}).",
        )
    return NationalMatch(status="unknown", message="Ni ce NDA ni ce SIRET ne sont dans la liste publique des OF.")
