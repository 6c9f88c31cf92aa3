"""Accounts: sign-in and the user's own view (account requests and activation keys come next)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body

from ofeli.api import USER, lambda_handler, make_app, user
from ofeli.domain.accounts import LoginRequest, Me, Tokens
from ofeli.domain.identity import Identity
from ofeli.services import accounts

app = make_app()


@app.post("/auth/login", summary="Se connecter (e-mail et mot de passe)", tags=["Comptes"])
def login(body: Annotated[LoginRequest, Body()]) -> Tokens:
    return accounts.login(body)


@app.get("/me", summary="Mon compte et mes structures", tags=["Comptes"], security=USER)
def me(identity: Annotated[Identity, Depends(user)]) -> Me:
    return accounts.me(identity)


handler = lambda_handler(app)
