"""Moderation: account requests and the rights of accounts on structures (the queue of submitted
changes, certification imports and partner keys arrive with their issues)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from pydantic import BaseModel

from ofeli.api import USER, lambda_handler, make_app, moderator
from ofeli.domain.accounts import AccountDecision, AccountRequestView, StructureRight
from ofeli.domain.identifiers import Siret
from ofeli.domain.identity import Identity
from ofeli.services import account_requests, accounts

app = make_app()
TAGS = ["Modération"]
Moderator = Annotated[Identity, Depends(moderator)]


class UserView(BaseModel):
    user_id: str
    email: str
    first_name: str
    last_name: str
    structures: list[StructureRight]


class RightRequest(BaseModel):
    siret: Siret


@app.get("/moderation/account-requests", summary="Demandes de compte en attente", tags=TAGS, security=USER)
def pending_requests(_: Moderator) -> list[AccountRequestView]:
    return account_requests.pending()


@app.post(
    "/moderation/account-requests/<request_id>/decision",
    summary="Accepter ou refuser une demande de compte",
    tags=TAGS,
    security=USER,
)
def decide(request_id: str, body: Annotated[AccountDecision, Body()], identity: Moderator) -> AccountRequestView:
    return account_requests.decide(identity, request_id, body)


@app.get("/moderation/users", summary="Retrouver un compte par son e-mail", tags=TAGS, security=USER)
def find_user(email: Annotated[str, Query(min_length=3, max_length=254)], _: Moderator) -> UserView:
    return UserView.model_validate(accounts.find_user(email))


@app.post(
    "/moderation/users/<user_id>/rights",
    status_code=201,
    summary="Donner à un compte des droits sur une structure",
    tags=TAGS,
    security=USER,
)
def grant(user_id: str, body: Annotated[RightRequest, Body()], _: Moderator) -> list[StructureRight]:
    accounts.grant_rights(user_id, body.siret)
    return accounts.structure_rights(user_id)


@app.delete(
    "/moderation/users/<user_id>/rights/<siret>",
    summary="Retirer à un compte ses droits sur une structure",
    tags=TAGS,
    security=USER,
)
def revoke(user_id: str, siret: str, _: Moderator):  # noqa: ANN201 (204, no body)
    accounts.revoke_rights(user_id, siret)
    return Response(204)


handler = lambda_handler(app)
