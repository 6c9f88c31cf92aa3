"""`ofeli import-certifications FILE --api URL` against a running `ofeli serve` (issue 9, "Done when": a
moderator imports a France Compétences CSV zip from the shell); what it imported is then found by the
certification search of any signed-in user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support import MODERATOR, OF_USER, api_token, call
from test_cli_organisations import ofeli

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests/fixtures/certifications"
CSV_ZIP = FIXTURES / "export-fiches-csv-2026-11-02.zip"
RS_XML = FIXTURES / "export_fiches_RS_V4_1_2026_11_02.xml"
DEMO = ROOT / "infra/local/demo/export-fiches-csv-2026-11-02.zip"


def test_an_export_is_imported_then_found_by_the_search(server: Any) -> None:
    done = ofeli("import-certifications", str(CSV_ZIP), "--api", server.url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Import terminé : 11 fiches lues" in done.stdout
    assert "entrées refusées : 5" in done.stdout
    assert (
        "  ligne 12 : Fiche RNCP37869 en double : elle a déjà été lue ligne 2 ; cette fiche-ci est ignorée."
        in done.stdout
    )

    token = api_token(server, OF_USER)
    status, found = call(server, "GET", "/certifications?q=rncp%2037869", token=token)
    assert status == 200 and [hit["code"] for hit in found["items"]] == ["RNCP37869"]
    status, detail = call(server, "GET", "/certifications/RNCP37869", token=token)
    assert status == 200 and detail["url"] == "https://www.francecompetences.fr/recherche/rncp/37869/"

    again = ofeli("import-certifications", str(CSV_ZIP), "--api", server.url)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "certifications nouvelles : 0, modifiées : 0, inchangées : 6" in again.stdout


def test_an_xml_export_and_the_demo_referential(server: Any) -> None:
    rs = ofeli("import-certifications", str(RS_XML), "--api", server.url)
    assert rs.returncode == 0, rs.stdout + rs.stderr
    assert "Import terminé : 2 fiches lues" in rs.stdout
    demo = ofeli("import-certifications", str(DEMO), "--api", server.url)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "Import terminé" in demo.stdout

    token = api_token(server, MODERATOR)
    status, found = call(server, "GET", "/certifications?q=RS5678", token=token)
    assert status == 200 and [hit["code"] for hit in found["items"]] == ["RS5678"]


def test_a_file_that_is_not_an_export_exits_non_zero(server: Any, tmp_path: Path) -> None:
    not_an_export = tmp_path / "export-fiches-csv-2026-11-02.zip"
    not_an_export.write_bytes(b"nom;siret\nOF;81432712100012\n")
    failed = ofeli("import-certifications", str(not_an_export), "--api", server.url)
    assert failed.returncode == 1
    assert "Import échoué : " in failed.stdout

    wrong_name = tmp_path / "liste.csv"
    wrong_name.write_text("nom;siret\n", encoding="utf-8")
    refused = ofeli("import-certifications", str(wrong_name), "--api", server.url)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("ofeli : POST /moderation/certification-imports : 422")
