"""Search: the guide's search engine over an OF's offer, and across structures for moderators.

Today the space's formations with their state (the *Formations* entry of the menu); the guide's
criteria, blocks and the moderators' region-wide search arrive with their issue. template.yaml
declares each route with its function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Depends

from ofeli.api import USER, lambda_handler, make_app, user
from ofeli.domain.identity import Identity
from ofeli.domain.offers import FormationListItem
from ofeli.services import deferred

if TYPE_CHECKING:
    from ofeli.services import offers
else:  # imported at the first route that calls them (cold start)
    (offers,) = deferred("offers")

app = make_app()
TAGS = ["Recherche"]


@app.get(
    "/structures/<siret>/formations",
    summary="Les formations de l'espace structure (responsable, puis formateur) et leur état",
    tags=TAGS,
    security=USER,
)
def formations(siret: str, identity: Annotated[Identity, Depends(user)]) -> list[FormationListItem]:
    return offers.formations(identity, siret)


handler = lambda_handler(app)
