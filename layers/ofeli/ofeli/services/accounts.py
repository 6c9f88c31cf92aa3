"""Sign-in, the user's own view, and account creation (shared by moderation and the demo seed)."""

from __future__ import annotations

from ofeli.domain.accounts import LoginRequest, Me, StructureRight, Tokens, normalise_email
from ofeli.domain.errors import Conflict, NotFound
from ofeli.domain.identity import MODERATORS, Identity
from ofeli.domain.passwords import check_password
from ofeli.domain.structures import Structure
from ofeli.store import identities, structures, users


def login(request: LoginRequest) -> Tokens:
    return identities.authenticate(request.email, request.password)


def me(identity: Identity) -> Me:
    profile = users.get_profile(identity.user_id)
    if profile is None:
        raise NotFound("Ce compte n'a pas de profil OFeli : contactez le Carif-Oref.")
    records = structures.get_many(users.rights_of(identity.user_id))
    rights = [
        StructureRight(
            siret=r["siret"],
            name=r["name"],
            nda=r.get("nda"),
            is_responsible=Structure.model_validate(r).is_responsible,
        )
        for r in sorted(records, key=lambda r: (r.get("nda") is None, r["name"]))
    ]
    return Me(
        email=profile["email"],
        first_name=profile["first_name"],
        last_name=profile["last_name"],
        roles=identity.roles,
        structures=rights,
    )


def create_account(email: str, first_name: str, last_name: str, *, moderator: bool = False) -> str:
    """A Cognito user (no password yet) and its profile, both or neither. Returns the user id."""
    email = normalise_email(email)
    if users.find_by_email(email) is not None:
        raise Conflict("Un compte existe déjà avec cette adresse e-mail.")
    user_id = identities.create_user(email, first_name, last_name)
    try:
        users.create_profile(user_id, email, first_name, last_name)
        if moderator:
            identities.add_to_group(email, MODERATORS)
    except Exception:
        identities.delete_user(email)
        raise
    return user_id


def grant_rights(user_id: str, siret: str) -> None:
    record = structures.get(siret)
    if record is None:
        raise NotFound("Cette structure n'existe pas.")
    users.grant(user_id, record)


def set_password(email: str, password: str) -> None:
    check_password(password)
    identities.set_password(normalise_email(email), password)
