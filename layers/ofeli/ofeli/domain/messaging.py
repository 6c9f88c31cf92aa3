"""Messages between a structure and the Carif-Oref, and personal memos."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, field_validator

from ofeli.domain.model import Model
from ofeli.domain.search import BlockCounts


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("Le texte ne peut pas être vide.")
    return value


class MessageIn(Model):
    body: str = Field(min_length=1, max_length=5000)

    _body = field_validator("body")(_text)


class Message(Model):
    id: str
    siret: str
    structure_name: str | None = None
    author_id: str | None = None
    author_name: str
    from_carif: bool = Field(description="Écrit par le Carif-Oref (sinon par l'organisme)")
    body: str
    created_at: datetime


class MemoIn(Model):
    text: str = Field(min_length=1, max_length=1000)
    due_date: date | None = Field(default=None, description="Échéance, facultative")

    _text = field_validator("text")(_text)


class Memo(Model):
    id: str
    text: str
    due_date: date | None = None
    created_at: datetime


class DashboardContact(Model):
    name: str
    email: str | None = None
    role: str


class Dashboard(Model):
    siret: str
    name: str
    formations: int
    blocks: BlockCounts
    messages: int = Field(description="Messages échangés entre la structure et le Carif-Oref")
    unread_messages: int = Field(description="Messages de l'autre partie pas encore lus par cet utilisateur")
    memos: int
    contacts: list[DashboardContact]
    structure_submission: str
