"""Partners: the signed URL of the published LHEO 2.3 feed, behind X-Api-Key (no Cognito authorizer:
the key is checked here, by `ofeli.api.partner`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Query

from ofeli.api import PARTNER, answers, lambda_handler, make_app, partner
from ofeli.domain.partners import FeedChanges, FeedLink, PartnerKeyView
from ofeli.services import deferred

if TYPE_CHECKING:
    from ofeli.services import partners
else:  # imported at the first route that calls it (cold start)
    (partners,) = deferred("partners")

app = make_app()
TAGS = ["Partenaires"]
Partner = Annotated[PartnerKeyView, Depends(partner)]


@app.get(
    "/partner/feed",
    summary="Le flux LHEO 2.3 de l'offre publiée (adresse signée), ou ses changements depuis une date (since)",
    description=(
        "Sans `since` : l'adresse signée du dernier flux complet (toutes les structures, les formations "
        "diffusées, leurs sessions en cours et à venir), généré chaque nuit. Avec `since` (ISO 8601, par "
        "exemple 2026-11-01T00:00:00Z) : un fichier LHEO des formations publiées ou modifiées depuis, et les "
        "numéros des formations retirées du flux depuis (`withdrawn`)."
    ),
    tags=TAGS,
    security=PARTNER,
    responses=answers(401, 404),
)
def feed(
    _: Partner,
    since: Annotated[
        str | None, Query(max_length=40, description="Changements depuis cet instant (ISO 8601 avec fuseau)")
    ] = None,
) -> FeedChanges | FeedLink:
    if since is not None:
        return partners.changes(since)
    return partners.feed()


handler = lambda_handler(app)
