"""The OF's side of the structure's contacts and formations, in the browser: the *Contacts* page of the
left menu, the *Contacts* tab, *Formations de l'OF* with each reference a link to the formation."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from support import BRANCH, HEAD_OFFICE, OF_USER, choose_space, each, sign_in


def menu_link(page, name):
    return page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name, exact=True)


def test_the_contacts_page_lists_the_structure_contacts_and_the_accounts(page):
    sign_in(page, OF_USER)
    choose_space(page, HEAD_OFFICE[1])
    menu_link(page, "Contacts").click()
    expect(page).to_have_url(re.compile(r"/contacts$"))
    linked = page.get_by_role("region", name="Contacts liés à la structure")
    cards = each(linked.get_by_role("listitem"), at_least=2)
    expect(cards[0]).to_contain_text("Madame Anne Roussel")
    expect(cards[0]).to_contain_text("Contact principal")
    expect(cards[1]).to_contain_text("Référent pédagogique, Référent handicap")
    expect(linked.get_by_role("link", name="Ma structure, onglet Contacts")).to_have_attribute(
        "href", "/ma-structure#contacts"
    )
    accounts = page.get_by_role("region", name="Contacts qui ont des droits de saisie")
    expect(accounts.get_by_role("link", name=OF_USER[0])).to_be_visible()

    # another structure space: its own contacts (the branch has none)
    choose_space(page, BRANCH[1])
    expect(linked).to_contain_text("Aucun contact n'est enregistré pour cette structure.")


def test_formations_of_the_of_link_to_each_formation_the_structure_is_responsible_for_or_trains(page):
    sign_in(page, OF_USER)
    choose_space(page, BRANCH[1])
    page.goto("/ma-structure#formations")
    panel = page.get_by_role("tabpanel", name="Formations de l'OF")
    row = panel.get_by_role("row").filter(has_text="Soudeur assembleur industriel")
    expect(row).to_contain_text("OF formateur")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=2, name="Soudeur assembleur industriel")).to_be_visible()
    expect(page.locator("#formation")).to_contain_text("le mandataire) est Atelier Normand des Métiers")
    sessions = page.get_by_role("table")
    expect(sessions.get_by_role("row").filter(has_text="Cherbourg-en-Cotentin (50100)")).to_contain_text(
        "SIRET 814 327 121 00020"
    )
