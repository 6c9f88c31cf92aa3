"""The website-link checker's pure rules: what a checked link answers, which HTTP statuses make a
broken link, and which addresses may be checked at all.

The network half (requests, redirects, concurrency, timeouts) is `ofeli.store.link_probe`; which URLs
are checked, where the results go and the *Erreur liens site internet* block are the services'.

Decisions, in the order a link meets them:

- **The address.** Only absolute `http://` and `https://` addresses are checked (`normalised`). An
  address typed without its scheme (`www.exemple.fr`) is reported as incomplete: published as is, it is
  a relative link on every page and feed that shows it. An address holding a user name or password is not
  checked either (it is never meant for the public).
- **Where it leads.** In AWS, the addresses come from the training organisations: a host that resolves
  to a private, loopback, link-local, shared (CGNAT), multicast or reserved address is refused
  (`address_allowed`), for every address the name resolves to and after every redirect, so that the
  checker cannot be used to reach the account's internal network (or the instance metadata service).
- **The answer** (`verdict`), once redirects (301, 302, 303, 307, 308) have been followed:
  - 2xx: the link works.
  - 401 (and 407): broken. The page asks for an identification: the public cannot read it, and the
    training's public page must be readable by anyone.
  - 403 and 429: **not counted as broken**, but noted. Both are what a site's anti-robot protection
    (Cloudflare, Akamai...) answers an automatic checker while people see the page in their browser;
    flagging them would put links the organisation cannot "repair" in its *Erreur liens* block, and
    teach it to ignore that block. The reason says the page could not be verified.
  - 404, 410, any other 4xx, every 5xx: broken.
  - A 3xx that could not be followed (no `Location`, 300, 304...): broken.
- **HEAD, then GET** (`retry_with_get`): many servers answer HEAD badly (405 or 501, but also 400, 403,
  404 or 500 from a framework that routes GET only, or a firewall that blocks HEAD). Every HEAD answer of
  4xx or 5xx, except 429 (asking again at once would only make it worse), is asked again with GET before
  the link is judged; so is a HEAD whose answer could not be read.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse

from pydantic import Field

from ofeli.domain.model import Model

MAX_URL = 2048
DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECTS = frozenset({301, 302, 303, 307, 308})

VALID = "Lien valide."
EMPTY = "Adresse vide."
NOT_HTTP = "Adresse non vérifiable : seules les adresses http:// et https:// le sont."
NO_SCHEME = "Adresse incomplète : elle doit commencer par http:// ou https://."
NO_HOST = "Adresse incomplète : le nom du site manque."
BAD_URL = "Adresse invalide."
BAD_HOST = "Nom de domaine invalide."
BAD_PORT = "Adresse invalide : le numéro de port est incorrect."
CREDENTIALS = "Adresse non vérifiable : elle contient un identifiant ou un mot de passe."
TOO_LONG = f"Adresse trop longue (plus de {MAX_URL} caractères)."
PRIVATE = "Adresse interdite : réseau privé."
UNKNOWN_HOST = "Nom de domaine introuvable."
REFUSED = "Connexion refusée par le serveur."
RESET = "Connexion interrompue par le serveur."
UNREACHABLE = "Le site est injoignable."
CLOSED = "Le site a fermé la connexion sans répondre."
GARBLED = "Le site a renvoyé une réponse illisible."
BAD_CERTIFICATE = "Certificat du site invalide."
EXPIRED_CERTIFICATE = "Certificat du site expiré."
TLS_FAILED = "Connexion sécurisée (https) impossible avec le site."
LOOP = "Boucle de redirections : la page renvoie vers une adresse déjà visitée."
INTERNAL = "Vérification impossible (erreur interne de la plateforme)."
# 403 and 429: the page exists but the site would not show it to a robot (see the module's docstring).
LOGIN_REQUIRED = "La page est réservée aux personnes identifiées (erreur {status}) : le public ne peut pas la voir."
NOT_VERIFIED = "Le site refuse les vérifications automatiques (erreur {status}) : la page n'a pas pu être vérifiée."

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_LABEL = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$")
_PATH_SAFE = "/%!$&'()*+,;=:@-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class LinkResult(Model):
    """What the checker found at one website address."""

    url: str = Field(description="L'adresse vérifiée, telle qu'elle a été saisie")
    ok: bool = Field(description="Le lien fonctionne (ou le site refuse seulement les robots : voir la raison)")
    status: int | None = Field(default=None, description="Le code HTTP de la dernière réponse ; absent sans réponse")
    final_url: str | None = Field(
        default=None,
        description="La dernière adresse demandée, après les redirections ; absente si l'adresse n'est pas vérifiable",
    )
    reason: str = Field(description="Ce que la vérification a trouvé, en une phrase")


class UncheckableUrl(ValueError):
    """An address the checker does not request; `reason` says why, in French."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------------- statuses
def verdict(status: int) -> tuple[bool, str]:
    """Whether a final HTTP status (redirects followed) makes a working link, and the French reason."""
    if 200 <= status < 300:
        return True, VALID
    if status in (403, 429):
        return True, NOT_VERIFIED.format(status=status)
    if status in (401, 407):
        return False, LOGIN_REQUIRED.format(status=status)
    if status == 404:
        return False, "La page n'existe pas (erreur 404)."
    if status == 410:
        return False, "La page a été supprimée du site (erreur 410)."
    if 400 <= status < 500:
        return False, f"Le site a refusé la demande (erreur {status})."
    if 500 <= status < 600:
        return False, f"Le site a renvoyé une erreur ({status})."
    if 300 <= status < 400:
        return False, f"Le site renvoie vers une autre adresse sans dire laquelle (code {status})."
    return False, f"Réponse inattendue du site (code {status})."


def retry_with_get(head_status: int) -> bool:
    """Whether a HEAD request's final status is asked again with GET before the link is judged."""
    return head_status >= 400 and head_status != 429


def timeout_reason(seconds: float) -> str:
    """`Le site ne répond pas dans le délai (10 s).`, the seconds written the French way (0,5 s)."""
    return f"Le site ne répond pas dans le délai ({f'{seconds:g}'.replace('.', ',')} s)."


def too_many_redirects(limit: int) -> str:
    return f"Trop de redirections (plus de {limit})."


def failure(url: str, reason: str, *, status: int | None = None, final_url: str | None = None) -> LinkResult:
    return LinkResult(url=url, ok=False, status=status, final_url=final_url, reason=reason)


def answered(url: str, status: int, final_url: str) -> LinkResult:
    """The result of a link whose last request got `status` at `final_url`."""
    ok, reason = verdict(status)
    return LinkResult(url=url, ok=ok, status=status, final_url=final_url, reason=reason)


# ---------------------------------------------------------------------- addresses
def normalised(url: str) -> str:
    """The address as the checker requests it: trimmed; scheme and host in lower case, the host in its
    ASCII (IDNA) form without a final dot; the scheme's default port dropped; spaces and other characters
    a request line cannot hold percent-encoded (existing escapes kept); an empty path made `/`; the
    fragment dropped (a browser does not send it). Two addresses with the same normal form are one page.

    Raises `UncheckableUrl` (with the French reason) for an address the checker does not request."""
    text = url.strip()
    if not text:
        raise UncheckableUrl(EMPTY)
    if len(text) > MAX_URL:
        raise UncheckableUrl(TOO_LONG)
    scheme = _SCHEME.match(text)
    if scheme is None or scheme[1].lower() not in DEFAULT_PORTS:
        # `mailto:`, `ftp://`, `javascript:`... name another scheme; `www.site.fr` or `site.fr:8080/x` none.
        names_a_scheme = scheme is not None and "." not in scheme[1] and not text[scheme.end() :][:1].isdigit()
        raise UncheckableUrl(NOT_HTTP if names_a_scheme else NO_SCHEME)
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise UncheckableUrl(BAD_PORT if "port" in str(error).lower() else BAD_URL) from error
    if "@" in parts.netloc:
        raise UncheckableUrl(CREDENTIALS)
    host = _ascii_host(parts.hostname or "")
    if port == 0:
        raise UncheckableUrl(BAD_PORT)
    scheme_name = parts.scheme.lower()
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[scheme_name]:
        netloc += f":{port}"
    path = urllib.parse.quote(parts.path, safe=_PATH_SAFE) or "/"
    query = urllib.parse.quote(parts.query, safe=_QUERY_SAFE)
    return urllib.parse.urlunsplit((scheme_name, netloc, path, query, ""))


def _ascii_host(hostname: str) -> str:
    host = hostname[:-1] if hostname.endswith(".") else hostname  # `exemple.fr.`: the same site
    if not host:
        raise UncheckableUrl(NO_HOST)
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        encoded = host.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise UncheckableUrl(BAD_HOST) from error
    if len(encoded) > 253 or not all(_LABEL.match(label) for label in encoded.split(".")):
        raise UncheckableUrl(BAD_HOST)
    return encoded


def host_key(url: str) -> str:
    """The site a (normalised) address is on, for the per-site limit: host in lower case and port, the
    scheme's default when the address names none (`exemple.fr:443`)."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 0)
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def address_allowed(address: str) -> bool:
    """Whether the checker may connect to `address` (an IP address a host name resolved to) when private
    networks are not allowed: only public unicast addresses. An IPv4 address carried in an IPv6 one
    (mapped `::ffff:a.b.c.d`, NAT64, 6to4, Teredo) is judged as that IPv4 address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_allowed(str(embedded))
        if ip.is_site_local:
            return False
    return ip.is_global and not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )
