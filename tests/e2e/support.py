"""What the end-to-end tests share: the demo accounts, calls to the running API, the local mailbox,
signing in through the page, a second person's browser, the Content-Security-Policy watch, and axe-core's
accessibility rules."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Locator, Page, expect

OF_USER = ("contact@of-demo.test", "Organisme-2026!")  # head office + branch: chooses a structure space
SINGLE_OF_USER = ("contact@atelier-normand.test", "Organisme-2026!")  # one structure: implicit space
MODERATOR = ("moderation@carif-oref.test", "Moderation-2026!")
HEAD_OFFICE = ("81432712100012", "OF Démo Formation")
BRANCH = ("81432712100020", "OF Démo Formation — antenne de Cherbourg")
SINGLE = ("41298765400016", "Atelier Normand des Métiers")

DASHBOARD_URL = re.compile(r"^http://[^/]+/$")
SIGN_IN_URL = re.compile(r"/connexion(\?.*)?$")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def spaced(siret: str) -> str:
    """A SIRET as the pages write it: 814 327 121 00012."""
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"


# ---------------------------------------------------------------------- the API, over HTTP
def call(server: Any, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    """(status, decoded JSON body or None) of one request to the running stack."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 (127.0.0.1)
            text = response.read().decode()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        return error.code, json.loads(text) if text else None


def api_token(server: Any, account: tuple[str, str]) -> str:
    status, body = call(server, "POST", "/auth/login", {"email": account[0], "password": account[1]})
    assert status == 200, body
    return str(body["id_token"])


def mails_to(server: Any, email: str, subject: str | None = None) -> list[dict[str, Any]]:
    """The e-mails of the local mailbox sent to `email` (with `subject`), newest first."""
    with urllib.request.urlopen(f"{server.url}/_local/mail?format=json", timeout=10) as response:  # noqa: S310
        messages = json.load(response)
    return [
        m
        for m in messages
        if (subject is None or m.get("subject") == subject) and email in sum((m.get("destinations") or {}).values(), [])
    ]


def wait_for_mail(server: Any, email: str, subject: str, containing: str | None = None) -> dict[str, Any]:
    """The newest e-mail « subject » to `email` (whose body holds `containing`), waited for up to 10 s."""
    missing = f"no e-mail « {subject} » to {email}"
    if containing is not None:
        missing += f" containing « {containing} »"
    deadline = time.monotonic() + 10
    while True:
        found = [
            m for m in mails_to(server, email, subject) if containing is None or containing in (m.get("body") or "")
        ]
        if found:
            return found[0]  # newest first
        assert time.monotonic() < deadline, missing
        time.sleep(0.2)


def wait_for_new_mails(
    server: Any, email: str, subject: str, *, before: int, count: int = 1, containing: str | None = None
) -> list[dict[str, Any]]:
    """The e-mails « subject » to `email` sent since there were `before` of them (`len(mails_to(...))`),
    once there are `count` new ones (waited for up to 10 s); each holds `containing` in its body."""
    deadline = time.monotonic() + 10
    while True:
        sent = mails_to(server, email, subject)
        new = sent[: len(sent) - before]  # newest first
        if len(new) >= count:
            break
        assert time.monotonic() < deadline, f"{len(new)} new e-mail(s) « {subject} » to {email}, {count} expected"
        time.sleep(0.2)
    assert len(new) == count, [m.get("body") for m in new]
    if containing is not None:
        assert all(containing in (m.get("body") or "") for m in new), [m.get("body") for m in new]
    return new


# ---------------------------------------------------------------------- the record of a structure
def reset_record(server: Any, token: str, siret: str) -> None:
    """No pending submission, no draft: a structure record as a test that edits it expects to find it,
    whatever earlier tests left (each test makes or resets the data it needs)."""
    status, view = call(server, "GET", f"/structures/{siret}", token=token)
    assert status == 200, view
    if view["submission"]["state"] == "submitted":
        status, body = call(server, "DELETE", f"/structures/{siret}/submission", token=token)
        assert status == 200, body
    if view["submission"]["state"] in ("submitted", "draft"):
        status, body = call(server, "DELETE", f"/structures/{siret}/draft", token=token)
        assert status == 204, body
    status, view = call(server, "GET", f"/structures/{siret}", token=token)
    assert status == 200 and view["submission"]["state"] == "none", view


# ---------------------------------------------------------------------- the pages
def fill_sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Identifiant (adresse e-mail)").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()


def sign_in(page: Page, account: tuple[str, str]) -> None:
    """Through the sign-in page, to the dashboard."""
    page.goto("/connexion")
    fill_sign_in(page, *account)
    expect(page).to_have_url(DASHBOARD_URL)
    expect(page).to_have_title("Tableau de bord — OFeli")
    expect(page.get_by_role("heading", level=1, name="Tableau de bord")).to_be_visible()


def each(locator: Locator, *, at_least: int = 1) -> list[Locator]:
    """The elements `locator` finds now, after checking it finds at least `at_least` of them: a loop over
    what a page shows must not pass because the page shows nothing. Waits (as `expect` does) for the
    page to render them: a page fills its content after its scripts ran."""
    if at_least:
        expect(locator.nth(at_least - 1)).to_be_attached()
    count = locator.count()
    assert count >= at_least, f"{count} element(s) found, at least {at_least} expected: {locator}"
    return [locator.nth(index) for index in range(count)]


def space_selector(page: Page) -> Locator:
    return page.get_by_role("combobox", name="Espace structure")


def choose_space(page: Page, name: str) -> None:
    space_selector(page).select_option(label=name)


# ---------------------------------------------------------------------- Content-Security-Policy
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const sample = event.sample ? ` « ${event.sample} »` : "";
  window.ofeliCspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "(inline)"} on ${event.documentURI}${sample}`);
}, true);
"""


class CspWatch:
    """Every Content-Security-Policy violation in a browser context's pages: the `securitypolicyviolation`
    events (a listener installed before any page script) and chromium's console reports of them."""

    def __init__(self, context: BrowserContext) -> None:
        self.violations: list[str] = []
        context.expose_function("ofeliCspViolation", self._event)
        context.add_init_script(_CSP_LISTENER)
        context.on("console", self._console)

    def _event(self, text: str) -> None:
        self.violations.append(text)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def settle(self, context: BrowserContext) -> list[str]:
        """The violations so far, once the events already fired in the pages have reached us."""
        for open_page in context.pages:
            if not open_page.is_closed():
                open_page.evaluate("() => new Promise((done) => setTimeout(done, 50))")
        return list(self.violations)


def new_context(browser: Browser, server: Any) -> tuple[BrowserContext, CspWatch]:
    """A browser context on the running stack, its CSP violations watched."""
    context = browser.new_context(base_url=server.url, locale="fr-FR")
    return context, CspWatch(context)


@contextmanager
def other_person(browser: Browser, server: Any, account: tuple[str, str] | None = None) -> Iterator[Page]:
    """A second browser (its own session storage), signed in when `account` is given; a CSP violation in
    it fails the test."""
    context, watch = new_context(browser, server)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        if account:
            sign_in(page, account)
        yield page
        assert watch.settle(context) == [], "Content-Security-Policy violations in the second browser"
    finally:
        context.close()


def axe_violations(page: Page, *, settle: bool = True) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations of the page as it is now (an open dialog, a banner…).

    `settle`: first stop transitions and move the mouse away, for a page the test has been clicking on."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it (npm ci)")
    if settle:
        # Colours are measured as they are: no button left half-way through a hover transition.
        page.emulate_media(reduced_motion="reduce")
        page.mouse.move(0, 0)
        page.wait_for_timeout(200)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated by the driver, not added as an inline <script>, which the site's policy refuses.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return list(
        page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
                return result.violations.map(v =>
                    `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
            }""",
            WCAG,
        )
    )


def assert_no_axe_violation(page: Page, *, settle: bool = True) -> None:
    assert axe_violations(page, settle=settle) == []
