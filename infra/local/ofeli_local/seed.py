"""Demo data, written through the same services real data goes through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ofeli import clock
from ofeli.domain.identity import Identity
from ofeli.domain.messaging import MemoIn, MessageIn
from ofeli.domain.offers import FormationInput, SessionInput
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
from ofeli.services import accounts, messaging, offers, structures


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    first_name: str
    last_name: str


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
    habilitations=[Habilitation(code="RNCP37861", title="CAP Boulanger")],
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
)


def _sessions(city: str, postal_code: str, *starts_in_days: int, weeks: int = 12) -> list[SessionInput]:
    today = clock.today()
    return [
        SessionInput(
            start_date=today + timedelta(days=d),
            end_date=today + timedelta(days=d, weeks=weeks),
            city=city,
            postal_code=postal_code,
        )
        for d in starts_in_days
    ]


def _account(account: DemoAccount, *, moderator: bool = False) -> Identity:
    user_id = accounts.create_account(account.email, account.first_name, account.last_name, moderator=moderator)
    accounts.set_password(account.email, account.password)
    return Identity(user_id=user_id, email=account.email)


def run() -> None:
    moderator = _account(MODERATOR, moderator=True)
    moderator = Identity(user_id=moderator.user_id, email=moderator.email, groups=frozenset({"moderators"}))

    for structure in (HEAD_OFFICE, BRANCH, OTHER_OF):
        structures.register(structure)

    of_user = _account(OF_USER)
    accounts.grant_rights(of_user.user_id, HEAD_OFFICE.siret)
    accounts.grant_rights(of_user.user_id, BRANCH.siret)
    other = _account(OTHER_OF_USER)
    accounts.grant_rights(other.user_id, OTHER_OF.siret)

    offers.create_formation(
        of_user,
        HEAD_OFFICE.siret,
        FormationInput(
            title="CAP boulanger",
            objective="Préparer le CAP boulanger : fabriquer les pains, viennoiseries et produits de panification.",
            content="Technologie professionnelle, pratique en fournil, hygiène et sécurité alimentaire.",
            sessions=_sessions("Cherbourg-en-Cotentin", "50100", 30, 120),
        ),
    )
    offers.create_formation(
        of_user,
        HEAD_OFFICE.siret,
        FormationInput(
            title="Assistant de comptabilité et d'administration",
            objective="Tenir la comptabilité courante et assurer les tâches administratives d'une petite entreprise.",
            sessions=_sessions("Caen", "14000", 45, weeks=20),
        ),
    )
    offers.create_formation(
        other,
        OTHER_OF.siret,
        FormationInput(
            title="Soudeur assembleur industriel",
            objective="Souder à l'arc et au semi-automatique des ensembles métalliques industriels.",
            sessions=[
                *_sessions("Le Havre", "76600", 20, 90),
                # trained by the demo OF's branch: the formation shows in its *Formations de l'OF*
                *(
                    s.model_copy(update={"trainer_siret": BRANCH.siret})
                    for s in _sessions("Cherbourg-en-Cotentin", "50100", 60)
                ),
            ],
        ),
    )
    messaging.post(
        moderator,
        HEAD_OFFICE.siret,
        MessageIn(body="Bonjour, pensez à mettre à jour les dates de vos sessions 2027 avant le 15 décembre."),
    )
    messaging.add_memo(of_user, MemoIn(text="Ajouter les sessions de printemps du CAP boulanger"))
