"""Passwords live in the Cognito user pool; this module is the only one that talks to it."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ofeli import aws
from ofeli.domain.accounts import ACCOUNT_EXISTS, Tokens
from ofeli.domain.errors import Conflict, Unauthorized
from ofeli.settings import settings

BAD_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect."
SESSION_OVER = "Votre session a expiré : reconnectez-vous."


def _cognito() -> Any:
    return aws.client("cognito-idp")


def authenticate(email: str, password: str) -> Tokens:
    """USER_PASSWORD_AUTH; a wrong e-mail and a wrong password get the same answer."""
    try:
        out = _cognito().initiate_auth(
            ClientId=settings().user_pool_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code")
        if code in {"NotAuthorizedException", "UserNotFoundException", "PasswordResetRequiredException"}:
            raise Unauthorized(BAD_CREDENTIALS) from error
        raise
    result = out.get("AuthenticationResult")
    if not result:  # a challenge (new password required...): the account is not usable yet
        raise Unauthorized(BAD_CREDENTIALS)
    return Tokens(
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result.get("RefreshToken"),
        expires_in=int(result.get("ExpiresIn", 3600)),
    )


def refresh(refresh_token: str) -> Tokens:
    """New ID and access tokens from a refresh token (a session that goes on past the hour)."""
    try:
        out = _cognito().initiate_auth(
            ClientId=settings().user_pool_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"NotAuthorizedException", "UserNotFoundException"}:
            raise Unauthorized(SESSION_OVER) from error
        raise
    result = out["AuthenticationResult"]
    return Tokens(
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result.get("RefreshToken", refresh_token),
        expires_in=int(result.get("ExpiresIn", 3600)),
    )


def create_user(email: str, first_name: str, last_name: str) -> str:
    """A user with no usable password yet (Cognito sends nothing); returns its stable id (`sub`)."""
    try:
        out = _cognito().admin_create_user(
            UserPoolId=settings().user_pool_id,
            Username=email,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "given_name", "Value": first_name},
                {"Name": "family_name", "Value": last_name},
            ],
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "UsernameExistsException":
            raise Conflict(ACCOUNT_EXISTS) from error
        raise
    attributes = {a["Name"]: a["Value"] for a in out["User"].get("Attributes", [])}
    return attributes.get("sub") or out["User"]["Username"]


def set_password(email: str, password: str) -> None:
    """Set a permanent password (the domain checked the policy first: moto does not everywhere)."""
    _cognito().admin_set_user_password(
        UserPoolId=settings().user_pool_id, Username=email, Password=password, Permanent=True
    )


def sign_out_everywhere(email: str) -> None:
    """Revoke every refresh token of the user (its sessions end when their ID tokens expire)."""
    _cognito().admin_user_global_sign_out(UserPoolId=settings().user_pool_id, Username=email)


def add_to_group(email: str, group: str) -> None:
    _cognito().admin_add_user_to_group(UserPoolId=settings().user_pool_id, Username=email, GroupName=group)


def delete_user(email: str) -> None:
    """Undo a `create_user` whose other half could not be written."""
    _cognito().admin_delete_user(UserPoolId=settings().user_pool_id, Username=email)


def user_id_of(email: str) -> str | None:
    """The `sub` of the pool's user with this e-mail, or None."""
    try:
        out = _cognito().admin_get_user(UserPoolId=settings().user_pool_id, Username=email)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "UserNotFoundException":
            return None
        raise
    attributes = {a["Name"]: a["Value"] for a in out.get("UserAttributes", [])}
    return attributes.get("sub") or out["Username"]
