"""Issue 9, item 2: the certification search (`GET /certifications?q=`, the guide's magnifier dialog) and
one certification in full (`GET /certifications/{code}`), through the handlers on the emulated AWS.

The referential is written here with the store and indexed with the code the import uses; the import
itself is tested in test_certification_import.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ofeli.domain.certifications import Certification, Certifier, CompetenceBlock

SEARCH = "/certifications"


def certification(code: str, title: str, *, active: bool = True, **fields: Any) -> Certification:
    repertory = "RNCP" if code.startswith("RNCP") else "RS"
    return Certification(
        code=code, repertory=repertory, number=int(code.removeprefix(repertory)), title=title, active=active, **fields
    )


REFERENTIAL = [
    certification(
        "RNCP37861",
        "CAP Boulanger",
        level="NIV3",
        level_label="Niveau 3",
        abbreviation_code="CAP",
        registration_end=date(2028, 8, 31),
        first_exam_session=date(2024, 6, 1),
        certifiers=[Certifier(siret="11004301500012", name="Ministère de l'Éducation nationale")],
        blocks=[
            CompetenceBlock(code="RNCP37861BC01", title="Approvisionnement et fabrication des pains"),
            CompetenceBlock(code="RNCP37861BC02", title="Fabrication de viennoiseries"),
        ],
        predecessors=["RNCP35000"],
    ),
    certification(
        "RNCP35000",
        "Boulanger (ancienne fiche)",
        active=False,
        level="NIV3",
        registration_end=date(2023, 8, 31),
        successors=["RNCP37861"],
    ),
    certification("RNCP34567", "Assistant de comptabilité et d'administration", level="NIV4", certifinfo="94723"),
    certification("RS5678", "Habilitation électrique des opérateurs"),
    certification("RNCP12345", "Éducateur sportif", active=False),
    certification("RNCP36000", "Pâtissier", level="NIV3"),
    certification("RS5679", "Pâtisserie de boutique : décor", active=False, successors=["RS9999"]),
]


def load(certifications: list[Certification]) -> None:
    """Write fiches as the import does (conditioned writes, search rows) and build the index."""
    from ofeli.services import certifications as service
    from ofeli.store import certifications as store

    known = store.digests([c.code for c in certifications])
    store.write([(c, store.digest(c), known.get(c.code)) for c in certifications])
    store.mark_changed()
    assert service.refresh_index()


def account(api, email: str, *, moderator: bool = False) -> dict[str, str]:
    from ofeli.services import accounts

    accounts.create_account(email, "Camille", "Lecteur", moderator=moderator)
    accounts.set_password(email, "Recherche-2026!")
    return api.login(email, "Recherche-2026!")


@pytest.fixture
def reader(api) -> dict[str, str]:
    """A signed-in account (the referential is the same for every one), on a stack without the demo's
    referential: the counts below are the fiches written here."""
    return account(api, "lecteur@of-recherche.test")


@pytest.fixture
def referential(api) -> None:
    load(REFERENTIAL)


def search(api, headers, **query: Any) -> dict[str, Any]:
    response = api.get(SEARCH, query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def codes(page: dict[str, Any]) -> list[str]:
    return [hit["code"] for hit in page["items"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("boulanger", ["RNCP37861", "RNCP35000"]),  # active first
        ("éducateur", ["RNCP12345"]),
        ("EDUCATEUR SPORTIF", ["RNCP12345"]),
        ("assistant de comptabilité", ["RNCP34567"]),  # "de": a small word, left out
        ("rncp 37861", ["RNCP37861"]),
        ("RS5678", ["RS5678"]),
        ("94723", ["RNCP34567"]),  # a Certifinfo code
        ("ptissier", []),
    ],
)
def test_a_query_finds_by_title_words_or_codes(api, reader, referential, q, expected):
    """Through the handler (every case of the query's meaning: tests/unit/test_certification_search.py)."""
    assert codes(search(api, reader, q=q)) == expected


def test_an_empty_query_lists_the_active_ones_first_page_by_page(api, reader, referential):
    everything = search(api, reader, page_size=100)
    assert everything["total"] == len(REFERENTIAL)
    flags = [hit["active"] for hit in everything["items"]]
    assert flags == sorted(flags, reverse=True) and flags.count(True) == 4
    # the active ones by title: Assistant, CAP Boulanger, Habilitation, Pâtissier
    assert codes(everything)[:4] == ["RNCP34567", "RNCP37861", "RS5678", "RNCP36000"]

    second = search(api, reader, page=2, page_size=3)
    assert (second["total"], second["page"], second["page_size"]) == (7, 2, 3)
    assert codes(second) == codes(everything)[3:6]
    assert search(api, reader, page=4, page_size=3)["items"] == []
    only_active = search(api, reader, active="true", page_size=100)
    assert only_active["total"] == 4 and all(hit["active"] for hit in only_active["items"])
    assert search(api, reader)["page_size"] == 20


def test_a_hit_carries_what_the_dialog_shows(api, reader, referential):
    (hit, old) = search(api, reader, q="boulanger")["items"]
    assert hit == {
        "code": "RNCP37861",
        "repertory": "RNCP",
        "title": "CAP Boulanger",
        "abbreviation": "CAP",
        "level": "NIV3",
        "level_label": "Niveau 3",
        "lheo_level": "13",
        "active": True,
        "certifiers": ["Ministère de l'Éducation nationale"],
        "registration_end": "2028-08-31",
        "first_exam_session": "2024-06-01",
        "blocks": [
            {"code": "RNCP37861BC01", "title": "Approvisionnement et fabrication des pains"},
            {"code": "RNCP37861BC02", "title": "Fabrication de viennoiseries"},
        ],
        "url": "https://www.francecompetences.fr/recherche/rncp/37861/",
        "successors": [],
        "certifinfo": None,
    }
    # an inactive one names its successor, with its title
    assert old["active"] is False
    assert old["successors"] == [{"code": "RNCP37861", "title": "CAP Boulanger", "active": True}]
    (unknown_successor,) = search(api, reader, q="rs 5679")["items"]
    assert unknown_successor["successors"] == [{"code": "RS9999", "title": None, "active": None}]


def test_moderators_search_too_and_strangers_do_not(api, referential):
    moderator = account(api, "moderation@carif-recherche.test", moderator=True)
    assert codes(search(api, moderator, q="RS5678")) == ["RS5678"]
    assert api.get(SEARCH).status_code == 401
    assert api.get(f"{SEARCH}/RS5678").status_code == 401


def test_bad_query_parameters_are_refused(api, reader, referential):
    for query in ({"page": "0"}, {"page_size": "101"}, {"q": "x" * 201}, {"active": "peut-être"}):
        response = api.get(SEARCH, query_string=query, headers=reader)
        assert response.status_code == 422, (query, response.get_json())


def test_before_any_import_the_search_is_empty(api, reader):
    assert search(api, reader, q="boulanger") == {"items": [], "total": 0, "page": 1, "page_size": 20}


def test_one_certification_in_full(api, reader, referential):
    response = api.get(f"{SEARCH}/rncp%2035000", headers=reader)
    assert response.status_code == 200, response.get_json()
    detail = response.get_json()
    assert detail["certification"]["code"] == "RNCP35000" and detail["certification"]["active"] is False
    assert detail["url"] == "https://www.francecompetences.fr/recherche/rncp/35000/"
    assert detail["lheo_level"] == "13"
    assert detail["successors"] == [{"code": "RNCP37861", "title": "CAP Boulanger", "active": True}]

    missing = api.get(f"{SEARCH}/RNCP99999", headers=reader)
    assert missing.status_code == 404
    assert "RNCP99999 n'est pas dans le référentiel" in missing.get_json()["error"]["message"]
    malformed = api.get(f"{SEARCH}/boulanger", headers=reader)
    assert malformed.status_code == 422
    assert malformed.get_json()["error"]["fields"][0]["field"] == "code"


def test_a_new_snapshot_is_picked_up_by_the_next_search(api, reader, referential):
    assert codes(search(api, reader, q="viennoiserie")) == []
    renamed = REFERENTIAL[0].model_copy(update={"title": "CAP Boulanger viennoisier"})
    load([renamed])
    assert codes(search(api, reader, q="viennoiserie")) == []
    assert codes(search(api, reader, q="viennois")) == ["RNCP37861"]


# ---------------------------------------------------------------------- no Scan, a constant cost
@pytest.mark.parametrize("q", ["", "b", "rncp 37861", "assistant de comptabilité"])
def test_a_search_is_one_get_item_whatever_the_query(api, reader, referential, dynamodb_calls, q):
    search(api, reader, q=q)  # the index is in memory now
    dynamodb_calls.clear()
    search(api, reader, q=q, page_size=100)
    assert dynamodb_calls == ["GetItem"]
