"""The web's pure modules under `node --test` (tests/web/*.test.mjs), and the page's password rules
(web/js/mot-de-passe.js) against the API's (ofeli.domain.passwords): the same verdict on every password."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ofeli.domain.passwords import missing_rules

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
PASSWORDS = [
    "",
    "formation",
    "Formation",
    "Form-26",
    "Formation-2026!",
    "élèveécole1",
    "Élève école",
    "ÉCOLE٣٣٣٣",
    "Ecole€2026",
    "A!😀😀😀😀😀",
    "ABCDEFGH_",
    "abcdefgh\t!",
    "ǅungla-bis",  # a title-case letter: neither side counts it as a capital
]


def _node(*args: str) -> subprocess.CompletedProcess[str]:
    if NODE is None:
        pytest.fail("node is missing: the web's modules are tested with node --test (Node.js 20)")
    return subprocess.run([NODE, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


def test_the_web_modules_pass_their_node_tests():
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "web").glob("*.test.mjs"))
    assert files, "no node test in tests/web"
    run = _node("--test", *files)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_page_and_the_api_judge_passwords_alike():
    script = (
        "import { PASSWORD_RULES } from './web/js/mot-de-passe.js';"
        "const passwords = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(passwords.map((p) => PASSWORD_RULES.map((r) => r.met(p)))));"
    )
    run = _node("--input-type=module", "-e", script, json.dumps(PASSWORDS))
    assert run.returncode == 0, run.stderr
    page = json.loads(run.stdout)
    labels = ["au moins 8 caractères", "une majuscule", "un caractère spécial"]
    api = [[label not in missing_rules(p) for label in labels] for p in PASSWORDS]
    assert page == api, [(p, a, b) for p, a, b in zip(PASSWORDS, page, api, strict=True) if a != b]
