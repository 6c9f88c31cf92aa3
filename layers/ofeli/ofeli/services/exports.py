"""The OF's exports (*Exporter*, guide "Exporter des formations") and the bell of its files.

1. `request_export` (`POST /exports`): the caller's rights on the structure (or a moderator), the ticked
   formations checked against the structure's own (one Query of its search rows), then one transaction
   writes the export (queued) and the request's hold (`ofeli.store.exports`), and a job goes on the jobs
   queue. The same request again while the hold lasts (its export queued or running, or finished less
   than `REPEAT_WINDOW_SECONDS` ago) writes nothing and gives the same export: one job.
2. `export_job` (the worker, kind "export"): once per message (`ofeli.jobs.once`), marks it running, reads
   the offers (`ofeli.services.export_offers.structure_offers`), writes the file with the format's writer
   into a temporary file, puts it in the exports bucket, marks it ready with what the writer reported
   (formations and sessions written, formations rejected with their reasons).
3. Failures. A writer or S3 that fails fails the delivery: the export goes back to queued and the worker
   reports the failure, so SQS delivers it again after the visibility timeout. The delivery that SQS
   counts as the last one (`ApproximateReceiveCount` = the queue's `maxReceiveCount`, `ofeli.jobs`) marks
   the export failed with a French reason before failing too, so the message lands in the dead-letter
   queue (for the operators) while the bell says *Échec*. A delivery that dies without a word on its last
   attempt (a timeout) cannot mark it: an export still pending `PENDING_LIMIT_SECONDS` after it was asked
   is shown failed (`ofeli.domain.export_files.effective_status`). A domain error (the structure gone...)
   fails the export at once, with its message: retrying would not help.
4. `bell` (`GET /exports`) and `download` (`GET /exports/{id}`, the owner only: the record is read in the
   caller's own partition), which gives a presigned GET valid `download_url_ttl` seconds, answered as an
   attachment under the file's name, and records the first download (the bell's badge).
"""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ofeli import clock, observability
from ofeli.domain import export_files as rules
from ofeli.domain.errors import Conflict, DomainError, FieldError, NotFound, RuleViolation
from ofeli.domain.export_files import (
    ExportCreated,
    ExportDownload,
    ExportFile,
    ExportList,
    ExportRequest,
)
from ofeli.domain.identity import Identity
from ofeli.services import access
from ofeli.settings import settings
from ofeli.store import exports as store
from ofeli.store import search as search_rows
from ofeli.store.table import Item

if TYPE_CHECKING:
    from ofeli.domain.exports import Offer, Report

JOB = "export"
_ID = re.compile(r"^[0-9]{17}-[0-9a-f]{12}$")
NOT_FOUND = "Cet export n'existe pas, ou plus (les fichiers sont gardés 30 jours)."
NOTHING = "Cet espace structure n'a encore aucune formation à exporter."


def _now_iso() -> str:
    return clock.iso("seconds")


# ---------------------------------------------------------------------- the request
def _structure_refs(siret: str) -> set[str]:
    """The formations the structure's search shows (as responsible or as trainer)."""
    return {str(item["sk"]).split("#", 1)[1] for item in search_rows.rows_of(siret)}


def _check_refs(siret: str, refs: list[str] | None) -> None:
    known = _structure_refs(siret)
    if not known:
        raise RuleViolation(NOTHING, [FieldError("siret", NOTHING)])
    unknown = sorted(set(refs or ()) - known)
    if unknown:
        listed = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        text = f"Ces formations ne sont pas dans l'espace structure {siret} : {listed}."
        raise RuleViolation(text, [FieldError("refs", text)])


def request_export(identity: Identity, request: ExportRequest) -> ExportCreated:
    access.structure_for(identity, request.siret)
    _check_refs(request.siret, request.refs)
    digest = rules.request_digest(request.siret, request.format, request.refs)
    for _ in range(3):
        now = clock.now()
        export_id = rules.export_id(now, uuid.uuid4().hex)
        record: Item = {
            "id": export_id,
            "siret": request.siret,
            "format": request.format,
            "refs": request.refs or [],
            "digest": digest,
            "status": "queued",
            "attempts": 0,
            "filename": rules.filename(request.siret, request.format, now),
            "created_at": now.isoformat(timespec="milliseconds"),
            "created_by": identity.email,
            "expires_at": int(now.timestamp()) + rules.KEPT_DAYS * 24 * 3600,
        }
        seconds = int(now.timestamp())
        existing = store.create(
            identity.user_id, record, digest=digest, now=seconds, hold_until=seconds + rules.PENDING_LIMIT_SECONDS
        )
        if existing is None:
            _enqueue(identity.user_id, record)
            observability.count("ExportRequested")
            return ExportCreated(
                id=export_id,
                status="queued",
                message="Export demandé : le fichier est en cours de génération. Retrouvez-le dans la cloche.",
            )
        if existing:
            current = store.get(identity.user_id, existing)
            if current is not None:
                status, _ = rules.effective_status(current, now)
                return ExportCreated(
                    id=existing,
                    status=status,
                    message="Cet export vient d'être demandé : retrouvez son fichier dans la cloche.",
                )
    raise Conflict("Cet export est demandé en ce moment même : réessayez dans un instant.")


def _enqueue(user_id: str, record: Item) -> None:
    from ofeli import jobs

    try:
        jobs.enqueue(JOB, job_id=f"{JOB}-{record['id']}", user_id=user_id, export_id=record["id"])
    except Exception:
        # nothing will generate it: say so in the bell, and let the same request be asked again at once
        store.fail(user_id, record["id"], rules.FAILED, at=_now_iso())
        store.release(user_id, record["digest"], record["id"], hold_until=clock.seconds() - 1)
        raise


# ---------------------------------------------------------------------- the bell
def _kept(record: Item, now: Any) -> bool:
    return int(record.get("expires_at") or 0) > int(now.timestamp())


def bell(identity: Identity) -> ExportList:
    now = clock.now()
    items = [ExportFile(**rules.view(r, now)) for r in store.bell(identity.user_id) if _kept(r, now)]
    pending, new = rules.badge(i.model_dump() for i in items)
    return ExportList(items=items, pending=pending, new=new, badge=pending + new)


def download(identity: Identity, export_id: str) -> ExportDownload:
    record = store.get(identity.user_id, export_id) if _ID.match(export_id) else None
    now = clock.now()
    if record is None or not _kept(record, now):
        raise NotFound(NOT_FOUND)
    fields = rules.view(record, now)
    if fields["status"] != "ready":
        return ExportDownload(**fields)
    seconds = settings().download_url_ttl
    url = store.download_url(record["key"], record["filename"], rules.CONTENT_TYPES[record["format"]], seconds=seconds)
    if not record.get("downloaded_at"):
        store.mark_downloaded(identity.user_id, export_id, at=_now_iso())
        fields["downloaded"] = True
    return ExportDownload(**fields, url=url, url_expires_at=now + timedelta(seconds=seconds))


# ---------------------------------------------------------------------- the worker's side
def export_job(message: dict[str, Any]) -> None:
    """The "export" job: one export's file (see the module's docstring)."""
    from ofeli import jobs

    user_id, export_id = str(message["user_id"]), str(message["export_id"])
    attempt, last = jobs.attempt(), jobs.last_attempt()
    jobs.once(str(message["id"]), lambda: _run(user_id, export_id, attempt=attempt, last=last))


def _report(report: Report) -> dict[str, Any]:
    rejected = [{"ref": r.ref, "reason": r.reason} for r in report.rejected]
    return {
        "formations": report.formations,
        "sessions": report.sessions,
        "rejected": rejected[: rules.MAX_REJECTED_SHOWN],
        "rejected_count": len(rejected),
    }


def _offers(record: Item) -> Iterable[Offer]:
    from ofeli.services import export_offers

    return export_offers.structure_offers(record["siret"], list(record.get("refs") or []) or None)


def write(format: str, offers: Iterable[Offer], path: Path) -> Report:  # noqa: A002
    """The file of `offers` in `format`, written at `path` by the format's writer."""
    with path.open("wb") as out:
        if format == "lheo":
            from ofeli.lheo import writer as lheo

            return lheo.write(offers, out, generated_at=clock.now())
        from ofeli.excel import writer as excel

        return excel.write(offers, out)


def _run(user_id: str, export_id: str, *, attempt: int, last: bool) -> None:
    record = store.get(user_id, export_id)
    if record is None or record["status"] not in rules.PENDING:
        return  # done by an earlier delivery, or failed already
    store.start(user_id, export_id, attempt=attempt, at=_now_iso())
    log = observability.logger()
    try:
        with tempfile.TemporaryDirectory(prefix="ofeli-export-") as folder:
            path = Path(folder) / record["filename"]
            report = _report(write(record["format"], _offers(record), path))
            key = store.file_key(user_id, export_id, record["filename"])
            size = store.upload(key, path, rules.CONTENT_TYPES[record["format"]])
        store.ready(user_id, export_id, key=key, size=size, report=report, at=_now_iso())
    except DomainError as error:  # the same answer on every attempt: failed now, with its reason
        log.warning("export refused", extra={"export_id": export_id, "reason": error.message})
        _finish_failed(user_id, record, error.message)
        return
    except Exception:
        log.exception("export failed", extra={"export_id": export_id, "attempt": attempt, "last": last})
        if last:
            _finish_failed(user_id, record, rules.FAILED)
        else:
            store.retry(user_id, export_id, at=_now_iso())
        raise
    store.release(user_id, record["digest"], export_id, hold_until=clock.seconds() + rules.REPEAT_WINDOW_SECONDS)
    observability.count("ExportReady")


def _finish_failed(user_id: str, record: Item, reason: str) -> None:
    store.fail(user_id, record["id"], reason, at=_now_iso())
    store.release(user_id, record["digest"], record["id"], hold_until=clock.seconds() - 1)
    observability.count("ExportFailed")
