"""Browser fixtures: Playwright for Python driving Debian's chromium (never a downloaded browser)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# The shared helpers' own asserts say what they compared, as the tests' asserts do.
pytest.register_assert_rewrite("support")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: `make test` installs Debian's chromium when run as root")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def csp_watch(browser, server) -> Iterator[tuple[object, object]]:
    """A browser context and the watch of its Content-Security-Policy violations (see `page`)."""
    from support import new_context  # after register_assert_rewrite

    context, watch = new_context(browser, server)
    yield context, watch
    context.close()


@pytest.fixture
def page(csp_watch, request) -> Iterator[object]:
    """A page on the running stack. The test fails at teardown if the page broke the site's
    Content-Security-Policy (an inline script or style, a `javascript:` URL, a call to another origin)."""
    context, watch = csp_watch
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    violations = watch.settle(context)
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
