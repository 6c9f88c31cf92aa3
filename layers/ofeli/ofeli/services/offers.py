"""Formations and sessions."""

from __future__ import annotations

from ofeli.domain.errors import Forbidden, NotFound
from ofeli.domain.identity import Identity
from ofeli.domain.offers import FormationInput, FormationView
from ofeli.services.access import structure_for
from ofeli.store import offers, structures, users
from ofeli.store.table import Item

NOT_YOURS = "Cette formation n'est pas celle d'une de vos structures (ni comme responsable, ni comme formateur)."


def create_formation(identity: Identity, siret: str, formation: FormationInput) -> Item:
    structure_for(identity, siret)
    return offers.create_formation(siret, formation, author=identity.user_id)


def formation(identity: Identity, ref: str) -> FormationView:
    """For moderators, and for users with rights on the responsible structure or on a trainer."""
    record = offers.get_formation(ref)
    if record is None:
        raise NotFound("Cette formation n'existe pas.")
    if not identity.is_moderator and not any(
        users.has_right(identity.user_id, siret) for siret in (record["siret"], *record["trainers"])
    ):
        raise Forbidden(NOT_YOURS)
    responsible = structures.get(record["siret"])
    return FormationView.model_validate(
        {
            **{k: record.get(k) for k in ("ref", "title", "objective", "content", "siret")},
            "responsible_name": responsible["name"] if responsible else record["siret"],
            "sessions": record["sessions"],
        }
    )
