"""Sessions in a real browser, as the user guide describes them (*Création*, *Modification* and *Duplication
d'une session*): the demo OF opens a published formation, *Demande de modification*, *Ajouter une session*
(numbered, prefilled), fills its dates, a place through *Rechercher une adresse*, a France Travail funding
line (AIF), its hours, an information collective (ICO) and an inscription sur candidature (ISC); saves,
submits, and a bad value (an ICO ending at 21:00) is refused with its message next to the field, then
fixed; the Carif-Oref approves; the session is published. A finished session is read-only and duplicated
with new dates.

Runs against the shared `ofeli serve` process (fixture `server`) with Debian's chromium. Dates are relative
to the product's clock (the system's, or moved by `POST /_local/clock` and put back).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from support import (
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
    sign_in,
)

HEAD_OFFICE_SIRET, HEAD_OFFICE_NAME = HEAD_OFFICE
ACCOUNTING = "F0000002"  # a published, non-certifying formation of the head office (seed)
SESSION_REF = re.compile(r"S\d{7}")


# ------------------------------------------------------------------ helpers
def today(server: Any) -> date:
    """The product's today (the local stack's clock, which a test may have moved)."""
    status, body = call(server, "POST", "/_local/clock", {"advance": 0})
    assert status == 200, body
    return date.fromisoformat(body["now"][:10])


def reset(server: Any, token: str, ref: str) -> None:
    """No pending request, no draft: the formation as published, whatever earlier tests left."""
    status, view = call(server, "GET", f"/formations/{ref}", token=token)
    assert status == 200, view
    if view["submission"]["state"] == "submitted":
        status, body = call(server, "DELETE", f"/formations/{ref}/submission", token=token)
        assert status == 200, body
    if view["submission"]["state"] in ("submitted", "draft"):
        status, body = call(server, "DELETE", f"/formations/{ref}/draft", token=token)
        assert status == 204, body


def queue_entry(server: Any, moderator: str, ref: str) -> str:
    status, queue = call(server, "GET", "/moderation/queue?kind=formation", token=moderator)
    assert status == 200, queue
    (entry,) = [e for e in queue if e["record_id"] == ref]
    return str(entry["id"])


def open_formation(page: Page, ref: str, account: tuple[str, str] = OF_USER) -> None:
    sign_in(page, account)
    if account == OF_USER:  # two structure spaces: the head office's
        choose_space(page, HEAD_OFFICE_NAME)
    page.goto(f"/formation?ref={ref}")
    expect(page.get_by_role("heading", level=1, name="Formation")).to_be_visible()


def editor(page: Page) -> Locator:
    """The open session's form (a region named by its title: "Session S0000012 du …")."""
    return page.get_by_role("region", name=re.compile(r"^(Session S\d{7}|Nouvelle session)"))


def sessions_table(page: Page) -> Locator:
    return page.get_by_role("table", name=re.compile(r"\d+ sessions?$"))


def session_row(page: Page, ref: str) -> Locator:
    return sessions_table(page).get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(ref)))


def choose_address(block: Locator, query: str, hit: str, chosen: str) -> None:
    """*Rechercher une adresse*: a few words, then the hit chosen in the list; the address shown as kept."""
    block.get_by_label(re.compile("^Rechercher une adresse")).fill(query)
    block.get_by_role("button", name=hit).click()
    expect(block.get_by_text(re.compile(f"^Adresse retenue : {re.escape(chosen)}"))).to_be_visible()


@pytest.fixture
def clock(server: Any) -> Iterator[None]:
    """The product's clock put back to the system's after the test."""
    yield
    status, body = call(server, "POST", "/_local/clock", {"now": None})
    assert status == 200, body


# ------------------------------------------------------------------ the journey
def test_a_session_from_ajouter_to_published(page: Page, browser: Browser, server: Any) -> None:
    token = api_token(server, OF_USER)
    reset(server, token, ACCOUNTING)
    day = today(server)
    start, end = day + timedelta(days=60), day + timedelta(days=180)
    meeting = day + timedelta(days=20)
    applications = (day + timedelta(days=1), day + timedelta(days=45))

    open_formation(page, ACCOUNTING)
    expect(sessions_table(page)).to_be_visible()
    expect(page.get_by_role("button", name="Ajouter une session")).to_have_count(0)
    page.get_by_role("button", name="Demande de modification").click()
    expect(page.get_by_role("heading", name="Demande de modification en cours")).to_be_visible()

    # Ajouter une session: numbered by OFeli, prefilled (the responsible organisation as trainer, place, registration).
    page.get_by_role("button", name="Ajouter une session").click()
    form = editor(page)
    expect(form).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="est ajoutée au brouillon")).to_be_visible()
    title = form.get_by_role("heading", level=3).inner_text()
    ref = SESSION_REF.search(title).group(0)  # type: ignore[union-attr]
    expect(
        form.get_by_text(re.compile(r"OF Démo Formation \(SIRET 814 327 121 00012\) : l'organisme responsable"))
    ).to_be_visible()
    # The head office's address is a place it already has on file: chosen (by reference), not created again.
    head_office_place = f"{HEAD_OFFICE_NAME} — 12 rue de la Paix, 14000 Caen"
    for group in ("Lieu de formation n° 1", "Lieu d'inscription"):
        prefilled = form.get_by_role("group", name=group)
        expect(prefilled).to_contain_text("Lieu de l'organisme formateur")
        expect(prefilled).to_contain_text(head_office_place)
        expect(prefilled.get_by_label("Nom du lieu")).to_have_count(0)
    expect(form.get_by_text(re.compile("ressemble à"))).to_have_count(0)  # no likely duplicate
    expect(form.get_by_label("Date de début")).to_have_attribute("aria-required", "true")
    assert_no_axe_violation(page)

    # Dates, then a second place of training, created through Rechercher une adresse.
    form.get_by_label("Date de début").fill(start.isoformat())
    form.get_by_label("Date de fin").fill(end.isoformat())
    form.get_by_role("button", name="Créer un lieu de formation").click()
    place = form.get_by_role("group", name="Lieu de formation n° 2")
    expect(place.get_by_label("Nom du lieu")).to_be_focused()
    place.get_by_label("Nom du lieu").fill("Centre de Caen Saint-Jean")
    choose_address(place, "24 rue Saint-Jean Caen", "24 Rue Saint-Jean 14000 Caen", "24 Rue Saint-Jean, 14000 Caen")
    expect(place.get_by_text("code INSEE 14118")).to_be_visible()

    # A France Travail funding line: the financer, then its measures; the publics filled from the measure.
    form.get_by_role("button", name="Ajouter un financement").click()
    line = form.get_by_role("group", name="Financement n° 1")
    expect(line.get_by_label("Financeur")).to_be_focused()
    line.get_by_label("Financeur").select_option(label="France Travail")
    line.get_by_label("Mesure").select_option(value="AIF")
    expect(line.get_by_text("Demandeur d'emploi")).to_be_visible()
    expect(line.get_by_text("Renseigné par le Carif-Oref lors de sa validation.")).to_be_visible()
    line.get_by_label("Nombre de places").fill("12")

    # Hours: the total is computed.
    form.get_by_label("Durée en centre (en heures)").fill("400")
    form.get_by_label("Durée en entreprise (en heures)").fill("70")
    expect(form.get_by_label("Durée totale (en heures)")).to_have_value("470")

    # An information collective (ending too late), then an inscription sur candidature.
    form.get_by_role("button", name="Ajouter une information collective (ICO)").click()
    ico = form.get_by_role("group", name=re.compile(r"^Modalité n° 1 : Information collective \(ICO\)"))
    expect(ico).to_be_focused()
    expect(ico.get_by_text("donné par OFeli à la sauvegarde du brouillon")).to_be_visible()
    ico.get_by_label("Nombre de places").fill("20")
    expect(ico.get_by_text(re.compile("dans une salle ou à distance"))).to_be_visible()
    ico.get_by_label("Date de réalisation").fill(meeting.isoformat())
    ico.get_by_label("Heure de début").fill("18:00")
    ico.get_by_label("Heure de fin").fill("21:00")
    choose_address(
        ico,
        "Esplanade Jean-Marie Louvel",
        "1 Esplanade Jean-Marie Louvel 14000 Caen",
        "1 Esplanade Jean-Marie Louvel, 14000 Caen",
    )
    ico.get_by_label("Commentaire").fill("Salle du conseil, 2e étage.")
    expect(ico.get_by_text(re.compile("les 500 premiers caractères sont transmis à France Travail"))).to_be_visible()
    form.get_by_role("button", name="Ajouter une inscription sur candidature (ISC)").click()
    isc = form.get_by_role("group", name=re.compile(r"^Modalité n° 2 : Inscription sur candidature \(ISC\)"))
    isc.get_by_label("Nombre de places").fill("30")
    isc.get_by_label("Début de la candidature").fill(applications[0].isoformat())
    isc.get_by_label("Fin de la candidature").fill(applications[1].isoformat())
    expect(page.get_by_text("Vous avez des modifications non sauvegardées")).to_be_visible()
    assert_no_axe_violation(page)

    # Saved: the session keeps its number, its ICO and ISC get theirs.
    page.get_by_role("button", name="Sauvegarder le brouillon").click()
    expect(page.get_by_role("status").filter(has_text="Votre brouillon est sauvegardé")).to_be_visible()
    expect(page.get_by_text("Toutes vos modifications sont sauvegardées.")).to_be_visible()
    row = session_row(page, ref)
    expect(row).to_contain_text("Caen (14000) (+ 1)")
    expect(row).to_contain_text("À venir")
    expect(row).to_contain_text("Nouvelle, pas encore publiée")
    form = editor(page)
    expect(form.get_by_role("group", name=re.compile(r"^Modalité n° 1")).get_by_text(f"{ref}-1")).to_be_visible()
    expect(form.get_by_role("group", name=re.compile(r"^Modalité n° 2")).get_by_text(f"{ref}-2")).to_be_visible()

    # Submitted: refused, the ICO's end hour marked with the guide's rule, and the summary links to it.
    page.get_by_role("button", name="Soumettre pour validation").click()
    page.get_by_role("dialog", name="Soumettre pour validation").get_by_role("button", name="Confirmer").click()
    alert = page.get_by_role("alert").filter(has_text="au plus tard 20:00")
    expect(alert).to_be_visible()
    expect(page).to_have_title(re.compile("^Erreur — "))
    end_hour = editor(page).get_by_role("group", name=re.compile(r"^Modalité n° 1")).get_by_label("Heure de fin")
    expect(end_hour).to_have_attribute("aria-invalid", "true")
    expect(end_hour).to_have_accessible_description(
        re.compile(r"L'heure de fin \(21:00\) est trop tard : au plus tard 20:00")
    )
    expect(session_row(page, ref)).to_contain_text("1 erreur à corriger")
    alert.get_by_role("link", name=re.compile("Horaires — Fin : L'heure de fin")).click()
    expect(end_hour).to_be_focused()
    assert_no_axe_violation(page)
    end_hour.fill("20:00")

    page.get_by_role("button", name="Soumettre pour validation").click()
    page.get_by_role("dialog", name="Soumettre pour validation").get_by_role("button", name="Confirmer").click()
    pending = page.get_by_role("region", name="Formation en attente de validation par le Carif-Oref")
    expect(pending).to_be_visible()
    expect(page.get_by_role("button", name="Ajouter une session")).to_have_count(0)

    # The Carif-Oref approves.
    with other_person(browser, server, MODERATOR) as moderation:
        submission = queue_entry(server, api_token(server, MODERATOR), ACCOUNTING)
        moderation.goto(f"/moderation/soumission?id={submission}")
        moderation.get_by_role("button", name="Valider et publier").click()
        moderation.get_by_role("dialog").get_by_role("button", name="Confirmer la publication").click()
        expect(moderation).to_have_url(re.compile(r"/moderation/file"))
        # The état du dispositif: the Carif-Oref's, on the published session.
        moderation.goto(f"/formation?ref={ACCOUNTING}")
        session_row(moderation, ref).get_by_role("button", name=re.compile(f"^{ref} : consulter la session")).click()
        scheme = editor(moderation).get_by_role("form", name="État du dispositif (Carif-Oref)")
        scheme.get_by_label(re.compile(r"^Financement n° 1 \(France Travail — AIF")).select_option(label="Conventionné")
        scheme.get_by_role("button", name="Enregistrer l'état du dispositif").click()
        expect(moderation.get_by_role("status").filter(has_text="L'état du dispositif de la session")).to_be_visible()
        assert_no_axe_violation(moderation)

    # Published: in the formation's sessions, upcoming, read-only until a new request.
    page.reload()
    expect(page.get_by_role("button", name="Demande de modification")).to_be_visible()
    row = session_row(page, ref)
    expect(row).to_contain_text("À venir")
    expect(row).to_contain_text("Caen (14000)")
    expect(row).not_to_contain_text("Nouvelle")
    row.get_by_role("button", name=re.compile(f"^{ref} : consulter la session")).click()
    read = editor(page)
    expect(read).to_contain_text("AIF (aide individuelle à la formation)")
    expect(read).to_contain_text(f"n° {ref}-1")
    expect(read).to_contain_text("de 18:00 à 20:00")
    expect(read).to_contain_text("Conventionné")
    expect(read.get_by_role("textbox")).to_have_count(0)
    assert_no_axe_violation(page)
    status, view = call(server, "GET", f"/formations/{ACCOUNTING}", token=token)
    assert status == 200, view
    (published,) = [s for s in view["sessions"] if s["ref"] == ref]
    assert published["funding"][0]["measure"] == "AIF"
    assert [m["code"] for m in published["recruitment"]] == ["9", "7"]
    assert published["recruitment"][0]["hours"] == {"start": "18:00", "end": "20:00"}
    assert published["places"][0]["place_id"] and published["registration"]["place_id"]  # the head office's place
    assert published["places"][1]["address"]["insee_code"] == "14118"

    # Its place is now one of the trainer's: a next session chooses it (the guide's list of the trainer's places).
    page.get_by_role("button", name="Demande de modification").click()
    page.get_by_role("button", name="Ajouter une session").click()
    # the new session's form, not the one of the session opened before (its editor shows until the add ends)
    expect(page.get_by_role("status").filter(has_text="est ajoutée au brouillon")).to_be_visible()
    form = editor(page)
    expect(form.get_by_role("heading", level=3)).not_to_contain_text(ref)
    expect(form.get_by_role("group", name="Lieu de formation n° 1")).to_contain_text(head_office_place)
    choice = form.get_by_label("Choisir un lieu de formation")
    choice.select_option(label="Centre de Caen Saint-Jean — 24 Rue Saint-Jean, 14000 Caen")
    form.get_by_role("button", name="Choisir ce lieu").first.click()
    chosen = form.get_by_role("group", name="Lieu de formation n° 2")  # after the prefilled one
    expect(chosen).to_be_focused()
    expect(chosen).to_contain_text("Lieu de l'organisme formateur")
    expect(chosen).to_contain_text("Centre de Caen Saint-Jean — 24 Rue Saint-Jean, 14000 Caen")
    assert_no_axe_violation(page)
    status, _ = call(server, "DELETE", f"/formations/{ACCOUNTING}/draft", token=token)
    assert status == 204


# ------------------------------------------------------------------ a finished session, duplicated
def _published_session(server: Any, token: str, moderator: str, start: date, end: date) -> tuple[str, str]:
    """A new formation of Atelier Normand with one published session (through the API): (formation ref, session
    ref). Not the demo OF's: other tests count the head office's formations."""
    status, view = call(
        server,
        "POST",
        f"/structures/{SINGLE[0]}/formations",
        {"certifying": False, "title": "Initiation au tableur pour la gestion"},
        token,
    )
    assert status == 201, view
    ref = view["ref"]
    data = {**view["draft"], "objective": "Construire des tableaux de suivi simples avec un tableur."}
    status, view = call(
        server, "PUT", f"/formations/{ref}/draft", {"version": view["submission"]["version"], "data": data}, token
    )
    assert status == 200, view
    status, view = call(server, "POST", f"/formations/{ref}/sessions", {}, token)
    assert status == 201, view
    session = {
        **view["draft"]["sessions"][-1],
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "funding": [{"financer": "10", "measure": "AUTOFINANCEMENT"}],
        "hours_in_centre": 40,
    }
    data = {**view["draft"], "sessions": [session]}
    status, view = call(
        server, "PUT", f"/formations/{ref}/draft", {"version": view["submission"]["version"], "data": data}, token
    )
    assert status == 200, view
    status, view = call(
        server, "POST", f"/formations/{ref}/submission", {"version": view["submission"]["version"]}, token
    )
    assert status == 200, view
    status, body = call(
        server,
        "POST",
        f"/moderation/submissions/{queue_entry(server, moderator, ref)}/decision",
        {"decision": "approve"},
        moderator,
    )
    assert status == 200, body
    return ref, str(session["ref"])


def test_a_finished_session_is_read_only_and_duplicated_with_new_dates(page: Page, server: Any, clock: None) -> None:
    token = api_token(server, SINGLE_OF_USER)
    moderator = api_token(server, MODERATOR)
    day = today(server)
    ref, finished = _published_session(server, token, moderator, day + timedelta(days=2), day + timedelta(days=6))
    # Ten days later, the session is over.
    status, body = call(server, "POST", "/_local/clock", {"advance": 10 * 86_400})
    assert status == 200, body
    later = day + timedelta(days=10)

    open_formation(page, ref, SINGLE_OF_USER)
    row = session_row(page, finished)
    expect(row).to_contain_text("Terminée")
    expect(row.get_by_role("button", name=re.compile("Dupliquer"))).to_have_count(0)  # not before a request
    page.get_by_role("button", name="Demande de modification").click()
    expect(page.get_by_role("heading", name="Demande de modification en cours")).to_be_visible()

    # Finished: read-only (the guide: it cannot be modified, it can be duplicated).
    row = session_row(page, finished)
    expect(row).to_contain_text("Terminée")
    row.get_by_role("button", name=re.compile(f"^{finished} : consulter la session")).click()
    read = editor(page)
    expect(read).to_contain_text(
        "Cette session est terminée : vous ne pouvez pas la modifier, mais vous pouvez la dupliquer"
    )
    expect(read.get_by_role("textbox")).to_have_count(0)

    # Dupliquer: the icon button (named for screen readers), the new dates asked, checked.
    duplicate = row.get_by_role("button", name=f"Dupliquer la session {finished}")
    duplicate.click()
    dialog = page.get_by_role("dialog", name="Dupliquer la session")
    expect(dialog.get_by_label("Nouvelle date de début")).to_be_focused()
    assert_no_axe_violation(page)
    new_start, new_end = later + timedelta(days=30), later + timedelta(days=34)
    dialog.get_by_label("Nouvelle date de début").fill(new_end.isoformat())
    dialog.get_by_label("Nouvelle date de fin").fill(new_start.isoformat())
    dialog.get_by_role("button", name="Dupliquer").click()
    expect(dialog.get_by_label("Nouvelle date de fin")).to_have_attribute("aria-invalid", "true")
    expect(dialog).to_contain_text("est antérieure à la date de début")
    dialog.get_by_label("Nouvelle date de début").fill(new_start.isoformat())
    dialog.get_by_label("Nouvelle date de fin").fill(new_end.isoformat())
    dialog.get_by_role("button", name="Dupliquer").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text=f"La session {finished} est dupliquée")).to_be_visible()

    # The copy: a new number, the new dates, everything else kept, editable; the original still finished.
    form = editor(page)
    copy = SESSION_REF.search(form.get_by_role("heading", level=3).inner_text()).group(0)  # type: ignore[union-attr]
    assert copy != finished
    expect(form.get_by_label("Date de début")).to_have_value(new_start.isoformat())
    expect(form.get_by_label("Date de fin")).to_have_value(new_end.isoformat())
    expect(form.get_by_label("Durée en centre (en heures)")).to_have_value("40")
    expect(form.get_by_role("group", name="Financement n° 1").get_by_label("Financeur")).to_have_value("10")
    expect(session_row(page, copy)).to_contain_text("Nouvelle, pas encore publiée")
    expect(session_row(page, finished)).to_contain_text("Terminée")
    page.get_by_role("button", name="Sauvegarder le brouillon").click()
    expect(page.get_by_role("status").filter(has_text="Votre brouillon est sauvegardé")).to_be_visible()
    status, view = call(server, "GET", f"/formations/{ref}", token=token)
    assert status == 200, view
    assert [(s["ref"], s["start_date"]) for s in view["draft"]["sessions"]] == [(copy, new_start.isoformat())]


# ------------------------------------------------------------------ organisation: trainer, places, contacts
def test_the_trainer_dialog_places_and_contacts_of_a_session(page: Page, server: Any) -> None:
    token = api_token(server, OF_USER)
    status, view = call(
        server,
        "POST",
        f"/structures/{HEAD_OFFICE_SIRET}/formations",
        {"certifying": False, "title": "Gestes et postures au travail"},
        token,
    )
    assert status == 201, view
    ref = view["ref"]
    open_formation(page, ref)
    expect(page.get_by_role("heading", name="Formation en cours de création")).to_be_visible()
    page.get_by_role("button", name="Ajouter une session").click()
    form = editor(page)
    expect(form).to_be_visible()

    # The trainer: the searchable dialog, then the guide's question on the places (Oui).
    form.get_by_role("button", name="Changer l'organisme formateur").click()
    dialog = page.get_by_role("dialog", name="Choisir l'organisme formateur")
    expect(dialog.get_by_label("Nom, SIRET ou SIREN")).to_be_focused()
    expect(dialog.get_by_role("table")).to_be_visible()
    dialog.get_by_label("Nom, SIRET ou SIREN").fill("atelier")
    dialog.get_by_label("Département").fill("76")
    dialog.get_by_role("button", name="Rechercher", exact=True).click()
    expect(dialog.get_by_role("status")).to_have_text("1 organisme trouvé.")
    dialog.get_by_role("button", name="Valider").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Cochez d'abord le bouton radio")
    assert_no_axe_violation(page)
    dialog.get_by_role("radio", name=re.compile("^Choisir Atelier Normand des Métiers")).check()
    dialog.get_by_role("button", name="Valider").click()
    question = page.get_by_role("dialog", name="Mettre à jour les lieux de la session ?")
    expect(question).to_contain_text("L'organisme formateur est maintenant Atelier Normand des Métiers.")
    question.get_by_role("button", name="Oui, mettre à jour").click()
    expect(question).to_be_hidden()
    expect(form.get_by_text("Atelier Normand des Métiers (SIRET 412 987 654 00016)")).to_be_visible()
    # Both places take the trainer's name and whole address (no INSEE code: the directory has none).
    place = form.get_by_role("group", name="Lieu de formation n° 1")
    registration = form.get_by_role("group", name="Lieu d'inscription")
    for taken in (place, registration):
        expect(taken.get_by_label("Nom du lieu")).to_have_value("Atelier Normand des Métiers")
        # exact: no "(code INSEE …)" after it
        summary = taken.get_by_text("Adresse retenue : 45 boulevard de Strasbourg, 76600 Le Havre", exact=True)
        expect(summary).to_be_visible()
    registration.get_by_label(re.compile("^Saisie manuelle")).check()
    expect(registration.get_by_label(re.compile(r"^Adresse \(1re ligne\)"))).to_have_value("45 boulevard de Strasbourg")
    expect(registration.get_by_label(re.compile("^Code postal"))).to_have_value("76600")
    expect(registration.get_by_label(re.compile("^Ville"))).to_have_value("Le Havre")
    expect(registration.get_by_label(re.compile("^Code INSEE de la commune"))).to_have_value("")

    # A second place, outside the region: the guide's message; then completed by hand.
    form.get_by_role("button", name="Créer un lieu de formation").click()
    second = form.get_by_role("group", name="Lieu de formation n° 2")
    expect(second.get_by_label("Nom du lieu")).to_be_focused()
    second.get_by_label("Nom du lieu").fill("Salle Rivoli")
    choose_address(second, "10 rue de Rivoli Paris", "10 Rue de Rivoli 75004 Paris", "10 Rue de Rivoli, 75004 Paris")
    expect(second.get_by_text(re.compile("Ce lieu est hors de la région"))).to_be_visible()
    place.get_by_label(re.compile("^Saisie manuelle")).check()
    place.get_by_label(re.compile(r"^Adresse \(1re ligne\)")).fill("3 quai de Southampton")
    place.get_by_label(re.compile("^Code INSEE de la commune")).fill("76351")
    expect(place.get_by_text("Adresse retenue : 3 quai de Southampton, 76600 Le Havre")).to_be_visible()

    # A contact of the OF's structures, with its type; a request for another one.
    form.get_by_role("button", name="Ajouter un contact").click()
    contact = form.get_by_role("group", name="Contact n° 1")
    contact.get_by_label("Type de contact").select_option(label="Référent pédagogique")
    contact.get_by_label("Contact", exact=True).select_option(label="Monsieur Marc Petit (Responsable pédagogique)")
    form.get_by_label("Demande de contacts spécifiques").fill("Julie Martin, référente handicap, 02 35 00 00 00.")
    assert_no_axe_violation(page)

    page.get_by_role("button", name="Sauvegarder le brouillon").click()
    expect(page.get_by_role("status").filter(has_text="Votre brouillon est sauvegardé")).to_be_visible()
    status, view = call(server, "GET", f"/formations/{ref}", token=token)
    assert status == 200, view
    (session,) = view["draft"]["sessions"]
    assert session["trainer_siret"] == "41298765400016"
    assert [p["name"] for p in session["places"]] == ["Atelier Normand des Métiers", "Salle Rivoli"]
    assert {k: session["registration"]["address"][k] for k in ("line1", "postal_code", "city")} == {
        "line1": "45 boulevard de Strasbourg",
        "postal_code": "76600",
        "city": "Le Havre",
    }
    assert session["places"][0]["address"]["line1"] == "3 quai de Southampton"
    assert session["places"][0]["address"]["insee_code"] == "76351"
    assert session["places"][1]["address"]["insee_code"] == "75104"
    assert session["contacts"] == [{"contact_id": "petit", "contact_type": "3"}]
    assert session["contact_request"].startswith("Julie Martin")
    status, _ = call(server, "DELETE", f"/formations/{ref}/draft", token=token)
    assert status == 204
