"""Accounts: account requests, activation keys, passwords, sign-in and the user's own view."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from ofeli.api import USER, lambda_handler, make_app, user
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
from ofeli.services import account_requests, accounts, activation

app = make_app()
TAGS = ["Comptes"]


@app.post("/account-requests", status_code=202, summary="Demander la création d'un compte", tags=TAGS)
def request_account(body: Annotated[AccountRequestInput, Body()]) -> AccountRequestCreated:
    return account_requests.submit(body)


@app.post("/activation", summary="Choisir son mot de passe avec une clé d'activation", tags=TAGS)
def activate(body: Annotated[ActivationRequest, Body()]):  # noqa: ANN201 (204, no body)
    activation.activate(body)
    return Response(204)


@app.post("/auth/login", summary="Se connecter (e-mail et mot de passe)", tags=TAGS)
def login(body: Annotated[LoginRequest, Body()]) -> Tokens:
    return accounts.login(body)


@app.post("/auth/refresh", summary="Prolonger sa session (jeton de rafraîchissement)", tags=TAGS)
def refresh(body: Annotated[RefreshRequest, Body()]) -> Tokens:
    return accounts.refresh(body.refresh_token)


@app.post("/auth/password-reset", status_code=202, summary="Réinitialiser son mot de passe", tags=TAGS)
def password_reset(body: Annotated[PasswordResetRequest, Body()]) -> Accepted:
    return activation.request_reset(body.email)


@app.get("/me", summary="Mon compte et mes structures", tags=TAGS, security=USER)
def me(identity: Annotated[Identity, Depends(user)]) -> Me:
    return accounts.me(identity)


handler = lambda_handler(app)
