"""The website-link checker's network half: request each address, follow its redirects, say what answered.

Outside websites are read here, with the store (DESIGN.md: `store/` is the code that talks to what lies
outside the process); the rules that judge an answer are in `ofeli.domain.links`, which URLs are checked
and where the results go are the services'. Standard library only (`http.client`).

- **Once per page.** Addresses are normalised first (`ofeli.domain.links.normalised`); two inputs with
  the same normal form are requested once and get the same result (under their own `url`).
- **HEAD, then GET.** HEAD first; when it ends on a 4xx or 5xx other than 429, or on an answer that
  cannot be read, the whole address is asked again with GET (`retry_with_get`), which reads at most
  `MAX_BODY` bytes of the page and closes the connection.
- **Redirects** (301, 302, 303, 307, 308) are followed by hand, a relative `Location` resolved against
  the address that sent it, up to `linkcheck_max_redirects`; an address met twice is a loop.
- **Time.** `linkcheck_timeout` bounds each request as a whole (connection, TLS handshake, reading the
  answer), not only each read: a site that sends its answer a byte at a time is cut off too. Name
  resolution is the system's (Lambda's resolver gives up after a few seconds). So one address costs at
  most 2 × (1 + max_redirects) × timeout plus resolution, 2 minutes with the defaults, and only for a
  site that answers every request just before the deadline.
- **Load.** `linkcheck_concurrency` threads in all, at most `linkcheck_per_host` requests in flight on
  one site (host, case ignored, and port); addresses are handed to the threads one site after another so
  that a site with many addresses does not hold every thread. One connection per request (`Connection:
  close`), a `User-Agent` that names the platform.
- **Where.** Unless `linkcheck_allow_private`, a host is resolved here and refused when any of its
  addresses is not public (`address_allowed`), at every hop of the redirects; the connection then goes
  to one of the addresses that were checked (no second resolution a DNS answer could change between
  the check and the connection). TLS certificates are verified (the default context).
- **Never raises.** Whatever goes wrong with one address becomes its `LinkResult`, with a French reason.
"""

from __future__ import annotations

import http.client
import math
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from ofeli import observability
from ofeli.domain.links import (
    BAD_CERTIFICATE,
    CLOSED,
    DEFAULT_PORTS,
    EXPIRED_CERTIFICATE,
    GARBLED,
    INTERNAL,
    LOOP,
    PRIVATE,
    REDIRECTS,
    REFUSED,
    RESET,
    TLS_FAILED,
    UNKNOWN_HOST,
    UNREACHABLE,
    LinkResult,
    UncheckableUrl,
    address_allowed,
    answered,
    failure,
    host_key,
    normalised,
    retry_with_get,
    timeout_reason,
    too_many_redirects,
)
from ofeli.settings import settings

USER_AGENT = "OFeli-linkcheck/1.0 (+contact Carif-Oref)"
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
    "Accept-Language": "fr-FR,fr;q=0.9",
    "Connection": "close",
}
MAX_BODY = 4096  # what a GET reads of the page before closing (a HEAD reads nothing)
EXPIRED = 10  # OpenSSL's X509_V_ERR_CERT_HAS_EXPIRED

Address = tuple[int, tuple[str, int] | tuple[str, int, int, int]]  # (family, socket address)


@dataclass(frozen=True)
class Limits:
    timeout: float
    max_redirects: int
    allow_private: bool


class Refused(Exception):
    """The checker does not connect there (a private address)."""


# ---------------------------------------------------------------------- the entry point
def probe_all(urls: Iterable[str]) -> dict[str, LinkResult]:
    """Check every distinct address of `urls` once; each input (as given) → its result. Never raises."""
    current = settings()
    limits = Limits(
        timeout=current.linkcheck_timeout if current.linkcheck_timeout > 0 else 10.0,
        max_redirects=max(current.linkcheck_max_redirects, 0),
        allow_private=current.linkcheck_allow_private,
    )
    inputs = list(dict.fromkeys(urls))
    started = time.monotonic()
    results: dict[str, LinkResult] = {}
    pages: dict[str, list[str]] = {}  # normalised address → the inputs that name it
    for url in inputs:
        try:
            pages.setdefault(normalised(url), []).append(url)
        except UncheckableUrl as uncheckable:
            results[url] = failure(url, uncheckable.reason)
    if pages:
        sites = Sites(max(current.linkcheck_per_host, 1))
        workers = min(max(current.linkcheck_concurrency, 1), len(pages))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="linkcheck") as pool:
            order = one_site_after_another(pages)
            found = dict(zip(order, pool.map(lambda page: check(page, limits, sites), order), strict=True))
        for page, names in pages.items():
            for url in names:
                results[url] = found[page].model_copy(update={"url": url})
    broken = sum(1 for result in results.values() if not result.ok)
    observability.logger().info(
        "link check done",
        extra={"urls": len(inputs), "requested": len(pages), "broken": broken, "seconds": time.monotonic() - started},
    )
    return {url: results[url] for url in inputs}


def one_site_after_another(pages: Iterable[str]) -> list[str]:
    """The addresses in the order the threads take them: the first of each site, then the second..."""
    by_site: dict[str, list[str]] = {}
    for page in pages:
        by_site.setdefault(host_key(page), []).append(page)
    rounds = max((len(site) for site in by_site.values()), default=0)
    return [site[i] for i in range(rounds) for site in by_site.values() if i < len(site)]


class Sites:
    """At most `per_site` requests in flight on one site (host and port)."""

    def __init__(self, per_site: int) -> None:
        self.per_site = per_site
        self.lock = threading.Lock()
        self.slots: dict[str, threading.BoundedSemaphore] = {}

    @contextmanager
    def slot(self, site: str) -> Iterator[None]:
        with self.lock:
            semaphore = self.slots.setdefault(site, threading.BoundedSemaphore(self.per_site))
        with semaphore:
            yield


# ---------------------------------------------------------------------- one address
def check(page: str, limits: Limits, sites: Sites) -> LinkResult:
    """One normalised address: HEAD, then GET when HEAD's answer says little (see `retry_with_get`)."""
    try:
        result, ask_again = follow(page, "HEAD", limits, sites)
        if ask_again:
            result, _ = follow(page, "GET", limits, sites)
        return result
    except Exception:  # a bug, not the site: the other addresses are still checked
        observability.logger().exception("link check: unexpected error", extra={"url": page})
        return failure(page, INTERNAL)


def follow(page: str, method: str, limits: Limits, sites: Sites) -> tuple[LinkResult, bool]:
    """Request `page` with `method`, following redirects: its result, and whether GET may tell better."""
    current, seen, followed = page, {page}, 0
    while True:
        try:
            status, location = request(method, current, limits, sites)
        except Refused:
            return failure(page, PRIVATE, final_url=current), False
        except http.client.HTTPException as error:  # an answer, but not HTTP as it should be
            reason = CLOSED if isinstance(error, http.client.RemoteDisconnected) else GARBLED
            return failure(page, reason, final_url=current), True
        except OSError as error:
            return failure(page, network_reason(error, limits.timeout), final_url=current), False
        if status not in REDIRECTS or not location:
            result = answered(page, status, current)
            return result, method == "HEAD" and retry_with_get(status)
        try:
            target = normalised(urllib.parse.urljoin(current, location.strip()))
        except (UncheckableUrl, ValueError) as error:
            reason = error.reason if isinstance(error, UncheckableUrl) else GARBLED
            return failure(page, reason, status=status, final_url=current), False
        if target in seen:
            return failure(page, LOOP, status=status, final_url=current), False
        if followed == limits.max_redirects:
            return failure(page, too_many_redirects(limits.max_redirects), status=status, final_url=current), False
        seen.add(target)
        current, followed = target, followed + 1


def network_reason(error: OSError, timeout: float) -> str:
    """The French reason of a request that got no HTTP answer."""
    if isinstance(error, socket.gaierror):
        return UNKNOWN_HOST
    if isinstance(error, TimeoutError):
        return timeout_reason(timeout)
    if isinstance(error, ssl.SSLCertVerificationError):
        return EXPIRED_CERTIFICATE if error.verify_code == EXPIRED else BAD_CERTIFICATE
    if isinstance(error, ssl.SSLError):
        return TLS_FAILED
    if isinstance(error, ConnectionRefusedError):
        return REFUSED
    if isinstance(error, ConnectionError):
        return RESET
    return UNREACHABLE


# ---------------------------------------------------------------------- one request
def request(method: str, url: str, limits: Limits, sites: Sites) -> tuple[int, str | None]:
    """One request, no redirect followed: the status and the `Location` header. Raises `Refused`, OSError
    (TimeoutError once the deadline has passed) or http.client.HTTPException."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    addresses = resolve(host, port)
    if not limits.allow_private and not all(address_allowed(str(address[1][0])) for address in addresses):
        raise Refused(url)
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    with sites.slot(host_key(url)):
        deadline = time.monotonic() + limits.timeout  # waiting for the site's turn is not the site's fault
        connection = pinned_connection(parts.scheme, host, port, addresses, deadline)
        try:
            connection.request(method, target, headers=HEADERS)
            response = connection.getresponse()
            if method == "GET":
                response.read(MAX_BODY)
            return response.status, response.getheader("Location")
        except (OSError, http.client.HTTPException, ValueError):
            if time.monotonic() >= deadline:  # the socket was cut at the deadline, whatever it then raised
                raise TimeoutError(url) from None
            raise
        finally:
            connection.close()


def resolve(host: str, port: int) -> list[Address]:
    """The addresses `host` resolves to (socket.gaierror when none)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys((family, sockaddr) for family, _, _, _, sockaddr in found))
    if not addresses:
        raise socket.gaierror(socket.EAI_NONAME, "no address")
    return addresses  # type: ignore[return-value]


def remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline")
    return left


class DeadlineSocket(socket.socket):
    """A socket whose every read waits at most until the request's deadline."""

    deadline = math.inf

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        self.settimeout(remaining(self.deadline))
        return super().recv_into(buffer, nbytes, flags)


class DeadlineSSLSocket(ssl.SSLSocket):
    """The same over TLS (what `tls_context().wrap_socket` makes)."""

    deadline = math.inf

    def recv_into(self, buffer: Any, nbytes: int | None = None, flags: int = 0) -> int:
        self.settimeout(remaining(self.deadline))
        return super().recv_into(buffer, nbytes, flags)


@cache
def tls_context() -> ssl.SSLContext:
    """The default context (certificates and host names verified), shared by the threads."""
    context = ssl.create_default_context()
    context.sslsocket_class = DeadlineSSLSocket
    return context


def connect(addresses: list[Address], deadline: float) -> DeadlineSocket:
    """A connection to the first of `addresses` that accepts one before the deadline."""
    error: OSError = ConnectionRefusedError("no address")
    for family, sockaddr in addresses:
        sock = DeadlineSocket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(remaining(deadline))
            sock.connect(sockaddr)
        except OSError as failed:
            sock.close()
            error = failed
            if isinstance(failed, TimeoutError):
                break
            continue
        sock.deadline = deadline
        return sock
    raise error


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to addresses already resolved (and checked), with the request's deadline."""

    def __init__(self, host: str, port: int, addresses: list[Address], deadline: float) -> None:
        super().__init__(host, port, timeout=remaining(deadline))
        self.addresses = addresses
        self.deadline = deadline

    def connect(self) -> None:
        self.sock = connect(self.addresses, self.deadline)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against the host's name, not the address."""

    def __init__(self, host: str, port: int, addresses: list[Address], deadline: float) -> None:
        super().__init__(host, port, timeout=remaining(deadline), context=tls_context())
        self.addresses = addresses
        self.deadline = deadline

    def connect(self) -> None:
        sock = connect(self.addresses, self.deadline)
        try:
            sock.settimeout(remaining(self.deadline))  # the handshake
            wrapped = tls_context().wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        if isinstance(wrapped, DeadlineSSLSocket):  # always: the context makes them
            wrapped.deadline = self.deadline
        self.sock = wrapped


def pinned_connection(
    scheme: str, host: str, port: int, addresses: list[Address], deadline: float
) -> http.client.HTTPConnection:
    if scheme == "https":
        return PinnedHTTPSConnection(host, port, addresses, deadline)
    return PinnedHTTPConnection(host, port, addresses, deadline)
