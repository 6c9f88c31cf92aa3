"""`ofeli import-organisations FILE --api URL` against a running `ofeli serve` (issue 8, item 3, "Done
when"): a moderator imports the demo list, finds the demo structure with its Qualiopi labels filled."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from support import HEAD_OFFICE, MODERATOR, api_token, call

ROOT = Path(__file__).resolve().parents[2]
DEMO_LIST = ROOT / "infra/local/demo/liste-publique-des-of.csv"
QUIRKS = ROOT / "tests/fixtures/organismes/liste-particularites.csv"


def ofeli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "OFELI_"))}
    return subprocess.run(
        [sys.executable, "-m", "ofeli_local.cli", *args],
        cwd=ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_demo_list_fills_the_demo_structures_qualiopi(server: Any) -> None:
    done = ofeli("import-organisations", str(DEMO_LIST), "--api", server.url, "--date", "2026-03-02")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Import terminé : 5 lignes lues" in done.stdout
    assert "lignes refusées : 0" in done.stdout

    token = api_token(server, MODERATOR)
    status, found = call(server, "GET", f"/moderation/structures?q={HEAD_OFFICE[0]}", token=token)
    if status == 200:  # the moderators' search (another item of issue 8) finds it
        assert HEAD_OFFICE[0] in str(found)
    status, record = call(server, "GET", f"/structures/{HEAD_OFFICE[0]}", token=token)
    assert status == 200
    (label,) = record["published"]["qualiopi"]
    assert label["categories"] == [
        "Actions de formation",
        "Bilans de compétences",
        "Actions de formation par apprentissage",
    ]
    assert (label["source"], label["list_date"]) == ("Liste publique des OF (DGEFP)", "2026-03-02")

    again = ofeli("import-organisations", str(DEMO_LIST), "--api", server.url, "--date", "2026-03-02")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "organismes nouveaux : 0, modifiés : 0, inchangés : 5" in again.stdout


def test_rejected_lines_are_printed_with_their_numbers(server: Any) -> None:
    done = ofeli("import-organisations", str(QUIRKS), "--api", server.url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "lignes refusées : 6" in done.stdout
    assert "  ligne 7 : certifications.actionsDeFormation : « peut-être » n'est ni true ni false." in done.stdout


def test_a_failed_import_or_a_wrong_password_exits_non_zero(server: Any, tmp_path: Path) -> None:
    not_the_list = tmp_path / "autre.csv"
    not_the_list.write_text("nom;siret\nOF;81432712100012\n", encoding="utf-8")
    failed = ofeli("import-organisations", str(not_the_list), "--api", server.url)
    assert failed.returncode == 1
    assert "Import échoué : Ce fichier n'est pas la liste publique" in failed.stdout

    refused = ofeli(
        "import-organisations", str(DEMO_LIST), "--api", server.url, env={"OFELI_PASSWORD": "Pas-le-bon-2026!"}
    )
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("ofeli : POST /auth/login : 401")


def test_elsewhere_than_the_local_stack_the_account_must_be_given(tmp_path: Path) -> None:
    result = ofeli("import-organisations", str(DEMO_LIST), "--api", "https://api.ofeli.example")
    assert result.returncode == 1
    assert "indiquez le compte de modération" in result.stderr
