"""*Demander l'accès à une autre structure*: an existing account asks for rights on a structure; the
moderators decide beside the account requests (same list, same decision route).

What the person who asks learns is what an account request tells: a structure unknown to OFeli is not
refused at the request (that would tell which SIRETs OFeli knows), the moderator deals with it (creates
the structure, or refuses with a reason). The guide's NDA rule is the account requests' one, checked at
the decision: a structure that holds an NDA is given only to a request that states the same NDA.
"""

from __future__ import annotations

import uuid

from ofeli import clock, mail, observability
from ofeli.domain.accounts import AccountDecision
from ofeli.domain.errors import Conflict, FieldError, Forbidden
from ofeli.domain.identity import Identity
from ofeli.domain.my_account import RightsRequestCreated, RightsRequestInput
from ofeli.mail import messages
from ofeli.services.account_requests import refusal_reason, structure_for_approval
from ofeli.services.accounts import profile_of
from ofeli.store import account_requests, table, users
from ofeli.store.table import Item

RECEIVED = (
    "Votre demande d'accès est enregistrée. Le Carif-Oref va la traiter et vous prévenir par e-mail ; une fois "
    "acceptée, la structure apparaît dans la liste « Espace structure »."
)
ALREADY_HELD = "Vous avez déjà accès à cette structure : choisissez-la dans la liste « Espace structure »."
ALREADY_ASKED = "Vous avez déjà une demande d'accès en cours pour cette structure : le Carif-Oref la traite."
MODERATORS_SEE_ALL = (
    "Les modérateurs du Carif-Oref ont accès à toutes les structures : ils n'ont pas de demande d'accès à faire."
)


def submit(identity: Identity, data: RightsRequestInput) -> RightsRequestCreated:
    """202 for a structure the account has no rights on and no pending request for; 409 otherwise."""
    if identity.is_moderator:
        raise Forbidden(MODERATORS_SEE_ALL)
    profile = profile_of(identity)
    if users.has_right(identity.user_id, data.siret):
        raise Conflict(ALREADY_HELD, [FieldError("siret", ALREADY_HELD)])
    request_id = str(uuid.uuid4())
    now = clock.iso("seconds")
    account_requests.create_rights(
        request_id,
        {
            "user_id": identity.user_id,
            "siret": data.siret,
            "nda": data.nda,
            "message": data.message,
            # the account as it is now: what the moderators read, and whom the decision is e-mailed to
            "contact": {k: profile.get(k) for k in ("last_name", "first_name", "email", "phone")},
            "created_at": now,
        },
        conflict=ALREADY_ASKED,
    )
    observability.count("RightsRequested")
    return RightsRequestCreated(id=request_id, message=RECEIVED)


def decide(moderator: Identity, record: Item, decision: AccountDecision) -> None:
    if decision.decision == "approve":
        _approve(moderator, record, decision)
    else:
        _reject(moderator, record, decision)


def _approve(moderator: Identity, record: Item, decision: AccountDecision) -> None:
    """The right, the structure (created when the moderator names it), the request decided and its claim
    released, in one transaction; the account is told by e-mail."""
    structure, structure_actions = structure_for_approval(record, decision)
    user_id = record["user_id"]
    actions = [
        account_requests.tx_decide(
            record["id"], {"status": "approved", "decided_at": _now(), "decided_by": moderator.email}
        ),
        account_requests.tx_release_rights_claim(user_id, record["siret"], record["id"]),
        *structure_actions,
    ]
    if not users.has_right(user_id, record["siret"]):  # given meanwhile from *Comptes et droits*: kept
        actions.append(table.tx_put_new(users.right_item(user_id, structure)))
    table.transact(actions, conflict=account_requests.ALREADY_DECIDED)
    observability.count("RightsRequestApproved")
    contact = record["contact"]
    name = structure.get("name") or decision.structure_name or record["siret"]
    mail.enqueue(messages.rights_granted(contact["email"], contact["first_name"], str(name)))


def _reject(moderator: Identity, record: Item, decision: AccountDecision) -> None:
    reason = refusal_reason(decision)
    table.transact(
        [
            account_requests.tx_decide(
                record["id"],
                {"status": "rejected", "decided_at": _now(), "decided_by": moderator.email, "reason": reason},
            ),
            account_requests.tx_release_rights_claim(record["user_id"], record["siret"], record["id"]),
        ],
        conflict=account_requests.ALREADY_DECIDED,
    )
    contact = record["contact"]
    mail.enqueue(messages.rights_rejected(contact["email"], contact["first_name"], record["siret"], reason))


def _now() -> str:
    return clock.iso("seconds")
