"""The account request (*Créer un compte*) and the moderator's decision on it."""

from __future__ import annotations

import uuid
from typing import Any

from ofeli import clock, jobs, mail, observability
from ofeli.domain.accounts import (
    ACCOUNT_EXISTS,
    DOCUMENT_MAX_BYTES,
    AccountDecision,
    AccountRequestCreated,
    AccountRequestInput,
    AccountRequestView,
    PresignedPost,
)
from ofeli.domain.errors import Conflict, NotFound, violation
from ofeli.domain.identity import Identity
from ofeli.domain.my_account import RIGHTS
from ofeli.domain.structures import Structure
from ofeli.mail import messages
from ofeli.services.accounts import check_client
from ofeli.services.activation import mail_allowed
from ofeli.store import account_requests, documents, identities, structures, table, users
from ofeli.store.table import Item

RECEIVED = (
    "Votre demande de création de compte a bien été enregistrée. Le Carif-Oref va la traiter et vous "
    "envoyer prochainement une clé d'activation par e-mail : ouvrez le message « Demande de clé "
    "d'activation » (pensez à vérifier vos courriers indésirables) puis cliquez sur le lien Activer mon compte."
)


def submit(data: AccountRequestInput, client: str | None = None) -> AccountRequestCreated:
    """The same 202 whether the e-mail is new or already has an account or a pending request.

    In the second case nothing is written (the e-mail claim refuses it) and the address's owner is told
    by e-mail, by a job: the person who asked learns nothing about the address (no enumeration).
    """
    check_client("account-request", client)
    request_id = str(uuid.uuid4())
    document_key = f"account-requests/{request_id}/declaration-activite" if data.document_content_type else None
    try:
        account_requests.create(
            request_id,
            {
                "siret": data.siret,
                "nda": data.nda,
                "contact": data.contact.model_dump(),
                "accepted_privacy_policy_at": _now(),
                "created_at": _now(),
                "document_key": document_key,
            },
        )
    except Conflict:
        jobs.enqueue("account-request-duplicate", email=data.contact.email)
    upload = None
    if document_key and data.document_content_type:
        upload = PresignedPost(**documents.upload_form(document_key, data.document_content_type, DOCUMENT_MAX_BYTES))
    return AccountRequestCreated(id=request_id, message=RECEIVED, document_upload=upload)


def duplicate_job(message: dict[str, Any]) -> None:
    """The "account-request-duplicate" job: the address's owner hears of the request (once, a few an hour)."""
    email = str(message["email"])
    held_by = account_requests.holder(email)
    if held_by is None:  # freed since (a rejected request): nothing to say
        return

    def work() -> None:
        if mail_allowed(email):
            mail.send(messages.account_exists(email, pending=held_by == "request"))

    jobs.once(str(message["id"]), work)


def _views(records: list[Item]) -> list[AccountRequestView]:
    """The requests as moderators see them, the existing structures read in one batch, each with what the
    national list of training organisations says of its SIRET and NDA (account and rights requests alike)."""
    from ofeli.services import training_organisations

    names = {s["siret"]: s["name"] for s in structures.get_many([r["siret"] for r in records])}
    with_nda = [r for r in records if r.get("nda")]
    checked = training_organisations.national_matches([(r["siret"], r["nda"]) for r in with_nda])
    national = {r["id"]: match for r, match in zip(with_nda, checked, strict=True)}
    return [
        AccountRequestView(
            **{k: v for k, v in record.items() if k in AccountRequestView.model_fields},
            structure_name=names.get(record["siret"]),
            document_url=documents.download_url(record["document_key"]) if record.get("document_key") else None,
            national=national.get(record["id"]),
        )
        for record in records
    ]


def pending() -> list[AccountRequestView]:
    return _views(list(table.query_all(account_requests.PENDING, index="gsi2")))


def decide(moderator: Identity, request_id: str, decision: AccountDecision) -> AccountRequestView:
    record = account_requests.get(request_id)
    if record is None:
        raise NotFound("Cette demande de compte n'existe pas.")
    if record["status"] != "pending":
        raise Conflict(account_requests.ALREADY_DECIDED)
    if record.get("kind") == RIGHTS:  # an existing account asking for another structure
        from ofeli.services import rights_requests

        rights_requests.decide(moderator, record, decision)
    elif decision.decision == "approve":
        _approve(moderator, record, decision)
    else:
        _reject(moderator, record, decision)
    decided = account_requests.get(request_id)
    assert decided is not None
    return _views([decided])[0]


def structure_for_approval(record: Item, decision: AccountDecision) -> tuple[Item, list[dict[str, Any]]]:
    """The structure a request (account or rights) is approved on, and the transaction's actions on it:
    created with the name the moderator gives when it does not exist yet, else checked; with the guide's
    NDA rule (a structure that holds an NDA goes only with a request that states the same one)."""
    structure = structures.get(record["siret"])
    if structure is None:
        name = (decision.structure_name or "").strip()
        if not name:
            raise violation(
                "structure_name",
                "Aucune structure n'existe encore pour ce SIRET : indiquez sa raison sociale pour la créer.",
            )
        actions = structures.create_actions(Structure(siret=record["siret"], name=name, nda=record.get("nda")))
        return {"siret": record["siret"], "name": name}, actions
    if structure.get("nda") and structure["nda"] != record.get("nda"):
        stated = (
            f"Le NDA de la demande ({record['nda']})" if record.get("nda") else "La demande n'indique aucun NDA, ce qui"
        )
        raise violation(
            "nda",
            f"{stated} diffère de celui de la structure ({structure['nda']}) : "
            "vérifiez auprès de l'organisme avant d'accepter.",
        )
    return structure, [table.tx_check(structures.structure_key(record["siret"]), "RECORD")]


def refusal_reason(decision: AccountDecision) -> str:
    reason = (decision.reason or "").strip()
    if not reason:
        raise violation("reason", "Indiquez la raison du refus : elle est envoyée par e-mail au demandeur.")
    return reason


def _approve(moderator: Identity, record: Item, decision: AccountDecision) -> None:
    contact = record["contact"]
    email = contact["email"]
    structure, structure_actions = structure_for_approval(record, decision)

    created = False
    if users.find_by_email(email) is not None:
        raise Conflict(ACCOUNT_EXISTS)
    user_id = identities.user_id_of(email)  # left by an approval that failed half-way: reuse it
    if user_id is None:
        user_id = identities.create_user(email, contact["first_name"], contact["last_name"])
        created = True
    try:
        table.transact(
            [
                account_requests.tx_decide(
                    record["id"],
                    {"status": "approved", "decided_at": _now(), "decided_by": moderator.email, "user_id": user_id},
                ),
                table.tx_put_new(
                    users.profile_item(
                        user_id, email, contact["first_name"], contact["last_name"], contact.get("phone")
                    )
                ),
                account_requests.tx_claim_for_user(email, record["id"], user_id),
                *structure_actions,
                table.tx_put_new(users.right_item(user_id, structure)),
            ],
            conflict=account_requests.ALREADY_DECIDED,
        )
    except Exception:
        if created:
            identities.delete_user(email)
        raise
    observability.count("AccountRequestApproved")
    # The key is made and e-mailed by the worker: it never travels on the queue.
    jobs.enqueue("activation-key", user_id=user_id, email=email, first_name=contact["first_name"], purpose="creation")


def _reject(moderator: Identity, record: Item, decision: AccountDecision) -> None:
    reason = refusal_reason(decision)
    contact = record["contact"]
    table.transact(
        [
            account_requests.tx_decide(
                record["id"],
                {"status": "rejected", "decided_at": _now(), "decided_by": moderator.email, "reason": reason},
            ),
            account_requests.tx_release_claim(contact["email"], record["id"]),
        ],
        conflict=account_requests.ALREADY_DECIDED,
    )
    mail.enqueue(messages.account_rejected(contact["email"], contact["first_name"], reason))


def _now() -> str:
    return clock.iso("seconds")
