"""*Formations de l'OF*: the formations a structure is responsible for, and those whose sessions it
trains; each readable by the users of either structure and by moderators, by no one else."""

from __future__ import annotations

from records import HEAD, OF, structure

BRANCH = "81432712100020"
OTHER = "41298765400016"
OTHER_OF = ("contact@atelier-normand.test", "Organisme-2026!")


def test_a_structure_lists_what_it_is_responsible_for_and_what_it_trains(seeded_api, of):
    head = structure(seeded_api, of)["formations"]
    assert {(f["title"], f["role"]) for f in head} == {
        ("CAP boulanger", "responsable"),
        ("Assistant de comptabilité et d'administration", "responsable"),
    }
    (trained,) = structure(seeded_api, of, BRANCH)["formations"]
    assert (trained["title"], trained["role"]) == ("Soudeur assembleur industriel", "formateur")

    formation = seeded_api.get(f"/formations/{trained['ref']}", headers=of)
    assert formation.status_code == 200, formation.get_json()
    body = formation.get_json()
    assert (body["siret"], body["responsible_name"]) == (OTHER, "Atelier Normand des Métiers")
    # in the order of their start: Le Havre in 20 days, Cherbourg (trained by the branch) in 60, Le Havre in 90
    assert [s["trainer_siret"] for s in body["sessions"]] == [None, BRANCH, None]


def test_a_formation_is_not_shown_to_users_of_other_structures(seeded_api, of, moderator):
    ref = structure(seeded_api, of)["formations"][0]["ref"]
    other = seeded_api.login(*OTHER_OF)
    refused = seeded_api.get(f"/formations/{ref}", headers=other)
    assert refused.status_code == 403 and "ni comme formateur" in refused.get_json()["error"]["message"]
    assert seeded_api.get(f"/formations/{ref}", headers=moderator).get_json()["siret"] == HEAD
    assert seeded_api.get("/formations/F9999999", headers=seeded_api.login(*OF)).status_code == 404
