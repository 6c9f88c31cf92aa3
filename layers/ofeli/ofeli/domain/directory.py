"""The moderators' directory of the region's structures: what a search row holds and how a search
matches it. Pure: the store keeps one compact row per structure, filed under its department."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import Field

from ofeli.domain.identifiers import compact, siren_of
from ofeli.domain.model import Model

OUTSIDE = "autres"  # the partition of structures outside the region's departments (or without address)


def fold(text: str | None) -> str:
    """Lower case, no accents, words separated by one space: "Évreux-Nord" → "evreux nord"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def department_of(postal_code: str | None) -> str | None:
    """The department of a French postal code: 14000 → "14", 20000 → "2A", 20200 → "2B", 97400 → "974"."""
    if not postal_code or not re.fullmatch(r"[0-9]{5}", postal_code):
        return None
    if postal_code.startswith("20"):
        return "2A" if postal_code < "20200" else "2B"
    if postal_code.startswith("97") or postal_code.startswith("98"):
        return postal_code[:3]
    return postal_code[:2]


def partition_of(postal_code: str | None, departments: list[str]) -> str:
    department = department_of(postal_code)
    return department if department in departments else OUTSIDE


class StructureRow(Model):
    """What the directory shows and searches, one per structure."""

    siret: str
    siren: str
    name: str
    nda: str | None = None
    line1: str | None = None  # the street line of its address (None in a row written before it was kept)
    city: str | None = None
    postal_code: str | None = None
    department: str | None = None
    qualiopi: bool = False
    parent_siret: str | None = None


def row_of(record: dict[str, Any]) -> StructureRow:
    address = record.get("address") or {}
    return StructureRow(
        siret=record["siret"],
        siren=siren_of(record["siret"]),
        name=record["name"],
        nda=record.get("nda"),
        line1=address.get("line1"),
        city=address.get("city"),
        postal_code=address.get("postal_code"),
        department=department_of(address.get("postal_code")),
        qualiopi=any(label.get("categories") for label in record.get("qualiopi") or []),
        parent_siret=record.get("parent_siret"),
    )


class StructureQuery(Model):
    q: str | None = Field(default=None, max_length=200, description="Mots du nom, SIRET, SIREN ou NDA")
    city: str | None = Field(default=None, max_length=80)
    department: str | None = Field(default=None, pattern=r"^(?:[0-9]{2,3}|2A|2B)$")
    qualiopi: bool | None = None
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=20, ge=1, le=100)


class StructurePage(Model):
    items: list[StructureRow]
    total: int
    page: int
    page_size: int


def matches(row: StructureRow, query: StructureQuery, *, by_nda: bool = True) -> bool:
    """Every criterion given must hold. `q` made of digits is a SIRET, SIREN or NDA (or the start of
    one; not the NDA when `by_nda` is false); otherwise each of its words must begin a word of the name.
    City: case and accents ignored."""
    if query.qualiopi is not None and row.qualiopi != query.qualiopi:
        return False
    if query.department and row.department != query.department:
        return False
    if wanted := fold(query.city):
        city = fold(row.city)
        if not (city == wanted or city.startswith(wanted + " ")):
            return False
    if query.q and query.q.strip():
        number = compact(query.q)
        if number.isascii() and number.isdigit():
            numbers = (row.siret, row.siren, row.nda or "") if by_nda else (row.siret, row.siren)
            return any(value.startswith(number) for value in numbers)
        words = fold(row.name).split()
        return all(any(w.startswith(part) for w in words) for part in fold(query.q).split())
    return True


def search(rows: list[StructureRow], query: StructureQuery, *, by_nda: bool = True) -> StructurePage:
    """Matching rows, by name then SIRET, one page of them."""
    found = sorted((r for r in rows if matches(r, query, by_nda=by_nda)), key=lambda r: (fold(r.name), r.siret))
    start = (query.page - 1) * query.page_size
    return StructurePage(
        items=found[start : start + query.page_size], total=len(found), page=query.page, page_size=query.page_size
    )


# ---------------------------------------------------------------------- what every signed-in user may see
class Organisation(Model):
    """A referenced organisation as any signed-in user sees it (the session's trainer dialog): what the
    national registers publish (its address too: the page makes it a place of training), the NDA and
    Qualiopi as yes or no; no contact, no e-mail. No INSEE code: a structure's record does not keep one
    (the page's *Rechercher une adresse* completes it)."""

    siret: str
    siren: str
    name: str
    line1: str | None = Field(default=None, description="Adresse (1re ligne) : numéro et voie")
    city: str | None = None
    postal_code: str | None = None
    department: str | None = None
    has_nda: bool = Field(description="La structure a un numéro de déclaration d'activité (NDA)")
    qualiopi: bool = Field(description="La structure a au moins une catégorie de la certification Qualiopi")


class OrganisationPage(Model):
    items: list[Organisation]
    total: int
    page: int
    page_size: int


def organisations(rows: list[StructureRow], query: StructureQuery) -> OrganisationPage:
    """The trainer dialog's search: the directory's, matching name words, SIRET or SIREN (never the NDA,
    which it does not show), one page of public fields."""
    found = search(rows, query, by_nda=False)
    return OrganisationPage(
        items=[
            Organisation(
                siret=row.siret,
                siren=row.siren,
                name=row.name,
                line1=row.line1,
                city=row.city,
                postal_code=row.postal_code,
                department=row.department,
                has_nda=bool(row.nda),
                qualiopi=row.qualiopi,
            )
            for row in found.items
        ],
        total=found.total,
        page=found.page,
        page_size=found.page_size,
    )
