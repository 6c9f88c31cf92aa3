"""Formations and sessions."""

from __future__ import annotations

from ofeli.domain.identity import Identity
from ofeli.domain.offers import FormationInput
from ofeli.services.access import structure_for
from ofeli.store import offers
from ofeli.store.table import Item


def create_formation(identity: Identity, siret: str, formation: FormationInput) -> Item:
    structure_for(identity, siret)
    return offers.create_formation(siret, formation, author=identity.user_id)
