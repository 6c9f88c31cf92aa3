"""Issue 8, item 3: the national list of training organisations, imported by a moderator through the
API (presigned upload, queue worker, status), filling the structures' Qualiopi labels, and checked on
each account request."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import requests
from records import HEAD

from ofeli.domain.imports import NOT_UPLOADED
from ofeli.domain.training_organisations import SOURCE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "organismes"
QUIRKS = (FIXTURES / "liste-particularites.csv").read_bytes()
OTHER_OF = "41298765400016"
IMPORTS = "/moderation/training-organisation-imports"
# liste-particularites.csv: lines 2, 3, 4, 10 and 12 are organisations; 5, 6, 7, 8 and 13 are bad,
# 11 repeats the NDA of line 4; line 9 is empty.
FIRST = {"read": 11, "created": 5, "changed": 0, "unchanged": 0, "rejected": 6, "structures_updated": 2}
AGAIN = {"read": 11, "created": 0, "changed": 0, "unchanged": 5, "rejected": 6, "structures_updated": 0}


def upload(form: dict, content: bytes) -> requests.Response:
    return requests.post(
        form["url"], data=form["fields"], files={"file": ("liste.csv", content, "text/csv")}, timeout=30
    )


def run_import(api, headers, mailbox, content: bytes, list_date: str = "2026-03-02") -> dict:
    created = api.post(IMPORTS, json={"list_date": list_date, "filename": "liste.csv"}, headers=headers)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert upload(body["upload"], content).status_code == 204
    started = api.post(f"{IMPORTS}/{body['id']}/start", headers=headers)
    assert started.status_code == 202, started.get_json()
    mailbox.run_jobs()
    status = api.get(f"{IMPORTS}/{body['id']}", headers=headers)
    assert status.status_code == 200
    return status.get_json()


def items(aws, prefix: str) -> list[str]:
    """The table's items whose key starts with `prefix`, as stored (to see that nothing was written)."""
    dynamodb = aws.client("dynamodb")
    name = next(iter(aws.template.resources("AWS::DynamoDB::Table")))
    table = aws.physical[name].ref
    found = []
    for page in dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        found += [json.dumps(i, sort_keys=True) for i in page["Items"] if i["pk"]["S"].startswith(prefix)]
    return sorted(found)


def qualiopi(api, headers, siret: str) -> list[dict]:
    return api.get(f"/structures/{siret}", headers=headers).get_json()["published"]["qualiopi"]


def test_the_list_is_imported_with_its_quirks_then_again_unchanged(seeded_api, moderator, mailbox, aws):
    mailbox.run_jobs()  # the demo's own
    created = seeded_api.post(IMPORTS, json={"list_date": "2026-03-02"}, headers=moderator)
    assert created.status_code == 201
    body = created.get_json()
    policy = json.loads(base64.b64decode(body["upload"]["fields"]["policy"]))
    assert ["content-length-range", 1, 100 * 1024 * 1024] in policy["conditions"]
    assert body["upload"]["fields"]["key"].startswith(f"imports/organisations/{body['id']}/")

    # started before its file is there: a clear refusal, nothing queued
    early = seeded_api.post(f"{IMPORTS}/{body['id']}/start", headers=moderator)
    assert early.status_code == 409 and early.get_json()["error"]["message"] == NOT_UPLOADED
    assert seeded_api.get(f"{IMPORTS}/{body['id']}", headers=moderator).get_json()["status"] == "waiting_upload"
    assert mailbox.run_jobs() == 0

    assert upload(body["upload"], QUIRKS).status_code == 204
    first = seeded_api.post(f"{IMPORTS}/{body['id']}/start", headers=moderator)
    second = seeded_api.post(f"{IMPORTS}/{body['id']}/start", headers=moderator)
    assert first.status_code == second.status_code == 202
    assert first.get_json()["status"] == "queued"
    mailbox.run_jobs()
    view = seeded_api.get(f"{IMPORTS}/{body['id']}", headers=moderator).get_json()
    assert view["status"] == "done", view
    assert view["counts"] == FIRST  # started twice, imported once
    assert [r["line"] for r in view["rejected"]] == [5, 6, 7, 8, 11, 13]
    assert view["rejected"][4]["message"] == (
        "Le NDA 11751234567 figure déjà ligne 4 : seule la première ligne compte."
    )

    # the Qualité tab of the two demo structures of the list, filled with the list's date
    label = {"name": "Qualiopi", "valid_until": None, "source": SOURCE, "list_date": "2026-03-02"}
    assert qualiopi(seeded_api, moderator, HEAD) == [
        {**label, "categories": ["Actions de formation", "Actions de formation par apprentissage"]}
    ]
    assert qualiopi(seeded_api, moderator, OTHER_OF) == [
        {**label, "categories": ["Actions de formation", "Bilans de compétences", "VAE"]}
    ]
    (entry,) = seeded_api.get(f"/structures/{OTHER_OF}/history", headers=moderator).get_json()
    assert entry["decided_by"] == SOURCE and entry["differences"][0]["field"] == "qualiopi"
    assert "02/03/2026" in entry["comment"]

    # the same file again, a later list: every line unchanged, nothing written
    before = items(aws, "TRAINING_ORG") + items(aws, "STRUCTURE#")
    again = run_import(seeded_api, moderator, mailbox, QUIRKS, list_date="2026-04-01")
    assert again["status"] == "done" and again["counts"] == AGAIN
    assert items(aws, "TRAINING_ORG") + items(aws, "STRUCTURE#") == before


def test_a_long_list_is_imported_in_several_runs(seeded_api, moderator, mailbox, monkeypatch):
    from ofeli.services import training_organisations

    monkeypatch.setattr(training_organisations, "CHUNK", 2)
    monkeypatch.setattr(training_organisations, "LINES_PER_RUN", 2)
    view = run_import(seeded_api, moderator, mailbox, QUIRKS)
    assert view["status"] == "done" and view["counts"] == FIRST
    assert [r["line"] for r in view["rejected"]] == [5, 6, 7, 8, 11, 13]  # the duplicate seen across runs


def test_a_changed_line_is_written_and_its_structure_follows(seeded_api, moderator, mailbox):
    run_import(seeded_api, moderator, mailbox, QUIRKS)
    changed = QUIRKS.replace(b'"Le Havre";"28";TRUE;true;true;false', b'"Le Havre";"28";false;false;false;false')
    view = run_import(seeded_api, moderator, mailbox, changed, list_date="2026-04-01")
    assert view["counts"] == {**AGAIN, "changed": 1, "unchanged": 4, "structures_updated": 1}
    assert qualiopi(seeded_api, moderator, OTHER_OF) == []  # no longer certified in the list
    # the moderators' directory follows in the same transaction
    found = seeded_api.get("/moderation/structures", query_string={"qualiopi": "true"}, headers=moderator).get_json()
    assert OTHER_OF not in [row["siret"] for row in found["items"]] and HEAD in [row["siret"] for row in found["items"]]


def test_a_file_that_is_not_the_list_fails_with_a_reason(seeded_api, moderator, mailbox):
    view = run_import(seeded_api, moderator, mailbox, b"nom;siret\nOF;81432712100012\n")
    assert view["status"] == "failed"
    assert view["error"].startswith("Ce fichier n'est pas la liste publique des organismes de formation")
    assert view["counts"]["read"] == 0


def test_an_unknown_import_is_not_found(seeded_api, moderator):
    assert seeded_api.get(f"{IMPORTS}/inconnu", headers=moderator).status_code == 404
    assert seeded_api.post(f"{IMPORTS}/inconnu/start", headers=moderator).status_code == 404


CASES = [  # (siret, nda) → what the list says of the request: its status and the list's name
    (HEAD, "28140000014", "match", "OF Démo Formation; Caen"),
    ("81432712100020", "28140000014", "match", "OF Démo Formation; Caen"),  # the branch, its head's NDA
    (OTHER_OF, "28140000014", "other_organisation", "OF Démo Formation; Caen"),
    (HEAD, "28149999999", "lapsed", "OF Démo Formation; Caen"),
    ("55210055400013", "28000000000", "unknown", None),
]


def test_each_account_request_says_what_the_list_says(seeded_api, moderator, mailbox):
    for n, (siret, nda, _, _) in enumerate(CASES):
        contact = {"last_name": "Morel", "first_name": "Inès", "phone": "02 31 00 00 09", "email": f"ines{n}@of.test"}
        request = {"siret": siret, "nda": nda, "contact": contact, "accept_privacy_policy": True}
        assert seeded_api.post("/account-requests", json=request).status_code == 202
    pending = seeded_api.get("/moderation/account-requests", headers=moderator).get_json()
    assert len(pending) == len(CASES) and all(p["national"] is None for p in pending)  # no list imported yet
    run_import(seeded_api, moderator, mailbox, QUIRKS)
    said = {
        p["contact"]["email"]: p["national"]
        for p in seeded_api.get("/moderation/account-requests", headers=moderator).get_json()
    }
    for n, (siret, nda, status, name) in enumerate(CASES):
        national = said[f"ines{n}@of.test"]
        assert (national["status"], national["name"], national["list_date"]) == (status, name, "2026-03-02"), (
            siret,
            nda,
        )
