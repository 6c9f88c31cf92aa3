"""Offer: formations (creation, draft, submission, history, sessions, the Carif-Oref's indexing), certifications,
referentials, address search.

template.yaml declares each route with its function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from ofeli.api import USER, answers, lambda_handler, make_app, moderator, user
from ofeli.domain.addresses import AddressHit
from ofeli.domain.certification_search import CertificationDetail, CertificationPage, CertificationQuery
from ofeli.domain.identity import Identity
from ofeli.domain.offers import (
    FormationCreate,
    FormationDraftSave,
    FormationIndexing,
    FormationView,
    SchemeStates,
    SessionDates,
    SimilarFormation,
)
from ofeli.domain.sessions import SessionDraft
from ofeli.domain.workflow import HistoryEntry, SubmitRequest
from ofeli.services import deferred

if TYPE_CHECKING:
    from ofeli.services import offers
else:  # imported at the first route that calls them (cold start)
    (offers,) = deferred("offers")

app = make_app()
TAGS = ["Offre"]
User = Annotated[Identity, Depends(user)]


@app.post(
    "/structures/<siret>/formations",
    status_code=201,
    summary="Ajouter une formation (certifiante ou non) dans l'espace structure porteur du NDA",
    tags=TAGS,
    security=USER,
)
def create_formation(siret: str, body: Annotated[FormationCreate, Body()], identity: User) -> FormationView:
    return offers.create(identity, siret, body)


@app.get(
    "/structures/<siret>/formations/similar",
    summary="Avant de créer : les formations de l'espace de même certification ou d'intitulé proche",
    tags=TAGS,
    security=USER,
)
def similar_formations(
    siret: str,
    identity: User,
    title: Annotated[str | None, Query(max_length=255)] = None,
    codes: Annotated[str | None, Query(max_length=200, description="Codes RNCP/RS séparés par des virgules")] = None,
) -> list[SimilarFormation]:
    chosen = [c.strip().upper().replace(" ", "") for c in (codes or "").split(",") if c.strip()]
    return offers.similar(identity, siret, title, chosen)


@app.get(
    "/formations/<ref>",
    summary="Une formation et ses sessions (OF responsable ou formateur, modérateurs)",
    tags=TAGS,
    security=USER,
)
def formation(ref: str, identity: User) -> FormationView:
    return offers.formation(identity, ref)


@app.put(
    "/formations/<ref>/draft",
    summary="Sauvegarder le brouillon (version 0 : Demande de modification)",
    tags=TAGS,
    security=USER,
    responses=answers(409, 423),
)
def save_formation_draft(ref: str, body: Annotated[FormationDraftSave, Body()], identity: User) -> FormationView:
    return offers.save_draft(identity, ref, body.version, body.data)


@app.delete(
    "/formations/<ref>/draft",
    status_code=204,
    summary="Supprimer ma demande (une formation jamais publiée est supprimée avec elle)",
    tags=TAGS,
    security=USER,
    responses=answers(423),
)
def drop_formation_draft(ref: str, identity: User):  # noqa: ANN201 (204, no body)
    offers.drop_draft(identity, ref)
    return Response(204)


@app.post(
    "/formations/<ref>/submission",
    summary="Soumettre pour validation (toutes les règles vérifiées)",
    tags=TAGS,
    security=USER,
    responses=answers(409, 423),
)
def submit_formation(ref: str, identity: User, body: Annotated[SubmitRequest | None, Body()] = None) -> FormationView:
    return offers.submit(identity, ref, body.version if body else None)


@app.delete(
    "/formations/<ref>/submission",
    summary="Annuler ma demande de vérification",
    tags=TAGS,
    security=USER,
    responses=answers(409),
)
def withdraw_formation(ref: str, identity: User) -> FormationView:
    return offers.withdraw(identity, ref)


@app.get("/formations/<ref>/history", summary="Historique des modifications publiées", tags=TAGS, security=USER)
def formation_history(ref: str, identity: User) -> list[HistoryEntry]:
    return offers.history(identity, ref)


@app.patch(
    "/moderation/formations/<ref>",
    summary="Indexer une formation (Formacode, NSF, ROME : seules les listes envoyées changent ; modérateurs)",
    tags=TAGS,
    security=USER,
    responses=answers(409),
)
def index_formation(
    ref: str, body: Annotated[FormationIndexing, Body()], identity: Annotated[Identity, Depends(moderator)]
) -> FormationView:
    return offers.set_indexing(identity, ref, body)


@app.patch(
    "/moderation/sessions/<ref>",
    summary="Fixer l'état du dispositif des lignes de financement d'une session publiée (modérateurs)",
    tags=TAGS,
    security=USER,
    responses=answers(409),
)
def set_scheme_states(
    ref: str, body: Annotated[SchemeStates, Body()], identity: Annotated[Identity, Depends(moderator)]
) -> FormationView:
    return offers.set_scheme_states(identity, ref, body)


@app.post(
    "/formations/<ref>/sessions",
    status_code=201,
    summary="Ajouter une session au brouillon de la formation (numérotée, préremplie)",
    tags=TAGS,
    security=USER,
    responses=answers(409, 423),
)
def add_session(ref: str, identity: User, body: Annotated[SessionDraft | None, Body()] = None) -> FormationView:
    return offers.add_session(identity, ref, body or SessionDraft())


@app.post(
    "/sessions/<ref>/duplicate",
    status_code=201,
    summary="Dupliquer une session (même terminée) avec de nouvelles dates, dans le brouillon",
    tags=TAGS,
    security=USER,
    responses=answers(409, 423),
)
def duplicate_session(ref: str, body: Annotated[SessionDates, Body()], identity: User) -> FormationView:
    return offers.duplicate_session(identity, ref, body.start_date, body.end_date)


@app.get(
    "/referentials/<name>",
    summary="Un référentiel : financements (financeurs, mesures, publics), dictionnaires LHEO (codes, libellés)",
    tags=TAGS,
    security=USER,
)
def referential(name: str, _: User) -> dict[str, Any]:
    return offers.referential(name)


# ---------------------------------------------------------------------- the certification referential (RNCP, RS)
# The search of the guide's magnifier dialog, over the snapshot the import builds (`ofeli.services.certifications`):
# one GetItem per request, the query in memory; never a Scan.
if TYPE_CHECKING:
    from ofeli.services import certifications
else:  # imported at the first route that calls it (cold start)
    (certifications,) = deferred("certifications")


@app.get(
    "/certifications",
    summary="Rechercher une certification (mots du titre, code RNCP, RS ou Certifinfo), les actives d'abord",
    tags=TAGS,
    security=USER,
)
def search_certifications(
    _: User,
    q: Annotated[
        str | None, Query(max_length=200, description="Mots du titre, code RNCP ou RS, code Certifinfo")
    ] = None,
    active: Annotated[bool | None, Query(description="true : les certifications actives seulement")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> CertificationPage:
    return certifications.search(CertificationQuery(q=q, active=active, page=page, page_size=page_size))


@app.get(
    "/certifications/<code>",
    summary="Une certification du référentiel, en entier (RNCP35000, RS5678)",
    tags=TAGS,
    security=USER,
)
def certification(code: str, _: User) -> CertificationDetail:
    return certifications.detail(code)


# ---------------------------------------------------------------------- *Rechercher une adresse* (the BAN)
# The session form's places, registration places and RDVI/ICO addresses: the national address base's API
# in AWS (outbound internet), a fixture of addresses locally (`ofeli.store.addresses`, setting address_search).
if TYPE_CHECKING:
    from ofeli.services import addresses
else:  # imported at the first route that calls it (cold start)
    (addresses,) = deferred("addresses")


@app.get(
    "/addresses",
    summary="Rechercher une adresse (Base Adresse Nationale) : complétion et géolocalisation",
    tags=TAGS,
    security=USER,
    responses=answers(503),
)
def search_addresses(
    _: User,
    q: Annotated[str, Query(min_length=3, max_length=200, description="L'adresse, en partie : numéro, voie, ville")],
    postal_code: Annotated[
        str | None, Query(pattern=r"^[0-9]{5}$", description="Seulement les adresses de ce code postal")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=20, description="Nombre de résultats, 5 par défaut")] = 5,
) -> list[AddressHit]:
    return addresses.search(q, postal_code=postal_code, limit=limit)


handler = lambda_handler(app)
