"""The web's pure modules under `node --test` (tests/web/*.test.mjs), and what the page and the API must
judge alike: the password rules (web/js/mot-de-passe.js, ofeli.domain.passwords), the cleaning of pasted
text (web/js/texte-colle.js, ofeli.domain.text.clean_pasted) and the LHEO levels (web/js/niveaux.js,
ofeli.domain.offers.LEVELS)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ofeli.domain.offers import LEVELS
from ofeli.domain.passwords import missing_rules
from ofeli.domain.text import clean_pasted

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


# Beyond tests/fixtures/texte-colle.json (which both sides pass): odd mixes, to catch a difference of regex engines.
PASTED = [
    "",
    "   ",
    "\u2022",
    "\u2022\u2022 double puce",
    "a\u00a0\u00a0\u00a0b",
    "\r\r\r\rfin",
    "\u200b\n\u200b\n\u200b\n\u200bx",
    "Objectif :\t\u2022\tsavoir\u000b faire",
    "ligne\u2029\u2029\u2029\u2029autre",
    "\uf0a7 Word\n\uf0d8 Symbol\n  \u2714 coché",
    "\u3000pleine chasse\u3000",
    "\u0085C1 et\u009f fin",
    "tiret\u00ad \u00ad mou",
    "Émile · Zola — « Germinal »",
]


def test_the_page_and_the_api_clean_pasted_text_alike():
    script = (
        "import { cleanPasted } from './web/js/texte-colle.js';"
        "const texts = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(texts.flatMap((t) => [cleanPasted(t), cleanPasted(t, { oneLine: true })])));"
    )
    run = _node("--input-type=module", "-e", script, json.dumps(PASTED))
    assert run.returncode == 0, run.stderr
    page = json.loads(run.stdout)
    api = [cleaned for t in PASTED for cleaned in (clean_pasted(t), clean_pasted(t, one_line=True))]
    assert page == api


def test_the_page_knows_the_api_levels():
    script = "import { LEVELS } from './web/js/niveaux.js'; console.log(JSON.stringify(LEVELS));"
    run = _node("--input-type=module", "-e", script)
    assert run.returncode == 0, run.stderr
    assert {level["code"]: level["label"] for level in json.loads(run.stdout)} == LEVELS
