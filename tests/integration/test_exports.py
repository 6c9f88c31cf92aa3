"""Issue 12, item 3: the OF's exports (*Exporter*) and the bell, through the API gateway and the worker.

`POST /exports` answers 202 with the export's id and puts a job on the queue; the worker function (run by
hand here: `mailbox.deliver`) writes the file into the exports bucket; the bell (`GET /exports`) shows it,
`GET /exports/{id}` gives a presigned URL whose download is the file: an xlsx openpyxl reads back with the
structure's sessions, an LHEO file that validates against the XSD. Also: the ticked formations only,
another structure's refused, the same request twice is one job, a failing writer retried then failed
(and the message in the dead-letter queue), someone else's export not found, a wrong format refused.
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from openpyxl import load_workbook
from records import HEAD

from ofeli import clock
from ofeli.domain import export_files
from ofeli.services import exports as export_service

XSD = Path(__file__).resolve().parents[2] / "layers/ofeli/ofeli/data/lheo-2.3.xsd"
OTHER_OF = ("contact@atelier-normand.test", "Organisme-2026!")  # rights on Atelier Normand only
OTHER_STRUCTURE = "41298765400016"
F_REF = re.compile(r"\bF[0-9]{7}\b")
S_REF = re.compile(r"\bS[0-9]{7}\b")


@pytest.fixture
def sqs(aws):
    """The jobs queue with no visibility timeout: a failed job comes back at once (SQS waits 12 minutes)."""
    client = aws.client("sqs")
    client.set_queue_attributes(QueueUrl=aws.physical["JobsQueue"].ref, Attributes={"VisibilityTimeout": "0"})
    return client


@pytest.fixture
def jobs_done(mailbox):
    """What the demo data left on the queue, run first: the tests count their own jobs."""
    mailbox.run_jobs()
    return mailbox


def lines_of(api: Any, headers: dict[str, str], siret: str = HEAD) -> list[dict[str, Any]]:
    response = api.get(f"/structures/{siret}/formations", query_string={"page_size": "200"}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return list(response.get_json()["items"])


def ask(api: Any, headers: dict[str, str], **body: Any) -> Any:
    return api.post("/exports", json={"siret": HEAD, **body}, headers=headers)


def bell(api: Any, headers: dict[str, str]) -> dict[str, Any]:
    response = api.get("/exports", headers=headers)
    assert response.status_code == 200, response.get_json()
    return dict(response.get_json())


def downloaded(api: Any, headers: dict[str, str], export_id: str) -> tuple[dict[str, Any], bytes, Any]:
    """The export's view, and the bytes and headers its presigned URL answers (moto, on 127.0.0.1)."""
    response = api.get(f"/exports/{export_id}", headers=headers)
    assert response.status_code == 200, response.get_json()
    view = response.get_json()
    assert view["status"] == "ready" and view["url"], view
    with urllib.request.urlopen(view["url"], timeout=10) as answer:  # noqa: S310 (127.0.0.1)
        return view, answer.read(), answer.headers


def workbook_refs(content: bytes) -> tuple[set[str], set[str]]:
    """The F and S numbers of the workbook's cells."""
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    texts = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    return {m for t in texts for m in F_REF.findall(t)}, {m for t in texts for m in S_REF.findall(t)}


def valid_lheo(content: bytes) -> etree._Element:
    document = etree.fromstring(content)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(document), schema.error_log
    return document


def test_an_excel_export_of_all_formations_from_request_to_download(seeded_api, of, jobs_done):
    lines = lines_of(seeded_api, of)
    formations = {line["ref"] for line in lines}
    sessions = {line["session"] for line in lines if line.get("session")}
    assert formations and sessions

    response = ask(seeded_api, of, format="xlsx")
    assert response.status_code == 202, response.get_json()
    export_id = response.get_json()["id"]
    queued = bell(seeded_api, of)
    assert [(i["id"], i["status"]) for i in queued["items"]] == [(export_id, "queued")]
    assert queued["badge"] == 1 and queued["pending"] == 1

    assert jobs_done.run_jobs() == 1
    ready = bell(seeded_api, of)
    (item,) = ready["items"]
    assert item["status"] == "ready" and item["status_label"] == "Prêt" and not item["downloaded"]
    assert item["formations"] == len(formations) and item["sessions"] == len(sessions)
    assert item["message"].startswith(f"Export Excel prêt : {len(formations)} formation")
    assert (ready["pending"], ready["new"], ready["badge"]) == (0, 1, 1)

    view, content, headers = downloaded(seeded_api, of, export_id)
    assert view["filename"].startswith(f"formations-{HEAD}-") and view["filename"].endswith(".xlsx")
    assert headers["Content-Disposition"] == f'attachment; filename="{view["filename"]}"'
    assert workbook_refs(content) == (formations, sessions)
    assert bell(seeded_api, of)["badge"] == 0  # downloaded: no longer new


def test_an_lheo_export_of_the_ticked_formations_validates_against_the_xsd(seeded_api, of, jobs_done):
    lines = lines_of(seeded_api, of)
    chosen = sorted({line["ref"] for line in lines})[:1]
    chosen_sessions = {line["session"] for line in lines if line["ref"] in chosen and line.get("session")}
    response = ask(seeded_api, of, format="lheo", refs=chosen)
    assert response.status_code == 202, response.get_json()
    assert jobs_done.run_jobs() == 1

    view, content, _ = downloaded(seeded_api, of, response.get_json()["id"])
    assert view["filename"].endswith("-lheo.xml") and view["selected"] == 1 and not view["all_formations"]
    document = valid_lheo(content)
    text = etree.tostring(document, encoding="unicode")
    assert set(F_REF.findall(text)) == set(chosen)
    assert set(S_REF.findall(text)) == chosen_sessions
    assert view["formations"] == 1 and view["sessions"] == len(chosen_sessions)


def test_another_structures_formations_are_refused_and_nothing_is_queued(seeded_api, of, jobs_done, aws):
    other = lines_of(seeded_api, seeded_api.login(*OTHER_OF), OTHER_STRUCTURE)
    mine = {line["ref"] for line in lines_of(seeded_api, of)}
    foreign = sorted({line["ref"] for line in other} - mine)[:1]
    assert foreign
    response = ask(seeded_api, of, format="xlsx", refs=foreign)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["fields"][0]["field"] == "refs" and foreign[0] in error["message"]
    assert "ne sont pas dans l'espace structure" in error["message"]
    assert jobs_done.run_jobs() == 0 and bell(seeded_api, of)["items"] == []


def test_rights_on_the_structure_are_needed_and_a_moderator_may_export(seeded_api, of, moderator, jobs_done):
    other = seeded_api.login(*OTHER_OF)
    refused = ask(seeded_api, other, format="xlsx")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    assert ask(seeded_api, moderator, format="lheo").status_code == 202
    assert [i["siret"] for i in bell(seeded_api, moderator)["items"]] == [HEAD]
    assert bell(seeded_api, other)["items"] == []


def test_the_same_request_twice_is_one_export_and_one_job(seeded_api, of, jobs_done, aws):
    lines = lines_of(seeded_api, of)
    refs = sorted({line["ref"] for line in lines})
    first = ask(seeded_api, of, format="xlsx", refs=refs)
    again = ask(seeded_api, of, format="xlsx", refs=list(reversed(refs)))  # the same set of formations
    assert first.status_code == again.status_code == 202
    assert first.get_json()["id"] == again.get_json()["id"]
    other_format = ask(seeded_api, of, format="lheo", refs=refs)
    assert other_format.get_json()["id"] != first.get_json()["id"]
    assert jobs_done.run_jobs() == 2
    # once ready, the same request right after still gives the same file (a double click)...
    assert ask(seeded_api, of, format="xlsx", refs=refs).get_json()["id"] == first.get_json()["id"]
    # ...and a new one a while later
    clock.advance(export_files.REPEAT_WINDOW_SECONDS + 1)
    later = ask(seeded_api, of, format="xlsx", refs=refs)
    assert later.get_json()["id"] != first.get_json()["id"]
    assert [i["id"] for i in bell(seeded_api, of)["items"]] == [
        later.get_json()["id"],
        other_format.get_json()["id"],
        first.get_json()["id"],
    ]


def test_a_failing_writer_is_retried_then_the_export_fails_and_the_job_is_dead_lettered(
    seeded_api, of, jobs_done, sqs, aws, monkeypatch
):
    calls: list[str] = []

    def broken(format: str, offers: Any, path: Path) -> Any:  # noqa: A002
        calls.append(format)
        raise RuntimeError("disque plein")

    monkeypatch.setattr(export_service, "write", broken)
    export_id = ask(seeded_api, of, format="xlsx").get_json()["id"]
    assert jobs_done.deliver() == 1
    (item,) = bell(seeded_api, of)["items"]
    assert item["status"] == "queued" and "nouvelle tentative" in item["message"]
    assert [jobs_done.deliver() for _ in range(3)] == [1, 1, 0]  # maxReceiveCount 3, then the DLQ
    assert len(calls) == 3
    view = seeded_api.get(f"/exports/{export_id}", headers=of).get_json()
    assert view["status"] == "failed" and view["url"] is None
    assert view["error"] == export_files.FAILED and view["message"].startswith("Export Excel en échec : ")
    dead = sqs.receive_message(QueueUrl=aws.physical["JobsDeadLetterQueue"].ref, MaxNumberOfMessages=10)
    (message,) = dead["Messages"]
    assert json.loads(message["Body"])["export_id"] == export_id
    # a failed export does not hold the request: asking again makes a new one
    assert ask(seeded_api, of, format="xlsx").get_json()["id"] != export_id


def test_a_writer_failing_once_is_retried_and_the_file_is_ready(seeded_api, of, jobs_done, sqs, monkeypatch):
    real = export_service.write
    failures = ["S3 indisponible"]

    def flaky(format: str, offers: Any, path: Path) -> Any:  # noqa: A002
        if failures:
            raise RuntimeError(failures.pop())
        return real(format, offers, path)

    monkeypatch.setattr(export_service, "write", flaky)
    export_id = ask(seeded_api, of, format="lheo").get_json()["id"]
    assert jobs_done.deliver() == 1 and jobs_done.deliver() == 1 and jobs_done.deliver() == 0
    _, content, _ = downloaded(seeded_api, of, export_id)
    valid_lheo(content)


def test_an_export_whose_deliveries_died_shows_failed_after_its_time(seeded_api, of, jobs_done):
    export_id = ask(seeded_api, of, format="xlsx").get_json()["id"]
    clock.advance(export_files.PENDING_LIMIT_SECONDS + 1)  # no worker ran it (a Lambda that timed out)
    view = seeded_api.get(f"/exports/{export_id}", headers=of).get_json()
    assert view["status"] == "failed" and view["error"] == export_files.TIMED_OUT
    assert ask(seeded_api, of, format="xlsx").get_json()["id"] != export_id


def test_someone_elses_export_is_not_found(seeded_api, of, moderator, jobs_done):
    export_id = ask(seeded_api, of, format="xlsx").get_json()["id"]
    jobs_done.run_jobs()
    for headers in (seeded_api.login(*OTHER_OF), moderator):
        response = seeded_api.get(f"/exports/{export_id}", headers=headers)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
        assert response.get_json()["error"]["message"] == export_service.NOT_FOUND
    assert seeded_api.get("/exports/pas-un-export", headers=of).status_code == 404
    assert seeded_api.get("/exports", headers={}).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"format": "pdf"}, "format"),
        ({"format": "xlsx", "refs": ["S0000001"]}, "refs"),
        ({"format": "xlsx", "siret": "123"}, "siret"),
    ],
)
def test_a_bad_request_is_refused_with_a_french_message(seeded_api, of, jobs_done, body, field):
    response = seeded_api.post("/exports", json={"siret": HEAD, **body}, headers=of)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert [f["field"] for f in error["fields"]] == [field]
    assert error["fields"][0]["message"] and "Value error" not in error["fields"][0]["message"]
    if field == "format":
        assert error["fields"][0]["message"] == "Valeur non autorisée : choisissez parmi 'xlsx' ou 'lheo'."
    assert jobs_done.run_jobs() == 0


def test_the_queue_and_the_worker_agree_on_the_last_attempt(aws):
    from ofeli.settings import settings

    attributes = aws.client("sqs").get_queue_attributes(
        QueueUrl=aws.physical["JobsQueue"].ref, AttributeNames=["RedrivePolicy"]
    )["Attributes"]
    assert int(json.loads(attributes["RedrivePolicy"])["maxReceiveCount"]) == settings().jobs_max_receive_count
