"""Moderation: account requests and rights, the queue of submitted changes, the structures' reference
data, imports of national lists, partner API keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from ofeli.api import USER, answers, lambda_handler, make_app, moderator
from ofeli.domain.accounts import Accepted, AccountDecision, AccountRequestView, StructureRight
from ofeli.domain.alerts import Alerts, ContactRequestView
from ofeli.domain.directory import StructurePage, StructureQuery
from ofeli.domain.identifiers import Siret
from ofeli.domain.identity import Identity
from ofeli.domain.imports import (
    CertificationImportRequest,
    CertificationImportView,
    ImportCreated,
    ImportRequest,
    ImportView,
)
from ofeli.domain.model import Model
from ofeli.domain.partners import PartnerKeyCreate, PartnerKeyCreated, PartnerKeyView
from ofeli.domain.structures import ModeratorStructureUpdate, StructureRecord
from ofeli.domain.workflow import Decision, QueueEntry, SubmissionView
from ofeli.services import deferred

if TYPE_CHECKING:
    from ofeli.services import (
        account_requests,
        accounts,
        alerts,
        moderation,
        structures,
        training_organisations,
    )
else:  # imported at the first route that calls them (cold start)
    account_requests, accounts, alerts, moderation, structures, training_organisations = deferred(
        "account_requests", "accounts", "alerts", "moderation", "structures", "training_organisations"
    )

app = make_app()
TAGS = ["Modération"]
Moderator = Annotated[Identity, Depends(moderator)]


class UserView(Model):
    user_id: str
    email: str
    first_name: str
    last_name: str
    structures: list[StructureRight]


class RightRequest(Model):
    siret: Siret


@app.get("/moderation/account-requests", summary="Demandes de compte en attente", tags=TAGS, security=USER)
def pending_requests(_: Moderator) -> list[AccountRequestView]:
    return account_requests.pending()


@app.post(
    "/moderation/account-requests/<request_id>/decision",
    summary="Accepter ou refuser une demande de compte",
    tags=TAGS,
    security=USER,
    responses=answers(409),
)
def decide(request_id: str, body: Annotated[AccountDecision, Body()], identity: Moderator) -> AccountRequestView:
    return account_requests.decide(identity, request_id, body)


@app.get(
    "/moderation/users",
    summary="Retrouver un compte par son e-mail",
    tags=TAGS,
    security=USER,
    responses=answers(404),
)
def find_user(email: Annotated[str, Query(min_length=3, max_length=254)], _: Moderator) -> UserView:
    return UserView.model_validate(accounts.find_user(email))


@app.post(
    "/moderation/users/<user_id>/rights",
    status_code=201,
    summary="Donner à un compte des droits sur une structure",
    tags=TAGS,
    security=USER,
    responses=answers(409),
)
def grant(user_id: str, body: Annotated[RightRequest, Body()], _: Moderator) -> list[StructureRight]:
    accounts.grant_rights(user_id, body.siret)
    return accounts.structure_rights(user_id)


@app.delete(
    "/moderation/users/<user_id>/rights/<siret>",
    status_code=204,
    summary="Retirer à un compte ses droits sur une structure",
    tags=TAGS,
    security=USER,
)
def revoke(user_id: str, siret: str, _: Moderator):  # noqa: ANN201 (204, no body)
    accounts.revoke_rights(user_id, siret)
    return Response(204)


@app.get(
    "/moderation/queue", summary="File des modifications soumises, les plus anciennes d'abord", tags=TAGS, security=USER
)
def queue(
    _: Moderator,
    kind: Annotated[Literal["structure", "formation", "session"] | None, Query()] = None,
    siret: Annotated[Siret | None, Query()] = None,
) -> list[QueueEntry]:
    return moderation.queue(kind, siret)


@app.get(
    "/moderation/submissions/<submission_id>",
    summary="Une modification soumise : version soumise, version publiée, différences",
    tags=TAGS,
    security=USER,
)
def submission(submission_id: str, _: Moderator) -> SubmissionView:
    return moderation.submission(submission_id)


@app.post(
    "/moderation/submissions/<submission_id>/decision",
    summary="Valider (publier) ou refuser une modification soumise",
    tags=TAGS,
    security=USER,
    responses=answers(409),
)
def decide_submission(submission_id: str, body: Annotated[Decision, Body()], identity: Moderator) -> Accepted:
    moderation.decide(identity, submission_id, body)
    if body.decision == "approve":
        return Accepted(message="Modification validée et publiée ; l'organisme a été prévenu par e-mail.")
    return Accepted(message="Modification refusée ; l'organisme a été prévenu par e-mail avec votre commentaire.")


@app.patch(
    "/moderation/structures/<siret>",
    summary="Modifier les données de référence d'une structure (seuls les champs envoyés changent)",
    tags=TAGS,
    security=USER,
    responses=answers(409),
)
def update_structure(
    siret: str, body: Annotated[ModeratorStructureUpdate, Body()], identity: Moderator
) -> StructureRecord:
    return structures.moderator_update(identity, siret, body)


@app.get(
    "/moderation/structures",
    summary="Rechercher les structures de la région (nom, SIRET, SIREN, NDA, ville, département, Qualiopi)",
    tags=TAGS,
    security=USER,
)
def find_structures(
    _: Moderator,
    q: Annotated[str | None, Query(max_length=200, description="Mots du nom, SIRET, SIREN ou NDA")] = None,
    city: Annotated[str | None, Query(max_length=80)] = None,
    department: Annotated[str | None, Query(pattern=r"^(?:[0-9]{2,3}|2A|2B)$")] = None,
    qualiopi: Annotated[bool | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> StructurePage:
    return structures.search(
        StructureQuery(q=q, city=city, department=department, qualiopi=qualiopi, page=page, page_size=page_size)
    )


@app.get(
    "/moderation/contact-requests",
    summary="Demandes de contact des organismes à traiter, les plus anciennes d'abord",
    tags=TAGS,
    security=USER,
)
def contact_requests(_: Moderator) -> list[ContactRequestView]:
    return alerts.pending_contact_requests()


@app.post(
    "/moderation/contact-requests/<request_id>/done",
    summary="Marquer une demande de contact comme traitée",
    tags=TAGS,
    security=USER,
    responses=answers(409),
)
def contact_request_done(request_id: str, identity: Moderator) -> ContactRequestView:
    return alerts.contact_request_done(identity, request_id)


@app.get("/moderation/alerts", summary="Ce qui attend le Carif-Oref (compteurs du menu)", tags=TAGS, security=USER)
def waiting(_: Moderator) -> Alerts:
    return alerts.counts()


# ---------------------------------------------------------------------- the national list of training organisations
@app.post(
    "/moderation/training-organisation-imports",
    status_code=201,
    summary="Importer la liste publique des organismes de formation (DGEFP) : créer l'import et son dépôt",
    tags=TAGS,
    security=USER,
)
def create_organisation_import(body: Annotated[ImportRequest, Body()], identity: Moderator) -> ImportCreated:
    return training_organisations.create_import(identity, body)


@app.post(
    "/moderation/training-organisation-imports/<import_id>/start",
    status_code=202,
    summary="Lancer l'import du fichier déposé (une seule fois, même demandé deux fois)",
    tags=TAGS,
    security=USER,
    responses=answers(409),
)
def start_organisation_import(import_id: str, _: Moderator) -> ImportView:
    return training_organisations.start(import_id)


@app.get(
    "/moderation/training-organisation-imports/<import_id>",
    summary="L'état d'un import de la liste des organismes de formation : compteurs, lignes refusées",
    tags=TAGS,
    security=USER,
)
def organisation_import(import_id: str, _: Moderator) -> ImportView:
    return training_organisations.status(import_id)


# ---------------------------------------------------------------------- France Compétences' certification referential
if TYPE_CHECKING:
    from ofeli.services import certifications
else:  # imported at the first route that calls it (cold start)
    (certifications,) = deferred("certifications")


@app.post(
    "/moderation/certification-imports",
    status_code=201,
    summary="Importer le référentiel des certifications (RNCP, RS) de France Compétences : créer l'import et son dépôt",
    tags=TAGS,
    security=USER,
)
def create_certification_import(
    body: Annotated[CertificationImportRequest, Body()], identity: Moderator
) -> ImportCreated:
    return certifications.create_import(identity, body)


@app.post(
    "/moderation/certification-imports/<import_id>/start",
    status_code=202,
    summary="Lancer l'import de l'export déposé (une seule fois, même demandé deux fois)",
    tags=TAGS,
    security=USER,
    responses=answers(409),
)
def start_certification_import(import_id: str, _: Moderator) -> CertificationImportView:
    return certifications.start(import_id)


@app.get(
    "/moderation/certification-imports/<import_id>",
    summary="L'état d'un import du référentiel des certifications : compteurs, entrées refusées",
    tags=TAGS,
    security=USER,
)
def certification_import(import_id: str, _: Moderator) -> CertificationImportView:
    return certifications.status(import_id)


# ---------------------------------------------------------------------- partner API keys
if TYPE_CHECKING:
    from ofeli.services import partners
else:  # imported at the first route that calls it (cold start)
    (partners,) = deferred("partners")


@app.post(
    "/moderation/partner-keys",
    status_code=201,
    summary="Créer une clé API de partenaire (affichée cette seule fois, conservée hachée)",
    tags=TAGS,
    security=USER,
)
def create_partner_key(body: Annotated[PartnerKeyCreate, Body()], identity: Moderator) -> PartnerKeyCreated:
    return partners.create_key(identity, body)


@app.get(
    "/moderation/partner-keys",
    summary="Les clés API des partenaires (sans leur secret) : création, dernière utilisation, révocation",
    tags=TAGS,
    security=USER,
)
def partner_keys(_: Moderator) -> list[PartnerKeyView]:
    return partners.list_keys()


@app.delete(
    "/moderation/partner-keys/<key_id>",
    summary="Révoquer une clé API de partenaire (elle est refusée dès maintenant, et conservée)",
    tags=TAGS,
    security=USER,
    responses=answers(409),
)
def revoke_partner_key(key_id: str, identity: Moderator) -> PartnerKeyView:
    return partners.revoke_key(identity, key_id)


handler = lambda_handler(app)
