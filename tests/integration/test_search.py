"""Issue 11: the guide's search engine (criteria with AND, references with `*` and `;`, sort, paging,
column filters), the dashboard's blocks and their counts agreeing with the lists behind them, what a
structure never sees, and the cost of a search in DynamoDB calls.

The demo: the OF's head office is responsible for F0000001 *CAP boulanger* (2 sessions in Cherbourg, one
funded by France Travail's AIF, one by the Conseil régional) and F0000002 *Assistant de comptabilité*
(1 session in Caen); the other OF for F0000003 *Soudeur* (3 sessions, the one in Cherbourg trained by
the demo OF's branch)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from records import HEAD

from ofeli import clock

BRANCH = "81432712100020"
OTHER = "41298765400016"


def find(api, headers, siret=HEAD, **query):
    response = api.get(f"/structures/{siret}/formations", query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def region(api, headers, **query):
    response = api.get("/moderation/formations", query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def refs(page):
    return sorted({line["ref"] for line in page["items"]})


def sessions(page):
    return [line["session"] for line in page["items"]]


def test_the_space_lists_one_line_per_session_with_its_state(seeded_api, of):
    page = find(seeded_api, of, page_size=50)
    assert refs(page) == ["F0000001", "F0000002"]
    assert (page["total"], page["formations"]) == (3, 2)
    assert {(line["state"], line["state_label"], line["role"]) for line in page["items"]} == {
        ("diffusee", "Diffusée", "responsable")
    }
    cap = [line for line in page["items"] if line["ref"] == "F0000001"]
    assert {line["city"] for line in cap} == {"Cherbourg-en-Cotentin"}
    assert all(line["start"] and line["end"] for line in page["items"])


def test_the_guide_example_title_and_city(seeded_api, of):
    page = find(seeded_api, of, title="boulanger", city="Cherbourg")
    assert refs(page) == ["F0000001"] and page["total"] == 2
    assert find(seeded_api, of, title="boulanger", city="Caen")["total"] == 0
    # a whole word, not a truncation; case and accents ignored
    assert find(seeded_api, of, title="boul")["total"] == 0
    assert refs(find(seeded_api, of, title="BOULANGER")) == ["F0000001"]
    assert refs(find(seeded_api, of, title="comptabilite")) == ["F0000002"]
    # several words: the exact label
    assert refs(find(seeded_api, of, title="cap boulanger")) == ["F0000001"]
    assert find(seeded_api, of, title="boulanger cap")["total"] == 0


def test_references_whole_with_wildcards_and_lists(seeded_api, of):
    assert refs(find(seeded_api, of, ref="F0000002")) == ["F0000002"]
    assert refs(find(seeded_api, of, ref="0000002")) == ["F0000002"]
    assert refs(find(seeded_api, of, ref="*2")) == ["F0000002"]
    assert refs(find(seeded_api, of, ref="*000000*")) == ["F0000001", "F0000002"]
    assert refs(find(seeded_api, of, ref="F0000001 ; F0000002")) == ["F0000001", "F0000002"]
    assert find(seeded_api, of, ref="F0000003")["total"] == 0  # the other OF's
    assert find(seeded_api, of, ref="00000")["total"] == 0  # not a whole number
    first = find(seeded_api, of, ref="F0000001")["items"][0]["session"]
    by_session = find(seeded_api, of, ref=first, ref_type="S")
    assert sessions(by_session) == [first]
    assert sessions(find(seeded_api, of, q=first)) == [first]  # the quick search takes references too
    assert refs(find(seeded_api, of, q="boulanger")) == ["F0000001"]
    assert refs(find(seeded_api, of, q="F*2")) == ["F0000002"]


def test_measure_market_and_state(seeded_api, of):
    assert refs(find(seeded_api, of, mesure="AIF")) == ["F0000001"]
    aif = find(seeded_api, of, mesure="aif")
    assert aif["total"] == 1  # the line of the session funded by the AIF only
    assert find(seeded_api, of, mesure="Une mesure qui n'existe pas")["total"] == 0
    assert find(seeded_api, of, marche="2026-REG-999")["total"] == 0
    assert find(seeded_api, of, state="diffusee")["total"] == 3
    assert find(seeded_api, of, state="en_attente")["total"] == 0


def test_sort_paging_and_column_filters(seeded_api, of):
    by_title = find(seeded_api, of, sort="title", order="desc")
    assert [line["title"] for line in by_title["items"]][0] == "CAP boulanger"
    by_start = find(seeded_api, of, sort="start")
    starts = [line["start"] for line in by_start["items"]]
    assert starts == sorted(starts)
    assert [line["start"] for line in find(seeded_api, of, sort="start", order="desc")["items"]] == starts[::-1]
    first, second = (
        find(seeded_api, of, sort="start", page_size=2, page=1),
        find(seeded_api, of, sort="start", page_size=2, page=2),
    )
    assert sessions(first) + sessions(second) == sessions(by_start)
    assert (first["total"], second["total"], len(second["items"])) == (3, 3, 1)
    assert refs(find(seeded_api, of, filter_city="caen")) == ["F0000002"]
    assert find(seeded_api, of, filter_title="comptab", filter_city="cherbourg")["total"] == 0


def test_a_trainer_finds_the_formations_it_trains_read_only(seeded_api, of):
    page = find(seeded_api, of, siret=BRANCH)
    (line,) = page["items"]  # the session it trains, not the others of the formation
    assert (line["ref"], line["role"], line["city"]) == ("F0000003", "formateur", "Cherbourg-en-Cotentin")


def test_the_offers_of_a_structure_the_user_has_no_part_in_are_never_shown(seeded_api, of):
    response = seeded_api.get(f"/structures/{OTHER}/formations", headers=of)
    assert response.status_code == 403


def test_the_moderators_search_the_whole_region(seeded_api, moderator):
    page = region(seeded_api, moderator, page_size=50)
    assert refs(page) == ["F0000001", "F0000002", "F0000003"]
    assert page["total"] == 6  # the trainer's copy of F0000003 is not counted twice
    assert {line["structure"] for line in page["items"] if line["ref"] == "F0000003"} == {"Atelier Normand des Métiers"}
    assert refs(region(seeded_api, moderator, city="Cherbourg")) == ["F0000001", "F0000003"]


def test_blocks_count_what_their_search_lists(seeded_api, of):
    dashboard = seeded_api.get(f"/structures/{HEAD}/dashboard", headers=of).get_json()
    blocks = dashboard["blocks"]
    for block, count in blocks.items():
        assert find(seeded_api, of, block=block, page_size=200)["formations"] == count, block
    assert blocks["diffusees"] == 2 and blocks["en_attente"] == 0 and blocks["non_diffusees"] == 0
    assert blocks["fonds_publics"] == 2  # France Travail and the Conseil régional are public financers
    assert dashboard["formations"] == 2


def _open_draft(api, headers, ref):
    formation = api.get(f"/formations/{ref}", headers=headers).get_json()
    response = api.put(f"/formations/{ref}/draft", json={"version": 0, "data": formation["published"]}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_submission_shows_pending_then_published_again(seeded_api, of, moderator):
    opened = _open_draft(seeded_api, of, "F0000002")
    data = {**opened["draft"], "title": "Assistant de comptabilité et de gestion"}
    saved = seeded_api.put(
        "/formations/F0000002/draft", json={"version": opened["submission"]["version"], "data": data}, headers=of
    )
    assert saved.status_code == 200, saved.get_json()
    submitted = seeded_api.post(
        "/formations/F0000002/submission", json={"version": saved.get_json()["submission"]["version"]}, headers=of
    )
    assert submitted.status_code == 200, submitted.get_json()
    pending = find(seeded_api, of, block="en_attente")
    assert refs(pending) == ["F0000002"] and {line["state"] for line in pending["items"]} == {"en_attente"}
    assert refs(find(seeded_api, of, block="diffusees")) == ["F0000001", "F0000002"]  # still online meanwhile
    seeded_api.delete("/formations/F0000002/submission", headers=of)
    assert find(seeded_api, of, block="en_attente")["total"] == 0
    seeded_api.post(
        "/formations/F0000002/submission",
        json={"version": seeded_api.get("/formations/F0000002", headers=of).get_json()["submission"]["version"]},
        headers=of,
    )
    (entry,) = [
        e for e in seeded_api.get("/moderation/queue", headers=moderator).get_json() if e["record_id"] == "F0000002"
    ]
    decided = seeded_api.post(
        f"/moderation/submissions/{entry['id']}/decision", json={"decision": "approve"}, headers=moderator
    )
    assert decided.status_code in (200, 204), decided.get_json()
    after = find(seeded_api, of, title="gestion")
    assert refs(after) == ["F0000002"] and {line["state"] for line in after["items"]} == {"diffusee"}
    assert find(seeded_api, of, title="administration")["total"] == 0


def test_a_formation_in_creation_shows_without_session_and_goes_when_abandoned(seeded_api, of):
    created = seeded_api.post(
        f"/structures/{HEAD}/formations", json={"certifying": False, "title": "Anglais professionnel"}, headers=of
    )
    assert created.status_code in (200, 201), created.get_json()
    ref = created.get_json()["ref"]
    (line,) = find(seeded_api, of, ref=ref)["items"]
    assert (line["title"], line["session"], line["state"]) == ("Anglais professionnel", None, "en_creation")
    assert seeded_api.delete(f"/formations/{ref}/draft", headers=of).status_code in (200, 204)
    assert find(seeded_api, of, ref=ref)["total"] == 0


def test_finished_sessions_and_the_non_diffusees_block(seeded_api, of):
    clock.set(clock.now() + timedelta(days=400))  # every demo session has ended
    page = find(seeded_api, of)
    assert {line["state"] for line in page["items"]} == {"terminee"}
    assert find(seeded_api, of, block="diffusees")["total"] == 0
    assert refs(find(seeded_api, of, block="non_diffusees")) == ["F0000001", "F0000002"]
    dashboard = seeded_api.get(f"/structures/{HEAD}/dashboard", headers=of).get_json()
    assert dashboard["blocks"]["non_diffusees"] == 2 and dashboard["blocks"]["diffusees"] == 0


@pytest.mark.parametrize(
    "query", [{}, {"title": "boulanger"}, {"ref": "*1;*2", "sort": "city"}, {"block": "fonds_publics"}]
)
def test_a_search_costs_the_same_calls_whatever_the_offer(seeded_api, of, dynamodb_calls, query):
    find(seeded_api, of, **query)  # the certification snapshot is in memory now
    dynamodb_calls.clear()
    find(seeded_api, of, **query)
    small = list(dynamodb_calls)
    assert "Scan" not in small and small.count("Query") == 1, small
    for n in range(30):
        certifying = {"certifying": True, "certification_codes": ["RNCP35343"]} if n % 2 else {"certifying": False}
        created = seeded_api.post(
            f"/structures/{HEAD}/formations", json={**certifying, "title": f"Formation {n}"}, headers=of
        )
        assert created.status_code == 201, created.get_json()
    dynamodb_calls.clear()
    assert find(seeded_api, of, **query, page_size=5)["page_size"] == 5
    assert dynamodb_calls == small  # the same calls, not one more per formation


def test_the_region_search_reads_the_shards_once_then_only_what_changed(seeded_api, of, moderator, dynamodb_calls):
    region(seeded_api, moderator)  # the 8 shards, and where their change logs end
    dynamodb_calls.clear()
    assert refs(region(seeded_api, moderator, title="soudeur")) == ["F0000003"]
    assert "Scan" not in dynamodb_calls and "BatchGetItem" not in dynamodb_calls
    assert dynamodb_calls.count("Query") == 8  # each shard's change log: nothing new
    clock.set(clock.now() - timedelta(days=30))  # a product date moved back hides no change from the log
    created = seeded_api.post(
        f"/structures/{HEAD}/formations", json={"certifying": False, "title": "Soudure TIG"}, headers=of
    )
    assert created.status_code == 201, created.get_json()
    ref = created.get_json()["ref"]
    dynamodb_calls.clear()
    (line,) = region(seeded_api, moderator, title="tig")["items"]
    assert (line["ref"], line["state"], line["structure"]) == (ref, "en_creation", "OF Démo Formation")
    assert dynamodb_calls.count("Query") == 8 and dynamodb_calls.count("BatchGetItem") == 1  # the changed row only
    assert seeded_api.delete(f"/formations/{ref}/draft", headers=of).status_code in (200, 204)
    assert region(seeded_api, moderator, title="tig")["total"] == 0
    opened = _open_draft(seeded_api, of, "F0000002")
    data = {**opened["draft"], "title": "Assistant de comptabilité et de paie"}
    saved = seeded_api.put(
        "/formations/F0000002/draft", json={"version": opened["submission"]["version"], "data": data}, headers=of
    )
    submitted = seeded_api.post(
        "/formations/F0000002/submission", json={"version": saved.get_json()["submission"]["version"]}, headers=of
    )
    assert submitted.status_code == 200, submitted.get_json()
    assert refs(region(seeded_api, moderator, block="en_attente")) == ["F0000002"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"state": "publiee"}, "state"),
        ({"block": "toutes"}, "block"),
        ({"sort": "prix"}, "sort"),
        ({"page_size": "500"}, "page_size"),
    ],
)
def test_bad_criteria_get_a_french_message(seeded_api, of, query, field):
    response = seeded_api.get(f"/structures/{HEAD}/formations", query_string=query, headers=of)
    assert response.status_code == 422
    body = response.get_json()
    assert any(field in f["field"] for f in body["error"]["fields"]), body
