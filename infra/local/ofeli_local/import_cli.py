"""`ofeli import-organisations FILE --api URL`: the DGEFP's list of training organisations imported
through the API, as a moderator does it from the web page (sign in, create the import, upload the file
with its presigned POST, start it, follow it until done).

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
from datetime import date
from pathlib import Path
from typing import Any

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
IMPORTS = "/moderation/training-organisation-imports"


class CommandError(Exception):
    """A failure to tell the person in one French line."""


def _request(url: str, *, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
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


def _multipart(fields: dict[str, str], filename: str, content: bytes, content_type: str) -> tuple[bytes, str]:
    """A multipart/form-data body as S3's presigned POST wants it: the policy's fields, the file last."""
    boundary = f"ofeli-{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


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


def import_organisations(
    path: Path,
    api_url: str,
    *,
    email: str | None = None,
    password: str | None = None,
    list_date: date | None = None,
    timeout: float = 1800,
    out: Any = None,
) -> int:
    """The whole import; 0 when it is done, 1 when it failed (the reason is printed)."""
    out = out or sys.stdout

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    if urllib.parse.urlsplit(api_url).scheme not in {"http", "https"}:
        raise CommandError(f"l'adresse de l'API doit commencer par http:// ou https:// (reçu : {api_url}).")
    if not path.is_file():
        raise CommandError(f"le fichier {path} n'existe pas.")
    content = path.read_bytes()
    api = Api(api_url)
    login, secret = _credentials(api_url, email, password)
    say(f"Connexion à {api.base} en tant que {login}…")
    api.token = api.call("POST", "/auth/login", {"email": login, "password": secret})["id_token"]

    request: dict[str, Any] = {"filename": path.name}
    if list_date:
        request["list_date"] = list_date.isoformat()
    created = api.call("POST", IMPORTS, request)
    upload = created["upload"]
    if len(content) > int(upload["max_bytes"]):
        raise CommandError(f"le fichier pèse {_size(len(content))}, plus que les {_size(upload['max_bytes'])} permis.")
    say(f"Dépôt de {path.name} ({_size(len(content))})…")
    body, content_type = _multipart(upload["fields"], path.name, content, upload["content_type"])
    _request(upload["url"], method="POST", body=body, headers={"Content-Type": content_type})
    api.call("POST", f"{IMPORTS}/{created['id']}/start")
    say(f"Import {created['id']} lancé.")

    deadline = time.monotonic() + timeout
    shown = -1
    while True:
        view = api.call("GET", f"{IMPORTS}/{created['id']}")
        if view["status"] in {"done", "failed"}:
            break
        if view["status"] == "running" and view["counts"]["read"] != shown:
            shown = view["counts"]["read"]
            say(f"  … {shown} lignes lues")
        if time.monotonic() > deadline:
            raise CommandError(f"l'import n'est pas terminé après {int(timeout)} secondes (état : {view['status']}).")
        time.sleep(1)

    say(view["message"])
    if view["status"] == "failed":
        return 1
    counts = view["counts"]
    say(
        f"  lignes lues : {counts['read']} ; organismes nouveaux : {counts['created']}, modifiés : "
        f"{counts['changed']}, inchangés : {counts['unchanged']} ; lignes refusées : {counts['rejected']} ; "
        f"structures mises à jour (Qualiopi) : {counts['structures_updated']}"
    )
    if view["rejected"]:
        say("Lignes refusées :")
        for rejected in view["rejected"]:
            say(f"  ligne {rejected['line']} : {rejected['message']}")
        if counts["rejected"] > len(view["rejected"]):
            say(f"  … et {counts['rejected'] - len(view['rejected'])} autres.")
    return 0
