"""Sign-in, the user's own view, accounts and their rights on structures."""

from __future__ import annotations

from ofeli import clock, observability
from ofeli.domain.accounts import ACCOUNT_EXISTS, LoginRequest, Me, StructureRight, Tokens
from ofeli.domain.contact import normalise_email
from ofeli.domain.errors import Conflict, FieldError, NotFound, TooManyRequests, Unauthorized, violation
from ofeli.domain.identity import MODERATORS, Identity
from ofeli.domain.login import WINDOW_SECONDS, locked_message, seconds_left, throttled_message
from ofeli.domain.my_account import MeUpdate, PasswordChange
from ofeli.domain.passwords import check_password
from ofeli.domain.structures import Structure
from ofeli.settings import settings
from ofeli.store import account_requests, identities, login_attempts, structures, table, throttle, users
from ofeli.store.table import Item


def check_client(route: str, client: str | None) -> None:
    """The throttle of a public route: `public_rate_limit` requests per caller's address per window."""
    config = settings()
    now = clock.seconds()
    allowed = throttle.hit(
        f"client#{route}",
        client or "unknown",
        limit=config.public_rate_limit,
        window_seconds=config.public_rate_window,
        now=now,
    )
    if not allowed:
        raise TooManyRequests(throttled_message(seconds_left(now, config.public_rate_window)))


def login(request: LoginRequest, client: str | None = None) -> Tokens:
    """Cognito sign-in behind the lock-out: the same answers whether the account exists or not.

    The attempt is counted before Cognito is asked, so at most 5 wrong passwords per e-mail and
    15-minute window reach it, however many arrive at once (`ofeli.store.login_attempts`).
    """
    check_client("login", client)
    return _authenticate(request.email, request.password)


def _authenticate(email: str, password: str) -> Tokens:
    """Cognito's judgement of a password, counted in the e-mail's sign-in lock-out (sign-in, and the
    current password of *Mon compte*: neither can be used to try passwords faster than the other)."""
    now = clock.seconds()
    attempt = login_attempts.begin(email, now)
    if attempt is None:
        raise TooManyRequests(locked_message(seconds_left(now, WINDOW_SECONDS)))
    try:
        tokens = identities.authenticate(email, password)
    except Unauthorized:
        if login_attempts.failed(attempt):
            observability.count("SignInLocked")
        raise
    except Exception:
        login_attempts.succeeded(attempt)  # Cognito did not judge the password: not a failure
        raise
    login_attempts.succeeded(attempt)
    return tokens


def refresh(refresh_token: str) -> Tokens:
    return identities.refresh(refresh_token)


def structure_rights(user_id: str) -> list[StructureRight]:
    """The structures a user has rights on, head offices (NDA holders) first, then by name."""
    records = structures.get_many(users.rights_of(user_id))
    return [
        StructureRight(
            siret=r["siret"],
            name=r["name"],
            nda=r.get("nda"),
            is_responsible=Structure.model_validate(r).is_responsible,
        )
        for r in sorted(records, key=lambda r: (r.get("nda") is None, r["name"]))
    ]


NO_PROFILE = "Ce compte n'a pas de profil OFeli : contactez le Carif-Oref."
NOT_THE_CURRENT_ONE = "Le mot de passe actuel est incorrect : saisissez celui que vous utilisez pour vous connecter."


def profile_of(identity: Identity) -> Item:
    profile = users.get_profile(identity.user_id)
    if profile is None:
        raise NotFound(NO_PROFILE)
    return profile


def _me(identity: Identity, profile: Item) -> Me:
    return Me(
        email=profile["email"],
        first_name=profile["first_name"],
        last_name=profile["last_name"],
        phone=profile.get("phone"),
        roles=identity.roles,
        structures=structure_rights(identity.user_id),
    )


def me(identity: Identity) -> Me:
    return _me(identity, profile_of(identity))


def update_me(identity: Identity, update: MeUpdate) -> Me:
    """*Mon compte*: only the fields sent change, on the profile as it was read (a change made meanwhile
    in another tab is a 409, never overwritten)."""
    profile = profile_of(identity)
    changes = {k: v for k, v in update.changes().items() if profile.get(k) != v}
    if changes:
        profile = users.update_profile(identity.user_id, changes, version=int(profile["version"]))
    return _me(identity, profile)


def change_password(identity: Identity, change: PasswordChange) -> None:
    """The new password follows the policy; the current one is judged by Cognito within the sign-in
    lock-out (a wrong one is a 422 on `current_password`, not a 401: the person is still signed in);
    then every session of the account ends (its refresh tokens are revoked), this one included: the page
    signs in again with the new password."""
    check_password(change.new_password, field="new_password")
    email = profile_of(identity)["email"]
    try:
        _authenticate(email, change.current_password)
    except Unauthorized:
        raise violation("current_password", NOT_THE_CURRENT_ONE) from None
    identities.set_password(email, change.new_password)
    identities.sign_out_everywhere(email)
    observability.count("PasswordChanged")


def create_account(email: str, first_name: str, last_name: str, *, moderator: bool = False) -> str:
    """A Cognito user (no password yet) with its profile and its e-mail claim, all or nothing.

    For accounts made without a request (moderators, the demo); requests go through moderation.
    """
    email = normalise_email(email)
    user_id = identities.create_user(email, first_name, last_name)
    try:
        table.transact(
            [
                table.tx_put_new(users.profile_item(user_id, email, first_name, last_name)),
                table.tx_put_new(account_requests.claim_item(email, f"user:{user_id}")),
            ],
            conflict=ACCOUNT_EXISTS,
        )
        if moderator:
            identities.add_to_group(email, MODERATORS)
    except Exception:
        identities.delete_user(email)
        raise
    return user_id


def set_password(email: str, password: str) -> None:
    check_password(password)
    identities.set_password(normalise_email(email), password)


def grant_rights(user_id: str, siret: str) -> None:
    if users.get_profile(user_id) is None:
        raise NotFound("Ce compte n'existe pas.")
    record = structures.get(siret)
    if record is None:
        message = "Aucune structure n'a ce SIRET dans OFeli."
        raise NotFound(message, [FieldError("siret", message)])
    try:
        users.grant(user_id, record)
    except Conflict as error:
        raise Conflict(error.message, [FieldError("siret", error.message)]) from None


def revoke_rights(user_id: str, siret: str) -> None:
    users.revoke(user_id, siret)


def find_user(email: str) -> dict[str, object]:
    profile = users.find_by_email(normalise_email(email))
    if profile is None:
        raise NotFound("Aucun compte n'a cette adresse e-mail.")
    return {**profile, "structures": structure_rights(profile["user_id"])}
