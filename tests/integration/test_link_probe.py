"""The link checker's network half (`ofeli.store.link_probe`) against HTTP servers the test starts on
127.0.0.1: no outside network, no AWS.

Each test gets its own server (`site`), which records every request it receives and how many were in
flight at once. The settings are the environment's (`OFELI_LINKCHECK_*`), the cache cleared around each
test, as the functions read them.
"""

from __future__ import annotations

import datetime
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ofeli.domain.links import PRIVATE
from ofeli.settings import settings
from ofeli.store import link_probe
from ofeli.store.link_probe import USER_AGENT, probe_all

# What `settings()` needs besides the link checker's values, when no local stack has set them.
REQUIRED = {
    "OFELI_TABLE": "t",
    "OFELI_DOCUMENTS_BUCKET": "d",
    "OFELI_EXPORTS_BUCKET": "e",
    "OFELI_JOBS_QUEUE_URL": "q",
    "OFELI_USER_POOL_ID": "p",
    "OFELI_USER_POOL_CLIENT_ID": "c",
    "OFELI_SES_SENDER": "s@x.fr",
}
TIMEOUT = 0.5  # the short timeout of the tests that wait for it; the others keep 5 s


class Site(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # the slow pages' threads are left to finish alone

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []  # (method, path) in the order received
        self.user_agents: set[str] = set()
        self.in_flight = 0
        self.most_in_flight = 0

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.origin + path

    def hits(self, path: str) -> list[str]:
        with self.lock:
            return [method for method, requested in self.requests if requested == path]

    def handle_error(self, request, client_address) -> None:  # the checker hung up (timeouts): expected
        pass


class Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, format, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def do_GET(self) -> None:
        self.answer(body=True)

    def answer(self, *, body: bool) -> None:
        site = self.server
        with site.lock:
            site.requests.append((self.command, self.path))
            site.user_agents.add(self.headers.get("User-Agent", ""))
            site.in_flight += 1
            site.most_in_flight = max(site.most_in_flight, site.in_flight)
        try:
            self.route(body)
        finally:
            with site.lock:
                site.in_flight -= 1

    def route(self, body: bool) -> None:
        path = self.path.split("?")[0]
        parts = path.strip("/").split("/")
        if path in ("/ok", "/count") or parts[0] == "page":
            self.send(200, body)
        elif path == "/moved":
            self.send(301, body, location=self.server.url("/ok"))
        elif path == "/relative/start":
            self.send(302, body, location="../ok")
        elif parts[0] == "chain":  # /chain/N: N redirects, then the page
            left = int(parts[1])
            if left:
                self.send(302, body, location=f"/chain/{left - 1}")
            else:
                self.send(200, body)
        elif path == "/loop/a":
            self.send(302, body, location="/loop/b")
        elif path == "/loop/b":
            self.send(307, body, location=self.server.url("/loop/a"))
        elif path == "/missing":
            self.send(404, body)
        elif path == "/error":
            self.send(500, body)
        elif path == "/no-head":
            self.send(405 if self.command == "HEAD" else 200, body)
        elif path == "/head-missing":  # a framework that routes GET only
            self.send(404 if self.command == "HEAD" else 200, body)
        elif path == "/login":
            self.send(401, body)
        elif path == "/robots-refused":
            self.send(403, body)
        elif path == "/redirect-nowhere":
            self.send(302, body)
        elif path == "/to-ftp":
            self.send(302, body, location="ftp://127.0.0.1/catalogue.pdf")
        elif path == "/to-other-address":
            self.send(302, body, location=f"http://127.0.0.2:{self.server.server_address[1]}/ok")
        elif path == "/huge":  # GET only: the page's first 8 KB at once, the rest much later
            if self.command == "HEAD":
                self.send(405, body)
                return
            self.send_response(200)
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            self.wfile.write(b"x" * 8192)
            self.wfile.flush()
            time.sleep(5)
            self.wfile.write(b"x" * (1000000 - 8192))
        elif path == "/slow":
            time.sleep(5)
            self.send(200, body)
        elif path == "/drip":  # the status line at once, then a header a byte at a time: never a whole answer
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Drip: ")
            for _ in range(50):
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.1)
        elif parts[0] == "busy":
            time.sleep(0.1)
            self.send(200, body)
        else:
            self.send(404, body)

    def send(self, status: int, body: bool, *, location: str | None = None) -> None:
        content = f"<html><body>{status}</body></html>".encode()
        self.send_response(status)
        if location is not None:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    with serving(Site()) as running:
        yield running


@pytest.fixture
def configure(monkeypatch) -> Iterator[Callable[..., None]]:
    """`configure(timeout=0.5, allow_private=False, ...)`: the link checker's settings for the test."""

    def apply(**values) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"OFELI_LINKCHECK_{name.upper()}", str(value).lower())
        settings.cache_clear()

    for name, value in REQUIRED.items():
        if name not in os.environ:
            monkeypatch.setenv(name, value)
    apply(timeout=5, max_redirects=5, concurrency=16, per_host=2, allow_private=True)
    yield apply
    monkeypatch.undo()
    settings.cache_clear()


def probe(url: str):
    return probe_all([url])[url]


def refused_port() -> int:
    """A port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------- answers
def test_a_working_page(site, configure):
    result = probe(site.url("/ok"))
    assert (result.ok, result.status, result.final_url, result.reason) == (True, 200, site.url("/ok"), "Lien valide.")
    assert site.hits("/ok") == ["HEAD"]  # HEAD sufficed
    assert site.user_agents == {USER_AGENT}


def test_a_permanent_redirect_to_a_working_page(site, configure):
    result = probe(site.url("/moved"))
    assert (result.ok, result.status, result.final_url) == (True, 200, site.url("/ok"))
    assert site.hits("/moved") == ["HEAD"] and site.hits("/ok") == ["HEAD"]


def test_a_relative_redirect(site, configure):
    result = probe(site.url("/relative/start"))
    assert (result.ok, result.status, result.final_url) == (True, 200, site.url("/ok"))


def test_redirects_up_to_the_limit(site, configure):
    result = probe(site.url("/chain/5"))
    assert (result.ok, result.status, result.final_url) == (True, 200, site.url("/chain/0"))


def test_too_many_redirects(site, configure):
    result = probe(site.url("/chain/6"))
    assert (result.ok, result.status, result.final_url) == (False, 302, site.url("/chain/1"))
    assert result.reason == "Trop de redirections (plus de 5)."
    assert site.hits("/chain/0") == []  # the sixth redirect is not followed
    configure(max_redirects=2)
    result = probe(site.url("/chain/3"))
    assert (result.ok, result.reason) == (False, "Trop de redirections (plus de 2).")


def test_a_redirect_loop(site, configure):
    result = probe(site.url("/loop/a"))
    assert (result.ok, result.status, result.final_url) == (False, 307, site.url("/loop/b"))
    assert result.reason == "Boucle de redirections : la page renvoie vers une adresse déjà visitée."
    assert site.hits("/loop/a") == ["HEAD"]  # detected, not followed until the limit


def test_a_missing_page(site, configure):
    result = probe(site.url("/missing"))
    assert (result.ok, result.status, result.final_url) == (False, 404, site.url("/missing"))
    assert result.reason == "La page n'existe pas (erreur 404)."
    assert site.hits("/missing") == ["HEAD", "GET"]  # a 404 to HEAD is confirmed with GET


def test_a_server_error(site, configure):
    result = probe(site.url("/error"))
    assert (result.ok, result.status, result.reason) == (False, 500, "Le site a renvoyé une erreur (500).")


@pytest.mark.parametrize("path", ["/no-head", "/head-missing"])
def test_get_when_head_is_refused(site, configure, path):
    result = probe(site.url(path))
    assert (result.ok, result.status, result.final_url, result.reason) == (True, 200, site.url(path), "Lien valide.")
    assert site.hits(path) == ["HEAD", "GET"]


def test_get_reads_the_beginning_of_the_page_only(site, configure):
    """The rest of the page would come after the timeout: GET reads a few KB and hangs up."""
    configure(timeout=TIMEOUT)
    result = probe(site.url("/huge"))
    assert (result.ok, result.status, result.reason) == (True, 200, "Lien valide.")
    assert site.hits("/huge") == ["HEAD", "GET"]


def test_login_and_robots(site, configure):
    login = probe(site.url("/login"))
    assert (login.ok, login.status) == (False, 401)
    assert (
        login.reason == "La page est réservée aux personnes identifiées (erreur 401) : le public ne peut pas la voir."
    )
    robots = probe(site.url("/robots-refused"))
    assert (robots.ok, robots.status) == (True, 403)  # noted, not counted as broken
    assert robots.reason.startswith("Le site refuse les vérifications automatiques (erreur 403)")


def test_redirects_that_cannot_be_followed(site, configure):
    nowhere = probe(site.url("/redirect-nowhere"))
    assert (nowhere.ok, nowhere.status) == (False, 302)
    assert nowhere.reason == "Le site renvoie vers une autre adresse sans dire laquelle (code 302)."
    ftp = probe(site.url("/to-ftp"))
    assert (ftp.ok, ftp.status, ftp.final_url) == (False, 302, site.url("/to-ftp"))
    assert ftp.reason == "Adresse non vérifiable : seules les adresses http:// et https:// le sont."


# ---------------------------------------------------------------------- no answer
def test_a_site_that_does_not_answer_in_time(site, configure):
    configure(timeout=TIMEOUT)
    result = probe(site.url("/slow"))
    assert (result.ok, result.status, result.final_url) == (False, None, site.url("/slow"))
    assert result.reason == "Le site ne répond pas dans le délai (0,5 s)."
    assert site.hits("/slow") == ["HEAD"]  # no GET after a timeout


def test_the_timeout_bounds_the_whole_request(site, configure):
    """Every byte comes well within the timeout, the answer never: the deadline cuts it."""
    configure(timeout=TIMEOUT)
    result = probe(site.url("/drip"))
    assert (result.ok, result.status, result.reason) == (False, None, "Le site ne répond pas dans le délai (0,5 s).")


def test_a_refused_connection(configure):
    url = f"http://127.0.0.1:{refused_port()}/formation"
    result = probe(url)
    assert (result.ok, result.status, result.final_url) == (False, None, url)
    assert result.reason == "Connexion refusée par le serveur."


def test_an_unknown_host(configure, monkeypatch):
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):  # no outside resolver in tests: `.invalid` never resolves anyway
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    result = probe("https://organisme-disparu.invalid/formation")
    assert (result.ok, result.status, result.reason) == (False, None, "Nom de domaine introuvable.")


def test_an_invalid_certificate(configure, tmp_path):
    """A site whose certificate no authority signed: TLS is verified, the link is broken."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed(tmp_path))
    server = Site()
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with serving(server) as running:
        url = f"https://127.0.0.1:{running.server_address[1]}/ok"
        result = probe(url)
        assert (result.ok, result.status, result.final_url) == (False, None, url)
        assert result.reason == "Certificat du site invalide."


def self_signed(directory: Path) -> tuple[str, str]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    cert, private = directory / "cert.pem", directory / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert), str(private)


# ---------------------------------------------------------------------- what is not requested
def test_addresses_that_are_not_checked(configure):
    results = probe_all(["ftp://exemple.fr/catalogue.pdf", "www.exemple.fr", ""])
    assert {url: (r.ok, r.status, r.final_url, r.reason) for url, r in results.items()} == {
        "ftp://exemple.fr/catalogue.pdf": (
            False,
            None,
            None,
            "Adresse non vérifiable : seules les adresses http:// et https:// le sont.",
        ),
        "www.exemple.fr": (False, None, None, "Adresse incomplète : elle doit commencer par http:// ou https://."),
        "": (False, None, None, "Adresse vide."),
    }


def test_private_addresses_are_refused_unless_allowed(site, configure):
    configure(allow_private=False)
    for url in (site.url("/ok"), f"http://localhost:{site.server_address[1]}/ok"):
        result = probe(url)
        assert (result.ok, result.status, result.final_url, result.reason) == (False, None, url, PRIVATE)
    assert site.requests == []  # refused before any connection


def test_private_addresses_are_refused_after_a_redirect(site, configure, monkeypatch):
    """127.0.0.1 stands for a public site here, 127.0.0.2 for the internal network it redirects to."""
    configure(allow_private=False)
    monkeypatch.setattr(link_probe, "address_allowed", lambda address: address == "127.0.0.1")
    result = probe(site.url("/to-other-address"))
    target = f"http://127.0.0.2:{site.server_address[1]}/ok"
    assert (result.ok, result.status, result.final_url, result.reason) == (False, None, target, PRIVATE)
    assert site.hits("/to-other-address") == ["HEAD"]


# ---------------------------------------------------------------------- load
def test_one_site_gets_at_most_per_host_requests_at_once(site, configure):
    urls = [site.url(f"/busy/{n}") for n in range(20)]
    results = probe_all(urls)
    assert all(result.ok for result in results.values()) and len(results) == 20
    assert site.most_in_flight == 2  # linkcheck_per_host, though 16 threads were free
    assert len(site.requests) == 20


def test_at_most_concurrency_requests_in_all(site, configure):
    configure(concurrency=3, per_host=10)
    results = probe_all([site.url(f"/busy/{n}") for n in range(12)])
    assert all(result.ok for result in results.values())
    assert site.most_in_flight == 3


def test_one_request_per_distinct_page(site, configure):
    same = [site.url("/count"), site.url("/count"), site.url("/count").replace("http://", "HTTP://") + "#tarifs"]
    results = probe_all([*same, site.url("/ok")])
    assert list(results) == [same[0], same[2], site.url("/ok")]  # each input once, in its order
    assert results[same[2]].url == same[2] and results[same[2]].ok
    assert site.hits("/count") == ["HEAD"]


def test_one_broken_address_does_not_stop_the_others(site, configure, monkeypatch):
    real = link_probe.request

    def request(method, url, limits, sites):
        if url.endswith("/page/bug"):
            raise RuntimeError("a bug")
        return real(method, url, limits, sites)

    monkeypatch.setattr(link_probe, "request", request)
    results = probe_all([site.url("/page/bug"), site.url("/page/fine")])
    assert (results[site.url("/page/bug")].ok, results[site.url("/page/bug")].reason) == (
        False,
        "Vérification impossible (erreur interne de la plateforme).",
    )
    assert results[site.url("/page/fine")].ok
