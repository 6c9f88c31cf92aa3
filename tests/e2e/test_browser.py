"""The web frontend in a real browser, as a person uses it: sign in, dashboard, structure space.

Runs against `ofeli serve` with the demo data (fixtures `server` and `page`), through Debian's chromium.
Locators go by role and label, the way assistive technologies find things.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from support import (
    BRANCH,
    DASHBOARD_URL,
    HEAD_OFFICE,
    MODERATOR,
    OF_USER,
    SIGN_IN_URL,
    SINGLE,
    SINGLE_OF_USER,
    each,
    fill_sign_in,
    sign_in,
    space_selector,
)


def structure_card(page: Page, name: str):
    return page.get_by_role("main").get_by_role("region", name=name, exact=True)


# ------------------------------------------------------------------ signing in
def test_of_user_signs_in_and_chooses_a_structure_space(page: Page) -> None:
    sign_in(page, OF_USER)
    header = page.get_by_role("banner")
    expect(header).to_contain_text("Julien Lefebvre")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    expect(page.get_by_role("link", name="Tableau de bord")).to_have_attribute("aria-current", "page")

    # Several structures and no choice yet: the central area asks for one first, and shows nothing else.
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Choisissez d'abord un espace structure")).to_be_visible()
    expect(main.get_by_text("SIRET")).to_have_count(0)
    selector = space_selector(page)
    expect(selector.locator("option:not([disabled])")).to_have_text([HEAD_OFFICE[1], BRANCH[1]])

    selector.select_option(label=BRANCH[1])
    branch = structure_card(page, BRANCH[1])
    expect(branch).to_contain_text("814 327 121 00020")
    expect(branch.get_by_role("definition").filter(has_text="responsable")).to_have_text(
        "établissement non responsable (ne porte pas le NDA)"
    )
    expect(branch.get_by_role("term").filter(has_text="NDA")).to_have_count(0)
    expect(main.get_by_role("heading", name="Choisissez d'abord un espace structure")).to_have_count(0)
    for block in ("Formations", "Fiche structure", "Messagerie", "Contacts", "Mémos"):
        expect(main.get_by_role("region", name=block, exact=True)).to_be_visible()

    # The choice lasts for the browser session.
    page.reload()
    expect(space_selector(page)).to_have_value("81432712100020")
    expect(structure_card(page, BRANCH[1])).to_contain_text("814 327 121 00020")

    # Changing space updates the page.
    space_selector(page).select_option(label=HEAD_OFFICE[1])
    head_office = structure_card(page, HEAD_OFFICE[1])
    expect(head_office).to_contain_text("814 327 121 00012")
    expect(head_office.get_by_role("term").filter(has_text="NDA")).to_have_text(
        "Numéro de déclaration d'activité (NDA)"
    )
    expect(head_office).to_contain_text("28140000014")
    expect(head_office.get_by_role("definition").filter(has_text="responsable")).to_have_text(
        "organisme responsable (porteur du NDA)"
    )
    expect(structure_card(page, BRANCH[1])).to_have_count(0)


def test_wrong_password_shows_the_message_and_stays_on_the_sign_in_page(page: Page) -> None:
    page.goto("/connexion")
    expect(page).to_have_title("Connexion — OFeli")
    fill_sign_in(page, OF_USER[0], "Pas-le-bon-1!")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Adresse e-mail ou mot de passe incorrect.")
    expect(alert).to_be_focused()
    expect(page).to_have_url(SIGN_IN_URL)
    expect(page).to_have_title("Erreur — Connexion — OFeli")
    expect(page.get_by_label("Identifiant (adresse e-mail)")).to_have_value(OF_USER[0])
    expect(page.get_by_label("Mot de passe", exact=True)).to_have_value("Pas-le-bon-1!")
    expect(page.get_by_role("button", name="Se connecter")).to_be_enabled()

    # Corrected, the same form signs in.
    page.get_by_label("Mot de passe", exact=True).fill(OF_USER[1])
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(DASHBOARD_URL)


def test_empty_fields_are_flagged_next_to_them(page: Page) -> None:
    page.goto("/connexion")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("alert")).to_contain_text("corrigez les champs signalés")
    email = page.get_by_label("Identifiant (adresse e-mail)")
    password = page.get_by_label("Mot de passe", exact=True)
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile("Saisissez votre adresse e-mail"))
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("Saisissez votre mot de passe"))

    # The link in the summary leads to the field.
    page.get_by_role("alert").get_by_role("link", name=re.compile("^Mot de passe")).click()
    expect(password).to_be_focused()


def test_field_errors_from_the_api_are_shown_next_to_the_field(page: Page) -> None:
    page.goto("/connexion")
    fill_sign_in(page, OF_USER[0], "x" * 300)  # the API refuses more than 256 characters (422)

    expect(page.get_by_role("alert")).to_contain_text("corrigez les champs signalés")
    password = page.get_by_label("Mot de passe", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("256 caractères"))
    expect(page.get_by_label("Identifiant (adresse e-mail)")).not_to_have_attribute("aria-invalid", "true")


def test_password_can_be_shown_and_hidden(page: Page) -> None:
    page.goto("/connexion")
    password = page.get_by_label("Mot de passe", exact=True)
    password.fill("Organisme-2026!")
    expect(password).to_have_attribute("type", "password")

    page.get_by_role("button", name="Afficher le mot de passe").click()
    expect(password).to_have_attribute("type", "text")
    page.get_by_role("button", name="Masquer le mot de passe").click()
    expect(password).to_have_attribute("type", "password")


def test_sign_in_goes_back_to_a_page_of_the_site_only(page: Page) -> None:
    page.goto("/connexion?retour=/index.html")
    fill_sign_in(page, *OF_USER)
    expect(page).to_have_url(re.compile(r"/index\.html$"))

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(SIGN_IN_URL)
    page.goto("/connexion?retour=//example.org/piege")
    fill_sign_in(page, *OF_USER)
    expect(page).to_have_url(DASHBOARD_URL)


# ------------------------------------------------------------------ without a valid session
def test_dashboard_without_signing_in_leads_to_the_sign_in_page(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url(SIGN_IN_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")


def test_a_rejected_token_leads_back_to_the_sign_in_page(page: Page) -> None:
    page.goto("/connexion")
    page.evaluate(
        """() => sessionStorage.setItem("ofeli.tokens", JSON.stringify(
            {id_token: "jeton-invalide", access_token: "x", refresh_token: "x", expires_at: Date.now() + 3600000}))"""
    )
    page.goto("/")
    expect(page).to_have_url(SIGN_IN_URL)
    expect(page.get_by_role("status").filter(has_text="session a expiré")).to_be_visible()


def test_sign_out_returns_to_the_sign_in_page(page: Page) -> None:
    sign_in(page, OF_USER)
    space_selector(page).select_option(label=BRANCH[1])
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(SIGN_IN_URL)
    assert page.evaluate("() => sessionStorage.length") == 0

    page.goto("/")
    expect(page).to_have_url(SIGN_IN_URL)


# ------------------------------------------------------------------ other kinds of users
def test_single_structure_user_has_an_implicit_space(page: Page) -> None:
    sign_in(page, SINGLE_OF_USER)
    header = page.get_by_role("banner")
    expect(header).to_contain_text("Sophie Durand")
    expect(header).to_contain_text(SINGLE[1])
    expect(space_selector(page)).to_have_count(0)
    card = structure_card(page, SINGLE[1])
    expect(card).to_contain_text("412 987 654 00016")
    expect(card).to_contain_text("organisme responsable (porteur du NDA)")
    expect(page.get_by_text("Choisissez d'abord un espace structure")).to_have_count(0)


def test_moderator_sees_the_moderation_space(page: Page) -> None:
    sign_in(page, MODERATOR)
    header = page.get_by_role("banner")
    expect(header).to_contain_text("Claire Martin")
    expect(header).to_contain_text("Carif-Oref — modération")
    expect(space_selector(page)).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("espaces de modération")
    expect(page.get_by_text("SIRET")).to_have_count(0)


# ------------------------------------------------------------------ accessibility smoke check
# What each page shows at least (a loop over what a page shows must not pass on an empty page).
CONTROLS = {"connexion": 2, "tableau de bord": 1}  # e-mail and password; the structure space
BUTTONS = {"connexion": 2, "tableau de bord": 2}  # show the password, sign in; on the dashboard, sign out…


@pytest.mark.parametrize("where", ["connexion", "tableau de bord"])
def test_accessibility_basics(page: Page, where: str) -> None:
    if where == "connexion":
        page.goto("/connexion")
        expect(page.get_by_label("Identifiant (adresse e-mail)")).to_be_visible()
    else:
        sign_in(page, OF_USER)
        expect(space_selector(page)).to_be_visible()
        expect(page.get_by_role("navigation", name="Menu principal")).to_be_visible()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.locator("h1").count() == 1
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page).to_have_title(re.compile(r"^\S.* — OFeli$"))

    # The skip link is the first thing the keyboard reaches, and it leads to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # Every form control has an accessible name.
    for control in each(page.locator("input:not([type=hidden]), select, textarea"), at_least=CONTROLS[where]):
        expect(control).to_have_accessible_name(re.compile(r"\S"))
    for button in each(page.get_by_role("button"), at_least=BUTTONS[where]):
        expect(button).to_have_accessible_name(re.compile(r"\S"))
