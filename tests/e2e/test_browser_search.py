"""The guide's formation search in a real browser (*Moteur de recherche des formations*, *Principaux critères
de recherche*, *Tableau de résultats*): from the demo OF's dashboard, a block's count opens the search
pre-filtered; the caption counts what the table shows; a sort, a column filter, the guide's example (Intitulé
= boulanger, Ville = Cherbourg: the demo's CAP boulanger F0000001, whose sessions are in
Cherbourg-en-Cotentin), the cross, the back button and a reload; the export's selection kept from page to
page; a trainer's lines; the moderators' search across every structure; axe on each.

Runs against the shared `ofeli serve` process (fixture `server`) with Debian's chromium. Other browser tests
add formations to the demo structures: the counts expected are read from the API first.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Locator, Page, expect
from support import (
    BRANCH,
    HEAD_OFFICE,
    MODERATOR,
    OF_USER,
    SINGLE,
    api_token,
    assert_no_axe_violation,
    call,
    choose_space,
    sign_in,
)

HEAD_OFFICE_SIRET, HEAD_OFFICE_NAME = HEAD_OFFICE
BRANCH_SIRET, BRANCH_NAME = BRANCH
CAP_BOULANGER = "F0000001"  # the head office's, two sessions in Cherbourg-en-Cotentin
SOUDEUR = "F0000003"  # Atelier Normand's; one of its sessions is trained by the demo OF's branch


# ------------------------------------------------------------------ helpers
def fold(text: str) -> str:
    """Case and accents ignored, as the API sorts."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def results(page: Page) -> Locator:
    return page.get_by_role("table", name=re.compile("^Formations trouvées"))


def lines(page: Page) -> Locator:
    return results(page).locator("tbody tr[data-formation]")


def shown_refs(page: Page) -> list[str]:
    return list(lines(page).evaluate_all("rows => rows.map(r => r.dataset.formation)"))


def column_texts(page: Page, index: int) -> list[str]:
    """The texts of the column at `index` (0: the selection box, 1: the reference…) of every line."""
    return list(
        lines(page).evaluate_all(
            "(rows, index) => rows.map(r => r.children[index].textContent.trim())",
            index,
        )
    )


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def settled(page: Page) -> None:
    """The table answered: not busy, and the search's status line empty."""
    expect(results(page)).not_to_have_attribute("aria-busy", "true")
    expect(page.locator('[data-shell="status"]')).to_have_text("")


def open_search(page: Page, space: str) -> None:
    sign_in(page, OF_USER)
    choose_space(page, space)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Formations", exact=True).click()
    expect(page).to_have_title("Formations — OFeli")
    expect(results(page)).to_be_visible()
    settled(page)


# ------------------------------------------------------------------ the journey of an OF
def test_from_a_dashboard_block_to_a_sorted_filtered_search(page: Page, server: Any) -> None:
    token = api_token(server, OF_USER)
    status, dashboard = call(server, "GET", f"/structures/{HEAD_OFFICE_SIRET}/dashboard", token=token)
    assert status == 200, dashboard
    published = dashboard["blocks"]["diffusees"]
    assert published >= 2, dashboard  # the demo's CAP boulanger and accounting assistant
    status, listed = call(
        server, "GET", f"/structures/{HEAD_OFFICE_SIRET}/formations?block=diffusees&page_size=200", token=token
    )
    assert status == 200, listed
    assert listed["formations"] == published, (listed, dashboard)

    # The dashboard: the count is a link to its block's search.
    sign_in(page, OF_USER)
    choose_space(page, HEAD_OFFICE_NAME)
    block = page.get_by_role("region", name="Formations", exact=True)
    link = block.get_by_role("link", name=f"{published} Formations diffusées", exact=True)
    expect(link).to_have_attribute("href", "/formations?block=diffusees")
    item = block.get_by_role("listitem").filter(has=page.get_by_role("link", name=re.compile("Formations diffusées$")))
    expect(item).to_contain_text("validées et diffusées sur notre site TMF et sites partenaires")
    link.click()

    # The search, pre-filtered: the block said and removable, the count that of the dashboard.
    expect(page).to_have_url(re.compile(r"/formations\?block=diffusees$"))
    expect(page.get_by_text("Recherche pré-filtrée")).to_contain_text("Formations diffusées")
    settled(page)
    table = results(page)
    caption = table.locator("caption")
    expect(caption).to_contain_text(f"{published} formation")
    if listed["total"] > 20:
        page.get_by_label("Lignes par page").select_option("100")
        settled(page)
    assert len(set(shown_refs(page))) == published
    assert len(shown_refs(page)) == listed["total"]
    expect(caption).to_have_text(
        re.compile(rf"^Formations trouvées : {published} formations, {listed['sessions']} sessions")
    )
    states = column_texts(page, 7)
    assert states and all("Diffusée" in s for s in states), states
    badge = table.locator("tbody .statut-formation").first
    colour = badge.evaluate("element => getComputedStyle(element).backgroundColor")
    assert colour == "rgb(232, 244, 236)", colour  # the published colour (--green-050), beside the word
    assert_no_axe_violation(page)

    # Sorted by title, descending: the second click on the header.
    title = table.get_by_role("button", name="Intitulé", exact=True)
    title.click()
    settled(page)
    expect(table.get_by_role("columnheader", name="Intitulé", exact=True)).to_have_attribute("aria-sort", "ascending")
    title.click()
    settled(page)
    expect(table.get_by_role("columnheader", name="Intitulé", exact=True)).to_have_attribute("aria-sort", "descending")
    expect(table.get_by_role("columnheader", name="Référence", exact=True)).not_to_have_attribute(
        "aria-sort", re.compile(".")
    )
    expect(title).to_be_focused()
    titles = [fold(t.split("Formateur")[0].strip()) for t in column_texts(page, 2)]
    assert titles == sorted(titles, reverse=True), titles
    assert query_of(page)["sort"] == ["title"] and query_of(page)["order"] == ["desc"]

    # The city column filtered: only Cherbourg's lines, the focus kept in the filter.
    city_filter = table.get_by_label("Filtrer la colonne Ville")
    city_filter.fill("cherbourg")
    expect(page).to_have_url(re.compile(r"filter_city=cherbourg"))
    settled(page)
    expect(city_filter).to_be_focused()
    cities = column_texts(page, 6)
    assert cities and all("Cherbourg" in c for c in cities), cities
    assert CAP_BOULANGER in shown_refs(page)
    expect(table.get_by_role("columnheader", name="Intitulé", exact=True)).to_have_attribute("aria-sort", "descending")

    # The cross: no block, no filter, every formation of the space; the sort stays.
    page.get_by_role("button", name="Réinitialiser la recherche").click()
    expect(page.get_by_text("Recherche pré-filtrée")).to_have_count(0)
    settled(page)
    expect(city_filter).to_have_value("")
    expect(page.get_by_label("Recherche rapide")).to_be_focused()
    assert "block" not in query_of(page) and "filter_city" not in query_of(page)
    status, everything = call(server, "GET", f"/structures/{HEAD_OFFICE_SIRET}/formations", token=token)
    assert status == 200, everything
    expect(caption).to_contain_text(f"{everything['formations']} formation")

    # The guide's example: Intitulé = boulanger, Ville = Cherbourg, then Rechercher.
    page.get_by_label("Intitulé", exact=True).fill("boulanger")
    page.get_by_label("Ville", exact=True).fill("Cherbourg")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page).to_have_url(re.compile(r"title=boulanger&city=Cherbourg"))
    settled(page)
    expect(table.get_by_role("link", name=re.compile(f"^{CAP_BOULANGER}")).first).to_have_attribute(
        "href", f"/formation?ref={CAP_BOULANGER}"
    )
    assert set(shown_refs(page)) == {CAP_BOULANGER}, shown_refs(page)
    assert all("Cherbourg" in c for c in column_texts(page, 6))
    status, example = call(
        server, "GET", f"/structures/{HEAD_OFFICE_SIRET}/formations?title=boulanger&city=Cherbourg", token=token
    )
    assert status == 200 and example["formations"] == 1, example
    expect(caption).to_contain_text(f"1 formation, {example['sessions']} session")
    assert_no_axe_violation(page)

    # The back button: the search before (after the cross), then the filtered block; a reload: the same.
    page.go_back()
    expect(page.get_by_label("Intitulé", exact=True)).to_have_value("")
    settled(page)
    expect(caption).to_contain_text(f"{everything['formations']} formation")
    page.go_back()
    expect(city_filter).to_have_value("cherbourg")
    expect(page.get_by_text("Recherche pré-filtrée")).to_contain_text("Formations diffusées")
    settled(page)
    assert all("Cherbourg" in c for c in column_texts(page, 6))
    page.reload()
    settled(page)
    expect(results(page).get_by_label("Filtrer la colonne Ville")).to_have_value("cherbourg")
    expect(results(page).get_by_role("columnheader", name="Intitulé", exact=True)).to_have_attribute(
        "aria-sort", "descending"
    )

    # The block removed alone: the other parts of the search stay.
    page.get_by_role("button", name="Retirer ce filtre « Formations diffusées »").click()
    expect(page.get_by_text("Recherche pré-filtrée")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"filter_city=cherbourg"))
    expect(page).not_to_have_url(re.compile(r"block="))


def test_criteria_the_page_cannot_search_are_said_next_to_their_field(page: Page) -> None:
    open_search(page, HEAD_OFFICE_NAME)
    page.get_by_label("Numéro(s)").fill("boul*")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    alert = page.get_by_role("alert").filter(has_text="La recherche n'a pas pu être faite")
    expect(alert).to_be_focused()
    expect(alert).to_contain_text("Numéro non reconnu : boul*")
    expect(page.get_by_label("Numéro(s)")).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_title(re.compile("^Erreur — "))
    assert_no_axe_violation(page)

    # Session numbers with S chosen; a wildcard: nothing found is said in words.
    page.get_by_label("S (session)").check()
    page.get_by_label("Numéro(s)").fill("S9999999")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.get_by_label("Numéro(s)")).not_to_have_attribute("aria-invalid", "true")
    expect(results(page).locator("tbody")).to_contain_text("Aucune formation ne correspond à votre recherche")
    expect(results(page).locator("caption")).to_contain_text("Aucune formation")
    expect(page).to_have_url(re.compile(r"ref=S9999999&ref_type=S"))

    # What the API refuses (422): its message, and each field's next to the field.
    refusal = {
        "error": {
            "code": "invalid_request",
            "message": "La requête contient des valeurs invalides.",
            "fields": [{"field": "city", "message": "Ce champ ne peut pas dépasser 80 caractères."}],
        }
    }
    page.route(
        re.compile(r"/structures/\d+/formations\?"),
        lambda route: route.fulfill(status=422, content_type="application/json", body=json.dumps(refusal)),
    )
    page.get_by_label("Ville", exact=True).fill("Cherbourg")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(alert).to_contain_text("La requête contient des valeurs invalides.")
    expect(alert.get_by_role("link", name="Ville : Ce champ ne peut pas dépasser 80 caractères.")).to_be_visible()
    expect(page.get_by_label("Ville", exact=True)).to_have_attribute("aria-invalid", "true")
    page.unroute(re.compile(r"/structures/\d+/formations\?"))


def test_a_measure_chosen_in_the_typeahead(page: Page, server: Any) -> None:
    token = api_token(server, OF_USER)
    status, expected = call(server, "GET", f"/structures/{HEAD_OFFICE_SIRET}/formations?mesure=AIF", token=token)
    assert status == 200 and expected["total"] >= 1, expected  # the CAP boulanger's France Travail session
    open_search(page, HEAD_OFFICE_NAME)
    expect(page.locator('#recherche-mesures option[value="Qualif collectif"]')).to_have_count(1)
    aif = "AIF (aide individuelle à la formation)"  # France Travail's measure AIF, by its label
    expect(page.locator(f'#recherche-mesures option[value="{aif}"]')).to_have_attribute(
        "label", re.compile("France Travail")
    )
    page.get_by_label("Mesure", exact=True).fill(aif)
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page).to_have_url(re.compile(r"mesure=AIF\+%28aide"))
    settled(page)
    assert [[line["ref"], line["session"]] for line in expected["items"]] == lines(page).evaluate_all(
        "rows => rows.map(r => [r.dataset.formation, r.dataset.session || null])"
    )


def test_the_selection_for_the_export_is_kept_from_page_to_page(page: Page) -> None:
    open_search(page, HEAD_OFFICE_NAME)
    page.goto("/formations?page_size=1")
    settled(page)
    first = lines(page).first.get_attribute("data-formation")
    expect(page.get_by_role("navigation", name="Pages de résultats")).to_contain_text("Page 1 sur")
    lines(page).first.get_by_role("checkbox").check()
    expect(page.locator("#selection-export")).to_have_text("1 formation sélectionnée pour l'export.")
    page.get_by_role("link", name=re.compile("^Suivant")).click()
    expect(page).to_have_url(re.compile(r"page=2"))
    settled(page)
    expect(page.get_by_role("heading", name="Résultats")).to_be_focused()
    page.get_by_role("link", name=re.compile("^Précédent")).click()
    settled(page)
    assert lines(page).first.get_attribute("data-formation") == first
    expect(lines(page).first.get_by_role("checkbox")).to_be_checked()
    page.reload()
    settled(page)
    expect(lines(page).first.get_by_role("checkbox")).to_be_checked()
    page.get_by_role("button", name="Vider la sélection").click()
    expect(lines(page).first.get_by_role("checkbox")).not_to_be_checked()
    expect(page.locator("#selection-export")).to_have_text(re.compile("^Aucune formation sélectionnée pour l'export"))


def test_a_trainer_finds_the_sessions_it_trains_read_only(page: Page) -> None:
    open_search(page, BRANCH_NAME)
    trained = lines(page).filter(has=page.get_by_role("link", name=re.compile(f"^{SOUDEUR}")))
    expect(trained.first).to_contain_text("Soudeur assembleur industriel")
    expect(trained.first).to_contain_text("Formateur — consultation seule")
    # the session the branch trains, in Cherbourg
    expect(trained.filter(has_text="Cherbourg").first).to_be_visible()
    assert_no_axe_violation(page)


# ------------------------------------------------------------------ the Carif-Oref
def test_the_moderators_search_every_structure(page: Page, server: Any) -> None:
    sign_in(page, MODERATOR)
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Formations", exact=True).click()
    expect(page).to_have_title("Formations de la région — OFeli")
    expect(menu.get_by_role("link", name="Formations", exact=True)).to_have_attribute("aria-current", "page")
    expect(results(page)).to_be_visible()
    settled(page)
    expect(results(page).get_by_role("columnheader", name="Structure", exact=True)).to_be_visible()
    refs = set(shown_refs(page))
    assert {CAP_BOULANGER, SOUDEUR} <= refs, refs

    page.get_by_label("Recherche rapide").fill("soudeur")
    page.get_by_label("État", exact=True).select_option(label="Diffusée")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=soudeur&state=diffusee"))
    settled(page)
    assert set(shown_refs(page)) == {SOUDEUR}
    row = lines(page).first
    expect(row).to_contain_text(SINGLE[1])
    expect(row).to_contain_text("Diffusée")

    moderator = api_token(server, MODERATOR)
    status, answer = call(server, "GET", "/moderation/formations?q=soudeur&state=diffusee&sort=start", token=moderator)
    assert status == 200, answer
    expect(results(page).locator("caption")).to_contain_text(f"1 formation, {answer['sessions']} session")
    results(page).get_by_role("button", name="Début", exact=True).click()
    settled(page)
    starts = [s for s in column_texts(page, 5)]
    expected = [
        f"{line['start'][8:10]}/{line['start'][5:7]}/{line['start'][:4]}" if line["start"] else "—"
        for line in answer["items"]
    ]
    assert starts == expected, (starts, expected)
    assert_no_axe_violation(page)

    page.get_by_role("link", name=re.compile(f"^{SOUDEUR}")).first.click()
    expect(page).to_have_url(re.compile(rf"/formation\?ref={SOUDEUR}$"))
