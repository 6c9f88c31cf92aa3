"""The contact types of the moderators' contact form (web/js/types-contact.js) are the API's (CONTACT_TYPES)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ofeli.domain.structures import CONTACT_TYPES

ROOT = Path(__file__).resolve().parents[2]


def test_the_page_and_the_api_know_the_same_contact_types():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the web's modules are tested with node (Node.js 20)")
    script = (
        "import { CONTACT_TYPES } from './web/js/types-contact.js';"
        "console.log(JSON.stringify(CONTACT_TYPES.map((t) => [t.code, t.label])));"
    )
    run = subprocess.run(
        [node, "--input-type=module", "-e", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [list(item) for item in CONTACT_TYPES.items()]
