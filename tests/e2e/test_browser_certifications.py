"""The page *Certifications* (/moderation/certifications): a moderator imports a France Compétences export,
follows it to its counts and rejected lines, and searches what is loaded (issue 9, items 1 and 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from support import MODERATOR, assert_no_axe_violation, sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CSV_ZIP = ROOT / "tests/fixtures/certifications/export-fiches-csv-2026-11-02.zip"


def test_a_moderator_imports_an_export_and_searches_the_referential(page: Page, server: Any) -> None:
    sign_in(page, MODERATOR)
    page.wait_for_load_state("networkidle")  # the dashboard has drawn its menu for good (badges included)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Certifications").click()
    expect(page).to_have_title("Référentiel des certifications — OFeli")
    # what the demo referential holds is listed at once, the active certifications first
    results = page.locator("#resultats")
    expect(results.get_by_role("table", name="Certifications")).to_be_visible()

    page.locator("#fichier-export").set_input_files(str(CSV_ZIP))
    expect(page.locator("#fichier-choisi")).to_contain_text("Fichier choisi : export-fiches-csv-2026-11-02.zip")
    page.get_by_role("button", name="Importer le référentiel").click()

    follow = page.get_by_role("region", name="Suivi de l'import")
    expect(follow.get_by_role("status")).to_contain_text("Import terminé : 11 fiches lues", timeout=30_000)
    expect(follow.get_by_role("definition").first).to_have_text("11")  # Fiches lues
    table = follow.get_by_role("table", name="5 lignes refusées")
    expect(table.get_by_role("row")).to_have_count(6)
    expect(table.get_by_role("row", name="12 Fiche RNCP37869 en double")).to_be_visible()
    assert "import=" in page.url  # a reload goes on following it

    search = page.get_by_role("search", name="Rechercher une certification")
    search.get_by_label("Intitulé, code RNCP, RS ou Certifinfo").fill("rncp 34567")
    search.get_by_role("button", name="Rechercher").click()
    expect(results.get_by_role("heading")).to_have_text("1 certification trouvée")
    row = results.get_by_role("row", name="RNCP34567")
    expect(row).to_contain_text("Assistant comptable")
    expect(row).to_contain_text("Remplacée par RNCP38888 (Assistant comptable)")
    expect(row.get_by_role("link", name="RNCP34567")).to_have_attribute(
        "href", "https://www.francecompetences.fr/recherche/rncp/34567/"
    )
    assert_no_axe_violation(page)


def test_a_file_of_another_kind_is_refused_before_sending(page: Page, server: Any, tmp_path: Path) -> None:
    other = tmp_path / "liste.csv"
    other.write_text("nom;siret\n", encoding="utf-8")
    sign_in(page, MODERATOR)
    page.goto("/moderation/certifications")
    page.locator("#fichier-export").set_input_files(str(other))
    expect(page.locator("#fichier-choisi")).to_contain_text("n'est ni une archive zip (.zip) ni un fichier XML")
    page.get_by_role("button", name="Importer le référentiel").click()
    expect(page.locator("#import-erreur")).to_contain_text("Le fichier choisi ne peut pas être importé.")
    expect(page.get_by_role("region", name="Suivi de l'import")).to_have_count(0)
