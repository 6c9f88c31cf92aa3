"""Issue 9, item 1: France Compétences' referential (RNCP, RS) imported by a moderator through the API
(presigned upload, queue worker, status), in both official formats, idempotently, feeding the
habilitations of the platform's structures and the search index.

The stack here has no demo data (its referential would mix with the fixtures'): the moderator and the
structures are made by the tests. The fixtures are described in tests/fixtures/certifications/README.md."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import requests

from ofeli.domain.imports import NOT_UPLOADED
from ofeli.domain.structures import Address, Habilitation, Structure

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "certifications"
CSV_ZIP = FIXTURES / "export-fiches-csv-2026-11-02.zip"
RNCP_XML = FIXTURES / "export_fiches_RNCP_V4_1_2026_11_02.xml"
RS_XML = FIXTURES / "export_fiches_RS_V4_1_2026_11_02.xml"
IMPORTS = "/moderation/certification-imports"
# A partner of RNCP37869 (CAP Boulanger) that is a structure of the platform; the other one is not.
PARTNER = "44306184100047"
# The CSV zip: six fiches, and five refused lines of its Standard file (10 to 14).
FIRST = {"read": 11, "created": 6, "changed": 0, "unchanged": 0, "rejected": 5, "structures_updated": 1}
AGAIN = {"read": 11, "created": 0, "changed": 0, "unchanged": 6, "rejected": 5, "structures_updated": 0}
WRITTEN_KEYS = ("CERTIFICATION#", "STRUCTURE#", "REFERENTIAL#")


@pytest.fixture
def moderator(api) -> dict[str, str]:
    from ofeli.services import accounts

    accounts.create_account("moderation@carif-import.test", "Claire", "Import", moderator=True)
    accounts.set_password("moderation@carif-import.test", "Moderation-2026!")
    return api.login("moderation@carif-import.test", "Moderation-2026!")


@pytest.fixture
def partner() -> Structure:
    """The partner structure, with a habilitation a moderator typed."""
    from ofeli.services import structures

    structure = Structure(
        siret=PARTNER,
        name="Boulangerie Formation Normandie",
        nda="28140000022",
        address=Address(line1="2 rue du Four", postal_code="14000", city="Caen"),
        habilitations=[Habilitation(code="RS1234", title="Hygiène alimentaire")],
    )
    structures.register(structure)
    return structure


def upload(form: dict[str, Any], path: Path) -> requests.Response:
    return requests.post(form["url"], data=form["fields"], files={"file": (path.name, path.read_bytes())}, timeout=30)


def create(api, headers, path: Path) -> dict[str, Any]:
    created = api.post(IMPORTS, json={"filename": path.name}, headers=headers)
    assert created.status_code == 201, created.get_json()
    return created.get_json()


def run_import(api, headers, mailbox, path: Path) -> dict[str, Any]:
    body = create(api, headers, path)
    assert upload(body["upload"], path).status_code == 204
    started = api.post(f"{IMPORTS}/{body['id']}/start", headers=headers)
    assert started.status_code == 202, started.get_json()
    mailbox.run_jobs()
    status = api.get(f"{IMPORTS}/{body['id']}", headers=headers)
    assert status.status_code == 200, status.get_json()
    return status.get_json()


def search(api, headers, q: str) -> list[str]:
    response = api.get("/certifications", query_string={"q": q}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return [hit["code"] for hit in response.get_json()["items"]]


def habilitations(siret: str) -> list[dict[str, Any]]:
    from ofeli.store import structures

    record = structures.get(siret, consistent=True)
    assert record is not None
    return list(record["habilitations"])


@pytest.fixture
def writes() -> Any:
    """The DynamoDB writes the product makes, as the key prefixes they touch (botocore's hook on the
    parameters of PutItem, UpdateItem, DeleteItem, BatchWriteItem and TransactWriteItems)."""
    from ofeli import aws

    touched: list[tuple[str, str]] = []

    def seen(params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}:
            text = json.dumps(params, default=str)
            touched.extend((model.name, prefix) for prefix in WRITTEN_KEYS if prefix in text)

    clients = [aws.dynamodb().meta.client, aws.client("dynamodb")]
    for client in clients:
        client.meta.events.register("before-parameter-build.dynamodb", seen)
    yield touched
    for client in clients:
        client.meta.events.unregister("before-parameter-build.dynamodb", seen)


def snapshots(aws) -> list[str]:
    bucket = aws.physical["DocumentsBucket"].ref
    listed = aws.client("s3").list_object_versions(Bucket=bucket, Prefix="referential/certifications/")
    return sorted(f"{v['Key']} {v['VersionId']}" for v in listed.get("Versions", []))


# ---------------------------------------------------------------------- the CSV zip
def test_the_csv_zip_is_imported_then_again_without_a_write(api, moderator, partner, mailbox, aws, writes):
    body = create(api, moderator, CSV_ZIP)
    policy = json.loads(base64.b64decode(body["upload"]["fields"]["policy"]))
    assert ["content-length-range", 1, 500 * 1024 * 1024] in policy["conditions"]
    assert body["upload"]["fields"]["key"] == f"imports/certifications/{body['id']}/export.zip"
    assert body["upload"]["content_type"] == "application/zip"

    # started before its file is there: a clear refusal, nothing queued
    early = api.post(f"{IMPORTS}/{body['id']}/start", headers=moderator)
    assert early.status_code == 409 and early.get_json()["error"]["message"] == NOT_UPLOADED
    assert mailbox.run_jobs() == 0

    assert upload(body["upload"], CSV_ZIP).status_code == 204
    first = api.post(f"{IMPORTS}/{body['id']}/start", headers=moderator)
    second = api.post(f"{IMPORTS}/{body['id']}/start", headers=moderator)
    assert first.status_code == second.status_code == 202
    assert first.get_json()["status"] == "queued"
    mailbox.run_jobs()
    view = api.get(f"{IMPORTS}/{body['id']}", headers=moderator).get_json()
    assert view["status"] == "done", view
    assert view["counts"] == FIRST  # started twice, imported once
    assert (view["kind"], view["list_date"], view["filename"]) == ("certifications", "2026-11-02", CSV_ZIP.name)
    assert [r["line"] for r in view["rejected"]] == [10, 11, 12, 13, 14]
    assert view["rejected"][2]["message"] == (
        "Fiche RNCP37869 en double : elle a déjà été lue ligne 2 ; cette fiche-ci est ignorée."
    )
    assert view["message"].startswith("Import terminé : 11 fiches lues, 6 certifications nouvelles")

    # the referential is searchable, and each fiche readable in full
    assert search(api, moderator, "boulanger") == ["RNCP37869"]
    assert search(api, moderator, "assistant comptable") == ["RNCP38888", "RNCP34567"]  # the active one first
    detail = api.get("/certifications/RNCP34567", headers=moderator).get_json()
    assert detail["successors"] == [{"code": "RNCP38888", "title": "Assistant comptable", "active": True}]
    cap = api.get("/certifications/RNCP37869", headers=moderator).get_json()["certification"]
    assert {p["siret"] for p in cap["partners"]} == {PARTNER, "19140033600019"}  # kept compressed, read back
    assert len(snapshots(aws)) == 1

    # the same file again: every fiche unchanged, nothing written (fiches, structures, index)
    assert {("TransactWriteItems", "CERTIFICATION#"), ("TransactWriteItems", "STRUCTURE#")} <= set(writes)
    assert ("UpdateItem", "REFERENTIAL#") in writes  # what the hook sees, the first time
    writes.clear()
    before = snapshots(aws)
    again = run_import(api, moderator, mailbox, CSV_ZIP)
    assert again["status"] == "done" and again["counts"] == AGAIN
    assert writes == []
    assert snapshots(aws) == before


def test_the_partners_fill_the_habilitations_of_the_platforms_structures(api, moderator, partner, mailbox):
    from ofeli.services.certifications import SOURCE

    run_import(api, moderator, mailbox, CSV_ZIP)
    assert habilitations(PARTNER) == [
        {"code": "RS1234", "title": "Hygiène alimentaire"},  # typed by a moderator: kept
        {"code": "RNCP37869", "title": "Boulanger"},
    ]
    history = api.get(f"/structures/{PARTNER}/history", headers=moderator).get_json()
    (entry,) = history
    assert entry["decided_by"] == SOURCE and "02/11/2026" in entry["comment"]
    assert entry["differences"][0]["added"] == [{"code": "RNCP37869", "title": "Boulanger"}]

    # the XML export of the same fiches: the same habilitation, nothing more written on the structure
    version = api.get(f"/structures/{PARTNER}", headers=moderator).get_json()["published"]["version"]
    view = run_import(api, moderator, mailbox, RNCP_XML)
    assert view["counts"]["structures_updated"] == 0
    assert api.get(f"/structures/{PARTNER}", headers=moderator).get_json()["published"]["version"] == version


# ---------------------------------------------------------------------- the XML exports
def test_the_xml_exports_are_imported_one_after_the_other(api, moderator, mailbox):
    rncp = run_import(api, moderator, mailbox, RNCP_XML)
    assert rncp["status"] == "done", rncp
    assert rncp["counts"] == {
        "read": 6,
        "created": 4,
        "changed": 0,
        "unchanged": 0,
        "rejected": 2,
        "structures_updated": 0,
    }
    assert [r["line"] for r in rncp["rejected"]] == [243, 248]
    assert "RNCP38888 en double" in rncp["rejected"][1]["message"]
    rs = run_import(api, moderator, mailbox, RS_XML)
    assert rs["counts"] == {
        "read": 2,
        "created": 2,
        "changed": 0,
        "unchanged": 0,
        "rejected": 0,
        "structures_updated": 0,
    }

    # both repertories are in the index, with the XML's Certifinfo code
    assert search(api, moderator, "clea") == ["RS5678"]
    assert search(api, moderator, "112233") == ["RNCP37869"]
    everything = api.get("/certifications", query_string={"page_size": 100}, headers=moderator).get_json()
    assert everything["total"] == 6


def test_the_csv_then_the_xml_change_only_what_differs(api, moderator, mailbox):
    run_import(api, moderator, mailbox, CSV_ZIP)
    assert search(api, moderator, "112233") == []  # the CSV has no Certifinfo code
    view = run_import(api, moderator, mailbox, RNCP_XML)
    counts = view["counts"]
    assert counts["created"] == 0 and counts["changed"] >= 1
    assert counts["changed"] + counts["unchanged"] == 4
    assert search(api, moderator, "112233") == ["RNCP37869"]  # the index was rebuilt


# ---------------------------------------------------------------------- long files, retries, bad files
def test_a_long_file_is_imported_in_several_runs(api, moderator, partner, mailbox, monkeypatch):
    from ofeli.services import certifications

    monkeypatch.setattr(certifications, "CHUNK", 2)
    monkeypatch.setattr(certifications, "ENTRIES_PER_RUN", 2)
    jobs = []
    real = certifications._enqueue
    monkeypatch.setattr(certifications, "_enqueue", lambda i, offset: (jobs.append(offset), real(i, offset)))
    view = run_import(api, moderator, mailbox, CSV_ZIP)
    assert view["status"] == "done" and view["counts"] == FIRST
    assert [r["line"] for r in view["rejected"]] == [10, 11, 12, 13, 14]
    assert jobs == [0, 2, 4, 6, 8, 10]  # a run of two entries each, the last one ending the file


def test_a_job_delivered_again_does_its_work_once_and_builds_a_missing_index(api, moderator, mailbox, monkeypatch):
    from ofeli.services import certifications

    def broken(**_: Any) -> bool:
        raise RuntimeError("S3 indisponible")

    body = create(api, moderator, CSV_ZIP)
    upload(body["upload"], CSV_ZIP)
    api.post(f"{IMPORTS}/{body['id']}/start", headers=moderator)
    with monkeypatch.context() as patch:
        patch.setattr(certifications, "refresh_index", broken)
        mailbox.run_jobs()  # the fiches are in, the index failed: the job is left for SQS's retry
    assert api.get(f"{IMPORTS}/{body['id']}", headers=moderator).get_json()["counts"] == {
        **FIRST,
        "structures_updated": 0,
    }
    assert search(api, moderator, "boulanger") == []

    message = {"id": f"certification-import-{body['id']}-0", "import_id": body["id"], "offset": 0}
    certifications.import_job(message)  # SQS's retry: the run is not done again, the index is built
    certifications.import_job(message)  # and a further delivery does nothing
    view = api.get(f"{IMPORTS}/{body['id']}", headers=moderator).get_json()
    assert view["status"] == "done" and view["counts"]["created"] == 6
    assert search(api, moderator, "boulanger") == ["RNCP37869"]


def test_a_file_that_is_not_an_export_fails_with_a_reason(api, moderator, mailbox, tmp_path):
    from ofeli.domain.certification_files import FileFormatError, read

    not_an_export = tmp_path / "export-fiches-csv-2026-11-02.zip"
    not_an_export.write_bytes(b"nom;siret\nOF;81432712100012\n")
    with pytest.raises(FileFormatError) as raised:
        read(not_an_export)
    view = run_import(api, moderator, mailbox, not_an_export)
    assert view["status"] == "failed"
    assert view["error"] == str(raised.value) and view["message"] == f"Import échoué : {raised.value}"
    assert view["counts"]["read"] == 0

    other_xml = tmp_path / "catalogue.xml"
    other_xml.write_text('<?xml version="1.0"?><CATALOGUE><FORMATION/></CATALOGUE>', encoding="utf-8")
    view = run_import(api, moderator, mailbox, other_xml)
    assert view["status"] == "failed" and view["error"]


def test_the_file_must_be_named_as_an_export(api, moderator):
    refused = api.post(IMPORTS, json={"filename": "liste.csv"}, headers=moderator)
    assert refused.status_code == 422
    (problem,) = refused.get_json()["error"]["fields"]
    assert problem["field"] == "filename" and "export de France Compétences" in problem["message"]
    xml = api.post(IMPORTS, json={"filename": "export_fiches_RS_V4_1_2026_11_02.XML"}, headers=moderator)
    assert xml.status_code == 201 and xml.get_json()["upload"]["content_type"] == "application/xml"
    dated = api.post(IMPORTS, json={"filename": "export.xml", "list_date": "2026-10-01"}, headers=moderator)
    assert api.get(f"{IMPORTS}/{dated.get_json()['id']}", headers=moderator).get_json()["list_date"] == "2026-10-01"


def test_an_unknown_import_is_not_found(api, moderator):
    assert api.get(f"{IMPORTS}/inconnu", headers=moderator).status_code == 404
    assert api.post(f"{IMPORTS}/inconnu/start", headers=moderator).status_code == 404


# ---------------------------------------------------------------------- the habilitations rule
def test_habilitations_are_added_never_retitled_nor_removed():
    from ofeli.services.certifications import habilitations_with

    current = [{"code": "RNCP1", "title": "Saisi à la main"}, {"code": "RS2", "title": "Autre"}]
    assert habilitations_with(current, {"RNCP1": "Titre du référentiel", "RNCP3": "Troisième"}) == [
        {"code": "RNCP1", "title": "Saisi à la main"},
        {"code": "RS2", "title": "Autre"},
        {"code": "RNCP3", "title": "Troisième"},
    ]
    assert habilitations_with(current, {"RNCP1": "Titre du référentiel"}) is None  # nothing changes
    assert habilitations_with(current, {}) is None  # a partner gone removes nothing
