"""Setting a password with an activation key (account creation and reset alike), and asking for a reset.

Keys are made and e-mailed by jobs (`key_job`, `reset_job`), after the request has answered: a reset
answers the same, in the same time, whether the address has an account or not, and the key itself
never travels on the queue.
"""

from __future__ import annotations

from typing import Any

from ofeli import clock, jobs, mail, observability
from ofeli.domain.accounts import Accepted, ActivationRequest
from ofeli.domain.contact import normalise_email
from ofeli.domain.passwords import check_password
from ofeli.mail import messages
from ofeli.services.accounts import check_client
from ofeli.settings import settings
from ofeli.store import activation_keys, identities, login_attempts, throttle, users
from ofeli.store.activation_keys import Purpose

RESET_SENT = (
    "Si un compte OFeli existe pour cette adresse, un e-mail vient de lui être envoyé avec un lien pour "
    "choisir un nouveau mot de passe (pensez à vérifier vos courriers indésirables)."
)


def activate(request: ActivationRequest) -> None:
    """The password rules first (nothing is spent on a bad password), then the key, once.

    The password set, every earlier session ends (refresh tokens revoked) and the sign-in lock-out of
    the address is lifted: a stranger who locked the account out cannot keep its owner out.
    """
    check_password(request.password)
    key = activation_keys.consume(request.key)
    try:
        identities.set_password(key["email"], request.password)
        identities.sign_out_everywhere(key["email"])
    except Exception:
        activation_keys.release(request.key)
        raise
    login_attempts.lift(key["email"], clock.seconds())
    observability.count("ActivationKeyUsed")


def request_reset(email: str, client: str | None = None) -> Accepted:
    """The same answer, in the same time, whether the account exists or not: the work is a job."""
    check_client("password-reset", client)
    jobs.enqueue("password-reset", email=normalise_email(email))
    return Accepted(message=RESET_SENT)


def mail_allowed(email: str) -> bool:
    """At most `mails_per_address_per_hour` reset or account e-mails to one address (more are dropped)."""
    return throttle.hit(
        "mail",
        email,
        limit=settings().mails_per_address_per_hour,
        window_seconds=3600,
        now=clock.seconds(),
    )


def _mail_key(user_id: str, email: str, first_name: str, purpose: Purpose) -> None:
    """A new key e-mailed to the account; its earlier keys stop working."""
    activation_keys.revoke_all(user_id)
    key = activation_keys.create(user_id, email, purpose)
    build = messages.activation if purpose == "creation" else messages.password_reset
    mail.send(build(email, first_name, key))


def reset_job(message: dict[str, Any]) -> None:
    """The "password-reset" job: where the address has an account, a reset key by e-mail (once)."""
    profile = users.find_by_email(str(message["email"]))
    if profile is None:
        return

    def work() -> None:
        if mail_allowed(profile["email"]):
            _mail_key(profile["user_id"], profile["email"], profile["first_name"], "reset")

    jobs.once(str(message["id"]), work)


def key_job(message: dict[str, Any]) -> None:
    """The "activation-key" job: the key of an approved account request, e-mailed once."""
    jobs.once(
        str(message["id"]),
        lambda: _mail_key(message["user_id"], message["email"], message["first_name"], message["purpose"]),
    )
