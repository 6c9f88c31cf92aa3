"""*Rechercher une adresse* (the session form's places, registration places, RDVI/ICO addresses): the
query checked, then handed to the implementation the settings choose (`ofeli.store.addresses`)."""

from __future__ import annotations

from ofeli.domain.addresses import AddressHit, checked_query
from ofeli.store import addresses


def search(query: str, *, postal_code: str | None = None, limit: int = 5) -> list[AddressHit]:
    """The best `limit` addresses for `query`; 422 when it holds fewer than 3 letters or digits, 503 when
    the national address base does not answer (the page then offers the manual entry)."""
    return addresses.address_search().search(checked_query(query), postal_code=postal_code, limit=limit)
