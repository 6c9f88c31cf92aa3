"""Setting a password with an activation key (account creation and reset alike), and asking for a reset."""

from __future__ import annotations

from ofeli import mail
from ofeli.domain.accounts import Accepted, ActivationRequest
from ofeli.domain.contact import normalise_email
from ofeli.domain.passwords import check_password
from ofeli.mail import messages
from ofeli.store import activation_keys, identities, login_attempts, users

RESET_SENT = (
    "Si un compte OFeli existe pour cette adresse, un e-mail vient de lui être envoyé avec un lien pour "
    "choisir un nouveau mot de passe (pensez à vérifier vos courriers indésirables)."
)


def activate(request: ActivationRequest) -> None:
    """The password rules first (nothing is spent on a bad password), then the key, once."""
    check_password(request.password)
    key = activation_keys.consume(request.key)
    try:
        identities.set_password(key["email"], request.password)
    except Exception:
        activation_keys.release(request.key)
        raise
    login_attempts.clear(key["email"])


def request_reset(email: str) -> Accepted:
    """The same answer whether the account exists or not; where it does, earlier keys stop working."""
    profile = users.find_by_email(normalise_email(email))
    if profile is not None:
        activation_keys.revoke_all(profile["user_id"])
        key = activation_keys.create(profile["user_id"], profile["email"], "reset")
        mail.send(messages.password_reset(profile["email"], profile["first_name"], key))
    return Accepted(message=RESET_SENT)
