"""Issue 12: the Excel writer, read back with openpyxl."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import Any

import offers_factory as factory
import pytest
from openpyxl import load_workbook

from ofeli.domain.exports import Offer
from ofeli.domain.sessions import financing_referential
from ofeli.excel import writer

TODAY = date(2026, 11, 30)
HEADERS = [header for header, _ in writer.COLUMNS]
FINANCER_LABEL = financing_referential().financer("2").label  # type: ignore[union-attr]
MEASURE_LABEL = financing_referential().measure("2", "QUALIF_COLLECTIF").label  # type: ignore[union-attr]


def read(*offers: Offer) -> tuple[list[list[object]], Any, bytes]:
    out = io.BytesIO()
    writer.write(offers, out, today=TODAY)
    data = out.getvalue()
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return rows, sheet, data


def column(name: str) -> int:
    return HEADERS.index(name)


def test_one_row_per_session_with_its_formation() -> None:
    rows, sheet, _ = read(factory.offer("F0000001"), factory.offer("F0000002", sessions=()))
    assert rows[0] == HEADERS
    assert "Numéro de formation" in HEADERS and "Financeurs" in HEADERS
    assert [r[column("Numéro de formation")] for r in rows[1:]] == ["F0000001", "F0000001", "F0000002"]
    assert [r[column("Numéro de session")] for r in rows[1:]] == ["S0000012", "S0000013", None]
    first = rows[1]
    assert first[column("Intitulé")] == "Titre professionnel Soudeur assembleur industriel"
    assert first[column("SIRET")] == factory.RESPONSIBLE
    assert first[column("Ville(s)")] == "Caen"
    assert first[column("Financeurs")] == FINANCER_LABEL
    assert first[column("Dispositifs")] == MEASURE_LABEL
    assert first[column("Places financées")] == 12
    assert first[column("Heures en centre")] == 400
    assert first[column("Heures en entreprise")] == 140
    assert first[column("Page web de la session")] == "https://www.of-demo.test/sessions/s0000012"
    assert first[column("État de la session")] == "À venir"
    assert rows[3][column("Intitulé")] == "Titre professionnel Soudeur assembleur industriel"


def test_dates_are_dates_frozen_header_and_filter() -> None:
    rows, sheet, _ = read(factory.offer())
    assert rows[1][column("Début")] == datetime(2027, 1, 4)
    assert rows[1][column("Fin")] == datetime(2027, 6, 30)
    start = sheet.cell(row=2, column=column("Début") + 1)
    assert start.is_date and start.number_format == writer.DATE_FORMAT
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{writer.LETTERS[-1]}{len(rows)}" == f"A1:Y{len(rows)}"
    assert sheet.column_dimensions["B"].width == 50


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_formula_injection_is_neutralised(start: str) -> None:
    title = f'{start}HYPERLINK("http://evil.test","clic")'
    rows, sheet, data = read(factory.offer(formation=factory.formation(title=title)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")  # no formula anywhere
    cell = sheet.cell(row=2, column=column("Intitulé") + 1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (title, "s", True)
    assert rows[1][column("Intitulé")] == title


@pytest.mark.parametrize("value", ["\tcmd", "\rcmd", "=1+1", "-2+3", "+1", "@SUM(A1)"])
def test_a_tab_or_carriage_return_start_is_quoted_too(value: str) -> None:
    # the domain strips a title's or a name's leading tab: copies bypass it, as a record from elsewhere could
    responsible = factory.responsible().model_copy(update={"name": value})
    offer = factory.offer(responsible=responsible, formation=factory.formation().model_copy(update={"title": value}))
    rows, sheet, data = read(offer)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    for name in ("Intitulé", "Organisme responsable"):
        cell = sheet.cell(row=2, column=column(name) + 1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)
    plain = sheet.cell(row=2, column=column("Numéro de formation") + 1)
    assert (plain.value, plain.quotePrefix) == ("F0000001", False)


def test_control_characters_are_removed() -> None:
    rows, _, _ = read(factory.offer(responsible=factory.responsible(name="Organisme\x01 de\x1f formation")))
    assert rows[1][column("Organisme responsable")] == "Organisme de formation"
