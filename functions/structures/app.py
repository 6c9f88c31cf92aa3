"""Structures: the record (*Ma structure*), its drafts, submissions, history, documents, dashboard; the
referenced organisations a session may name as trainer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from ofeli.api import USER, answers, lambda_handler, make_app, user
from ofeli.domain.accounts import PresignedPost
from ofeli.domain.directory import OrganisationPage, StructureQuery
from ofeli.domain.identity import Identity
from ofeli.domain.messaging import Dashboard
from ofeli.domain.offers import StructurePlace
from ofeli.domain.structures import ContactView, Document, DocumentRequest, DraftSave, StructureView
from ofeli.domain.workflow import HistoryEntry, SubmitRequest
from ofeli.services import deferred

if TYPE_CHECKING:
    from ofeli.services import messaging, offers, structures
else:  # imported at the first route that calls them (cold start)
    messaging, offers, structures = deferred("messaging", "offers", "structures")

app = make_app()
TAGS = ["Structures"]
User = Annotated[Identity, Depends(user)]


@app.get("/structures/<siret>", summary="La fiche structure : publiée, brouillon, état", tags=TAGS, security=USER)
def get_structure(siret: str, identity: User) -> StructureView:
    return structures.view(identity, siret)


@app.put(
    "/structures/<siret>/draft",
    summary="Sauvegarder la modification en cours",
    tags=TAGS,
    security=USER,
    responses=answers(409, 423),
)
def save_draft(siret: str, body: Annotated[DraftSave, Body()], identity: User) -> StructureView:
    return structures.save_draft(identity, siret, body.version, body.data)


@app.delete(
    "/structures/<siret>/draft",
    status_code=204,
    summary="Annuler la modification en cours",
    tags=TAGS,
    security=USER,
    responses=answers(423),
)
def drop_draft(siret: str, identity: User):  # noqa: ANN201 (204, no body)
    structures.drop_draft(identity, siret)
    return Response(204)


@app.post(
    "/structures/<siret>/submission",
    summary="Soumettre pour validation",
    tags=TAGS,
    security=USER,
    responses=answers(409, 423),
)
def submit(siret: str, identity: User, body: Annotated[SubmitRequest | None, Body()] = None) -> StructureView:
    return structures.submit(identity, siret, body.version if body else None)


@app.delete(
    "/structures/<siret>/submission",
    summary="Retirer une demande de validation",
    tags=TAGS,
    security=USER,
    responses=answers(409),
)
def withdraw(siret: str, identity: User) -> StructureView:
    return structures.withdraw(identity, siret)


@app.get("/structures/<siret>/history", summary="Historique des modifications publiées", tags=TAGS, security=USER)
def history(siret: str, identity: User) -> list[HistoryEntry]:
    return structures.history(identity, siret)


@app.get("/structures/<siret>/contacts", summary="Les contacts de la structure", tags=TAGS, security=USER)
def contacts(siret: str, identity: User) -> list[ContactView]:
    return structures.contacts(identity, siret)


@app.post(
    "/structures/<siret>/documents",
    status_code=201,
    summary="Déposer un document (formulaire d'envoi signé)",
    tags=TAGS,
    security=USER,
)
def document_upload(siret: str, body: Annotated[DocumentRequest, Body()], identity: User) -> PresignedPost:
    return PresignedPost.model_validate(structures.document_upload(identity, siret, body))


@app.get("/structures/<siret>/documents", summary="Documents déposés", tags=TAGS, security=USER)
def documents(siret: str, identity: User) -> list[Document]:
    return [Document.model_validate(d) for d in structures.document_list(identity, siret)]


@app.get(
    "/structures/<siret>/places",
    summary="Les lieux de formation d'un organisme (créés par ses sessions publiées), à choisir dans une session",
    tags=TAGS,
    security=USER,
)
def places(siret: str, _: User) -> list[StructurePlace]:
    return offers.places(siret)


@app.get("/structures/<siret>/dashboard", summary="Le tableau de bord d'un espace structure", tags=TAGS, security=USER)
def dashboard(siret: str, identity: User) -> Dashboard:
    return messaging.dashboard(identity, siret)


@app.get(
    "/organisations",
    summary="Les organismes référencés, à choisir comme organisme formateur (nom, SIRET, SIREN, ville, département)",
    tags=TAGS,
    security=USER,
)
def find_organisations(
    _: User,
    q: Annotated[str | None, Query(max_length=200, description="Mots du nom, SIRET ou SIREN")] = None,
    city: Annotated[str | None, Query(max_length=80)] = None,
    department: Annotated[str | None, Query(pattern=r"^(?:[0-9]{2,3}|2A|2B)$")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> OrganisationPage:
    return structures.organisations(
        StructureQuery(q=q, city=city, department=department, page=page, page_size=page_size)
    )


handler = lambda_handler(app)
