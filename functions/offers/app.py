"""Offer: formations and sessions, certifications, referentials.

The formation's own routes (creation, draft, submission) arrive with issue 9; template.yaml declares
each route with its function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Depends

from ofeli.api import USER, lambda_handler, make_app, user
from ofeli.domain.identity import Identity
from ofeli.domain.offers import FormationView
from ofeli.services import deferred

if TYPE_CHECKING:
    from ofeli.services import offers
else:  # imported at the first route that calls them (cold start)
    (offers,) = deferred("offers")

app = make_app()
TAGS = ["Offre"]


@app.get(
    "/formations/<ref>",
    summary="Une formation et ses sessions (OF responsable ou formateur, modérateurs)",
    tags=TAGS,
    security=USER,
)
def formation(ref: str, identity: Annotated[Identity, Depends(user)]) -> FormationView:
    return offers.formation(identity, ref)


handler = lambda_handler(app)
