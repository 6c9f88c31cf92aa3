"""Issue 12, item 3, in a real browser (guide "Exporter des formations"): the demo OF, in its head office's
space, exports all its formations as Excel and as LHEO 2.3 from its *Formations* page (*Exporter*, the
format chosen in a dialog); the bell at the top right of the list shows both files with its badge, the
worker of `ofeli serve` generates them, both download (the xlsx opens with openpyxl and holds the
space's formations, the LHEO file validates against the XSD); axe on the dialog and the bell.

Runs against the shared `ofeli serve` process (fixture `server`) with Debian's chromium.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from support import HEAD_OFFICE, OF_USER, api_token, assert_no_axe_violation, call, choose_space, sign_in

HEAD_OFFICE_SIRET, HEAD_OFFICE_NAME = HEAD_OFFICE
XSD = Path(__file__).resolve().parents[2] / "layers/ofeli/ofeli/data/lheo-2.3.xsd"
F_REF = re.compile(r"\bF[0-9]{7}\b")


def export_as(page: Page, label: str) -> None:
    page.get_by_role("button", name="Exporter", exact=True).click()
    dialog = page.get_by_role("dialog", name="Exporter les formations")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Toutes les formations de l'espace structure seront exportées")
    dialog.get_by_label(label).check()
    dialog.get_by_role("button", name="Exporter", exact=True).click()
    expect(dialog).to_be_hidden()


def test_the_demo_of_exports_its_formations_as_excel_and_lheo_and_downloads_them(page: Page, server: Any) -> None:
    token = api_token(server, OF_USER)
    status, listed = call(server, "GET", f"/structures/{HEAD_OFFICE_SIRET}/formations?page_size=200", token=token)
    assert status == 200, listed
    formations = {line["ref"] for line in listed["items"]}
    status, before = call(server, "GET", "/exports", token=token)
    assert status == 200, before

    sign_in(page, OF_USER)
    choose_space(page, HEAD_OFFICE_NAME)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Formations", exact=True).click()
    expect(page.get_by_role("table", name=re.compile("^Formations trouvées"))).to_be_visible()

    page.get_by_role("button", name="Exporter", exact=True).click()
    dialog = page.get_by_role("dialog", name="Exporter les formations")
    expect(dialog.get_by_role("radio", name="Excel (.xlsx)")).to_be_checked()
    assert_no_axe_violation(page)
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Exporter", exact=True)).to_be_focused()

    export_as(page, "Excel (.xlsx)")
    export_as(page, "LHEO 2.3 (XML)")

    bell = page.locator("#cloche-exports")
    panel = page.get_by_role("region", name="Mes exports")
    expect(panel).to_be_visible()
    excel = panel.get_by_role("button", name=re.compile(r"^Télécharger formations-.*\.xlsx$")).first
    lheo = panel.get_by_role("button", name=re.compile(r"^Télécharger formations-.*-lheo\.xml$")).first
    expect(excel).to_be_visible(timeout=20_000)  # the worker's poll, then the bell's (every 3 s)
    expect(lheo).to_be_visible(timeout=20_000)
    fresh = len([i for i in before["items"] if i["status"] == "ready" and not i["downloaded"]]) + 2
    expect(bell).to_have_accessible_name(re.compile(rf"^Mes exports {fresh} \({fresh} prêts à télécharger\)$"))
    expect(bell.locator(".cloche__pastille")).to_have_text(str(fresh))
    expect(panel.locator("li").first).to_contain_text("Prêt")
    assert_no_axe_violation(page)

    with page.expect_download() as downloading:
        excel.click()
    download = downloading.value
    assert download.suggested_filename.startswith(f"formations-{HEAD_OFFICE_SIRET}-")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    cells = [str(v) for row in workbook.worksheets[0].iter_rows(values_only=True) for v in row if v is not None]
    assert {ref for text in cells for ref in F_REF.findall(text)} == formations

    with page.expect_download() as downloading:
        lheo.click()
    download = downloading.value
    assert download.suggested_filename.endswith("-lheo.xml")
    document = etree.parse(download.path())
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(document), schema.error_log
    assert set(F_REF.findall(etree.tostring(document, encoding="unicode"))) == formations

    left = fresh - 2  # both downloaded: no longer counted
    expect(bell).to_have_accessible_name("Mes exports" if not left else re.compile(rf" {left} prêts? à"))
