"""Who may act on what."""

from __future__ import annotations

from ofeli.domain.errors import Forbidden, NotFound
from ofeli.domain.identity import Identity
from ofeli.store import structures, users
from ofeli.store.table import Item


def structure_for(identity: Identity, siret: str) -> Item:
    """The structure record, if the caller is a moderator or holds a right on it.

    Rights are checked first, so an OF user learns nothing of structures that are not theirs, not even
    whether a SIRET exists.
    """
    if not identity.is_moderator and not users.has_right(identity.user_id, siret):
        raise Forbidden("Vous n'avez pas de droits sur cette structure.")
    record = structures.get(siret)
    if record is None:
        raise NotFound("Cette structure n'existe pas.")
    return record


def structure_to_edit(identity: Identity, siret: str) -> Item:
    """The structure record, for the OF users who hold a right on it: they alone open, save and submit
    its drafts; moderators decide on them, so they do not write them too."""
    if identity.is_moderator:
        raise Forbidden(
            "Les modérateurs ne modifient pas la fiche d'un organisme à sa place : ils valident ou refusent "
            "ses demandes, et corrigent les données de référence depuis la modération."
        )
    return structure_for(identity, siret)
