"""The moderators' back office in a real browser: the search of the region's structures, a structure's record
corrected section by section (the OF then sees the corrections), the contact requests, the menu's alert badges.

Runs against the shared `ofeli serve` process (fixture `server`) with Debian's chromium. Each test makes its own
data (a unique tag in what it writes) and puts the demo records back as it found them: the head office's address
and contacts, the network of 41298765400016. Counts are compared with what the API says at that moment, never
with fixed totals that other tests change.
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
    assert_no_axe_violation,
    call,
    choose_space,
    other_person,
    reset_record,
    sign_in,
    spaced,
)

SEARCH_URL = re.compile(r"/moderation/recherche-structures(\?.*)?$")
STALE = "Ces données ont été modifiées entre-temps : rechargez la page pour voir la dernière version."


def new_tag() -> str:
    return uuid.uuid4().hex[:8]


def menu_link(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name, exact=True)


def section(page: Page, name: str) -> Locator:
    return page.get_by_role("region", name=name, exact=True)


def status_saying(page: Page, text: str) -> Locator:
    return page.get_by_role("status").filter(has_text=text)


def record(server: Any, token: str, siret: str) -> dict[str, Any]:
    status, view = call(server, "GET", f"/structures/{siret}", token=token)
    assert status == 200, view
    return dict(view["published"])


def correct(server: Any, token: str, siret: str, **changes: Any) -> dict[str, Any]:
    """A moderator's correction through the API (what a test only prepares or puts back)."""
    version = record(server, token, siret)["version"]
    status, body = call(server, "PATCH", f"/moderation/structures/{siret}", {"version": version, **changes}, token)
    assert status == 200, body
    return dict(body)


def contact_inputs(contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in c.items() if k != "type_labels"} for c in contacts]


@pytest.fixture
def restore(server: Any) -> Iterator[Callable[[str, tuple[str, ...]], None]]:
    """`restore(siret, fields)`: those fields of that record are put back as they were, after the test."""
    moderator = api_token(server, MODERATOR)
    saved: list[tuple[str, dict[str, Any]]] = []

    def keep(siret: str, fields: tuple[str, ...]) -> None:
        published = record(server, moderator, siret)
        saved.append((siret, {f: published[f] for f in fields}))

    yield keep
    for siret, values in saved:
        if "contacts" in values:
            values["contacts"] = contact_inputs(values["contacts"])
        current = record(server, moderator, siret)
        if any(current[f] != v for f, v in values.items() if f != "contacts") or "contacts" in values:
            correct(server, moderator, siret, **values)


# ------------------------------------------------------------------ the search
def test_a_moderator_searches_the_structures_and_the_address_keeps_the_criteria(page: Page, server: Any) -> None:
    sign_in(page, MODERATOR)
    menu_link(page, "Structures").click()
    expect(page).to_have_url(SEARCH_URL)
    expect(page).to_have_title("Structures — OFeli")
    expect(menu_link(page, "Structures")).to_have_attribute("aria-current", "page")

    # A word of the name, without its accent: the head office and its branch, each a link to its record.
    search = page.get_by_role("search", name="Rechercher des structures")
    search.get_by_label("Nom, SIRET, SIREN ou NDA").fill("demo")
    search.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"\?q=demo$"))
    table = page.get_by_role("table", name="Structures trouvées")
    head_row = table.get_by_role("row").filter(has=page.get_by_role("link", name=HEAD_OFFICE[1], exact=True))
    expect(head_row).to_contain_text(spaced(HEAD_OFFICE[0]))
    expect(head_row).to_contain_text("28140000014")
    expect(head_row).to_contain_text("14000 Caen")
    expect(head_row.get_by_role("cell").nth(3)).to_have_text("14")
    expect(head_row.get_by_role("cell").nth(4)).to_have_text("Oui")
    expect(table.get_by_role("link", name=BRANCH[1], exact=True)).to_be_visible()
    expect(table.get_by_role("link", name=SINGLE[1])).to_have_count(0)
    _, found = call(server, "GET", "/moderation/structures?q=demo", token=api_token(server, MODERATOR))
    total = found["total"]
    expect(page.get_by_role("heading", level=2)).to_have_text(f"{total} structures (nom ou numéro « demo »)")
    expect(page.get_by_role("status").filter(has_text="trouvées")).to_have_text(f"{total} structures trouvées.")

    # Digits: the start of a SIRET; then a department and Qualiopi, in the address too.
    search.get_by_label("Nom, SIRET, SIREN ou NDA").fill("412987654")
    search.get_by_label("Département", exact=True).select_option("76")
    search.get_by_label("Qualiopi").select_option("non")
    search.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"\?q=412987654&departement=76&qualiopi=non$"))
    expect(table.get_by_role("link")).to_have_text([SINGLE[1]])

    # Back: the first results again, the form as it was; reload keeps them.
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?q=demo$"))
    expect(search.get_by_label("Nom, SIRET, SIREN ou NDA")).to_have_value("demo")
    expect(search.get_by_label("Département", exact=True)).to_have_value("")
    expect(table.get_by_role("link", name=HEAD_OFFICE[1], exact=True)).to_be_visible()
    page.reload()
    expect(table.get_by_role("link", name=BRANCH[1], exact=True)).to_be_visible()

    # A department outside the region is typed; a wrong one is said beside its field.
    search.get_by_label("Département", exact=True).select_option("autres")
    search.get_by_label("Numéro du département").fill("Paris")
    search.get_by_role("button", name="Rechercher").click()
    other = search.get_by_label("Numéro du département")
    expect(other).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").get_by_role("link", name=re.compile("^Numéro du département : "))).to_be_visible()
    other.fill("75")
    search.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"departement=75"))
    expect(page.get_by_text("Aucune structure ne correspond à ces critères.")).to_be_visible()
    assert_no_axe_violation(page)


# ------------------------------------------------------------------ a structure's record
def test_a_moderator_corrects_the_address_and_adds_a_contact_then_the_of_sees_them(
    page: Page, browser: Browser, server: Any, restore: Callable
) -> None:
    siret, name = HEAD_OFFICE
    restore(siret, ("address", "contacts"))
    tag = new_tag()
    street = f"{tag[:4]} rue des Corrections"
    last_name = f"Girard-{tag}"

    # The demo structure, found by a word of its name, opened from the results.
    sign_in(page, MODERATOR)
    menu_link(page, "Structures").click()
    page.get_by_label("Nom, SIRET, SIREN ou NDA").fill("Formation")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("table", name="Structures trouvées").get_by_role("link", name=name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/moderation/structure\?siret={siret}$"))
    expect(page).to_have_title(f"{name} — Fiche structure — OFeli")
    expect(page.get_by_role("heading", level=2, name=name)).to_be_visible()
    expect(page.get_by_role("link", name="Messages échangés avec cette structure")).to_have_attribute(
        "href", f"/messagerie?siret={siret}"
    )
    identity = section(page, "Identité")
    expect(identity).to_contain_text("28140000014")
    expect(section(page, "Organisation").get_by_role("link", name=BRANCH[1])).to_have_attribute(
        "href", f"/moderation/structure?siret={BRANCH[0]}"
    )
    expect(section(page, "Qualité")).to_contain_text("Actions de formation par apprentissage")
    expect(section(page, "Habilitations")).to_contain_text("RNCP37861 — CAP Boulanger")

    # The address: a wrong postal code is said beside its field and in the summary; then saved.
    address = section(page, "Adresse postale")
    address.get_by_role("button", name="Corriger l'adresse postale").click()
    expect(address.get_by_label("Adresse", exact=True)).to_be_focused()
    address.get_by_label("Adresse", exact=True).fill(street)
    address.get_by_label("Code postal").fill("1400")
    address.get_by_role("button", name="Enregistrer la correction").click()
    summary = address.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile("^Code postal : "))).to_be_visible()
    expect(address.get_by_label("Code postal")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violation(page)
    address.get_by_label("Code postal").fill("14000")
    address.get_by_role("button", name="Enregistrer la correction").click()
    expect(status_saying(page, "Adresse postale corrigée.")).to_be_visible()
    expect(address.get_by_role("heading", name="Adresse postale")).to_be_focused()
    expect(address).to_contain_text(street)
    expect(address.get_by_role("button", name="Corriger l'adresse postale")).to_be_visible()

    # A contact, added through the dialog.
    contacts = section(page, "Contacts")
    contacts.get_by_role("button", name="Ajouter un contact").click()
    dialog = page.get_by_role("dialog", name="Ajouter un contact")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Civilité").select_option("Monsieur")
    dialog.get_by_label("Nom", exact=True).fill(last_name)
    dialog.get_by_label("Prénom").fill("Paul")
    dialog.get_by_label("Fonction").fill("Référent VAE")
    dialog.get_by_label("Adresse e-mail").fill(f"paul.{tag}@of-demo.test")
    dialog.get_by_label("Téléphone 1").fill("0231000009")
    dialog.get_by_role("checkbox", name="Référent VAE").check()
    assert_no_axe_violation(page)
    dialog.get_by_role("button", name="Enregistrer le contact").click()
    expect(dialog).to_be_hidden()
    expect(status_saying(page, f"Contact Monsieur Paul {last_name} ajouté.")).to_be_visible()
    card = contacts.get_by_role("listitem").filter(has_text=last_name)
    expect(card).to_contain_text("Monsieur Paul " + last_name)
    expect(card).to_contain_text("Téléphone : 02 31 00 00 09")
    expect(card).to_contain_text("Type : Référent VAE")
    expect(contacts.get_by_role("listitem").first).to_contain_text("Contact principal")

    # The history: the two corrections, with their author.
    history = section(page, "Historique")
    expect(history).to_contain_text(f"Après : {street}, 14000 Caen")
    expect(history).to_contain_text(f"Ajouté : Monsieur Paul {last_name}, Référent VAE")
    expect(history).to_contain_text(f"Correction par le Carif-Oref ({MODERATOR[0]}).")

    # The OF: the new address, the new contact, the change in its history.
    with other_person(browser, server, OF_USER) as of:
        choose_space(of, name)
        of.goto("/ma-structure#coordonnees")
        coordinates = of.get_by_role("tabpanel", name="Coordonnées")
        expect(coordinates.get_by_label("Adresse", exact=True)).to_have_value(street)
        of.get_by_role("tab", name="Contacts").click()
        expect(
            of.get_by_role("tabpanel", name="Contacts").locator(".fiche-contact").filter(has_text=last_name)
        ).to_contain_text("Type : Référent VAE")
        of.get_by_role("tab", name="Gestion").click()
        management = of.get_by_role("tabpanel", name="Gestion")
        expect(management).to_contain_text(f"Après : {street}, 14000 Caen")
        expect(management).to_contain_text(f"Ajouté : Monsieur Paul {last_name}")


def test_a_moderator_changes_then_removes_a_contact(page: Page, server: Any, restore: Callable) -> None:
    siret, name = HEAD_OFFICE
    restore(siret, ("contacts",))
    tag = new_tag()
    moderator = api_token(server, MODERATOR)
    published = record(server, moderator, siret)
    newcomer = {"last_name": f"Leroy-{tag}", "first_name": "Lise", "phones": [], "types": []}
    correct(server, moderator, siret, contacts=[*contact_inputs(published["contacts"]), newcomer])

    sign_in(page, MODERATOR)
    page.goto(f"/moderation/structure?siret={siret}")
    contacts = section(page, "Contacts")
    contacts.get_by_role("button", name=f"Modifier le contact Lise Leroy-{tag}").click()
    dialog = page.get_by_role("dialog", name=f"Modifier le contact Lise Leroy-{tag}")
    expect(dialog.get_by_label("Nom", exact=True)).to_have_value(f"Leroy-{tag}")
    # A wrong e-mail: the API's message beside the field.
    dialog.get_by_label("Adresse e-mail").fill("lise@")
    dialog.get_by_role("button", name="Enregistrer le contact").click()
    expect(dialog.get_by_label("Adresse e-mail")).to_have_attribute("aria-invalid", "true")
    expect(dialog.get_by_role("alert").get_by_role("link", name=re.compile("^Adresse e-mail : "))).to_be_visible()
    # Principal: the mark moves to her, and she comes first.
    dialog.get_by_label("Adresse e-mail").fill(f"lise.{tag}@of-demo.test")
    dialog.get_by_role("radio", name="Oui").check()
    dialog.get_by_role("button", name="Enregistrer le contact").click()
    expect(status_saying(page, f"Contact Lise Leroy-{tag} modifié.")).to_be_visible()
    first = contacts.get_by_role("listitem").first
    expect(first).to_contain_text(f"Lise Leroy-{tag}")
    expect(first).to_contain_text("Contact principal")
    expect(contacts.get_by_text("Contact principal", exact=True)).to_have_count(1)

    # Retirer, after a confirmation (Garder first keeps her).
    contacts.get_by_role("button", name=f"Retirer le contact Lise Leroy-{tag}").click()
    confirm = page.get_by_role("dialog", name=f"Retirer le contact Lise Leroy-{tag} ?")
    expect(confirm.get_by_role("button", name="Garder le contact")).to_be_focused()
    confirm.get_by_role("button", name="Garder le contact").click()
    expect(contacts).to_contain_text(f"Leroy-{tag}")
    contacts.get_by_role("button", name=f"Retirer le contact Lise Leroy-{tag}").click()
    confirm.get_by_role("button", name="Retirer le contact").click()
    expect(status_saying(page, f"Contact Lise Leroy-{tag} retiré.")).to_be_visible()
    expect(contacts).not_to_contain_text(f"Leroy-{tag}")
    after = record(server, moderator, siret)
    assert [c["last_name"] for c in after["contacts"]] == [c["last_name"] for c in published["contacts"]]


def test_a_stale_version_is_refused_and_the_latest_one_reloaded(page: Page, server: Any, restore: Callable) -> None:
    siret, _ = SINGLE
    restore(siret, ("network", "legal_form"))
    tag = new_tag()
    moderator = api_token(server, MODERATOR)
    sign_in(page, MODERATOR)
    page.goto(f"/moderation/structure?siret={siret}")
    organisation = section(page, "Organisation")
    organisation.get_by_role("button", name="Corriger l'organisation").click()
    organisation.get_by_label("Réseau d'appartenance (facultatif)").fill(f"Réseau {tag}")
    correct(server, moderator, siret, legal_form=f"Forme {tag}")  # meanwhile, elsewhere
    organisation.get_by_role("button", name="Enregistrer la correction").click()
    alert = page.locator('[data-shell="alert"]')
    expect(alert).to_contain_text(STALE)
    expect(alert).to_be_focused()
    expect(organisation.get_by_label("Réseau d'appartenance (facultatif)")).to_have_value(f"Réseau {tag}")
    alert.get_by_role("button", name="Recharger la dernière version").click()
    expect(status_saying(page, "Dernière version de la fiche chargée.")).to_be_visible()
    expect(section(page, "Identité")).to_contain_text(f"Forme {tag}")
    assert record(server, moderator, siret)["network"] != f"Réseau {tag}"


# ------------------------------------------------------------------ contact requests and the alerts
def contact_request(server: Any, text: str) -> None:
    """An OF's contact request, as it is filed: written in its record, submitted, approved by a moderator."""
    of = api_token(server, SINGLE_OF_USER)
    moderator = api_token(server, MODERATOR)
    siret = SINGLE[0]
    reset_record(server, of, siret)
    data = {"emails": [], "phones": [], "websites": [], "contact_request": text}
    status, body = call(server, "PUT", f"/structures/{siret}/draft", {"version": 0, "data": data}, of)
    assert status == 200, body
    status, body = call(server, "POST", f"/structures/{siret}/submission", token=of)
    assert status == 200, body
    submission = body["submission"]["submission_id"]
    status, body = call(
        server, "POST", f"/moderation/submissions/{submission}/decision", {"decision": "approve"}, moderator
    )
    assert status == 200, body


def alerts(server: Any) -> dict[str, int]:
    status, body = call(server, "GET", "/moderation/alerts", token=api_token(server, MODERATOR))
    assert status == 200, body
    return dict(body)


def pending_ids(server: Any, text: str) -> list[str]:
    _, pending = call(server, "GET", "/moderation/contact-requests", token=api_token(server, MODERATOR))
    return [r["id"] for r in pending if r["text"] == text]


def test_contact_requests_are_read_beside_the_contacts_and_marked_done(
    page: Page, server: Any, restore: Callable
) -> None:
    tag = new_tag()
    restore(SINGLE[0], ("contacts",))
    moderator = api_token(server, MODERATOR)
    current = contact_inputs(record(server, moderator, SINGLE[0])["contacts"])
    correct(server, moderator, SINGLE[0], contacts=[*current, {"last_name": f"Morin-{tag}", "first_name": "Hugo"}])
    first, second = f"Ajouter Léa Morel ({tag}), accueil.", f"Retirer Marc Petit ({tag})."
    contact_request(server, first)
    contact_request(server, second)
    before = alerts(server)["contact_requests"]
    assert before >= 2

    sign_in(page, MODERATOR)
    link = menu_link(page, "Demandes de contact")
    expect(link).to_have_accessible_description(f"{before} en attente")
    expect(link.locator(".pastille")).to_have_text(str(before))
    link.click()
    expect(page).to_have_title("Demandes de contact — OFeli")
    expect(page.get_by_role("heading", level=2)).to_have_text(f"{before} demandes à traiter")

    # Oldest first: the first request before the second; each beside the structure's current contacts.
    requests = page.get_by_role("listitem").filter(has=page.get_by_role("heading", level=3))
    items = requests.filter(has_text=f"({tag})")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(first)
    expect(items.nth(1)).to_contain_text(second)
    card = items.nth(0)
    expect(card.get_by_role("heading", level=3)).to_have_text(SINGLE[1])
    expect(card).to_contain_text(spaced(SINGLE[0]))
    expect(card).to_contain_text(SINGLE_OF_USER[0])
    expect(card.get_by_role("region", name="Les contacts actuels de la structure")).to_contain_text(f"Hugo Morin-{tag}")
    expect(card.get_by_role("link", name=f"Corriger les contacts de {SINGLE[1]}")).to_have_attribute(
        "href", f"/moderation/structure?siret={SINGLE[0]}#rubrique-contacts"
    )
    assert_no_axe_violation(page)

    # The link leads to the structure's contacts, ready to be corrected; back to the requests.
    card.get_by_role("link", name=f"Corriger les contacts de {SINGLE[1]}").click()
    expect(page.get_by_role("heading", level=2, name="Contacts", exact=True)).to_be_focused()
    expect(section(page, "Contacts")).to_contain_text(f"Hugo Morin-{tag}")
    page.go_back()
    expect(items).to_have_count(2)

    # Marked done: it leaves the list, the badge counts one less.
    card.get_by_role("button", name=f"Marquer comme traitée : la demande de {SINGLE[1]}").click()
    expect(status_saying(page, f"La demande de contact de « {SINGLE[1]} » est marquée comme traitée.")).to_be_visible()
    expect(items).to_have_count(1)
    expect(items.nth(0)).to_contain_text(second)
    expect(link).to_have_accessible_description(f"{before - 1} en attente")
    assert pending_ids(server, first) == []

    # Handled meanwhile by someone else: said, and the list refreshed.
    (second_id,) = pending_ids(server, second)
    status, body = call(
        server, "POST", f"/moderation/contact-requests/{second_id}/done", token=api_token(server, MODERATOR)
    )
    assert status == 200, body
    items.nth(0).get_by_role("button", name=re.compile("^Marquer comme traitée")).click()
    alert = page.locator('[data-shell="alert"]')
    expect(alert).to_contain_text("La liste a été mise à jour.")
    expect(items).to_have_count(0)
    assert alerts(server)["contact_requests"] == before - 2


def test_the_menu_shows_what_waits_for_the_moderators(page: Page, server: Any) -> None:
    tag = new_tag()
    contact_request(server, f"Ajouter Jean Dupuis ({tag}).")
    counts = alerts(server)
    assert counts["contact_requests"] >= 1
    sign_in(page, MODERATOR)
    for label, key in [
        ("Demandes de compte", "account_requests"),
        ("File de modération", "submissions"),
        ("Messagerie", "unread_messages"),
        ("Demandes de contact", "contact_requests"),
    ]:
        link = menu_link(page, label)
        count = counts[key]
        if count:
            said = (
                (f"{count} messages non lus" if count > 1 else f"{count} message non lu")
                if key == "unread_messages"
                else f"{count} en attente"
            )
            expect(link).to_have_accessible_description(said)
            expect(link.locator(".pastille")).to_have_text(str(count))
        else:
            expect(link.locator(".pastille")).to_have_count(0)
            expect(link).not_to_have_attribute("aria-describedby", re.compile("."))
    for request_id in pending_ids(server, f"Ajouter Jean Dupuis ({tag})."):
        call(server, "POST", f"/moderation/contact-requests/{request_id}/done", token=api_token(server, MODERATOR))
