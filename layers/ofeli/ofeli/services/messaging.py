"""The thread between a structure and the Carif-Oref, personal memos, and the dashboard."""

from __future__ import annotations

import uuid

from ofeli import clock, mail
from ofeli.domain.identity import Identity
from ofeli.domain.messaging import Dashboard, DashboardContact, Memo, MemoIn, Message, MessageIn
from ofeli.domain.structures import principal_contact
from ofeli.mail import messages as mails
from ofeli.services import search, workflow
from ofeli.services.access import structure_for
from ofeli.services.structures import STRUCTURE
from ofeli.store import messages, users
from ofeli.store.table import Item


def _now() -> str:
    return clock.iso()


def _author(identity: Identity) -> str:
    profile = users.get_profile(identity.user_id)
    name = f"{profile['first_name']} {profile['last_name']}" if profile else identity.email
    return f"{name} (Carif-Oref)" if identity.is_moderator else name


def thread(identity: Identity, siret: str) -> list[Message]:
    """The thread, oldest first; reading it marks it read for this user."""
    structure_for(identity, siret)
    items = messages.thread(siret)
    if items:
        messages.mark_read(identity.user_id, siret, items[-1]["created_at"])
        if identity.is_moderator:
            messages.carif_read(siret)
    return [Message.model_validate(item) for item in items]


def unread(identity: Identity, siret: str, items: list[Item]) -> int:
    """Messages from the other side (the Carif-Oref for an OF user, the OF for a moderator) not read yet."""
    after = messages.read_up_to(identity.user_id, siret)
    return sum(1 for i in items if i["created_at"] > after and bool(i["from_carif"]) != identity.is_moderator)


def post(identity: Identity, siret: str, message: MessageIn) -> Message:
    record = structure_for(identity, siret)
    item = messages.post(
        siret,
        {
            "id": uuid.uuid4().hex,
            "structure_name": record["name"],
            "author_id": identity.user_id,
            "author_name": _author(identity),
            "from_carif": identity.is_moderator,
            "body": message.body,
            "created_at": _now(),
        },
    )
    if identity.is_moderator:  # the OF hears of the answer by e-mail
        for profile in users.profiles(users.of_structure(siret)):
            mail.enqueue(mails.new_message(profile["email"], record["name"], f"/messagerie?siret={siret}"))
    return Message.model_validate(item)


def latest(limit: int = 50) -> list[Message]:
    return [Message.model_validate(item) for item in messages.latest(limit)]


def memos(identity: Identity) -> list[Memo]:
    return [Memo.model_validate(item) for item in messages.memos(identity.user_id)]


def add_memo(identity: Identity, memo: MemoIn) -> Memo:
    item = messages.add_memo(
        identity.user_id, {"id": uuid.uuid4().hex, **memo.model_dump(mode="json"), "created_at": _now()}
    )
    return Memo.model_validate(item)


def delete_memo(identity: Identity, memo_id: str) -> None:
    messages.delete_memo(identity.user_id, memo_id)


def dashboard(identity: Identity, siret: str) -> Dashboard:
    record = structure_for(identity, siret)
    total, counts = search.blocks(siret)
    thread_items = messages.thread(siret)
    contacts = []
    if principal := principal_contact(record):
        name = f"{principal.first_name} {principal.last_name}"
        contacts.append(DashboardContact(name=name, email=principal.email, role="Contact principal"))
    for profile in users.profiles(users.of_structure(siret)):
        contacts.append(
            DashboardContact(
                name=f"{profile['first_name']} {profile['last_name']}", email=profile["email"], role="Droits de saisie"
            )
        )
    return Dashboard(
        siret=siret,
        name=record["name"],
        formations=total,
        blocks=counts,
        messages=len(thread_items),
        unread_messages=unread(identity, siret, thread_items),
        memos=len(messages.memos(identity.user_id)),
        contacts=contacts,
        structure_submission=workflow.draft_info(workflow.current(STRUCTURE, siret)).state,
    )
