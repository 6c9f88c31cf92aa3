"""The certification referential: France Compétences' RNCP and RS fiches imported by a moderator, the
habilitations they give the platform's structures, and the search over them (the guide's magnifier
dialog, `GET /certifications`).

The import, step by step (the same workflow as `ofeli.services.training_organisations`):
1. `create_import`: an import record (`ofeli.store.imports`, kind "certifications") and a presigned POST
   for the file (at most 500 MiB): the CSV zip `export-fiches-csv-AAAA-MM-JJ.zip`, or an XML export.
2. `start`: once the file is there, the record goes to `queued` and a job goes on the queue, once
   however often it is asked (the job's id is made from the import's id and the entry it starts after).
3. `import_job` (the worker): downloads the object to a file under /tmp (kept there for the next run of
   the same import in the same container), reads it with `ofeli.domain.certification_files.read`, and
   handles the fiches 100 at a time: one batch read of their stored digests, writes of the new and
   changed fiches only (conditioned on what was read, 50 fiches and their search rows per transaction),
   then the structures named as partners (one batch read) whose habilitations change. An unchanged
   fiche is not written: re-importing the same file reads it all and writes nothing. A run stops after
   `ENTRIES_PER_RUN` entries or `SECONDS_PER_RUN` seconds (the worker's timeout is 120 s) and queues
   the next one, which reads the file again and goes on after the last entry done; each run adds its
   counts to the record under the condition that the record is still where the run started. A file
   that is not a France Compétences export makes the import `failed`, with the parser's French reason.
4. When the last run is done, the search snapshot is rebuilt if any fiche was written since the last one.

Habilitations: an active fiche whose partner's SIRET is a structure of the platform gives that
structure the habilitation (the fiche's code and title) if it lacks that code, through
`ofeli.store.structures.update` (version-conditioned, with an entry in the record's history). That is
all an import does to them, to keep it simple: it never removes nor retitles one. A partner dropped from
a newer referential, or a fiche that became inactive, leaves the habilitation in the *Habilitations* tab
for a moderator to remove (a moderator may also have typed it; the referential cannot tell them apart);
a habilitation's title stays as it was given. Inactive fiches give no new habilitation.

The search index. A query never reads the table's fiches: at the end of an import that wrote something,
the job reads every fiche's compact search row (`gsi2`, 8 partitions queried in parallel; no Scan),
writes them as one gzip JSON object (a few MB for 30,000 fiches) in the documents bucket under
`referential/certifications/<digest of its content>.json.gz`, and points `REFERENTIAL#CERTIFICATIONS` /
`INDEX` to it. The offers function reads that pointer (one GetItem) on every search; when its key
differs from the snapshot it holds, it downloads the new one and builds the in-memory index
(`ofeli.domain.certification_search.Index`) once per container; the query then runs in memory. The
pointer's `generation` is bumped after each write of fiches and its `built` says which generation the
snapshot reflects: an import whose indexing failed leaves the pointer behind, and the next import
(even of an unchanged file) or a retry of the job builds it. The rows are read from a GSI, which lags
the writes by a fraction of a second: the rows the last run just wrote are taken from that run itself,
not from the index (those of earlier runs were written at least one queue delivery before).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ofeli import clock, observability
from ofeli.domain import workflow as rules
from ofeli.domain.accounts import PresignedPost
from ofeli.domain.certification_search import (
    EMPTY,
    CertificationDetail,
    CertificationPage,
    CertificationQuery,
    CertificationRef,
    Index,
    code_error,
)
from ofeli.domain.certifications import Certification, normalise_code
from ofeli.domain.directory import OUTSIDE
from ofeli.domain.errors import Conflict, NotFound, violation
from ofeli.domain.identity import Identity
from ofeli.domain.imports import (
    NOT_UPLOADED,
    CertificationImportCounts,
    CertificationImportRequest,
    CertificationImportView,
    ImportCreated,
    RejectedEntry,
)
from ofeli.domain.structures import Habilitation
from ofeli.settings import settings
from ofeli.store import certifications as store
from ofeli.store import documents, imports, queue, structures
from ofeli.store.table import Item

KIND = "certifications"
JOB = "certification-import"
MAX_BYTES = 500 * 1024 * 1024
CHUNK = 100  # fiches handled together: one batch read, transactions of 50 fiches
ENTRIES_PER_RUN = 20_000
SECONDS_PER_RUN = 60.0
SOURCE = "Référentiel de France Compétences"
HABILITATIONS = "Habilitations"
SNAPSHOT_FORMAT = 1
WORK_DIR = Path(tempfile.gettempdir()) / "ofeli-imports"
_DATE_IN_NAME = re.compile(r"(20[0-9]{2})[-_]([01][0-9])[-_]([0-3][0-9])")


def _now() -> str:
    return clock.iso("seconds")


# ---------------------------------------------------------------------- what other services read
def get(code: str) -> Certification | None:
    """The fiche of a code as a person types it (`rncp 35000`), or None (unknown, or not a code)."""
    canonical = normalise_code(code)
    return store.get(canonical) if canonical else None


def get_many(codes: list[str]) -> dict[str, Certification]:
    """The fiches the referential holds among `codes` (typed any way), by canonical code."""
    canonical = [c for c in (normalise_code(code) for code in codes) if c]
    return store.get_many(canonical) if canonical else {}


# ---------------------------------------------------------------------- the moderator's side
def export_date(filename: str | None) -> date | None:
    """The date France Compétences puts in its file names (export-fiches-csv-2026-11-02.zip)."""
    match = _DATE_IN_NAME.search(filename or "")
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def create_import(identity: Identity, request: CertificationImportRequest) -> ImportCreated:
    import_id = uuid.uuid4().hex
    suffix = request.filename[-4:].lower()
    key = f"imports/{KIND}/{import_id}/export{suffix}"
    listed = request.list_date or export_date(request.filename) or clock.today()
    imports.create(
        import_id,
        {
            "kind": KIND,
            "key": key,
            "list_date": listed.isoformat(),
            "filename": request.clean_filename(),
            "created_by": identity.email,
            "created_at": _now(),
            "counts": CertificationImportCounts().model_dump(),
        },
    )
    upload = PresignedPost(**documents.upload_form(key, request.content_type(), MAX_BYTES))
    return ImportCreated(
        id=import_id,
        upload=upload,
        message="Import créé : déposez le fichier de France Compétences (500 Mo au plus), puis lancez l'import.",
    )


def _record(import_id: str) -> Item:
    record = imports.get(import_id)
    if record is None or record.get("kind") != KIND:
        raise NotFound("Cet import du référentiel des certifications n'existe pas.")
    return record


def status(import_id: str) -> CertificationImportView:
    return _view(_record(import_id))


def start(import_id: str) -> CertificationImportView:
    """Queue the import of the uploaded file; once only, however often it is asked."""
    record = _record(import_id)
    if record["status"] == "waiting_upload":
        if not documents.exists(record["key"]):
            raise Conflict(NOT_UPLOADED)
        imports.queue(import_id, at=_now())  # False: a simultaneous start did it; its job id is the same
        record = _record(import_id)
    if record["status"] == "queued":
        _enqueue(import_id, int(record.get("offset", 0)))
    return _view(record)


def _enqueue(import_id: str, offset: int) -> None:
    queue.enqueue(JOB, id=f"{JOB}-{import_id}-{offset}", import_id=import_id, offset=offset)


_MESSAGES = {
    "waiting_upload": "En attente du fichier : déposez-le, puis lancez l'import.",
    "queued": "Import en file d'attente : il commence dans un instant.",
}


def _view(record: Item) -> CertificationImportView:
    counts = CertificationImportCounts.model_validate(record.get("counts") or {})
    state = record["status"]
    if state == "done":
        message = (
            f"Import terminé : {counts.read} fiches lues, {counts.created} certifications nouvelles, "
            f"{counts.changed} modifiées, {counts.unchanged} inchangées, {counts.rejected} entrées refusées ; "
            f"{counts.structures_updated} structures ont reçu des habilitations."
        )
    elif state == "failed":
        message = f"Import échoué : {record.get('error')}"
    elif state == "running":
        message = f"Import en cours : {counts.read} fiches lues jusqu'ici."
    else:
        message = _MESSAGES[state]
    return CertificationImportView(
        **{
            k: v
            for k, v in record.items()
            if k in CertificationImportView.model_fields and k not in {"counts", "message"}
        },
        counts=counts,
        message=message,
    )


# ---------------------------------------------------------------------- the worker's side
def import_job(message: dict[str, Any]) -> None:
    """The "certification-import" job: one run of an import (see the module's docstring)."""
    from ofeli import jobs

    import_id, offset = str(message["import_id"]), int(message["offset"])
    jobs.once(str(message["id"]), lambda: _run(import_id, offset))


def _local_copy(import_id: str, key: str) -> Path:
    """The uploaded file under /tmp: downloaded once per container and import (written aside, then
    renamed: a copy there is whole). Other imports' copies are removed (/tmp is small)."""
    folder = WORK_DIR / import_id
    path = folder / Path(key).name
    if path.is_file():
        return path
    if WORK_DIR.is_dir():
        for other in WORK_DIR.iterdir():
            if other.name != import_id:
                shutil.rmtree(other, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".part")
    with partial.open("wb") as out:
        for chunk in documents.read_chunks(key):
            out.write(chunk)
    partial.replace(path)
    return path


def _forget_copy(import_id: str) -> None:
    shutil.rmtree(WORK_DIR / import_id, ignore_errors=True)


def _run(import_id: str, offset: int) -> None:
    from ofeli.domain.certification_files import FileFormatError, read

    record = imports.get(import_id)
    if record is None:
        return
    if record["status"] == "done":  # a retry after the snapshot failed to build: build it
        refresh_index()
        return
    if record["status"] not in {"queued", "running"}:
        return
    if int(record.get("offset", 0)) != offset:  # an earlier delivery did this run: make sure the next is queued
        if record["status"] == "running" and int(record["offset"]) > offset:
            _enqueue(import_id, int(record["offset"]))
        return
    run = Run(
        list_date=date.fromisoformat(record["list_date"]),
        counts=CertificationImportCounts.model_validate(record.get("counts") or {}),
        rejected=list(record.get("rejected") or []),
    )
    try:
        path = _local_copy(import_id, record["key"])
        finished = run.go(read(path, skip=offset), offset)
    except FileFormatError as error:
        imports.fail(import_id, str(error), at=_now())
        _forget_copy(import_id)
        observability.logger().warning("import failed", extra={"import_id": import_id, "reason": str(error)})
        return
    saved = imports.progress(
        import_id,
        offset=offset,
        new_offset=run.last,
        counts=run.counts.model_dump(),
        rejected=run.rejected,
        done=finished,
        at=_now(),
    )
    if not saved:
        return
    if finished:
        _forget_copy(import_id)
        imports.mark_latest(KIND, import_id, record["list_date"], at=_now())
        refresh_index(fresh=run.fresh.values())
        observability.count("CertificationImportDone")
    else:
        _enqueue(import_id, run.last)


def import_file(path: Path, *, list_date: date | None = None) -> CertificationImportCounts:
    """A whole file imported here and now, in one go, then the index rebuilt (the local demo's
    referential; real files go through the queue)."""
    from ofeli.domain.certification_files import read

    run = Run(list_date=list_date or export_date(path.name) or clock.today(), counts=CertificationImportCounts())
    run.go(read(path), 0, budget=False)
    refresh_index(fresh=run.fresh.values())
    return run.counts


@dataclass
class Run:
    """One run of an import: the entries after `offset`, until the file ends or the run's budget does."""

    list_date: date
    counts: CertificationImportCounts
    rejected: list[Any] = field(default_factory=list)
    last: int = 0
    # the search rows this run wrote: the snapshot built at its end takes them from here, not from the
    # index, which may not show them yet (a GSI lags the table by a fraction of a second)
    fresh: dict[str, Item] = field(default_factory=dict)
    _platform: set[str] | None = None

    def go(self, entries: Iterable[Certification | RejectedEntry], offset: int, *, budget: bool = True) -> bool:
        """The entries after `offset` (the parser's `skip`): True when the file is done, False when the
        next run goes on after `last` (entries are counted by their position in the file, rejected ones
        included)."""
        self.last = offset
        deadline = time.monotonic() + SECONDS_PER_RUN
        batch: list[Certification] = []
        # the entries after `offset` (the parser reads the earlier ones without building them: a double
        # of an earlier fiche is still told)
        for done_here, entry in enumerate(entries, start=1):
            position = offset + done_here
            self.counts.read += 1
            if isinstance(entry, RejectedEntry):
                self.counts.rejected += 1
                if len(self.rejected) < imports.MAX_REJECTED:
                    self.rejected.append(entry.model_dump())
            else:
                batch.append(entry)
            self.last = position
            if done_here % CHUNK == 0:
                self._flush(batch)
                batch = []
                if budget and (done_here >= ENTRIES_PER_RUN or time.monotonic() > deadline):
                    return False
        self._flush(batch)
        return True

    def _flush(self, batch: list[Certification]) -> None:
        if not batch:
            return
        stored = store.digests([c.code for c in batch])
        changes: list[tuple[Certification, str, Item | None]] = []
        for certification in batch:
            content = store.digest(certification)
            before = stored.get(certification.code)
            if before is None:
                self.counts.created += 1
                changes.append((certification, content, None))
            elif before.get("digest") != content:
                self.counts.changed += 1
                changes.append((certification, content, before))
            else:
                self.counts.unchanged += 1
        if changes:
            store.write(changes)
            self.fresh |= {c.code: store.search_row(c) for c, _, _ in changes}
            store.mark_changed()  # after the writes: the snapshot built next sees them
        self.counts.structures_updated += self._habilitations(batch)

    # ------------------------------------------------------------------ the *Habilitations* tab
    def _platform_sirets(self) -> set[str]:
        """The SIRETs of the platform's structures (their directory rows, read once per run)."""
        if self._platform is None:
            rows = structures.directory([*settings().departments(), OUTSIDE])
            self._platform = {row.siret for row in rows}
        return self._platform

    def _habilitations(self, batch: list[Certification]) -> int:
        wanted: dict[str, dict[str, str]] = {}
        platform: set[str] | None = None
        for certification in batch:
            if not certification.active:
                continue
            for partner in certification.partners:
                siret = "".join((partner.siret or "").split())
                if not siret:
                    continue
                platform = platform if platform is not None else self._platform_sirets()
                if siret in platform:
                    wanted.setdefault(siret, {})[certification.code] = certification.title
        if not wanted:
            return 0
        updated = 0
        for record in structures.get_many(list(wanted)):
            if fill_habilitations(record, wanted[record["siret"]], self.list_date):
                updated += 1
        return updated


def habilitations_with(current: list[dict[str, Any]], codes: dict[str, str]) -> list[dict[str, Any]] | None:
    """The structure's habilitations once the referential's (code → title) are in, or None when nothing
    changes: a code the structure lacks is added at the end; none is retitled or removed."""
    known = {h.get("code") for h in current}
    added = [
        Habilitation(code=code, title=" ".join(title.split())[:300] or code).model_dump(mode="json")
        for code, title in sorted(codes.items())
        if code not in known
    ]
    return [*current, *added] if added else None


def fill_habilitations(record: Item, codes: dict[str, str], list_date: date) -> bool:
    """Give one structure the habilitations of the referential; whether it changed (a moderator's edit
    in between: the record is read again, up to three times)."""
    for _attempt in range(3):
        after = habilitations_with(record.get("habilitations") or [], codes)
        if after is None:
            return False
        try:
            _set_habilitations(record, after, list_date)
        except Conflict:
            fresh = structures.get(record["siret"], consistent=True)
            if fresh is None:
                return False
            record = fresh
            continue
        return True
    return False


def _set_habilitations(record: Item, habilitations: list[dict[str, Any]], list_date: date) -> None:
    now = _now()
    differences = rules.differences(
        {"habilitations": record.get("habilitations") or []},
        {"habilitations": habilitations},
        {"habilitations": HABILITATIONS},
    )
    history = {
        "id": uuid.uuid4().hex,
        "kind": "structure",
        "record_id": record["siret"],
        "submitted_by": SOURCE,
        "submitted_at": now,
        "decided_by": SOURCE,
        "decided_at": now,
        "comment": f"Habilitations du référentiel de France Compétences (export du {list_date:%d/%m/%Y}).",
        "differences": [d.model_dump(mode="json") for d in differences],
    }
    structures.update(record, {"habilitations": habilitations}, version=int(record["version"]), history=history)


# ---------------------------------------------------------------------- the search index
def snapshot(rows: list[Item], generation: int) -> bytes:
    """The search snapshot: every fiche's search row, gzip JSON (the same bytes for the same rows)."""
    ordered = sorted(rows, key=lambda r: str(r["code"]))
    document = {"format": SNAPSHOT_FORMAT, "generation": generation, "rows": ordered}
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode(), compresslevel=6, mtime=0)


def publish(rows: list[Item], generation: int) -> str:
    """Store a snapshot of `rows` and point the index to it; its key."""
    key = store.put_snapshot(snapshot(rows, generation))
    store.set_index(key, generation=generation, count=len(rows), at=_now())
    return key


def refresh_index(*, force: bool = False, fresh: Iterable[Item] = ()) -> bool:
    """Rebuild the snapshot when fiches were written since the last one (or none was ever built);
    whether it was rebuilt. `fresh`: the rows the caller just wrote, which the index may not show yet
    (the rows of earlier runs of an import were written a queue delivery ago, long enough for the GSI)."""
    pointer = store.pointer() or {}
    generation = int(pointer.get("generation", 0))
    if not force and pointer.get("key") and int(pointer.get("built", -1)) >= generation:
        return False
    by_code = {str(row["code"]): row for row in store.search_rows()}
    by_code |= {str(row["code"]): row for row in fresh}
    rows = list(by_code.values())
    publish(rows, generation)
    observability.logger().info("certification index built", extra={"rows": len(rows), "generation": generation})
    return True


_loaded: tuple[str, Index] | None = None
_loading = threading.Lock()


def index() -> Index:
    """The index of the snapshot the pointer names (one GetItem); loaded once per container and snapshot."""
    global _loaded
    pointer = store.pointer()
    key = str((pointer or {}).get("key") or "")
    if not key:
        return EMPTY
    loaded = _loaded
    if loaded is not None and loaded[0] == key:
        return loaded[1]
    with _loading:
        if _loaded is not None and _loaded[0] == key:
            return _loaded[1]
        document = store.read_snapshot(key)
        built = Index(list(document.get("rows") or []))
        _loaded = (key, built)
        return built


def search(query: CertificationQuery) -> CertificationPage:
    return index().search(query)


def detail(code: str) -> CertificationDetail:
    """One certification in full; 422 for what is not a code, 404 for a code the referential lacks."""
    canonical = normalise_code(code)
    if canonical is None:
        raise violation("code", code_error(code))
    certification = store.get(canonical)
    if certification is None:
        raise NotFound(
            f"La certification {canonical} n'est pas dans le référentiel de France Compétences chargé dans OFeli."
        )
    known = store.get_many(certification.successors) if certification.successors else {}
    return CertificationDetail(
        certification=certification,
        url=certification.url,
        lheo_level=certification.lheo_level,
        successors=[
            CertificationRef(code=code, title=known[code].title if code in known else None, active=_active(known, code))
            for code in certification.successors
        ],
    )


def _active(known: dict[str, Certification], code: str) -> bool | None:
    return known[code].active if code in known else None


def rows_of(certifications: Iterable[Certification]) -> Iterator[Item]:
    """The search rows of fiches (what the bench and tests index without the table)."""
    return (store.search_row(c) for c in certifications)
