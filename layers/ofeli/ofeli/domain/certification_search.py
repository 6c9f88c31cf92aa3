"""The certification search (the guide's magnifier dialog): what a query means, what a hit shows, and
the in-memory index that answers it. Pure: the rows come from the search snapshot the import builds
(`ofeli.services.certifications`), about 30,000 of them for the whole of France.

What a query `q` means, tried in this order:
1. a certification code, whatever its spacing and case (`RNCP35000`, `rncp 35000`, `RS 5678`): that
   fiche alone;
2. digits alone (`35000`): the RNCP and RS fiches of that number, and the fiche whose Certifinfo code it is;
3. otherwise words: accents, case and punctuation are ignored, and each word of the query must begin a
   word of the title (`boulang` finds *CAP Boulanger*; `comptab assist` finds *Assistant de
   comptabilité*). Small words (de, la, et, d', l'…) are left out of the query unless it has nothing
   else; the words `rncp` and `rs` keep the fiches of that repertory.
Active fiches come first, then by title and code; an empty query lists every fiche that way (the
active ones first, as the guide says). `active=true` keeps the active ones only.

The index keeps the rows in that order, so a result is the sorted positions of its matching rows: a
word's positions come from a sorted vocabulary (a prefix is a range of it, found by bisection), the
words of a query intersect, and one page of hits is built. No query reads a row it does not need.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from datetime import date
from typing import Any

from pydantic import Field

from ofeli.domain.certifications import (
    FRANCE_COMPETENCES,
    Certification,
    CompetenceBlock,
    Repertory,
    lheo_level,
    normalise_code,
)
from ofeli.domain.directory import fold
from ofeli.domain.model import Model

STOP_WORDS = frozenset({"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "un", "une"})
REPERTORY_WORDS: dict[str, Repertory] = {"rncp": "RNCP", "rs": "RS"}
FILTER_LIMIT = 2_000  # below this many candidates, a further word is checked on them rather than looked up


def _plain(character: str) -> str:
    special = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"}
    if character in special:
        return special[character]
    return "".join(c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c)).lower()


# Latin letters with accents (and œ, æ) made plain once, rather than decomposing every title (30,000 of them
# when a snapshot is loaded); anything else goes through `ofeli.domain.directory.fold`.
_PLAIN = str.maketrans({chr(c): _plain(chr(c)) for c in range(0xC0, 0x250)})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def words_of(text: str | None) -> list[str]:
    """The words of a title or a query as the search compares them: lower case, no accents, no
    punctuation ("Pâtissier-chocolatier d'Œuvre" → ["patissier", "chocolatier", "d", "oeuvre"])."""
    plain = (text or "").translate(_PLAIN).lower()
    if not plain.isascii():
        plain = fold(plain)
    return _NOT_WORD.sub(" ", plain).split()


class CertificationQuery(Model):
    q: str | None = Field(default=None, max_length=200, description="Mots du titre, code RNCP ou RS, code Certifinfo")
    active: bool | None = Field(default=None, description="true : les certifications actives seulement")
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=20, ge=1, le=100)


class CertificationRef(Model):
    code: str
    title: str | None = Field(default=None, description="Son intitulé, si le référentiel la connaît")
    active: bool | None = None


class CertificationHit(Model):
    """A certification as the search dialog lists it."""

    code: str = Field(description="RNCP35000, RS5678")
    repertory: Repertory
    title: str
    abbreviation: str | None = Field(default=None, description="CAP, BTS, TP…")
    level: str | None = Field(default=None, description="NIV3…NIV8 (nomenclature européenne)")
    level_label: str | None = None
    lheo_level: str | None = Field(default=None, description="Le niveau de sortie en code LHEO (dict-niveaux)")
    active: bool
    certifiers: list[str] = Field(description="Les noms des certificateurs")
    registration_end: date | None = Field(default=None, description="Date de fin d'enregistrement")
    first_exam_session: date | None = Field(default=None, description="Première session d'examen, si connue")
    blocks: list[CompetenceBlock]
    url: str = Field(description="Sa fiche sur le site de France Compétences")
    successors: list[CertificationRef] = Field(description="Les certifications qui la remplacent")
    certifinfo: str | None = None


class CertificationPage(Model):
    items: list[CertificationHit]
    total: int
    page: int
    page_size: int


class CertificationDetail(Model):
    """One certification in full, as the referential gives it, with its page and its successors."""

    certification: Certification
    url: str = Field(description="Sa fiche sur le site de France Compétences")
    lheo_level: str | None = Field(default=None, description="Le niveau de sortie en code LHEO (dict-niveaux)")
    successors: list[CertificationRef] = Field(description="Les certifications qui la remplacent")


def code_error(value: str) -> str:
    return (
        f"« {value[:40]} » n'est pas un code de certification : RNCP suivi de son numéro (RNCP35000), "
        "ou RS suivi du sien (RS5678)."
    )


def url_of(repertory: str, number: int) -> str:
    return FRANCE_COMPETENCES.format(repertory=repertory.lower(), number=number)


class Index:
    """The rows of the snapshot, ready to answer queries (built once per snapshot)."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        titled = [(words_of(row.get("title")), row) for row in rows]
        titled.sort(
            key=lambda t: (not t[1].get("active"), t[0], 0 if t[1].get("repertory") == "RNCP" else 1, t[1]["number"])
        )
        self.rows = [row for _, row in titled]
        self.active = [bool(r.get("active")) for r in self.rows]
        self.repertory = [r.get("repertory") for r in self.rows]
        self.words: list[tuple[str, ...]] = []
        self._by_code: dict[str, int] = {}
        self._by_number: dict[str, list[int]] = {}
        postings: dict[str, list[int]] = {}
        for position, (title_words, row) in enumerate(titled):
            words = tuple(dict.fromkeys(title_words))
            self.words.append(words)
            for word in words:
                postings.setdefault(word, []).append(position)
            self._by_code[row["code"]] = position
            self._by_number.setdefault(str(row["number"]), []).append(position)
            if certifinfo := str(row.get("certifinfo") or "").strip():
                self._by_number.setdefault(certifinfo, []).append(position)
        self._vocabulary = sorted(postings)
        self._postings = postings
        self._titles = {row["code"]: (row.get("title"), bool(row.get("active"))) for row in self.rows}

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, code: str) -> dict[str, Any] | None:
        """The snapshot's row of a code (the offer's search reads whether it is active, its successors)."""
        position = self._by_code.get(code)
        return self.rows[position] if position is not None else None

    # ------------------------------------------------------------------ matching
    def _prefixed(self, part: str) -> set[int]:
        low = bisect.bisect_left(self._vocabulary, part)
        high = bisect.bisect_left(self._vocabulary, part + "{")  # "{" follows every folded character
        found: set[int] = set()
        for word in self._vocabulary[low:high]:
            found.update(self._postings[word])
        return found

    def _by_words(self, text: str) -> list[int]:
        parts = words_of(text)
        repertories = {REPERTORY_WORDS[p] for p in parts if p in REPERTORY_WORDS}
        parts = [p for p in parts if p not in REPERTORY_WORDS]
        meaningful = [p for p in parts if p not in STOP_WORDS]
        parts = sorted(set(meaningful or parts), key=len, reverse=True)  # the longest (rarest) first
        candidates: set[int] | None = None
        for part in parts:
            if candidates is not None and len(candidates) <= FILTER_LIMIT:
                candidates = {i for i in candidates if any(w.startswith(part) for w in self.words[i])}
            else:
                found = self._prefixed(part)
                candidates = found if candidates is None else candidates & found
            if not candidates:
                return []
        positions = sorted(candidates) if candidates is not None else list(range(len(self.rows)))
        if repertories:
            positions = [i for i in positions if self.repertory[i] in repertories]
        return positions

    def matches(self, q: str | None) -> list[int]:
        """The positions of the rows a query matches, in the index's order (active first)."""
        text = (q or "").strip()
        if not text:
            return list(range(len(self.rows)))
        code = normalise_code(text)
        if code is not None:
            return [self._by_code[code]] if code in self._by_code else []
        compact = "".join(text.split())
        if compact.isascii() and compact.isdigit():
            return sorted(set(self._by_number.get(compact.lstrip("0") or "0", []) + self._by_number.get(compact, [])))
        return self._by_words(text)

    # ------------------------------------------------------------------ answering
    def search(self, query: CertificationQuery) -> CertificationPage:
        positions = self.matches(query.q)
        if query.active is not None:
            positions = [i for i in positions if self.active[i] == query.active]
        start = (query.page - 1) * query.page_size
        return CertificationPage(
            items=[self.hit(self.rows[i]) for i in positions[start : start + query.page_size]],
            total=len(positions),
            page=query.page,
            page_size=query.page_size,
        )

    def reference(self, code: str) -> CertificationRef:
        title, active = self._titles.get(code, (None, None))
        return CertificationRef(code=code, title=title, active=active)

    def hit(self, row: dict[str, Any]) -> CertificationHit:
        return CertificationHit(
            code=row["code"],
            repertory=row["repertory"],
            title=row["title"],
            abbreviation=row.get("abbreviation"),
            level=row.get("level"),
            level_label=row.get("level_label"),
            lheo_level=lheo_level(row.get("level")),
            active=bool(row.get("active")),
            certifiers=list(row.get("certifiers") or []),
            registration_end=row.get("registration_end"),
            first_exam_session=row.get("first_exam_session"),
            blocks=[CompetenceBlock(code=b["code"], title=b["title"]) for b in row.get("blocks") or []],
            url=url_of(row["repertory"], int(row["number"])),
            successors=[self.reference(code) for code in row.get("successors") or []],
            certifinfo=row.get("certifinfo"),
        )


EMPTY = Index([])
