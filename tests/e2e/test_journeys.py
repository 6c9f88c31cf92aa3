"""The issues' "done when", end to end in the browser, across the OF's and the moderator's pages.

Each test makes or resets the data it needs on the shared server, and checks only what it made itself
(an e-mail counted from before the test, its own new address): it passes alone and in any order."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.sync_api import Browser, Page, expect
from support import (
    HEAD_OFFICE,
    MODERATOR,
    OF_USER,
    api_token,
    call,
    choose_space,
    mails_to,
    other_person,
    reset_record,
    sign_in,
    wait_for_new_mails,
)

PUBLISHED = "OFeli : vos modifications de la fiche structure sont publiées"


def tab(page: Page, name: str):
    tabs = page.get_by_role("tablist", name="Rubriques de la fiche structure")
    tabs.get_by_role("tab", name=name, exact=True).click()
    panel = page.get_by_role("tabpanel", name=name)
    expect(panel).to_be_visible()
    return panel


def test_the_of_edits_its_record_and_the_moderator_publishes_it(page: Page, browser: Browser, server: Any) -> None:
    siret, name = HEAD_OFFICE
    token = api_token(server, OF_USER)
    reset_record(server, token, siret)  # whatever an earlier test left: no draft, no pending submission
    new_email = f"journee-{uuid.uuid4().hex[:8]}@of-demo.test"
    mails_before = len(mails_to(server, OF_USER[0], PUBLISHED))

    # The OF: Ma structure, *Demande de modification*, an e-mail added, saved, submitted: locked.
    sign_in(page, OF_USER)
    choose_space(page, name)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Ma structure").click()
    expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()
    page.get_by_role("button", name="Demande de modification", exact=True).click()
    tab(page, "Coordonnées")
    page.get_by_role("button", name="Ajouter une adresse e-mail").click()
    dialog = page.get_by_role("dialog", name="Ajouter une adresse e-mail")
    dialog.get_by_label("Libellé (facultatif)").fill("Journée portes ouvertes")
    dialog.get_by_label("Adresse e-mail", exact=True).fill(new_email)
    dialog.get_by_role("button", name="Valider").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Sauvegarder", exact=True).click()
    expect(page.get_by_text("Toutes vos modifications sont sauvegardées.")).to_be_visible()
    page.get_by_role("button", name="Soumettre pour validation", exact=True).click()
    page.get_by_role("dialog", name="Soumettre pour validation").get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("region", name="Demande en attente de validation par le Carif-Oref")).to_be_visible()
    expect(page.get_by_role("button", name="Sauvegarder", exact=True)).to_have_count(0)

    # The moderator: the queue, the difference, *Valider et publier*.
    with other_person(browser, server, MODERATOR) as moderator:
        menu = moderator.get_by_role("navigation", name="Menu principal")
        menu.get_by_role("link", name="File de modération").click()
        moderator.get_by_role("link", name=f"Examiner la demande : {name}", exact=True).click()
        expect(moderator).to_have_title("Demande de modification — OFeli")
        table = moderator.get_by_role("table", name=re.compile(r"rubriques? modifiées?$"))
        emails = table.get_by_role("row").filter(has=moderator.get_by_role("rowheader", name="Adresses e-mail"))
        expect(emails).to_contain_text(f"ajouté : Journée portes ouvertes : {new_email}")
        moderator.get_by_role("button", name="Valider et publier").click()
        moderator.get_by_role("dialog", name="Valider et publier cette modification ?").get_by_role(
            "button", name="Confirmer la publication"
        ).click()
        expect(moderator.get_by_role("status").filter(has_text="validée")).to_contain_text(name)

    # The OF: the published record, the history entry, the e-mail.
    page.reload()
    expect(page.get_by_role("button", name="Demande de modification", exact=True)).to_be_visible()
    coordinates = tab(page, "Coordonnées")
    expect(coordinates.get_by_role("listitem").filter(has_text=new_email)).to_have_count(1)
    history = (
        tab(page, "Gestion")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=re.compile(r"^Modification publiée le")))
        .filter(has_text=new_email)
    )
    expect(history).to_contain_text(f"validée par {MODERATOR[0]}")
    _, after = call(server, "GET", f"/structures/{siret}", token=token)
    assert {"label": "Journée portes ouvertes", "email": new_email} in after["published"]["emails"]
    assert after["submission"]["state"] == "none"
    # This approval's e-mail: exactly one more than before the test, about this structure.
    (mail,) = wait_for_new_mails(server, OF_USER[0], PUBLISHED, before=mails_before, containing=f"siret={siret}")
    assert f"« {name} »" in mail["body"]
