"""The LHEO code tables copied in the domain match /work/shared/lheo's dictionaries and XSD."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ofeli.domain.lheo_codes import DICTIONARIES, FINANCERS, RECRUITMENT_MODALITIES

SHARED = Path(__file__).resolve().parents[3] / "shared" / "lheo"  # beside the repository, as DESIGN.md says
DICTIONARY_FILE = SHARED / "lheo-2.3-dictionaries.xml"
SCHEMA_FILE = SHARED / "lheo-2.3.xsd"


def _tables() -> dict[str, dict[str, str]]:
    root = ET.parse(DICTIONARY_FILE).getroot()
    tables: dict[str, dict[str, str]] = {}
    for table in root.iter():
        if not table.tag.endswith("dict"):
            continue
        entries: dict[str, str] = {}
        for entry in table:
            if not entry.tag.endswith("entry"):
                continue
            value = next(e for e in entry if e.tag.endswith("value")).get("val") or ""
            for key in (e for e in entry if e.tag.endswith("key")):
                entries[key.get("val") or ""] = value
        tables[table.get("name") or ""] = entries
    return tables


@pytest.mark.skipif(not DICTIONARY_FILE.exists(), reason="LHEO dictionaries not available")
@pytest.mark.parametrize("name", sorted(DICTIONARIES))
def test_a_copied_table_matches_the_dictionary(name):
    expected = _tables()[name]
    copied = DICTIONARIES[name]
    assert set(copied) == set(expected)
    if name == "dict-niveaux":  # the European levels keep the first sentence (tests/unit/test_formation_rules.py)
        assert all(expected[code].startswith(label) for code, label in copied.items())
    else:
        assert copied == expected


@pytest.mark.skipif(not SCHEMA_FILE.exists(), reason="LHEO schema not available")
@pytest.mark.parametrize(
    ("simple_type", "codes"),
    [("code-financeur-subtype", FINANCERS), ("modalite-recrutement-subtype", RECRUITMENT_MODALITIES)],
)
def test_the_schema_accepts_the_codes(simple_type, codes):
    root = ET.parse(SCHEMA_FILE).getroot()
    xs = "{http://www.w3.org/2001/XMLSchema}"
    (node,) = [t for t in root.iter(f"{xs}simpleType") if t.get("name") == simple_type]
    assert {e.get("value") for e in node.iter(f"{xs}enumeration")} == set(codes)
