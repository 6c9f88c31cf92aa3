"""Messaging: the thread between a structure and the Carif-Oref, and personal memos."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from ofeli.api import USER, lambda_handler, make_app, moderator, user
from ofeli.domain.identity import Identity
from ofeli.domain.messaging import Memo, MemoIn, Message, MessageIn
from ofeli.services import deferred

if TYPE_CHECKING:
    from ofeli.services import messaging
else:  # imported at the first route that calls them (cold start)
    (messaging,) = deferred("messaging")

app = make_app()
TAGS = ["Messagerie"]
User = Annotated[Identity, Depends(user)]


@app.get("/structures/<siret>/messages", summary="Les messages avec le Carif-Oref", tags=TAGS, security=USER)
def thread(siret: str, identity: User) -> list[Message]:
    return messaging.thread(identity, siret)


@app.post("/structures/<siret>/messages", status_code=201, summary="Écrire un message", tags=TAGS, security=USER)
def post(siret: str, body: Annotated[MessageIn, Body()], identity: User) -> Message:
    return messaging.post(identity, siret, body)


@app.get("/moderation/messages", summary="Les derniers messages de toutes les structures", tags=TAGS, security=USER)
def latest(_: Annotated[Identity, Depends(moderator)]) -> list[Message]:
    return messaging.latest()


@app.get("/memos", summary="Mes mémos", tags=TAGS, security=USER)
def memos(identity: User) -> list[Memo]:
    return messaging.memos(identity)


@app.post("/memos", status_code=201, summary="Ajouter un mémo", tags=TAGS, security=USER)
def add_memo(body: Annotated[MemoIn, Body()], identity: User) -> Memo:
    return messaging.add_memo(identity, body)


@app.delete("/memos/<memo_id>", status_code=204, summary="Supprimer un mémo", tags=TAGS, security=USER)
def delete_memo(memo_id: str, identity: User):  # noqa: ANN201 (204, no body)
    messaging.delete_memo(identity, memo_id)
    return Response(204)


handler = lambda_handler(app)
