"""Moderation, messaging and the dashboard's blocks in a real browser: the queue of submitted changes,
a submission's differences and its decision, the thread between an OF and the Carif-Oref, the dashboard
of a structure space with its memos.

Runs against the shared `ofeli serve` process (fixture `server`) with Debian's chromium. Submissions are
prepared through the HTTP API (as the *Ma structure* page would), only on the branch 81432712100020 and on
41298765400016 (the head office belongs to other tests), and every test leaves them without a draft or a
pending submission. Demo accounts only ever sign in with their right passwords.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from support import (
    BRANCH,
    HEAD_OFFICE,
    MODERATOR,
    OF_USER,
    SINGLE,
    SINGLE_OF_USER,
    api_token,
    axe_violations,
    call,
    choose_space,
    each,
    other_person,
    sign_in,
    spaced,
    wait_for_mail,
)

QUEUE_URL = re.compile(r"/moderation/file$")
APPROVED_SUBJECT = "OFeli : vos modifications de la fiche structure sont publiées"
REJECTED_SUBJECT = "OFeli : vos modifications de la fiche structure sont à reprendre"
NEW_MESSAGE_SUBJECT = "OFeli : nouveau message du Carif-Oref"
GONE = "Cette demande n'est plus en attente : elle a été traitée ou retirée."
FORBIDDEN_STRUCTURE = "Vous n'avez pas de droits sur cette structure."
FORBIDDEN_MODERATION = "Cette action est réservée aux modérateurs du Carif-Oref."
DATE_TIME = r"\d{2}/\d{2}/\d{4} à \d{2}:\d{2}"


def new_tag() -> str:
    return uuid.uuid4().hex[:8]


# ------------------------------------------------------------------ the API, for what a test only prepares
def clean(server: Any, token: str, siret: str) -> None:
    """No pending submission, no draft: the structure as the other tests expect it."""
    call(server, "DELETE", f"/structures/{siret}/submission", token=token)
    call(server, "DELETE", f"/structures/{siret}/draft", token=token)
    status, view = call(server, "GET", f"/structures/{siret}", token=token)
    assert status == 200, view
    assert view["submission"]["state"] == "none", view["submission"]


def submit(
    server: Any,
    token: str,
    siret: str,
    *,
    emails: list[dict[str, str]] | None = None,
    contact_request: str | None = None,
) -> str:
    """A change of the structure record submitted for validation, as *Ma structure* does it; its id."""
    clean(server, token, siret)
    data = {"emails": emails or [], "phones": [], "websites": [], "contact_request": contact_request}
    status, body = call(server, "PUT", f"/structures/{siret}/draft", {"version": 0, "data": data}, token)
    assert status == 200, body
    status, body = call(server, "POST", f"/structures/{siret}/submission", token=token)
    assert status == 200, body
    status, view = call(server, "GET", f"/structures/{siret}", token=token)
    assert status == 200 and view["submission"]["state"] == "submitted", view
    return view["submission"]["submission_id"]


@pytest.fixture
def cleanup(server: Any) -> Iterator[Callable[[str, str], None]]:
    """`cleanup(token, siret)`: that structure is left without draft nor submission after the test."""
    todo: list[tuple[str, str]] = []
    yield lambda token, siret: todo.append((token, siret))
    for token, siret in todo:
        clean(server, token, siret)


# ------------------------------------------------------------------ the browser
def menu_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name, exact=True)


def queue_row(page: Page, name: str) -> Locator:
    link = page.get_by_role("link", name=f"Examiner la demande : {name}", exact=True)
    return page.get_by_role("row").filter(has=link)


def difference(page: Page, label: str) -> Locator:
    table = page.get_by_role("table", name=re.compile(r"rubriques? modifiées?$"))
    return table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=label, exact=True))


def status_saying(page: Page, text: str) -> Locator:
    return page.get_by_role("status").filter(has_text=text)


# ------------------------------------------------------------------ the queue and a submission
def test_moderator_refuses_then_approves_a_structure_change(page: Page, server: Any, cleanup: Callable) -> None:
    siret, name = BRANCH
    of = api_token(server, OF_USER)
    cleanup(of, siret)
    tag = new_tag()
    new_email = f"inscriptions-{tag}@of-demo.test"
    request = f"Merci d'ajouter Paul Girard ({tag}), responsable pédagogique."
    _, view = call(server, "GET", f"/structures/{siret}", token=of)
    published_request = view["published"]["contact_request"]
    submit(server, of, siret, emails=[{"label": "Inscriptions", "email": new_email}], contact_request=request)

    # The queue, from the menu: the branch's submission with its structure, kind and author.
    sign_in(page, MODERATOR)
    menu_link(page, "File de modération").click()
    expect(page).to_have_title("File de modération — OFeli")
    expect(menu_link(page, "File de modération")).to_have_attribute("aria-current", "page")
    row = queue_row(page, name)
    expect(row).to_contain_text(spaced(siret))
    expect(row).to_contain_text("Fiche structure")
    expect(row).to_contain_text(OF_USER[0])
    expect(row).to_contain_text(re.compile(DATE_TIME))
    row.get_by_role("link", name=f"Examiner la demande : {name}").click()

    # The submission: who, when, the structure, and only the rubriques that changed.
    expect(page).to_have_title("Demande de modification — OFeli")
    summary = page.get_by_role("region", name=name, exact=True)
    expect(summary).to_contain_text("Fiche structure")
    expect(summary).to_contain_text(spaced(siret))
    expect(summary).to_contain_text(OF_USER[0])
    expect(summary.get_by_role("link", name=f"Voir la fiche structure de {name}")).to_have_attribute(
        "href", f"/ma-structure?siret={siret}"
    )
    emails = difference(page, "Adresses e-mail")
    added = emails.get_by_role("cell").nth(1).get_by_role("listitem").filter(has_text=new_email)
    expect(added).to_have_text(f"ajouté : Inscriptions : {new_email}")
    contacts = difference(page, "Demande de modification des contacts").get_by_role("cell")
    expect(contacts.nth(0)).to_have_text(published_request or "Non renseigné")
    expect(contacts.nth(1)).to_have_text(request)
    expect(difference(page, "Téléphones")).to_have_count(0)
    expect(difference(page, "Sites internet")).to_have_count(0)

    # Refuser: the dialog says where the comment goes; Escape closes it and the focus comes back.
    refuse = page.get_by_role("button", name="Refuser", exact=True)
    refuse.click()
    dialog = page.get_by_role("dialog", name=f"Refuser la modification de « {name} »")
    expect(dialog).to_contain_text(f"Votre commentaire est envoyé par e-mail à {OF_USER[0]}")
    comment = dialog.get_by_label("Commentaire pour l'organisme")
    expect(comment).to_be_focused()
    expect(comment).to_have_accessible_description(re.compile("envoyé tel quel par e-mail à l'organisme"))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(refuse).to_be_focused()

    # Without a comment, the API's message next to the field.
    refuse.click()
    dialog.get_by_role("button", name="Confirmer le refus").click()
    expect(comment).to_have_attribute("aria-invalid", "true")
    expect(comment).to_have_accessible_description(re.compile("Indiquez la raison du refus"))
    expect(dialog.get_by_role("alert")).to_contain_text("Le refus n'est pas enregistré")
    expect(page).to_have_title("Erreur — Demande de modification — OFeli")

    reason = f"Le numéro de téléphone de l'antenne manque ({tag})."
    comment.fill(reason)
    dialog.get_by_role("button", name="Confirmer le refus").click()

    # Back to the queue, which says what was done.
    expect(page).to_have_url(QUEUE_URL)
    expect(page).to_have_title("File de modération — OFeli")
    done = status_saying(page, "refusée")
    expect(done).to_have_text(
        f"Fiche structure « {name} » : modification refusée ; "
        "l'organisme a été prévenu par e-mail avec votre commentaire."
    )
    expect(done.locator(".alerte")).to_be_focused()
    expect(queue_row(page, name)).to_have_count(0)
    wait_for_mail(server, OF_USER[0], REJECTED_SUBJECT, containing=tag)

    # Submitted again, then approved with "Valider et publier".
    submit(server, of, siret, emails=[{"label": "Inscriptions", "email": new_email}], contact_request=request)
    page.reload()
    expect(done).to_have_count(0)  # said once
    queue_row(page, name).get_by_role("link").click()
    page.get_by_role("button", name="Valider et publier").click()
    confirm = page.get_by_role("dialog", name="Valider et publier cette modification ?")
    expect(confirm).to_contain_text(f"« {name} »")
    confirm.get_by_role("button", name="Confirmer la publication").click()
    expect(page).to_have_url(QUEUE_URL)
    expect(status_saying(page, "validée")).to_have_text(
        f"Fiche structure « {name} » : modification validée et publiée ; l'organisme a été prévenu par e-mail."
    )
    expect(queue_row(page, name)).to_have_count(0)

    _, view = call(server, "GET", f"/structures/{siret}", token=of)
    assert {"label": "Inscriptions", "email": new_email} in view["published"]["emails"]
    assert view["published"]["contact_request"] is None  # the request is handled once published
    assert view["submission"]["state"] == "none"
    (entry, *_) = call(server, "GET", f"/structures/{siret}/history", token=of)[1]
    assert {d["field"]: d["after"] for d in entry["differences"]}["contact_request"] == request
    wait_for_mail(server, OF_USER[0], APPROVED_SUBJECT, containing=name)


def test_the_queue_is_filtered_by_siret_and_by_kind(page: Page, server: Any, cleanup: Callable) -> None:
    of, single = api_token(server, OF_USER), api_token(server, SINGLE_OF_USER)
    cleanup(of, BRANCH[0])
    cleanup(single, SINGLE[0])
    tag = new_tag()
    submit(server, of, BRANCH[0], contact_request=f"Filtre antenne ({tag})")
    submit(server, single, SINGLE[0], contact_request=f"Filtre atelier ({tag})")

    sign_in(page, MODERATOR)
    page.goto("/moderation/file")
    expect(queue_row(page, BRANCH[1])).to_have_count(1)
    expect(queue_row(page, SINGLE[1])).to_have_count(1)

    siret_field = page.get_by_label("SIRET de la structure")
    siret_field.fill(spaced(SINGLE[0]))
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(rf"/moderation/file\?siret={SINGLE[0]}$"))
    expect(queue_row(page, SINGLE[1])).to_have_count(1)
    expect(queue_row(page, BRANCH[1])).to_have_count(0)
    expect(page.get_by_role("table")).to_have_accessible_name(
        f"1 demande en attente (filtre : SIRET {spaced(SINGLE[0])})"
    )

    # Kept in the address: a reload shows the same filtered queue.
    page.reload()
    expect(siret_field).to_have_value(spaced(SINGLE[0]))
    expect(queue_row(page, SINGLE[1])).to_have_count(1)
    expect(queue_row(page, BRANCH[1])).to_have_count(0)

    kind = page.get_by_label("Type de demande")
    kind.select_option(label="Formation")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(rf"\?type=formation&siret={SINGLE[0]}$"))
    expect(page.get_by_text("Aucune demande en attente ne correspond à ce filtre")).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)

    kind.select_option(label="Fiche structure")
    page.get_by_role("button", name="Filtrer").click()
    expect(queue_row(page, SINGLE[1])).to_have_count(1)

    # A SIRET the API refuses: its message next to the field.
    siret_field.fill("123 456")
    page.get_by_role("button", name="Filtrer").click()
    expect(siret_field).to_have_attribute("aria-invalid", "true")
    expect(siret_field).to_have_accessible_description(re.compile("Le SIRET doit comporter exactement 14 chiffres."))
    expect(page.get_by_role("alert")).to_contain_text("La file n'a pas pu être filtrée")

    page.get_by_role("button", name="Effacer les filtres").click()
    expect(page).to_have_url(QUEUE_URL)
    expect(siret_field).to_have_value("")
    expect(siret_field).not_to_have_attribute("aria-invalid", "true")
    expect(kind).to_have_value("")
    expect(queue_row(page, BRANCH[1])).to_have_count(1)
    expect(queue_row(page, SINGLE[1])).to_have_count(1)


def test_a_submission_withdrawn_meanwhile_cannot_be_decided(page: Page, server: Any, cleanup: Callable) -> None:
    siret, name = SINGLE
    single = api_token(server, SINGLE_OF_USER)
    cleanup(single, siret)
    submission_id = submit(server, single, siret, contact_request=f"Retirée entre-temps ({new_tag()})")

    sign_in(page, MODERATOR)
    page.goto("/moderation/file")
    queue_row(page, name).get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/moderation/soumission\?id={submission_id}$"))
    expect(page.get_by_role("region", name=name, exact=True)).to_be_visible()

    # The OF withdraws its submission while the moderator reads it.
    status, body = call(server, "DELETE", f"/structures/{siret}/submission", token=single)
    assert status == 200, body

    page.get_by_role("button", name="Valider et publier").click()
    page.get_by_role("dialog").get_by_role("button", name="Confirmer la publication").click()
    alert = page.get_by_role("alert").filter(has_text="n'est plus en attente")
    expect(alert).to_contain_text(GONE)
    expect(alert).to_be_focused()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("button", name="Valider et publier")).to_have_count(0)
    expect(page).to_have_title("Erreur — Demande de modification — OFeli")

    # Opened again, the page says so at once; its link leads back to the queue.
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text(GONE)
    expect(page.get_by_role("button", name="Refuser", exact=True)).to_have_count(0)
    page.get_by_role("alert").get_by_role("link", name="Retour à la file de modération").click()
    expect(page).to_have_url(QUEUE_URL)
    expect(queue_row(page, name)).to_have_count(0)


# ------------------------------------------------------------------ messaging
def test_an_organisation_and_the_carif_oref_exchange_messages(page: Page, browser: Browser, server: Any) -> None:
    siret, name = HEAD_OFFICE
    question = f"Bonjour, nos sessions de printemps sont prêtes : pouvez-vous les vérifier ? ({new_tag()})"
    answer = f"Bonjour, c'est noté, nous les vérifions cette semaine. ({new_tag()})"

    sign_in(page, OF_USER)
    choose_space(page, name)
    menu_link(page, "Messagerie").click()
    expect(page).to_have_title("Messagerie — OFeli")
    expect(menu_link(page, "Messagerie")).to_have_attribute("aria-current", "page")
    thread = page.get_by_role("list", name="Vos échanges avec le Carif-Oref")
    demo = thread.get_by_role("listitem").filter(has_text="pensez à mettre à jour les dates de vos sessions")
    expect(demo).to_contain_text(re.compile(rf"^Carif-Oref, Claire Martin, le {DATE_TIME}"))

    # A blank message is refused next to the field.
    field = page.get_by_label("Votre message")
    expect(field).to_have_accessible_description(re.compile("0 caractère sur 5 000"))
    field.fill("   \n  ")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("alert").filter(has_text="Le message n'a pas été envoyé")).to_contain_text(
        "Votre message est vide."
    )
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("Écrivez votre message avant de l'envoyer."))

    field.fill(question)
    expect(field).to_have_accessible_description(re.compile(f"{len(question)} caractères sur 5 000"))
    page.get_by_role("button", name="Envoyer").click()
    mine = thread.get_by_role("listitem").filter(has_text=question)
    expect(mine).to_contain_text(re.compile(rf"^Vous, le {DATE_TIME}"))
    expect(mine).to_be_focused()
    expect(status_saying(page, "envoyé")).to_have_text("Votre message a été envoyé au Carif-Oref.")
    expect(field).to_have_value("")
    expect(field).not_to_have_attribute("aria-invalid", "true")

    with other_person(browser, server, MODERATOR) as moderator:
        menu_link(moderator, "Messagerie").click()
        expect(moderator.get_by_role("heading", name="Derniers messages des organismes")).to_be_visible()
        conversation = moderator.get_by_role("region", name=name, exact=True)
        expect(conversation).to_contain_text(f"SIRET {spaced(siret)}")
        latest = conversation.get_by_role("listitem").first
        expect(latest).to_contain_text(question)
        expect(latest).to_contain_text("Organisme, Julien Lefebvre")
        conversation.get_by_role("link", name=f"Ouvrir la conversation et répondre ({name})").click()

        expect(moderator).to_have_url(re.compile(rf"/messagerie\?siret={siret}$"))
        expect(moderator.get_by_role("heading", name=f"Conversation avec « {name} »")).to_be_visible()
        moderator.get_by_label("Votre réponse").fill(answer)
        moderator.get_by_role("button", name="Envoyer").click()
        sent = moderator.get_by_role("list", name=re.compile("^Conversation avec")).get_by_role("listitem").last
        expect(sent).to_contain_text(answer)
        expect(sent).to_contain_text("Vous (Carif-Oref)")
        expect(status_saying(moderator, "envoyée")).to_contain_text("prévenus par e-mail")

    page.reload()
    reply = thread.get_by_role("listitem").last
    expect(reply).to_contain_text(answer)
    expect(reply).to_contain_text(re.compile(rf"^Carif-Oref, Claire Martin, le {DATE_TIME}"))
    mail = wait_for_mail(server, OF_USER[0], NEW_MESSAGE_SUBJECT, containing=f"/messagerie?siret={siret}")
    assert name in mail["body"]


def test_an_organisation_cannot_read_another_ones_thread_nor_the_queue(page: Page) -> None:
    sign_in(page, SINGLE_OF_USER)
    page.goto(f"/messagerie?siret={HEAD_OFFICE[0]}")
    expect(page.get_by_role("alert")).to_contain_text(FORBIDDEN_STRUCTURE)
    expect(page.get_by_label("Votre message")).to_have_count(0)
    expect(page.get_by_text("pensez à mettre à jour")).to_have_count(0)

    # Its own thread is there.
    page.goto("/messagerie")
    expect(page.get_by_role("heading", name="Vos échanges avec le Carif-Oref")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"Espace structure : {SINGLE[1]}.")
    expect(page.get_by_label("Votre message")).to_be_visible()

    page.goto("/moderation/file")
    expect(page.get_by_role("alert")).to_contain_text(FORBIDDEN_MODERATION)
    expect(page.get_by_role("table")).to_have_count(0)
    expect(menu_link(page, "File de modération")).to_have_count(0)


# ------------------------------------------------------------------ the dashboard
# each block's label, its count in the dashboard's answer, its help text
BLOCK_COUNTS = [
    ("Formations diffusées", "diffusees", "validées et diffusées sur notre site TMF et sites partenaires"),
    ("Formations fonds publics diffusées", "fonds_publics", "financées sur fonds publics"),
    (
        "Formations en attente de validation",
        "en_attente",
        "Formations ou sessions en attente de validation par nos services",
    ),
    ("Formations non diffusées", "non_diffusees", "Formations en attente de mise à jour et à réactiver si besoin"),
    ("Erreur liens site internet", "erreur_lien", "une erreur de lien internet a été détectée"),
]


def test_the_dashboard_shows_the_blocks_of_the_structure_space(page: Page, server: Any) -> None:
    siret, name = HEAD_OFFICE
    of = api_token(server, OF_USER)
    _, messages = call(server, "GET", f"/structures/{siret}/messages", token=of)
    count = len(messages)
    # the served stack is shared by the session's browser tests: other files may have added formations
    _, dashboard = call(server, "GET", f"/structures/{siret}/dashboard", token=of)
    assert dashboard["formations"] >= 2 and dashboard["blocks"]["diffusees"] >= 2

    sign_in(page, OF_USER)
    choose_space(page, name)
    formations = page.get_by_role("region", name="Formations", exact=True)
    expect(formations).to_contain_text(f"{dashboard['formations']} formations au total dans cet espace structure.")
    for label, key, help_text in BLOCK_COUNTS:
        number = dashboard["blocks"][key]
        item = formations.get_by_role("listitem").filter(has_text=re.compile(rf"^\s*\d+ {label} "))
        expect(item).to_have_count(1)
        expect(item).to_contain_text(f"{number} {label}")
        expect(item).to_contain_text(help_text)

    contacts = page.get_by_role("region", name="Contacts", exact=True)
    anne = contacts.get_by_role("listitem").filter(has_text="Anne Roussel")
    expect(anne).to_contain_text("Contact principal")
    expect(anne.get_by_role("link", name="direction@of-demo.test")).to_have_attribute(
        "href", "mailto:direction@of-demo.test"
    )
    julien = contacts.get_by_role("listitem").filter(has_text="Julien Lefebvre")
    expect(julien).to_contain_text("Droits de saisie")
    expect(julien.get_by_role("link", name=OF_USER[0])).to_be_visible()

    messaging = page.get_by_role("region", name="Messagerie", exact=True)
    said = f"{count} message échangé" if count < 2 else f"{count} messages échangés"
    expect(messaging).to_contain_text(f"{said} entre vous et le Carif-Oref.")
    expect(messaging.get_by_role("link", name="Ouvrir la messagerie")).to_have_attribute("href", "/messagerie")
    expect(page.get_by_role("region", name="Fiche structure", exact=True).get_by_role("link")).to_have_attribute(
        "href", "/ma-structure"
    )


def test_a_pending_structure_record_is_shown_on_the_dashboard(page: Page, server: Any, cleanup: Callable) -> None:
    siret, name = BRANCH
    of = api_token(server, OF_USER)
    cleanup(of, siret)
    sign_in(page, OF_USER)
    choose_space(page, name)
    record = page.get_by_role("region", name="Fiche structure", exact=True)
    expect(record).to_contain_text("Fiche structure publiée, aucune modification en cours")

    submit(server, of, siret, contact_request=f"Tableau de bord ({new_tag()})")
    page.reload()
    expect(record).to_contain_text("Fiche structure en attente de validation")
    expect(record.get_by_role("link", name="Ouvrir Ma structure")).to_have_attribute("href", "/ma-structure")
    # the branch trains a session of the other OF's formation: it counts in its space
    expect(page.get_by_role("region", name="Formations", exact=True)).to_contain_text("1 formation au total")


def test_memos_are_added_and_deleted_from_the_dashboard(page: Page, server: Any) -> None:
    text = f"Relancer le financeur ({new_tag()})"
    sign_in(page, OF_USER)
    choose_space(page, HEAD_OFFICE[1])
    memos = page.get_by_role("region", name="Mémos", exact=True)
    demo = memos.get_by_role("listitem").filter(has_text="Ajouter les sessions de printemps du CAP boulanger")
    expect(demo).to_contain_text("Sans échéance")

    # The text is required.
    memos.get_by_role("button", name="Ajouter le mémo").click()
    field = memos.get_by_label("Texte du mémo")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("Écrivez le texte du mémo."))

    field.fill(text)
    memos.get_by_label("Échéance (facultative)").fill("2027-03-01")
    memos.get_by_role("button", name="Ajouter le mémo").click()
    memo = memos.get_by_role("listitem").filter(has_text=text)
    expect(memo).to_contain_text("Échéance : 1er mars 2027")
    expect(status_saying(page, "Mémo ajouté")).to_contain_text("(échéance : 1er mars 2027)")
    expect(field).to_have_value("")
    expect(field).not_to_have_attribute("aria-invalid", "true")

    # Kept by the API: still there after a reload.
    page.reload()
    expect(memo).to_contain_text("Échéance : 1er mars 2027")
    memo.get_by_role("button", name=f"Supprimer le mémo « {text} »").click()
    expect(memo).to_have_count(0)
    expect(status_saying(page, "Mémo supprimé")).to_be_visible()
    expect(demo.get_by_role("button", name=re.compile("^Supprimer le mémo"))).to_be_focused()
    _, listed = call(server, "GET", "/memos", token=api_token(server, OF_USER))
    assert all(m["text"] != text for m in listed)


def waiting(count: int) -> str:
    """What the moderator's dashboard says next to its link to the queue."""
    return f"— {count} demande en attente" if count < 2 else f"— {count} demandes en attente"


def test_the_moderator_dashboard_counts_the_queue_and_leads_to_the_messages(
    page: Page, server: Any, cleanup: Callable
) -> None:
    single = api_token(server, SINGLE_OF_USER)
    cleanup(single, SINGLE[0])
    clean(server, single, SINGLE[0])
    moderator = api_token(server, MODERATOR)
    status, queue = call(server, "GET", "/moderation/queue", token=moderator)
    assert status == 200, queue
    before = len(queue)  # what other tests left waiting, on the other structures
    submit(server, single, SINGLE[0], contact_request=f"Compteur ({new_tag()})")

    sign_in(page, MODERATOR)
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="File de modération")).to_have_attribute("href", "/moderation/file")
    expect(main).to_contain_text(waiting(before + 1))

    # Withdrawn by the OF: one fewer on the next visit.
    status, body = call(server, "DELETE", f"/structures/{SINGLE[0]}/submission", token=single)
    assert status == 200, body
    page.reload()
    expect(main).to_contain_text(waiting(before))
    main.get_by_role("link", name="Derniers messages des organismes").click()
    expect(page).to_have_title("Messagerie — OFeli")
    expect(page.get_by_role("heading", name="Derniers messages des organismes")).to_be_visible()


# ------------------------------------------------------------------ accessibility smoke check
PAGES = [  # who, where, what shows that the page's own content is there
    ("moderator", "/moderation/file", "table"),
    ("moderator", "submission", "Modifications demandées"),
    ("moderator", "/messagerie", "Derniers messages des organismes"),
    ("moderator", f"/messagerie?siret={HEAD_OFFICE[0]}", "Répondre à l'organisme"),
    ("of", "/messagerie", "Écrire au Carif-Oref"),
    ("of", "/", "Mémos"),
]


# What each page shows at least (a loop over what a page shows must not pass on an empty page); none of the
# submission's or the moderator's messages page's controls is visible until a dialog opens.
SHOWN = {
    "table": {"controls": 2, "button": 3, "link": 8, "table": 1},
    "Modifications demandées": {"controls": 0, "button": 3, "link": 10, "table": 1},
    "Derniers messages des organismes": {"controls": 0, "button": 1, "link": 8, "table": 0},
    "Répondre à l'organisme": {"controls": 1, "button": 2, "link": 8, "table": 0},
    "Écrire au Carif-Oref": {"controls": 1, "button": 2, "link": 5, "table": 0},
    "Mémos": {"controls": 2, "button": 2, "link": 8, "table": 0},
}


@pytest.mark.parametrize(("who", "path", "ready"), PAGES)
def test_accessibility_basics_of_the_moderation_and_messaging_pages(
    page: Page, server: Any, cleanup: Callable, who: str, path: str, ready: str
) -> None:
    if path in ("submission", "/moderation/file"):  # at least one row in the queue
        single = api_token(server, SINGLE_OF_USER)
        cleanup(single, SINGLE[0])
        submission_id = submit(server, single, SINGLE[0], contact_request=f"Accessibilité ({new_tag()})")
        if path == "submission":
            path = f"/moderation/soumission?id={submission_id}"
    sign_in(page, MODERATOR if who == "moderator" else SINGLE_OF_USER)
    page.goto(path)
    main = page.get_by_role("main")
    if ready == "table":
        expect(main.get_by_role("table")).to_be_visible()
    else:
        expect(main.get_by_role("heading", name=ready, exact=True)).to_be_visible()
    expect(page.locator('[data-shell="alert"]')).to_be_empty()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title(re.compile(r"^\S.* — OFeli$"))
    assert page.locator("h1").count() == 1
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page.get_by_role("main")).to_have_count(1)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    controls = page.locator("input:not([type=hidden]), select, textarea").filter(visible=True)
    expected = SHOWN[ready]
    for control in each(controls, at_least=expected["controls"]):
        expect(control).to_have_accessible_name(re.compile(r"\S"))
    for role in ("button", "link", "table"):
        for item in each(page.get_by_role(role), at_least=expected[role]):
            expect(item).to_have_accessible_name(re.compile(r"\S"))

    # And axe-core's WCAG 2.1 A/AA rules, as tests/e2e/test_accessibility.py runs them on the other pages.
    assert axe_violations(page, settle=False) == []
