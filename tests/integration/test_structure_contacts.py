"""The Carif-Oref's side of the structure record: its contacts, corrections by moderators (only the
fields sent, recorded in the history), and the directory of the region's structures."""

from __future__ import annotations

from records import HEAD, OF, structure

BRANCH = "81432712100020"
OTHER = "41298765400016"
OTHER_OF = ("contact@atelier-normand.test", "Organisme-2026!")


def patch(api, moderator, body, siret=HEAD):
    version = structure(api, moderator, siret)["published"]["version"]
    return api.patch(f"/moderation/structures/{siret}", json={"version": version, **body}, headers=moderator)


def contacts(api, headers, siret=HEAD):
    response = api.get(f"/structures/{siret}/contacts", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_contacts_come_principal_first_with_their_lheo_types(seeded_api, of):
    listed = contacts(seeded_api, of)
    assert [(c["last_name"], c["principal"]) for c in listed] == [("Roussel", True), ("Petit", False)]
    assert listed[1]["type_labels"] == [
        {"code": "3", "label": "Référent pédagogique"},
        {"code": "1", "label": "Référent handicap"},
    ]
    assert seeded_api.get(f"/structures/{BRANCH}/contacts", headers=of).get_json() == []


def test_a_moderator_adds_changes_and_removes_contacts(seeded_api, of, moderator):
    roussel, petit = contacts(seeded_api, moderator)
    keep = {k: roussel[k] for k in ("id", "principal", "civility", "last_name", "first_name", "role", "email")}
    new = {"last_name": "Lemoine", "first_name": "Inès", "phones": ["0231000009"], "types": ["14"]}
    response = patch(seeded_api, moderator, {"contacts": [{**keep, "role": "Gérante"}, new]})
    assert response.status_code == 200, response.get_json()
    listed = contacts(seeded_api, of)
    assert [c["last_name"] for c in listed] == ["Roussel", "Lemoine"]  # Petit removed, Lemoine added
    assert listed[0]["id"] == roussel["id"] and listed[0]["role"] == "Gérante"
    assert listed[1]["id"] and listed[1]["phones"] == ["02 31 00 00 09"]
    assert petit["id"] not in {c["id"] for c in listed}

    entry = seeded_api.get(f"/structures/{HEAD}/history", headers=of).get_json()[0]
    assert entry["decided_by"] == "moderation@carif-oref.test"
    assert [d["field"] for d in entry["differences"]] == ["contacts"]
    (difference,) = entry["differences"]
    assert {c["last_name"] for c in difference["removed"]} == {"Roussel", "Petit"}  # Roussel's role changed
    assert {c["last_name"] for c in difference["added"]} == {"Roussel", "Lemoine"}


def test_a_correction_changes_only_the_fields_sent(seeded_api, of, moderator):
    before = structure(seeded_api, moderator)["published"]
    address = {"line1": "5 avenue du Six Juin", "line2": None, "postal_code": "14000", "city": "Caen"}
    response = patch(seeded_api, moderator, {"address": address, "network": "Réseau des GRETA"})
    assert response.status_code == 200, response.get_json()
    after = structure(seeded_api, of)["published"]
    assert after["address"] == address and after["network"] == "Réseau des GRETA"
    for field in ("name", "nda", "legal_form", "naf", "contacts", "qualiopi", "habilitations", "emails", "phones"):
        assert after[field] == before[field], field
    assert after["version"] == before["version"] + 1
    entry = seeded_api.get(f"/structures/{HEAD}/history", headers=of).get_json()[0]
    assert {d["field"]: d["after"] for d in entry["differences"]} == {"address": address, "network": "Réseau des GRETA"}
    assert entry["comment"] == "Correction par le Carif-Oref"

    # the same values again: nothing changes, nothing is written
    again = patch(seeded_api, moderator, {"address": address})
    assert again.status_code == 200 and again.get_json()["version"] == after["version"]
    assert len(seeded_api.get(f"/structures/{HEAD}/history", headers=of).get_json()) == 1


def test_a_stale_correction_is_refused(seeded_api, moderator):
    version = structure(seeded_api, moderator)["published"]["version"]
    body = {"version": version, "naf": "8559B"}
    assert seeded_api.patch(f"/moderation/structures/{HEAD}", json=body, headers=moderator).status_code == 200
    stale = seeded_api.patch(f"/moderation/structures/{HEAD}", json={**body, "naf": "8559C"}, headers=moderator)
    assert stale.status_code == 409
    assert structure(seeded_api, moderator)["published"]["naf"] == "8559B"


def test_the_organisation_is_corrected_and_the_head_office_lists_its_branches(seeded_api, moderator):
    assert patch(seeded_api, moderator, {"parent_siret": HEAD}, siret=OTHER).status_code == 200
    attached = structure(seeded_api, moderator)["published"]["attached"]
    assert {a["siret"] for a in attached} == {BRANCH, OTHER}
    assert patch(seeded_api, moderator, {"parent_siret": None}, siret=OTHER).status_code == 200
    assert {a["siret"] for a in structure(seeded_api, moderator)["published"]["attached"]} == {BRANCH}
    for siret, parent, field in ((OTHER, OTHER, "parent_siret"), (HEAD, OTHER, "parent_siret")):
        refused = patch(seeded_api, moderator, {"parent_siret": parent}, siret=siret)
        assert refused.status_code == 422
        assert refused.get_json()["error"]["fields"][0]["field"] == field


def test_invalid_contacts_are_refused_with_the_field_named(seeded_api, moderator):
    listed = contacts(seeded_api, moderator)
    base = {"last_name": "Lemoine", "first_name": "Inès"}
    for sent, field in (
        ([{**base, "types": ["99"]}], "contacts.0.types"),
        ([{**base, "principal": True}, {**base, "principal": True}], "contacts"),
        ([{**base, "id": listed[0]["id"]}, {**base, "id": listed[0]["id"]}], "contacts"),
        ([{**base, "id": "inconnu"}], "contacts.0.id"),
        ([{**base, "phones": ["12"]}], "contacts.0.phones.0"),
        ([{**base, "email": "pas-une-adresse"}], "contacts.0.email"),
        (None, "contacts"),
    ):
        response = patch(seeded_api, moderator, {"contacts": sent})
        assert response.status_code == 422, sent
        assert field in {f["field"] for f in response.get_json()["error"]["fields"]}, response.get_json()
    assert contacts(seeded_api, moderator) == listed


def test_an_of_of_another_structure_is_refused(seeded_api):
    other = seeded_api.login(*OTHER_OF)
    assert seeded_api.get(f"/structures/{HEAD}/contacts", headers=other).status_code == 403
    assert seeded_api.get(f"/structures/{OTHER}/contacts", headers=seeded_api.login(*OF)).status_code == 403


def find(api, moderator, **query):
    response = api.get("/moderation/structures", query_string=query, headers=moderator)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def sirets(page):
    return [row["siret"] for row in page["items"]]


def test_the_directory_finds_structures_by_words_numbers_place_and_qualiopi(seeded_api, moderator):
    assert sirets(find(seeded_api, moderator, q="demo formation")) == [HEAD, BRANCH]
    assert sirets(find(seeded_api, moderator, q="DÉMO antenne")) == [BRANCH]
    assert sirets(find(seeded_api, moderator, q="814 327 121")) == [HEAD, BRANCH]  # SIREN
    assert sirets(find(seeded_api, moderator, q=HEAD)) == [HEAD]
    assert sirets(find(seeded_api, moderator, q="28760000021")) == [OTHER]  # NDA
    assert sirets(find(seeded_api, moderator, city="cherbourg")) == [BRANCH]
    assert sirets(find(seeded_api, moderator, department="76")) == [OTHER]
    assert sirets(find(seeded_api, moderator, qualiopi="true")) == [HEAD]
    assert sirets(find(seeded_api, moderator, q="formation", qualiopi="false")) == [BRANCH]
    assert find(seeded_api, moderator, q="boulangerie")["total"] == 0
    page = find(seeded_api, moderator, page_size=2, page=2)
    assert page["total"] == 3 and len(page["items"]) == 1


def test_the_directory_follows_corrections_at_once(seeded_api, moderator):
    address = {"line1": "1 place Saint-Sever", "postal_code": "76100", "city": "Rouen"}
    assert (
        patch(seeded_api, moderator, {"address": address, "name": "Atelier Rouennais"}, siret=OTHER).status_code == 200
    )
    assert sirets(find(seeded_api, moderator, q="rouennais", city="ROUEN", department="76")) == [OTHER]
    assert find(seeded_api, moderator, q="atelier normand")["total"] == 0
    assert patch(seeded_api, moderator, {"qualiopi": []}, siret=HEAD).status_code == 200
    assert find(seeded_api, moderator, qualiopi="true")["total"] == 0


def test_the_directory_never_scans(seeded_api, moderator, monkeypatch):
    import botocore.client

    calls = []
    real = botocore.client.BaseClient._make_api_call

    def spy(self, operation, params):
        calls.append(operation)
        return real(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", spy)
    find(seeded_api, moderator, q="demo")
    assert "Scan" not in calls and calls.count("Query") == 6  # 5 departments and the rest, in parallel
