"""The security headers CloudFront adds in AWS, as data, and what the local stack sends.

The Content-Security-Policy is `CSP` (directive → sources). In AWS, CloudFront's response headers
policy in template.yaml sends the same directives (tests/test_template.py compares them), with
connect-src naming the API and the documents bucket; locally connect-src names the S3 endpoint the
browser uploads to (moto: presigned POST goes there). HSTS is sent in AWS only (https there, http here).

One answer is allowed its inline code: the API documentation page (`/docs`, Swagger UI as Powertools
renders it, with its script and style inline). It gets the same policy with exactly the hashes of the
inline script and style elements that answer holds, and nothing else loosened.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

SELF = "'self'"
NONE = "'none'"

CSP: dict[str, tuple[str, ...]] = {
    "default-src": (SELF,),
    "script-src": (SELF,),
    "style-src": (SELF,),
    "img-src": (SELF, "data:"),
    "connect-src": (SELF,),
    "object-src": (NONE,),
    "frame-ancestors": (NONE,),
    "base-uri": (SELF,),
    "form-action": (SELF,),
}
"""Directive → sources. connect-src gets the API's and the upload endpoint's origins added where they
are other origins than the site's (`policy(connect=...)`)."""

HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
"""The other headers, sent with the policy on every answer."""

NAMES = ("Content-Security-Policy", *HEADERS)
"""What the edge sets, whatever the origin (a function) sent."""

HSTS = "max-age=63072000; includeSubDomains"
"""Strict-Transport-Security: in AWS only (CloudFront, https)."""

DOCS_PATH = "/docs"
"""The one answer whose inline script and style are allowed, by hash."""


def origin(url: str) -> str:
    """`http://127.0.0.1:5000/bucket?x` → `http://127.0.0.1:5000` (what a CSP source names)."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"not an absolute URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def upload_origins() -> list[str]:
    """Where the browser sends presigned POSTs locally: the S3 endpoint of the running stack."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    return [origin(endpoint)] if endpoint else []


def policy(
    *, connect: Iterable[str] = (), extra: Mapping[str, Iterable[str]] | None = None
) -> dict[str, tuple[str, ...]]:
    """`CSP` with origins added to connect-src and, for one answer, sources added to other directives."""
    directives = dict(CSP)
    additions: dict[str, list[str]] = {"connect-src": list(connect)}
    for directive, sources in (extra or {}).items():
        additions.setdefault(directive, []).extend(sources)
    for directive, sources in additions.items():
        current = list(directives[directive])  # a KeyError: no new directive slips in by mistake
        directives[directive] = tuple(current + [s for s in dict.fromkeys(sources) if s not in current])
    return directives


def render(directives: Mapping[str, Iterable[str]]) -> str:
    """The header value: `default-src 'self'; img-src 'self' data:; ...`."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def parse(value: str) -> dict[str, tuple[str, ...]]:
    """A Content-Security-Policy header value back into directive → sources."""
    directives: dict[str, tuple[str, ...]] = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = tuple(words[1:])
    return directives


def security_headers(directives: Mapping[str, Iterable[str]] | None = None) -> dict[str, str]:
    """Every header the local stack sends on an answer (the site's policy unless told otherwise)."""
    if directives is None:
        directives = policy(connect=upload_origins())
    return {"Content-Security-Policy": render(directives), **HEADERS}


_INLINE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def inline_hashes(page: str) -> dict[str, list[str]]:
    """The CSP hash sources of the inline `<script>` and `<style>` elements of an HTML page."""
    found: dict[str, list[str]] = {"script-src": [], "style-src": []}
    for tag, attributes, content in _INLINE.findall(page):
        if tag.lower() == "script" and _SRC.search(attributes):
            continue  # an external script: 'self' or refused, as everywhere
        found[f"{tag.lower()}-src"].append(_hash(content))
    return found


def docs_headers(page: str) -> dict[str, str]:
    """The headers of the documentation page: the site's policy plus its own inline code's hashes."""
    return security_headers(policy(extra=inline_hashes(page)))
