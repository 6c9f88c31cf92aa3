"""The whole system on one machine: moto, the template's resources, the API, workers, the web site."""

from __future__ import annotations

import json
import os
import re
import socket
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from ofeli import clock
from ofeli_local import seed
from ofeli_local.aws import LocalAws
from ofeli_local.cfn import Template, load_template
from ofeli_local.gateway import Gateway, _json, mail_page
from ofeli_local.invoke import Invoker
from ofeli_local.workers import Workers


class StackError(Exception):
    """The stack cannot start; the message is one line for a person."""


def project_root() -> Path:
    """The checkout: OFELI_ROOT, else the working directory or a parent holding template.yaml, else the
    checkout this package was installed from."""
    if os.environ.get("OFELI_ROOT"):
        return Path(os.environ["OFELI_ROOT"]).resolve()
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if (folder / "template.yaml").is_file():
            return folder
    return Path(__file__).resolve().parents[3]


def _check_port(host: str, port: int) -> None:
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise StackError(
                f"le port {port} est déjà utilisé : arrêtez l'autre programme "
                "ou choisissez-en un autre (PORT=8001 make run)"
            ) from error


class LocalStack:
    def __init__(
        self, root: Path, *, host: str = "127.0.0.1", port: int = 8000, seed: bool = True, log_level: str = "WARNING"
    ) -> None:
        self.root = root
        self.host = host
        self.port = port
        self.seed = seed
        self.log_level = log_level
        self.server: BaseWSGIServer | None = None
        self.aws: LocalAws | None = None
        self.workers: Workers | None = None
        self.gateway: Gateway | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        template: Template = load_template(self.root / "template.yaml")
        _check_port(self.host, self.port)
        self.server = make_server(self.host, self.port, self._wsgi, threaded=True)
        self.port = self.server.server_port
        # the address search over the layer's fixture: the local stack needs no network; the link checker
        # may check the sites of 127.0.0.1 (in AWS, private addresses are refused)
        self.aws = LocalAws(
            template,
            parameters={"WebOrigin": self.url, "AddressSearch": "local"},
            overrides={"POWERTOOLS_LOG_LEVEL": self.log_level, "OFELI_LINKCHECK_ALLOW_PRIVATE": "true"},
        )
        self.aws.start()
        invoker = Invoker(template)
        invoker.load_all()
        self.workers = Workers(self.aws, invoker)
        self.gateway = Gateway(template, invoker, web_root=self.root / "web", local_pages=self.local_pages)
        if self.seed:
            seed.run()
        self._thread = threading.Thread(target=self.server.serve_forever, name="http", daemon=True)
        self._thread.start()
        self.workers.start()

    def wait(self) -> None:
        if self._thread is not None:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)

    def stop(self) -> None:
        if self.workers is not None:
            self.workers.stop()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self.aws is not None:
            self.aws.stop()

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.gateway is None:
            response = _json(503, "starting", "OFeli démarre, réessayez dans un instant.")
            return response(environ, start_response)
        return self.gateway(environ, start_response)

    # ------------------------------------------------------------------ local-only pages
    def local_pages(self, request: Request) -> Response:
        assert self.aws is not None and self.workers is not None
        if request.path == "/_local/mail" and request.method == "GET":
            messages = self.aws.sent_mail()
            if request.args.get("format") == "json":
                return Response(json.dumps(messages, ensure_ascii=False), content_type="application/json")
            return Response(mail_page(messages), content_type="text/html; charset=utf-8")
        if request.path == "/_local/clock" and request.method == "POST":
            return self.move_clock(request)
        match = re.fullmatch(r"/_local/schedules/([A-Za-z0-9_-]+)", request.path)
        if match and request.method == "POST":
            template = self.aws.template
            function = template.find_function(match.group(1))
            schedules = [s for s in template.schedules if function and s.function == function.logical_id]
            if not schedules:
                return _json(404, "not_found", f"Aucune planification pour la fonction « {match.group(1)} ».")
            results = [self.workers.fire(s) for s in schedules]
            return Response(
                json.dumps({"function": schedules[0].function, "results": results}, default=str),
                content_type="application/json",
            )
        return _json(404, "not_found", "Cette page locale n'existe pas.")

    @staticmethod
    def move_clock(request: Request) -> Response:
        """`{"now": "2026-12-01T08:00:00+00:00"}`, `{"advance": seconds}` or `{"now": null}` (system clock)."""
        body = request.get_json(silent=True)
        try:
            if not isinstance(body, dict):
                raise ValueError
            if "advance" in body:
                clock.advance(float(body["advance"]))
            elif body.get("now") is None:
                clock.set(None)
            else:
                moment = datetime.fromisoformat(str(body["now"]))
                clock.set(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
        except (ValueError, TypeError, OverflowError):
            return _json(
                400, "bad_request", 'Corps attendu : {"now": "AAAA-MM-JJTHH:MM:SS+00:00"} ou {"advance": secondes}.'
            )
        return Response(json.dumps({"now": clock.iso()}), content_type="application/json")
