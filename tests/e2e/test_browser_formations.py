"""Formations in a real browser, as the user guide describes them: *Formations* in the menu, *Ajouter une
formation* (certifying or not, the certification search dialog, the similar formations, the NDA), the
formation's page prefilled, saved, submitted, pending on orange, approved by the Carif-Oref; a trainer's
read-only view; a rejected request and *Supprimer ma demande*; the Carif-Oref's indexing.

Runs against the shared `ofeli serve` process (fixture `server`) with Debian's chromium. The demo referential
(loaded by the seed) has CAP Boulanger (RNCP37861, the head office's F0000001) and CAP Pâtissier (RNCP37862,
used by no demo formation). Each test makes the formations it needs; the moderator's decisions go through
the browser in the journey, through the HTTP API elsewhere.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Locator, Page, expect
from support import (
    BRANCH,
    HEAD_OFFICE,
    MODERATOR,
    OF_USER,
    api_token,
    assert_no_axe_violation,
    call,
    choose_space,
    other_person,
    sign_in,
    space_selector,
)

HEAD_OFFICE_SIRET, HEAD_OFFICE_NAME = HEAD_OFFICE
BRANCH_SIRET, BRANCH_NAME = BRANCH
BOULANGER = "RNCP37861"  # F0000001's certification
PATISSIER = "RNCP37862"  # no demo formation has it
SOUDEUR_REF = "F0000003"  # Atelier Normand's, a session trained by the demo OF's branch
FORMATION_URL = re.compile(r"/formation\?ref=(F\d{7})$")
NO_NDA = "Attention à bien sélectionner dans votre espace structure l'organisme porteur du numéro de déclaration"


# ------------------------------------------------------------------ helpers
def menu_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name, exact=True)


def open_formations(page: Page, space: str) -> None:
    """Signed in as the demo OF user, in `space`, on *Formations*."""
    sign_in(page, OF_USER)
    choose_space(page, space)
    menu_link(page, "Formations").click()
    expect(page).to_have_title("Formations — OFeli")
    expect(menu_link(page, "Formations")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("table")).to_be_visible()


def certification_dialog(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Rechercher une certification")


def choose_certification(page: Page, query: str, code: str) -> Locator:
    """The magnifier, a search, the radio button of `code`, *Valider ma sélection*; the dialog, closed."""
    page.get_by_role("button", name="Rechercher une certification").click()
    dialog = certification_dialog(page)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Rechercher une certification")).to_be_focused()
    dialog.get_by_label("Rechercher une certification").fill(query)
    dialog.get_by_role("button", name="Rechercher", exact=True).click()
    row = dialog.get_by_role("row").filter(has=page.get_by_role("link", name=re.compile(f"^{code}")))
    expect(row).to_have_count(1)
    row.get_by_role("radio").check()
    dialog.get_by_role("button", name="Valider ma sélection").click()
    expect(dialog).to_be_hidden()
    return dialog


def queue_entry(server: Any, moderator: str, ref: str) -> str:
    status, queue = call(server, "GET", "/moderation/queue?kind=formation", token=moderator)
    assert status == 200, queue
    (entry,) = [e for e in queue if e["record_id"] == ref]
    return str(entry["id"])


def paste(locator: Locator, text: str) -> None:
    """A paste from a word processor: the page's handler receives the clipboard's text."""
    locator.focus()
    locator.evaluate(
        """(element, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
            element.dispatchEvent(event);
        }""",
        text,
    )


# ------------------------------------------------------------------ the journey
def test_from_ajouter_to_an_approved_formation(page: Page, browser: Browser, server: Any) -> None:
    open_formations(page, HEAD_OFFICE_NAME)
    rows = page.get_by_role("table").get_by_role("row")
    # the search's table: one line per session (tests/e2e/test_browser_search.py follows the search itself)
    cap = rows.filter(has=page.get_by_role("link", name=re.compile("^F0000001")))
    expect(cap.first).to_contain_text("CAP boulanger")
    expect(cap.first).to_contain_text("Diffusée")
    expect(cap.first).not_to_contain_text("Formateur")
    expect(page.get_by_role("search", name="Rechercher des formations de l'espace structure")).to_be_visible()

    page.get_by_role("link", name="Ajouter une formation").click()
    expect(page).to_have_url(re.compile(rf"/nouvelle-formation\?siret={HEAD_OFFICE_SIRET}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une formation")
    question = page.get_by_role("group", name="Votre formation mène-t-elle à une certification ou une habilitation ?")
    expect(question.get_by_role("radio", name="Non")).to_be_checked()
    question.get_by_role("radio", name="Oui").check()

    # The dialog: the referential listed (active ones first), a search, a row unfolded, a choice.
    page.get_by_role("button", name="Rechercher une certification").click()
    dialog = certification_dialog(page)
    expect(dialog.get_by_role("table")).to_be_visible()
    expect(dialog.get_by_role("status")).to_contain_text("certifications trouvées")
    assert_no_axe_violation(page)
    dialog.get_by_label("Rechercher une certification").fill("boulang")
    dialog.get_by_role("button", name="Rechercher", exact=True).click()
    row = dialog.get_by_role("row").filter(has=page.get_by_role("link", name=re.compile(f"^{BOULANGER}")))
    expect(row).to_contain_text("Boulanger")
    expect(row).to_contain_text("Niveau 3")
    expect(row).to_contain_text("31/12/2030")
    expect(row).to_contain_text("Active")
    link = row.get_by_role("link", name=re.compile(f"^{BOULANGER}"))
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_accessible_name(re.compile("nouvel onglet"))
    details = row.get_by_role("button", name=f"Détails de {BOULANGER}")
    expect(details).to_have_attribute("aria-expanded", "false")
    details.click()
    expect(details).to_have_attribute("aria-expanded", "true")
    expect(dialog.get_by_text(f"Blocs de compétences de {BOULANGER}")).to_be_visible()
    dialog.get_by_role("button", name="Valider ma sélection").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Cochez d'abord le bouton radio")
    row.get_by_role("radio", name=f"Choisir {BOULANGER} : Boulanger").check()
    dialog.get_by_role("button", name="Valider ma sélection").click()
    expect(dialog).to_be_hidden()

    # The same certification as F0000001: the page says so before creating.
    similar = page.get_by_role("region", name=re.compile("ressemble"))
    expect(similar).to_contain_text("F0000001")
    expect(similar).to_contain_text(f"Même certification ({BOULANGER})")
    expect(similar.get_by_role("link", name=re.compile("^F0000001"))).to_have_attribute(
        "href", "/formation?ref=F0000001"
    )

    # Not that one after all: CAP Pâtissier instead.
    page.get_by_role("button", name=f"Retirer la certification {BOULANGER}").click()
    expect(page.get_by_text("Aucune certification choisie")).to_be_visible()
    choose_certification(page, "pâtissier", PATISSIER)
    chosen = page.locator(f'[data-certification="{PATISSIER}"]')
    expect(chosen).to_contain_text("Pâtissier")
    expect(chosen.get_by_role("radio", name=f"Certification principale : {PATISSIER}")).to_be_checked()
    expect(similar).to_have_count(0)
    assert_no_axe_violation(page)

    page.get_by_role("button", name="Créer", exact=True).click()
    expect(page).to_have_url(FORMATION_URL)
    ref = FORMATION_URL.search(page.url).group(1)  # type: ignore[union-attr]
    expect(page.get_by_role("heading", name="Formation en cours de création")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=f"La formation {ref} est créée")).to_be_visible()

    # Prefilled from the referential.
    expect(page.get_by_label("Intitulé de la formation")).to_have_value(re.compile("Pâtissier$"))
    expect(page.get_by_label("Niveau de sortie")).to_have_value("13")
    expect(page.get_by_label("Niveau d'entrée")).to_have_value("1")
    expect(page.locator(f'[data-certification="{PATISSIER}"]')).to_contain_text("Active")

    # Completed: a title, text pasted from a word processor (cleaned), a contact; saved.
    page.get_by_label("Intitulé de la formation").fill("CAP pâtissier")
    expect(page.get_by_text("13 caractères sur 255")).to_be_visible()
    objective = page.get_by_label("Objectif")
    objective.fill("")
    paste(objective, "Réaliser\u00a0les pâtisseries :\r\n\u2022 pâtes\r\n\u2022\tcrèmes\u00ad")
    expect(objective).to_have_value("Réaliser les pâtisseries :\n- pâtes\n- crèmes")
    page.get_by_label("Contact de la formation").select_option(label="Monsieur Marc Petit (Responsable pédagogique)")
    expect(page.get_by_text("Vous avez des modifications non sauvegardées")).to_be_visible()
    assert_no_axe_violation(page)
    page.get_by_role("button", name="Sauvegarder le brouillon").click()
    expect(page.get_by_role("status").filter(has_text="Votre brouillon est sauvegardé")).to_be_visible()
    expect(page.get_by_text("Toutes vos modifications sont sauvegardées.")).to_be_visible()
    expect(page.get_by_label("Intitulé de la formation")).to_have_value("CAP pâtissier")

    # Soumettre pour validation, then Confirmer: pending, on orange, locked.
    page.get_by_role("button", name="Soumettre pour validation").click()
    confirm = page.get_by_role("dialog", name="Soumettre pour validation")
    expect(confirm).to_contain_text("vous ne pourrez plus modifier cette formation")
    confirm.get_by_role("button", name="Confirmer").click()
    expect(confirm).to_be_hidden()
    pending = page.get_by_role("region", name="Formation en attente de validation par le Carif-Oref")
    expect(pending).to_be_visible()
    expect(pending).to_contain_text(
        "vous ne pouvez plus modifier cette formation tant que nos services ne l'ont pas validée"
    )
    background = pending.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background == "rgb(255, 244, 224)", background  # the guide's orange (--amber-050)
    expect(page.locator(".carte").get_by_text("En attente de validation")).to_be_visible()
    expect(pending.get_by_role("button", name="Voir ma demande")).to_have_attribute("aria-expanded", "true")
    expect(pending.get_by_role("button", name="Annuler ma demande de vérification")).to_be_visible()
    expect(page.get_by_role("button", name="Sauvegarder le brouillon")).to_have_count(0)
    assert_no_axe_violation(page)

    # The Carif-Oref: the queue, the request (differences in words, a link to the formation), approved.
    with other_person(browser, server, MODERATOR) as moderation:
        moderator_token = api_token(server, MODERATOR)
        submission = queue_entry(server, moderator_token, ref)
        moderation.goto("/moderation/file?type=formation")
        moderation.locator(f'a[href="/moderation/soumission?id={submission}"]').click()
        expect(moderation.get_by_role("heading", level=2, name="CAP pâtissier")).to_be_visible()
        expect(moderation.get_by_role("link", name=re.compile("^Voir la formation"))).to_have_attribute(
            "href", f"/formation?ref={ref}"
        )
        differences = moderation.get_by_role("table")
        expect(differences.get_by_role("row", name=re.compile("^Certifications"))).to_contain_text(
            f"{PATISSIER} (principale)"
        )
        expect(differences.get_by_role("row", name=re.compile("^Niveau de sortie"))).to_contain_text("Niveau 3")
        expect(differences.get_by_role("row", name=re.compile("^Contact"))).to_contain_text("Marc Petit")
        assert_no_axe_violation(moderation)
        moderation.get_by_role("button", name="Valider et publier").click()
        moderation.get_by_role("dialog").get_by_role("button", name="Confirmer la publication").click()
        expect(moderation).to_have_url(re.compile(r"/moderation/file"))
        expect(moderation.get_by_role("status").filter(has_text="CAP pâtissier")).to_be_visible()

    # The OF: published, read-only, and a modification is a request again.
    page.reload()
    expect(page.locator(".carte").get_by_text("Publiée")).to_be_visible()
    expect(page.get_by_role("button", name="Demande de modification")).to_be_visible()
    expect(page.get_by_role("region", name="Informations de la formation (version publiée)")).to_contain_text(
        "Réaliser les pâtisseries"
    )
    menu_link(page, "Formations").click()
    created = page.get_by_role("row").filter(has=page.get_by_role("link", name=re.compile(f"^{ref}")))
    # published without a session yet: the search's state of its one line, as the API says it
    token = api_token(server, OF_USER)
    status, found = call(server, "GET", f"/structures/{HEAD_OFFICE_SIRET}/formations?ref={ref}", token=token)
    assert status == 200 and [line["ref"] for line in found["items"]] == [ref], found
    expect(created).to_contain_text("CAP pâtissier")
    expect(created).to_contain_text(found["items"][0]["state_label"])


# ------------------------------------------------------------------ who may write
def test_a_trainer_reads_the_formation_of_another_organisation(page: Page) -> None:
    open_formations(page, BRANCH_NAME)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=re.compile(f"^{SOUDEUR_REF}"))).first
    expect(row).to_contain_text("Soudeur assembleur industriel")
    expect(row).to_contain_text("Formateur")
    row.get_by_role("link", name=re.compile(f"^{SOUDEUR_REF}")).click()
    expect(page).to_have_url(re.compile(rf"/formation\?ref={SOUDEUR_REF}$"))
    expect(page.get_by_role("heading", level=2, name="Soudeur assembleur industriel")).to_be_visible()
    expect(page.get_by_text("Seul le mandataire peut modifier cette formation et ses sessions.")).to_be_visible()
    expect(page.get_by_role("button", name="Demande de modification")).to_have_count(0)
    expect(page.get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_role("table", name=re.compile("sessions"))).to_contain_text("SIRET 814 327 121 00020")
    assert_no_axe_violation(page)


def test_a_space_without_nda_cannot_create_a_formation(page: Page) -> None:
    open_formations(page, BRANCH_NAME)
    page.get_by_role("link", name="Ajouter une formation").click()
    expect(page).to_have_url(re.compile(rf"/nouvelle-formation\?siret={BRANCH_SIRET}$"))
    page.get_by_label("Intitulé de la formation").fill("Préparation à l'entretien d'embauche")
    page.get_by_role("button", name="Créer", exact=True).click()
    alert = page.get_by_role("alert").filter(has_text=NO_NDA)
    expect(alert).to_be_visible()
    expect(alert).to_be_focused()
    expect(page).to_have_title(re.compile("^Erreur — "))
    alert.get_by_role("link", name="Changer d'espace structure").click()
    expect(space_selector(page)).to_be_focused()
    expect(page).to_have_url(re.compile(r"/nouvelle-formation"))


# ------------------------------------------------------------------ a rejection, and Supprimer ma demande
def test_a_rejected_creation_shows_the_comment_then_is_deleted(page: Page, server: Any) -> None:
    token = api_token(server, OF_USER)
    moderator = api_token(server, MODERATOR)
    status, view = call(
        server,
        "POST",
        f"/structures/{HEAD_OFFICE_SIRET}/formations",
        {"certifying": False, "title": "Accueil en boutique de pâtisserie"},
        token,
    )
    assert status == 201, view
    ref = view["ref"]
    data = {**view["draft"], "objective": "Accueillir la clientèle et conseiller sur les produits."}
    status, view = call(
        server, "PUT", f"/formations/{ref}/draft", {"version": view["submission"]["version"], "data": data}, token
    )
    assert status == 200, view
    status, view = call(
        server, "POST", f"/formations/{ref}/submission", {"version": view["submission"]["version"]}, token
    )
    assert status == 200, view
    comment = "Précisez la durée de la formation dans son contenu."
    status, answer = call(
        server,
        "POST",
        f"/moderation/submissions/{queue_entry(server, moderator, ref)}/decision",
        {"decision": "reject", "comment": comment},
        moderator,
    )
    assert status == 200, answer

    sign_in(page, OF_USER)
    choose_space(page, HEAD_OFFICE_NAME)
    page.goto(f"/formation?ref={ref}")
    rejected = page.get_by_role("region", name="Votre dernière demande n'a pas été validée par le Carif-Oref")
    expect(rejected).to_contain_text(comment)
    expect(page.get_by_label("Objectif")).to_have_value("Accueillir la clientèle et conseiller sur les produits.")

    page.get_by_role("button", name="Supprimer ma demande").click()
    confirm = page.get_by_role("dialog", name="Supprimer ma demande ?")
    expect(confirm).to_contain_text("elle sera supprimée avec toutes les informations saisies")
    expect(confirm.get_by_role("button", name="Continuer la saisie")).to_be_focused()
    confirm.get_by_role("button", name="Supprimer la formation").click()
    expect(page).to_have_url(re.compile(r"/formations$"))
    expect(
        page.get_by_role("status").filter(has_text=f"La demande de création de la formation {ref} est supprimée")
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(f"^{ref}"))).to_have_count(0)
    status, _ = call(server, "GET", f"/formations/{ref}", token=token)
    assert status == 404


# ------------------------------------------------------------------ the Carif-Oref's indexing
def test_the_moderator_indexes_a_formation_and_the_of_reads_it(page: Page, browser: Browser, server: Any) -> None:
    sign_in(page, MODERATOR)
    page.goto("/formation?ref=F0000002")
    expect(page.get_by_text("Consultation par le Carif-Oref")).to_be_visible()
    expect(page.get_by_role("button", name="Demande de modification")).to_have_count(0)
    indexing = page.get_by_role("region", name="Indexation par le Carif-Oref")
    indexing.get_by_label("Formacode").fill("32663, 3266")
    indexing.get_by_role("button", name="Enregistrer l'indexation").click()
    expect(indexing.get_by_role("alert")).to_contain_text("Un Formacode a 5 chiffres")
    expect(indexing.get_by_label("Formacode")).to_have_attribute("aria-invalid", "true")
    indexing.get_by_label("Formacode").fill("32663 ; 32688")
    indexing.get_by_label("Codes ROME").fill("m1203")
    indexing.get_by_role("button", name="Enregistrer l'indexation").click()
    expect(page.get_by_role("status").filter(has_text="L'indexation de la formation est enregistrée")).to_be_visible()
    expect(page.get_by_role("region", name="Indexation par le Carif-Oref").get_by_label("Formacode")).to_have_value(
        "32663, 32688"
    )
    expect(page.get_by_role("region", name="Indexation par le Carif-Oref").get_by_label("Codes ROME")).to_have_value(
        "M1203"
    )
    assert_no_axe_violation(page)

    with other_person(browser, server, OF_USER) as of:
        choose_space(of, HEAD_OFFICE_NAME)
        of.goto("/formation?ref=F0000002")
        read = of.get_by_role("region", name="Indexation (Formacode, NSF, ROME)")
        expect(read).to_contain_text("32663, 32688")
        expect(read).to_contain_text("M1203")
        expect(read.get_by_role("textbox")).to_have_count(0)
