"""Every page against axe-core's WCAG 2.1 A/AA rules (RGAA's automatable part), in Debian's chromium.

axe-core comes from npm (package.json; `make test` installs it). A violation fails the test with
the rule, its help text and the elements at fault.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from support import MODERATOR, SINGLE_OF_USER, axe_violations, sign_in


def settled(page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_count(1)


PUBLIC = [
    "/connexion",
    "/creer-un-compte",
    "/mot-de-passe-oublie",
    "/activation?key=inconnue",
    "/activation",
    "/donnees-personnelles",
    "/mentions-legales",
    "/accessibilite",
]
OF_PAGES = [
    "/",
    "/ma-structure",
    "/messagerie",
    "/mon-compte",
    "/contacts",
    "/formations",
    "/nouvelle-formation",
    "/formation?ref=F0000003",
]
MODERATOR_PAGES = [
    "/",
    "/moderation/demandes-de-compte",
    "/moderation/comptes",
    "/moderation/file",
    "/moderation/liste-des-of",
    "/moderation/certifications",
    "/formation?ref=F0000001",
    "/messagerie",
    "/mon-compte",
]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages(page, path):
    settled(page, path)
    assert axe_violations(page, settle=False) == []


@pytest.mark.parametrize("path", OF_PAGES)
def test_pages_of_an_of_user(page, path):
    sign_in(page, SINGLE_OF_USER)
    settled(page, path)
    assert axe_violations(page, settle=False) == []


@pytest.mark.parametrize("path", MODERATOR_PAGES)
def test_pages_of_a_moderator(page, path):
    sign_in(page, MODERATOR)
    settled(page, path)
    assert axe_violations(page, settle=False) == []


def test_the_local_mailbox(page):
    settled(page, "/_local/mail")
    assert axe_violations(page, settle=False) == []
