"""Every page against axe-core's WCAG 2.1 A/AA rules (RGAA's automatable part), in Debian's chromium.

axe-core comes from npm (package.json; `make test` installs it). A violation fails the test with
the rule, its help text and the elements at fault.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OF = ("contact@atelier-normand.test", "Organisme-2026!")
MODERATOR = ("moderation@carif-oref.test", "Moderation-2026!")


def violations(page) -> list[str]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it (npm ci)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
            return result.violations.map(v =>
                `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
        }""",
        RULES,
    )
    return list(found)


def settled(page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_count(1)


def sign_in(page, email: str, password: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Identifiant (adresse e-mail)").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1, name="Tableau de bord")).to_be_visible()


PUBLIC = ["/connexion", "/creer-un-compte", "/mot-de-passe-oublie", "/activation?key=inconnue", "/activation"]
OF_PAGES = ["/", "/ma-structure", "/messagerie"]
MODERATOR_PAGES = ["/", "/moderation/demandes-de-compte", "/moderation/comptes", "/moderation/file", "/messagerie"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages(page, path):
    settled(page, path)
    assert violations(page) == []


@pytest.mark.parametrize("path", OF_PAGES)
def test_pages_of_an_of_user(page, path):
    sign_in(page, *OF)
    settled(page, path)
    assert violations(page) == []


@pytest.mark.parametrize("path", MODERATOR_PAGES)
def test_pages_of_a_moderator(page, path):
    sign_in(page, *MODERATOR)
    settled(page, path)
    assert violations(page) == []


def test_the_local_mailbox(page):
    settled(page, "/_local/mail")
    assert violations(page) == []
