"""The session editor's mirrors of the API (web/js/session-etat.js, web/js/lheo-codes.js) are the API's:
labels, red stars, the guide's settings (yearly session, places, hours, comment length), entry types,
rhythms, states, and LHEO's code tables (`ofeli.domain.lheo_codes.DICTIONARIES`)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ofeli.domain import lheo_codes, sessions

ROOT = Path(__file__).resolve().parents[2]


def _page(expression: str, module: str) -> object:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the web's modules are tested with node (Node.js 20)")
    script = f"import * as m from './web/js/{module}'; console.log(JSON.stringify({expression}));"
    run = subprocess.run(
        [node, "--input-type=module", "-e", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_the_page_names_the_fields_as_the_api():
    page = _page("{labels: m.SESSION_LABELS, parts: m.PART_LABELS, required: m.REQUIRED}", "session-etat.js")
    assert page == {
        "labels": sessions.SESSION_LABELS,
        "parts": sessions.PART_LABELS,
        "required": list(sessions.REQUIRED),
    }


def test_the_page_has_the_api_settings():
    page = _page(
        "{yearly: m.YEARLY_SESSION, short: m.SHORT_SESSION_HOURS, application: m.APPLICATION_SEATS,"
        " meeting: m.MEETING_SEATS, meetings: m.MAX_MEETINGS, earliest: m.EARLIEST, latest: m.LATEST,"
        " comment: m.EXPORTED_COMMENT, remote: m.REMOTE_ADDRESS, entries: m.ENTRY_TYPES, rhythms: m.RHYTHMS,"
        " schemes: m.SCHEME_STATES, spans: m.RHYTHM_SPANS, units: m.RHYTHM_UNIT_NAMES,"
        " states: Object.fromEntries(['upcoming', 'running', 'finished', 'archived']"
        ".map((s) => [s, m.stateLabel(s)]))}",
        "session-etat.js",
    )
    assert page == {
        "yearly": [list(pair) for pair in sessions.YEARLY_SESSION],
        "short": sessions.SHORT_SESSION_HOURS,
        "application": list(sessions.APPLICATION_SEATS),
        "meeting": list(sessions.MEETING_SEATS),
        "meetings": sessions.MAX_MEETINGS,
        "earliest": sessions.EARLIEST.strftime("%H:%M"),
        "latest": sessions.LATEST.strftime("%H:%M"),
        "comment": sessions.EXPORTED_COMMENT,
        "remote": sessions.REMOTE_ADDRESS,
        "entries": {code: label for code, (label, _) in sessions.ENTRY_TYPES.items()},
        "rhythms": sessions.RHYTHMS,
        "schemes": sessions.SCHEME_STATES,
        "spans": {code: list(span) for code, span in sessions.RHYTHM_SPANS.items()},
        "units": sessions.RHYTHM_UNIT_NAMES,
        "states": sessions.SESSION_STATE_LABELS,
    }


def test_the_page_knows_the_api_codes():
    page = _page("m.DICTIONARIES", "lheo-codes.js")
    assert page, "no dictionary in web/js/lheo-codes.js"
    for name, table in page.items():  # type: ignore[union-attr]
        assert [list(item) for item in lheo_codes.DICTIONARIES[name].items()] == table, name


def test_the_page_knows_the_api_special_codes():
    page = _page(
        "{remote: m.REMOTE_TEACHING, council: m.REGIONAL_COUNCIL, ft: m.FRANCE_TRAVAIL, open: m.OPEN,"
        " partial: m.PARTIAL, total: m.TOTAL, mixed: m.MIXED_VALIDATION, modalities: m.FRANCE_TRAVAIL_MODALITIES,"
        " modes: m.TEACHING_MODE_CHOICES.map(([c]) => c).sort()}",
        "session-etat.js",
    )
    assert page == {
        "remote": lheo_codes.REMOTE,
        "council": lheo_codes.REGIONAL_COUNCIL,
        "ft": lheo_codes.FRANCE_TRAVAIL,
        "open": lheo_codes.OPEN,
        "partial": lheo_codes.PARTIAL,
        "total": lheo_codes.TOTAL,
        "mixed": lheo_codes.MIXED_VALIDATION,
        "modalities": list(sessions.FRANCE_TRAVAIL_MODALITIES),
        "modes": sorted(lheo_codes.TEACHING_MODES),
    }
