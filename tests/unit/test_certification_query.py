"""What a certification query means (`ofeli.domain.certification_search`), on the in-memory index alone:
words of the title (accents, case and punctuation ignored, the start of each word), codes in their forms,
digits, Certifinfo codes, the repertory's name, active ones first, pages."""

from __future__ import annotations

from typing import Any

import pytest

from ofeli.domain.certification_search import CertificationQuery, Index, words_of
from ofeli.domain.directory import fold


def row(code: str, title: str, *, active: bool = True, **fields: Any) -> dict[str, Any]:
    repertory = "RNCP" if code.startswith("RNCP") else "RS"
    return {"code": code, "repertory": repertory, "number": int(code.removeprefix(repertory)), "title": title,
            "active": active, **fields}  # fmt: skip


ROWS = [
    row("RNCP37861", "CAP Boulanger", level="NIV3", blocks=[{"code": "RNCP37861BC01", "title": "Fabriquer"}]),
    row("RNCP35000", "Boulanger (ancienne fiche)", active=False, successors=["RNCP37861"]),
    row("RNCP34567", "Assistant de comptabilité et d'administration", certifinfo="94723"),
    row("RS5678", "Habilitation électrique des opérateurs"),
    row("RNCP12345", "Éducateur sportif", active=False),
    row("RNCP36000", "Pâtissier", level="NIV3"),
    row("RS5679", "Pâtisserie de boutique : décor", active=False, successors=["RS9999"]),
    row("RS37861", "Cœur de métier : boulangerie", certifinfo="12"),
]
INDEX = Index(ROWS)


def found(q: str | None, **query: Any) -> list[str]:
    page = INDEX.search(CertificationQuery(q=q, page_size=100, **query))
    return [hit.code for hit in page.items]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("boulanger", ["RNCP37861", "RS37861", "RNCP35000"]),  # active first, then by title
        ("BOULANGERIE", ["RS37861"]),  # the start of a word, whatever its case
        ("éducateur", ["RNCP12345"]),
        ("educateur", ["RNCP12345"]),
        ("EDUCATEUR SPORTIF", ["RNCP12345"]),
        ("sportif éduc", ["RNCP12345"]),  # in any order
        ("patissier", ["RNCP36000"]),
        ("pâtiss", ["RNCP36000", "RS5679"]),
        ("comptab assist", ["RNCP34567"]),
        ("assistant de comptabilité", ["RNCP34567"]),  # "de": a small word, left out
        ("d'administration", ["RNCP34567"]),
        ("de", ["RNCP34567", "RS37861", "RS5678", "RS5679"]),  # a query of small words only keeps them
        ("coeur", ["RS37861"]),  # œ is oe
        ("cœur", ["RS37861"]),
        ("ptissier", []),  # inside a word is not the start of one
        ("boulanger patissier", []),
        ("RNCP37861", ["RNCP37861"]),
        ("rncp 37861", ["RNCP37861"]),
        ("Rncp-37861", ["RNCP37861"]),
        (" rncp_037861 ", ["RNCP37861"]),
        ("RS5678", ["RS5678"]),
        ("rs 5678", ["RS5678"]),
        ("37861", ["RNCP37861", "RS37861"]),  # digits alone: the number in either repertory
        ("037861", ["RNCP37861", "RS37861"]),
        ("94723", ["RNCP34567"]),  # or a Certifinfo code
        ("12", ["RS37861"]),
        ("RNCP99999", []),
        ("rs pâtisserie", ["RS5679"]),  # the repertory's name keeps its fiches
        ("rncp pât", ["RNCP36000"]),
        ("rs", ["RS37861", "RS5678", "RS5679"]),
        ("!!!", ["RNCP34567", "RNCP37861", "RS37861", "RS5678", "RNCP36000", "RNCP35000", "RNCP12345", "RS5679"]),
    ],
)
def test_a_query_means(q, expected):
    assert found(q) == expected


def test_an_empty_query_lists_everything_the_active_first_by_title():
    everything = found(None)
    assert everything == found("") == found("   ")
    assert everything == [
        "RNCP34567",
        "RNCP37861",
        "RS37861",
        "RS5678",
        "RNCP36000",
        "RNCP35000",
        "RNCP12345",
        "RS5679",
    ]
    assert found(None, active=True) == everything[:5]
    assert found(None, active=False) == everything[5:]
    assert found("boulang", active=False) == ["RNCP35000"]


def test_pages():
    page = INDEX.search(CertificationQuery(q=None, page=2, page_size=3))
    assert [hit.code for hit in page.items] == found(None)[3:6]
    assert (page.total, page.page, page.page_size) == (8, 2, 3)
    assert INDEX.search(CertificationQuery(page=4, page_size=3)).items == []
    assert len(Index([]).search(CertificationQuery()).items) == 0


def test_a_hit_names_its_successors_and_its_page():
    (old,) = INDEX.search(CertificationQuery(q="RNCP35000")).items
    assert old.url == "https://www.francecompetences.fr/recherche/rncp/35000/"
    assert [(s.code, s.title, s.active) for s in old.successors] == [("RNCP37861", "CAP Boulanger", True)]
    (unknown,) = INDEX.search(CertificationQuery(q="RS5679")).items
    assert [(s.code, s.title, s.active) for s in unknown.successors] == [("RS9999", None, None)]
    (cap,) = INDEX.search(CertificationQuery(q="RNCP37861")).items
    assert (cap.level, cap.lheo_level, [b.code for b in cap.blocks]) == ("NIV3", "13", ["RNCP37861BC01"])


def test_words_are_folded_as_the_directory_folds_them_and_oe_is_oe():
    for text in ["Éducateur sportif", "CAP Boulanger", "Pâtissier-chocolatier d'art", "Ångström ÿ", "ﬁnance"]:
        assert words_of(text) == fold(text).split()
    assert words_of("Chef d'Œuvre, sœur") == ["chef", "d", "oeuvre", "soeur"]
