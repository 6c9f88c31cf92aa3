"""Issue 9: the guide's rules on a formation, pure (no AWS): prefill, certifications, submission rules,
warnings, life of a formation, similar formations, pasted text, LHEO levels."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from ofeli.domain.certifications import Certification, CompetenceBlock, lheo_level, normalise_code
from ofeli.domain.offers import (
    LEVELS,
    FormationCreate,
    FormationDraft,
    certification_title,
    prefill,
    session_start_error,
    similar,
    status,
    submission_errors,
    warnings,
)
from ofeli.domain.text import clean_pasted

ROOT = Path(__file__).resolve().parents[2]
LHEO = ROOT.parent / "shared" / "lheo" / "lheo-2.3-dictionaries.xml"
TODAY = date(2026, 11, 30)


def certification(code: str, **fields) -> Certification:
    repertory, number = ("RS", code[2:]) if code.startswith("RS") else ("RNCP", code[4:])
    defaults = {"title": f"Certification {code}", "active": True}
    return Certification(code=code, repertory=repertory, number=int(number), **(defaults | fields))


CAP = certification(
    "RNCP37861",
    title="CAP Boulanger",
    level="NIV3",
    registration_end=date(2030, 12, 31),
    activities="Le boulanger fabrique des pains.\n\n\u2022 pétrissage",
    capacities="Réaliser les produits de panification.",
    blocks=[CompetenceBlock(code="RNCP37861BC01", title="Fabrication")],
)
OLD = certification(
    "RNCP30000", title="Titre ancien", active=False, successors=["RNCP35000"], registration_end=date(2026, 8, 31)
)
NEW = certification("RNCP35000", title="Titre nouveau", level="NIV4", registration_end=date(2031, 1, 1))
GONE = certification("RNCP20000", title="Titre non renouvelé", active=False, registration_end=date(2025, 1, 1))
KNOWN = {c.code: c for c in (CAP, OLD, NEW, GONE)}


def errors(draft: FormationDraft, *, already=frozenset(), contacts=frozenset({"petit"}), starts=()):
    found = submission_errors(draft, KNOWN, already=already, contact_ids=set(contacts), session_starts=list(starts))
    return {e.field: e.message for e in found}


def test_codes_are_read_as_people_type_them():
    assert normalise_code(" rncp 037861 ") == "RNCP37861"
    assert normalise_code("RS-5678") == "RS5678"
    assert normalise_code("37861") is None and normalise_code("RNCPX") is None
    assert (lheo_level("NIV3"), lheo_level("niv8"), lheo_level(None)) == ("13", "18", None)


def test_a_certifying_creation_is_prefilled_from_its_principal_certification():
    draft = prefill(
        FormationCreate(certifying=True, certification_codes=["RNCP35000", "rncp37861"], principal="RNCP37861"),
        KNOWN,
    )
    assert [c.code for c in draft.certifications] == ["RNCP37861", "RNCP35000"]  # the principal first
    assert [c.principal for c in draft.certifications] == [True, False]
    assert (draft.title, draft.entry_level, draft.exit_level) == ("CAP Boulanger", "1", "13")
    assert draft.objective == "Le boulanger fabrique des pains.\n\n- pétrissage"
    assert draft.content == "Réaliser les produits de panification."


def test_a_prefilled_title_names_the_kind_of_certification():
    cap = certification("RNCP1", title="Boulanger", abbreviation_code="CAP", abbreviation_label="Certificat")
    tp = certification("RNCP2", title="Soudeur", abbreviation_code="TP", abbreviation_label="Titre professionnel")
    bts = certification("RNCP3", title="BTS Comptabilité", abbreviation_code="BTS")
    assert [certification_title(c) for c in (cap, tp, bts, CAP)] == [
        "CAP Boulanger",
        "Titre professionnel Soudeur",
        "BTS Comptabilité",
        "CAP Boulanger",
    ]
    with pytest.raises(ValidationError, match="n'est pas un code RNCP"):
        FormationCreate(certifying=True, certification_codes=["boulanger"])
    with pytest.raises(ValidationError, match="deux fois"):
        FormationCreate(certifying=True, certification_codes=["RS1", "rs 1"])


def test_a_creation_without_certification_opens_empty_and_a_given_title_wins():
    assert prefill(FormationCreate(certifying=False, title="Accueil"), KNOWN).title == "Accueil"
    mine = prefill(FormationCreate(certifying=True, certification_codes=["RNCP37861"], title="CAP boulanger"), KNOWN)
    assert mine.title == "CAP boulanger"
    with pytest.raises(ValidationError, match="au moins une certification"):
        FormationCreate(certifying=True)


def test_the_draft_limits_what_it_holds():
    too_many = [{"code": f"RS{n}"} for n in range(1, 7)]
    for bad in (
        {"certifying": True, "certifications": too_many},
        {"certifications": [{"code": "RS1"}, {"code": "rs 1"}]},
        {"certifications": [{"code": "RS1", "principal": True}, {"code": "RS2", "principal": True}]},
        {"certifications": [{"code": "ABC"}]},
        {"title": "x" * 256},
        {"objective": "x" * 3001},
        {"cycle_years": 6},
        {"cycle_years": 0},
        {"exit_level": "9"},
        {"website": "www.of.test"},
    ):
        with pytest.raises(ValidationError):
            FormationDraft.model_validate(bad)
    assert (
        FormationDraft(objective="x" * 3000, cycle_years=5, website=" https://of.test/a ").website
        == "https://of.test/a"
    )
    # not certifying: the certifications are dropped; certifying: the first is the principal by default
    assert FormationDraft(certifying=False, certifications=[{"code": "RS1"}]).certifications == []
    assert (
        FormationDraft(certifying=True, certifications=[{"code": "RS1"}, {"code": "RS2"}]).certifications[0].principal
    )


def test_pasted_text_is_cleaned_as_the_page_cleans_it():
    cases = json.loads((ROOT / "tests" / "fixtures" / "texte-colle.json").read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 10
    for case in cases:
        assert clean_pasted(case["input"], one_line=case.get("one_line", False)) == case["output"], case
    draft = FormationDraft(title="CAP\u00a0boulanger\u00ad\n", content="\u2022 un\r\n\u2022 deux")
    assert (draft.title, draft.content) == ("CAP boulanger", "- un\n- deux")


def test_submission_rules_each_pass_and_fail():
    complete = FormationDraft(title="Boulanger", objective="Fabriquer du pain.", contact_id="petit")
    assert errors(complete) == {}
    assert set(errors(FormationDraft())) == {"title", "objective"}
    assert "au moins une certification" in errors(complete.model_copy(update={"certifying": True}))["certifications"]
    # apprenticeship: the cycle duration is required
    apprentice = complete.model_copy(update={"apprenticeship": True})
    assert "durée de cycle" in errors(apprentice)["cycle_years"]
    assert errors(apprentice.model_copy(update={"cycle_years": 2})) == {}
    # Parcoursup / Affelnet: apprenticeship, exactly one certification
    two = FormationDraft.model_validate(
        complete.model_dump()
        | {
            "certifying": True,
            "apprenticeship": True,
            "parcoursup": True,
            "cycle_years": 2,
            "certifications": [{"code": "RNCP37861"}, {"code": "RNCP35000"}],
        }
    )
    assert "une seule certification" in errors(two)["certifications"]
    one = two.model_copy(update={"certifications": two.certifications[:1]})
    assert errors(one) == {}
    assert "apprentissage" in errors(complete.model_copy(update={"parcoursup": True}))["parcoursup"]
    # the contact is one of the responsible structure's
    assert "contact" in errors(complete, contacts=frozenset())["contact_id"]


def test_an_inactive_certification_cannot_be_chosen_but_stays_on_a_formation_that_had_it():
    draft = FormationDraft.model_validate(
        {"title": "T", "objective": "O", "certifying": True, "certifications": [{"code": "RNCP30000"}]}
    )
    message = errors(draft)["certifications.0"]
    assert "n'est plus active" in message and "RNCP35000 (Titre nouveau)" in message
    assert (
        "pas été renouvelée"
        in errors(FormationDraft.model_validate(draft.model_dump() | {"certifications": [{"code": "RNCP20000"}]}))[
            "certifications.0"
        ]
    )
    assert errors(draft, already=frozenset({"RNCP30000"})) == {}
    unknown = FormationDraft.model_validate(
        {"title": "T", "objective": "O", "certifying": True, "certifications": [{"code": "RS999"}]}
    )
    assert "pas dans le référentiel" in errors(unknown)["certifications.0"]


def test_sessions_may_not_start_after_the_end_of_registration():
    assert session_start_error(date(2026, 8, 31), [OLD], KNOWN) is None
    late = session_start_error(date(2026, 9, 1), [OLD], KNOWN)
    assert late is not None and "31/08/2026" in late and "RNCP35000 (Titre nouveau)" in late
    assert "pas été renouvelée" in (session_start_error(date(2025, 2, 1), [GONE], KNOWN) or "")
    draft = FormationDraft.model_validate(
        {"title": "T", "objective": "O", "certifying": True, "certifications": [{"code": "RNCP30000"}]}
    )
    found = errors(draft, already=frozenset({"RNCP30000"}), starts=[("S0000009", date(2027, 1, 4))])
    assert set(found) == {"sessions.S0000009.start_date"}


def test_warnings_follow_the_guide_without_blocking():
    def said(**fields):
        return {w.field: w.message for w in warnings(FormationDraft(**fields))}

    assert said(title="Boulanger", objective="Fabriquer du pain.") == {}
    assert "majuscules" in said(title="FORMATION BOULANGER")["title"]
    assert "majuscules" in said(objective="FABRIQUER DU PAIN ET DES VIENNOISERIES")["objective"]
    assert "sigles (CAP)" in said(title="CAP boulanger")["title"]
    assert said(title="Niveau IV en boulangerie") == {}
    apprentice = "Bac pro maintenance et efficacité énergétique - 1ère, 2ème et 3ème année (en apprentissage)"
    assert "title" not in said(title=apprentice, apprenticeship=True)
    assert "(en apprentissage)" in said(title="Maintenance des véhicules", apprenticeship=True)["title"]


def test_the_life_of_a_formation():
    def state(**given):
        return status(
            **({"published": True, "pending": False, "sessions_end": None, "archived": False, "today": TODAY} | given)
        )

    assert state(published=False) == "en_creation"
    assert state(published=False, pending=True) == "en_attente"
    assert state(pending=True) == "en_attente"
    assert state() == "publiee"
    assert state(sessions_end=TODAY) == "publiee"
    assert state(sessions_end=date(2026, 11, 29)) == "terminee"
    assert state(sessions_end=date(2026, 11, 29), archived=True) == "archivee"
    assert state(archived=True) == "publiee"  # not before its last session ends


def test_similar_formations_share_a_certification_or_a_close_title():
    mine = [
        ("F1", "CAP boulanger", ["RNCP37861"]),
        ("F2", "Assistant de comptabilité et d'administration", []),
        ("F3", "Pâtisserie de boutique", []),
    ]
    assert similar("Boulangerie", ["RNCP37861"], mine) == [("F1", "CAP boulanger", "Même certification (RNCP37861)")]
    assert similar("Assistant comptabilité", [], mine) == [
        ("F2", "Assistant de comptabilité et d'administration", "Intitulé proche")
    ]
    assert similar("Soudure", ["RS1"], mine) == []


@pytest.mark.skipif(not LHEO.exists(), reason="LHEO dictionaries not available")
def test_levels_match_lheo():
    root = ET.parse(LHEO).getroot()
    (table,) = [d for d in root.iter() if d.tag.endswith("dict") and d.get("name") == "dict-niveaux"]
    entries = {
        next(e for e in entry if e.tag.endswith("key")).get("val"): next(
            e for e in entry if e.tag.endswith("value")
        ).get("val")
        for entry in table
        if entry.tag.endswith("entry")
    }
    assert set(entries) == set(LEVELS)
    for code, label in LEVELS.items():
        assert entries[code].startswith(label), (code, label)
