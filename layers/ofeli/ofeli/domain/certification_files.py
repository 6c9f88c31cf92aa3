"""France Compétences' certification repertories (RNCP and RS, open data): the two official files, read
into `Certification` models as they come.

Two formats, told apart by their content (`file_format`), read by `read`:

- **The CSV export** `export-fiches-csv-YYYY-MM-DD.zip`: a zip of `;`-separated, quoted, UTF-8 (with a
  byte order mark) CSV files `export_fiches_CSV_<Part>_YYYY_MM_DD.csv`, linked by `Numero_Fiche`. The
  `Standard` part has one line per fiche; the others (`Blocs_De_Compétences`, `Nsf`, `Formacode`, `Rome`,
  `Certificateurs`, `Partenaires`, `Ancienne_Nouvelle_Certification`, `CCN`, `VoixdAccès`) have one line
  per fiche and item. The side parts are read first into compact per-fiche tuples of interned strings
  (`Partenaires` has hundreds of thousands of lines), then the `Standard` part is streamed: one fiche
  in memory at a time, plus those tuples.
- **The XML export** `export_fiches_RNCP_V4_1_*.xml` / `export_fiches_RS_V4_1_*.xml` (hundreds of MB): a
  `FICHES` root holding `FICHE` elements. It is streamed with `lxml.etree.iterparse`, each fiche cleared
  once read, so memory stays flat; entities are never expanded and nothing is fetched from the network.
  Before that, a quick scan of its bytes collects the links between old and new fiches (a fiche may name
  its successor while the successor does not name it back, or the reverse) and refuses a file cut short.

Both formats give the same `Certification` for what both carry. Replacement links are made symmetric:
a fiche naming a new one fills the new one's `predecessors`, a fiche naming an old one fills the old
one's `successors`, whichever side of the link the file states.

A bad fiche never stops the reading: it is a `RejectedEntry` with its line (the line of the `Standard`
CSV where its record starts, the header being line 1; or the line of its `<FICHE>` tag) and a French
reason naming the fiche. A fiche is rejected when its number is missing or is not an RNCP/RS code, when
its title is missing, when its active flag is neither ACTIVE/INACTIVE (Oui/Non in XML), and when its
number was already read (*fiche en double*: the later one is rejected). A file that cannot be read at all
is a `FileFormatError` whose message is a French sentence for the moderator: `read` raises it when
called (not a zip nor XML, no `Standard` part, a required column missing, an XML root other than
`FICHES`), or before the first fiche (bytes that are not UTF-8 in a side part, an XML file cut short),
or, for an XML file malformed in its middle, where the fault is (the fiches before it were given).

An import that goes on after an earlier run passes `skip`, the number of entries already handled: they
are read (a later double is still told) but not built, which costs a fraction of building them.

Known quirks of the files, each handled:
- dates are `dd/mm/yyyy` (ISO `yyyy-mm-dd` is accepted); an empty or impossible optional date is
  dropped (None), it does not cost the fiche;
- SIRETs come preceded by tabs and spaces: those are removed, and a SIRET that is not then 14 digits is
  dropped (None);
- apostrophes come doubled (`l''entreprise`, SQL escaping leaking out): they are made single again;
- zip member names hold accents (`Blocs_De_Compétences`, `VoixdAccès`) in UTF-8 without the zip's UTF-8
  flag, so Python decodes them as cp437: they are recovered, and members are recognised by their part
  whatever their date suffix (or none);
- byte order marks, quoted fields holding `;` and line breaks, empty lines;
- column names are matched without regard to case, accents and underscores, and the few known variants
  of each are accepted (`Codes_Rome_Code` or `Rome_Code`, `Nsf_Intitule` or `Nsf_Libelle`…);
- NSF labels that repeat their code (`335 : Animation sportive…`) lose the repetition;
- the long texts of the XML (objectives, activities, capacities) hold HTML as text: it becomes plain
  text with its paragraph breaks, entities unescaped;
- control characters are removed from every text (official data, not worth a fiche).

The routes of access (*voies d'accès*) are given as `ACCESS_ROUTES` labels, whichever way the file spells
them (`Si_Jury` labels in the CSV, `SI_JURY_CA`… flags in the XML).
"""

from __future__ import annotations

import csv
import functools
import html
import io
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal

from lxml import etree
from pydantic import ValidationError

from ofeli.domain.certifications import (
    CODE,
    Certification,
    Certifier,
    CodeLabel,
    CompetenceBlock,
    Partner,
    normalise_code,
)
from ofeli.domain.imports import RejectedEntry

Format = Literal["csv-zip", "xml"]

NOT_A_REPERTORY = (
    "Ce fichier n'est ni un export CSV (zip) ni un export XML des fiches de France Compétences : déposez "
    "l'archive export-fiches-csv-AAAA-MM-JJ.zip ou le fichier export_fiches_RNCP_V4_1_….xml (ou RS) tel que "
    "publié sur data.gouv.fr."
)

# The routes of access to a certification, as France Compétences names them, in the order of its fiches.
ACCESS_ROUTES: dict[str, str] = {
    "FI": "Après un parcours de formation sous statut d'élève ou d'étudiant",
    "CA": "En contrat d'apprentissage",
    "FC": "Après un parcours de formation continue",
    "CQ": "En contrat de professionnalisation",
    "CL": "Par candidature individuelle",
    "VAE": "Par expérience (VAE)",
}
APPRENTICESHIP = ACCESS_ROUTES["CA"]

_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_UTF8_NAME_FLAG = 0x800
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_FRENCH_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ].*)?")
_LEVEL = re.compile(r"(?:NIV|NIVEAU)?\s*([1-8])")
_CODES_IN_TEXT = re.compile(r"\b(RNCP|RS)\s*[-_]?\s*([0-9]{1,6})\b", re.IGNORECASE)
_NATURAL = re.compile(r"([0-9]+)")


class FileFormatError(Exception):
    """The file cannot be read at all; `str(error)` (and `message`) says why, in French, for the moderator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _FicheError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ====================================================================== the interface
def file_format(path: Path) -> Format:
    """`csv-zip` or `xml`, from the first bytes of the file (never its name); FileFormatError otherwise."""
    try:
        with open(path, "rb") as file:
            head = file.read(2048)
    except OSError as error:
        raise FileFormatError(f"Le fichier déposé ne peut pas être lu ({error.strerror}).") from error
    if not head:
        raise FileFormatError("Le fichier déposé est vide. " + NOT_A_REPERTORY)
    if head.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)):
        return "csv-zip"
    if _looks_like_xml(head):
        return "xml"
    if b"Numero_Fiche" in head:
        raise FileFormatError(
            "Ce fichier est un seul fichier CSV de l'export de France Compétences : déposez l'archive zip "
            "entière (export-fiches-csv-AAAA-MM-JJ.zip), qui réunit les fiches et leurs blocs, certificateurs, "
            "partenaires…"
        )
    raise FileFormatError(NOT_A_REPERTORY)


def read(path: Path, skip: int = 0) -> Iterator[Certification | RejectedEntry]:
    """The fiches of the file, in its order: a Certification, or a RejectedEntry for a fiche refused.

    The file's format, its parts and its columns are checked when `read` is called (FileFormatError); the
    fiches are then read as they are iterated.

    `skip`: how many entries (fiches and refused ones alike) an earlier run already handled. They are
    still read, so that a later double is still told, but they are neither built nor given: the first
    entry given is entry `skip + 1`, and going on after an earlier run costs little more than reading."""
    if file_format(path) == "csv-zip":
        return _csv_zip(path, _zip_layout(path), skip)
    _check_xml_root(path)
    return _xml(path, skip)


def plain_text(value: str | None) -> str | None:
    """HTML given as text (`<p>Préparer&nbsp;…</p><ul><li>…</li></ul>`) as plain text: paragraphs
    separated by a blank line, list items on their own line starting with `- `, entities unescaped;
    a text without markup keeps its line breaks. None when nothing is left."""
    if not value:
        return None
    text = value
    if "<" in text:
        text = _HIDDEN_MARKUP.sub("", text)
        text = _BLOCK_TAG.sub("\n\n", text)
        text = _BREAK_TAG.sub("\n", text)
        text = _ITEM_TAG.sub("\n- ", text)
        text = _CELL_TAG.sub(" ", text)
        text = _ANY_TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    lines = [" ".join(line.split()) for line in text.replace("\xa0", " ").split("\n")]
    return _clean_long(_BLANK_LINES.sub("\n\n", "\n".join(lines)))


# Tags, with their attributes (bounded, so that a stray `<` costs no quadratic scan).
_ATTRIBUTES = r"\b[^<>]{0,2000}>"
_HIDDEN_MARKUP = re.compile(r"<!--.*?(?:-->|$)|<(script|style)\b.*?(?:</\1\s*>|$)", re.DOTALL | re.IGNORECASE)
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(?:p|div|section|article|ul|ol|table|tr|h[1-6]|blockquote|pre|dl|dt|dd)" + _ATTRIBUTES, re.IGNORECASE
)
_BREAK_TAG = re.compile(r"<\s*br" + _ATTRIBUTES, re.IGNORECASE)
_ITEM_TAG = re.compile(r"<\s*li" + _ATTRIBUTES, re.IGNORECASE)  # a closing </li> is just removed
_CELL_TAG = re.compile(r"<\s*/?\s*t[dh]" + _ATTRIBUTES, re.IGNORECASE)
_ANY_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*" + _ATTRIBUTES)
_BLANK_LINES = re.compile(r"\n{3,}")


# ====================================================================== cleaning values
def _clean_line(value: str | None) -> str | None:
    """A one-line text: control characters out, doubled apostrophes made single, spaces collapsed."""
    if not value:
        return None
    if value.isprintable() and "  " not in value and "''" not in value and "’’" not in value:
        text = value.strip()  # the common case, without a regular expression
    else:
        text = " ".join(_CONTROL.sub(" ", value).split()).replace("''", "'").replace("’’", "’")
    return text or None


def _clean_long(value: str | None) -> str | None:
    if not value:
        return None
    text = _CONTROL.sub("", value).replace("''", "'").replace("’’", "’").strip()
    return text or None


def _siret(value: str | None) -> str | None:
    """`\\t\\t 443 061 841 00047` → `44306184100047`; None when it is not 14 digits."""
    if not value:
        return None
    digits = "".join(value.split()).replace(".", "").replace("-", "") if len(value) != 14 else value
    return digits if len(digits) == 14 and digits.isascii() and digits.isdigit() else None


def _date(value: str | None) -> date | None:
    """`31/12/2030` (or `2030-12-31`) → a date; None when empty or not a date (an optional date is dropped)."""
    text = (value or "").strip()
    if not text:
        return None
    french, iso = _FRENCH_DATE.fullmatch(text), _ISO_DATE.fullmatch(text)
    try:
        if french:
            return date(int(french[3]), int(french[2]), int(french[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        return None
    return None


def _level(value: str | None) -> str | None:
    """`NIV3`, `niv 3`, `Niveau 3` → `NIV3`; None otherwise."""
    match = _LEVEL.fullmatch((value or "").strip().upper())
    return f"NIV{match[1]}" if match else None


def _yes_no(value: str | None) -> bool | None:
    text = _fold(value or "")
    if text in {"oui", "true", "vrai", "1", "o", "yes"}:
        return True
    if text in {"non", "false", "faux", "0", "n", "no"}:
        return False
    return None


def _active(value: str | None, code: str) -> bool:
    text = _fold(value or "")
    if text in {"active", "actif", "oui", "true", "1"}:
        return True
    if text in {"inactive", "inactif", "non", "false", "0"}:
        return False
    shown = _clean_line(value)
    if shown is None:
        raise _FicheError(f"Fiche {code} : son état (actif ou non) n'est pas renseigné.")
    raise _FicheError(f"Fiche {code} : son état « {shown} » n'est ni ACTIVE ni INACTIVE (Oui ou Non en XML).")


def _fold(value: str) -> str:
    """Lower case, accents and everything but letters and digits removed: `Blocs_De_Compétences` →
    `blocsdecompetences`, `En contrat d’apprentissage` → `encontratdapprentissage`."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower()


def _label_without_code(code: str, label: str | None) -> str | None:
    """`335 : Animation sportive` (the NSF labels of the CSV repeat their code) → `Animation sportive`."""
    if label is None:
        return None
    stripped = re.sub(rf"^{re.escape(code)}\s*[:\-–]\s*", "", label, flags=re.IGNORECASE)
    return stripped or label


def _code_label(code: str | None, label: str | None, *, upper: bool = False) -> CodeLabel | None:
    clean = _clean_line(code)
    if clean is None:
        return None
    clean = clean.upper() if upper else clean
    return CodeLabel(code=clean, label=_label_without_code(clean, _clean_line(label)))


def _codes_in(text: str | None) -> list[str]:
    """Every RNCP/RS code of a text (`RNCP123, RNCP 456`), normalised."""
    found = []
    for repertory, number in _CODES_IN_TEXT.findall(text or ""):
        code = normalise_code(f"{repertory}{number}")
        if code is not None:
            found.append(code)
    return found


_ROUTE_KEYS: dict[str, str] = {_fold(label): key for key, label in ACCESS_ROUTES.items()} | {
    "fi": "FI",
    "sijuryfi": "FI",
    "eleve": "FI",
    "formationinitiale": "FI",
    "apresunparcoursdeformationsousstatutdeleveoudetudiant": "FI",
    "ca": "CA",
    "sijuryca": "CA",
    "contrata": "CA",
    "apprentissage": "CA",
    "encontratdapprentissage": "CA",
    "fc": "FC",
    "sijuryfc": "FC",
    "formationcontinue": "FC",
    "apresunparcoursdeformationcontinue": "FC",
    "cq": "CQ",
    "sijurycq": "CQ",
    "contratp": "CQ",
    "contratdeprofessionnalisation": "CQ",
    "encontratdeprofessionnalisation": "CQ",
    "cl": "CL",
    "sijurycl": "CL",
    "candidature": "CL",
    "candidatureindividuelle": "CL",
    "parcandidatureindividuelle": "CL",
    "vae": "VAE",
    "sijuryvae": "VAE",
    "experience": "VAE",
    "parexperience": "VAE",
    "validationdesacquisdelexperience": "VAE",
    "parexperiencevae": "VAE",
}


@functools.lru_cache(maxsize=512)
def _access_route(value: str | None) -> str | None:
    """A route of access as ACCESS_ROUTES names it; an unknown route keeps the file's words."""
    label = _clean_line(value)
    if label is None:
        return None
    key = _ROUTE_KEYS.get(_fold(label))
    return ACCESS_ROUTES[key] if key else label


_ROUTE_ORDER = {label: position for position, label in enumerate(ACCESS_ROUTES.values())}


def _ordered_routes(routes: Iterable[str]) -> list[str]:
    unique = list(dict.fromkeys(routes))
    return sorted(unique, key=lambda r: _ROUTE_ORDER.get(r, len(_ROUTE_ORDER)))


def _natural(code: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in _NATURAL.split(code)]


def _sorted_codes(codes: Iterable[str]) -> list[str]:
    def key(code: str) -> tuple[str, int]:
        match = CODE.match(code)
        return (match[1], int(match[2])) if match else (code, 0)

    return sorted(set(codes), key=key)


def _unique(items: Iterable[Any], key: Callable[[Any], Any]) -> list[Any]:
    seen: set[Any] = set()
    kept = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            kept.append(item)
    return kept


def _intern(value: str | None) -> str | None:
    return sys.intern(value) if value is not None else None


# ====================================================================== one fiche, whatever its format
@dataclass
class _Fiche:
    """What a file says of one fiche, as written: `_checked` says whether it is refused, `_certification`
    cleans it into a Certification."""

    number: str | None
    title: str | None
    active: str | None
    level: str | None = None
    level_label: str | None = None
    abbreviation_code: str | None = None
    abbreviation_label: str | None = None
    registration_type: str | None = None
    partial_validation: str | None = None
    registration_end: str | None = None
    decision_date: str | None = None
    effective_date: str | None = None
    last_jo_date: str | None = None
    first_exam_session: str | None = None
    certifinfo: str | None = None
    objectives: str | None = None
    activities: str | None = None
    capacities: str | None = None


def _code_of(fiche: _Fiche) -> str:
    raw = _clean_line(fiche.number)
    if raw is None:
        label = f" (« {title} »)" if (title := _clean_line(fiche.title)) else ""
        raise _FicheError(f"Fiche sans numéro{label} : son numéro de fiche est vide.")
    code = normalise_code(raw)
    if code is None:
        raise _FicheError(
            f"Fiche « {raw} » : ce numéro n'est pas un numéro de fiche RNCP ou RS (exemples : RNCP35000, RS5678)."
        )
    return code


def _checked(fiche: _Fiche, duplicates: _Duplicates) -> str:
    """The fiche's code, once what refuses a fiche is checked: its number, a double, its title, its state."""
    code = _code_of(fiche)
    duplicates.check(code)
    if _clean_line(fiche.title) is None:
        raise _FicheError(f"Fiche {code} : son intitulé est vide.")
    _active(fiche.active, code)
    return code


def _certification(fiche: _Fiche, code: str, **parts: Any) -> Certification:
    """The Certification of a checked fiche (see `_checked`); _FicheError if a value has not its form."""
    try:
        return _build(fiche, code, **parts)
    except ValidationError as error:
        where = ".".join(str(part) for part in error.errors()[0]["loc"]) if error.errors() else "?"
        raise _FicheError(f"Fiche {code} : la valeur de « {where} » n'a pas la forme attendue.") from error


def _build(
    fiche: _Fiche,
    code: str,
    *,
    blocks: Iterable[tuple[str | None, str | None]],
    nsf: Iterable[tuple[str | None, str | None]],
    formacodes: Iterable[tuple[str | None, str | None]],
    romes: Iterable[tuple[str | None, str | None]],
    certifiers: Iterable[tuple[str | None, str | None]],
    partners: Iterable[tuple[str | None, str | None, str | None]],
    ccn: Iterable[tuple[str | None, str | None]],
    routes: Iterable[str | None],
    successors: Iterable[str],
    predecessors: Iterable[str],
) -> Certification:
    title = _clean_line(fiche.title) or code  # not empty: checked
    active = _active(fiche.active, code)
    match = CODE.match(code)
    assert match is not None  # `code` comes from normalise_code
    certifier_list = []
    for siret, name in certifiers:
        siret, name = _siret(siret), _clean_line(name)
        if shown := name or siret:  # a certifier known by its SIRET alone is still one
            certifier_list.append(Certifier(siret=siret, name=shown))
    partner_list = []
    for name, siret, habilitation in partners:
        siret, name = _siret(siret), _clean_line(name)
        if shown := name or siret:
            partner_list.append(Partner(siret=siret, name=shown, habilitation=_clean_line(habilitation)))
    block_list = []
    for block_code, block_title in blocks:
        clean_code = _clean_line(block_code)
        if clean_code:
            clean_code = clean_code.replace(" ", "").upper()
            block_list.append(CompetenceBlock(code=clean_code, title=_clean_line(block_title) or clean_code))
    return Certification(
        code=code,
        repertory="RNCP" if match[1] == "RNCP" else "RS",
        number=int(match[2]),
        title=title,
        active=active,
        level=_level(fiche.level),
        level_label=_clean_line(fiche.level_label),
        abbreviation_code=_clean_line(fiche.abbreviation_code),
        abbreviation_label=_clean_line(fiche.abbreviation_label),
        registration_type=_clean_line(fiche.registration_type),
        partial_validation=_yes_no(fiche.partial_validation),
        registration_end=_date(fiche.registration_end),
        decision_date=_date(fiche.decision_date),
        effective_date=_date(fiche.effective_date),
        last_jo_date=_date(fiche.last_jo_date),
        first_exam_session=_date(fiche.first_exam_session),
        blocks=sorted(_unique(block_list, lambda b: b.code), key=lambda b: _natural(b.code)),
        nsf=_code_labels(nsf),
        formacodes=_code_labels(formacodes),
        romes=_code_labels(romes, upper=True),  # ROME codes are upper case: `m1607` is M1607
        certifiers=_unique(certifier_list, lambda c: (c.siret, c.name)),
        partners=_unique(partner_list, lambda p: (p.siret, p.name, p.habilitation)),
        successors=_sorted_codes(c for c in successors if c != code),
        predecessors=_sorted_codes(c for c in predecessors if c != code),
        ccn=_code_labels(ccn),
        access_routes=_ordered_routes(r for route in routes if (r := _access_route(route))),
        certifinfo=_clean_line(fiche.certifinfo),
        objectives=fiche.objectives,
        activities=fiche.activities,
        capacities=fiche.capacities,
    )


def _code_labels(pairs: Iterable[tuple[str | None, str | None]], *, upper: bool = False) -> list[CodeLabel]:
    items = [item for code, label in pairs if (item := _code_label(code, label, upper=upper)) is not None]
    return _unique(items, lambda c: c.code)


class _Links:
    """Replacement links between fiches, both ways: `successors[old]` and `predecessors[new]`."""

    def __init__(self) -> None:
        self.successors: dict[str, list[str]] = {}
        self.predecessors: dict[str, list[str]] = {}

    def add(self, old: str | None, new: str | None) -> None:
        if old is None or new is None or old == new:
            return
        old, new = sys.intern(old), sys.intern(new)
        self.successors.setdefault(old, []).append(new)
        self.predecessors.setdefault(new, []).append(old)


class _Duplicates:
    """The fiches already given, by code: a fiche refused for its data does not make a later one a double."""

    def __init__(self) -> None:
        self.first_line: dict[str, int] = {}

    def check(self, code: str) -> None:
        if (first := self.first_line.get(code)) is not None:
            raise _FicheError(
                f"Fiche {code} en double : elle a déjà été lue ligne {first} ; cette fiche-ci est ignorée."
            )

    def add(self, code: str, line: int) -> None:
        self.first_line[sys.intern(code)] = line


# ====================================================================== the CSV zip
# Each side part: the fields it gives, in order, each with its candidate column names (folded, see `_fold`:
# `Codes_Rome_Code` is `codesromecode`), the first one found in the header winning.
_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "blocks": (
        ("bloccompetencescode", "bloccompetencecode", "blocscompetencescode", "codebloc", "bloccode", "code"),
        (
            "bloccompetenceslibelle",
            "bloccompetencelibelle",
            "bloccompetencesintitule",
            "libellebloc",
            "bloclibelle",
            "blocintitule",
            "libelle",
            "intitule",
        ),
    ),
    "nsf": (
        ("nsfcode", "codensf", "codesnsfcode", "code"),
        ("nsfintitule", "nsflibelle", "intitulensf", "libellensf", "codesnsflibelle", "libelle", "intitule"),
    ),
    "formacodes": (
        ("formacodecode", "codeformacode", "formacodescode", "formacode", "code"),
        ("formacodelibelle", "formacodeintitule", "libelleformacode", "formacodeslibelle", "libelle", "intitule"),
    ),
    "romes": (
        ("codesromecode", "romecode", "coderome", "codesrome", "code"),
        ("codesromelibelle", "romelibelle", "romeintitule", "libellerome", "codesromeintitule", "libelle", "intitule"),
    ),
    "certifiers": (
        ("siretcertificateur", "siret"),
        ("nomcertificateur", "nom", "raisonsociale"),
    ),
    "partners": (
        ("nompartenaire", "nom", "raisonsociale"),
        ("siretpartenaire", "siret"),
        ("habilitationpartenaire", "habilitation"),
    ),
    "links": (
        ("anciennecertification", "anciennescertifications", "ancienne"),
        ("nouvellecertification", "nouvellescertifications", "nouvelle"),
    ),
    "routes": (("sijury", "voieacces", "voiedacces", "voixacces", "voixdacces", "voiesdacces", "libelle", "intitule"),),
}
# The field (by position) a side part cannot go without; the links need one of their two columns.
_REQUIRED_FIELD: dict[str, int | None] = {
    "blocks": 0,
    "nsf": 0,
    "formacodes": 0,
    "romes": 0,
    "certifiers": 1,
    "partners": 0,
    "links": None,
    "routes": 0,
}
_PART_NAMES: dict[str, str] = {
    "standard": "Standard",
    "blocks": "Blocs_De_Compétences",
    "nsf": "Nsf",
    "formacodes": "Formacode",
    "romes": "Rome",
    "certifiers": "Certificateurs",
    "partners": "Partenaires",
    "links": "Ancienne_Nouvelle_Certification",
    "ccn": "CCN",
    "routes": "VoixdAccès",
}
# The Standard part's columns: the fiche's fields, by folded column name (first found wins).
_STANDARD: dict[str, tuple[str, ...]] = {
    "number": ("numerofiche", "numero"),
    "title": ("intitule", "intitulefiche"),
    "active": ("actif", "etat"),
    "level": ("nomenclatureeuropeniveau", "niveaueurope", "niveau"),
    "level_label": ("nomenclatureeuropeintitule", "nomenclatureeuropelibelle", "niveaulibelle"),
    "abbreviation_code": ("abregelibelle", "abregecode"),
    "abbreviation_label": ("abregeintitule",),
    "registration_type": ("typeenregistrement",),
    "partial_validation": ("validationpartielle",),
    "registration_end": ("datefinenregistrement",),
    "decision_date": ("datedecision",),
    "effective_date": ("dateeffet",),
    "last_jo_date": ("datedernierjo",),
    "first_exam_session": ("datepremieresession", "datepremieresessionexamen", "premieresession"),
    "certifinfo": ("codecertifinfo", "certifinfo", "idcertifinfo"),
}
_STANDARD_REQUIRED = {"number": "Numero_Fiche", "title": "Intitule", "active": "Actif"}


@dataclass(frozen=True)
class _Member:
    name: str  # as recovered (for messages)
    info: zipfile.ZipInfo
    columns: dict[str, int]  # field → column index (Standard), or "f0", "f1"… (side parts)
    ccn_pairs: tuple[tuple[int, int | None], ...] = ()


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: without the UTF-8 flag Python decoded it as cp437; it is UTF-8 (or cp1252)."""
    name = info.filename
    if info.flag_bits & _UTF8_NAME_FLAG:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _part_of(name: str) -> str | None:
    """Which part of the export a member is, from its name: `export_fiches_CSV_Blocs_De_Compétences_2026_11_02.csv`
    → `blocks`. The date suffix may be missing or spelt with dashes; a folder is ignored."""
    base = name.rsplit("/", 1)[-1]
    if not base.lower().endswith((".csv", ".txt")):
        return None
    stem = re.sub(r"[_\-\s]*[0-9]{4}[_\-]?[0-9]{2}[_\-]?[0-9]{2}$", "", base.rsplit(".", 1)[0])
    key = _fold(stem)
    key = re.sub(r"^exportfiches(csv)?", "", key)
    prefixes = (
        ("standard", "standard"),
        ("bloc", "blocks"),
        ("nsf", "nsf"),
        ("formacode", "formacodes"),
        ("coderome", "romes"),
        ("rome", "romes"),
        ("certificateur", "certifiers"),
        ("partenaire", "partners"),
        ("anciennenouvelle", "links"),
        ("ancienne", "links"),
        ("ccn", "ccn"),
        ("conventioncollective", "ccn"),
        ("voi", "routes"),
    )
    for prefix, part in prefixes:
        if key.startswith(prefix):
            return part
    return None


def _open_text(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[str]:
    return io.TextIOWrapper(archive.open(info), encoding="utf-8-sig", newline="")


def _header(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> list[str]:
    try:
        with _open_text(archive, info) as text:
            header = next(csv.reader(text, delimiter=";", quotechar='"'), None)
    except UnicodeDecodeError as error:
        raise FileFormatError(
            f"Le fichier {name} de l'archive n'est pas encodé en UTF-8 : l'archive n'est pas celle publiée par "
            "France Compétences."
        ) from error
    except (csv.Error, zipfile.BadZipFile, OSError, EOFError) as error:
        raise FileFormatError(f"Le fichier {name} de l'archive est illisible ({error}).") from error
    if not header:
        raise FileFormatError(f"Le fichier {name} de l'archive est vide : il n'a pas même sa ligne d'en-tête.")
    return [_fold(column.replace("\ufeff", "")) for column in header]


def _find(columns: list[str], candidates: tuple[str, ...], taken: set[int]) -> int | None:
    for candidate in candidates:
        for index, column in enumerate(columns):
            if column == candidate and index not in taken:
                return index
    return None


def _zip_layout(path: Path) -> dict[str, _Member]:
    """The parts of the archive with their columns, checked: FileFormatError when it cannot be read."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise FileFormatError(
            "L'archive zip est abîmée ou incomplète (" + str(error) + ") : téléchargez-la à nouveau puis déposez-la."
        ) from error
    with archive:
        found: dict[str, tuple[str, zipfile.ZipInfo]] = {}
        xml_members = []
        for info in archive.infolist():
            name = _member_name(info)
            if info.is_dir() or "__MACOSX/" in name or name.rsplit("/", 1)[-1].startswith("._"):
                continue  # folders, and what macOS adds to an archive it makes again
            if name.lower().endswith(".xml"):
                xml_members.append(name)
            part = _part_of(name)
            if part is None:
                continue
            if part in found:
                raise FileFormatError(
                    f"L'archive contient deux fichiers {_PART_NAMES[part]} ({found[part][0]} et {name}) : "
                    "déposez l'archive telle que France Compétences la publie."
                )
            found[part] = (name, info)
        if "standard" not in found:
            if xml_members:
                raise FileFormatError(
                    f"Cette archive contient l'export XML ({xml_members[0]}) et non l'export CSV : décompressez-la "
                    "et déposez le fichier XML qu'elle contient."
                )
            raise FileFormatError(
                "Cette archive zip n'est pas l'export CSV des fiches de France Compétences : il y manque le fichier "
                "des fiches, export_fiches_CSV_Standard_AAAA_MM_JJ.csv."
            )
        return {part: _layout(archive, part, name, info) for part, (name, info) in found.items()}


def _layout(archive: zipfile.ZipFile, part: str, name: str, info: zipfile.ZipInfo) -> _Member:
    columns = _header(archive, info, name)
    number = _find(columns, ("numerofiche", "numero", "fiche"), set())
    if number is None:
        raise FileFormatError(
            f"Le fichier {name} de l'archive n'a pas de colonne Numero_Fiche (séparateur attendu : point-virgule)."
        )
    if part == "standard":
        mapping: dict[str, int] = {}
        for field, candidates in _STANDARD.items():
            index = _find(columns, candidates, set(mapping.values()))
            if index is not None:
                mapping[field] = index
        missing = [column for field, column in _STANDARD_REQUIRED.items() if field not in mapping]
        if missing:
            what = f"la colonne {missing[0]}" if len(missing) == 1 else "les colonnes " + ", ".join(missing)
            raise FileFormatError(
                f"Le fichier des fiches ({name}) n'a pas {what} : ce n'est pas l'export CSV de France Compétences."
            )
        return _Member(name, info, mapping)
    if part == "ccn":
        return _Member(name, info, {"number": number}, _ccn_pairs(columns, name))
    mapping = {"number": number}
    taken = {number}
    for position, candidates in enumerate(_FIELDS[part]):
        index = _find(columns, candidates, taken)
        if index is None and position == 0 and part in ("blocks", "nsf", "formacodes", "romes"):
            index = next((i for i, c in enumerate(columns) if i not in taken and c.endswith("code")), None)
        if index is None and part in ("blocks", "nsf", "formacodes", "romes") and position == 1:
            index = next(
                (i for i, c in enumerate(columns) if i not in taken and ("libelle" in c or "intitule" in c)), None
            )
        if index is not None:
            mapping[f"f{position}"] = index
            taken.add(index)
        elif position == _REQUIRED_FIELD[part]:
            raise FileFormatError(
                f"Le fichier {name} de l'archive n'a pas la colonne attendue ("
                + " ou ".join(candidates[:2])
                + ") : ce n'est pas l'export CSV de France Compétences."
            )
    if len(mapping) == 1:
        raise FileFormatError(
            f"Le fichier {name} de l'archive n'a ni colonne Ancienne_Certification ni colonne Nouvelle_Certification."
        )
    return _Member(name, info, mapping)


def _ccn_pairs(columns: list[str], name: str) -> tuple[tuple[int, int | None], ...]:
    """The (number, label) columns of the CCN part: `Ccn_1_Numero`/`Ccn_1_Libelle`… or one pair."""
    pairs: list[tuple[int, int | None]] = []
    for index, column in enumerate(columns):
        match = re.fullmatch(r"(?:ccn|idcc|conventioncollective)([0-9]*)(numero|code|idcc)", column)
        if match is None:
            continue
        prefix = column[: len(column) - len(match[2])]
        label = next((i for i, c in enumerate(columns) if c in (prefix + "libelle", prefix + "intitule")), None)
        pairs.append((index, label))
    if not pairs:
        raise FileFormatError(
            f"Le fichier {name} de l'archive n'a pas de colonne de convention collective (Ccn_1_Numero…)."
        )
    return tuple(pairs)


def _rows(archive: zipfile.ZipFile, member: _Member) -> Iterator[tuple[int, list[str], str | None]]:
    """(line of the record's start, cells, None) for each non-empty record of a member; (line, [], why)
    for a record the csv module cannot read (a field over its size limit)."""
    try:
        with _open_text(archive, member.info) as text:
            reader = csv.reader(text, delimiter=";", quotechar='"', strict=False)
            next(reader, None)
            previous_end = reader.line_num
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    start, previous_end = previous_end + 1, reader.line_num
                    yield start, [], str(error)
                    continue
                start, previous_end = previous_end + 1, reader.line_num
                if any(cell.strip() for cell in row):
                    yield start, row, None
    except UnicodeDecodeError as error:
        raise FileFormatError(
            f"Le fichier {member.name} de l'archive contient des octets qui ne sont pas de l'UTF-8 : l'archive est "
            "abîmée ou n'est pas celle publiée par France Compétences."
        ) from error
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise FileFormatError(f"Le fichier {member.name} de l'archive est illisible ({error}).") from error


def _unreadable(error: str) -> str:
    if "field larger than field limit" in error:
        limit = f"{csv.field_size_limit():,}".replace(",", " ")
        return f"Ligne illisible : un de ses champs dépasse {limit} caractères ; la fiche est ignorée."
    return "Ligne illisible (un guillemet mal placé ?) : la fiche est ignorée."


def _cell(row: list[str], index: int | None) -> str | None:
    if index is None or index >= len(row):
        return None
    return row[index]


# A side part, indexed: fiche code → its rows, flattened into one tuple (`stride` values a row) of interned
# strings. Tuples and shared strings keep the 300,000 partner lines of the real export in a few tens of MB.
_Index = dict[str, tuple[str | None, ...]]


def _index(archive: zipfile.ZipFile, member: _Member, part: str, codes: dict[str, str | None]) -> _Index:
    """`codes`: the fiche numbers as written → normalised, shared by the parts (a fiche has many lines)."""
    growing: dict[str, list[str | None]] = {}
    number = member.columns["number"]

    def code_of(row: list[str]) -> str | None:
        raw = _cell(row, number) or ""
        if raw not in codes:
            normalised = normalise_code(raw)
            codes[raw] = sys.intern(normalised) if normalised is not None else None
        return codes[raw]

    if part == "ccn":
        pairs = member.ccn_pairs
        for _, row, _ in _rows(archive, member):
            code = code_of(row)
            if code is None:
                continue
            values = growing.setdefault(code, [])
            for code_index, label_index in pairs:
                ccn = _clean_line(_cell(row, code_index))
                if ccn:
                    values += (sys.intern(ccn), _intern(_clean_line(_cell(row, label_index))))
    else:
        columns = [member.columns.get(f"f{i}") for i in range(len(_FIELDS[part]))]
        fields = list(zip(columns, _cleaners(part), strict=True))
        shared = part != "blocks"  # a block is its fiche's own: interning its strings would only cost
        for _, row, _ in _rows(archive, member):
            code = code_of(row)
            if code is None:
                continue
            values = growing.setdefault(code, [])
            for column, clean in fields:
                value = clean(_cell(row, column))
                values.append(sys.intern(value) if shared and value is not None else value)
    indexed: _Index = {}
    for code in list(growing):  # each list becomes a tuple (no spare room), one at a time
        indexed[code] = tuple(growing.pop(code))
    return indexed


def _cleaners(part: str) -> list[Callable[[str | None], str | None]]:
    if part == "certifiers":
        return [_siret, _clean_line]
    if part == "partners":
        return [_clean_line, _siret, _clean_line]
    return [_clean_line] * len(_FIELDS[part])


def _groups(values: tuple[str | None, ...], stride: int) -> Iterator[tuple[str | None, ...]]:
    for start in range(0, len(values), stride):
        yield values[start : start + stride]


def _pairs(values: tuple[str | None, ...]) -> list[tuple[str | None, str | None]]:
    return [(values[i], values[i + 1]) for i in range(0, len(values), 2)]


def _csv_zip(path: Path, layout: dict[str, _Member], skip: int) -> Iterator[Certification | RejectedEntry]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise FileFormatError(f"L'archive zip est illisible ({error}).") from error
    with archive:
        indexes: dict[str, _Index] = {}
        links = _Links()
        codes: dict[str, str | None] = {}
        for part, member in layout.items():
            if part == "standard":
                continue
            if part == "links":
                for old_new in _index(archive, member, part, codes).items():
                    code, values = old_new
                    for old, new in _pairs(values):
                        for old_code in _codes_in(old):
                            links.add(old_code, code)
                        for new_code in _codes_in(new):
                            links.add(code, new_code)
                continue
            indexes[part] = _index(archive, member, part, codes)
        yield from _standard(archive, layout["standard"], indexes, links, skip)


def _standard(
    archive: zipfile.ZipFile, member: _Member, indexes: dict[str, _Index], links: _Links, skip: int
) -> Iterator[Certification | RejectedEntry]:
    columns = member.columns
    duplicates = _Duplicates()
    empty: tuple[str | None, ...] = ()
    for position, (line, row, unreadable) in enumerate(_rows(archive, member), start=1):
        if unreadable is not None:
            if position > skip:
                yield RejectedEntry(line=line, message=_unreadable(unreadable))
            continue
        fiche = _Fiche(**{field: _cell(row, index) for field, index in columns.items()})
        try:
            code = _checked(fiche, duplicates)
            if position <= skip:
                duplicates.add(code, line)
                continue

            def side(part: str, code: str = code) -> tuple[str | None, ...]:
                return indexes.get(part, {}).get(code, empty)

            certification = _certification(
                fiche,
                code,
                blocks=_pairs(side("blocks")),
                nsf=_pairs(side("nsf")),
                formacodes=_pairs(side("formacodes")),
                romes=_pairs(side("romes")),
                certifiers=_pairs(side("certifiers")),
                partners=[(g[0], g[1], g[2]) for g in _groups(side("partners"), 3)],
                ccn=_pairs(side("ccn")),
                routes=side("routes"),
                successors=links.successors.get(code, ()),
                predecessors=links.predecessors.get(code, ()),
            )
        except _FicheError as error:
            if position > skip:
                yield RejectedEntry(line=line, message=error.message)
            continue
        duplicates.add(code, line)
        yield certification


# ====================================================================== the XML export
def _looks_like_xml(head: bytes) -> bool:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom) :].decode(encoding, errors="ignore")
            break
    else:
        text = head.decode("latin-1")
    text = text.lstrip()
    return text.startswith("<") and len(text) > 1 and (text[1].isalpha() or text[1] in "?!_")


def _iterparse(path: Path, **options: Any) -> Any:
    return etree.iterparse(
        str(path), huge_tree=True, resolve_entities=False, no_network=True, load_dtd=False, **options
    )


def _syntax_error(error: etree.XMLSyntaxError) -> FileFormatError:
    where = f" vers la ligne {error.lineno}" if getattr(error, "lineno", None) else ""
    return FileFormatError(
        f"Le fichier XML est mal formé{where} ({error.msg}) : il est sans doute tronqué ; téléchargez-le à "
        "nouveau puis déposez-le."
    )


def _check_xml_root(path: Path) -> None:
    try:
        for _, element in _iterparse(path, events=("start",)):
            tag = etree.QName(element).localname if isinstance(element.tag, str) else str(element.tag)
            if tag != "FICHES":
                raise FileFormatError(
                    f"Ce fichier XML n'est pas un export des fiches de France Compétences : son élément racine est "
                    f"<{tag}> au lieu de <FICHES>."
                )
            return
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error) from error
    raise FileFormatError("Le fichier XML ne contient aucun élément. " + NOT_A_REPERTORY)


def _release(element: Any) -> None:
    """Free a fiche read by iterparse, and what came before it under the root (memory stays flat)."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    while element.getprevious() is not None and parent is not None:
        del parent[0]


_Children = dict[str, Any]


def _children(element: Any) -> _Children:
    """The first child element of each tag: one pass over the children instead of a search per field."""
    found: _Children = {}
    if element is not None:
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag not in found:
                found[tag] = child
    return found


def _value(element: Any) -> str | None:
    """An element's text; None when it is missing or blank. An element without children has it all in
    `.text` (an entity left unexpanded is a child: then every piece of text is joined)."""
    if element is None:
        return None
    text = element.text if len(element) == 0 else "".join(element.itertext())
    return text if text and not text.isspace() else None


def _first(children: _Children, *tags: str) -> str | None:
    for tag in tags:
        if (text := _value(children.get(tag))) is not None:
            return text
    return None


def _items(children: _Children, container: str, item: str) -> Iterator[_Children]:
    """The children of each `<item>` of `<container>` (`CERTIFICATEURS`/`CERTIFICATEUR`…)."""
    box = children.get(container)
    if box is not None:
        for element in box:
            if element.tag == item:
                yield _children(element)


def _markup(element: Any) -> str | None:
    """A long text as plain text: HTML given as escaped text, or as XML elements, or CDATA."""
    if element is None:
        return None
    inner = (element.text or "") + "".join(
        etree.tostring(child, encoding="unicode", with_tail=True) for child in element
    )
    return plain_text(inner)


def _xml_link_codes(fiche: Any, tag: str) -> list[str]:
    """The codes a fiche gives under `tag` (`NOUVELLE_CERTIFICATION`…): as text, or in an `ID_FICHE_…` child."""
    codes: list[str] = []
    for element in fiche.iter(tag):
        ids = [
            child for child in element if isinstance(child.tag, str) and child.tag.startswith(("ID_FICHE", "NUMERO"))
        ]
        texts = ["".join(child.itertext()) for child in ids] if ids else ["".join(element.itertext())]
        for text in texts:
            codes += _codes_in(text)
    return codes


def _xml_links(path: Path) -> _Links:
    """The replacement links the file states, read before its fiches are given.

    Parsing the whole file twice with lxml would cost as much as reading it; the links are few and
    simply written (`<NUMERO_FICHE>`, then `<NOUVELLE_CERTIFICATION>`/`<ANCIENNE_CERTIFICATION>` holding
    a code or an `ID_FICHE_…` element), so they are found in the file's bytes, fiche by fiche. A file
    not in an ASCII-compatible encoding (UTF-16) is parsed instead. A file cut short (no `</FICHES>`
    after its last fiche) is refused here, before any fiche is given."""
    with open(path, "rb") as file:
        head = file.read(200)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or re.search(rb"encoding=[\"'](utf-?16|ucs|utf-?32)", head, re.I):
        return _xml_links_parsed(path)
    links = _Links()
    pending = b""
    with open(path, "rb") as file:
        while chunk := file.read(1 << 22):
            *fiches, pending = (pending + chunk).split(b"</FICHE>")
            for fiche in fiches:
                _scan_links(fiche, links)
    if b"</FICHES>" not in pending:
        raise FileFormatError(
            "Le fichier XML est tronqué : il ne se termine pas par </FICHES> après sa dernière fiche ; "
            "téléchargez-le à nouveau puis déposez-le."
        )
    return links


_RAW_NUMBER = re.compile(rb"<NUMERO_FICHE\b[^>]*>([^<]*)</NUMERO_FICHE\s*>")
_RAW_LINK = re.compile(rb"<(NOUVELLE|ANCIENNE)_CERTIFICATION\b[^>/]*>(.*?)</\1_CERTIFICATION\s*>", re.DOTALL)
_RAW_ID = re.compile(rb"<(?:ID_FICHE|NUMERO)\w*[^>]*>([^<]*)<")


def _scan_links(fiche: bytes, links: _Links) -> None:
    if b"_CERTIFICATION" not in fiche:  # most fiches: no link
        return
    number = _RAW_NUMBER.search(fiche)
    code = normalise_code(number[1].decode("utf-8", "replace")) if number else None
    if code is None:
        return
    for kind, inner in _RAW_LINK.findall(fiche):
        ids = _RAW_ID.findall(inner)
        text = b" ".join(ids) if ids else re.sub(rb"<[^>]*>", b" ", inner)
        for other in _codes_in(text.decode("utf-8", "replace")):
            if kind == b"NOUVELLE":
                links.add(code, other)
            else:
                links.add(other, code)


def _xml_links_parsed(path: Path) -> _Links:
    links = _Links()
    try:
        for _, fiche in _iterparse(path, events=("end",), tag="FICHE"):
            code = normalise_code(_first(_children(fiche), "NUMERO_FICHE") or "")
            if code is not None:
                for new in _xml_link_codes(fiche, "NOUVELLE_CERTIFICATION"):
                    links.add(code, new)
                for old in _xml_link_codes(fiche, "ANCIENNE_CERTIFICATION"):
                    links.add(old, code)
            _release(fiche)
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error) from error
    return links


_XML_ROUTES = ("FI", "CA", "FC", "CQ", "CL", "VAE")


def _xml_routes(fiche: _Children) -> list[str]:
    """`<SI_JURY_CA>Oui</SI_JURY_CA>` or `<SI_JURY_CA><ACTIF>Oui</ACTIF>…</SI_JURY_CA>`: the open routes."""
    routes = []
    for key in _XML_ROUTES:
        element = fiche.get(f"SI_JURY_{key}")
        if element is None:
            continue
        value = _value(_children(element).get("ACTIF")) if len(element) else element.text
        if _yes_no(value):
            routes.append(ACCESS_ROUTES[key])
    return routes


_CODE = ("CODE",)
_LABEL = ("LIBELLE", "INTITULE")
_CCN_TAG = re.compile(r"CCN(_[0-9]+)?")


def _xml_pairs(
    fiche: _Children, container: str, item: str, code: tuple[str, ...] = _CODE, label: tuple[str, ...] = _LABEL
) -> list[tuple[str | None, str | None]]:
    return [(_first(fields, *code), _first(fields, *label)) for fields in _items(fiche, container, item)]


def _xml_ccn(fiche: _Children) -> list[tuple[str | None, str | None]]:
    """`<CCN_1><NUMERO>…</NUMERO><LIBELLE>…</LIBELLE></CCN_1>`, `<CCN_2>`… (or a wrapper of `<CCN>`)."""
    code = ("NUMERO", "CODE", "IDCC")
    pairs = []
    for tag, element in fiche.items():
        if _CCN_TAG.fullmatch(tag):
            fields = _children(element)
            pairs.append((_first(fields, *code), _first(fields, *_LABEL)))
    pairs += _xml_pairs(fiche, "CCNS", "CCN", code)
    pairs += _xml_pairs(fiche, "CONVENTIONS_COLLECTIVES", "CONVENTION_COLLECTIVE", code)
    return pairs


def _xml_head(fiche: _Children) -> _Fiche:
    """What `_checked` needs of a fiche."""
    return _Fiche(number=_first(fiche, "NUMERO_FICHE"), title=_first(fiche, "INTITULE"), active=_first(fiche, "ACTIF"))


def _xml_certification(fiche: _Children, code: str, links: _Links) -> Certification:
    level = _children(fiche.get("NOMENCLATURE_EUROPE"))
    abbreviation = _children(fiche.get("ABREGE"))
    data = _Fiche(
        number=_first(fiche, "NUMERO_FICHE"),
        title=_first(fiche, "INTITULE"),
        active=_first(fiche, "ACTIF"),
        level=_first(level, "NIVEAU"),
        level_label=_first(level, "INTITULE", "LIBELLE"),
        abbreviation_code=_first(abbreviation, "CODE"),
        abbreviation_label=_first(abbreviation, "LIBELLE", "INTITULE"),
        registration_type=_first(fiche, "TYPE_ENREGISTREMENT"),
        partial_validation=_first(fiche, "VALIDATION_PARTIELLE"),
        registration_end=_first(fiche, "DATE_FIN_ENREGISTREMENT"),
        decision_date=_first(fiche, "DATE_DECISION"),
        effective_date=_first(fiche, "DATE_EFFET"),
        last_jo_date=_first(fiche, "DATE_DERNIER_JO"),
        first_exam_session=_first(fiche, "DATE_PREMIERE_SESSION", "DATE_PREMIERE_SESSION_EXAMEN"),
        certifinfo=_first(fiche, "CODE_CERTIFINFO", "CERTIFINFO", "ID_CERTIFINFO"),
        objectives=_markup(fiche.get("OBJECTIFS_CONTEXTE")),
        activities=_markup(fiche.get("ACTIVITES_VISEES")),
        capacities=_markup(fiche.get("CAPACITES_ATTESTEES")),
    )
    return _certification(
        data,
        code,
        blocks=_xml_pairs(fiche, "BLOCS_COMPETENCES", "BLOC_COMPETENCES"),
        nsf=_xml_pairs(fiche, "CODES_NSF", "NSF", label=("INTITULE", "LIBELLE")),
        formacodes=_xml_pairs(fiche, "FORMACODES", "FORMACODE"),
        romes=_xml_pairs(fiche, "CODES_ROME", "ROME"),
        certifiers=[
            (_first(item, "SIRET_CERTIFICATEUR", "SIRET"), _first(item, "NOM_CERTIFICATEUR", "NOM"))
            for item in _items(fiche, "CERTIFICATEURS", "CERTIFICATEUR")
        ],
        partners=[
            (
                _first(item, "NOM_PARTENAIRE", "NOM"),
                _first(item, "SIRET_PARTENAIRE", "SIRET"),
                _first(item, "HABILITATION_PARTENAIRE", "HABILITATION"),
            )
            for item in _items(fiche, "PARTENAIRES", "PARTENAIRE")
        ],
        ccn=_xml_ccn(fiche),
        routes=_xml_routes(fiche),
        successors=links.successors.get(code, ()),
        predecessors=links.predecessors.get(code, ()),
    )


def _xml(path: Path, skip: int) -> Iterator[Certification | RejectedEntry]:
    links = _xml_links(path)
    duplicates = _Duplicates()
    try:
        for position, (_, element) in enumerate(_iterparse(path, events=("end",), tag="FICHE"), start=1):
            line = element.sourceline or 0
            fiche = _children(element)
            try:
                code = _checked(_xml_head(fiche), duplicates)
                certification = None if position <= skip else _xml_certification(fiche, code, links)
            except _FicheError as error:
                if position > skip:
                    yield RejectedEntry(line=line, message=error.message)
            else:
                duplicates.add(code, line)
                if certification is not None:
                    yield certification
            finally:
                _release(element)
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error) from error
