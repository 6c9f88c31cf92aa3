"""Demo data, written through the same services real data goes through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path

from ofeli import clock
from ofeli.domain.identity import Identity
from ofeli.domain.messaging import MemoIn, MessageIn
from ofeli.domain.offers import FormationCreate, FormationDraft
from ofeli.domain.partners import PartnerKeyCreate
from ofeli.domain.sessions import (
    FundingLine,
    Period,
    Place,
    RecruitmentModality,
    SessionAddress,
    SessionDraft,
    TimeRange,
    fill_publics,
)
from ofeli.domain.structures import (
    Address,
    EmailEntry,
    Habilitation,
    PhoneEntry,
    QualityLabel,
    Structure,
    StructureContact,
    WebsiteEntry,
)
from ofeli.domain.workflow import Decision
from ofeli.services import accounts, certifications, messaging, moderation, offers, partners, structures


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    first_name: str
    last_name: str


# A small France Compétences export (the CSV zip), and codes of its fiches
DEMO_REFERENTIAL = Path(__file__).resolve().parents[1] / "demo" / "export-fiches-csv-2026-11-02.zip"
CAP_BOULANGER = "RNCP37861"
SOUDEUR = "RNCP35343"  # Soudeur assembleur industriel, in the demo referential

# The local demo's partner key (GET /partner/feed with `X-Api-Key: <it>`): like the demo passwords, known.
DEMO_PARTNER_KEY = "demo-partenaire-ofeli-local-0123456789abcdef"
DEMO_PARTNER_NAME = "Partenaire de démonstration"

MODERATOR = DemoAccount("moderation@carif-oref.test", "Moderation-2026!", "Claire", "Martin")
OF_USER = DemoAccount("contact@of-demo.test", "Organisme-2026!", "Julien", "Lefebvre")
OTHER_OF_USER = DemoAccount("contact@atelier-normand.test", "Organisme-2026!", "Sophie", "Durand")

HEAD_OFFICE = Structure(
    siret="81432712100012",
    name="OF Démo Formation",
    nda="28140000014",
    legal_form="Société par actions simplifiée",
    naf="8559A",
    address=Address(line1="12 rue de la Paix", postal_code="14000", city="Caen"),
    contacts=[
        StructureContact(
            id="roussel",
            principal=True,
            civility="Madame",
            last_name="Roussel",
            first_name="Anne",
            role="Directrice",
            email="direction@of-demo.test",
            phones=["02 31 00 00 02"],
            types=["5"],
        ),
        StructureContact(
            id="petit",
            civility="Monsieur",
            last_name="Petit",
            first_name="Marc",
            role="Responsable pédagogique",
            email="pedagogie@of-demo.test",
            phones=["02 31 00 00 03"],
            types=["3", "1"],
        ),
    ],
    qualiopi=[QualityLabel(categories=["Actions de formation", "Actions de formation par apprentissage"])],
    # what the demo referential gives it as a partner (its import then changes nothing here)
    habilitations=[
        Habilitation(code="RNCP37861", title="CAP Boulanger"),
        Habilitation(code="RS5080", title="Socle de connaissances et de compétences professionnelles (CléA)"),
    ],
    emails=[EmailEntry(label="Accueil", email="accueil@of-demo.test")],
    phones=[PhoneEntry(label="Standard", number="02 31 00 00 01")],
    websites=[WebsiteEntry(url="https://www.of-demo.test")],
)
BRANCH = Structure(
    siret="81432712100020",
    name="OF Démo Formation — antenne de Cherbourg",
    parent_siret=HEAD_OFFICE.siret,
    address=Address(line1="3 quai Caligny", postal_code="50100", city="Cherbourg-en-Cotentin"),
)
OTHER_OF = Structure(
    siret="41298765400016",
    name="Atelier Normand des Métiers",
    nda="28760000021",
    address=Address(line1="45 boulevard de Strasbourg", postal_code="76600", city="Le Havre"),
    habilitations=[
        Habilitation(code="RNCP35343", title="Soudeur assembleur industriel"),
        Habilitation(code="RS6201", title="Habilitation électrique : opérations d'ordre non électrique (B0, H0, H0V)"),
        Habilitation(code="RS6340", title="Sauveteur secouriste du travail (SST)"),
    ],
)


@dataclass(frozen=True)
class DemoPlace:
    name: str
    line1: str
    postal_code: str
    city: str
    insee_code: str

    def place(self) -> Place:
        address = SessionAddress(
            line1=self.line1, postal_code=self.postal_code, city=self.city, insee_code=self.insee_code
        )
        return Place(name=self.name, address=address)


CAEN = DemoPlace("OF Démo Formation", "12 rue de la Paix", "14000", "Caen", "14118")
CHERBOURG = DemoPlace("OF Démo Formation — Cherbourg", "3 quai Caligny", "50100", "Cherbourg-en-Cotentin", "50129")
LE_HAVRE = DemoPlace("Atelier Normand des Métiers", "45 boulevard de Strasbourg", "76600", "Le Havre", "76351")


def _session(
    place: DemoPlace,
    starts_in_days: int,
    *,
    weeks: int = 12,
    hours: int = 400,
    trainer: str | None = None,
    france_travail: bool = False,
) -> SessionDraft:
    """A complete session: dates, place and registration, funding (the Région's *Qualif collectif*, or
    France Travail's AIF with an information meeting and applications), hours."""
    today = clock.today()
    start, end = today + timedelta(days=starts_in_days), today + timedelta(days=starts_in_days, weeks=weeks)
    session = SessionDraft(
        start_date=start,
        end_date=end,
        trainer_siret=trainer,
        places=[place.place()],
        registration=place.place(),
        hours_in_centre=hours,
        prerequisites="Savoir lire, écrire et compter ; un entretien de motivation.",
    )
    if france_travail:
        meeting = start - timedelta(days=14)
        session = session.model_copy(
            update={
                "funding": [FundingLine(financer="4", measure="AIF", seats=12)],
                "recruitment": [
                    RecruitmentModality(
                        code="9",
                        seats=30,
                        date=meeting,
                        hours=TimeRange(start=time(9, 30), end=time(11, 30)),
                        address=place.place().address,
                        comment="Présentation du métier et de la formation, visite des ateliers.",
                    ),
                    RecruitmentModality(
                        code="7", seats=12, periods=[Period(start=today, end=start - timedelta(days=1))]
                    ),
                ],
            }
        )
    else:
        session = session.model_copy(
            update={
                "funding": [FundingLine(financer="2", measure="QUALIF_COLLECTIF", seats=15)],
                "funding_conditions": "Formation prise en charge par la Région Normandie, rémunération possible.",
                "audience_info": "Demandeurs d'emploi inscrits à France Travail.",
            }
        )
    return fill_publics(session)


def _published_formation(
    author: Identity,
    moderator: Identity,
    siret: str,
    request: FormationCreate,
    edits: dict[str, object],
    sessions: list[SessionDraft],
) -> str:
    """A formation as an OF makes it (created, completed with its sessions, submitted) and the Carif-Oref
    approves it."""
    created = offers.create(author, siret, request)
    assert created.draft is not None
    data = FormationDraft.model_validate(created.draft.model_dump() | edits | {"sessions": sessions})
    saved = offers.save_draft(author, created.ref, created.submission.version, data)
    offers.submit(author, created.ref, saved.submission.version)
    (entry,) = [e for e in moderation.queue("formation") if e.record_id == created.ref]
    moderation.decide(moderator, entry.id, Decision(decision="approve"))
    return created.ref


def _account(account: DemoAccount, *, moderator: bool = False) -> Identity:
    user_id = accounts.create_account(account.email, account.first_name, account.last_name, moderator=moderator)
    accounts.set_password(account.email, account.password)
    return Identity(user_id=user_id, email=account.email)


def run() -> None:
    moderator = _account(MODERATOR, moderator=True)
    moderator = Identity(user_id=moderator.user_id, email=moderator.email, groups=frozenset({"moderators"}))

    for structure in (HEAD_OFFICE, BRANCH, OTHER_OF):
        structures.register(structure)
    # The demo referential, imported here and now through the import's own code, then indexed for the
    # search (the demo structures already hold the habilitations its partners' SIRETs give them).
    certifications.import_file(DEMO_REFERENTIAL)

    of_user = _account(OF_USER)
    accounts.grant_rights(of_user.user_id, HEAD_OFFICE.siret)
    accounts.grant_rights(of_user.user_id, BRANCH.siret)
    other = _account(OTHER_OF_USER)
    accounts.grant_rights(other.user_id, OTHER_OF.siret)

    # Real formations with their sessions: created in the space holding the NDA, submitted, approved by the
    # moderator. The certifying ones are tied to the demo referential (loaded above).
    _published_formation(
        of_user,
        moderator,
        HEAD_OFFICE.siret,
        FormationCreate(certifying=True, certification_codes=[CAP_BOULANGER], title="CAP boulanger"),
        {
            "objective": "Préparer le CAP boulanger : fabriquer les pains, viennoiseries et produits de panification.",
            "content": "Technologie professionnelle, pratique en fournil, hygiène et sécurité alimentaire.",
            "expected_results": "Certificat d'aptitude professionnelle (CAP) boulanger, totalement ou par blocs.",
            "contact_id": "petit",
            "website": "https://www.of-demo.test/formations/cap-boulanger",
        },
        [_session(CHERBOURG, 30, france_travail=True), _session(CHERBOURG, 120)],
    )
    _published_formation(
        of_user,
        moderator,
        HEAD_OFFICE.siret,
        FormationCreate(certifying=False, title="Assistant de comptabilité et d'administration"),
        {
            "objective": (
                "Tenir la comptabilité courante et assurer les tâches administratives d'une petite entreprise."
            ),
            "content": "Saisie comptable, rapprochements bancaires, facturation, paie : notions, outils bureautiques.",
        },
        [_session(CAEN, 45, weeks=20, hours=560)],
    )
    _published_formation(
        other,
        moderator,
        OTHER_OF.siret,
        FormationCreate(certifying=True, certification_codes=[SOUDEUR], title="Soudeur assembleur industriel"),
        {"objective": "Souder à l'arc et au semi-automatique des ensembles métalliques industriels."},
        [
            _session(LE_HAVRE, 20),
            # trained by the demo OF's branch: the formation shows in its *Formations de l'OF*
            _session(CHERBOURG, 60, trainer=BRANCH.siret),
            _session(LE_HAVRE, 90),
        ],
    )
    messaging.post(
        moderator,
        HEAD_OFFICE.siret,
        MessageIn(body="Bonjour, pensez à mettre à jour les dates de vos sessions 2027 avant le 15 décembre."),
    )
    messaging.add_memo(of_user, MemoIn(text="Ajouter les sessions de printemps du CAP boulanger"))
    # The partners' feed of this offer, as its nightly job writes it (the local schedule runs once a day),
    # and a partner's key to fetch it (`X-Api-Key`; moderators make real ones in the back-office).
    partners.generate(trigger="seed")
    partners.create_key(moderator, PartnerKeyCreate(name=DEMO_PARTNER_NAME), key=DEMO_PARTNER_KEY)
