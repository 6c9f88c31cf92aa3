"""The DGEFP's *liste publique des organismes de formation*: its import by a moderator, the Qualiopi
labels it gives the platform's structures, and the check of a request's SIRET and NDA against it.

The import, step by step:
1. `create_import`: an import record (`ofeli.store.imports`, kind "organisations") and a presigned
   POST for the CSV file (at most 100 MiB) into the documents bucket.
2. `start`: once the file is there, the record goes to `queued` and a job goes on the queue. Starting
   again does not start twice: the record's status changes once, and the job's id is made from the
   import's id and the line it starts after, so a repeated message does its work once (`jobs.once`).
3. `import_job` (the worker): reads the object as a stream, and handles the lines 500 at a time: one
   batch read of their stored organisations, writes of the new and changed ones only (conditioned on
   what was read, in transactions of 100), then the structures of their SIRETs (one batch read) whose
   Qualiopi labels change. An unchanged line is not written: re-importing the same file reads it all
   and writes nothing. A run stops after `LINES_PER_RUN` lines or `SECONDS_PER_RUN` seconds (the
   worker's timeout is 120 s, the job's lease as long) and queues the next run, which reads the file
   again from the start and goes on after the last line done: the 100,000 lines of the real list take
   a few runs, none near Lambda's limits. Each run adds its counts to the record under the condition
   that the record is still at the line it started from.

Limit: an NDA missing from a newer list is not marked lapsed (that would mean writing every item at
every import); an NDA is lapsed when the list gives it as an earlier NDA of an organisation.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ofeli import clock, observability
from ofeli.domain import workflow as rules
from ofeli.domain.accounts import PresignedPost
from ofeli.domain.errors import Conflict, NotFound
from ofeli.domain.identity import Identity
from ofeli.domain.imports import NOT_UPLOADED, ImportCounts, ImportCreated, ImportRequest, ImportView
from ofeli.domain.structures import QualityLabel
from ofeli.domain.training_organisations import (
    QUALIOPI,
    SOURCE,
    ListFormatError,
    NationalMatch,
    RejectedLine,
    TrainingOrganisation,
    lapsed_hash,
    national_match,
    parse,
    text_lines,
)
from ofeli.store import documents, imports, queue, structures
from ofeli.store import training_organisations as organisations
from ofeli.store.table import Item

KIND = "organisations"
JOB = "training-organisation-import"
CONTENT_TYPE = "text/csv"
MAX_BYTES = 100 * 1024 * 1024
CHUNK = 500  # lines handled together: one batch read, transactions of 100
LINES_PER_RUN = 25_000
SECONDS_PER_RUN = 60.0
QUALITY_LABEL = "Qualité (Qualiopi)"


def _now() -> str:
    return clock.iso("seconds")


# ---------------------------------------------------------------------- the moderator's side
def create_import(identity: Identity, request: ImportRequest) -> ImportCreated:
    import_id = uuid.uuid4().hex
    key = f"imports/{KIND}/{import_id}/liste-publique-des-of.csv"
    imports.create(
        import_id,
        {
            "kind": KIND,
            "key": key,
            "list_date": (request.list_date or clock.today()).isoformat(),
            "filename": request.clean_filename(),
            "created_by": identity.email,
            "created_at": _now(),
            "counts": ImportCounts().model_dump(),
        },
    )
    upload = PresignedPost(**documents.upload_form(key, CONTENT_TYPE, MAX_BYTES))
    return ImportCreated(
        id=import_id,
        upload=upload,
        message="Import créé : déposez le fichier CSV de la liste (100 Mo au plus), puis lancez l'import.",
    )


def _record(import_id: str) -> Item:
    record = imports.get(import_id)
    if record is None or record.get("kind") != KIND:
        raise NotFound("Cet import de la liste des organismes de formation n'existe pas.")
    return record


def status(import_id: str) -> ImportView:
    return _view(_record(import_id))


def start(import_id: str) -> ImportView:
    """Queue the import of the uploaded file; once only, however often it is asked."""
    record = _record(import_id)
    if record["status"] == "waiting_upload":
        if not documents.exists(record["key"]):
            raise Conflict(NOT_UPLOADED)
        imports.queue(import_id, at=_now())  # False: a simultaneous start did it; its job id is the same
        record = _record(import_id)
    if record["status"] == "queued":
        # (again) the first run's message: if an earlier start stopped between the two, nothing is lost,
        # and a second message with the same id does nothing (jobs.once)
        _enqueue(import_id, int(record.get("offset", 0)))
    return _view(record)


def _enqueue(import_id: str, offset: int) -> None:
    queue.enqueue(JOB, id=f"{JOB}-{import_id}-{offset}", import_id=import_id, offset=offset)


_MESSAGES = {
    "waiting_upload": "En attente du fichier : déposez-le, puis lancez l'import.",
    "queued": "Import en file d'attente : il commence dans un instant.",
    "running": "Import en cours.",
}


def _view(record: Item) -> ImportView:
    counts = ImportCounts.model_validate(record.get("counts") or {})
    state = record["status"]
    if state == "done":
        message = (
            f"Import terminé : {counts.read} lignes lues, {counts.created} organismes nouveaux, {counts.changed} "
            f"modifiés, {counts.unchanged} inchangés, {counts.rejected} lignes refusées ; "
            f"{counts.structures_updated} structures ont reçu leurs labels Qualiopi."
        )
    elif state == "failed":
        message = f"Import échoué : {record.get('error')}"
    elif state == "running":
        message = f"Import en cours : {counts.read} lignes lues jusqu'ici."
    else:
        message = _MESSAGES[state]
    return ImportView(
        **{k: v for k, v in record.items() if k in ImportView.model_fields and k not in {"counts", "message"}},
        counts=counts,
        message=message,
    )


# ---------------------------------------------------------------------- the worker's side
def import_job(message: dict[str, Any]) -> None:
    """The "training-organisation-import" job: one run of an import (see the module's docstring)."""
    from ofeli import jobs

    import_id, offset = str(message["import_id"]), int(message["offset"])
    jobs.once(str(message["id"]), lambda: _run(import_id, offset))


def _run(import_id: str, offset: int) -> None:
    record = imports.get(import_id)
    if record is None or record["status"] not in {"queued", "running"}:
        return
    if int(record.get("offset", 0)) != offset:  # an earlier delivery did this run: make sure the next is queued
        if record["status"] == "running" and int(record["offset"]) > offset:
            _enqueue(import_id, int(record["offset"]))
        return
    run = Run(
        list_date=date.fromisoformat(record["list_date"]),
        counts=ImportCounts.model_validate(record.get("counts") or {}),
        rejected=list(record.get("rejected") or []),
    )
    try:
        finished = run.go(documents.read_chunks(record["key"]), offset)
    except ListFormatError as error:
        imports.fail(import_id, error.message, at=_now())
        observability.logger().warning("import failed", extra={"import_id": import_id, "reason": error.message})
        return
    saved = imports.progress(
        import_id,
        offset=offset,
        new_offset=run.last_line,
        counts=run.counts.model_dump(),
        rejected=run.rejected,
        done=finished,
        at=_now(),
    )
    if not saved:
        return
    if finished:
        imports.mark_latest(KIND, import_id, record["list_date"], at=_now())
        observability.count("TrainingOrganisationImportDone")
    else:
        _enqueue(import_id, run.last_line)


@dataclass
class Run:
    """One run of an import: the lines after `offset`, until the file ends or the run's budget does."""

    list_date: date
    counts: ImportCounts
    rejected: list[Any]
    last_line: int = 0
    _ndas: dict[str, int] = field(default_factory=dict)  # NDA → its first line, over the whole file
    _lapsed: set[str] = field(default_factory=set)

    def go(self, chunks: Iterator[bytes], offset: int) -> bool:
        """True when the file is done, False when the next run goes on after `last_line`."""
        self.last_line = offset
        deadline = time.monotonic() + SECONDS_PER_RUN
        batch: list[TrainingOrganisation] = []
        done_here = 0
        for line, item in parse(text_lines(chunks)):
            checked = self._check(line, item)
            if line <= offset:
                continue  # done by an earlier run (read again for the duplicates above)
            self.counts.read += 1
            self.last_line = line
            if isinstance(checked, RejectedLine):
                self.counts.rejected += 1
                if len(self.rejected) < imports.MAX_REJECTED:
                    self.rejected.append(checked.model_dump())
            else:
                batch.append(checked)
            done_here += 1
            if done_here % CHUNK == 0:
                self._flush(batch)
                batch = []
                if done_here >= LINES_PER_RUN or time.monotonic() > deadline:
                    return False
        self._flush(batch)
        return True

    def _check(self, line: int, item: TrainingOrganisation | RejectedLine) -> TrainingOrganisation | RejectedLine:
        """A second line of the same NDA is refused (the first one is the organisation), whichever run."""
        if isinstance(item, RejectedLine):
            return item
        first = self._ndas.setdefault(item.nda, line)
        if first != line:
            return RejectedLine(
                line=line, message=f"Le NDA {item.nda} figure déjà ligne {first} : seule la première ligne compte."
            )
        return item

    def _flush(self, batch: list[TrainingOrganisation]) -> None:
        if not batch:
            return
        previous = [old for org in batch for old in org.previous_ndas]
        stored = organisations.get_many([org.nda for org in batch] + previous)
        changes: list[tuple[Item, Item | None]] = []
        for org in batch:
            digest = org.content_hash()
            before = stored.get((org.nda, "ORG"))
            if before is None:
                self.counts.created += 1
            elif before.get("content_hash") != digest:
                self.counts.changed += 1
            else:
                self.counts.unchanged += 1
                before = None
                digest = ""
            if digest:
                changes.append((organisations.org_item(org.model_dump(mode="json"), digest), before))
            for old in org.previous_ndas:
                if old in self._lapsed:
                    continue
                self._lapsed.add(old)
                lapsed_digest = lapsed_hash(old, org)
                seen = stored.get((old, "LAPSED"))
                if seen is None or seen.get("content_hash") != lapsed_digest:
                    item = organisations.lapsed_item(
                        old, replaced_by=org.nda, name=org.name, siren=org.siren, content_hash=lapsed_digest
                    )
                    changes.append((item, seen))
        organisations.write(changes)
        self.counts.structures_updated += fill_quality(batch, self.list_date)


# ---------------------------------------------------------------------- the *Qualité* tab
def quality_labels(
    current: list[dict[str, Any]], org: TrainingOrganisation, list_date: date
) -> list[dict[str, Any]] | None:
    """The structure's labels once the list's Qualiopi categories are in, or None when nothing changes.

    The list is the truth for Qualiopi (moderators no longer type it): its label replaces a typed one.
    Labels of other names are kept. The same categories from a later list change nothing (the label
    keeps the date of the list it came from), so a re-import writes nothing."""
    others = [q for q in current if q.get("name") != QUALIOPI]
    mine = [q for q in current if q.get("name") == QUALIOPI]
    categories = org.qualiopi_categories()
    if not categories:
        return others if mine else None
    if len(mine) == 1 and mine[0].get("categories") == categories and mine[0].get("source") == SOURCE:
        return None
    label = QualityLabel(name=QUALIOPI, categories=categories, source=SOURCE, list_date=list_date)
    return [label.model_dump(mode="json"), *others]


def fill_quality(batch: list[TrainingOrganisation], list_date: date) -> int:
    """Set the Qualiopi labels of the platform's structures declared in `batch`; how many changed."""
    by_siret = {org.siret: org for org in batch if org.siret}
    updated = 0
    for record in structures.get_many(list(by_siret)):
        org = by_siret[record["siret"]]
        for _attempt in range(3):  # a moderator's edit in between: read the record again
            labels = quality_labels(record.get("qualiopi") or [], org, list_date)
            if labels is None:
                break
            try:
                _set_quality(record, labels, list_date)
            except Conflict:
                fresh = structures.get(record["siret"])
                if fresh is None:
                    break
                record = fresh
                continue
            updated += 1
            break
    return updated


def _set_quality(record: Item, labels: list[dict[str, Any]], list_date: date) -> None:
    now = _now()
    differences = rules.differences(
        {"qualiopi": record.get("qualiopi") or []}, {"qualiopi": labels}, {"qualiopi": QUALITY_LABEL}
    )
    history = {
        "id": uuid.uuid4().hex,
        "kind": "structure",
        "record_id": record["siret"],
        "submitted_by": SOURCE,
        "submitted_at": now,
        "decided_by": SOURCE,
        "decided_at": now,
        "comment": f"Labels Qualiopi de la liste publique des organismes de formation du {list_date:%d/%m/%Y}.",
        "differences": [d.model_dump(mode="json") for d in differences],
    }
    # through the structure store: the directory row (its Qualiopi flag) changes in the same transaction
    structures.update(record, {"qualiopi": labels}, version=int(record["version"]), history=history)


# ---------------------------------------------------------------------- the check of a request
def national_matches(pairs: list[tuple[str, str]]) -> list[NationalMatch | None]:
    """For each (SIRET, NDA), what the list says; None for all when no list was ever imported (an
    "unknown" NDA would then mean nothing)."""
    latest = imports.latest(KIND)
    if latest is None or not pairs:
        return [None] * len(pairs)
    stored = organisations.get_many([nda for _, nda in pairs])
    matches: list[NationalMatch | None] = []
    for siret, nda in pairs:
        by_nda, lapsed = stored.get((nda, "ORG")), stored.get((nda, "LAPSED"))
        by_siret = organisations.declared_by(siret) if by_nda is None and lapsed is None else []
        match = national_match(siret, nda, by_nda, lapsed, by_siret)
        matches.append(match.model_copy(update={"list_date": date.fromisoformat(str(latest["list_date"]))}))
    return matches
