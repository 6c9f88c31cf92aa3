"""The page *Liste des OF* (/moderation/liste-des-of): a moderator imports the DGEFP's list and follows it;
the account requests then say what the list says of their SIRET and NDA (issue 8, item 3)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from support import MODERATOR, assert_no_axe_violation, call, sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
QUIRKS = ROOT / "tests/fixtures/organismes/liste-particularites.csv"


def test_a_moderator_imports_the_list_and_sees_the_rejected_lines(page: Page, server: Any) -> None:
    sign_in(page, MODERATOR)
    page.wait_for_load_state("networkidle")  # the dashboard has drawn its menu for good (badges included)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Liste des OF").click()
    expect(page).to_have_title("Liste publique des organismes de formation — OFeli")
    page.wait_for_load_state("networkidle")  # the page's module listens to the file input (a busy machine: later)
    page.get_by_label("Date de la liste").fill("2026-03-02")
    page.locator("#fichier-liste").set_input_files(str(QUIRKS))
    expect(page.locator("#fichier-choisi")).to_contain_text("Fichier choisi : liste-particularites.csv")
    page.get_by_role("button", name="Importer la liste").click()

    follow = page.get_by_role("region", name="Suivi de l'import")
    expect(follow.get_by_role("status")).to_contain_text("Import terminé", timeout=30_000)
    expect(follow).to_contain_text("Lignes refusées")
    table = follow.get_by_role("table", name="6 lignes refusées")
    expect(table.get_by_role("row")).to_have_count(7)
    expect(table.get_by_role("row", name="7 certifications.")).to_contain_text("« peut-être » n'est ni true ni false")
    assert "import=" in page.url  # a reload goes on following it
    assert_no_axe_violation(page)


def test_an_account_request_says_what_the_list_says(page: Page, server: Any) -> None:
    email = f"liste-of-{uuid.uuid4().hex[:8]}@exemple-of.test"
    request = {
        "siret": "41298765400016",  # the Atelier Normand, asking with the demo head office's NDA
        "nda": "28140000014",
        "contact": {"last_name": "Liste", "first_name": "Camille", "phone": "02 31 00 00 00", "email": email},
        "accept_privacy_policy": True,
    }
    status, _ = call(server, "POST", "/account-requests", request)
    assert status == 202
    sign_in(page, MODERATOR)
    page.goto("/moderation/liste-des-of")
    page.wait_for_load_state("networkidle")
    page.locator("#fichier-liste").set_input_files(str(QUIRKS))
    page.get_by_role("button", name="Importer la liste").click()
    expect(page.get_by_role("region", name="Suivi de l'import").get_by_role("status")).to_contain_text(
        "Import terminé", timeout=30_000
    )
    page.goto("/moderation/demandes-de-compte")
    row = page.get_by_role("row").filter(has_text=email)
    expect(row).to_contain_text("Liste publique des OF : NDA d'un autre organisme.")
    expect(row).to_contain_text("OF Démo Formation; Caen")
