"""France Compétences' certification files, read into Certification models, with their quirks.

The fixtures (`tests/fixtures/certifications/`, see its README.md) hold one small referential in both
official formats: the CSV zip (generated from the readable sources in `csv/` by `make_fixtures.py`) and
the two XML files (RNCP and RS). Other cases are built in a temporary folder by the tests themselves.
"""

from __future__ import annotations

import importlib.util
import itertools
import zipfile
from datetime import date
from pathlib import Path

import pytest

from ofeli.domain.certification_files import (
    ACCESS_ROUTES,
    APPRENTICESHIP,
    NOT_A_REPERTORY,
    FileFormatError,
    file_format,
    plain_text,
    read,
)
from ofeli.domain.certifications import Certification, Certifier, CodeLabel, CompetenceBlock, Partner
from ofeli.domain.imports import RejectedEntry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "certifications"
CSV_ZIP = FIXTURES / "export-fiches-csv-2026-11-02.zip"
RNCP_XML = FIXTURES / "export_fiches_RNCP_V4_1_2026_11_02.xml"
RS_XML = FIXTURES / "export_fiches_RS_V4_1_2026_11_02.xml"
DEMO = Path(__file__).resolve().parents[2] / "infra" / "local" / "demo"
DEMO_ZIP = DEMO / "export-fiches-csv-2026-11-02.zip"
ALL_ROUTES = list(ACCESS_ROUTES.values())
STANDARD_HEADER = '"Numero_Fiche";"Intitule";"Actif"'


def certifications(*paths: Path) -> dict[str, Certification]:
    found: dict[str, Certification] = {}
    for path in paths:
        for item in read(path):
            if isinstance(item, Certification):
                assert item.code not in found
                found[item.code] = item
    return found


def rejected(path: Path) -> list[tuple[int, str]]:
    return [(item.line, item.message) for item in read(path) if isinstance(item, RejectedEntry)]


def make_zip(path: Path, members: dict[str, str]) -> Path:
    """A zip of UTF-8 members with a byte order mark, as the export's."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


def line_of_fiche(path: Path, index: int) -> int:
    """The line of the `index`-th `<FICHE>` tag of an XML fixture (1-based lines, 0-based index)."""
    lines = [n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "<FICHE>" in text]
    return lines[index]


# ---------------------------------------------------------------------- format detection
def test_the_format_is_told_by_the_content_not_the_name(tmp_path):
    assert file_format(CSV_ZIP) == "csv-zip"
    assert file_format(RNCP_XML) == "xml"
    disguised = tmp_path / "fiches.csv"
    disguised.write_bytes(RNCP_XML.read_bytes())
    assert file_format(disguised) == "xml"
    bom_xml = tmp_path / "bom"
    bom_xml.write_bytes(b"\xef\xbb\xbf\n  " + RS_XML.read_bytes())
    assert file_format(bom_xml) == "xml"


def test_a_file_of_another_kind_is_refused_with_a_sentence_for_the_moderator(tmp_path):
    pdf = tmp_path / "export.zip"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(FileFormatError) as error:
        file_format(pdf)
    assert str(error.value) == NOT_A_REPERTORY
    assert str(error.value).startswith(
        "Ce fichier n'est ni un export CSV (zip) ni un export XML des fiches de France Compétences"
    )
    with pytest.raises(FileFormatError):
        read(pdf)

    empty = tmp_path / "vide.xml"
    empty.write_bytes(b"")
    with pytest.raises(FileFormatError, match="Le fichier déposé est vide"):
        read(empty)


def test_a_lone_standard_csv_is_refused_with_the_advice_to_send_the_whole_zip(tmp_path):
    lone = tmp_path / "export_fiches_CSV_Standard_2026_11_02.csv"
    lone.write_bytes(b"\xef\xbb\xbf" + (STANDARD_HEADER + '\n"RNCP1";"Titre";"ACTIVE"\n').encode())
    with pytest.raises(FileFormatError, match="déposez l'archive zip entière"):
        read(lone)


# ---------------------------------------------------------------------- the CSV zip
def test_the_csv_zip_gives_the_fiches_in_file_order_and_the_refused_ones_with_their_lines():
    items = list(read(CSV_ZIP))
    assert [i.code if isinstance(i, Certification) else i.line for i in items] == [
        "RNCP37869", "RNCP34567", "RNCP38888", "RNCP12345", "RS5678", "RS6789", 10, 11, 12, 13, 14,
    ]  # fmt: skip
    assert rejected(CSV_ZIP) == [
        (10, "Fiche sans numéro (« Fiche sans numéro ») : son numéro de fiche est vide."),
        (
            11,
            "Fiche « ABC123 » : ce numéro n'est pas un numéro de fiche RNCP ou RS (exemples : RNCP35000, RS5678).",
        ),
        (12, "Fiche RNCP37869 en double : elle a déjà été lue ligne 2 ; cette fiche-ci est ignorée."),
        (13, "Fiche RNCP40000 : son intitulé est vide."),
        (14, "Fiche RNCP40001 : son état « SUSPENDUE » n'est ni ACTIVE ni INACTIVE (Oui ou Non en XML)."),
    ]


def test_the_cap_boulanger_with_its_blocks_partners_and_routes():
    cap = certifications(CSV_ZIP)["RNCP37869"]
    assert (cap.repertory, cap.number, cap.title, cap.active) == ("RNCP", 37869, "Boulanger", True)
    assert (cap.level, cap.lheo_level, cap.level_label) == ("NIV3", "13", "Niveau 3")
    assert (cap.abbreviation_code, cap.abbreviation_label) == ("CAP", "Certificat d'aptitude professionnelle")
    assert cap.registration_type == "Enregistrement de droit"
    assert cap.partial_validation is True
    assert (cap.registration_end, cap.decision_date, cap.effective_date, cap.last_jo_date) == (
        date(2030, 12, 31),
        date(2023, 7, 28),
        date(2023, 9, 1),
        None,
    )
    # blocks sorted by code (BC10 after BC02, not before)
    assert cap.blocks == [
        CompetenceBlock(code="RNCP37869BC01", title="Approvisionnement, organisation de la production et hygiène"),
        CompetenceBlock(
            code="RNCP37869BC02", title="Préparation et façonnage des pâtes, cuisson des produits de boulangerie"
        ),
        CompetenceBlock(code="RNCP37869BC10", title="Prévention santé environnement"),
    ]
    # the doubled apostrophe of the file is a single one
    assert cap.certifiers == [
        Certifier(siret="11004301500012", name="Ministère de l'Éducation nationale et de la Jeunesse")
    ]
    # the tab before the SIRET is gone, the line given twice is one partner
    assert cap.partners == [
        Partner(siret="44306184100047", name="Boulangerie Formation Normandie", habilitation="HABILITATION_ORGA_FORM"),
        Partner(
            siret="19140033600019",
            name="CFA des métiers de l'alimentation",
            habilitation="HABILITATION_ORGA_FORM_ET_EVAL",
        ),
    ]
    # the NSF label loses the code it repeats
    assert cap.nsf == [CodeLabel(code="221", label="Agro-alimentaire, alimentation, cuisine")]
    assert cap.formacodes == [CodeLabel(code="21546", label="Boulangerie")]
    assert cap.romes == [CodeLabel(code="D1102", label="Boulangerie - viennoiserie")]
    assert cap.ccn == [
        CodeLabel(
            code="0843",
            label="Convention collective nationale de la boulangerie-pâtisserie (entreprises artisanales)",
        )
    ]
    # `En contrat d’apprentissage` (typographic apostrophe) and `Par expérience` are the known routes
    assert cap.access_routes == ALL_ROUTES
    assert APPRENTICESHIP in cap.access_routes
    assert cap.predecessors == ["RNCP881"]  # written `rncp 881` in the file
    assert cap.successors == []
    assert cap.url == "https://www.francecompetences.fr/recherche/rncp/37869/"
    assert (cap.objectives, cap.activities, cap.capacities, cap.certifinfo) == (None, None, None, None)


def test_replacement_links_are_filled_both_ways():
    found = certifications(CSV_ZIP)
    old, new = found["RNCP34567"], found["RNCP38888"]
    # the file says it once, on the new fiche's line: `RNCP38888;RNCP34567;`
    assert (old.active, old.successors, old.predecessors) == (False, ["RNCP38888"], [])
    assert (new.active, new.predecessors, new.successors) == (True, ["RNCP34567"], [])
    lone = found["RNCP12345"]
    assert (lone.active, lone.successors, lone.predecessors) == (False, [], [])


def test_the_other_quirks_of_the_csv_zip():
    found = certifications(CSV_ZIP)
    accountant = found["RNCP38888"]
    assert accountant.blocks == [  # the block given twice is one block; its apostrophe is fixed
        CompetenceBlock(code="RNCP38888BC01", title="Assurer les travaux courants de comptabilité de l'entreprise"),
        CompetenceBlock(code="RNCP38888BC02", title="Préparer la paie et les déclarations sociales courantes"),
    ]
    assert accountant.certifiers[0].siret == "11000007200014"  # after a tab
    assert accountant.effective_date is None  # « à venir »: dropped, the fiche is kept
    assert accountant.last_jo_date == date(2025, 2, 5)
    assert [c.code for c in accountant.ccn] == ["1486", "2706"]
    assert accountant.access_routes == [
        APPRENTICESHIP,
        "Après un parcours de formation continue",
        "Par expérience (VAE)",
    ]

    building = found["RNCP12345"]
    assert building.decision_date is None  # 31/02/2017
    assert building.registration_end == date(2019, 12, 31)
    assert building.partial_validation is False
    assert building.certifiers == [
        Certifier(siret=None, name="Association nationale pour la formation professionnelle des adultes")
    ]

    clea = found["RS5678"]
    assert (clea.repertory, clea.number, clea.level, clea.lheo_level, clea.partial_validation) == (
        "RS",
        5678,
        None,
        None,
        None,
    )
    assert clea.certifiers == [Certifier(siret="13000548100010", name="Certif Pro")]  # after tabs and a space
    assert clea.url == "https://www.francecompetences.fr/recherche/rs/5678/"

    electric = found["RS6789"]
    # a quoted field holding `;` and a line break, and `d''ordre`
    assert electric.title == "Habilitation électrique ; opérations d'ordre non électrique (B0-H0V)"
    assert electric.certifiers == [Certifier(siret=None, name="Institut de formation électrique")]  # `123 456 789`
    assert electric.partners == [
        Partner(siret=None, name="Électro Sécurité Formation", habilitation="HABILITATION_ORGA_FORM")
    ]
    assert "RNCP99999" not in found  # a block of a fiche absent from Standard is ignored


def test_accented_member_names_without_the_utf8_flag_are_recovered():
    with zipfile.ZipFile(CSV_ZIP) as archive:
        names = {info.filename: info.flag_bits for info in archive.infolist()}
    # the quirk is in the fixture: Python reads these names as cp437
    assert names["export_fiches_CSV_Blocs_De_Comp├⌐tences_2026_11_02.csv"] & 0x800 == 0
    assert names["export_fiches_CSV_VoixdAcc├¿s_2026_11_02.csv"] & 0x800 == 0
    # and the parts are read all the same (and so are `_2026-11-02` and undated names)
    cap = certifications(CSV_ZIP)["RNCP37869"]
    assert cap.blocks and cap.access_routes and cap.formacodes and cap.romes


def load_script(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_same_members(committed_zip: Path, fresh: Path) -> None:
    with zipfile.ZipFile(committed_zip) as committed, zipfile.ZipFile(fresh) as rebuilt:
        assert [(i.filename, i.flag_bits) for i in committed.infolist()] == [
            (i.filename, i.flag_bits) for i in rebuilt.infolist()
        ]
        for info in committed.infolist():
            assert committed.read(info) == rebuilt.read(info.filename), info.filename
            assert committed.read(info).startswith(b"\xef\xbb\xbf")


def test_the_fixture_zip_is_what_make_fixtures_makes_of_the_sources(tmp_path):
    script = load_script(FIXTURES / "make_fixtures.py")
    script.build(tmp_path / "fresh.zip", FIXTURES / "csv", script.MEMBERS)
    assert_same_members(CSV_ZIP, tmp_path / "fresh.zip")


def test_the_demo_referential_is_its_sources_and_reads_whole(tmp_path):
    load_script(DEMO / "certifications" / "make_zip.py").build(tmp_path / "demo.zip")
    assert_same_members(DEMO_ZIP, tmp_path / "demo.zip")
    items = list(read(DEMO_ZIP))
    assert [i for i in items if isinstance(i, RejectedEntry)] == []
    found = {i.code: i for i in items if isinstance(i, Certification)}
    assert len(found) == 15
    cap = found["RNCP37861"]
    assert (cap.title, cap.abbreviation_code, cap.active, cap.level, cap.registration_end) == (
        "Boulanger",
        "CAP",
        True,
        "NIV3",
        date(2030, 12, 31),
    )
    assert len(cap.blocks) == 6 and APPRENTICESHIP in cap.access_routes
    assert {"44306184100047", "81432712100012"} <= {p.siret for p in cap.partners}
    assert APPRENTICESHIP in found["RNCP38362"].access_routes  # the BTS
    assert (found["RNCP38116"].level, found["RNCP37948"].level, found["RNCP35343"].level) == ("NIV4", "NIV5", "NIV3")
    assert (found["RNCP1212"].active, found["RNCP1212"].successors) == (False, ["RNCP38116"])
    assert (found["RNCP7455"].active, found["RNCP7455"].successors) == (False, [])
    assert sorted(code for code in found if code.startswith("RS")) == ["RS4812", "RS5080", "RS5993", "RS6201", "RS6340"]


def test_column_variants_undated_and_foldered_members(tmp_path):
    path = make_zip(
        tmp_path / "variantes.zip",
        {
            "export/export_fiches_CSV_Standard.csv": '"NUMERO_FICHE";"INTITULÉ";"actif";"Nomenclature_Europe_Niveau"\n'
            '"rncp 501";"Titre en minuscules";"active";"niv 5"\n',
            "export/export_fiches_CSV_Rome-2026-11-02.csv": '"Numero_Fiche";"Rome_Code";"Rome_Libelle"\n'
            '"RNCP501";"m1607";"Secrétariat"\n',
            "export/export_fiches_CSV_Nsf_2026_11_02.csv": '"Numero_Fiche";"Nsf_Code";"Nsf_Libelle"\n'
            '"RNCP501";"324";"324 - Secrétariat, bureautique"\n',
            "export/export_fiches_CSV_VoixdAccès_2026_11_02.csv": '"Numero_Fiche";"Si_Jury"\n'
            '"RNCP501";"En contrat d\'apprentissage"\n"RNCP501";"Par une voie inventée"\n',
            "LISEZMOI.txt": "Export des fiches\n",
            "__MACOSX/export/._export_fiches_CSV_Standard.csv": "\x00\x05\x16\x07",  # macOS re-zipped it
        },
    )
    [fiche] = list(read(path))
    assert isinstance(fiche, Certification)
    assert (fiche.code, fiche.title, fiche.active, fiche.level) == ("RNCP501", "Titre en minuscules", True, "NIV5")
    assert fiche.romes == [CodeLabel(code="M1607", label="Secrétariat")]
    assert fiche.nsf == [CodeLabel(code="324", label="Secrétariat, bureautique")]
    assert fiche.access_routes == [APPRENTICESHIP, "Par une voie inventée"]  # an unknown route keeps its words


def test_a_fiche_refused_for_its_data_does_not_make_the_next_one_a_double(tmp_path):
    path = make_zip(
        tmp_path / "double.zip",
        {
            "export_fiches_CSV_Standard_2026_11_02.csv": STANDARD_HEADER
            + '\n"RNCP7";"";"ACTIVE"\n"RNCP7";"Titre";"ACTIVE"\n'
        },
    )
    items = list(read(path))
    assert items[0] == RejectedEntry(line=2, message="Fiche RNCP7 : son intitulé est vide.")
    assert isinstance(items[1], Certification) and items[1].title == "Titre"


def test_an_unreadable_record_is_refused_with_its_line_and_the_next_ones_are_read(tmp_path):
    huge = "x" * 200_000  # over the csv module's field size limit
    path = make_zip(
        tmp_path / "illisible.zip",
        {
            "export_fiches_CSV_Standard_2026_11_02.csv": STANDARD_HEADER
            + f'\n"RNCP1";"Un";"ACTIVE"\n"RNCP2";"{huge}";"ACTIVE"\n"RNCP3";"Trois\x00";"INACTIVE"\n'
        },
    )
    items = list(read(path))
    assert isinstance(items[0], Certification) and items[0].code == "RNCP1"
    assert items[1] == RejectedEntry(
        line=3, message="Ligne illisible : un de ses champs dépasse 131 072 caractères ; la fiche est ignorée."
    )
    assert isinstance(items[2], Certification) and (items[2].code, items[2].title) == ("RNCP3", "Trois")


def test_a_zip_without_the_standard_file_is_refused(tmp_path):
    path = make_zip(tmp_path / "sans-standard.zip", {"export_fiches_CSV_Rome_2026_11_02.csv": '"Numero_Fiche"\n'})
    with pytest.raises(FileFormatError) as error:
        read(path)
    assert str(error.value) == (
        "Cette archive zip n'est pas l'export CSV des fiches de France Compétences : il y manque le fichier des "
        "fiches, export_fiches_CSV_Standard_AAAA_MM_JJ.csv."
    )


def test_a_zip_of_the_xml_export_says_to_unzip_it(tmp_path):
    path = tmp_path / "export-fiches-rncp-v4-1-2026-11-02.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(RNCP_XML, "export_fiches_RNCP_V4_1_2026_11_02.xml")
    with pytest.raises(FileFormatError, match="décompressez-la et déposez le fichier XML"):
        read(path)


def test_a_standard_file_without_a_required_column_is_refused(tmp_path):
    path = make_zip(
        tmp_path / "sans-actif.zip",
        {"export_fiches_CSV_Standard_2026_11_02.csv": '"Numero_Fiche";"Intitule"\n"RNCP1";"Titre"\n'},
    )
    with pytest.raises(FileFormatError) as error:
        read(path)
    assert str(error.value) == (
        "Le fichier des fiches (export_fiches_CSV_Standard_2026_11_02.csv) n'a pas la colonne Actif : ce n'est "
        "pas l'export CSV de France Compétences."
    )


def test_a_side_file_without_its_columns_is_refused(tmp_path):
    path = make_zip(
        tmp_path / "partenaires.zip",
        {
            "export_fiches_CSV_Standard_2026_11_02.csv": STANDARD_HEADER + '\n"RNCP1";"Titre";"ACTIVE"\n',
            "export_fiches_CSV_Partenaires_2026_11_02.csv": '"Numero_Fiche";"Raison";"Numero"\n',
        },
    )
    with pytest.raises(FileFormatError, match="export_fiches_CSV_Partenaires_2026_11_02.csv"):
        read(path)


def test_a_side_file_that_is_not_utf8_is_refused_before_any_fiche(tmp_path):
    header = '"Numero_Fiche";"Siret_Certificateur";"Nom_Certificateur"\n'
    many = "".join(f'"RNCP{n}";"";"Certificateur {n}"\n' for n in range(2, 3000))
    for name, lines in (("tot", ""), ("tard", many)):  # the bad byte in the first block read, or far after
        path = tmp_path / f"latin1-{name}.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(
                "export_fiches_CSV_Standard_2026_11_02.csv", STANDARD_HEADER + '\n"RNCP1";"Titre";"ACTIVE"\n'
            )
            archive.writestr(
                "export_fiches_CSV_Certificateurs_2026_11_02.csv",
                (header + lines + '"RNCP1";"";"Minist\xe8re"\n').encode("latin-1"),
            )
        if name == "tot":  # seen when the header is checked
            with pytest.raises(FileFormatError, match="n'est pas encodé en UTF-8"):
                read(path)
        else:  # seen when the part is indexed, before the first fiche
            fiches = read(path)
            with pytest.raises(FileFormatError, match="des octets qui ne sont pas de l'UTF-8"):
                next(fiches)


def test_a_damaged_zip_is_refused(tmp_path):
    path = tmp_path / "abime.zip"
    path.write_bytes(CSV_ZIP.read_bytes()[:200])
    with pytest.raises(FileFormatError, match="L'archive zip est abîmée"):
        read(path)


# ---------------------------------------------------------------------- the XML export
def test_the_xml_export_gives_the_fiches_and_the_refused_ones_with_their_lines():
    items = list(read(RNCP_XML))
    assert [i.code if isinstance(i, Certification) else i.line for i in items] == [
        "RNCP37869",
        "RNCP34567",
        "RNCP38888",
        "RNCP12345",
        line_of_fiche(RNCP_XML, 4),
        line_of_fiche(RNCP_XML, 5),
    ]
    assert rejected(RNCP_XML) == [
        (line_of_fiche(RNCP_XML, 4), "Fiche sans numéro (« Fiche sans numéro ») : son numéro de fiche est vide."),
        (
            line_of_fiche(RNCP_XML, 5),
            f"Fiche RNCP38888 en double : elle a déjà été lue ligne {line_of_fiche(RNCP_XML, 2)} ; cette fiche-ci "
            "est ignorée.",
        ),
    ]
    assert [i.code for i in read(RS_XML) if isinstance(i, Certification)] == ["RS5678", "RS6789"]


def test_the_xml_long_texts_are_plain_text():
    cap = certifications(RNCP_XML)["RNCP37869"]
    # escaped HTML, `&amp;amp;` and `&amp;#039;` (escaped twice)
    assert cap.objectives == (
        "Le titulaire du CAP Boulanger fabrique les pains & viennoiseries.\n\nIl respecte les règles d'hygiène."
    )
    # CDATA with paragraphs and a <br/>
    assert cap.activities == (
        "Le boulanger fabrique des pains et des viennoiseries.\n\n"
        "Il travaille dans une boulangerie artisanale\nou dans l'industrie."
    )
    # a list, with `&amp;nbsp;`
    assert cap.capacities == "- Réceptionner et stocker les matières premières\n- Pétrir, façonner et cuire"
    assert cap.certifinfo == "112233"
    accountant = certifications(RNCP_XML)["RNCP38888"]
    assert accountant.objectives == "L'assistant comptable tient la comptabilité courante.\nIl prépare la paie."


def test_the_xml_routes_levels_and_links_in_both_spellings():
    found = certifications(RNCP_XML, RS_XML)
    assert found["RNCP37869"].access_routes == ALL_ROUTES  # <SI_JURY_CA><ACTIF>Oui</ACTIF></SI_JURY_CA>
    assert found["RNCP38888"].access_routes == [  # <SI_JURY_CA>Oui</SI_JURY_CA>
        APPRENTICESHIP,
        "Après un parcours de formation continue",
        "Par expérience (VAE)",
    ]
    assert found["RNCP34567"].level_label == "Niveau 4"  # NOMENCLATURE_EUROPE/LIBELLE
    assert found["RNCP37869"].level_label == "Niveau 3"  # NOMENCLATURE_EUROPE/INTITULE
    # said once, on the old fiche's side (NOUVELLES_CERTIFICATIONS/…/ID_FICHE_NOUVELLE_CERTIFICATION)
    assert found["RNCP34567"].successors == ["RNCP38888"]
    assert found["RNCP38888"].predecessors == ["RNCP34567"]
    assert found["RNCP37869"].predecessors == ["RNCP881"]  # a bare <ANCIENNE_CERTIFICATION>
    assert found["RNCP37869"].partners[0].siret == "44306184100047"  # after a tab
    assert found["RS5678"].certifiers[0].siret == "13000548100010"  # after tabs and a space


def test_both_formats_give_the_same_certifications():
    from_csv = certifications(CSV_ZIP)
    from_xml = certifications(RNCP_XML, RS_XML)
    assert sorted(from_csv) == sorted(from_xml)
    xml_only = {"objectives", "activities", "capacities", "certifinfo"}
    for code, fiche in from_csv.items():
        assert fiche.model_dump(exclude=xml_only) == from_xml[code].model_dump(exclude=xml_only), code


def test_an_xml_file_with_another_root_is_refused(tmp_path):
    path = tmp_path / "lheo.xml"
    path.write_text('<?xml version="1.0"?>\n<lheo><offres/></lheo>\n', encoding="utf-8")
    with pytest.raises(FileFormatError) as error:
        read(path)
    assert str(error.value) == (
        "Ce fichier XML n'est pas un export des fiches de France Compétences : son élément racine est <lheo> au "
        "lieu de <FICHES>."
    )


def test_a_truncated_xml_file_is_refused_before_any_fiche(tmp_path):
    path = tmp_path / "tronque.xml"
    text = RNCP_XML.read_text(encoding="utf-8")
    path.write_text(text[: text.index("<FICHE>", text.index("RNCP34567")) + 200], encoding="utf-8")
    fiches = read(path)  # the root is fine
    with pytest.raises(FileFormatError) as error:
        next(fiches)
    assert str(error.value) == (
        "Le fichier XML est tronqué : il ne se termine pas par </FICHES> après sa dernière fiche ; téléchargez-le "
        "à nouveau puis déposez-le."
    )


def test_a_malformed_xml_file_stops_at_the_fault(tmp_path):
    path = tmp_path / "mal-forme.xml"
    text = RNCP_XML.read_text(encoding="utf-8")
    path.write_text(text.replace("<INTITULE>Agent d'entretien", "<INTITULE>Agent <d'entretien"), encoding="utf-8")
    fiches = read(path)
    assert [f.code for f in itertools.islice(fiches, 3) if isinstance(f, Certification)] == [
        "RNCP37869",
        "RNCP34567",
        "RNCP38888",
    ]
    with pytest.raises(FileFormatError, match=r"Le fichier XML est mal formé vers la ligne \d+"):
        next(fiches)


def test_an_xml_file_in_utf16_gives_the_same_fiches(tmp_path):
    path = tmp_path / "utf16.xml"
    text = RNCP_XML.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path.write_bytes(text.encode("utf-16"))
    assert file_format(path) == "xml"
    assert certifications(path) == certifications(RNCP_XML)


def test_xml_entities_are_never_expanded_nor_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("CONFIDENTIEL", encoding="utf-8")
    path = tmp_path / "entites.xml"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE FICHES [<!ENTITY secret SYSTEM "{secret.as_uri()}"><!ENTITY ha "ha">'
        '<!ENTITY haha "&ha;&ha;&ha;&ha;&ha;&ha;&ha;&ha;&ha;&ha;">]>\n'
        "<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>Titre &secret; &haha;</INTITULE>"
        "<ACTIF>Oui</ACTIF></FICHE></FICHES>\n",
        encoding="utf-8",
    )
    [fiche] = list(read(path))
    assert isinstance(fiche, Certification)
    assert "CONFIDENTIEL" not in fiche.title and "hahaha" not in fiche.title


def test_the_xml_is_read_as_a_stream():
    fiches = read(RNCP_XML)
    first = next(fiches)
    assert isinstance(first, Certification) and first.code == "RNCP37869"
    fiches.close()  # the job may stop early: the file is let go


# ---------------------------------------------------------------------- going on after an earlier run
@pytest.mark.parametrize("path", [CSV_ZIP, RNCP_XML], ids=["csv", "xml"])
def test_skipped_entries_are_not_given_but_still_count_for_doubles(path):
    whole = list(read(path))
    for skip in range(len(whole) + 2):
        assert list(read(path, skip=skip)) == whole[skip:], skip
    # the double of RNCP37869 (CSV) or RNCP38888 (XML) is still told when its first reading was skipped
    rest = read(path, skip=len(whole) - 3)
    assert any("en double" in entry.message for entry in rest if isinstance(entry, RejectedEntry))


# ---------------------------------------------------------------------- HTML as text
@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Un</p><p>Deux</p>", "Un\n\nDeux"),
        ("<ul><li>a</li><li>b</li></ul><p>Suite&nbsp;: x</p>", "- a\n- b\n\nSuite : x"),
        ("Sans balise\nsur deux lignes", "Sans balise\nsur deux lignes"),
        ("niveau < 3 et R&D", "niveau < 3 et R&D"),
        ("<script>alert(1)</script><p>ok</p>", "ok"),
        ("<p>   </p>", None),
        ("", None),
    ],
)
def test_plain_text(html, text):
    assert plain_text(html) == text
