"""*Ma structure* in a real browser: the record tab by tab, and its workflow as the user guide describes it
(*Demande de modification*, *Sauvegarder*, *Soumettre pour validation*, the Carif-Oref's decision,
*Annuler ma demande de vérification*, *Annuler*), documents and history.

Runs against the shared `ofeli serve` process (fixture `server`) with Debian's chromium. Only the head
office 81432712100012 is used here, and every test leaves it without a draft or a pending submission. The
moderator's decisions go through the HTTP API. Only right passwords are used to sign in.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect
from support import (
    BRANCH,
    HEAD_OFFICE,
    MODERATOR,
    OF_USER,
    api_token,
    assert_no_axe_violation,
    call,
    choose_space,
    each,
    mails_to,
    other_person,
    sign_in,
    space_selector,
)

MAIN_BUTTONS_IN_EDIT = 12  # the toolbar's, the tabs' Ajouter and the entries' Supprimer, in edit mode
HEAD_OFFICE_SIRET, HEAD_OFFICE_NAME = HEAD_OFFICE
BRANCH_SIRET, BRANCH_NAME = BRANCH
PUBLISHED_SUBJECT = "OFeli : vos modifications de la fiche structure sont publiées"

SAVED_LINE = re.compile(
    r"Modification en cours, sauvegardée le \d\d/\d\d/\d{4} à \d\d:\d\d par contact@of-demo\.test\."
)
CONTACT_REQUEST = "Demande d'ajout ou de suppression de contact"


# ------------------------------------------------------------------ the API, for what a test only prepares or checks
def record_state(server: Any, token: str) -> dict[str, Any]:
    status, view = call(server, "GET", f"/structures/{HEAD_OFFICE_SIRET}", token=token)
    assert status == 200, view
    return view


def leave_head_office_clean(server: Any) -> None:
    """No pending submission, no draft: the state every test starts from and ends in."""
    token = api_token(server, OF_USER)
    state = record_state(server, token)["submission"]["state"]
    if state == "submitted":
        status, body = call(server, "DELETE", f"/structures/{HEAD_OFFICE_SIRET}/submission", token=token)
        assert status == 200, body
        state = "draft"
    if state == "draft":
        status, body = call(server, "DELETE", f"/structures/{HEAD_OFFICE_SIRET}/draft", token=token)
        assert status == 204, body
    assert record_state(server, token)["submission"]["state"] == "none"


@pytest.fixture(autouse=True)
def clean_head_office(server: Any) -> Iterator[None]:
    leave_head_office_clean(server)
    yield
    leave_head_office_clean(server)


def pending_submission(server: Any, moderator: str) -> str:
    status, queue = call(server, "GET", f"/moderation/queue?siret={HEAD_OFFICE_SIRET}", token=moderator)
    assert status == 200, queue
    assert len(queue) == 1, queue
    return queue[0]["id"]


def decide(server: Any, moderator: str, decision: str, comment: str | None = None) -> None:
    submission = pending_submission(server, moderator)
    body = {"decision": decision, **({"comment": comment} if comment else {})}
    status, answer = call(server, "POST", f"/moderation/submissions/{submission}/decision", body, moderator)
    assert status == 200, answer


def published_mails(server: Any) -> list[dict[str, Any]]:
    return [
        m for m in mails_to(server, OF_USER[0], PUBLISHED_SUBJECT) if f"siret={HEAD_OFFICE_SIRET}" in m.get("body", "")
    ]


# ------------------------------------------------------------------ the browser
def sign_in_at_head_office(page: Page) -> None:
    """The OF user, signed in, in the head office's structure space."""
    sign_in(page, OF_USER)
    choose_space(page, HEAD_OFFICE_NAME)
    expect(page.get_by_role("main").get_by_role("heading", name=HEAD_OFFICE_NAME)).to_be_visible()


def open_record(page: Page) -> None:
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Ma structure").click()
    expect(page).to_have_title("Ma structure — OFeli")
    expect(page.get_by_role("heading", level=2, name=HEAD_OFFICE_NAME)).to_be_visible()


def tab(page: Page, name: str) -> Locator:
    return page.get_by_role("tablist", name="Rubriques de la fiche structure").get_by_role("tab", name=name, exact=True)


def show_tab(page: Page, name: str) -> Locator:
    tab(page, name).click()
    expect(tab(page, name)).to_have_attribute("aria-selected", "true")
    panel = page.get_by_role("tabpanel", name=name)
    expect(panel).to_be_visible()
    return panel


def open_draft(page: Page) -> None:
    page.get_by_role("button", name="Demande de modification", exact=True).click()
    expect(page.get_by_role("heading", name="Modification en cours")).to_be_focused()
    expect(page.get_by_text(SAVED_LINE)).to_be_visible()


def add_entry(page: Page, button: str, value_label: str, value: str, label: str | None = None) -> None:
    page.get_by_role("button", name=button).click()
    dialog = page.get_by_role("dialog", name=button)
    if label:
        dialog.get_by_label("Libellé (facultatif)").fill(label)
    dialog.get_by_label(value_label, exact=True).fill(value)
    dialog.get_by_role("button", name="Valider").click()
    expect(dialog).to_be_hidden()


def save(page: Page) -> None:
    page.get_by_role("button", name="Sauvegarder", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Vos modifications sont sauvegardées")).to_be_visible()
    expect(page.get_by_text("Toutes vos modifications sont sauvegardées.")).to_be_visible()


def submit(page: Page) -> Locator:
    page.get_by_role("button", name="Soumettre pour validation", exact=True).click()
    dialog = page.get_by_role("dialog", name="Soumettre pour validation")
    expect(dialog).to_contain_text("vous ne pouvez plus modifier la fiche organisme")
    dialog.get_by_role("button", name="Confirmer").click()
    expect(dialog).to_be_hidden()
    banner = page.get_by_role("region", name="Demande en attente de validation par le Carif-Oref")
    expect(banner).to_be_visible()
    return banner


@contextmanager
def second_tab(browser: Browser, server: Any) -> Iterator[Page]:
    """The same person in another browser context (its own session storage), on Ma structure."""
    with other_person(browser, server) as page:
        sign_in_at_head_office(page)
        open_record(page)
        yield page


# ------------------------------------------------------------------ the whole workflow
def test_the_record_goes_from_a_change_request_to_its_publication(page: Page, server: Any) -> None:
    new_email = f"inscriptions-{uuid.uuid4().hex[:8]}@of-demo.test"
    mails_before = len(published_mails(server))
    sign_in_at_head_office(page)
    open_record(page)

    # Identité: greyed fields, fed from national databases.
    identity = page.get_by_role("tabpanel", name="Identité")
    expect(tab(page, "Identité")).to_have_attribute("aria-selected", "true")
    expect(identity).to_contain_text("Les champs grisés sont alimentés à partir de bases de données nationales")
    expect(identity.get_by_role("link", name="service-offre@cariforefnormandie.fr")).to_have_attribute(
        "href", "mailto:service-offre@cariforefnormandie.fr"
    )
    nda = identity.get_by_label("Numéro de déclaration d'activité (NDA)")
    expect(nda).to_have_value("28140000014")
    expect(nda).not_to_be_editable()
    expect(identity.get_by_label("SIRET", exact=True)).to_have_value("814 327 121 00012")
    expect(identity.get_by_label("SIREN", exact=True)).to_have_value("814 327 121")
    expect(identity.get_by_label("Raison sociale")).to_have_value(HEAD_OFFICE_NAME)
    background = nda.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background != "rgb(255, 255, 255)", background  # greyed

    # Demande de modification, then an e-mail added through the dialog and a contact request.
    open_draft(page)
    coordinates = show_tab(page, "Coordonnées")
    add_entry(page, "Ajouter une adresse e-mail", "Adresse e-mail", new_email.upper(), label="Inscriptions")
    expect(coordinates.get_by_role("listitem").filter(has_text=new_email)).to_have_text(
        re.compile(rf"^Inscriptions : {re.escape(new_email)}")
    )
    expect(page.get_by_text("Vous avez des modifications non sauvegardées")).to_be_visible()
    show_tab(page, "Contacts")
    page.get_by_label(CONTACT_REQUEST).fill("Ajouter Paul Martin, responsable pédagogique.")
    save(page)
    expect(page.get_by_role("button", name="Sauvegarder", exact=True)).to_be_focused()

    # Soumettre pour validation → Confirmer: the orange banner, and nothing left to edit.
    banner = submit(page)
    expect(page.get_by_role("heading", name="Demande en attente de validation par le Carif-Oref")).to_be_focused()
    expect(banner).to_contain_text(
        "vous ne pouvez plus modifier la fiche organisme tant que le Carif-Oref ne l'a pas validée"
    )
    assert banner.evaluate("element => getComputedStyle(element).backgroundColor") == "rgb(255, 244, 224)"
    for name in ["Sauvegarder", "Soumettre pour validation", "Annuler", "Demande de modification"]:
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)
    assert_no_axe_violation(page)
    coordinates = show_tab(page, "Coordonnées")
    expect(coordinates).to_contain_text("Valeurs soumises au Carif-Oref, en attente de validation.")
    expect(coordinates).to_contain_text(new_email)
    expect(coordinates.get_by_role("button")).to_have_count(0)

    # The Carif-Oref rejects it with a comment: the OF reads it, corrects and submits again.
    moderator = api_token(server, MODERATOR)
    decide(server, moderator, "reject", "Précisez l'adresse e-mail de Paul Martin.")
    page.reload()
    rejection = page.get_by_role("region", name="Votre dernière demande n'a pas été validée par le Carif-Oref")
    expect(rejection).to_contain_text("Précisez l'adresse e-mail de Paul Martin.")
    assert_no_axe_violation(page)
    expect(page.get_by_role("heading", name="Modification en cours")).to_be_visible()
    show_tab(page, "Contacts")
    request = page.get_by_label(CONTACT_REQUEST)
    expect(request).to_have_value("Ajouter Paul Martin, responsable pédagogique.")
    request.fill("Ajouter Paul Martin, responsable pédagogique (paul.martin@of-demo.test).")
    page.get_by_role("button", name="Soumettre pour validation", exact=True).click()
    expect(page.get_by_role("dialog", name="Soumettre pour validation")).to_contain_text(
        "Vos modifications non sauvegardées seront d'abord sauvegardées."
    )
    page.get_by_role("dialog").get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("region", name="Demande en attente de validation par le Carif-Oref")).to_be_visible()
    expect(rejection).to_have_count(0)

    # Approved: published, in the history with the moderator, and the OF is told by e-mail.
    decide(server, moderator, "approve")
    page.reload()
    expect(page.get_by_role("button", name="Demande de modification", exact=True)).to_be_visible()
    coordinates = show_tab(page, "Coordonnées")
    expect(coordinates.get_by_role("listitem").filter(has_text=new_email)).to_have_text(f"Inscriptions : {new_email}")
    management = show_tab(page, "Gestion")
    entry = (
        management.get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=re.compile(r"^Modification publiée le")))
        .filter(has_text=new_email)
    )
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Demandée par contact@of-demo.test")
    assert_no_axe_violation(page)
    expect(entry).to_contain_text("validée par moderation@carif-oref.test")
    expect(entry).to_contain_text(f"Ajouté : Inscriptions : {new_email}")
    expect(entry).to_contain_text(
        "Après : « Ajouter Paul Martin, responsable pédagogique (paul.martin@of-demo.test). »"
    )

    deadline = time.monotonic() + 10
    while len(published_mails(server)) <= mails_before:
        assert time.monotonic() < deadline, f"no e-mail « {PUBLISHED_SUBJECT} » to {OF_USER[0]}"
        time.sleep(0.2)


# ------------------------------------------------------------------ bad inputs, leaving, Annuler
def test_bad_entries_are_refused_in_the_dialog_and_annuler_drops_the_draft(page: Page, server: Any) -> None:
    sign_in_at_head_office(page)
    open_record(page)
    open_draft(page)
    coordinates = show_tab(page, "Coordonnées")

    cases = [
        ("Ajouter une adresse e-mail", "Adresse e-mail", "accueil@of-demo", "L'adresse e-mail n'est pas valide"),
        ("Ajouter un numéro de téléphone", "Numéro de téléphone", "02 31 00", "numéro français à 10 chiffres"),
        ("Ajouter un site internet", "Adresse du site internet", "www.of-demo.test", "http:// ou https://"),
        ("Ajouter une adresse e-mail", "Adresse e-mail", "ACCUEIL@of-demo.test", "figure déjà dans la liste"),
        ("Ajouter un site internet", "Adresse du site internet", "", "Saisissez l'adresse du site internet."),
    ]
    for button, label, value, message in cases:
        page.get_by_role("button", name=button).click()
        dialog = page.get_by_role("dialog", name=button)
        field = dialog.get_by_label(label, exact=True)
        field.fill(value)
        dialog.get_by_role("button", name="Valider").click()
        expect(dialog.get_by_role("alert")).to_contain_text(message)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(re.escape(message)))
        expect(page).to_have_title("Erreur — Ma structure — OFeli")
        if button == cases[0][0] and value == cases[0][2]:
            assert_no_axe_violation(page)
        # The link of the summary leads to the field.
        dialog.get_by_role("alert").get_by_role("link").click()
        expect(field).to_be_focused()
        dialog.get_by_role("button", name="Annuler").click()
        expect(dialog).to_be_hidden()
        expect(page.get_by_role("button", name=button)).to_be_focused()
        expect(page).to_have_title("Ma structure — OFeli")
    expect(page.get_by_text("Toutes vos modifications sont sauvegardées.")).to_be_visible()

    # A valid number is kept as the API writes it; an entry goes with Supprimer; every control is named.
    add_entry(page, "Ajouter un numéro de téléphone", "Numéro de téléphone", "+33 2.31.00.00.09", label="Formation")
    expect(coordinates).to_contain_text("Formation : 02 31 00 00 09")
    page.get_by_role("button", name="Supprimer l'adresse e-mail accueil@of-demo.test").click()
    expect(coordinates.get_by_text("accueil@of-demo.test")).to_have_count(0)
    # The focus goes to the next entry's Supprimer (earlier tests may have published one), else to Ajouter.
    focused = page.locator(":focus")
    expect(focused).to_have_accessible_name(re.compile(r"^(Supprimer l'adresse e-mail |Ajouter une adresse e-mail$)"))
    expect(page.get_by_text("Vous avez des modifications non sauvegardées")).to_be_visible()
    for button in each(page.get_by_role("main").get_by_role("button"), at_least=MAIN_BUTTONS_IN_EDIT):
        expect(button).to_have_accessible_name(re.compile(r"\S"))
    assert_no_axe_violation(page)

    # Leaving with unsaved changes asks first (the browser's own question), and stays when refused.
    asked: list[str] = []

    def refuse(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", refuse)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Tableau de bord").click()
    deadline = time.monotonic() + 5
    while not asked and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert asked == ["beforeunload"]
    page.remove_listener("dialog", refuse)
    expect(page).to_have_title("Ma structure — OFeli")
    expect(coordinates).to_contain_text("Formation : 02 31 00 00 09")

    # Annuler, after a confirmation: the draft goes, the published record stays.
    page.get_by_role("button", name="Annuler", exact=True).click()
    dialog = page.get_by_role("dialog", name="Annuler la modification en cours ?")
    expect(dialog).to_contain_text("La fiche publiée reste inchangée.")
    expect(dialog.get_by_role("button", name="Continuer la saisie")).to_be_focused()
    dialog.get_by_role("button", name="Effacer mes modifications").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="Vos modifications sont effacées")).to_be_visible()
    expect(page.get_by_role("button", name="Demande de modification", exact=True)).to_be_focused()
    coordinates = show_tab(page, "Coordonnées")
    expect(coordinates).to_contain_text("Accueil : accueil@of-demo.test")
    expect(coordinates).not_to_contain_text("02 31 00 00 09")
    assert record_state(server, api_token(server, OF_USER))["submission"]["state"] == "none"


def test_field_errors_from_the_api_are_shown_next_to_their_entry(page: Page) -> None:
    sign_in_at_head_office(page)
    open_record(page)
    open_draft(page)
    message = "Le numéro de téléphone doit être un numéro français à 10 chiffres (exemple : 02 31 00 00 00)."

    def refuse_save(route: Route) -> None:
        if route.request.method != "PUT":
            route.fallback()
            return
        route.fulfill(
            status=422,
            content_type="application/json",
            body=json.dumps(
                {
                    "error": {
                        "code": "invalid_request",
                        "message": "La requête contient des erreurs : corrigez les champs signalés.",
                        "fields": [{"field": "data.phones.0.number", "message": message}],
                    }
                }
            ),
        )

    page.route(f"**/structures/{HEAD_OFFICE_SIRET}/draft", refuse_save)
    page.get_by_role("button", name="Sauvegarder", exact=True).click()

    alert = page.get_by_role("alert").filter(has_text="Vos modifications n'ont pas été sauvegardées")
    expect(alert).to_be_focused()
    expect(alert).to_contain_text(f"Numéro de téléphone n° 1 (02 31 00 00 01) : {message}")
    expect(tab(page, "Coordonnées")).to_have_attribute("aria-selected", "true")
    change = page.get_by_role("button", name="Modifier le numéro de téléphone 02 31 00 00 01")
    expect(change).to_have_accessible_description(re.compile(re.escape(message)))
    assert_no_axe_violation(page)

    # From another tab, the summary's link brings the entry back into view.
    show_tab(page, "Identité")
    alert.get_by_role("link").click()
    expect(tab(page, "Coordonnées")).to_have_attribute("aria-selected", "true")
    expect(change).to_be_focused()
    page.unroute(f"**/structures/{HEAD_OFFICE_SIRET}/draft")


# ------------------------------------------------------------------ two tabs, one draft
def test_a_stale_save_keeps_what_was_typed_and_offers_the_latest_version(
    page: Page, browser: Browser, server: Any
) -> None:
    sign_in_at_head_office(page)
    open_record(page)
    open_draft(page)

    with second_tab(browser, server) as other:
        # The draft left open is reopened in edit mode.
        expect(other.get_by_role("heading", name="Modification en cours")).to_be_visible()
        expect(other.get_by_text(SAVED_LINE)).to_be_visible()

        show_tab(page, "Contacts")
        page.get_by_label(CONTACT_REQUEST).fill("Demande écrite dans le premier onglet.")
        save(page)

        show_tab(other, "Contacts")
        typed = other.get_by_label(CONTACT_REQUEST)
        typed.fill("Demande écrite dans le second onglet.")
        other.get_by_role("button", name="Sauvegarder", exact=True).click()
        conflict = other.get_by_role("alert").filter(has_text="Votre saisie n'a pas été enregistrée")
        expect(conflict).to_contain_text("Ces données ont été modifiées entre-temps")
        expect(conflict).to_be_focused()
        expect(typed).to_have_value("Demande écrite dans le second onglet.")
        expect(other.get_by_text("Vous avez des modifications non sauvegardées")).to_be_visible()
        assert_no_axe_violation(other)

        conflict.get_by_role("button", name="Recharger la dernière version").click()
        expect(typed).to_have_value("Demande écrite dans le premier onglet.")
        expect(conflict).to_have_count(0)
        expect(other.get_by_role("status").filter(has_text="Dernière version chargée")).to_be_visible()
        expect(other.get_by_text("Toutes vos modifications sont sauvegardées.")).to_be_visible()
        expect(other).to_have_title("Ma structure — OFeli")


# ------------------------------------------------------------------ withdrawing a submission
def test_withdrawing_a_submission_goes_back_to_edit_mode(page: Page, server: Any) -> None:
    sign_in_at_head_office(page)
    open_record(page)
    open_draft(page)
    show_tab(page, "Coordonnées")
    add_entry(page, "Ajouter un site internet", "Adresse du site internet", "https://formations.of-demo.test")
    banner = submit(page)

    banner.get_by_role("button", name="Annuler ma demande de vérification").click()
    dialog = page.get_by_role("dialog", name="Annuler ma demande de vérification")
    expect(dialog.get_by_role("button", name="Conserver ma demande")).to_be_focused()
    dialog.get_by_role("button", name="Retirer ma demande").click()
    expect(dialog).to_be_hidden()

    expect(page.get_by_role("heading", name="Modification en cours")).to_be_focused()
    expect(banner).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Votre demande de vérification est annulée")).to_be_visible()
    expect(page.get_by_role("button", name="Sauvegarder", exact=True)).to_be_visible()
    coordinates = show_tab(page, "Coordonnées")
    expect(coordinates).to_contain_text("https://formations.of-demo.test")
    expect(
        page.get_by_role("button", name="Supprimer le site internet https://formations.of-demo.test")
    ).to_be_visible()

    moderator = api_token(server, MODERATOR)
    status, queue = call(server, "GET", f"/moderation/queue?siret={HEAD_OFFICE_SIRET}", token=moderator)
    assert status == 200 and queue == [], queue


# ------------------------------------------------------------------ Gestion: documents
def test_a_document_is_uploaded_and_can_be_downloaded(page: Page, tmp_path: Path) -> None:
    content = b"%PDF-1.4\n% attestation OFeli " + uuid.uuid4().hex.encode() + b"\n%%EOF\n"
    name = f"attestation-qualiopi-{uuid.uuid4().hex[:6]}.pdf"
    document = tmp_path / name
    document.write_bytes(content)
    sign_in_at_head_office(page)
    open_record(page)
    management = show_tab(page, "Gestion")

    def choose(path: Path) -> None:
        with page.expect_file_chooser() as chooser:
            management.get_by_role("button", name=re.compile("^Parcourir")).click()
        chooser.value.set_files(str(path))

    # Checked before anything is sent: the type, then the size.
    notes = tmp_path / "notes.txt"
    notes.write_text("pas un PDF")
    choose(notes)
    expect(management.get_by_role("status").filter(has_text="Fichier refusé")).to_contain_text("n'est pas accepté")
    management.get_by_role("button", name="Envoyer le document").click()
    expect(management.get_by_role("alert")).to_contain_text("choisissez un fichier PDF, JPEG ou PNG")
    too_large = tmp_path / "trop-lourd.pdf"
    too_large.write_bytes(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    choose(too_large)
    management.get_by_role("button", name="Envoyer le document").click()
    expect(management.get_by_role("alert")).to_contain_text("dépasse la taille maximale de 10 Mo")

    choose(document)
    expect(management.get_by_role("status").filter(has_text="Fichier choisi")).to_have_text(
        f"Fichier choisi : {name} (1 ko)."
    )
    management.get_by_role("button", name="Envoyer le document").click()
    expect(management.get_by_role("status").filter(has_text="est envoyé au Carif-Oref")).to_be_visible()
    link = management.get_by_role("link", name=f"Télécharger {name} (1 ko)")
    expect(link).to_be_visible()
    downloaded = page.request.get(link.get_attribute("href") or "")
    assert downloaded.ok
    assert downloaded.body() == content


# ------------------------------------------------------------------ the other tabs
def test_organisation_formations_and_the_other_tabs(page: Page) -> None:
    sign_in_at_head_office(page)
    open_record(page)

    organisation = show_tab(page, "Organisation")
    expect(organisation).to_contain_text("Nous contacter pour toute modification")
    expect(organisation).to_contain_text("Aucune structure parente")
    expect(organisation).to_contain_text("Cette structure n'est rattachée à aucun réseau.")
    branch = organisation.get_by_role("link", name=BRANCH_NAME)
    expect(branch).to_have_attribute("href", f"/ma-structure?siret={BRANCH_SIRET}")

    formations = show_tab(page, "Formations de l'OF")
    table = formations.get_by_role("table")
    expect(table.get_by_role("row").filter(has_text="CAP boulanger")).to_contain_text("OF responsable")
    expect(table.get_by_role("row").filter(has_text="Assistant de comptabilité")).to_have_count(1)
    expect(table.get_by_role("link")).to_have_count(2)  # each reference opens its formation

    habilitations = show_tab(page, "Habilitations")
    expect(habilitations).to_contain_text("RNCP37861 — CAP Boulanger")
    expect(habilitations).to_contain_text("adressez-vous au certificateur pour qu'il ajoute votre SIRET")
    expect(show_tab(page, "Qualité")).to_contain_text("Actions de formation par apprentissage")
    contacts = show_tab(page, "Contacts")
    cards = each(contacts.locator(".fiche-contact"), at_least=2)
    expect(cards[0]).to_contain_text("Madame Anne Roussel")
    expect(cards[0]).to_contain_text("Contact principal")
    expect(cards[0].get_by_role("link", name="direction@of-demo.test")).to_be_visible()
    expect(cards[1]).to_contain_text("Monsieur Marc Petit")
    expect(cards[1]).to_contain_text("Type : Référent pédagogique, Référent handicap")
    expect(contacts).to_contain_text("la personne responsable de l'établissement")
    expect(contacts).to_contain_text("vous n'avez pas la main pour ajouter ou supprimer un contact")
    coordinates = show_tab(page, "Coordonnées")
    expect(coordinates.get_by_label("Ville")).to_have_value("Caen")
    expect(coordinates.get_by_role("link", name="service-offre@cariforefnormandie.fr")).to_be_visible()

    # The branch's record, reached from the link: its parent leads back; it becomes the structure space.
    show_tab(page, "Organisation")
    branch.click()
    expect(page).to_have_url(re.compile(rf"/ma-structure\?siret={BRANCH_SIRET}$"))
    expect(page.get_by_role("heading", level=2, name=BRANCH_NAME)).to_be_visible()
    expect(space_selector(page)).to_have_value(BRANCH_SIRET)
    parent = show_tab(page, "Organisation")
    expect(parent.get_by_role("link", name=HEAD_OFFICE_NAME)).to_have_attribute(
        "href", f"/ma-structure?siret={HEAD_OFFICE_SIRET}"
    )

    # Choosing another space above shows that structure's record, on the same tab.
    space_selector(page).select_option(label=HEAD_OFFICE_NAME)
    expect(page).to_have_url(re.compile(r"/ma-structure#organisation$"))
    expect(page.get_by_role("heading", level=2, name=HEAD_OFFICE_NAME)).to_be_visible()
    expect(tab(page, "Organisation")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel", name="Organisation").get_by_role("link", name=BRANCH_NAME)).to_be_visible()


def test_a_moderator_reads_the_record_without_the_workflow(page: Page) -> None:
    sign_in(page, MODERATOR)

    page.goto(f"/ma-structure?siret={HEAD_OFFICE_SIRET}#gestion")
    expect(page.get_by_role("heading", level=2, name=HEAD_OFFICE_NAME)).to_be_visible()
    expect(page.get_by_text("Consultation en lecture seule")).to_be_visible()
    expect(tab(page, "Gestion")).to_have_attribute("aria-selected", "true")
    management = page.get_by_role("tabpanel", name="Gestion")
    expect(management.get_by_role("heading", name="Historique")).to_be_visible()
    expect(management.get_by_role("button")).to_have_count(0)
    for name in ["Demande de modification", "Sauvegarder", "Soumettre pour validation"]:
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)
    coordinates = show_tab(page, "Coordonnées")
    expect(coordinates).to_contain_text("accueil@of-demo.test")
    expect(coordinates.get_by_role("button")).to_have_count(0)


# ------------------------------------------------------------------ accessibility smoke check
# What each tab shows at least (a loop over what a page shows must not pass on an empty page).
SHOWN_IN_TAB = {"Identité": {"controls": 7, "buttons": 2}, "Gestion": {"controls": 1, "buttons": 4}}


def test_accessibility_basics_of_ma_structure(page: Page) -> None:
    sign_in_at_head_office(page)
    page.goto("/ma-structure#contacts")
    expect(page.get_by_role("heading", level=2, name=HEAD_OFFICE_NAME)).to_be_visible()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title("Ma structure — OFeli")
    assert page.locator("h1").count() == 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma structure")
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("link", name="Ma structure")).to_have_attribute("aria-current", "page")

    # The skip link is the first thing the keyboard reaches, and it leads to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    # Every control has a name (the file input is reached through its "Parcourir…" button).
    for name in ["Identité", "Gestion"]:
        show_tab(page, name)
        expect(page.get_by_role("tabpanel", name=name).get_by_text(re.compile("^Chargement"))).to_have_count(0)
        controls = page.locator("input:not([type=hidden]):not([aria-hidden=true]), select, textarea")
        for control in each(controls.filter(visible=True), at_least=SHOWN_IN_TAB[name]["controls"]):
            expect(control).to_have_accessible_name(re.compile(r"\S"))
        for button in each(page.get_by_role("button"), at_least=SHOWN_IN_TAB[name]["buttons"]):
            expect(button).to_have_accessible_name(re.compile(r"\S"))
        assert_no_axe_violation(page)

    # Tabs with the keyboard: the hash chose one; arrows, Début and Fin move and show; Tab enters the panel.
    page.goto("/ma-structure#contacts")
    tablist = page.get_by_role("tablist", name="Rubriques de la fiche structure")
    expect(tablist.get_by_role("tab")).to_have_text(
        [
            "Identité",
            "Coordonnées",
            "Organisation",
            "Contacts",
            "Qualité",
            "Habilitations",
            "Formations de l'OF",
            "Gestion",
        ]
    )
    contacts = tab(page, "Contacts")
    expect(contacts).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel", name="Contacts")).to_be_visible()
    expect(tablist.locator('[role=tab][tabindex="0"]')).to_have_count(1)
    contacts.focus()
    page.keyboard.press("ArrowRight")
    expect(tab(page, "Qualité")).to_be_focused()
    expect(tab(page, "Qualité")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel", name="Qualité")).to_be_visible()
    expect(page.get_by_role("tabpanel", name="Contacts")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/ma-structure#qualite$"))
    page.keyboard.press("End")
    expect(tab(page, "Gestion")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(tab(page, "Identité")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(tab(page, "Gestion")).to_be_focused()
    page.keyboard.press("Home")
    expect(tab(page, "Identité")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Tab")
    expect(page.get_by_role("tabpanel", name="Identité")).to_be_focused()

    # The tab shown survives a reload.
    page.reload()
    expect(tab(page, "Identité")).to_have_attribute("aria-selected", "true")
    show_tab(page, "Habilitations")
    page.reload()
    expect(tab(page, "Habilitations")).to_have_attribute("aria-selected", "true")
