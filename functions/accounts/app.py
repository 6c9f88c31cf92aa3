"""Accounts: account requests, activation keys, passwords, sign-in and the user's own view."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from ofeli.api import USER, answers, lambda_handler, make_app, user
from ofeli.domain.accounts import (
    Accepted,
    AccountRequestCreated,
    AccountRequestInput,
    ActivationRequest,
    LoginRequest,
    Me,
    PasswordResetRequest,
    RefreshRequest,
    Tokens,
)
from ofeli.domain.identity import Identity
from ofeli.domain.my_account import MeUpdate, PasswordChange, RightsRequestCreated, RightsRequestInput
from ofeli.services import deferred

if TYPE_CHECKING:
    from ofeli.services import account_requests, accounts, activation, rights_requests
else:  # imported at the first route that calls them (cold start)
    account_requests, accounts, activation, rights_requests = deferred(
        "account_requests", "accounts", "activation", "rights_requests"
    )

app = make_app()
TAGS = ["Comptes"]


def caller_address() -> str | None:
    """The caller's IP as API Gateway saw it (the public routes are throttled per address)."""
    identity = (app.current_event.get("requestContext") or {}).get("identity") or {}
    return identity.get("sourceIp")


@app.post(
    "/account-requests",
    status_code=202,
    summary="Demander la création d'un compte",
    tags=TAGS,
    responses=answers(429),
)
def request_account(body: Annotated[AccountRequestInput, Body()]) -> AccountRequestCreated:
    return account_requests.submit(body, client=caller_address())


@app.post(
    "/activation",
    status_code=204,
    summary="Choisir son mot de passe avec une clé d'activation",
    tags=TAGS,
    responses=answers(404, 410),
)
def activate(body: Annotated[ActivationRequest, Body()]):  # noqa: ANN201 (204, no body)
    activation.activate(body)
    return Response(204)


@app.post("/auth/login", summary="Se connecter (e-mail et mot de passe)", tags=TAGS, responses=answers(401, 429))
def login(body: Annotated[LoginRequest, Body()]) -> Tokens:
    return accounts.login(body, client=caller_address())


@app.post(
    "/auth/refresh",
    summary="Prolonger sa session (jeton de rafraîchissement)",
    tags=TAGS,
    responses=answers(401),
)
def refresh(body: Annotated[RefreshRequest, Body()]) -> Tokens:
    return accounts.refresh(body.refresh_token)


@app.post(
    "/auth/password-reset",
    status_code=202,
    summary="Réinitialiser son mot de passe",
    tags=TAGS,
    responses=answers(429),
)
def password_reset(body: Annotated[PasswordResetRequest, Body()]) -> Accepted:
    return activation.request_reset(body.email, client=caller_address())


@app.get("/me", summary="Mon compte et mes structures", tags=TAGS, security=USER, responses=answers(404))
def me(identity: Annotated[Identity, Depends(user)]) -> Me:
    return accounts.me(identity)


@app.patch(
    "/me",
    summary="Mon compte : nom, prénom, téléphone (seuls les champs envoyés changent)",
    tags=TAGS,
    security=USER,
    responses=answers(404, 409),
)
def update_me(body: Annotated[MeUpdate, Body()], identity: Annotated[Identity, Depends(user)]) -> Me:
    return accounts.update_me(identity, body)


@app.post(
    "/me/password",
    status_code=204,
    summary="Changer son mot de passe (avec l'actuel) ; les autres sessions sont fermées",
    tags=TAGS,
    security=USER,
    responses=answers(404, 429),
)
def change_password(  # noqa: ANN201 (204, no body)
    body: Annotated[PasswordChange, Body()], identity: Annotated[Identity, Depends(user)]
):
    accounts.change_password(identity, body)
    return Response(204)


@app.post(
    "/me/rights-requests",
    status_code=202,
    summary="Demander l'accès à une autre structure",
    tags=TAGS,
    security=USER,
    responses=answers(404, 409),
)
def request_rights(
    body: Annotated[RightsRequestInput, Body()], identity: Annotated[Identity, Depends(user)]
) -> RightsRequestCreated:
    return rights_requests.submit(identity, body)


handler = lambda_handler(app)
