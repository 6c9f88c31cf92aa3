"""The personal-data policy, the legal notices and the accessibility statement: linked from the footer of
every page, public or signed in, and from the consent box of the account request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from support import MODERATOR, SINGLE_OF_USER, sign_in

WEB = Path(__file__).resolve().parents[2] / "web"
POLICIES = {
    "Données personnelles": ("/donnees-personnelles", "Politique de protection des données personnelles"),
    "Mentions légales": ("/mentions-legales", "Mentions légales"),
    "Accessibilité : non conforme": ("/accessibilite", "Déclaration d'accessibilité"),
}


def footer_links_work(page: Page) -> None:
    footer = page.get_by_role("contentinfo").get_by_role("navigation", name="Informations légales")
    for label, (path, _heading) in POLICIES.items():
        link = footer.get_by_role("link", name=label, exact=True)
        expect(link).to_have_attribute("href", path)
    for label, (path, heading) in POLICIES.items():
        page.get_by_role("contentinfo").get_by_role("link", name=label, exact=True).click()
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_every_page_has_the_footer_once() -> None:
    pages = sorted(WEB.glob("*.html")) + sorted((WEB / "moderation").glob("*.html"))
    assert len(pages) >= 14
    for html in pages:
        text = html.read_text(encoding="utf-8")
        assert text.count('<footer class="pied">') == 1, html.name
        for path, _ in POLICIES.values():
            assert f'href="{path}"' in text, (html.name, path)


def test_the_footer_of_a_public_page_links_to_the_three_pages(page: Page) -> None:
    page.goto("/connexion")
    footer_links_work(page)


@pytest.mark.parametrize("account", [SINGLE_OF_USER, MODERATOR], ids=["of", "moderator"])
def test_the_footer_of_a_signed_in_page_links_to_the_three_pages(page: Page, account) -> None:
    sign_in(page, account)
    footer_links_work(page)


def test_the_consent_box_points_to_the_data_policy(page: Page) -> None:
    page.goto("/creer-un-compte")
    link = page.locator("#donnees-texte").get_by_role("link", name=re.compile("politique de\\s+gestion des données"))
    expect(link).to_have_attribute("href", "/donnees-personnelles")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Politique de protection des données personnelles")
    expect(page.get_by_role("heading", level=2, name="Vos droits")).to_be_visible()
