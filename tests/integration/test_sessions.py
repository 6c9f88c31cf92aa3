"""Issue 10: sessions edited inside their formation's draft, numbered, checked at submission with every
rule and its path, published by the moderator's approval, duplicated; the referentials the form reads.

The rules themselves, case by case, are in tests/unit/test_session_rules.py; here they are seen through
the API on the demo data."""

from __future__ import annotations

from datetime import date, timedelta

from records import HEAD

from ofeli import clock
from ofeli.store import table

BRANCH = "81432712100020"


def formation(api, headers, title="Assistant de comptabilité et d'administration"):
    rows = api.get(f"/structures/{HEAD}/formations", headers=headers).get_json()["items"]
    ref = next(r["ref"] for r in rows if r["title"] == title)
    response = api.get(f"/formations/{ref}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def open_draft(api, headers, view):
    opened = api.put(
        f"/formations/{view['ref']}/draft", json={"version": 0, "data": view["published"]}, headers=headers
    )
    assert opened.status_code == 200, opened.get_json()
    return opened.get_json()


def save(api, headers, view, sessions):
    data = {**view["draft"], "sessions": sessions}
    response = api.put(
        f"/formations/{view['ref']}/draft",
        json={"version": view["submission"]["version"], "data": data},
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def fields(response):
    return {f["field"]: f["message"] for f in response.get_json()["error"]["fields"]}


def approve(api, moderator, ref):
    (entry,) = [
        e for e in api.get("/moderation/queue?kind=formation", headers=moderator).get_json() if e["record_id"] == ref
    ]
    review = api.get(f"/moderation/submissions/{entry['id']}", headers=moderator).get_json()
    decided = api.post(
        f"/moderation/submissions/{entry['id']}/decision", json={"decision": "approve"}, headers=moderator
    )
    assert decided.status_code == 200, decided.get_json()
    return review


def place_at(api, headers, siret, line1):
    """The id of the structure's place on file at this street line."""
    response = api.get(f"/structures/{siret}/places", headers=headers)
    assert response.status_code == 200, response.get_json()
    (found,) = [p["place_id"] for p in response.get_json() if p["address"]["line1"] == line1]
    return found


def place_warnings(view, ref):
    """The warnings on the places of training and of registration of the session `ref`."""
    at = f"sessions.{ref}."
    return [w for w in view["warnings"] if w["field"].startswith((f"{at}places", f"{at}registration"))]


def test_a_session_added_refused_then_fixed_and_published(seeded_api, of, moderator):
    api = seeded_api
    view = formation(api, of)
    assert len(view["published"]["sessions"]) == 1  # the current and upcoming ones, carried by a draft
    assert [s["state"] for s in view["sessions"]] == ["upcoming"]
    view = open_draft(api, of, view)

    start = clock.today() + timedelta(days=60)
    added = api.post(f"/formations/{view['ref']}/sessions", json={"start_date": start.isoformat()}, headers=of)
    assert added.status_code == 201, added.get_json()
    view = added.get_json()
    new = view["draft"]["sessions"][-1]
    ref = new["ref"]
    assert ref.startswith("S") and table.get(f"SESSION#{ref}", "REF")["formation_ref"] == view["ref"]
    # prefilled: the responsible organisation's address, here a place it already has on file (chosen by
    # reference, not created twice), so no warning of a likely duplicate
    caen = place_at(api, of, HEAD, "12 rue de la Paix")
    assert new["places"] == [{"place_id": caen, "name": None, "address": None}]
    assert new["registration"] == {"place_id": caen, "name": None, "address": None}
    assert place_warnings(view, ref) == []

    # every violation at once, each with its path
    refused = api.post(f"/formations/{view['ref']}/submission", json={}, headers=of)
    assert refused.status_code == 422
    paths = set(fields(refused))
    assert {f"sessions.{ref}.end_date", f"sessions.{ref}.funding", f"sessions.{ref}.total_hours"} <= paths

    # France Travail: at least one of ISC / RDVI / ICO, and an ICO's hours between 07:00 and 20:00
    session = {
        **new,
        "end_date": (start + timedelta(weeks=10)).isoformat(),
        "hours_in_centre": 280,
        "funding": [{"financer": "4", "measure": "AIF", "publics": ["demandeur_emploi"], "seats": 10}],
    }
    view = save(api, of, view, [*view["draft"]["sessions"][:-1], session])
    refused = api.post(f"/formations/{view['ref']}/submission", json={}, headers=of)
    assert refused.status_code == 422 and set(fields(refused)) == {f"sessions.{ref}.recruitment"}
    meeting = {
        "code": "9",
        "seats": 20,
        "date": (start - timedelta(days=10)).isoformat(),
        "hours": {"start": "18:30", "end": "21:00"},
        "remote": True,
    }
    view = save(
        api, of, view, [*view["draft"]["sessions"][:-1], {**view["draft"]["sessions"][-1], "recruitment": [meeting]}]
    )
    numbered = view["draft"]["sessions"][-1]["recruitment"][0]["number"]
    assert numbered == f"{ref}-1"  # numbered by the platform
    refused = api.post(f"/formations/{view['ref']}/submission", json={}, headers=of)
    assert refused.status_code == 422
    assert "20:00" in fields(refused)[f"sessions.{ref}.recruitment.0.hours.end"]

    fixed = {**view["draft"]["sessions"][-1]}
    fixed["recruitment"] = [{**fixed["recruitment"][0], "hours": {"start": "18:00", "end": "19:30"}}]
    view = save(api, of, view, [*view["draft"]["sessions"][:-1], fixed])
    submitted = api.post(f"/formations/{view['ref']}/submission", json={}, headers=of)
    assert submitted.status_code == 200, submitted.get_json()

    review = approve(api, moderator, view["ref"])
    (difference,) = [d for d in review["differences"] if d["field"] == "sessions"]
    assert [s["ref"] for s in difference["added"]] == [ref]
    (change,) = review["details"]["sessions"]  # which session changed, and how
    assert (change["ref"], change["change"]) == (ref, "added")
    assert any(d["field"] == "funding" and d["label"] for d in change["differences"])

    published = formation(api, of)
    assert published["draft"] is None
    (mine,) = [s for s in published["sessions"] if s["ref"] == ref]
    assert (mine["state"], mine["recruitment"][0]["number"]) == ("upcoming", f"{ref}-1")


def test_the_prefilled_place_is_created_when_the_responsible_has_none_at_its_address(seeded_api, of, moderator):
    api = seeded_api
    # the head office moved: none of its places on file is at its new address
    version = api.get(f"/structures/{HEAD}", headers=moderator).get_json()["published"]["version"]
    address = {"line1": "6 boulevard du Grand Parc", "postal_code": "14200", "city": "Hérouville-Saint-Clair"}
    moved = api.patch(
        f"/moderation/structures/{HEAD}", json={"version": version, "address": address}, headers=moderator
    )
    assert moved.status_code == 200, moved.get_json()
    view = open_draft(api, of, formation(api, of))

    added = api.post(f"/formations/{view['ref']}/sessions", json={}, headers=of)
    assert added.status_code == 201, added.get_json()
    view = added.get_json()
    new = view["draft"]["sessions"][-1]
    # a new place: the responsible organisation's name and address, completed by the address search
    for place in (new["places"][0], new["registration"]):
        assert (place["place_id"], place["name"]) == (None, "OF Démo Formation")
        assert {k: place["address"][k] for k in ("line1", "postal_code", "city", "insee_code")} == {
            **address,
            "insee_code": "14327",
        }
    assert place_warnings(view, new["ref"]) == []


def test_a_session_is_duplicated_and_a_finished_one_stays_as_it_was(seeded_api, of, moderator):
    api = seeded_api
    view = open_draft(api, of, formation(api, of))
    (source,) = view["draft"]["sessions"]
    start = date.fromisoformat(source["start_date"]) + timedelta(days=365)
    copied = api.post(
        f"/sessions/{source['ref']}/duplicate",
        json={"start_date": start.isoformat(), "end_date": (start + timedelta(weeks=20)).isoformat()},
        headers=of,
    )
    assert copied.status_code == 201, copied.get_json()
    copy = copied.get_json()["draft"]["sessions"][-1]
    assert copy["ref"] != source["ref"] and copy["start_date"] == start.isoformat()
    assert copy["funding"] == source["funding"] and copy["places"] == source["places"]
    assert (
        api.post(
            f"/sessions/{source['ref']}/duplicate",
            json={"start_date": "2027-01-01", "end_date": "2027-02-01"},
            headers=moderator,
        ).status_code
        == 403
    )
    # a published session is never removed from the draft
    view = copied.get_json()
    removed = api.put(
        f"/formations/{view['ref']}/draft",
        json={"version": view["submission"]["version"], "data": {**view["draft"], "sessions": [copy]}},
        headers=of,
    )
    assert removed.status_code == 200
    refused = api.post(f"/formations/{view['ref']}/submission", json={}, headers=of)
    assert refused.status_code == 422 and "Ne supprimez pas" in fields(refused)[f"sessions.{source['ref']}"]
    assert api.delete(f"/formations/{view['ref']}/draft", headers=of).status_code == 204

    # once its end is past, a session is finished: out of the draft, read-only, still duplicable
    clock.set(clock.now() + timedelta(days=400))
    later = formation(api, of)
    assert [s["state"] for s in later["sessions"]] == ["finished"] and later["published"]["sessions"] == []
    view = open_draft(api, of, later)
    again = api.post(
        f"/sessions/{source['ref']}/duplicate",
        json={
            "start_date": (clock.today() + timedelta(days=30)).isoformat(),
            "end_date": (clock.today() + timedelta(days=90)).isoformat(),
        },
        headers=of,
    )
    assert again.status_code == 201 and len(again.get_json()["draft"]["sessions"]) == 1
    edited = {**source, "hours_in_centre": 1}
    view = again.get_json()
    sneaked = api.put(
        f"/formations/{view['ref']}/draft",
        json={
            "version": view["submission"]["version"],
            "data": {**view["draft"], "sessions": [*view["draft"]["sessions"], edited]},
        },
        headers=of,
    )
    assert sneaked.status_code == 200
    refused = api.post(f"/formations/{view['ref']}/submission", json={}, headers=of)
    assert "terminée" in fields(refused)[f"sessions.{source['ref']}"]


def test_only_the_mandataire_adds_sessions_and_only_to_an_open_draft(seeded_api, of):
    api = seeded_api
    view = formation(api, of)
    closed = api.post(f"/formations/{view['ref']}/sessions", json={}, headers=of)
    assert closed.status_code == 409 and "demande de modification" in closed.get_json()["error"]["message"]
    (trained,) = api.get(f"/structures/{BRANCH}/formations", headers=of).get_json()["items"]
    refused = api.post(f"/formations/{trained['ref']}/sessions", json={}, headers=of)
    assert refused.status_code == 403
    soudeur = api.get(f"/formations/{trained['ref']}", headers=of).get_json()
    assert any(s["trainer_siret"] == BRANCH for s in soudeur["sessions"])
    # a session number of another formation is not this one's
    view = open_draft(api, of, view)
    foreign = {**soudeur["sessions"][0]}
    for key in ("state", "state_label"):
        foreign.pop(key)
    stolen = api.put(
        f"/formations/{view['ref']}/draft",
        json={"version": view["submission"]["version"], "data": {**view["draft"], "sessions": [foreign]}},
        headers=of,
    )
    assert stolen.status_code == 422 and "sessions.0.ref" in fields(stolen)


def test_what_only_the_carif_oref_sets_stays_as_published(seeded_api, of):
    api = seeded_api
    view = open_draft(api, of, formation(api, of))
    (session,) = view["draft"]["sessions"]
    lines = [{**line, "scheme_state": "conventionne"} for line in session["funding"]]
    saved = save(api, of, view, [{**session, "funding": lines, "archived": True}])
    (kept,) = saved["draft"]["sessions"]
    assert [line.get("scheme_state") for line in kept["funding"]] == [None] and kept["archived"] is False


def test_the_referentials_the_session_form_reads(seeded_api, of):
    api = seeded_api
    financing = api.get("/referentials/financements", headers=of).get_json()
    france_travail = next(f for f in financing["financers"] if f["code"] == "4")
    assert france_travail["public"] and "AIF" in {m["code"] for m in france_travail["measures"]}
    financers = api.get("/referentials/dict-financeurs", headers=of).get_json()
    assert financers["4"].startswith("France Travail") or "emploi" in financers["4"].lower()
    unknown = api.get("/referentials/inconnu", headers=of)
    assert unknown.status_code == 404 and "financements" in unknown.get_json()["error"]["message"]
    assert api.get("/referentials/financements").status_code == 401


def test_places_created_by_sessions_are_the_trainers_and_contact_requests_reach_the_carif(seeded_api, of, moderator):
    api = seeded_api
    places = api.get(f"/structures/{HEAD}/places", headers=of).get_json()
    caen = next(p for p in places if p["address"]["city"] == "Caen")
    assert caen["name"] == "OF Démo Formation" and caen["address"]["insee_code"] == "14118"
    view = open_draft(api, of, formation(api, of))
    (session,) = view["draft"]["sessions"]
    chosen = {**session, "places": [{"place_id": caen["place_id"]}], "contact_request": "Ajouter M. Leroy, formateur."}
    view = save(api, of, view, [chosen])
    unknown = save(api, of, view, [{**chosen, "places": [{"place_id": "inconnu"}]}])
    refused = api.post(f"/formations/{view['ref']}/submission", json={}, headers=of)
    assert refused.status_code == 422 and f"sessions.{session['ref']}.places.0.place_id" in fields(refused)
    save(api, of, unknown, [chosen])
    assert api.post(f"/formations/{view['ref']}/submission", json={}, headers=of).status_code == 200
    approve(api, moderator, view["ref"])
    requests = api.get("/moderation/contact-requests", headers=moderator).get_json()
    assert any(r["text"] == "Ajouter M. Leroy, formateur." and r["kind"] == "session" for r in requests)
    (published,) = [s for s in formation(api, of)["sessions"] if s["ref"] == session["ref"]]
    assert [p["place_id"] for p in published["places"]] == [caen["place_id"]]
    assert published.get("contact_request") is None


def test_the_carif_oref_sets_the_scheme_state_of_a_published_session(seeded_api, of, moderator):
    api = seeded_api
    view = formation(api, moderator)
    (session,) = view["sessions"]
    line = session["funding"][0]
    body = {
        "version": view["version"],
        "funding": [{**{k: line[k] for k in ("financer", "measure")}, "scheme_state": "conventionne"}],
    }
    assert api.patch(f"/moderation/sessions/{session['ref']}", json=body, headers=of).status_code == 403
    changed = api.patch(f"/moderation/sessions/{session['ref']}", json=body, headers=moderator)
    assert changed.status_code == 200, changed.get_json()
    (after,) = changed.get_json()["sessions"]
    assert after["funding"][0]["scheme_state"] == "conventionne"
    assert api.patch(f"/moderation/sessions/{session['ref']}", json=body, headers=moderator).status_code == 409
    wrong = {
        **body,
        "version": changed.get_json()["version"],
        "funding": [{"financer": "16", "measure": "PRO_A", "scheme_state": None}],
    }
    assert api.patch(f"/moderation/sessions/{session['ref']}", json=wrong, headers=moderator).status_code == 422
    history = api.get(f"/formations/{view['ref']}/history", headers=of).get_json()
    assert history[0]["comment"] == "État du dispositif fixé par le Carif-Oref"


def test_a_publication_fits_in_one_transaction(seeded_api, of):
    api = seeded_api
    view = open_draft(api, of, formation(api, of))
    many = [*view["draft"]["sessions"], *({"start_date": "2027-05-03"} for _ in range(86))]
    view = save(api, of, view, many)
    refused = api.post(f"/formations/{view['ref']}/submission", json={}, headers=of)
    assert refused.status_code == 422 and "trop pour une seule validation" in fields(refused)["sessions"]


def test_a_session_names_contacts_of_the_ofs_structures(seeded_api, of, moderator):
    api = seeded_api
    view = formation(api, of)
    assert {(c["id"], c["structure_name"]) for c in view["session_contacts"]} == {
        ("roussel", "OF Démo Formation"),
        ("petit", "OF Démo Formation"),
    }
    assert formation(api, moderator)["session_contacts"] == view["session_contacts"]
    (trained,) = api.get(f"/structures/{BRANCH}/formations", headers=of).get_json()["items"]
    assert api.get(f"/formations/{trained['ref']}", headers=of).get_json()["session_contacts"] == []
    view = open_draft(api, of, view)
    (session,) = view["draft"]["sessions"]
    view = save(api, of, view, [{**session, "contacts": [{"contact_id": "roussel", "contact_type": "3"}]}])
    assert api.post(f"/formations/{view['ref']}/submission", json={}, headers=of).status_code == 200
