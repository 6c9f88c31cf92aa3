"""Structure records."""

from __future__ import annotations

from ofeli.domain.errors import violation
from ofeli.domain.structures import Structure
from ofeli.store import structures
from ofeli.store.table import Item


def register(structure: Structure) -> Item:
    """A new establishment, as the national databases describe it (set by moderators or the seed)."""
    if structure.parent_siret and structures.get(structure.parent_siret) is None:
        raise violation("parent_siret", "La structure parente (siège) n'existe pas.")
    return structures.create(structure)
