"""The Excel writer: offers (`ofeli.domain.exports.Offer`) → one sheet, one row per session with its
formation's columns (a formation without a session: one row with its columns only).

openpyxl's write-only mode streams the rows to a temporary file, so memory stays flat whatever the number
of rows. French headers, dates as real dates (DD/MM/YYYY), the header row frozen, a filter over the data,
column widths set. A text a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
carriage return) is written as a string cell with Excel's *quote prefix* (the `'` Excel shows when a cell was
typed as text): no spreadsheet evaluates it, the value reads back unchanged, and editing the cell keeps it
text. Every text is an inline string cell, never a formula. Characters a worksheet cannot hold (control
characters, and what XML forbids) are removed.

Speed. openpyxl makes a `Cell` per value and writes it through lxml's `xmlfile` with three nested elements:
about 40,000 cells a second here, 25 s for 100,000 rows of 25 columns. So the workbook is openpyxl's
(write-only: its styles, sheet view, columns, filter, package), but the rows of the sheet are written as
markup made here, straight into the worksheet's stream, in order (`_RowWriter`: lxml's writer is flushed
first): what a formation's rows share is made once (its cells with the row number left to fill in), each
value is escaped once, and the three styles (bold header, date, quote prefix) are openpyxl's, registered
once. The ZIP is deflated at level 1 (`COMPRESSION`): the sheet's markup is repetitive, level 6 costs three
times more for a file a few percent smaller. tests/unit/test_excel_writer.py reads every file back with
openpyxl.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile

from ofeli.domain import lheo_codes as lheo
from ofeli.domain.exports import Offer, Report
from ofeli.domain.sessions import (
    ENTRY_TYPES,
    SESSION_STATE_LABELS,
    Place,
    SessionDraft,
    financing_referential,
    session_state,
    trainer_of,
)
from ofeli.domain.text import xml_escape as _escape

SHEET = "Sessions"
DATE_FORMAT = "DD/MM/YYYY"
MAX_CELL = 32_767  # characters a cell holds
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COMPRESSION = 1  # zlib's level for the package
# (header, width): the columns, in order
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Numéro de formation", 14),
    ("Intitulé", 50),
    ("Certifiante", 11),
    ("Certifications", 18),
    ("Organisme responsable", 34),
    ("SIRET", 16),
    ("Formation publiée", 11),
    ("Numéro de session", 13),
    ("Début", 12),
    ("Fin", 12),
    ("Type de session", 26),
    ("Modalité d'enseignement", 26),
    ("Ville(s)", 24),
    ("Formateur", 30),
    ("SIRET formateur", 16),
    ("Financeurs", 34),
    ("Dispositifs", 30),
    ("Places financées", 10),
    ("Recrutement", 12),
    ("Heures en centre", 10),
    ("Heures en entreprise", 11),
    ("Durée totale (heures)", 11),
    ("Page web de la formation", 40),
    ("Page web de la session", 40),
    ("État de la session", 14),
)
FORMATION_COLUMNS = 7  # the first columns are the formation's, the others the session's
DATE_COLUMNS = (8, 9)  # Début, Fin (0-based)
LETTERS = tuple(get_column_letter(n) for n in range(1, len(COLUMNS) + 1))
# what a worksheet cannot hold: what openpyxl refuses in a cell, and what XML forbids
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ROW = "\x00"  # where a row's number goes in cells made before it is known (never in a cleaned text)


def _text(value: str | None) -> str | None:
    if not value:
        return None
    if not value.isprintable():
        value = _UNWRITABLE.sub("", value)
    return value[:MAX_CELL] or None


def _join(values: Iterable[str | None]) -> str | None:
    return "; ".join(dict.fromkeys(v for v in values if v)) or None


class _Styles:
    """openpyxl's style ids of the header, of a date and of a quote-prefixed text, registered in the
    workbook once."""

    def __init__(self, sheet: Any) -> None:
        header = WriteOnlyCell(sheet)
        header.font = Font(bold=True)
        day = WriteOnlyCell(sheet)
        day.number_format = DATE_FORMAT
        quoted = WriteOnlyCell(sheet)
        quoted.quotePrefix = True
        self.header, self.date, self.quoted = header.style_id, day.style_id, quoted.style_id


class _Cells:
    """Values → cells' markup (`<c>`), the row's number left as `_ROW`: texts cleaned, escaped and quoted when
    a spreadsheet would read them as a formula; integers; dates as Excel serials with the date style."""

    def __init__(self, styles: _Styles, epoch: _dt.datetime) -> None:
        self.styles = styles
        self.epoch = epoch
        self.texts: dict[str, str] = {}  # a text's markup after `r`, remembered (labels, names repeat)
        self.serials: dict[date, str] = {}

    def cells(self, values: Iterable[Any], first: int) -> str:
        """The cells of `values`, from column `first` (0-based); a None is no cell."""
        out = []
        texts = self.texts
        for letter, value in zip(LETTERS[first:], values, strict=False):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                found = texts.get(value)
                if found is None:
                    found = self.text(value)
                if found:
                    out.append(f'<c r="{letter}{_ROW}"{found}')
            elif kind is int:
                out.append(f'<c r="{letter}{_ROW}" t="n"><v>{value}</v></c>')
            elif kind is date:
                serial = self.serials.get(value) or self.serial(value)
                out.append(f'<c r="{letter}{_ROW}" s="{self.styles.date}" t="n"><v>{serial}</v></c>')
            else:
                raise TypeError(f"no cell for {kind.__name__}")
        return "".join(out)

    def text(self, value: str) -> str:
        cleaned = _text(value)
        if cleaned is None:
            found = ""
        else:
            quoted = f' s="{self.styles.quoted}"' if cleaned.startswith(FORMULA_START) else ""
            space = ' xml:space="preserve"' if cleaned != cleaned.strip() else ""
            found = f'{quoted} t="inlineStr"><is><t{space}>{_escape(cleaned)}</t></is></c>'
        if len(self.texts) >= 4096:
            self.texts.clear()
        self.texts[value] = found
        return found

    def serial(self, day: date) -> str:
        found = self.serials[day] = str(to_excel(day, self.epoch))
        return found


class _RowWriter(WorksheetWriter):
    """openpyxl's worksheet writer, but its rows are markup made by `_Cells`: written into the worksheet's
    file as they come, after what lxml's writer holds (flushed first), so the file keeps its order."""

    def get_stream(self) -> Iterator[Any]:
        with open(self.out, "wb") as raw, xmlfile(raw) as xf:  # noqa: PTH123
            self.raw = raw
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        element = yield
                        if element is True:
                            yield xf
                        elif element is not None:
                            xf.write(element)
                except GeneratorExit:
                    pass

    def write_row(self, xf: Any, row: Any, row_idx: int) -> None:
        (cells,) = row
        flush = getattr(xf, "flush", None)  # lxml's writer buffers: what it holds goes first
        if flush is not None:
            flush()
        number = str(row_idx)
        self.raw.write(f'<row r="{number}">{cells.replace(_ROW, number)}</row>'.encode())


class _Sheet(WriteOnlyWorksheet):
    """A write-only worksheet whose rows are appended as their cells' markup (one value: `_Cells.cells`)."""

    def _get_writer(self) -> None:
        if getattr(self, "_writer", None) is None:
            writer = _RowWriter(self)
            writer.write_top()
            self._writer = writer

    def _values_to_row(self, values: Any, row_idx: int) -> Any:
        return values


def _city(offer: Offer, place: Place) -> str | None:
    if place.place_id is not None:
        found = offer.places.get(place.place_id)
        place = found if found is not None else place
    return place.address.city if place.address is not None else None


def _formation_columns(offer: Offer) -> list[Any]:
    formation = offer.formation
    return [
        offer.ref,
        formation.title,
        "Oui" if formation.certifying else "Non",
        _join(formation.codes),
        offer.responsible.name,
        offer.responsible.siret,
        "Oui" if offer.published else "Non",
    ]


class _Labels:
    """The financing referential's labels of financers and measures, found once each."""

    def __init__(self) -> None:
        self.referential = financing_referential()
        self.financers: dict[str | None, str | None] = {}
        self.measures: dict[tuple[str | None, str | None], str | None] = {}

    def financer(self, code: str | None) -> str | None:
        if code not in self.financers:
            found = self.referential.financer(code)
            self.financers[code] = found.label if found else lheo.FINANCERS.get(code or "", code)
        return self.financers[code]

    def measure(self, financer: str | None, code: str | None) -> str | None:
        key = (financer, code)
        if key not in self.measures:
            found = self.referential.measure(financer, code)
            self.measures[key] = found.label if found else code
        return self.measures[key]


def _session_columns(offer: Offer, session: SessionDraft, today: date, labels: _Labels) -> list[Any]:
    siret = trainer_of(session, offer.responsible.siret)
    trainer = offer.trainers.get(siret) or (offer.responsible if siret == offer.responsible.siret else None)
    financers = []
    measures = []
    seats = None
    states = []
    for line in session.funding:
        financers.append(labels.financer(line.financer))
        measures.append(labels.measure(line.financer, line.measure))
        if line.seats is not None:
            seats = (seats or 0) + line.seats
        states.append(line.recruitment_state)
    state = (lheo.OPEN if lheo.OPEN in states else states[0]) if states else None
    places = session.places
    if len(places) == 1 and places[0].place_id is None and places[0].address is not None:
        cities = places[0].address.city
    else:
        cities = _join(_city(offer, place) for place in places)
    return [
        session.ref,
        session.start_date,
        session.end_date,
        ENTRY_TYPES[session.entry_type][0],
        lheo.TEACHING_MODES.get(session.teaching_mode),
        cities,
        trainer.name if trainer else None,
        siret,
        financers[0] if len(financers) == 1 else _join(financers),
        measures[0] if len(measures) == 1 else _join(measures),
        seats,
        lheo.RECRUITMENT_STATES.get(state) if state else None,
        session.hours_in_centre,
        session.hours_in_company,
        session.total_hours,
        offer.formation.website,
        session.website,
        SESSION_STATE_LABELS[session_state(session, today)],
    ]


def write(offers: Iterable[Offer], out: IO[bytes] | str, *, today: date | None = None) -> Report:
    """Write the offers as one workbook to `out` (a binary stream or a path). `today` gives each session its
    state (à venir, en cours, terminée); by default the product's clock."""
    if today is None:
        from ofeli import clock

        today = clock.today()
    report = Report()
    workbook = Workbook(write_only=True)
    sheet = _Sheet(workbook, SHEET)
    workbook._add_sheet(sheet)  # noqa: SLF001  (what `create_sheet` does with its own class)
    sheet.freeze_panes = "A2"
    for letter, (_, width) in zip(LETTERS, COLUMNS, strict=True):
        sheet.column_dimensions[letter].width = width
    styles = _Styles(sheet)
    cells = _Cells(styles, workbook.epoch)
    labels = _Labels()
    header = "".join(
        f'<c r="{letter}1" s="{styles.header}" t="inlineStr"><is><t>{_escape(title)}</t></is></c>'
        for letter, (title, _) in zip(LETTERS, COLUMNS, strict=True)
    )
    sheet.append((header,))
    rows = 0
    for offer in offers:
        formation = cells.cells(_formation_columns(offer), 0)
        report.formations += 1
        if not offer.sessions:
            sheet.append((formation,))
            rows += 1
        for session in offer.sessions:
            values = _session_columns(offer, session, today, labels)
            sheet.append((formation + cells.cells(values, FORMATION_COLUMNS),))
            report.sessions += 1
            rows += 1
    sheet.auto_filter.ref = f"A1:{LETTERS[-1]}{rows + 1}"
    with ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=COMPRESSION) as archive:
        workbook.properties.modified = _dt.datetime.now(tz=_dt.UTC).replace(tzinfo=None)
        ExcelWriter(workbook, archive).save()
    return report


__all__ = ["COLUMNS", "DATE_FORMAT", "SHEET", "write"]
