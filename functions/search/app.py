"""Search: the guide's search engine over an OF's offer (as responsible and as trainer), and across the
region's structures for moderators. template.yaml declares each route with its function."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Query

from ofeli.api import USER, lambda_handler, make_app, moderator, user
from ofeli.domain.identity import Identity
from ofeli.domain.search import SearchPage, SearchParams
from ofeli.services import deferred

if TYPE_CHECKING:
    from ofeli.services import search
else:  # imported at the first route that calls them (cold start)
    (search,) = deferred("search")

app = make_app()
TAGS = ["Recherche"]
Criteria = Annotated[SearchParams, Query()]


@app.get(
    "/structures/<siret>/formations",
    summary="Rechercher les formations de l'espace structure (responsable, et formateur en lecture seule)",
    tags=TAGS,
    security=USER,
)
def formations(siret: str, identity: Annotated[Identity, Depends(user)], criteria: Criteria) -> SearchPage:
    return search.structure_search(identity, siret, criteria.query())


@app.get(
    "/moderation/formations",
    summary="Rechercher les formations de toutes les structures de la région",
    tags=TAGS,
    security=USER,
)
def region_formations(_: Annotated[Identity, Depends(moderator)], criteria: Criteria) -> SearchPage:
    return search.region_search(criteria.query())


handler = lambda_handler(app)
