"""Issue 12: the LHEO 2.3 writer. Every file written here is validated against the official XSD
(../shared/lheo/lheo-2.3.xsd), and its content read back."""

from __future__ import annotations

import io
from datetime import date, time
from functools import cache
from pathlib import Path
from typing import Any

import offers_factory as factory
import pytest
from lxml import etree

from ofeli.domain import lheo_codes as lheo
from ofeli.domain.exports import Offer, Report
from ofeli.domain.sessions import (
    EXPORTED_COMMENT,
    AlternanceRhythm,
    ApprenticeshipCycle,
    CertificationBlocks,
    Equipment,
    FundingLine,
    Period,
    Place,
    RecruitmentModality,
    SessionAddress,
    SessionContact,
    TimeRange,
)
from ofeli.domain.structures import CONTACT_TYPES, Address
from ofeli.lheo import writer
from ofeli.lheo.schema import NS, Shapes, schema, schema_error, skeleton

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL = ROOT.parent / "shared/lheo/lheo-2.3.xsd"
COPY = ROOT / "layers/ofeli/ofeli/data/lheo-2.3.xsd"
L = {"l": NS}


@cache
def official() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(OFFICIAL)))


def written(*offers: Offer) -> tuple[etree._Element, Report]:
    """The file written for `offers`, validated against the official XSD, and the report; written with an
    auditing `Shapes`: each shape key stands for one skeleton (`ofeli.lheo.schema`)."""
    out = io.BytesIO()
    report = writer.write(offers, out, generated_at=factory.GENERATED, shapes=Shapes(audit=True))
    document = etree.fromstring(out.getvalue())
    checker = official()
    assert checker.validate(document), checker.error_log
    return document, report


def text(node: etree._Element, path: str) -> list[str]:
    return [e.text or "" for e in node.xpath(path, namespaces=L)]


def test_the_layer_ships_the_official_schema_byte_for_byte() -> None:
    assert COPY.read_bytes() == OFFICIAL.read_bytes()


def test_a_complete_formation_maps_field_by_field() -> None:
    document, report = written(factory.offer())
    assert (report.formations, report.sessions, report.rejected) == (1, 2, [])
    assert document.get("datecrea") == "20261130"
    formation = document.find("l:offres/l:formation", L)
    assert formation is not None
    assert (formation.get("numero"), formation.get("datemaj")) == ("F0000001", "20261102")
    assert text(formation, "l:domaine-formation/l:code-FORMACODE") == ["23054"]
    assert text(formation, "l:domaine-formation/l:code-NSF") == ["254"]  # 254s: LHEO holds 3 characters
    assert text(formation, "l:intitule-formation") == ["Titre professionnel Soudeur assembleur industriel"]
    assert text(formation, "l:certifiante") == ["1"]
    assert text(formation, "l:certification/l:code-RNCP") == ["35000"]
    assert text(formation, "l:certification/l:code-CERTIFINFO") == ["110005"]
    assert text(formation, "l:code-niveau-sortie") == ["13"]
    assert text(formation, "l:contact-formation/l:coordonnees/l:nom") == ["Martin"]
    assert text(formation, "l:contact-formation/l:coordonnees/l:portable/l:numtel") == ["06 12 34 56 78"]
    assert text(formation, "l:url-formation/l:urlweb") == ["https://www.of-demo.test/formations/f0000001"]
    actions = formation.findall("l:action", L)
    assert [a.get("numero") for a in actions] == ["S0000012", "S0000013"]
    action = actions[0]
    assert text(action, "l:rythme-formation") == ["Temps plein. 35 heures par semaine."]
    assert text(action, "l:modalites-enseignement") == [lheo.ON_SITE]
    assert text(action, "l:conditions-specifiques") == ["Savoir lire et écrire."]
    assert text(action, "l:prise-en-charge-frais-possible") == ["1"]
    assert text(action, "l:lieu-de-formation/l:coordonnees/l:adresse/l:denomination") == ["Centre de Caen"]
    assert text(action, "l:lieu-de-formation/l:coordonnees/l:adresse/l:code-INSEE-commune") == ["14118"]
    assert text(action, "l:lieu-de-formation/l:coordonnees/l:adresse/l:departement") == ["14"]
    assert text(action, "l:modalites-entrees-sorties") == ["0"]
    assert text(action, "l:url-action/l:urlweb") == ["https://www.of-demo.test/sessions/s0000012"]
    assert text(action, "l:nombre-heures-total") == ["540"]
    assert text(action, "l:organisme-formateur/l:SIRET-formateur/l:SIRET") == [factory.RESPONSIBLE]
    assert text(action, "l:organisme-financeur/l:code-financeur") == ["2"]
    assert text(action, "l:organisme-financeur/l:nb-places-financees") == ["12"]
    assert text(action, "l:organisme-financeur/l:extras/l:extra[@info='mesure']") == ["QUALIF_COLLECTIF"]
    assert text(action, "l:equipement/l:type-equipement") == ["6"]
    session = action.find("l:session", L)
    assert session is not None and session.get("numero") == "S0000012"
    assert text(session, "l:periode/l:debut") == ["20270104"]
    assert text(session, "l:periode/l:fin") == ["20270630"]
    assert text(session, "l:adresse-inscription/l:adresse/l:denomination") == ["Accueil du centre"]
    assert text(session, "l:etat-recrutement") == [lheo.OPEN]
    isc, ico = session.findall("l:recrutement", L)
    assert (isc.get("numero"), ico.get("numero")) == ("S0000012-1", "S0000012-2")
    assert text(isc, "l:periode/l:debut") == ["20261101"]
    assert text(ico, "l:a-distance") == ["0"]
    assert text(ico, "l:adresse/l:ville") == ["Caen"]
    assert text(ico, "l:heure-debut") + text(ico, "l:heure-fin") == ["09:30", "11:30"]
    assert text(session, "l:contact-session/l:type-contact") == ["3"]
    responsible = formation.find("l:organisme-formation-responsable", L)
    assert responsible is not None
    assert text(responsible, "l:numero-activite") == [factory.NDA]
    assert text(responsible, "l:SIRET-organisme-formation/l:SIRET") == [factory.RESPONSIBLE]
    assert text(responsible, "l:coordonnees-organisme/l:coordonnees/l:adresse/l:ville") == ["Caen"]


def test_no_session_url_and_another_trainer() -> None:
    session = factory.session(website=None, trainer_siret=factory.TRAINER)
    document, _ = written(factory.offer(sessions=(session,)))
    action = document.find("l:offres/l:formation/l:action", L)
    assert action is not None
    assert action.find("l:url-action", L) is None
    assert text(action, "l:organisme-formateur/l:SIRET-formateur/l:SIRET") == [factory.TRAINER]
    assert text(action, "l:organisme-formateur/l:raison-sociale-formateur") == ["Antenne de Rouen"]


def test_a_remote_information_meeting_gets_france_travails_remote_address() -> None:
    remote = RecruitmentModality(
        code=lheo.INFORMATION_MEETING,
        number="S0000012-2",
        seats=30,
        date=date(2026, 12, 10),
        hours=TimeRange(start=time(14, 0), end=time(16, 0)),
        remote=True,
    )
    document, _ = written(factory.offer(sessions=(factory.session(recruitment=[remote]),)))
    (ico,) = document.xpath("//l:recrutement", namespaces=L)
    assert text(ico, "l:a-distance") == ["1"]
    assert text(ico, "l:adresse/l:ligne") == ["Lieu de formation à distance"]
    assert text(ico, "l:adresse/l:codepostal") + text(ico, "l:adresse/l:ville") == ["75000", "Paris"]


def test_several_financers_each_their_line() -> None:
    funding = [
        FundingLine(financer="4", measure="AIF", publics=["demandeur_emploi"], seats=3),
        FundingLine(
            financer="2", measure="QUALIF_COLLECTIF", market_number="2026-REG-0012", scheme_state="conventionne"
        ),
        FundingLine(financer="10", measure="AUTOFINANCEMENT", recruitment_state="2"),
    ]
    document, _ = written(factory.offer(sessions=(factory.session(funding=funding),)))
    action = document.find("l:offres/l:formation/l:action", L)
    assert action is not None
    assert text(action, "l:organisme-financeur/l:code-financeur") == ["4", "2", "10"]
    assert text(action, "l:organisme-financeur/l:extras/l:extra[@info='numero-marche']") == ["2026-REG-0012"]
    assert text(action, "l:conventionnement") == ["1"]
    assert text(action, "l:session/l:etat-recrutement") == [lheo.OPEN]  # open while one line is
    assert text(action, "l:code-public-vise") == [writer.UNKNOWN_PUBLIC]  # no Formacode in the referential


def test_apprenticeship_cycles_and_competence_blocks() -> None:
    document, _ = written(factory.apprenticeship_offer())
    action = document.find("l:offres/l:formation/l:action", L)
    assert action is not None
    assert text(action, "l:duree-cycle") == ["2"]
    cycles = action.findall("l:session/l:cycle", L)
    assert [text(c, "l:annee-cycle") for c in cycles] == [["1"], ["2"]]
    assert text(cycles[0], "l:alternance/l:type-alternance") == [lheo.APPRENTICESHIP_CONTRACT]
    assert text(cycles[0], "l:alternance/l:rythme-alternance/l:unite-rythme-alternance") == ["3"]
    assert text(cycles[0], "l:alternance/l:rythme-alternance/l:unites-entreprise") == ["3"]
    assert text(cycles[0], "l:alternance/l:rythme-alternance/l:unites-centre") == ["1"]
    blocks = action.find("l:session/l:blocs-competences", L)
    assert blocks is not None
    assert text(blocks, "l:validation-blocs") == [lheo.PARTIAL]
    assert text(blocks, "l:reference-certification/l:reference-code-RNCP") == ["35000"]
    assert text(blocks, "l:bloc-competences/l:code-bloc") == ["RNCP35000BC01"]
    assert text(blocks, "l:bloc-competences/l:libelle-bloc") == ["Bloc 1 de RNCP35000"]


def test_a_formation_without_session_is_reported_and_the_file_stays_valid() -> None:
    document, report = written(factory.offer("F0000001"), factory.offer("F0000002", sessions=()))
    assert [f.get("numero") for f in document.xpath("//l:formation", namespaces=L)] == ["F0000001"]
    assert [r.ref for r in report.rejected] == ["F0000002"]
    assert "aucune session" in report.rejected[0].reason


def test_texts_are_escaped_and_forbidden_characters_removed() -> None:
    title = 'Soudure <TIG> & MIG "expert"\x01\x0b'
    content = "Ligne 1\nLigne 2\x00\ufffe fin"
    document, _ = written(factory.offer(formation=factory.formation(title=title, content=content)))
    assert text(document, "//l:intitule-formation") == ['Soudure <TIG> & MIG "expert"']
    assert text(document, "//l:contenu-formation") == ["Ligne 1\nLigne 2 fin"]


def test_a_long_comment_is_cut_to_what_france_travail_reads() -> None:
    comment = "Venez avec votre CV. " * 100
    modality = RecruitmentModality(code="3", comment=comment)
    document, _ = written(factory.offer(sessions=(factory.session(recruitment=[modality]),)))
    (written_comment,) = text(document, "//l:recrutement/l:commentaire")
    assert written_comment == comment[:EXPORTED_COMMENT]


def test_a_formation_the_schema_would_refuse_is_reported_not_written() -> None:
    # a block code of 3 characters: the domain accepts it, LHEO's code-bloc has 8 at least
    blocks = [CertificationBlocks(certification="RNCP35000", validation=lheo.PARTIAL, blocks=["BC1"])]
    refused = factory.offer("F0000009", sessions=(factory.session(blocks=blocks),))
    document, report = written(factory.offer("F0000001"), refused)
    assert [f.get("numero") for f in document.xpath("//l:formation", namespaces=L)] == ["F0000001"]
    assert [r.ref for r in report.rejected] == ["F0000009"]
    assert "code-bloc" in report.rejected[0].reason
    assert report.sessions == 2


def test_france_travails_address_rules_apply_to_every_address() -> None:
    no_insee = SessionAddress(line1="1 rue de Paris", postal_code="14000", city="Caen")
    meeting = RecruitmentModality(
        code=lheo.INTERVIEW,
        number="S0000012-1",
        seats=1,
        date=date(2026, 12, 1),
        hours=TimeRange(start=time(9, 0), end=time(10, 0)),
        address=no_insee,
    )
    refused = factory.offer("F0000003", sessions=(factory.session(recruitment=[meeting]),))
    _, report = written(factory.offer("F0000001"), refused)
    assert [r.ref for r in report.rejected] == ["F0000003"]
    assert "modalité de recrutement 1" in report.rejected[0].reason
    assert "code INSEE" in report.rejected[0].reason


def test_a_shape_the_xsd_refuses_is_caught_by_the_schema_itself() -> None:
    # what `Shapes` asks the XSD for a formation of an unseen shape: the element expected is named
    error = schema_error("<formation><intitule-formation>x</intitule-formation></formation>")
    assert error is not None and "domaine-formation" in error
    checked = writer.formations([factory.offer()], Report())
    assert schema_error(next(checked)) is None


def test_the_xsd_validates_each_new_shape_once() -> None:
    asked: list[str] = []

    def validate(markup: str) -> str | None:
        asked.append(markup)
        return schema_error(markup)

    shapes = Shapes(validate)
    same = [factory.offer(f"F000000{n}") for n in range(1, 4)]
    other = factory.offer("F0000009", sessions=(factory.session(website=None),))  # no url-action: a new shape
    out = list(writer.formations([*same, other], Report(), shapes))
    assert len(out) == 4
    assert len(asked) == 2 and 'numero="F0000001"' in asked[0] and 'numero="F0000009"' in asked[1]
    refusing = Shapes(lambda markup: "refusé")
    report = Report()
    assert list(writer.formations([factory.offer()], report, refusing)) == []
    assert report.rejected[0].reason.endswith("refusé")


def test_nothing_to_write_raises_and_writes_nothing() -> None:
    out = io.BytesIO()
    with pytest.raises(writer.NothingToWrite) as raised:
        writer.write([factory.offer(sessions=())], out, generated_at=factory.GENERATED)
    assert out.getvalue() == b""
    assert [r.ref for r in raised.value.report.rejected] == ["F0000001"]


def test_a_path_is_written_too(tmp_path: Path) -> None:
    path = tmp_path / "offre.xml"
    report = writer.write(iter([factory.offer()]), str(path), generated_at=factory.GENERATED)
    assert report.formations == 1
    assert official().validate(etree.parse(str(path)))


LONG_LINE = "Zone artisanale des Grands Champs, bâtiment C, 12 chemin de la Forge"  # two lignes


def _variations() -> list[Offer]:
    """The factory's offer, then offers that each differ from it by one optional part of the markup (present,
    absent, repeated, or shaped otherwise), so that a shape key that forgot a part meets a formation with the
    same key and another skeleton."""
    base = factory.session()
    isc, ico = base.recruitment

    def session(**changes: Any) -> tuple[Any, ...]:
        return (base.model_copy(update=changes),)

    def modality(of: RecruitmentModality, **changes: Any) -> tuple[Any, ...]:
        return session(recruitment=[of.model_copy(update=changes)])

    other = SessionAddress(
        line1="1 rue de Paris", line2="Bâtiment B", postal_code="14000", city="Caen", insee_code="14118"
    )
    sessions: list[tuple[Any, ...]] = [
        (base,),
        (base, factory.session("S0000013")),
        session(ref=None),
        session(audience_info=None),
        session(funding_conditions=None),
        session(prerequisites=None),
        session(website=None),
        session(rhythms=[], rhythm_comment=None),
        session(hours_in_centre=None),
        session(hours_in_company=None),
        session(hours_in_centre=None, hours_in_company=None),
        session(equipment=[]),
        session(equipment=[Equipment(equipment_type="1"), Equipment(equipment_type="2", description="Casque")]),
        session(places=[]),
        session(places=[Place(name="Centre de Caen", address=factory.CAEN), Place(address=factory.ROUEN)]),
        session(places=[Place(address=other)]),
        session(registration=Place(address=factory.ROUEN)),
        session(contacts=[]),
        session(contacts=[SessionContact(contact_id="c1", contact_type="3"), SessionContact(contact_id="c1")]),
        session(funding=[]),
        session(funding=[FundingLine(financer="2")]),
        session(funding=[FundingLine(financer="2", measure="QUALIF_COLLECTIF", market_number="M-1")]),
        session(funding=[FundingLine(financer="2", scheme_state="conventionne"), FundingLine(financer="10")]),
        session(trainer_siret=factory.TRAINER),
        session(recruitment=[]),
        session(recruitment=[isc, isc.model_copy(update={"number": "S0000012-3"})]),
        modality(isc, periods=[]),
        modality(isc, periods=[Period(start=date(2026, 11, 1), end=date(2026, 11, 15)), *isc.periods]),
        modality(isc, periods=[Period(start=date(2026, 11, 1))]),
        modality(isc, number=None),
        modality(isc, seats=None),
        modality(ico, remote=True, address=None),
        modality(ico, address=None),
        modality(ico, date=None),
        modality(ico, hours=None),
        modality(ico, hours=TimeRange(start=time(9, 0))),
        modality(ico, comment=None),
        modality(ico, code=lheo.INTERVIEW),
        session(recruitment=[RecruitmentModality(code="3", comment="Sur dossier.")]),
        session(
            blocks=[CertificationBlocks(certification="RNCP35000", blocks=["RNCP35000BC01", "RNCP35000BC02"])],
        ),
        session(cycles=[ApprenticeshipCycle(rhythm=AlternanceRhythm(unit="3", in_centre=1, in_company=3))]),
        session(cycles=[ApprenticeshipCycle(year=1)]),
    ]
    offers = [factory.offer(f"F{n:07d}", sessions=chosen) for n, chosen in enumerate(sessions, 1)]
    formation = factory.formation()
    no_contact = factory.responsible(contacts=[])
    formations: list[dict[str, Any]] = [
        {"formation": formation.model_copy(update={"exit_level": None})},
        {"formation": formation.model_copy(update={"website": None})},
        {"formation": formation.model_copy(update={"certifying": False, "certifications": []})},
        {"formation": formation.model_copy(update={"expected_results": None})},
        {"formation": factory.formation(certifications=[{"code": "RS5000", "principal": True}])},
        {"formation": factory.formation(contact_id=None)},
        {"formation": factory.formation(apprenticeship=True, cycle_years=2)},
        {"updated_at": None},
        {"formacodes": (), "nsf": (), "romes": ("H2913", "H2914")},
        {"certifications": {}},
        {"contacts": {}},
        {"responsible": no_contact, "contacts": {}},
        {"responsible": factory.responsible(siret=factory.TRAINER, address=None, phones=[], websites=[])},
        {
            "responsible": factory.responsible(
                siret="81432712100038", address=Address(line1=LONG_LINE, postal_code="14000", city="Caen")
            )
        },
    ]
    offers += [factory.offer(f"F{n:07d}", **changes) for n, changes in enumerate(formations, len(offers) + 1)]
    return offers


def test_each_shape_key_stands_for_one_skeleton() -> None:
    # every optional part, one at a time: the auditing `Shapes` of `written` fails on a key that forgot one
    offers = _variations()
    document, report = written(*offers)
    assert report.rejected == []
    assert len(document.xpath("//l:formation", namespaces=L)) == len(offers)
    shapes = Shapes(audit=True)
    list(writer.formations(offers, Report(), shapes))
    assert len(shapes.seen) > 40  # the keys met: every variation has its own (rest or action)
    for markup in writer.formations(offers[:2], Report()):
        assert skeleton(markup).startswith('<formation numero="" datemaj=""><domaine-formation>')


def test_a_key_standing_for_two_skeletons_is_caught() -> None:
    shapes = Shapes(lambda markup: None, audit=True)
    one = "<formation><action><a>x</a></action><b>y</b></formation>"
    assert shapes.error(one, [("rest",), ("action",)]) is None
    with pytest.raises(AssertionError, match="one shape key for two skeletons"):
        shapes.error(one.replace("<a>x</a>", ""), [("rest",), ("action",)])


def test_the_domains_code_tables_are_within_the_xsds_enumerations() -> None:
    # what lets the writer check a code with one look-up: a validated record never fails it
    leaves = schema().leaves
    tables = {
        "modalites-enseignement": lheo.TEACHING_MODES,
        "modalites-entrees-sorties": lheo.ENTRY_MODES,
        "etat-recrutement": lheo.RECRUITMENT_STATES,
        "code-financeur": lheo.FINANCERS,
        "type-contact": CONTACT_TYPES,
        "parcours-de-formation": lheo.PATH_TYPES,
        "modalite-recrutement": lheo.RECRUITMENT_MODALITIES,
        "type-equipement": lheo.EQUIPMENT_TYPES,
        "validation-blocs": lheo.BLOCK_VALIDATIONS,
        "type-alternance": lheo.ALTERNANCE_TYPES,
        "unite-rythme-alternance": lheo.RHYTHM_UNITS,
        "type-cycle": lheo.CYCLE_TYPES,
        "code-niveau-entree": lheo.LEVELS,
        "code-niveau-sortie": lheo.LEVELS,
    }
    for name, table in tables.items():
        allowed = leaves[name].enumeration
        assert allowed is not None and set(table) <= allowed, name


def test_a_code_outside_the_enumeration_is_reported_not_written() -> None:
    # a record that escaped validation (a copy): the code is checked at run time all the same
    odd = factory.session().model_copy(update={"teaching_mode": "7"})
    document, report = written(factory.offer("F0000001"), factory.offer("F0000002", sessions=(odd,)))
    assert [f.get("numero") for f in document.xpath("//l:formation", namespaces=L)] == ["F0000001"]
    assert [r.ref for r in report.rejected] == ["F0000002"]
    assert "modalites-enseignement" in report.rejected[0].reason
