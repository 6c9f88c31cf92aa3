"""The LHEO contact types copied in the domain match /work/shared/lheo's dictionary."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ofeli.domain.structures import CONTACT_TYPES

LHEO = Path("/work/shared/lheo/lheo-2.3-dictionaries.xml")


@pytest.mark.skipif(not LHEO.exists(), reason="LHEO dictionaries not available")
def test_contact_types_match_lheo():
    root = ET.parse(LHEO).getroot()
    (table,) = [d for d in root.iter() if d.tag.endswith("dict") and d.get("name") == "dict-type-contact"]
    entries = {
        next(e for e in entry if e.tag.endswith("key")).get("val"): next(
            e for e in entry if e.tag.endswith("value")
        ).get("val")
        for entry in table
        if entry.tag.endswith("entry")
    }
    assert entries == CONTACT_TYPES
