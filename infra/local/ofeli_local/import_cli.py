"""`ofeli import-organisations FILE --api URL` (the DGEFP's list of training organisations) and
`ofeli import-certifications FILE --api URL` (France Compétences' RNCP and RS referential): a file
imported through the API, as a moderator does it from the web page (sign in, create the import, upload
the file with its presigned POST, start it, follow it until done). Both imports are one workflow, so one
function (`import_file`) does both; an `ImportKind` says what differs (the routes, the counts' words).

Only the standard library: the command works against any OFeli API (the local stack or AWS) from the
project's virtual environment, without a dependency the Lambda layer does not already have. The demo
moderator's credentials are used by default only against the local stack; elsewhere they come from
`--email`/`--password` or `OFELI_EMAIL`/`OFELI_PASSWORD`.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ImportKind:
    """What one kind of import calls and says."""

    imports: str  # the API's route of this kind of import
    progress: str  # "{read} lignes lues"
    summary: Callable[[dict[str, int]], str]  # the counts, in one line


ORGANISATIONS = ImportKind(
    imports="/moderation/training-organisation-imports",
    progress="{read} lignes lues",
    summary=lambda c: (
        f"  lignes lues : {c['read']} ; organismes nouveaux : {c['created']}, modifiés : "
        f"{c['changed']}, inchangés : {c['unchanged']} ; lignes refusées : {c['rejected']} ; "
        f"structures mises à jour (Qualiopi) : {c['structures_updated']}"
    ),
)
CERTIFICATIONS = ImportKind(
    imports="/moderation/certification-imports",
    progress="{read} fiches lues",
    summary=lambda c: (
        f"  fiches lues : {c['read']} ; certifications nouvelles : {c['created']}, modifiées : "
        f"{c['changed']}, inchangées : {c['unchanged']} ; entrées refusées : {c['rejected']} ; "
        f"structures mises à jour (habilitations) : {c['structures_updated']}"
    ),
)
IMPORTS = ORGANISATIONS.imports


class CommandError(Exception):
    """A failure to tell the person in one French line."""


def _request(
    url: str, *, method: str = "GET", body: bytes | Any | None = None, headers: dict[str, str] | None = None
) -> Any:
    """One call; `body` is bytes, or an iterable of bytes (a file streamed: its Content-Length given)."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310 (http(s) only, checked)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            text = response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")
        try:
            message = json.loads(detail)["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = detail.strip()[:300] or error.reason
        raise CommandError(f"{method} {urllib.parse.urlsplit(url).path} : {error.code} — {message}") from error
    except urllib.error.URLError as error:
        raise CommandError(f"l'API ne répond pas à {url} ({error.reason}).") from error
    return json.loads(text) if text else None


class Api:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.token: str | None = None

    def call(self, method: str, path: str, payload: Any = None) -> Any:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = None
        if payload is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(payload).encode()
        return _request(self.base + path, method=method, body=body, headers=headers)


def _multipart(fields: dict[str, str], path: Path, content_type: str) -> tuple[Iterator[bytes], int, str]:
    """A multipart/form-data body as S3's presigned POST wants it: the policy's fields, the file last,
    streamed from the disk (an export of hundreds of MB is never held whole); its length and type."""
    boundary = f"ofeli-{uuid.uuid4().hex}"
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
    )
    tail = f"\r\n--{boundary}--\r\n".encode()

    def parts() -> Iterator[bytes]:
        yield head
        with path.open("rb") as file:
            while chunk := file.read(CHUNK):
                yield chunk
        yield tail

    return parts(), len(head) + path.stat().st_size + len(tail), f"multipart/form-data; boundary={boundary}"


def _credentials(api_url: str, email: str | None, password: str | None) -> tuple[str, str]:
    email = email or os.environ.get("OFELI_EMAIL")
    password = password or os.environ.get("OFELI_PASSWORD")
    if email and password:
        return email, password
    if urllib.parse.urlsplit(api_url).hostname in LOCAL_HOSTS:
        from ofeli_local.seed import MODERATOR

        return email or MODERATOR.email, password or MODERATOR.password
    raise CommandError(
        "indiquez le compte de modération : --email et --password, ou OFELI_EMAIL et OFELI_PASSWORD "
        "(le compte de démonstration ne vaut que pour la pile locale)."
    )


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} Mo".replace(".", ",") if count >= 1024 * 1024 else f"{count} octets"


def import_file(
    kind: ImportKind,
    path: Path,
    api_url: str,
    *,
    email: str | None = None,
    password: str | None = None,
    list_date: date | None = None,
    timeout: float = 1800,
    out: Any = None,
) -> int:
    """The whole import of one file; 0 when it is done, 1 when it failed (the reason is printed)."""
    out = out or sys.stdout

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    if urllib.parse.urlsplit(api_url).scheme not in {"http", "https"}:
        raise CommandError(f"l'adresse de l'API doit commencer par http:// ou https:// (reçu : {api_url}).")
    if not path.is_file():
        raise CommandError(f"le fichier {path} n'existe pas.")
    size = path.stat().st_size
    api = Api(api_url)
    login, secret = _credentials(api_url, email, password)
    say(f"Connexion à {api.base} en tant que {login}…")
    api.token = api.call("POST", "/auth/login", {"email": login, "password": secret})["id_token"]

    request: dict[str, Any] = {"filename": path.name}
    if list_date:
        request["list_date"] = list_date.isoformat()
    created = api.call("POST", kind.imports, request)
    upload = created["upload"]
    if size > int(upload["max_bytes"]):
        raise CommandError(f"le fichier pèse {_size(size)}, plus que les {_size(upload['max_bytes'])} permis.")
    say(f"Dépôt de {path.name} ({_size(size)})…")
    body, length, content_type = _multipart(upload["fields"], path, upload["content_type"])
    _request(
        upload["url"], method="POST", body=body, headers={"Content-Type": content_type, "Content-Length": str(length)}
    )
    api.call("POST", f"{kind.imports}/{created['id']}/start")
    say(f"Import {created['id']} lancé.")

    deadline = time.monotonic() + timeout
    shown = -1
    while True:
        view = api.call("GET", f"{kind.imports}/{created['id']}")
        if view["status"] in {"done", "failed"}:
            break
        if view["status"] == "running" and view["counts"]["read"] != shown:
            shown = view["counts"]["read"]
            say("  … " + kind.progress.format(read=shown))
        if time.monotonic() > deadline:
            raise CommandError(f"l'import n'est pas terminé après {int(timeout)} secondes (état : {view['status']}).")
        time.sleep(1)

    say(view["message"])
    if view["status"] == "failed":
        return 1
    counts = view["counts"]
    say(kind.summary(counts))
    if view["rejected"]:
        say("Lignes refusées :")
        for rejected in view["rejected"]:
            say(f"  ligne {rejected['line']} : {rejected['message']}")
        if counts["rejected"] > len(view["rejected"]):
            say(f"  … et {counts['rejected'] - len(view['rejected'])} autres.")
    return 0


def import_organisations(path: Path, api_url: str, **options: Any) -> int:
    """`ofeli import-organisations`: the DGEFP's list of training organisations (CSV)."""
    return import_file(ORGANISATIONS, path, api_url, **options)


def import_certifications(path: Path, api_url: str, **options: Any) -> int:
    """`ofeli import-certifications`: France Compétences' export (the CSV zip, or an XML file)."""
    return import_file(CERTIFICATIONS, path, api_url, **options)
