"""Accounts in a real browser: *Créer un compte*, the activation key, *Réinitialiser mon mot de passe*,
and the moderators' pages (account requests, accounts and rights).

Runs against the shared `ofeli serve` process (fixture `server`) with Debian's chromium. The server is
shared by every browser test: each test uses its own e-mails and SIRETs, and only signs in with the
demo accounts' right passwords (5 failures would lock them for 15 minutes).
"""

from __future__ import annotations

import html
import random
import re
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from support import (
    BRANCH,
    DASHBOARD_URL,
    HEAD_OFFICE,
    MODERATOR,
    OF_USER,
    SIGN_IN_URL,
    SINGLE,
    SINGLE_OF_USER,
    api_token,
    call,
    each,
    fill_sign_in,
    other_person,
    sign_in,
    space_selector,
    spaced,
    wait_for_mail,
)

DEMO_SIRETS = {HEAD_OFFICE[0], BRANCH[0], SINGLE[0]}
PASSWORD = "Formation-2026!"

ACTIVATED = "Votre mot de passe est enregistré. Connectez-vous avec votre adresse e-mail et ce mot de passe."
FORBIDDEN = "Cette action est réservée aux modérateurs du Carif-Oref."
ACTIVATION_SUBJECT = "Demande de clé d'activation"
RESET_SUBJECT = "Réinitialisation de votre mot de passe OFeli"

_random = random.SystemRandom()


# ------------------------------------------------------------------ identifiers of the tests
def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def new_siret() -> str:
    """A SIRET nobody uses yet: 13 random digits and the Luhn key."""
    while True:
        body = str(_random.randint(1, 9)) + "".join(_random.choice("0123456789") for _ in range(12))
        siret = next(body + d for d in "0123456789" if luhn_ok(body + d))
        if siret not in DEMO_SIRETS and not siret.startswith("356000000"):
            return siret


def new_nda() -> str:
    return "28" + "".join(_random.choice("0123456789") for _ in range(9))


def new_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@exemple-of.test"


# ------------------------------------------------------------------ the API, for what a test only prepares
def request_account(
    server: Any, email: str, siret: str, *, first_name: str = "Camille", last_name: str = "Test"
) -> str:
    status, body = call(
        server,
        "POST",
        "/account-requests",
        {
            "siret": siret,
            "nda": new_nda(),
            "contact": {"last_name": last_name, "first_name": first_name, "phone": "02 31 00 00 00", "email": email},
            "accept_privacy_policy": True,
        },
    )
    assert status == 202, body
    return body["id"]


@dataclass
class Account:
    email: str
    password: str
    siret: str
    company: str
    first_name: str
    last_name: str


def create_account(server: Any, prefix: str) -> Account:
    """An OF account made the way the API makes it: request, approval, activation key, password."""
    email, siret = new_email(prefix), new_siret()
    company = f"Organisme {prefix} {uuid.uuid4().hex[:6]}"
    request_id = request_account(server, email, siret, first_name="Dominique", last_name="Essai")
    moderator = api_token(server, MODERATOR)
    status, body = call(
        server,
        "POST",
        f"/moderation/account-requests/{request_id}/decision",
        {"decision": "approve", "structure_name": company},
        moderator,
    )
    assert status == 200, body
    mail = wait_for_mail(server, email, ACTIVATION_SUBJECT)
    match = re.search(r"/activation\?key=([^\"'&<\s]+)", mail["body"])
    assert match, mail["body"]
    key = urllib.parse.unquote(html.unescape(match.group(1)))
    status, body = call(server, "POST", "/activation", {"key": key, "password": PASSWORD})
    assert status == 204, body
    return Account(email, PASSWORD, siret, company, "Dominique", "Essai")


# ------------------------------------------------------------------ the browser
def open_account_requests(page: Page) -> None:
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Demandes de compte").click()
    expect(page).to_have_title("Demandes de compte — OFeli")
    expect(page.get_by_role("link", name="Demandes de compte")).to_have_attribute("aria-current", "page")


def request_row(page: Page, email: str) -> Locator:
    return page.get_by_role("row").filter(has_text=email)


def fill_account_form(page: Page, *, siret: str, nda: str, email: str, accept: bool = True) -> None:
    page.get_by_label("SIRET de l'organisme déclarant").fill(siret)
    page.get_by_label("Numéro de déclaration d'activité (NDA)").fill(nda)
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Téléphone").fill("02 31 00 00 00")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(re.compile("^J'accepte la politique")).set_checked(accept)


def choose_document(page: Page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("^Parcourir")).click()
    chooser.value.set_files(str(path))


def set_new_password(page: Page, password: str, confirmation: str | None = None) -> None:
    page.get_by_label("Nouveau mot de passe", exact=True).fill(password)
    page.get_by_label("Confirmez le mot de passe", exact=True).fill(password if confirmation is None else confirmation)


def rule(page: Page, text: str) -> Locator:
    return (
        page.get_by_role("list", name="Votre mot de passe doit contenir :")
        .get_by_role("listitem")
        .filter(has_text=text)
    )


def open_mail(page: Page, email: str, subject: str) -> Locator:
    """The mailbox page, once it shows the e-mail (sent by a job after the answer: reloaded for up to 10 s)."""
    mail = (
        page.get_by_role("article")
        .filter(has_text=email)
        .filter(has=page.get_by_role("heading", name=subject, exact=True))
        .first
    )
    deadline = time.monotonic() + 10
    page.goto("/_local/mail")
    while mail.count() == 0 and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        page.reload()
    expect(mail).to_be_visible()
    return mail


# ------------------------------------------------------------------ the whole journey
def test_a_new_organisation_goes_from_its_request_to_its_dashboard(
    page: Page, browser: Browser, server: Any, tmp_path: Path
) -> None:
    email, siret, nda = new_email("parcours"), new_siret(), new_nda()
    company = f"Formations du Bocage {uuid.uuid4().hex[:6]}"
    declaration = tmp_path / "declaration-activite.pdf"
    declaration.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

    # The OF asks for an account, with its declaration of activity.
    page.goto("/connexion")
    page.get_by_role("link", name="Créer un compte").click()
    expect(page).to_have_title("Créer un compte — OFeli")
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
    expect(page.get_by_label("SIRET de l'organisme déclarant")).to_have_accessible_description(
        re.compile("14 chiffres")
    )
    expect(page.get_by_label("Numéro de déclaration d'activité (NDA)")).to_have_accessible_description(
        re.compile("11 chiffres")
    )
    expect(page.get_by_label("Adresse e-mail")).to_have_accessible_description(re.compile("1 compte = 1 adresse mail"))
    fill_account_form(page, siret=siret, nda=nda, email=email)
    choose_document(page, declaration)
    expect(page.get_by_role("status").filter(has_text="Fichier choisi")).to_have_text(
        re.compile(r"Fichier choisi : declaration-activite\.pdf \(\d+ ko\)\.")
    )
    page.get_by_role("button", name="Créer votre compte").click()

    confirmation = page.get_by_role("region", name="Votre demande de compte est enregistrée")
    expect(confirmation).to_contain_text("Votre demande de création de compte a bien été enregistrée.")
    expect(page.get_by_role("heading", name="Votre demande de compte est enregistrée")).to_be_focused()
    expect(page.get_by_role("main")).to_contain_text("pensez à vérifier vos courriers indésirables")
    expect(page.get_by_role("main")).to_contain_text("« Demande de clé d'activation »")
    expect(page.get_by_role("button", name="Créer votre compte")).to_have_count(0)
    expect(page.get_by_text("Le document n'a pas pu être envoyé")).to_have_count(0)

    # The moderator sees it, with the document, names the new structure and accepts.
    with other_person(browser, server, MODERATOR) as moderator:
        open_account_requests(moderator)
        row = request_row(moderator, email)
        expect(row).to_contain_text("Camille Martin")
        expect(row).to_contain_text(spaced(siret))
        expect(row).to_contain_text(nda)
        expect(row).to_contain_text("02 31 00 00 00")
        document = row.get_by_role("link", name=re.compile("^Voir le document"))
        expect(document).to_have_attribute("target", "_blank")
        expect(document).to_have_text("Voir le document de Camille Martin (nouvel onglet)")
        downloaded = moderator.request.get(document.get_attribute("href") or "")
        assert downloaded.ok and downloaded.body().startswith(b"%PDF")

        row.get_by_label("Raison sociale de la structure à créer").fill(company)
        row.get_by_role("button", name=re.compile("^Accepter")).click()
        expect(moderator.get_by_role("status").filter(has_text="Compte créé")).to_have_text(
            f"Compte créé : la clé d'activation a été envoyée à {email}."
        )
        expect(request_row(moderator, email)).to_have_count(0)

    # The OF follows the link of the e-mail and chooses its password.
    mail = open_mail(page, email, ACTIVATION_SUBJECT)
    mail.get_by_role("link", name="Activer mon compte").click()
    expect(page).to_have_title("Choisir votre mot de passe — OFeli")

    page.get_by_label("Nouveau mot de passe", exact=True).fill("formation")
    expect(rule(page, "8 caractères minimum")).to_contain_text("(respecté)")
    expect(rule(page, "une majuscule")).to_contain_text("(non respecté)")
    expect(rule(page, "un caractère spécial")).to_contain_text("(non respecté)")
    expect(page.get_by_role("status").filter(has_text="Il manque")).to_have_text(
        "Il manque : une majuscule, un caractère spécial."
    )
    page.get_by_label("Confirmez le mot de passe", exact=True).fill("formation")
    page.get_by_role("button", name="Sauvegarder").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Le mot de passe doit contenir une majuscule, un caractère spécial."
    )
    expect(page).to_have_title("Erreur — Choisir votre mot de passe — OFeli")
    expect(page.get_by_label("Nouveau mot de passe", exact=True)).to_have_attribute("aria-invalid", "true")

    set_new_password(page, PASSWORD)
    for text in ("8 caractères minimum", "une majuscule", "un caractère spécial"):
        expect(rule(page, text)).to_contain_text("(respecté)")
    expect(page.get_by_text("Les deux mots de passe sont identiques.")).to_be_visible()
    page.get_by_role("button", name="Sauvegarder").click()

    # Back on the sign-in page, then in its own structure space.
    expect(page).to_have_url(SIGN_IN_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(page.get_by_role("status").filter(has_text="mot de passe est enregistré")).to_have_text(ACTIVATED)
    fill_sign_in(page, email, PASSWORD)
    expect(page).to_have_url(DASHBOARD_URL)
    header = page.get_by_role("banner")
    expect(header).to_contain_text("Camille Martin")
    expect(header).to_contain_text(company)
    expect(space_selector(page)).to_have_count(0)
    card = page.get_by_role("main").get_by_role("region", name=company, exact=True)
    expect(card).to_contain_text(spaced(siret))
    expect(card).to_contain_text("organisme responsable (porteur du NDA)")


# ------------------------------------------------------------------ Créer un compte: what is refused
def test_the_account_form_shows_the_api_messages_next_to_the_fields(page: Page, server: Any) -> None:
    page.goto("/creer-un-compte")
    siret = new_siret()
    wrong_key = siret[:13] + str((int(siret[13]) + 1) % 10)
    fill_account_form(page, siret=wrong_key, nda="2814000001", email=new_email("refus"), accept=False)
    page.get_by_role("button", name="Créer votre compte").click()

    alert = page.get_by_role("alert").filter(has_text="Votre demande n'a pas pu être enregistrée")
    expect(alert).to_be_focused()
    expect(page).to_have_title("Erreur — Créer un compte — OFeli")
    siret_field = page.get_by_label("SIRET de l'organisme déclarant")
    expect(siret_field).to_have_attribute("aria-invalid", "true")
    expect(siret_field).to_have_accessible_description(re.compile("clé de contrôle est fausse"))
    nda_field = page.get_by_label("Numéro de déclaration d'activité (NDA)")
    expect(nda_field).to_have_attribute("aria-invalid", "true")
    expect(nda_field).to_have_accessible_description(re.compile("doit comporter exactement 11 chiffres"))
    consent = page.get_by_label(re.compile("^J'accepte la politique"))
    expect(consent).to_have_attribute("aria-invalid", "true")
    expect(consent).to_have_accessible_description(
        re.compile("Vous devez accepter la politique de gestion des données personnelles")
    )
    for label in ("Prénom", "Téléphone", "Adresse e-mail"):
        expect(page.get_by_label(label)).not_to_have_attribute("aria-invalid", "true")

    # The summary's links lead to the fields.
    alert.get_by_role("link", name=re.compile("^Numéro de déclaration d'activité")).click()
    expect(nda_field).to_be_focused()

    # Corrected, with an e-mail that already has an account: the same answer as for a new one (no
    # account enumeration); the address's owner is told by e-mail, with the sign-in and reset links.
    siret_field.fill(siret)
    nda_field.fill(new_nda())
    consent.check()
    page.get_by_label("Adresse e-mail").fill(OF_USER[0])
    page.get_by_role("button", name="Créer votre compte").click()
    expect(page.get_by_role("region", name=re.compile("Votre demande de compte est enregistrée"))).to_be_visible()
    mail = wait_for_mail(server, OF_USER[0], "OFeli : une demande de compte avec votre adresse e-mail")
    assert "/connexion" in mail["body"] and "/mot-de-passe-oublie" in mail["body"]


def test_the_document_is_checked_before_anything_is_sent(page: Page, tmp_path: Path) -> None:
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/account-requests") else None)
    page.goto("/creer-un-compte")
    fill_account_form(page, siret=new_siret(), nda=new_nda(), email=new_email("document"))
    browse = page.get_by_role("button", name=re.compile("^Parcourir"))

    text_file = tmp_path / "statuts.txt"
    text_file.write_text("Statuts de l'organisme")
    choose_document(page, text_file)
    expect(page.get_by_role("status").filter(has_text="Fichier refusé")).to_contain_text(
        "Le fichier « statuts.txt » n'est pas accepté : choisissez un fichier PDF, JPEG ou PNG."
    )
    page.get_by_role("button", name="Créer votre compte").click()
    expect(page.get_by_role("alert")).to_contain_text("Le document choisi ne peut pas être envoyé")
    expect(page).to_have_title("Erreur — Créer un compte — OFeli")
    expect(browse).to_have_accessible_description(re.compile("n'est pas accepté"))

    too_large = tmp_path / "declaration.pdf"
    too_large.write_bytes(b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    choose_document(page, too_large)
    page.get_by_role("button", name="Créer votre compte").click()
    expect(page.get_by_role("alert")).to_contain_text("dépasse la taille maximale de 5 Mo")
    expect(browse).to_have_accessible_description(
        re.compile("Le fichier « declaration.pdf » dépasse la taille maximale de 5 Mo")
    )
    expect(page.get_by_role("button", name="Créer votre compte")).to_be_visible()
    assert sent == []

    # Taken away, the request could leave without a document.
    page.get_by_role("button", name="Retirer ce fichier").click()
    expect(page.get_by_role("status").filter(has_text="Aucun fichier choisi")).to_be_visible()
    expect(browse).to_be_focused()
    expect(browse).not_to_have_accessible_description(re.compile("dépasse"))


def test_a_failed_document_upload_is_said_clearly(page: Page, server: Any, tmp_path: Path) -> None:
    declaration = tmp_path / "declaration.png"
    declaration.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page.route(lambda url: not url.startswith(server.url), lambda route: route.abort())  # S3 unreachable
    page.goto("/creer-un-compte")
    fill_account_form(page, siret=new_siret(), nda=new_nda(), email=new_email("envoi"))
    choose_document(page, declaration)
    page.get_by_role("button", name="Créer votre compte").click()

    expect(page.get_by_role("region", name="Votre demande de compte est enregistrée")).to_be_visible()
    problem = page.get_by_text("Le document n'a pas pu être envoyé")
    expect(problem).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Envoyez-le par e-mail au Carif-Oref")
    expect(page).to_have_title("Demande enregistrée — Créer un compte — OFeli")


# ------------------------------------------------------------------ the activation page on its own
def test_activation_page_checks_the_confirmation_and_the_key(page: Page) -> None:
    page.goto("/activation?key=cle-qui-n-existe-pas")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir votre mot de passe")
    set_new_password(page, PASSWORD, "Formation-2027!")
    expect(page.get_by_text("Les deux mots de passe ne sont pas identiques.")).to_be_visible()
    page.get_by_role("button", name="Sauvegarder").click()
    confirmation = page.get_by_label("Confirmez le mot de passe", exact=True)
    expect(confirmation).to_have_attribute("aria-invalid", "true")
    expect(confirmation).to_have_accessible_description(re.compile("ne sont pas identiques"))
    expect(page.get_by_role("alert")).to_be_focused()

    # Show / hide, as on the sign-in page.
    page.get_by_role("button", name="Afficher le nouveau mot de passe").click()
    expect(page.get_by_label("Nouveau mot de passe", exact=True)).to_have_attribute("type", "text")
    page.get_by_role("button", name="Masquer le nouveau mot de passe").click()
    expect(page.get_by_label("Nouveau mot de passe", exact=True)).to_have_attribute("type", "password")

    confirmation.fill(PASSWORD)
    page.get_by_role("button", name="Sauvegarder").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Cette clé d'activation est inconnue.")
    expect(alert.get_by_role("link", name="Réinitialiser mon mot de passe")).to_have_attribute(
        "href", "/mot-de-passe-oublie"
    )
    expect(page).to_have_url(re.compile(r"/activation\?key="))

    # Without a key, the page says what to do instead of showing a form that cannot work.
    page.goto("/activation")
    expect(page.get_by_text("Il manque la clé d'activation")).to_be_visible()
    expect(page.get_by_label("Nouveau mot de passe", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Réinitialiser mon mot de passe").click()
    expect(page).to_have_title("Réinitialiser mon mot de passe — OFeli")


# ------------------------------------------------------------------ Réinitialiser mon mot de passe
def test_password_reset_from_the_sign_in_page(page: Page, server: Any) -> None:
    account = create_account(server, "oubli")
    new_password = "Autre-Secret-2026?"

    page.goto("/connexion")
    page.get_by_role("link", name="Réinitialiser mon mot de passe").click()
    expect(page).to_have_title("Réinitialiser mon mot de passe — OFeli")
    page.wait_for_load_state()  # the page's module has run: the form is its own, not the browser's
    page.get_by_role("button", name="Recevoir le lien par e-mail").click()
    expect(page.get_by_label("Identifiant (adresse e-mail)")).to_have_accessible_description(
        re.compile("Saisissez votre adresse e-mail")
    )
    page.get_by_label("Identifiant (adresse e-mail)").fill(account.email)
    page.get_by_role("button", name="Recevoir le lien par e-mail").click()
    expect(page.get_by_role("region", name="Demande prise en compte")).to_contain_text(
        "Si un compte OFeli existe pour cette adresse, un e-mail vient de lui être envoyé"
    )

    open_mail(page, account.email, RESET_SUBJECT).get_by_role("link", name="Choisir un nouveau mot de passe").click()
    expect(page).to_have_title("Choisir votre mot de passe — OFeli")
    set_new_password(page, new_password)
    page.get_by_role("button", name="Sauvegarder").click()
    expect(page.get_by_role("status").filter(has_text="mot de passe est enregistré")).to_have_text(ACTIVATED)

    fill_sign_in(page, account.email, new_password)
    expect(page).to_have_url(DASHBOARD_URL)
    expect(page.get_by_role("banner")).to_contain_text(account.company)
    status, _ = call(server, "POST", "/auth/login", {"email": account.email, "password": account.password})
    assert status == 401  # the old password is gone


def test_sign_in_page_links_and_lock_out_message(page: Page, server: Any) -> None:
    page.goto("/connexion")
    expect(page.get_by_role("link", name="Réinitialiser mon mot de passe")).to_have_attribute(
        "href", "/mot-de-passe-oublie"
    )
    page.get_by_role("link", name="Créer un compte").click()
    expect(page).to_have_title("Créer un compte — OFeli")

    # Five failures for one e-mail (an unknown one: the demo accounts stay usable), then the sixth try.
    email = new_email("verrou")
    for _ in range(5):
        status, _ = call(server, "POST", "/auth/login", {"email": email, "password": "Pas-le-bon-1!"})
        assert status == 401
    page.goto("/connexion")
    fill_sign_in(page, email, "Pas-le-bon-1!")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Trop de tentatives de connexion ont échoué pour cette adresse e-mail.")
    expect(alert).to_be_focused()
    expect(page).to_have_title("Erreur — Connexion — OFeli")
    expect(alert.get_by_role("link", name="Réinitialiser mon mot de passe")).to_be_visible()


# ------------------------------------------------------------------ moderators
def test_moderator_refuses_a_request_with_a_reason(browser: Browser, server: Any) -> None:
    email = new_email("refusee")
    request_account(server, email, new_siret(), first_name="Alix", last_name="Refus")
    reason = f"Le SIRET ne correspond pas à un organisme de formation déclaré ({uuid.uuid4().hex[:6]})."

    with other_person(browser, server, MODERATOR) as page:
        open_account_requests(page)
        row = request_row(page, email)
        expect(row).to_contain_text("Alix Refus")
        expect(row).to_contain_text("Aucun document")
        refuse = row.get_by_role("button", name=re.compile("^Refuser"))

        # From the keyboard: the dialog opens on the reason, keeps the focus, and Escape closes it.
        refuse.focus()
        page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog", name="Refuser la demande de Alix Refus")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text(f"La raison du refus est envoyée par e-mail à {email}.")
        expect(dialog.get_by_label("Raison du refus")).to_be_focused()
        for _ in range(4):
            page.keyboard.press("Tab")
            assert page.evaluate("() => document.activeElement.closest('dialog') !== null")
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("() => document.activeElement.closest('dialog') !== null")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(refuse).to_be_focused()

        # The reason is required (the API says so, in the dialog).
        refuse.click()
        dialog.get_by_role("button", name="Confirmer le refus").click()
        reason_field = dialog.get_by_label("Raison du refus")
        expect(reason_field).to_have_attribute("aria-invalid", "true")
        expect(reason_field).to_have_accessible_description(re.compile("Indiquez la raison du refus"))
        expect(reason_field).to_be_focused()

        reason_field.fill(reason)
        dialog.get_by_role("button", name="Confirmer le refus").click()
        expect(dialog).to_be_hidden()
        expect(page.get_by_role("status").filter(has_text="Demande refusée")).to_have_text(
            f"Demande refusée : Alix Refus ({email}) a été prévenu(e) par e-mail."
        )
        expect(request_row(page, email)).to_have_count(0)
        expect(page).to_have_title("Demandes de compte — OFeli")

    mail = wait_for_mail(server, email, "Votre demande de compte OFeli")
    assert html.escape(reason) in mail["body"]


def test_moderator_gives_and_takes_back_rights_on_a_second_structure(page: Page, browser: Browser, server: Any) -> None:
    account = create_account(server, "droits")
    siret, name = SINGLE

    with other_person(browser, server, MODERATOR) as moderator:
        moderator.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Comptes et droits").click()
        expect(moderator).to_have_title("Comptes et droits — OFeli")

        search = moderator.get_by_label("Adresse e-mail du compte")
        search.fill(new_email("personne"))
        moderator.get_by_role("button", name="Rechercher").click()
        expect(search).to_have_accessible_description(re.compile("Aucun compte n'a cette adresse e-mail."))

        search.fill(account.email)
        moderator.get_by_role("button", name="Rechercher").click()
        found = moderator.get_by_role("region", name="Dominique Essai", exact=True)
        expect(found).to_contain_text(account.email)
        rows = found.get_by_role("table").get_by_role("row")
        expect(rows.filter(has_text=account.company)).to_have_count(1)
        expect(rows.filter(has_text=name)).to_have_count(0)

        # A structure that does not exist: the API's message next to the field.
        siret_field = moderator.get_by_label("SIRET de la structure")
        siret_field.fill(new_siret())
        moderator.get_by_role("button", name="Donner les droits").click()
        expect(siret_field).to_have_attribute("aria-invalid", "true")
        expect(moderator.get_by_role("alert")).to_contain_text("Les droits n'ont pas été donnés")

        siret_field.fill(siret)
        moderator.get_by_role("button", name="Donner les droits").click()
        expect(moderator.get_by_role("status").filter(has_text="Droits donnés")).to_have_text(
            f"Droits donnés à Dominique Essai sur « {name} »."
        )
        expect(rows.filter(has_text=name)).to_have_count(1)
        expect(siret_field).not_to_have_attribute("aria-invalid", "true")
        expect(moderator).to_have_title("Comptes et droits — OFeli")

        # The OF now chooses its structure space.
        sign_in(page, (account.email, account.password))
        options = space_selector(page).locator("option:not([disabled])")
        expect(options).to_have_count(2)
        expect(options.filter(has_text=account.company)).to_have_count(1)
        expect(options.filter(has_text=name)).to_have_count(1)

        # Taken back, after a confirmation.
        rows.filter(has_text=name).get_by_role("button", name=re.compile("^Retirer les droits")).click()
        dialog = moderator.get_by_role("dialog", name=f"Retirer les droits sur « {name} »")
        expect(dialog).to_contain_text("Dominique Essai")
        dialog.get_by_role("button", name="Confirmer le retrait").click()
        expect(dialog).to_be_hidden()
        expect(moderator.get_by_role("status").filter(has_text="Droits retirés")).to_have_text(
            f"Droits retirés à Dominique Essai sur « {name} »."
        )
        expect(rows.filter(has_text=name)).to_have_count(0)
        expect(rows.filter(has_text=account.company)).to_have_count(1)

    page.reload()
    expect(page.get_by_role("banner")).to_contain_text(account.company)
    expect(space_selector(page)).to_have_count(0)


def test_an_of_user_has_no_moderation_pages(page: Page) -> None:
    sign_in(page, SINGLE_OF_USER)
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(menu.get_by_role("link", name="Tableau de bord")).to_be_visible()
    expect(menu.get_by_role("link", name="Demandes de compte")).to_have_count(0)
    expect(menu.get_by_role("link", name="Comptes et droits")).to_have_count(0)

    page.goto("/moderation/demandes-de-compte")
    expect(page.get_by_role("alert")).to_contain_text(FORBIDDEN)
    expect(page.get_by_role("table")).to_have_count(0)
    expect(menu.get_by_role("link", name="Demandes de compte")).to_have_count(0)


def test_moderator_sees_the_moderation_menu(page: Page) -> None:
    sign_in(page, MODERATOR)
    menu = page.get_by_role("navigation", name="Menu principal")
    entries = [
        "Tableau de bord",
        "Messagerie",
        "File de modération",
        "Demandes de compte",
        "Comptes et droits",
        "Structures",
        "Formations",
        "Demandes de contact",
        "Liste des OF",
        "Certifications",
        "Clés partenaires",
        "Mon compte",
    ]
    # an entry may carry the count of what waits (a badge after its name)
    expect(menu.get_by_role("link")).to_have_text([re.compile(rf"^{re.escape(e)}(\s+\d+)?$") for e in entries])
    page.get_by_role("main").get_by_role("link", name="Demandes de compte").click()
    expect(page).to_have_title("Demandes de compte — OFeli")


# ------------------------------------------------------------------ accessibility smoke check
PUBLIC_PAGES = ["/creer-un-compte", "/activation?key=exemple", "/mot-de-passe-oublie"]
MODERATION_PAGES = ["/moderation/demandes-de-compte", "/moderation/comptes"]
# What each page shows at least (a loop over what a page shows must not pass on an empty page).
CONTROLS = {
    "/creer-un-compte": 7,
    "/activation?key=exemple": 2,
    "/mot-de-passe-oublie": 1,
    "/moderation/demandes-de-compte": 1,
    "/moderation/comptes": 1,
}
BUTTONS = {
    "/creer-un-compte": 2,
    "/activation?key=exemple": 3,
    "/mot-de-passe-oublie": 1,
    "/moderation/demandes-de-compte": 4,
    "/moderation/comptes": 2,
}


@pytest.mark.parametrize("path", PUBLIC_PAGES + MODERATION_PAGES)
def test_accessibility_basics_of_the_account_pages(page: Page, server: Any, path: str) -> None:
    if path in MODERATION_PAGES:
        request_account(server, new_email("a11y"), new_siret())  # at least one row in the table
        sign_in(page, MODERATOR)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    if path == "/moderation/demandes-de-compte":
        expect(page.get_by_role("region", name=re.compile("demandes? de compte en attente"))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title(re.compile(r"^\S.* — OFeli$"))
    assert page.locator("h1").count() == 1

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    controls = page.locator("input:not([type=hidden]):not([type=file]), select, textarea").filter(visible=True)
    for control in each(controls, at_least=CONTROLS[path]):
        expect(control).to_have_accessible_name(re.compile(r"\S"))
    for button in each(page.get_by_role("button"), at_least=BUTTONS[path]):
        expect(button).to_have_accessible_name(re.compile(r"\S"))
