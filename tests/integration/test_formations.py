"""Issue 9, items 3 to 5: a formation created from the certification referential, its draft, submission,
decision and history through the workflow engine, who may write it, and the Carif-Oref's indexing.

The demo data loads a small referential (infra/local/demo) and publishes three formations the way an OF
and a moderator do."""

from __future__ import annotations

from records import HEAD, MODERATOR

from ofeli.domain.offers import LOCKED, NO_NDA, NOT_MANDATAIRE

BRANCH = "81432712100020"  # the demo OF's branch: no NDA; it trains a session of the other OF's formation
OTHER = "41298765400016"
CAP = "RNCP37861"  # CAP Boulanger in the demo referential


def formations(api, headers, siret=HEAD):
    """The space's formations (the search's lines, one per formation: its first session's state)."""
    response = api.get(f"/structures/{siret}/formations", query_string={"page_size": 200}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return list({line["ref"]: line for line in reversed(response.get_json()["items"])}.values())


def create(api, headers, siret=HEAD, **body):
    return api.post(f"/structures/{siret}/formations", json=body, headers=headers)


def view(api, headers, ref):
    response = api.get(f"/formations/{ref}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def save(api, headers, formation, **changes):
    data = {**formation["draft"], **changes}
    return api.put(
        f"/formations/{formation['ref']}/draft",
        json={"version": formation["submission"]["version"], "data": data},
        headers=headers,
    )


def fields(response):
    return {f["field"]: f["message"] for f in response.get_json()["error"]["fields"]}


def test_the_demo_formations_are_real_published_ones(seeded_api, of):
    rows = {f["title"]: f for f in formations(seeded_api, of)}
    assert {(t, r["state"], r["role"]) for t, r in rows.items()} == {
        ("CAP boulanger", "diffusee", "responsable"),
        ("Assistant de comptabilité et d'administration", "diffusee", "responsable"),
    }
    cap = view(seeded_api, of, rows["CAP boulanger"]["ref"])
    assert cap["published"]["certifying"] and cap["can_edit"] and cap["draft"] is None
    (certification,) = cap["certifications"]
    assert (certification["code"], certification["active"], certification["principal"]) == (CAP, True, True)
    assert certification["url"].startswith("https://www.francecompetences.fr/recherche/rncp/37861")
    assert len(cap["sessions"]) == 2
    history = seeded_api.get(f"/formations/{cap['ref']}/history", headers=of).get_json()
    assert [h["decided_by"] for h in history] == [MODERATOR[0]]
    # the branch trains a session of the other OF's formation: listed, read-only
    (trained,) = formations(seeded_api, of, BRANCH)
    assert (trained["title"], trained["role"]) == ("Soudeur assembleur industriel", "formateur")


def test_from_ajouter_to_an_approved_formation(seeded_api, mailbox, of, moderator):
    api = seeded_api
    similar = api.get(f"/structures/{HEAD}/formations/similar", query_string={"codes": CAP}, headers=of)
    assert [s["title"] for s in similar.get_json()] == ["CAP boulanger"]

    created = create(api, of, certifying=True, certification_codes=[CAP.lower()])
    assert created.status_code == 201, created.get_json()
    formation = created.get_json()
    ref = formation["ref"]
    assert (formation["status"], formation["published"], formation["submission"]["state"]) == (
        "en_creation",
        None,
        "draft",
    )
    draft = formation["draft"]
    assert (draft["title"], draft["entry_level"], draft["exit_level"]) == ("CAP Boulanger", "1", "13")
    assert draft["certifications"] == [{"code": CAP, "principal": True}]
    assert draft["objective"] is None  # the CSV export carries no objective (the XML one does)
    assert formation["formacodes"] or formation["nsf"] or formation["romes"]  # the referential's codes suggested
    assert {r["ref"]: r["state"] for r in formations(api, of)}[ref] == "en_creation"

    # saved as typed, pasted text cleaned, the guide's recommendations as warnings
    saved = save(api, of, formation, title="CAP BOULANGER EN ALTERNANCE", content="\u2022 pétrissage\r\n\u2022 cuisson")
    assert saved.status_code == 200, saved.get_json()
    formation = saved.get_json()
    assert formation["draft"]["content"] == "- pétrissage\n- cuisson"
    assert "majuscules" in {w["field"]: w["message"] for w in formation["warnings"]}["title"]

    formation = save(
        api, of, formation, title="Boulanger : fabrication du pain", objective="Fabriquer le pain.", contact_id="x"
    ).get_json()
    refused = api.post(
        f"/formations/{ref}/submission", json={"version": formation["submission"]["version"]}, headers=of
    )
    assert refused.status_code == 422 and set(fields(refused)) == {"contact_id"}

    formation = save(api, of, formation, contact_id="petit").get_json()
    submitted = api.post(
        f"/formations/{ref}/submission", json={"version": formation["submission"]["version"]}, headers=of
    )
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["status"] == "en_attente"
    locked = save(api, of, submitted.get_json(), title="Autre")
    assert locked.status_code == 423 and locked.get_json()["error"]["message"] == LOCKED
    assert api.delete(f"/formations/{ref}/draft", headers=of).status_code == 423

    # *Annuler ma demande de vérification*, then submitted again
    withdrawn = api.delete(f"/formations/{ref}/submission", headers=of)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["submission"]["state"] == "draft"
    again = api.post(f"/formations/{ref}/submission", json={}, headers=of)
    assert again.status_code == 200

    (entry,) = [
        e for e in api.get("/moderation/queue?kind=formation", headers=moderator).get_json() if e["record_id"] == ref
    ]
    assert (entry["title"], entry["siret"]) == ("Boulanger : fabrication du pain", HEAD)
    review = api.get(f"/moderation/submissions/{entry['id']}", headers=moderator).get_json()
    changed = {d["field"]: d for d in review["differences"]}
    assert changed["title"]["after"] == "Boulanger : fabrication du pain" and changed["title"]["label"]
    assert changed["certifications"]["added"] == [{"code": CAP, "principal": True}]

    sent = len(mailbox.sent())
    decided = api.post(
        f"/moderation/submissions/{entry['id']}/decision", json={"decision": "approve"}, headers=moderator
    )
    assert decided.status_code == 200, decided.get_json()
    published = view(api, of, ref)
    assert (published["status"], published["draft"], published["published"]["title"]) == (
        "publiee",
        None,
        "Boulanger : fabrication du pain",
    )
    assert published["published"]["contact_id"] == "petit"
    mails = mailbox.sent()[: len(mailbox.sent()) - sent]
    assert any("Boulanger : fabrication du pain" in m["subject"] + m["body"] for m in mails)
    (entry_history,) = api.get(f"/formations/{ref}/history", headers=of).get_json()
    assert entry_history["decided_by"] == MODERATOR[0]

    # *Demande de modification* of the published formation: version 0 opens the draft
    opened = api.put(f"/formations/{ref}/draft", json={"version": 0, "data": published["published"]}, headers=of)
    assert opened.status_code == 200 and opened.get_json()["submission"]["state"] == "draft"
    nothing = api.post(f"/formations/{ref}/submission", json={}, headers=of)
    assert nothing.status_code == 409  # nothing changed
    # another certification in the draft: the view describes it, and the published one too
    other = save(api, of, opened.get_json(), certifications=[{"code": "RNCP37862", "principal": True}]).get_json()
    assert [c["code"] for c in other["certifications"]] == ["RNCP37862", CAP]
    assert api.delete(f"/formations/{ref}/draft", headers=of).status_code == 204
    assert view(api, of, ref)["status"] == "publiee"  # a published formation keeps its record


def test_a_rejected_formation_comes_back_with_the_comment(seeded_api, mailbox, of, moderator):
    api = seeded_api
    formation = create(api, of, certifying=False, title="Initiation à la pâtisserie").get_json()
    formation = save(api, of, formation, objective="Réaliser les pâtes de base.").get_json()
    api.post(f"/formations/{formation['ref']}/submission", json={}, headers=of)
    (entry,) = [
        e for e in api.get("/moderation/queue", headers=moderator).get_json() if e["record_id"] == formation["ref"]
    ]
    rejected = api.post(
        f"/moderation/submissions/{entry['id']}/decision",
        json={"decision": "reject", "comment": "Précisez le public visé."},
        headers=moderator,
    )
    assert rejected.status_code == 200, rejected.get_json()
    back = view(api, of, formation["ref"])
    assert (back["status"], back["submission"]["state"], back["submission"]["comment"]) == (
        "en_creation",
        "draft",
        "Précisez le public visé.",
    )


def test_a_creation_abandoned_is_gone_and_its_number_never_reused(seeded_api, of):
    api = seeded_api
    first = create(api, of, certifying=False, title="Essai").get_json()
    assert api.delete(f"/formations/{first['ref']}/draft", headers=of).status_code == 204
    assert api.get(f"/formations/{first['ref']}", headers=of).status_code == 404
    assert first["ref"] not in {f["ref"] for f in formations(api, of)}
    second = create(api, of, certifying=False, title="Essai").get_json()
    assert second["ref"] > first["ref"]


def test_only_a_structure_holding_the_nda_creates_and_only_active_certifications_are_chosen(seeded_api, of):
    api = seeded_api
    branch = create(api, of, BRANCH, certifying=False, title="Accueil")
    assert branch.status_code == 422 and fields(branch) == {"siret": NO_NDA}
    unknown = create(api, of, certifying=True, certification_codes=["RNCP99999"])
    assert unknown.status_code == 422 and "pas dans le référentiel" in fields(unknown)["certification_codes.0"]
    malformed = create(api, of, certifying=True, certification_codes=["boulanger"])
    assert malformed.status_code == 422
    nothing = create(api, of, certifying=True)
    assert nothing.status_code == 422
    # RNCP1212 is inactive, replaced by RNCP38116 (Assistant comptable); RNCP7455 was not renewed
    replaced = create(api, of, certifying=True, certification_codes=["RNCP1212"])
    message = fields(replaced)["certification_codes.0"]
    assert (
        replaced.status_code == 422 and "n'est plus active" in message and "RNCP38116 (Assistant comptable)" in message
    )
    ended = create(api, of, certifying=True, certification_codes=["RNCP7455"])
    assert "pas été renouvelée" in fields(ended)["certification_codes.0"]


def test_only_the_mandataire_writes(seeded_api, of, moderator):
    api = seeded_api
    (trained,) = formations(api, of, BRANCH)
    soudeur = view(api, of, trained["ref"])  # read-only for the trainer's users
    assert soudeur["can_edit"] is False and soudeur["siret"] == OTHER
    data = soudeur["published"]
    refused = api.put(f"/formations/{trained['ref']}/draft", json={"version": 0, "data": data}, headers=of)
    assert refused.status_code == 403 and refused.get_json()["error"]["message"] == NOT_MANDATAIRE
    assert api.post(f"/formations/{trained['ref']}/submission", json={}, headers=of).status_code == 403
    by_moderator = api.put(f"/formations/{trained['ref']}/draft", json={"version": 0, "data": data}, headers=moderator)
    assert by_moderator.status_code == 403
    assert view(api, moderator, trained["ref"])["can_edit"] is False
    assert create(api, moderator, certifying=False, title="X").status_code == 403


def test_moderators_index_the_formation_and_the_of_reads_it(seeded_api, of, moderator):
    api = seeded_api
    ref = next(f["ref"] for f in formations(api, of) if f["title"] == "CAP boulanger")
    before = view(api, moderator, ref)
    changed = api.patch(
        f"/moderation/formations/{ref}",
        json={"version": before["version"], "formacodes": ["21538"], "romes": ["d1105"]},
        headers=moderator,
    )
    assert changed.status_code == 200, changed.get_json()
    after = view(api, of, ref)
    assert (after["formacodes"], after["romes"], after["version"]) == (["21538"], ["D1105"], before["version"] + 1)
    assert after["nsf"] == before["nsf"]
    stale = api.patch(
        f"/moderation/formations/{ref}", json={"version": before["version"], "nsf": ["221"]}, headers=moderator
    )
    assert stale.status_code == 409
    bad = api.patch(
        f"/moderation/formations/{ref}", json={"version": after["version"], "romes": ["XYZ"]}, headers=moderator
    )
    assert bad.status_code == 422
    (indexing,) = [h for h in api.get(f"/formations/{ref}/history", headers=of).get_json() if h["comment"]]
    assert {d["field"] for d in indexing["differences"]} == {"formacodes", "romes"}
