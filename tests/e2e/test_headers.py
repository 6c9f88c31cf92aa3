"""What is served: the security headers CloudFront adds in AWS, sent by `ofeli serve` on every page and
every answer (`ofeli_local.headers`), the one page allowed its inline code by hash (`/docs`), and the
browser tests' watch that fails a test on any Content-Security-Policy violation (tests/e2e/conftest.py)."""

from __future__ import annotations

import base64
import hashlib
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from support import SINGLE, SINGLE_OF_USER, CspWatch, api_token, call, mails_to, sign_in, wait_for_new_mails

from ofeli_local import headers
from ofeli_local.gateway import Gateway, mail_page

OTHER_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def fetch(server: Any, method: str, path: str, body: bytes | None = None) -> tuple[int, Any, bytes]:
    """(status, headers, body) of one request, whatever its status."""
    request = urllib.request.Request(server.url + path, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if method == "OPTIONS":
        request.add_header("Origin", server.url)
        request.add_header("Access-Control-Request-Method", "GET")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 (127.0.0.1)
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def upload_origin(server: Any) -> str:
    """Where the browser sends a presigned POST (locally, the emulated S3)."""
    token = api_token(server, SINGLE_OF_USER)
    body = {"filename": "attestation.pdf", "content_type": "application/pdf"}
    status, form = call(server, "POST", f"/structures/{SINGLE[0]}/documents", body, token)
    assert status == 201, form
    return headers.origin(form["url"])


# ---------------------------------------------------------------------- every answer, over HTTP
ANSWERS = [  # (method, path, body, status): one of each kind the local stack gives
    ("GET", "/", None, 200),  # a page of the site
    ("GET", "/connexion", None, 200),
    ("GET", "/css/ofeli.css", None, 200),  # its files
    ("GET", "/js/api.js", None, 200),
    ("GET", "/img/ofeli.svg", None, 200),
    ("GET", "/openapi.json", None, 200),  # a function's answer
    ("POST", "/auth/login", b'{"email": "personne@exemple.test", "password": "Pas-le-bon-1!"}', 401),
    ("GET", "/me", None, 401),  # the authorizer's refusal
    ("OPTIONS", "/me", None, 204),  # a CORS preflight
    ("GET", "/nulle-part", None, 404),  # the gateway's own error
    ("DELETE", "/openapi.json", None, 405),
    ("GET", "/_local/mail", None, 200),  # the local pages
    ("GET", "/_local/mail?format=json", None, 200),
    ("POST", "/_local/clock", b"[]", 400),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), ANSWERS)
def test_every_answer_carries_the_security_headers(
    server: Any, upload_origin: str, method: str, path: str, body: bytes | None, status: int
) -> None:
    got, answer, _ = fetch(server, method, path, body)
    assert got == status
    policy = answer.get_all("Content-Security-Policy")
    assert policy is not None and len(policy) == 1, policy
    assert headers.parse(policy[0]) == {**headers.CSP, "connect-src": ("'self'", upload_origin)}
    for name, value in OTHER_HEADERS.items():
        assert answer.get_all(name) == [value], name
    assert answer.get("Strict-Transport-Security") is None  # https only: CloudFront sends it in AWS


def test_the_policy_is_the_strict_one_the_issue_asks_for() -> None:
    """The data the template's CloudFront policy is compared with (tests/test_template.py)."""
    assert headers.render(headers.CSP) == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )
    assert headers.HEADERS == OTHER_HEADERS
    assert headers.HSTS.startswith("max-age=") and int(headers.HSTS.split("=")[1].split(";")[0]) >= 31536000


def test_a_function_cannot_send_its_own_policy() -> None:
    """As CloudFront's response headers policy overrides the origin's, the gateway drops a function's."""
    response = Gateway.response(
        {
            "statusCode": 200,
            "headers": {"Content-Security-Policy": "default-src *", "X-Frame-Options": "ALLOWALL"},
            "multiValueHeaders": {"Referrer-Policy": ["unsafe-url"], "X-Correlation-Id": ["abc"]},
            "body": "{}",
        }
    )
    assert [name for name in headers.NAMES if name in response.headers] == []
    assert response.headers["X-Correlation-Id"] == "abc"


def test_the_upload_origin_is_the_emulated_s3(server: Any, upload_origin: str) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", upload_origin) and upload_origin != server.url


# ---------------------------------------------------------------------- the API documentation page
def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_docs_allow_exactly_their_own_inline_script_and_style(server: Any) -> None:
    status, answer, body = fetch(server, "GET", "/docs")
    assert status == 200 and answer.get_content_type() == "text/html"
    page = body.decode()
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    styles = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    assert len(scripts) == 2 and len(styles) == 1  # Swagger UI's bundle and its start; its CSS
    policy = headers.parse(answer["Content-Security-Policy"])
    assert policy["script-src"] == ("'self'", *[_hash(s) for s in scripts])
    assert policy["style-src"] == ("'self'", *[_hash(s) for s in styles])
    assert policy == {**headers.CSP, "script-src": policy["script-src"], "style-src": policy["style-src"]}
    for name, value in OTHER_HEADERS.items():
        assert answer[name] == value


def test_only_the_docs_page_gets_hashes() -> None:
    page = "<script>alert(1)</script><script src='/js/a.js'></script><style>p{}</style>"
    found = headers.inline_hashes(page)
    assert found == {"script-src": [_hash("alert(1)")], "style-src": [_hash("p{}")]}
    assert headers.policy() == headers.CSP
    with pytest.raises(KeyError):
        headers.policy(extra={"script-scr": ["'unsafe-inline'"]})  # a misspelt directive is not a new one


def test_the_docs_page_works_under_its_policy(page: Page) -> None:
    """Swagger UI renders and opens an operation without a violation (the `page` fixture checks)."""
    page.goto("/docs")
    expect(page.get_by_role("heading", name=re.compile("^API OFeli"))).to_be_visible()
    operation = page.locator(".opblock").filter(has_text="/auth/login").first
    operation.locator(".opblock-summary").click()
    expect(operation.get_by_text("Request body")).to_be_visible()


# ---------------------------------------------------------------------- the local mailbox
def test_the_mailbox_shows_e_mails_without_their_inline_styles() -> None:
    sent = {
        "subject": "Essai",
        "source": "ofeli@exemple.test",
        "destinations": {"ToAddresses": ["a@exemple.test"]},
        "body": '<html><head><style>p{color:red}</style></head><body style="margin:0">'
        '<h1 style="font-size:20px">Titre</h1><p STYLE=\'color:#444\'>Texte <a href="http://x/y" '
        'style="padding:1px">lien</a></p><style>a{}</style></body></html>',
    }
    html = mail_page([sent])
    assert "style" not in html.lower().replace('rel="stylesheet"', "")
    assert '<h3>Titre</h3><p>Texte <a href="http://x/y">lien</a></p>' in html


def test_the_mailbox_page_keeps_to_the_policy(page: Page, server: Any) -> None:
    """An e-mail sent by the product (inline styles in its HTML) shown in the mailbox: no violation."""
    email, subject = SINGLE_OF_USER[0], "Réinitialisation de votre mot de passe OFeli"
    before = len(mails_to(server, email, subject))
    status, _ = call(server, "POST", "/auth/password-reset", {"email": email})
    assert status == 202
    (sent,) = wait_for_new_mails(server, email, subject, before=before)
    assert 'style="' in sent["body"]  # what the mailbox must not show as it is
    page.goto("/_local/mail")
    mail = page.get_by_role("article").filter(has_text=email).first
    expect(mail).to_be_visible()
    expect(mail.get_by_role("link").first).to_be_visible()


# ---------------------------------------------------------------------- the watch itself
def eventually(read: Callable[[], Any], holds: Callable[[Any], bool]) -> Any:
    """`read()` once `holds` of it (violations reach the test asynchronously), waited for up to 5 s."""
    deadline = time.monotonic() + 5
    while not holds(value := read()):
        assert time.monotonic() < deadline, value
        time.sleep(0.1)
    return value


def _violate(page: Page) -> None:
    """What a page must never do under the site's policy: inline script, inline style, a call elsewhere."""
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.head.append(script);
            document.body.setAttribute("style", "background: red");
            fetch("http://127.0.0.1:9/ailleurs").catch(() => {});
        }"""
    )


def test_the_watch_sees_every_kind_of_violation(csp_watch: tuple[BrowserContext, CspWatch]) -> None:
    context, watch = csp_watch
    page = context.new_page()
    page.goto("/connexion")
    assert watch.settle(context) == []
    _violate(page)
    seen = " ".join(eventually(lambda: watch.settle(context), lambda v: "connect-src refused" in " ".join(v)))
    for directive in ("script-src-elem", "style-src-attr", "connect-src"):
        assert f"{directive} refused" in seen, seen
    assert page.evaluate("() => window.injected") is None  # and the browser refused them
    page.goto("/")  # the watch outlives a navigation
    page.evaluate("() => document.body.setAttribute('style', 'color: red')")
    eventually(lambda: watch.settle(context), lambda v: sum("style-src-attr refused" in x for x in v) == 2)


def test_the_page_fixture_is_watched(page: Page, csp_watch: tuple[BrowserContext, CspWatch]) -> None:
    """`page` belongs to the watched context: a violation there would fail this test at teardown."""
    context, watch = csp_watch
    assert page.context == context
    sign_in(page, SINGLE_OF_USER)
    assert watch.settle(context) == []
    _violate(page)
    eventually(lambda: watch.settle(context), lambda v: len(v) > 0)
    watch.violations.clear()  # what this test caused on purpose
