"""The DGEFP's list of training organisations, read line by line with its quirks (issue 8, item 3).

The fixture `tests/fixtures/organismes/liste-particularites.csv` is written in the list's format: a
UTF-8 byte order mark, CRLF line ends, every string quoted, `true`/`false` unquoted (one `TRUE`),
dates `dd/mm/yyyy`, a name holding a `;` and one holding quotes, a NIC alone (`00016`) and a NIC
shortened by a spreadsheet (`10`), an organisation abroad without SIREN, and one bad line of each kind.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ofeli.domain.training_organisations import (
    ListFormatError,
    RejectedLine,
    TrainingOrganisation,
    national_match,
    parse,
    text_lines,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "organismes"
QUIRKS = FIXTURES / "liste-particularites.csv"


def read(path: Path, chunk: int = 64) -> list[tuple[int, TrainingOrganisation | RejectedLine]]:
    """The file as the worker reads it: small byte chunks (a character or a line cut anywhere)."""
    data = path.read_bytes()
    return list(parse(text_lines(data[i : i + chunk] for i in range(0, len(data), chunk))))


def test_every_line_is_read_with_its_number():
    lines = read(QUIRKS)
    assert [number for number, _ in lines] == [2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13]  # line 9 is empty


def test_the_organisations_with_their_quirks():
    found: dict[str, TrainingOrganisation] = {}
    for _, item in read(QUIRKS):
        if isinstance(item, TrainingOrganisation):
            found.setdefault(item.nda, item)  # line 11 repeats line 4's NDA: the import refuses it, not the parser
    head = found["28140000014"]
    assert head.name == "OF Démo Formation; Caen"  # a quoted ;
    assert head.siret == "81432712100012" and head.siren == "814327121"
    assert head.previous_ndas == ["28149999999", "28148888888"]
    assert head.qualiopi_categories() == ["Actions de formation", "Actions de formation par apprentissage"]
    assert (head.last_declaration, head.fiscal_year_start, head.fiscal_year_end) == (
        date(2026, 1, 15),
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    assert [(s.code, s.label) for s in head.specialities] == [
        ("333", "Enseignement, formation"),
        ("221", "Agro-alimentaire, alimentation, cuisine"),
    ]
    assert (head.trainees, head.trainees_from_other_organisations, head.trainers) == (412, 35, 9)
    assert head.address is not None and head.address.city == "Caen" and head.address.region_code == "28"

    other = found["28760000021"]
    assert other.siret == "41298765400016"  # the NIC alone, appended to the SIREN
    assert other.qualiopi_categories() == ["Actions de formation", "Bilans de compétences", "VAE"]  # TRUE too
    assert other.trainees_from_other_organisations is None  # an empty number

    shortened = found["11751234567"]
    assert shortened.siret == "12345678200010"  # "10": the NIC 00010 a spreadsheet shortened
    assert shortened.qualiopi_categories() == []

    assert found["11759876543"].name == 'Formation "Plus"'

    abroad = found["11750000001"]
    assert abroad.siren is None and abroad.siret is None
    assert abroad.foreign_organisation == {
        "denomination": "International Training Ltd",
        "voie": "1 High Street",
        "codePostal": "SW1A 1AA",
        "ville": "London",
        "pays": "Royaume-Uni",
    }


def test_bad_lines_are_rejected_with_their_number_and_reason():
    rejected = {number: item.message for number, item in read(QUIRKS) if isinstance(item, RejectedLine)}
    assert set(rejected) == {5, 6, 7, 8, 13}
    assert rejected[5].startswith("numeroDeclarationActivite : ") and "11 chiffres" in rejected[5]
    assert rejected[6].startswith("siretEtablissementDeclarant : Ce SIRET n'est pas valide")
    assert rejected[7] == "certifications.actionsDeFormation : « peut-être » n'est ni true ni false."
    assert rejected[8] == (
        "informationsDeclarees.dateDerniereDeclaration : « 31/02/2026 » n'est pas une date au format jj/mm/aaaa."
    )
    assert rejected[13].startswith("La ligne a 4 colonnes au lieu de 30")


def test_the_same_line_always_has_the_same_hash():
    first = [i.content_hash() for _, i in read(QUIRKS, 7) if isinstance(i, TrainingOrganisation)]
    again = [i.content_hash() for _, i in read(QUIRKS, 4096) if isinstance(i, TrainingOrganisation)]
    assert first == again and len(set(first)) == len(first) == 6


def test_a_quoted_line_break_is_one_line_numbered_from_its_start():
    text = (
        "numeroDeclarationActivite;denomination;siren;siretEtablissementDeclarant;certifications.actionsDeFormation;"
        "certifications.bilansDeCompetences;certifications.VAE;certifications.actionsDeFormationParApprentissage\n"
        '"28140000014";"OF Démo\nFormation";"814327121";"00012";true;false;false;false\n'
        '"2814";"Trop court";"814327121";"00012";true;false;false;false\n'
    )
    lines = list(parse(text_lines([text.encode()])))
    assert lines[0][0] == 2 and isinstance(lines[0][1], TrainingOrganisation)
    assert lines[0][1].name == "OF Démo Formation"  # a line break in a name is a space
    assert lines[1][0] == 4 and isinstance(lines[1][1], RejectedLine)


def test_a_file_that_is_not_the_list_is_refused_whole():
    with pytest.raises(ListFormatError, match="il y manque les colonnes numeroDeclarationActivite"):
        list(parse(text_lines([b"nom,siret\nOF,81432712100012\n"])))
    with pytest.raises(ListFormatError, match="n'est pas encodé en UTF-8"):
        list(parse(text_lines([QUIRKS.read_bytes().decode("utf-8").encode("latin-1", "replace")])))
    with pytest.raises(ListFormatError, match="vide"):
        list(parse(text_lines([b""])))


def test_the_national_check_of_a_request():
    org = {"nda": "28140000014", "name": "OF DEMO FORMATION", "siren": "814327121", "siret": "81432712100012"}
    assert national_match("81432712100012", "28140000014", org, None, []).status == "match"
    assert national_match("81432712100020", "28140000014", org, None, []).status == "match"  # a branch
    other = national_match("41298765400016", "28140000014", org, None, [])
    assert (other.status, other.name) == ("other_organisation", "OF DEMO FORMATION")
    lapsed = national_match(
        "81432712100012", "28149999999", None, {"replaced_by": "28140000014", "name": "OF DEMO FORMATION"}, []
    )
    assert (lapsed.status, lapsed.nda) == ("lapsed", "28140000014")
    unknown = national_match("81432712100012", "28000000000", None, None, [org])
    assert (unknown.status, unknown.nda, unknown.name) == ("unknown", "28140000014", "OF DEMO FORMATION")
    assert national_match("81432712100012", "28000000000", None, None, []).name is None
