"""Issue 10, item 2: the organisations an OF may name as trainer of a session (`GET /organisations`, the
guide's searchable, filterable dialog), through the handlers on the emulated AWS.

The rows are the moderators' directory (one compact row per structure, per department on gsi2): any
signed-in user searches them by name words, SIRET or SIREN, city and department, page by page, and sees
public fields only. Never a Scan."""

from __future__ import annotations

from typing import Any

import pytest
from records import HEAD, structure

BRANCH = "81432712100020"
OTHER = "41298765400016"
OTHER_OF = ("contact@atelier-normand.test", "Organisme-2026!")
SEARCH = "/organisations"


def find(api, headers, **query) -> dict[str, Any]:
    response = api.get(SEARCH, query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def sirets(page: dict[str, Any]) -> list[str]:
    return [row["siret"] for row in page["items"]]


def test_an_of_finds_organisations_by_name_words_with_or_without_accents(seeded_api, of):
    assert sirets(find(seeded_api, of, q="demo formation")) == [HEAD, BRANCH]
    assert sirets(find(seeded_api, of, q="DÉMO antenne")) == [BRANCH]
    assert sirets(find(seeded_api, of, q="atel norm")) == [OTHER]  # each word begins a word of the name
    assert find(seeded_api, of, q="boulangerie")["total"] == 0


def test_by_siret_or_siren(seeded_api, of):
    assert sirets(find(seeded_api, of, q=HEAD)) == [HEAD]
    assert sirets(find(seeded_api, of, q="814 327 121")) == [HEAD, BRANCH]  # the SIREN, spaced as people write it
    assert sirets(find(seeded_api, of, q="4129876540")) == [OTHER]  # the start of one
    assert find(seeded_api, of, q="28760000021")["total"] == 0  # the NDA: not shown, so not searched either


def test_filtered_by_city_and_department(seeded_api, of):
    assert sirets(find(seeded_api, of, city="cherbourg")) == [BRANCH]
    assert sirets(find(seeded_api, of, city="LE HAVRE")) == [OTHER]
    assert sirets(find(seeded_api, of, department="76")) == [OTHER]
    assert sirets(find(seeded_api, of, department="14")) == [HEAD]
    assert sirets(find(seeded_api, of, q="formation", department="50")) == [BRANCH]
    assert find(seeded_api, of, department="35")["total"] == 0  # outside the region: the `autres` partition


def test_paged(seeded_api, of):
    first = find(seeded_api, of, page_size=2)
    second = find(seeded_api, of, page_size=2, page=2)
    assert (first["total"], first["page"], first["page_size"], len(first["items"])) == (3, 1, 2, 2)
    assert (second["total"], second["page"], len(second["items"])) == (3, 2, 1)
    assert sirets(first) + sirets(second) == [OTHER, HEAD, BRANCH]  # by name: Atelier…, OF Démo…
    assert find(seeded_api, of, page=3, page_size=2)["items"] == []


def test_public_fields_only(seeded_api, of):
    rows = {row["siret"]: row for row in find(seeded_api, of)["items"]}
    assert rows[HEAD] == {
        "siret": HEAD,
        "siren": "814327121",
        "name": "OF Démo Formation",
        "line1": "12 rue de la Paix",  # its whole address: the page makes it a place of training
        "city": "Caen",
        "postal_code": "14000",
        "department": "14",
        "has_nda": True,
        "qualiopi": True,
    }
    assert (rows[BRANCH]["has_nda"], rows[BRANCH]["qualiopi"]) == (False, False)
    assert "nda" not in rows[OTHER] and "contacts" not in rows[OTHER]
    assert (rows[OTHER]["line1"], rows[OTHER]["postal_code"], rows[OTHER]["city"]) == (
        "45 boulevard de Strasbourg",
        "76600",
        "Le Havre",
    )
    assert "insee_code" not in rows[OTHER]  # a structure's record keeps none: the page leaves it to complete


def test_the_address_follows_a_correction_of_the_record(seeded_api, of, moderator):
    version = structure(seeded_api, moderator, OTHER)["published"]["version"]
    address = {"line1": "1 place Saint-Sever", "postal_code": "76100", "city": "Rouen"}
    corrected = seeded_api.patch(
        f"/moderation/structures/{OTHER}", json={"version": version, "address": address}, headers=moderator
    )
    assert corrected.status_code == 200, corrected.get_json()
    (row,) = find(seeded_api, of, q=OTHER)["items"]
    assert (row["line1"], row["postal_code"], row["city"], row["department"]) == (
        "1 place Saint-Sever",
        "76100",
        "Rouen",
        "76",
    )


def test_any_signed_in_user_even_without_rights_on_them(seeded_api, moderator):
    other = seeded_api.login(*OTHER_OF)
    assert sirets(find(seeded_api, other, q="demo")) == [HEAD, BRANCH]  # not its structures: it may name them
    assert sirets(find(seeded_api, moderator, q="atelier")) == [OTHER]
    assert seeded_api.get(SEARCH, query_string={"q": "demo"}).status_code == 401


REFUSED = [
    ({"department": "Calvados"}, "department"),
    ({"page": "0"}, "page"),
    ({"page_size": "101"}, "page_size"),
    ({"q": "x" * 201}, "q"),
    ({"city": "x" * 81}, "city"),
]


def test_bad_filters_are_refused(seeded_api, of):
    for query, field in REFUSED:
        response = seeded_api.get(SEARCH, query_string=query, headers=of)
        assert response.status_code == 422, response.get_json()
        assert {f["field"] for f in response.get_json()["error"]["fields"]} == {field}, query


@pytest.fixture
def dynamodb_calls(seeded_api) -> Any:
    """The DynamoDB operations the product calls (botocore's before-call hook on its clients)."""
    from ofeli import aws

    calls: list[str] = []

    def seen(model: Any, **_: Any) -> None:
        calls.append(model.name)

    clients = [aws.dynamodb().meta.client, aws.client("dynamodb")]
    for client in clients:
        client.meta.events.register("before-call.dynamodb", seen)
    yield calls
    for client in clients:
        client.meta.events.unregister("before-call.dynamodb", seen)


def test_never_a_scan(seeded_api, of, dynamodb_calls):
    find(seeded_api, of, q="demo")
    assert "Scan" not in dynamodb_calls and dynamodb_calls.count("Query") == 6  # 5 departments and the rest
    dynamodb_calls.clear()
    find(seeded_api, of, department="14", city="caen")
    assert dynamodb_calls.count("Query") == 1 and "Scan" not in dynamodb_calls  # one department: one partition
