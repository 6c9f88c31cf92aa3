"""The OF's export files (*Exporter*, the bell): what is asked, what the bell shows, and the pure rules of
both (the request's identity for idempotency, the file's name, the state a person reads).

An export goes queued → running → ready | failed (`ofeli.services.exports`). A file is kept 30 days (the
bucket's lifecycle); the bell lists the user's files of those days, newest first.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import Field, field_validator

from ofeli.domain.exports import FORMATS, Format
from ofeli.domain.identifiers import Siret
from ofeli.domain.model import Model

Status = Literal["queued", "running", "ready", "failed"]
PENDING: frozenset[str] = frozenset({"queued", "running"})
MAX_REFS = 5000
KEPT_DAYS = 30  # the exports bucket's lifecycle (template.yaml, ExpireExports)
# Identical requests (same person, structure, format and formations) within this time after the first one
# finished give that export again rather than a second job (a double click, a reload).
REPEAT_WINDOW_SECONDS = 60
# An export still queued or running this long after it was asked has died with its last delivery (a
# Lambda that timed out on the last attempt cannot say so): the bell shows it failed. Longer than the jobs
# queue's deliveries (maxReceiveCount 3 × visibility timeout 720 s).
PENDING_LIMIT_SECONDS = 3600
MAX_REJECTED_SHOWN = 50

_REF = re.compile(r"^F[0-9]{7}$")
EXTENSIONS = {"xlsx": "xlsx", "lheo": "xml"}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "lheo": "application/xml",
}
STATUS_LABELS = {"queued": "En attente", "running": "En cours", "ready": "Prêt", "failed": "Échec"}
FAILED = (
    "Le fichier n'a pas pu être généré, malgré plusieurs tentatives. Relancez l'export ; si l'erreur persiste, "
    "contactez le Carif-Oref."
)
TIMED_OUT = (
    "Le fichier n'a pas pu être généré dans le délai prévu. Relancez l'export ; si l'erreur persiste, "
    "contactez le Carif-Oref."
)


class ExportRequest(Model):
    siret: Siret = Field(description="L'espace structure dont les formations sont exportées")
    format: Format = Field(description="`xlsx` (Excel) ou `lheo` (LHEO 2.3, XML)")
    refs: list[str] | None = Field(
        default=None,
        max_length=MAX_REFS,
        description="Les formations cochées (numéros F) ; absent ou vide : toutes les formations de l'espace",
    )

    @field_validator("refs")
    @classmethod
    def _refs(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        cleaned = [str(ref).strip().upper() for ref in value]
        wrong = [ref for ref in cleaned if not _REF.match(ref)]
        if wrong:
            raise ValueError(
                f"Numéro de formation non valide : {wrong[0][:20]} "
                "(attendu : F suivi de 7 chiffres, par exemple F0000001)."
            )
        return sorted(set(cleaned)) or None


class ExportCreated(Model):
    id: str = Field(description="L'export, à suivre dans la cloche (`GET /exports/{id}`)")
    status: Status
    message: str


class RejectedFormation(Model):
    ref: str
    reason: str


class ExportFile(Model):
    id: str
    siret: str
    format: Format
    format_label: str = Field(description="Excel, ou LHEO 2.3 (XML)")
    status: Status = Field(description="queued (en attente), running (en cours), ready (prêt), failed (échec)")
    status_label: str
    message: str = Field(description="L'état du fichier en une phrase, pour une personne")
    filename: str
    all_formations: bool = Field(description="Toutes les formations de l'espace (sinon celles cochées)")
    selected: int = Field(description="Le nombre de formations cochées (0 : toutes)")
    created_at: datetime
    finished_at: datetime | None = None
    formations: int | None = Field(default=None, description="Formations écrites dans le fichier")
    sessions: int | None = Field(default=None, description="Sessions écrites dans le fichier")
    rejected: list[RejectedFormation] = Field(default_factory=list, description="Formations non exportées")
    rejected_count: int = 0
    error: str | None = Field(default=None, description="Pourquoi le fichier n'a pas pu être généré")
    downloaded: bool = Field(description="Téléchargé au moins une fois")
    size: int | None = Field(default=None, description="Taille du fichier, en octets")


class ExportDownload(ExportFile):
    url: str | None = Field(default=None, description="Lien de téléchargement valable quelques minutes (fichier prêt)")
    url_expires_at: datetime | None = None


class ExportList(Model):
    items: list[ExportFile]
    pending: int = Field(description="Fichiers en attente ou en cours de génération")
    new: int = Field(description="Fichiers prêts, pas encore téléchargés")
    badge: int = Field(description="Le nombre de la pastille de la cloche : en cours + prêts non téléchargés")


# ---------------------------------------------------------------------- rules
def request_digest(siret: str, format: Format, refs: Iterable[str] | None) -> str:  # noqa: A002
    """What makes two requests the same one (the person is the partition it is kept in)."""
    chosen = ",".join(sorted(set(refs))) if refs else "*"
    return hashlib.sha256(f"{siret}|{format}|{chosen}".encode()).hexdigest()[:32]


def export_id(moment: datetime, random_hex: str) -> str:
    """Ordered by time, so that the bell's query reads the newest first: `20261128101500123-1a2b3c4d5e6f`."""
    return f"{moment:%Y%m%d%H%M%S}{moment.microsecond // 1000:03d}-{random_hex[:12]}"


def filename(siret: str, format: Format, moment: datetime) -> str:  # noqa: A002
    """`formations-81432712100012-2026-11-28-1015.xlsx`, `formations-…-lheo.xml` (the time in France)."""
    from zoneinfo import ZoneInfo

    stamp = f"{moment.astimezone(ZoneInfo('Europe/Paris')):%Y-%m-%d-%H%M}"
    suffix = "-lheo" if format == "lheo" else ""
    return f"formations-{siret}-{stamp}{suffix}.{EXTENSIONS[format]}"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def rejected_text(rejected: list[Mapping[str, Any]], count: int | None = None) -> str:
    """What the bell says of the rejected formations: `2 formations non exportées : F0000002 (raison), …`."""
    count = len(rejected) if count is None else count
    if not count:
        return ""
    listed = ", ".join(f"{r['ref']} ({r['reason']})" for r in rejected)
    more = f", et {count - len(rejected)} autres" if count > len(rejected) else ""
    return f"{_plural(count, 'formation non exportée', 'formations non exportées')} : {listed}{more}."


def effective_status(record: Mapping[str, Any], now: datetime) -> tuple[Status, str | None]:
    """The state the bell shows, and the reason of a failure: a pending export past `PENDING_LIMIT_SECONDS`
    is failed (its last delivery died without saying so)."""
    status: Status = record["status"]
    if status in PENDING and now - datetime.fromisoformat(record["created_at"]) > timedelta(
        seconds=PENDING_LIMIT_SECONDS
    ):
        return "failed", TIMED_OUT
    return status, record.get("error")


def message(record: Mapping[str, Any], status: Status, error: str | None) -> str:
    label = FORMATS[record["format"]]
    if status == "queued":
        again = " (nouvelle tentative)" if int(record.get("attempts") or 0) else ""
        return f"Export {label} en attente de génération{again}."
    if status == "running":
        return f"Export {label} en cours de génération…"
    if status == "failed":
        return f"Export {label} en échec : {error or FAILED}"
    written = (
        f"{_plural(int(record.get('formations') or 0), 'formation', 'formations')}, "
        f"{_plural(int(record.get('sessions') or 0), 'session', 'sessions')}"
    )
    rejected = rejected_text(record.get("rejected") or [], int(record.get("rejected_count") or 0))
    return f"Export {label} prêt : {written}." + (f" {rejected}" if rejected else "")


def view(record: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The fields of `ExportFile` for a stored export."""
    status, error = effective_status(record, now)
    refs = record.get("refs") or []
    return {
        "id": record["id"],
        "siret": record["siret"],
        "format": record["format"],
        "format_label": FORMATS[record["format"]],
        "status": status,
        "status_label": STATUS_LABELS[status],
        "message": message(record, status, error),
        "filename": record["filename"],
        "all_formations": not refs,
        "selected": len(refs),
        "created_at": record["created_at"],
        "finished_at": record.get("finished_at"),
        "formations": record.get("formations"),
        "sessions": record.get("sessions"),
        "rejected": record.get("rejected") or [],
        "rejected_count": int(record.get("rejected_count") or len(record.get("rejected") or [])),
        "error": error if status == "failed" else None,
        "downloaded": bool(record.get("downloaded_at")),
        "size": record.get("size"),
    }


def badge(files: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """(pending, new): files queued or running, and ready ones not downloaded yet."""
    pending = new = 0
    for f in files:
        if f["status"] in PENDING:
            pending += 1
        elif f["status"] == "ready" and not f["downloaded"]:
            new += 1
    return pending, new
