"""Export offers for the writers' tests: one complete formation with two sessions (every field the LHEO
mapping reads), and small ways to vary it. Pure pydantic models, no storage."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from ofeli.domain import lheo_codes as lheo
from ofeli.domain.certifications import Certification, CompetenceBlock
from ofeli.domain.exports import Offer
from ofeli.domain.offers import FormationCertification, FormationDraft
from ofeli.domain.sessions import (
    AlternanceRhythm,
    ApprenticeshipCycle,
    CertificationBlocks,
    Equipment,
    FundingLine,
    Period,
    Place,
    RecruitmentModality,
    SessionAddress,
    SessionContact,
    SessionDraft,
    TimeRange,
)
from ofeli.domain.structures import Address, EmailEntry, PhoneEntry, Structure, StructureContact, WebsiteEntry

RESPONSIBLE = "81432712100012"
TRAINER = "81432712100020"
NDA = "28140000014"
GENERATED = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)

CAEN = SessionAddress(
    line1="12 rue de la Formation",
    postal_code="14000",
    city="Caen",
    insee_code="14118",
    latitude=49.18,
    longitude=-0.37,
)
ROUEN = SessionAddress(line1="3 place du Vieux-Marché", postal_code="76000", city="Rouen", insee_code="76540")


def contact(contact_id: str = "c1", **changes: Any) -> StructureContact:
    data: dict[str, Any] = {
        "id": contact_id,
        "principal": True,
        "civility": "Madame",
        "last_name": "Martin",
        "first_name": "Claire",
        "email": "claire.martin@of-demo.test",
        "phones": ["02 31 00 00 00", "06 12 34 56 78"],
        "types": ["4"],
    }
    return StructureContact(**(data | changes))


def responsible(**changes: Any) -> Structure:
    data: dict[str, Any] = {
        "siret": RESPONSIBLE,
        "name": "Organisme de démonstration",
        "nda": NDA,
        "address": Address(line1="5 avenue de Bretagne", postal_code="14000", city="Caen"),
        "contacts": [contact()],
        "emails": [EmailEntry(email="accueil@of-demo.test")],
        "phones": [PhoneEntry(number="02 31 11 22 33")],
        "websites": [WebsiteEntry(url="https://www.of-demo.test")],
    }
    return Structure(**(data | changes))


def trainer() -> Structure:
    return Structure(
        siret=TRAINER,
        name="Antenne de Rouen",
        address=Address(line1="1 rue Jeanne d'Arc", postal_code="76000", city="Rouen"),
    )


def certification(code: str = "RNCP35000", blocks: int = 3) -> Certification:
    number = int(code.removeprefix("RNCP").removeprefix("RS"))
    return Certification(
        code=code,
        repertory="RNCP" if code.startswith("RNCP") else "RS",
        number=number,
        title=f"Titre professionnel {code}",
        active=True,
        certifinfo="110005",
        blocks=[CompetenceBlock(code=f"{code}BC0{i}", title=f"Bloc {i} de {code}") for i in range(1, blocks + 1)],
    )


def session(ref: str = "S0000012", **changes: Any) -> SessionDraft:
    data: dict[str, Any] = {
        "ref": ref,
        "start_date": date(2027, 1, 4),
        "end_date": date(2027, 6, 30),
        "entry_type": "fixed",
        "teaching_mode": lheo.ON_SITE,
        "places": [Place(name="Centre de Caen", address=CAEN)],
        "contacts": [SessionContact(contact_id="c1", contact_type="3")],
        "funding": [
            FundingLine(financer="2", measure="QUALIF_COLLECTIF", publics=["demandeur_emploi"], seats=12),
        ],
        "funding_conditions": "Prise en charge totale par la Région.",
        "audience_info": "Demandeurs d'emploi inscrits.",
        "hours_in_centre": 400,
        "hours_in_company": 140,
        "prerequisites": "Savoir lire et écrire.",
        "path_type": "1",
        "rhythms": ["temps_plein"],
        "rhythm_comment": "35 heures par semaine.",
        "equipment": [Equipment(equipment_type="6", description="Chaussures de sécurité")],
        "registration": Place(name="Accueil du centre", address=CAEN),
        "website": "https://www.of-demo.test/sessions/s0000012",
        "recruitment": [
            RecruitmentModality(
                code=lheo.APPLICATION,
                number=f"{ref}-1",
                seats=12,
                periods=[Period(start=date(2026, 11, 1), end=date(2026, 12, 15))],
            ),
            RecruitmentModality(
                code=lheo.INFORMATION_MEETING,
                number=f"{ref}-2",
                seats=20,
                date=date(2026, 12, 10),
                hours=TimeRange(start=time(9, 30), end=time(11, 30)),
                address=CAEN,
                comment="Présentez-vous à l'accueil.",
            ),
        ],
    }
    return SessionDraft(**(data | changes))


def formation(**changes: Any) -> FormationDraft:
    data: dict[str, Any] = {
        "certifying": True,
        "certifications": [FormationCertification(code="RNCP35000", principal=True)],
        "title": "Titre professionnel Soudeur assembleur industriel",
        "objective": "Préparer le titre professionnel de soudeur assembleur industriel. " * 5,
        "content": "Lecture de plans, procédés de soudage, contrôle qualité. " * 5,
        "expected_results": "Titre professionnel de niveau 3.",
        "entry_level": "1",
        "exit_level": "13",
        "contact_id": "c1",
        "website": "https://www.of-demo.test/formations/f0000001",
    }
    return FormationDraft(**(data | changes))


def offer(ref: str = "F0000001", *, sessions: tuple[SessionDraft, ...] | None = None, **changes: Any) -> Offer:
    structure = changes.pop("responsible", None) or responsible()
    data: dict[str, Any] = {
        "ref": ref,
        "formation": changes.pop("formation", None) or formation(),
        "sessions": (session(), session("S0000013", start_date=date(2027, 9, 6), end_date=date(2028, 2, 25)))
        if sessions is None
        else sessions,
        "responsible": structure,
        "updated_at": datetime(2026, 11, 2, 10, 0, tzinfo=UTC),
        "trainers": {TRAINER: trainer()},
        "contacts": {c.id: c for c in structure.contacts},
        "certifications": {"RNCP35000": certification()},
        "formacodes": ("23054",),
        "nsf": ("254s",),
        "romes": ("H2913",),
    }
    return Offer(**(data | changes))


def apprenticeship_offer(ref: str = "F0000002") -> Offer:
    cycles = [
        ApprenticeshipCycle(year=1, rhythm=AlternanceRhythm(unit="3", in_centre=1, in_company=3)),
        ApprenticeshipCycle(year=2, rhythm=AlternanceRhythm(unit="2", in_centre=2, in_company=3)),
    ]
    blocks = [CertificationBlocks(certification="RNCP35000", validation=lheo.PARTIAL, blocks=["RNCP35000BC01"])]
    draft = formation(apprenticeship=True, cycle_years=2, title="CAP Soudeur - 1ère et 2ème année (en apprentissage)")
    apprenticeship = session(
        "S0000020",
        funding=[FundingLine(financer="16", measure="CONTRAT_APPRENTISSAGE", publics=["jeune_16_29"])],
        cycles=cycles,
        blocks=blocks,
        rhythms=["alternance"],
    )
    return offer(ref, formation=draft, sessions=(apprenticeship,))
