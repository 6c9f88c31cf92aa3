"""Issue 10: the guide's and France Travail's rules on a session, pure (no AWS, no real clock).

A table of cases: for every rule a session that breaks it (the exact field paths, a key part of the French
message) and one that meets it at its boundary; then the warnings, duplication, the moderator's
differences, the life of a session and the financing referential's data file.
"""

# The tables of cases keep one case per line.
# ruff: noqa: E501
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from ofeli.domain import lheo_codes as lheo
from ofeli.domain.certifications import Certification, CompetenceBlock
from ofeli.domain.offers import FormationCertification, FormationDraft
from ofeli.domain.sessions import (
    REMOTE_ADDRESS,
    REQUIRED,
    SESSION_LABELS,
    YEARLY_SESSION,
    FinancingReferential,
    Place,
    SessionAddress,
    SessionContext,
    SessionDraft,
    address_errors,
    all_session_errors,
    as_yearly_session,
    context_for,
    department,
    duplicate,
    exported_comment,
    fill_blocks,
    fill_publics,
    financing_referential,
    finished,
    finished_session_errors,
    is_yearly,
    lheo_entry_mode,
    number_recruitment,
    publicly_funded,
    remote_address,
    restore_moderator_fields,
    session_differences,
    session_errors,
    session_state,
    session_warnings,
    trainer_of,
    yearly_session,
)
from ofeli.domain.structures import Address

TODAY = date(2026, 11, 30)
REF = "S0000012"
P = f"sessions.{REF}"


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def certification(code: str, blocks: list[str]) -> Certification:
    return Certification(
        code=code,
        repertory="RNCP",
        number=int(code[4:]),
        title=f"Certification {code}",
        active=True,
        blocks=[CompetenceBlock(code=b, title=f"Bloc {b}") for b in blocks],
    )


CAP = certification("RNCP37861", ["RNCP37861BC01", "RNCP37861BC02", "RNCP37861BC03"])
PLAIN = certification("RNCP35000", [])  # not described in blocks on France compétences
CAEN = {"line1": "12 rue Saint-Pierre", "postal_code": "14000", "city": "Caen", "insee_code": "14118"}
ROUEN = {"line1": "1 place du Vieux-Marché", "postal_code": "76000", "city": "Rouen", "insee_code": "76540"}
PARIS = {"line1": "3 rue de Rivoli", "postal_code": "75004", "city": "Paris", "insee_code": "75104"}
KNOWN_PLACES = {
    "siege": Place(name="Siège", address=SessionAddress(**CAEN)),
    "lyon": Place(name="Antenne de Lyon", address=SessionAddress(line1="1 quai", postal_code="69001", city="Lyon")),
}
CONTEXT = SessionContext(
    today=TODAY,
    certifying=True,
    certifications=[CAP, PLAIN],
    responsible_siret="13002526500013",
    contact_ids=frozenset({"petit", "durand"}),
    places=KNOWN_PLACES,
)
APPRENTICE = replace(CONTEXT, apprenticeship=True, cycle_years=2, certifications=[CAP])


def good() -> dict[str, Any]:
    """A complete session funded by France Travail, with an ISC, an ICO and a remote RDVI."""
    return {
        "ref": REF,
        "start_date": day(30),
        "end_date": day(120),
        "teaching_mode": "0",
        "places": [{"name": "Centre de formation", "address": dict(ROUEN)}],
        "contacts": [{"contact_id": "petit", "contact_type": "3"}],
        "funding": [{"financer": "4", "measure": "AIF", "publics": ["demandeur_emploi"], "seats": 12}],
        "blocks": [{"certification": "RNCP37861", "validation": "0", "blocks": ["RNCP37861BC01"]}],
        "hours_in_centre": 400,
        "hours_in_company": 70,
        "prerequisites": "Savoir lire et écrire.",
        "path_type": "1",
        "rhythms": ["temps_plein"],
        "registration": {"place_id": "siege"},
        "recruitment": [
            {"code": "7", "number": "ISC-1", "seats": 20, "periods": [{"start": day(0), "end": day(20)}]},
            {
                "code": "9",
                "number": "ICO-1",
                "seats": 30,
                "date": day(10),
                "hours": {"start": "09:00", "end": "11:00"},
                "address": dict(CAEN),
                "comment": "Réunion d'information collective",
            },
            {
                "code": "8",
                "number": "RDVI-1",
                "seats": 3,
                "date": day(12),
                "hours": {"start": "14:00", "end": "17:00"},
                "remote": True,
            },
            {"code": "3", "comment": "Dossier de candidature"},
        ],
    }


def apprentice() -> dict[str, Any]:
    """A complete session of an apprenticeship formation (2 years), funded by an OPCO."""
    data = good()
    data.update(
        funding=[{"financer": "16", "measure": "CONTRAT_APPRENTISSAGE", "publics": ["jeune_16_29"]}],
        cycles=[
            {"year": 1, "rhythm": {"unit": "3", "in_centre": 1, "in_company": 3}},
            {"year": 2, "rhythm": {"unit": "0", "in_centre": 4, "in_company": 4}},
        ],
        blocks=[{"certification": "RNCP37861", "validation": "1"}],
        rhythms=["alternance"],
        recruitment=[{"code": "3", "comment": "Dossier et entretien avec l'employeur"}],
    )
    return data


def errors(data: dict[str, Any], context: SessionContext = CONTEXT, **kw: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in session_errors(SessionDraft.model_validate(data), context, **kw):
        found.setdefault(error.field, []).append(error.message)
    return found


def warnings(data: dict[str, Any], context: SessionContext = CONTEXT) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for warning in session_warnings(SessionDraft.model_validate(data), context):
        found.setdefault(warning.field, []).append(warning.message)
    return found


def test_the_complete_sessions_pass_without_warning():
    assert errors(good()) == {}
    assert warnings(good()) == {}
    assert errors(apprentice(), APPRENTICE) == {}
    assert warnings(apprentice(), APPRENTICE) == {}


# ---------------------------------------------------------------------- the table
Mutate = Callable[[dict[str, Any]], Any]


def setting(**fields: Any) -> Mutate:
    return lambda d: d.update(fields)


def at(path: str, value: Any) -> Mutate:
    """Set a nested value: `at("recruitment.1.hours.start", "06:30")`."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


def both(*mutations: Mutate) -> Mutate:
    def mutate(data: dict[str, Any]) -> None:
        for m in mutations:
            m(data)

    return mutate


def meetings(count: int) -> Mutate:
    def mutate(data: dict[str, Any]) -> None:
        ico = data["recruitment"][1]
        data["recruitment"] = [data["recruitment"][0]] + [{**ico, "number": f"ICO-{n}"} for n in range(count)]

    return mutate


# (rule, base, mutation, context, expected field paths (after `sessions.S0000012.`), part of the message)
# fmt: off
FAILING: list[tuple[str, str, Mutate, SessionContext | None, list[str], str]] = [
    # 1. dates and type
    ("start required", "good", setting(start_date=None), None, ["start_date"], "date de début de la session est obligatoire"),
    ("end required", "good", setting(end_date=None), None, ["end_date"], "date de fin de la session est obligatoire"),
    ("start <= end", "good", setting(end_date=day(29)), None, ["end_date"], "est antérieure à la date de début (30/12/2026)"),
    # 2. organisation
    ("a place required", "good", setting(places=[]), None, ["places"], "au moins un lieu de formation"),
    ("created place: name", "good", at("places.0.name", None), None, ["places.0.name"], "nom du lieu de formation"),
    ("created place: address", "good", at("places.0.address", None), None, ["places.0.address"], "Rechercher une adresse"),
    ("known place only", "good", setting(places=[{"place_id": "gone"}]), None, ["places.0.place_id"], "n'est plus parmi les lieux"),
    ("place outside the region", "good", at("places.0.address", dict(PARIS)), None, ["places.0"], "hors de la région Normandie : si la formation se déroule hors région Normandie, vous devez la référencer auprès du Carif-Oref correspondant : https://reseau.intercariforef.org/lassociation-intercariforef"),
    ("known place outside", "good", setting(places=[{"place_id": "lyon"}]), None, ["places.0"], "(69001 Lyon) est hors de la région Normandie"),
    ("contacts of the OF", "good", at("contacts.0.contact_id", "inconnu"), None, ["contacts.0.contact_id"], "n'est plus un contact de vos structures"),
    # address rules (every address into LHEO)
    ("address: first line", "good", at("places.0.address.line1", None), None, ["places.0.address.line1"], "1re ligne de l'adresse est obligatoire"),
    ("address: city", "good", at("places.0.address.city", None), None, ["places.0.address.city"], "La ville est obligatoire"),
    ("address: postal code required", "good", at("places.0.address.postal_code", None), None, ["places.0.address.postal_code"], "code postal est obligatoire"),
    ("address: postal code alphanumeric", "good", at("places.0.address.postal_code", "76-00"), None, ["places.0.address.postal_code"], "« 76-00 » doit comporter 5 caractères alphanumériques"),
    ("address: postal code 5 characters", "good", at("places.0.address.postal_code", "7600"), None, ["places.0.address.postal_code"], "5 caractères alphanumériques"),
    ("address: postal code not 00000", "good", at("places.0.address.postal_code", "00000"), None, ["places.0.address.postal_code"], "ne peut pas être 00000"),
    ("address: INSEE required", "good", at("places.0.address.insee_code", None), None, ["places.0.address.insee_code"], "code INSEE de la commune est obligatoire"),
    ("address: INSEE alphanumeric", "good", at("places.0.address.insee_code", "7654é"), None, ["places.0.address.insee_code"], "5 caractères alphanumériques"),
    ("address: INSEE not 00000", "good", at("places.0.address.insee_code", "00000"), None, ["places.0.address.insee_code"], "code INSEE ne peut pas être 00000"),
    # 3. funding
    ("funding required", "good", setting(funding=[]), None, ["funding"], "Les financements sont obligatoires"),
    ("financer first", "good", at("funding.0.financer", None), None, ["funding.0.financer"], "Sélectionnez le financeur"),
    ("a measure", "good", at("funding.0.measure", None), None, ["funding.0.measure"], "parmi celles du financeur « France Travail »"),
    ("measure of the financer", "good", at("funding.0.measure", "QUALIF_COLLECTIF"), None, ["funding.0.measure"], "« QUALIF_COLLECTIF » n'est pas une mesure du financeur « France Travail »"),
    ("publics of the measure", "good", at("funding.0.publics", ["salarie"]), None, ["funding.0.publics"], "« salarie » n'en fait pas partie"),
    ("regional council: two texts", "good", setting(funding=[{"financer": "2", "measure": "QUALIF_COLLECTIF"}]), None, ["funding_conditions", "audience_info"], "obligatoire pour une formation conventionnée par le Conseil régional"),
    ("professionalisation alone", "good", setting(funding=[{"financer": "16", "measure": "CONTRAT_PROFESSIONNALISATION"}, {"financer": "0", "measure": "CPF"}]), None, ["funding.1.measure"], "Le contrat de professionnalisation demande une session dédiée : créez une 2e session pour « CPF (Mon compte formation) »"),
    ("apprenticeship mixes nothing", "apprentice", lambda d: d["funding"].append({"financer": "2", "measure": "QUALIF_COLLECTIF"}), APPRENTICE, ["funding.1.measure", "funding_conditions", "audience_info"], "pas de mélange avec les autres dispositifs"),
    ("apprenticeship needs its formation", "good", setting(funding=[{"financer": "16", "measure": "CONTRAT_APPRENTISSAGE"}]), None, ["funding.0.measure"], "Le contrat d'apprentissage demande une formation spécifique"),
    # 4. apprenticeship
    ("cycles required", "apprentice", setting(cycles=[]), APPRENTICE, ["cycles"], "cycles de l'alternance sont obligatoires pour l'apprentissage"),
    ("cycle duration first", "apprentice", lambda d: None, replace(APPRENTICE, cycle_years=None), ["cycles"], "Renseignez d'abord la durée de cycle"),
    ("a year per line", "apprentice", at("cycles.1.year", None), APPRENTICE, ["cycles.1.year"], "Choisissez l'année de cycle"),
    ("years 1..cycle duration", "apprentice", at("cycles.1.year", 3), APPRENTICE, ["cycles.1.year"], "L'année 3 dépasse la durée de cycle de la formation (2 ans)"),
    ("one line per year", "apprentice", at("cycles.1.year", 1), APPRENTICE, ["cycles.1.year"], "L'année 1 est déjà indiquée"),
    ("rhythm required", "apprentice", at("cycles.0.rhythm", None), APPRENTICE, ["cycles.0.rhythm"], "Le rythme de l'alternance est obligatoire"),
    ("rhythm unit", "apprentice", at("cycles.0.rhythm.unit", None), APPRENTICE, ["cycles.0.rhythm.unit"], "Choisissez l'unité du rythme"),
    ("rhythm in centre", "apprentice", at("cycles.0.rhythm.in_centre", None), APPRENTICE, ["cycles.0.rhythm.in_centre"], "temps en centre"),
    ("rhythm in company", "apprentice", at("cycles.0.rhythm.in_company", None), APPRENTICE, ["cycles.0.rhythm.in_company"], "temps en entreprise"),
    ("rhythm not nothing", "apprentice", at("cycles.0.rhythm", {"unit": "2", "in_centre": 0, "in_company": 0}), APPRENTICE, ["cycles.0.rhythm.in_centre"], "0 en centre et 0 en entreprise"),
    ("week: over a month", "apprentice", at("cycles.0.rhythm.in_company", 5), APPRENTICE, ["cycles.0.rhythm.in_company"], "se lit sur un mois : 1 + 5 = 6 semaines, au-delà des 5 semaines"),
    ("hour: over a day", "apprentice", at("cycles.1.rhythm", {"unit": "0", "in_centre": 20, "in_company": 8}), APPRENTICE, ["cycles.1.rhythm.in_company"], "se lit sur une journée"),
    # 5. competence blocks
    ("apprenticeship: total validation", "apprentice", at("blocks.0.validation", "2"), APPRENTICE, ["blocks.0.validation"], "vous devez sélectionner obligatoirement « Validation totale »"),
    ("apprenticeship: blocks chosen", "apprentice", setting(blocks=[]), APPRENTICE, ["blocks"], "« Validation totale » des blocs de la certification RNCP37861"),
    ("a validation type", "good", at("blocks.0.validation", None), None, ["blocks.0.validation"], "Choisissez le type de validation"),
    ("partial: some blocks", "good", at("blocks.0.blocks", []), None, ["blocks.0.blocks"], "sélectionnez le ou les blocs concernés"),
    ("partial: not all", "good", at("blocks.0.blocks", ["RNCP37861BC01", "RNCP37861BC02", "RNCP37861BC03"]), None, ["blocks.0.blocks"], "pas sur tous"),
    ("total: all blocks", "good", at("blocks.0", {"certification": "RNCP37861", "validation": "1", "blocks": ["RNCP37861BC01"]}), None, ["blocks.0.blocks"], "il manque RNCP37861BC02, RNCP37861BC03"),
    ("blocks of the certification", "good", at("blocks.0.blocks", ["RNCP99999BC01"]), None, ["blocks.0.blocks"], "RNCP99999BC01 : ce ne sont pas des blocs de la certification RNCP37861"),
    ("certification of the formation", "good", at("blocks.0.certification", "RNCP11111"), None, ["blocks.0.certification"], "n'est pas une certification de la formation"),
    ("certification in blocks", "good", at("blocks.0", {"certification": "RNCP35000", "validation": "1"}), None, ["blocks.0.certification"], "n'est pas décrite en blocs de compétences"),
    ("one entry per certification", "good", lambda d: d["blocks"].append(dict(d["blocks"][0])), None, ["blocks.1.certification"], "sont déjà indiqués"),
    # 6. durations, registration
    ("total > 0 required", "good", setting(hours_in_centre=None, hours_in_company=0), None, ["total_hours"], "La durée totale est obligatoire"),
    ("registration place required", "good", setting(registration=None), None, ["registration"], "Le lieu d'inscription doit obligatoirement être renseigné"),
    ("registration: created place", "good", setting(registration={"name": "Agence France Travail", "address": {**CAEN, "insee_code": None}}), None, ["registration.address.insee_code"], "code INSEE de la commune est obligatoire"),
    ("registration: known place", "good", setting(registration={"place_id": "gone"}), None, ["registration.place_id"], "Ce lieu d'inscription n'est plus parmi les lieux"),
    # 7. France Travail's recruitment modalities
    ("France Travail: 7, 8 or 9", "good", setting(recruitment=[{"code": "3"}]), None, ["recruitment"], "au moins une de ces modalités de recrutement : inscription sur candidature (7)"),
    ("ISC: a number", "good", at("recruitment.0.number", None), None, ["recruitment.0.number"], "L'inscription sur candidature (ISC) doit avoir un numéro d'identification unique"),
    ("unique numbers", "good", at("recruitment.1.number", "ISC-1"), None, ["recruitment.1.number"], "« ISC-1 » est déjà celui d'une autre modalité de cette session"),
    ("numbers unique across sessions", "good", lambda d: None, replace(CONTEXT, other_numbers=frozenset({"RDVI-1"})), ["recruitment.2.number"], "« RDVI-1 » est déjà celui d'une modalité d'une autre session"),
    ("ISC: open", "good", at("recruitment.0.state", "2"), None, ["recruitment.0.state"], "fermez le recrutement dans la rubrique Financement"),
    ("ISC: seats required", "good", at("recruitment.0.seats", None), None, ["recruitment.0.seats"], "nombre de places est obligatoire : entre 1 et 999"),
    ("ISC: seats <= 999", "good", at("recruitment.0.seats", 1000), None, ["recruitment.0.seats"], "(1000) doit être compris entre 1 et 999"),
    ("ISC: seats >= 1", "good", at("recruitment.0.seats", 0), None, ["recruitment.0.seats"], "(0) doit être compris entre 1 et 999"),
    ("ISC: a period", "good", at("recruitment.0.periods", []), None, ["recruitment.0.periods"], "La période de candidature est obligatoire"),
    ("ISC: period start", "good", at("recruitment.0.periods.0.start", None), None, ["recruitment.0.periods.0.start"], "date de début de la période de candidature est obligatoire"),
    ("ISC: period end", "good", at("recruitment.0.periods.0.end", None), None, ["recruitment.0.periods.0.end"], "date de fin de la période de candidature est obligatoire"),
    ("ISC: period in order", "good", at("recruitment.0.periods.0", {"start": day(20), "end": day(10)}), None, ["recruitment.0.periods.0.end"], "est antérieure à son début"),
    ("ISC: starts before the end", "good", at("recruitment.0.periods.0", {"start": day(120), "end": day(130)}), None, ["recruitment.0.periods.0.start"], "doit commencer avant la fin de la formation (le 30/03/2027)"),
    ("ISC: periods never overlap", "good", lambda d: d["recruitment"][0]["periods"].append({"start": day(20), "end": day(25)}), None, ["recruitment.0.periods.1"], "chevauche celle du 30/11/2026 au 20/12/2026"),
    ("ISCs never overlap", "good", lambda d: d["recruitment"].append({"code": "7", "number": "ISC-2", "seats": 5, "periods": [{"start": day(-5), "end": day(2)}]}), None, ["recruitment.0.periods.0"], "chevauche celle du 25/11/2026 au 02/12/2026"),
    ("RDVI/ICO: a number", "good", at("recruitment.1.number", None), None, ["recruitment.1.number"], "L'information collective (ICO) doit avoir un numéro"),
    ("RDVI: open", "good", at("recruitment.2.state", "3"), None, ["recruitment.2.state"], "L'entretien individuel (RDVI) doit avoir un état du recrutement « ouvert »"),
    ("RDVI/ICO: seats <= 299", "good", at("recruitment.1.seats", 300), None, ["recruitment.1.seats"], "(300) doit être compris entre 1 et 299"),
    ("RDVI/ICO: seats required", "good", at("recruitment.2.seats", None), None, ["recruitment.2.seats"], "entre 1 et 299"),
    ("RDVI/ICO: at most 120", "good", meetings(121), None, ["recruitment"], "au plus 120 entretiens individuels et informations collectives : elle en compte 121"),
    ("RDVI/ICO: a date", "good", at("recruitment.1.date", None), None, ["recruitment.1.date"], "La date de réalisation est obligatoire"),
    ("RDVI/ICO: one day", "good", at("recruitment.1.end_date", day(11)), None, ["recruitment.1.end_date"], "dure une journée au plus"),
    ("RDVI/ICO: not in the past", "good", at("recruitment.1.date", day(-1)), None, ["recruitment.1.date"], "(29/11/2026) est passée : elle doit être postérieure ou égale à la date du jour (30/11/2026)"),
    ("RDVI/ICO: not after the end", "good", at("recruitment.1.date", day(121)), None, ["recruitment.1.date"], "est après la fin de la formation (30/03/2027)"),
    ("RDVI/ICO: start hour", "good", at("recruitment.1.hours.start", None), None, ["recruitment.1.hours.start"], "L'heure de début est obligatoire"),
    ("RDVI/ICO: end hour", "good", at("recruitment.1.hours", {"start": "09:00"}), None, ["recruitment.1.hours.end"], "L'heure de fin est obligatoire"),
    ("RDVI/ICO: from 07:00", "good", at("recruitment.1.hours.start", "06:59"), None, ["recruitment.1.hours.start"], "(06:59) est trop tôt : au plus tôt 07:00"),
    ("RDVI/ICO: until 20:00", "good", at("recruitment.1.hours.end", "20:01"), None, ["recruitment.1.hours.end"], "(20:01) est trop tard : au plus tard 20:00"),
    ("RDVI/ICO: end after start", "good", at("recruitment.1.hours", {"start": "11:00", "end": "11:00"}), None, ["recruitment.1.hours.end"], "(11:00) doit être postérieure à l'heure de début (11:00)"),
    ("RDVI/ICO: address or remote", "good", at("recruitment.1.address", None), None, ["recruitment.1.address"], "ou cochez « à distance »"),
    ("RDVI/ICO: address rules", "good", at("recruitment.1.address.postal_code", "00000"), None, ["recruitment.1.address.postal_code"], "ne peut pas être 00000"),
]
# fmt: on

# (rule, base, mutation, context): the same rules met, at their boundaries
# fmt: off
PASSING: list[tuple[str, str, Mutate, SessionContext | None]] = [
    ("a one-day session", "good", setting(end_date=day(30)), None),
    ("on demand, permanent entry", "good", setting(entry_type="on_demand"), None),
    ("remote training without place", "good", setting(places=[], teaching_mode="2"), None),
    ("a known place", "good", setting(places=[{"place_id": "siege"}]), None),
    ("a place outside beside one inside", "good", lambda d: d["places"].append({"name": "Annexe", "address": dict(PARIS)}), None),
    ("contacts not checked without the list", "good", at("contacts.0.contact_id", "autre"), replace(CONTEXT, contact_ids=None)),
    ("Corsican INSEE code", "good", at("places.0.address", {**ROUEN, "insee_code": "2A004"}), replace(CONTEXT, departments=("2A", "76"))),
    ("regional council with its two texts", "good", setting(funding=[{"financer": "2", "measure": "QUALIF_COLLECTIF"}], funding_conditions="Prise en charge totale.", audience_info="Demandeurs d'emploi normands."), None),
    ("AIF quote: AUTRE / AUTRE DISPOSITIF", "good", lambda d: d["funding"].append({"financer": "0", "measure": "AUTRE_DISPOSITIF"}), None),
    ("professionalisation alone", "good", setting(funding=[{"financer": "16", "measure": "CONTRAT_PROFESSIONNALISATION"}]), None),
    ("year equal to the cycle duration", "apprentice", at("cycles.1.year", 2), APPRENTICE),
    ("month: 12 over a year", "apprentice", at("cycles.0.rhythm", {"unit": "4", "in_centre": 3, "in_company": 9}), APPRENTICE),
    ("day: all in company", "apprentice", at("cycles.0.rhythm", {"unit": "2", "in_centre": 0, "in_company": 5}), APPRENTICE),
    ("apprenticeship, total with its blocks listed", "apprentice", at("blocks.0.blocks", ["RNCP37861BC01", "RNCP37861BC02", "RNCP37861BC03"]), APPRENTICE),
    ("mixed validation, blocks filled automatically", "good", at("blocks.0", {"certification": "RNCP37861", "validation": "2"}), None),
    ("partial, all but one", "good", at("blocks.0.blocks", ["RNCP37861BC01", "RNCP37861BC03"]), None),
    ("total from the company hours alone", "good", setting(hours_in_centre=None, hours_in_company=35), None),
    ("a total without its parts", "good", setting(hours_in_centre=None, hours_in_company=None, total_hours=70), None),
    ("registration at a created place", "good", setting(registration={"name": "Agence France Travail", "address": dict(CAEN)}), None),
    ("France Travail: an ISC alone", "good", lambda d: d.update(recruitment=d["recruitment"][:1]), None),
    ("France Travail: a remote RDVI alone", "good", lambda d: d.update(recruitment=d["recruitment"][2:3]), None),
    ("not France Travail: no modality", "good", setting(funding=[{"financer": "0", "measure": "CPF"}], recruitment=[]), None),
    ("ISC: 999 seats, 1 seat", "good", lambda d: d["recruitment"].extend([{"code": "7", "number": "ISC-2", "seats": 999, "periods": [{"start": day(21), "end": day(22)}]}, {"code": "7", "number": "ISC-3", "seats": 1, "periods": [{"start": day(23), "end": day(23)}]}]), None),
    ("ISC: starts the day before the end", "good", at("recruitment.0.periods.0", {"start": day(119), "end": day(125)}), None),
    ("ISC: periods end to end", "good", lambda d: d["recruitment"][0]["periods"].append({"start": day(21), "end": day(40)}), None),
    ("ISC: closed on its funding line", "good", at("funding.0.recruitment_state", "2"), None),
    ("RDVI/ICO: 299 seats, 1 seat", "good", both(at("recruitment.1.seats", 299), at("recruitment.2.seats", 1)), None),
    ("RDVI/ICO: 120", "good", meetings(120), None),
    ("RDVI/ICO: today", "good", at("recruitment.1.date", day(0)), None),
    ("RDVI/ICO: the last day of the training", "good", at("recruitment.1.date", day(120)), None),
    ("RDVI/ICO: end date the same day", "good", at("recruitment.1.end_date", day(10)), None),
    ("RDVI/ICO: 07:00 to 20:00", "good", at("recruitment.1.hours", {"start": "07:00", "end": "20:00"}), None),
    ("RDVI/ICO: remote needs no address", "good", both(at("recruitment.1.address", None), at("recruitment.1.remote", True)), None),
    ("documentary modality: nothing required", "good", lambda d: d["recruitment"].append({"code": "0"}), None),
]
# fmt: on


def _base(name: str) -> dict[str, Any]:
    return good() if name == "good" else apprentice()


@pytest.mark.parametrize(
    ("rule", "base", "mutate", "context", "fields", "message"), FAILING, ids=[c[0] for c in FAILING]
)
def test_a_rule_refuses_a_bad_session(rule, base, mutate, context, fields, message):
    data = _base(base)
    mutate(data)
    found = errors(data, context or (APPRENTICE if base == "apprentice" else CONTEXT))
    assert set(found) == {f"{P}.{f}" for f in fields}, found
    assert any(message in m for m in found[f"{P}.{fields[0]}"]), found


@pytest.mark.parametrize(("rule", "base", "mutate", "context"), PASSING, ids=[c[0] for c in PASSING])
def test_a_rule_accepts_a_good_session(rule, base, mutate, context):
    data = _base(base)
    mutate(data)
    assert errors(data, context or (APPRENTICE if base == "apprentice" else CONTEXT)) == {}


def test_a_session_not_yet_numbered_is_named_by_its_position():
    data = good()
    data.update(ref=None, start_date=None)
    assert list(errors(data, position=3)) == ["sessions.3.start_date"]


def test_an_unchanged_meeting_that_took_place_stays():
    published = SessionDraft.model_validate(good())
    later = replace(CONTEXT, today=TODAY + timedelta(days=11))  # the ICO was on day 10
    data = good()
    data["recruitment"][0]["periods"][0]["start"] = day(12)  # the ISC is changed, the ICO is not
    assert errors(data, later, published=published) == {}
    data["recruitment"][1]["date"] = day(9)  # moved to another past day: refused
    assert list(errors(data, later, published=published)) == [f"{P}.recruitment.1.date"]


# ---------------------------------------------------------------------- what is checked at save
@pytest.mark.parametrize(
    ("data", "location"),
    [
        ({"teaching_mode": "5"}, ("teaching_mode",)),
        ({"funding": [{"financer": "1"}]}, ("funding", 0, "financer")),  # LHEO's obsolete code
        ({"funding": [{"scheme_state": "bof"}]}, ("funding", 0, "scheme_state")),
        ({"contacts": [{"contact_id": "petit", "contact_type": "99"}]}, ("contacts", 0, "contact_type")),
        ({"recruitment": [{"code": "12"}]}, ("recruitment", 0, "code")),
        ({"recruitment": [{"code": "8", "hours": {"start": "25:00"}}]}, ("recruitment", 0, "hours", "start")),
        ({"places": [{"address": {"line1": "x" * 51}}]}, ("places", 0, "address", "line1")),
        ({"places": [{"address": {"postal_code": "140000"}}]}, ("places", 0, "address", "postal_code")),
        ({"hours_in_centre": -3}, ("hours_in_centre",)),
        ({"path_type": "9"}, ("path_type",)),
        ({"rhythms": ["nuit"]}, ("rhythms",)),
        ({"cycles": [{"year": 6}]}, ("cycles", 0, "year")),
        ({"blocks": [{"certification": "BTS"}]}, ("blocks", 0, "certification")),
        ({"trainer_siret": "12345678901234"}, ("trainer_siret",)),
        ({"funding": [{}] * 9}, ("funding",)),  # LHEO: 8 financers at most
        ({"ref": "F0000001"}, ("ref",)),
    ],
)
def test_lengths_types_and_codes_are_checked_at_save(data, location):
    with pytest.raises(ValidationError) as caught:
        SessionDraft.model_validate(data)
    assert [e["loc"] for e in caught.value.errors()] == [location]


def test_a_partial_session_saves_and_is_normalised():
    session = SessionDraft.model_validate(
        {
            "hours_in_centre": "0",  # empty rather than zero
            "hours_in_company": 20,
            "places": [{"place_id": "siege", "name": "ignoré", "address": {"line1": "ignorée"}}],
            "recruitment": [
                {"code": 9, "hours": {"start": "09:30", "end": "11:00:00"}, "periods": [{"start": day(0)}]},
                {"code": "7", "date": day(3), "address": dict(CAEN), "periods": [{"start": day(0)}]},
                {"code": "2", "number": "x", "seats": 4},
                {"code": "8", "remote": True, "address": dict(CAEN)},
            ],
            "funding": [{"financer": 4, "publics": ["salarie", "salarie"]}],
            "blocks": [{"certification": "rncp 37861", "blocks": ["rncp37861bc01"]}],
        }
    )
    assert (session.hours_in_centre, session.hours_in_company, session.total_hours) == (None, 20, 20)
    assert session.places[0] == Place(place_id="siege")  # a reference wins
    ico, isc, documentary, rdvi = session.recruitment
    assert (ico.code, ico.periods) == ("9", [])  # a code keeps its own fields only
    assert (isc.date, isc.address, len(isc.periods)) == (None, None, 1)
    assert (documentary.number, documentary.state, documentary.seats) == (None, None, None)
    assert rdvi.address is None  # remote
    assert session.model_dump(mode="json")["recruitment"][0]["hours"] == {"start": "09:30", "end": "11:00"}
    assert session.funding[0].financer == "4" and session.funding[0].publics == ["salarie"]
    assert session.blocks[0].certification == "RNCP37861" and session.blocks[0].blocks == ["RNCP37861BC01"]
    assert SessionDraft().model_dump()["teaching_mode"] == "0"  # LHEO requires one: on site by default


# ---------------------------------------------------------------------- warnings
# fmt: off
WARNED: list[tuple[str, str, Mutate, SessionContext | None, list[str], str]] = [
    ("duration in centre", "good", setting(hours_in_centre=None), None, ["hours_in_centre"], "La durée en centre n'est pas renseignée"),
    ("duration in company for apprenticeship", "apprentice", setting(hours_in_company=None), APPRENTICE, ["hours_in_company"], "elle n'est pas obligatoire dans OFeli mais elle est importante"),
    ("recruitment modalities", "good", setting(funding=[{"financer": "0", "measure": "CPF"}], recruitment=[]), None, ["recruitment"], "Aucune modalité de recrutement"),
    ("competence blocks", "good", setting(blocks=[]), None, ["blocks"], "Les blocs de compétences de la certification RNCP37861 ne sont pas précisés"),
    ("short session", "good", setting(hours_in_centre=14, hours_in_company=None), None, ["start_date"], "courte (moins de 35 heures : 14 h), créez une session unique annuelle en entrées-sorties permanentes, du 02/01/2026 au 30/12/2026"),
    ("individualised session", "good", setting(path_type="2"), None, ["start_date"], "Pour une session individualisée"),
    ("place outside beside one inside", "good", lambda d: d["places"].append({"name": "Annexe", "address": dict(PARIS)}), None, ["places.1"], "hors de la région Normandie"),
    ("likely duplicate of a known place", "good", at("places.0", {"name": "Siège social", "address": dict(CAEN)}), None, ["places.0"], "ressemble à « Siège (12 rue Saint-Pierre, 14000, Caen) »"),
    ("same name, same postal code", "good", at("places.0", {"name": "Siège", "address": {**CAEN, "line1": "13 rue Saint-Pierre"}}), None, ["places.0"], "ressemble à « Siège"),
    ("the same place twice", "good", lambda d: d["places"].append(copy.deepcopy(d["places"][0])), None, ["places.1"], "ressemble à « Centre de formation"),
    ("registration place twin", "good", setting(registration={"name": "Accueil", "address": dict(CAEN)}), None, ["registration"], "déjà enregistré"),
    ("comment beyond 500 characters", "good", at("recruitment.1.comment", "x" * 501), None, ["recruitment.1.comment"], "501 caractères : seuls les 500 premiers sont transmis"),
]
# fmt: on


@pytest.mark.parametrize(("rule", "base", "mutate", "context", "fields", "message"), WARNED, ids=[c[0] for c in WARNED])
def test_a_recommendation_warns_without_blocking(rule, base, mutate, context, fields, message):
    data = _base(base)
    mutate(data)
    context = context or (APPRENTICE if base == "apprentice" else CONTEXT)
    found = warnings(data, context)
    assert set(found) == {f"{P}.{f}" for f in fields}, found
    assert any(message in m for m in found[f"{P}.{fields[0]}"]), found
    assert errors(data, context) == {}


def test_a_short_session_is_offered_the_yearly_session():
    session = SessionDraft.model_validate({**good(), "hours_in_centre": 14, "hours_in_company": None})
    yearly = as_yearly_session(session, 2027)
    assert (yearly.start_date, yearly.end_date, yearly.entry_type) == (
        date(2027, 1, 2),
        date(2027, 12, 30),
        "permanent",
    )
    assert is_yearly(yearly) and not is_yearly(session)
    assert session_warnings(yearly, replace(CONTEXT, today=date(2027, 1, 1))) == []
    # One setting for the pair of dates (the recommendations page says 01/01 → 31/12).
    assert YEARLY_SESSION == ((1, 2), (12, 30)) and yearly_session(2026) == (date(2026, 1, 2), date(2026, 12, 30))


# ---------------------------------------------------------------------- addresses, exports
def test_address_rules_apply_to_any_address_going_to_lheo():
    structure = Address(line1="1 rue X", postal_code="14000", city="Caen")
    assert address_errors(structure, "address", insee_required=False) == []
    assert [e.field for e in address_errors(structure, "address")] == ["address.insee_code"]
    assert address_errors(SessionAddress(**CAEN), "a") == []
    assert (
        address_errors(SessionAddress(line1="1 rue", city="Ajaccio", postal_code="20000", insee_code="2A004"), "a")
        == []
    )
    bad = address_errors(SessionAddress(postal_code="00000", insee_code="1411"), "x")
    assert {e.field: e.message for e in bad} == {
        "x.line1": "La 1re ligne de l'adresse est obligatoire (France Travail ne lit pas le nom de la structure : "
        "indiquez-le avant l'adresse si besoin).",
        "x.city": "La ville est obligatoire.",
        "x.postal_code": "Le code postal ne peut pas être 00000.",
        "x.insee_code": "Le code INSEE « 1411 » doit comporter 5 caractères alphanumériques (exemple : 14118).",
    }
    assert department(SessionAddress(postal_code="20200")) == "2B"
    assert department(SessionAddress(postal_code="97400", insee_code="97411")) == "974"


def test_what_france_travail_receives():
    assert REMOTE_ADDRESS == "Lieu de formation à distance – 75000 Paris"
    remote = remote_address()
    assert (remote.line1, remote.postal_code, remote.city) == ("Lieu de formation à distance", "75000", "Paris")
    assert exported_comment("é" * 800) == "é" * 500
    assert exported_comment("court") == "court" and exported_comment("  ") is None and exported_comment(None) is None


# ---------------------------------------------------------------------- life of a session
def test_states_of_a_session():
    session = SessionDraft.model_validate(good())  # days 30 to 120
    assert session_state(session, TODAY) == "upcoming"
    assert session_state(session, TODAY + timedelta(days=30)) == "running"
    assert session_state(session, TODAY + timedelta(days=120)) == "running"
    assert session_state(session, TODAY + timedelta(days=121)) == "finished"
    assert finished(session, TODAY + timedelta(days=121)) and not finished(session, TODAY + timedelta(days=120))
    assert session_state(session.model_copy(update={"archived": True}), TODAY) == "archived"
    assert session_state(SessionDraft(), TODAY) == "upcoming"
    assert lheo_entry_mode(session) == "0" and lheo_entry_mode(as_yearly_session(session, 2027)) == "1"
    assert trainer_of(session, "13002526500013") == "13002526500013"


def test_a_finished_session_cannot_be_modified_nor_any_session_removed():
    published = [SessionDraft.model_validate(good()), SessionDraft.model_validate({**good(), "ref": "S0000013"})]
    after_end = TODAY + timedelta(days=121)
    assert finished_session_errors(published, published, after_end) == []
    changed = [published[0].model_copy(update={"prerequisites": "Autre"}), published[1]]
    found = finished_session_errors(published, changed, after_end)
    assert [e.field for e in found] == [P]
    assert (
        "est terminée depuis le 30/03/2027 : vous ne pouvez pas la modifier, mais vous pouvez la dupliquer"
        in found[0].message
    )
    assert finished_session_errors(published, changed, TODAY) == []  # not finished yet: it may change
    removed = finished_session_errors(published, published[:1], TODAY)
    assert [e.field for e in removed] == ["sessions.S0000013"] and "Ne supprimez pas" in removed[0].message


def test_all_sessions_at_once():
    first = SessionDraft.model_validate(good())
    second = SessionDraft.model_validate({**good(), "ref": None})  # a copy with the same recruitment numbers
    found = all_session_errors([first, second], CONTEXT, published=[first])
    assert {e.field for e in found} == {f"{P}.recruitment.{i}.number" for i in range(3)} | {
        f"sessions.1.recruitment.{i}.number" for i in range(3)
    }
    numbered = number_recruitment(duplicate(second, date(2027, 1, 4), date(2027, 3, 31)), "S0000014", ["S0000014-2"])
    assert [m.number for m in numbered.recruitment] == ["S0000014-1", "S0000014-3", "S0000014-4", None]
    assert all_session_errors([first, numbered], CONTEXT, published=[first]) == []
    # A finished session left as published is not checked again (its ICO took place long ago).
    later = replace(CONTEXT, today=TODAY + timedelta(days=400))
    assert all_session_errors([first], later, published=[first]) == []


def test_duplicating_a_session():
    source = SessionDraft.model_validate(good())  # starts on day 30 (30/12/2026), ends on day 120
    source.funding[0].scheme_state = "conventionne"
    copy_ = duplicate(source, date(2027, 6, 1), date(2027, 7, 15))  # starts 153 days later, shorter
    assert (copy_.ref, copy_.start_date, copy_.end_date, copy_.archived) == (
        None,
        date(2027, 6, 1),
        date(2027, 7, 15),
        False,
    )
    assert copy_.funding[0].scheme_state is None and copy_.funding[0].measure == "AIF"
    isc, ico, rdvi, documentary = copy_.recruitment
    shift = date(2027, 6, 1) - date(2026, 12, 30)
    assert isc.number is None and isc.periods[0].start == TODAY + shift  # moved with the session
    assert (
        ico.number is None
        and ico.date == TODAY + timedelta(days=10) + shift
        and ico.hours == source.recruitment[1].hours
    )
    assert rdvi.date == TODAY + timedelta(days=12) + shift and rdvi.remote
    assert documentary.comment == "Dossier de candidature"
    assert copy_.places == source.places and copy_.blocks == source.blocks and copy_.total_hours == 470
    copy_.recruitment[1].hours.start = copy_.recruitment[1].hours.start.replace(hour=8)
    assert source.ref == REF and source.recruitment[0].number == "ISC-1"  # the source is untouched
    assert source.recruitment[1].hours.start.hour == 9
    # A date that would fall after the new end is cleared; an ISC period starting on or after it dropped.
    late = SessionDraft.model_validate(good())
    late.recruitment[1].date = TODAY + timedelta(days=100)
    late.recruitment[0].periods.append(
        late.recruitment[0]
        .periods[0]
        .model_copy(update={"start": TODAY + timedelta(days=110), "end": TODAY + timedelta(days=115)})
    )
    short = duplicate(late, TODAY + timedelta(days=35), TODAY + timedelta(days=104))  # 5 days later, ends sooner
    assert short.recruitment[1].date is None and short.recruitment[2].date == TODAY + timedelta(days=17)
    assert [p.start for p in short.recruitment[0].periods] == [TODAY + timedelta(days=5)]
    assert (
        duplicate(source.model_copy(update={"start_date": None}), date(2027, 1, 4), date(2027, 2, 5))
        .recruitment[1]
        .date
        is None
    )


def test_moderator_fields_stay_as_published():
    published = SessionDraft.model_validate(good())
    published.funding[0].scheme_state = "conventionne"
    draft = SessionDraft.model_validate(good())
    draft.funding[0].scheme_state = "non_conventionne"  # the OF may not set it
    draft.funding.append(draft.funding[0].model_copy(update={"measure": "AFC", "scheme_state": "conventionne"}))
    draft.archived = True
    kept = restore_moderator_fields(published, draft)
    assert [line.scheme_state for line in kept.funding] == ["conventionne", None] and kept.archived is False
    assert restore_moderator_fields(None, draft).funding[0].scheme_state is None


def test_publics_and_blocks_fill_themselves():
    session = SessionDraft.model_validate(
        {**good(), "funding": [{"financer": "16", "measure": "CONTRAT_PROFESSIONNALISATION"}]}
    )
    assert fill_publics(session).funding[0].publics == ["jeune_16_25", "demandeur_emploi_26", "minima_sociaux"]
    session = SessionDraft.model_validate(
        {
            "blocks": [
                {"certification": "RNCP35000", "validation": "1"},
                {"certification": "RNCP37861", "validation": "2"},
            ]
        }
    )
    filled = fill_blocks(session, [CAP, PLAIN])
    assert [e.certification for e in filled.blocks] == ["RNCP37861", "RNCP35000"]  # the principal first
    assert filled.blocks[0].blocks == ["RNCP37861BC01", "RNCP37861BC02", "RNCP37861BC03"]


def test_a_context_from_the_formation():
    formation = FormationDraft(
        certifying=True,
        apprenticeship=True,
        cycle_years=3,
        certifications=[
            FormationCertification(code="RNCP35000"),
            FormationCertification(code="RNCP37861", principal=True),
        ],
    )
    context = context_for(formation, [PLAIN, CAP], today=TODAY)
    assert (context.apprenticeship, context.cycle_years, [c.code for c in context.certifications]) == (
        True,
        3,
        ["RNCP37861", "RNCP35000"],
    )


# ---------------------------------------------------------------------- the moderator's differences
def test_which_session_changed_and_how():
    kept = SessionDraft.model_validate(good())
    moved = SessionDraft.model_validate({**good(), "ref": "S0000013"})
    gone = SessionDraft.model_validate({**good(), "ref": "S0000014"})
    after_moved = moved.model_copy(update={"end_date": date(2027, 4, 30), "prerequisites": "Aucun"})
    new = duplicate(kept, date(2027, 9, 1), date(2027, 12, 15))
    changes = session_differences([kept, moved, gone], [kept, after_moved, new])
    assert [(c.ref, c.change, c.position) for c in changes] == [
        ("S0000013", "changed", 1),
        (None, "added", 2),
        ("S0000014", "removed", 2),
    ]
    changed = changes[0]
    assert changed.title == "Session S0000013 du 30/12/2026 au 30/04/2027"
    assert [(d.field, d.label, d.before, d.after) for d in changed.differences] == [
        ("end_date", "Date de fin", day(120), "2027-04-30"),
        ("prerequisites", "Prérequis", "Savoir lire et écrire.", "Aucun"),
    ]
    added = changes[1]
    assert added.title == "Nouvelle session du 01/09/2027 au 15/12/2027"
    assert "start_date" in [d.field for d in added.differences] and "archived" not in [
        d.field for d in added.differences
    ]
    funding = next(d for d in added.differences if d.field == "funding")
    assert funding.added and funding.added[0]["measure"] == "AIF"
    assert session_differences([kept], [kept]) == []
    assert set(SESSION_LABELS) == set(SessionDraft.model_fields)
    assert set(REQUIRED) <= set(SESSION_LABELS)


# ---------------------------------------------------------------------- the financing referential (data)
def test_the_financing_referential_is_consistent_data():
    referential = financing_referential()
    assert referential is financing_referential()  # read once
    assert referential.region == "Normandie"
    for financer in referential.financers:
        assert financer.code in lheo.FINANCERS and financer.code != lheo.OBSOLETE_FINANCER
    assert {f.code for f in referential.financers} == set(lheo.FINANCERS) - {lheo.OBSOLETE_FINANCER}
    labels = {(f.code, m.label) for f in referential.financers for m in f.measures}
    for expected in [
        ("4", "AIF (aide individuelle à la formation)"),
        ("2", "Qualif collectif"),
        ("2", "Qualif individuel"),
        ("2", "VAE"),
        ("2", "Une formation un emploi"),
        ("16", "Contrat d'apprentissage"),
        ("16", "Contrat de professionnalisation"),
        ("0", "CPF (Mon compte formation)"),
        ("0", "AUTRE DISPOSITIF"),  # the guide: AIF quotes are AUTRE / AUTRE DISPOSITIF
    ]:
        assert expected in labels
    assert referential.financer("0").label == "AUTRE"
    kinds = {m.kind for f in referential.financers for m in f.measures}
    assert kinds == {None, "apprentissage", "professionnalisation"}
    public = {f.code for f in referential.financers if f.public}
    assert {"2", "4", "11", "12", "13"} <= public and not {"5", "10", "16", "0"} & public
    assert publicly_funded(SessionDraft.model_validate(good()))
    assert not publicly_funded(SessionDraft.model_validate({"funding": [{"financer": "0", "measure": "CPF"}]}))


def test_a_region_replaces_the_file_with_its_own():
    own = FinancingReferential.model_validate(
        {
            "region": "Bretagne",
            "publics": [{"code": "de", "label": "Demandeur d'emploi"}],
            "financers": [
                {
                    "code": "2",
                    "label": "Région Bretagne",
                    "public": True,
                    "measures": [{"code": "QUALIF", "label": "QUALIF Emploi", "publics": ["de"]}],
                }
            ],
        }
    )
    context = replace(CONTEXT, referential=own, region="Bretagne", departments=("22", "29", "35", "56"))
    data = good()
    data.update(
        places=[
            {
                "name": "Centre",
                "address": {"line1": "1 rue", "postal_code": "35000", "city": "Rennes", "insee_code": "35238"},
            }
        ]
    )
    found = errors(data, context)
    assert "n'est pas proposé en Bretagne" in found[f"{P}.funding.0.financer"][0]
    for bad in (
        {"code": "1", "label": "x", "public": True, "measures": [{"code": "A", "label": "A", "publics": ["de"]}]},
        {"code": "2", "label": "x", "public": True, "measures": [{"code": "A", "label": "A", "publics": ["inconnu"]}]},
    ):
        with pytest.raises(ValidationError):
            FinancingReferential.model_validate(
                {"region": "X", "publics": [{"code": "de", "label": "DE"}], "financers": [bad]}
            )
