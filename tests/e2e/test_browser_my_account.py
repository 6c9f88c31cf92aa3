"""Issue 8, item 4, in a real browser: *Mon compte* (names, phone, password), *Demander l'accès à une autre
structure* approved by a moderator, and the unread messages of the Carif-Oref in the menu and on the
dashboard.

Against the shared `ofeli serve` (fixture `server`): every test makes its own accounts and structures
(`create_account`), so that changing a password or reading a thread disturbs no other test.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from playwright.sync_api import Browser, Locator, Page, expect
from support import (
    MODERATOR,
    api_token,
    assert_no_axe_violation,
    call,
    choose_space,
    other_person,
    sign_in,
    space_selector,
)
from test_browser_accounts import Account, create_account, open_account_requests, request_row, wait_for_mail

PHONE_ERROR = "Le numéro de téléphone doit être un numéro français à 10 chiffres (exemple : 02 31 00 00 00)."
GRANTED = "OFeli : votre demande d'accès est acceptée"


def menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Menu principal")


def messaging_link(page: Page) -> Locator:
    return menu(page).get_by_role("link", name="Messagerie", exact=True)


def open_my_account(page: Page) -> None:
    menu(page).get_by_role("link", name="Mon compte").click()
    expect(page).to_have_title("Mon compte — OFeli")
    expect(menu(page).get_by_role("link", name="Mon compte")).to_have_attribute("aria-current", "page")


def stored_refresh_token(page: Page) -> str:
    return str(json.loads(page.evaluate("sessionStorage.getItem('ofeli.tokens')"))["refresh_token"])


def structures_of(server: Any, account: Account) -> list[dict[str, Any]]:
    status, me = call(server, "GET", "/me", token=api_token(server, (account.email, account.password)))
    assert status == 200, me
    return list(me["structures"])


def grant(server: Any, account: Account, siret: str) -> None:
    moderator = api_token(server, MODERATOR)
    status, found = call(server, "GET", f"/moderation/users?email={account.email}", token=moderator)
    assert status == 200, found
    status, body = call(server, "POST", f"/moderation/users/{found['user_id']}/rights", {"siret": siret}, moderator)
    assert status == 201, body


# ------------------------------------------------------------------ Mes informations
def test_an_of_user_changes_names_and_phone(page: Page, server: Any) -> None:
    account = create_account(server, "compte")
    sign_in(page, (account.email, account.password))
    open_my_account(page)
    section = page.get_by_role("region", name="Mes informations")
    expect(section).to_contain_text(account.email)
    expect(page.get_by_label("Nom", exact=True)).to_have_value(account.last_name)
    expect(page.get_by_label("Prénom")).to_have_value(account.first_name)
    expect(page.get_by_label("Téléphone (facultatif)")).to_have_value("02 31 00 00 00")  # given with the request

    # The API's rule, next to the field.
    phone = page.get_by_label("Téléphone (facultatif)")
    phone.fill("12 34")
    page.get_by_role("button", name="Enregistrer mes informations").click()
    expect(page.get_by_role("alert").filter(has_text="Vos informations n'ont pas été enregistrées")).to_be_focused()
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(re.compile(re.escape(PHONE_ERROR)))
    expect(page).to_have_title("Erreur — Mon compte — OFeli")

    phone.fill("+33 6 12 34 56 78")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_role("button", name="Enregistrer mes informations").click()
    expect(section.get_by_role("status").filter(has_text="enregistrées")).to_have_text(
        "Vos informations sont enregistrées."
    )
    expect(phone).to_have_value("06 12 34 56 78")  # as the API keeps it
    expect(phone).not_to_have_attribute("aria-invalid", "true")
    expect(page).to_have_title("Mon compte — OFeli")
    expect(page.get_by_role("banner")).to_contain_text(f"Camille {account.last_name}")

    page.reload()
    expect(page.get_by_label("Prénom")).to_have_value("Camille")
    expect(phone).to_have_value("06 12 34 56 78")
    status, me = call(server, "GET", "/me", token=api_token(server, (account.email, account.password)))
    assert (status, me["first_name"], me["phone"]) == (200, "Camille", "06 12 34 56 78")
    assert_no_axe_violation(page)


# ------------------------------------------------------------------ Changer mon mot de passe
def test_changing_the_password_keeps_this_tab_and_ends_the_others(page: Page, browser: Browser, server: Any) -> None:
    account = create_account(server, "secret")
    new_password = "Autre-Secret-2026?"
    with other_person(browser, server, (account.email, account.password)) as elsewhere:
        elsewhere_refresh = stored_refresh_token(elsewhere)
        assert call(server, "POST", "/auth/refresh", {"refresh_token": elsewhere_refresh})[0] == 200

        sign_in(page, (account.email, account.password))
        open_my_account(page)
        form = page.get_by_role("region", name="Changer mon mot de passe")
        current = form.get_by_label("Mot de passe actuel")
        current.fill("Pas-le-bon-1!")
        form.get_by_label("Nouveau mot de passe", exact=True).fill("nouveau")
        expect(form.get_by_role("listitem").filter(has_text="une majuscule")).to_contain_text("(non respecté)")
        form.get_by_label("Nouveau mot de passe", exact=True).fill(new_password)
        for rule in ("8 caractères minimum", "une majuscule", "un caractère spécial"):
            expect(form.get_by_role("listitem").filter(has_text=rule)).to_contain_text("(respecté)")
        form.get_by_label("Confirmez le nouveau mot de passe").fill(new_password)
        expect(form.get_by_text("Les deux mots de passe sont identiques.")).to_be_visible()
        form.get_by_role("button", name="Changer mon mot de passe").click()

        # A wrong current password: said next to its field, and the person stays signed in.
        expect(current).to_have_attribute("aria-invalid", "true")
        expect(current).to_have_accessible_description(re.compile("Le mot de passe actuel est incorrect"))
        expect(page.get_by_role("alert").filter(has_text="Votre mot de passe n'a pas été changé")).to_be_focused()
        expect(page).to_have_title("Erreur — Mon compte — OFeli")

        current.fill(account.password)
        form.get_by_role("button", name="Changer mon mot de passe").click()
        expect(form.get_by_role("status").filter(has_text="mot de passe est changé")).to_have_text(
            "Votre mot de passe est changé. Vos autres sessions OFeli sont fermées ; vous restez connecté(e) ici."
        )
        expect(current).to_have_value("")
        expect(current).not_to_have_attribute("aria-invalid", "true")

        # This tab holds a session of the new password; the other browser's has ended.
        assert call(server, "POST", "/auth/refresh", {"refresh_token": stored_refresh_token(page)})[0] == 200
        status, body = call(server, "POST", "/auth/refresh", {"refresh_token": elsewhere_refresh})
        assert status == 401, body
        page.reload()
        expect(page).to_have_title("Mon compte — OFeli")
        expect(page.get_by_role("banner")).to_contain_text(account.company)

    assert call(server, "POST", "/auth/login", {"email": account.email, "password": account.password})[0] == 401
    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(page, (account.email, new_password))


# ------------------------------------------------------------------ Demander l'accès à une autre structure
def test_an_of_user_asks_for_another_structure_and_a_moderator_approves(
    page: Page, browser: Browser, server: Any
) -> None:
    account = create_account(server, "acces")
    other = create_account(server, "autre")
    (target,) = structures_of(server, other)
    message = f"Je coordonne les deux sites ({uuid.uuid4().hex[:6]})."

    sign_in(page, (account.email, account.password))
    open_my_account(page)
    section = page.get_by_role("region", name="Demander l'accès à une autre structure")
    expect(section.get_by_role("list", name="Vous avez déjà accès à :")).to_contain_text(account.company)
    section.get_by_label("SIRET de la structure").fill(account.siret)
    section.get_by_role("button", name="Envoyer ma demande d'accès").click()
    siret_field = section.get_by_label("SIRET de la structure")
    expect(siret_field).to_have_attribute("aria-invalid", "true")
    expect(siret_field).to_have_accessible_description(re.compile("Vous avez déjà accès à cette structure"))

    siret_field.fill(target["siret"])
    section.get_by_label("Numéro de déclaration d'activité (NDA)").fill(target["nda"])
    section.get_by_label("Message au Carif-Oref (facultatif)").fill(message)
    section.get_by_role("button", name="Envoyer ma demande d'accès").click()
    expect(section.get_by_role("status").filter(has_text="demande d'accès est enregistrée")).to_contain_text(
        "Le Carif-Oref va la traiter et vous prévenir par e-mail"
    )
    expect(siret_field).to_have_value("")

    with other_person(browser, server, MODERATOR) as moderator:
        open_account_requests(moderator)
        row = request_row(moderator, account.email)
        expect(row).to_contain_text("Demande d'accès d'un compte existant")
        expect(row).to_contain_text(f"{account.first_name} {account.last_name}")
        expect(row).to_contain_text(target["name"])
        expect(row).to_contain_text(target["nda"])
        expect(row).to_contain_text(message)
        row.get_by_role("button", name=re.compile("^Accepter")).click()
        expect(moderator.get_by_role("status").filter(has_text="Accès donné")).to_have_text(
            f"Accès donné : {account.first_name} {account.last_name} ({account.email}) a été prévenu(e) par e-mail."
        )
        expect(request_row(moderator, account.email)).to_have_count(0)

    mail = wait_for_mail(server, account.email, GRANTED)
    assert target["name"] in mail["body"]
    page.reload()
    options = space_selector(page).locator("option:not([disabled])")
    expect(options).to_have_count(2)
    expect(options.filter(has_text=target["name"])).to_have_count(1)


# ------------------------------------------------------------------ unread messages
def test_the_unread_messages_of_the_carif_oref_in_the_menu_and_on_the_dashboard(page: Page, server: Any) -> None:
    account = create_account(server, "nonlus")
    second = create_account(server, "second")
    (second_structure,) = structures_of(server, second)
    grant(server, account, second_structure["siret"])
    moderator = api_token(server, MODERATOR)

    def carif_writes(text: str) -> None:
        status, body = call(server, "POST", f"/structures/{account.siret}/messages", {"body": text}, moderator)
        assert status == 201, body

    carif_writes("Bonjour, pensez à mettre à jour vos sessions.")
    sign_in(page, (account.email, account.password))
    choose_space(page, account.company)
    link = messaging_link(page)
    expect(link).to_have_accessible_description("1 message non lu")
    expect(link.locator(".pastille")).to_have_text("1")
    messaging = page.get_by_role("region", name="Messagerie", exact=True)
    expect(messaging.get_by_role("link", name="1 message non lu")).to_have_attribute("href", "/messagerie")

    # Another structure space, another thread: no badge; back, the count again.
    choose_space(page, second_structure["name"])
    expect(link.locator(".pastille")).to_have_count(0)
    expect(link).not_to_have_attribute("aria-describedby", re.compile("."))
    expect(page.get_by_role("region", name="Messagerie", exact=True)).to_contain_text("Aucun message non lu.")
    choose_space(page, account.company)
    expect(link).to_have_accessible_description("1 message non lu")

    # A second message: counted on every page of the space (here *Mon compte*).
    carif_writes("Et merci de vérifier le lien de votre site.")
    open_my_account(page)
    expect(link).to_have_accessible_description("2 messages non lus")
    expect(link.locator(".pastille")).to_have_text("2")
    assert_no_axe_violation(page)

    # Read: the badge goes.
    link.click()
    expect(page).to_have_title("Messagerie — OFeli")
    expect(page.get_by_text("Et merci de vérifier le lien de votre site.")).to_be_visible()
    menu(page).get_by_role("link", name="Tableau de bord").click()
    expect(page.get_by_role("region", name="Messagerie", exact=True)).to_contain_text("Aucun message non lu.")
    expect(link.locator(".pastille")).to_have_count(0)
    expect(link).to_have_accessible_name("Messagerie")
