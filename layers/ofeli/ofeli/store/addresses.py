"""*Rechercher une adresse*: the national address base (BAN), behind one small interface.

Outside data is read here, with the store, like DynamoDB or S3 (DESIGN.md: `store/` is the code that
talks to what lies outside the process; `domain/` stays pure and `services/` combine). Two
implementations, chosen by the setting `address_search` (`OFELI_ADDRESS_SEARCH`):

- `ban`, in AWS: the BAN's public geocoding API (`ban_url`, https://api-adresse.data.gouv.fr/search/ by
  default), standard library only, a short timeout (`ban_timeout`, 3 s). The function needs outbound
  internet: Lambda outside a VPC has it (OFeli uses no VPC). Whatever goes wrong (no answer in time, a
  refused connection, an HTTP error, a body that is not the expected GeoJSON) is a 503 with a French
  message: the page then offers the manual entry.
- `local`, for `make run` and the tests: the addresses of `ofeli/data/adresses-normandie.json`
  (Normandie's main towns, the demo structures' addresses, and a few outside the region), searched word
  by word in memory. No network.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
import urllib.request
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from ofeli import observability
from ofeli.domain.addresses import UNAVAILABLE, AddressHit, KnownAddress, from_ban, local_search
from ofeli.domain.errors import ServiceUnavailable
from ofeli.settings import settings

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "adresses-normandie.json"
MAX_BODY = 2 * 1024 * 1024  # a BAN answer of 20 hits is about 10 KB


class AddressSearch(Protocol):
    def search(self, query: str, *, postal_code: str | None = None, limit: int = 5) -> list[AddressHit]:
        """The best `limit` addresses for `query` (words of the address), in `postal_code` when given."""
        ...


class BanAddressSearch:
    """The BAN's API: `GET <url>?q=...&limit=...&postcode=...`, a GeoJSON FeatureCollection."""

    def __init__(self, url: str, *, timeout: float, departments: list[str]) -> None:
        self.url = url
        self.timeout = timeout
        self.departments = departments

    def search(self, query: str, *, postal_code: str | None = None, limit: int = 5) -> list[AddressHit]:
        parameters = {"q": query, "limit": str(limit)}
        if postal_code:
            parameters["postcode"] = postal_code
        separator = "&" if "?" in self.url else "?"
        url = self.url + separator + urllib.parse.urlencode(parameters)
        try:
            if not url.startswith(("https://", "http://")):  # a setting, never the caller's input: http(s) only
                raise ValueError(f"the BAN's URL must be http(s): {self.url}")
            request = urllib.request.Request(  # noqa: S310 (scheme checked above)
                url, headers={"Accept": "application/json", "User-Agent": "OFeli (Carif-Oref)"}
            )
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(MAX_BODY + 1)
            if len(body) > MAX_BODY:
                raise ValueError("the BAN's answer is too large")
            return from_ban(json.loads(body), self.departments)[:limit]
        except (OSError, http.client.HTTPException) as error:  # no answer in time, refused, HTTP error (URLError)
            observability.logger().warning("address search: the BAN did not answer", extra={"error": str(error)})
            observability.count("AddressSearchUnavailable")
            raise ServiceUnavailable(UNAVAILABLE) from error
        except (ValueError, KeyError, TypeError, AttributeError) as error:  # not the GeoJSON expected
            observability.logger().warning("address search: unexpected BAN answer", extra={"error": str(error)})
            observability.count("AddressSearchUnavailable")
            raise ServiceUnavailable(UNAVAILABLE) from error


class LocalAddressSearch:
    """The fixture's addresses, searched in memory (the local stack and the tests)."""

    def __init__(self, known: list[KnownAddress], *, departments: list[str]) -> None:
        self.known = known
        self.departments = departments

    def search(self, query: str, *, postal_code: str | None = None, limit: int = 5) -> list[AddressHit]:
        return local_search(self.known, query, postal_code=postal_code, limit=limit, departments=self.departments)


@lru_cache(maxsize=1)
def known_addresses() -> list[KnownAddress]:
    """The fixture, read once per container."""
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return [KnownAddress.model_validate(entry) for entry in document["addresses"]]


def address_search() -> AddressSearch:
    """The implementation the settings choose (read at each call: cheap, and tests may change them)."""
    current = settings()
    if current.address_search == "ban":
        return BanAddressSearch(current.ban_url, timeout=current.ban_timeout, departments=current.departments())
    return LocalAddressSearch(known_addresses(), departments=current.departments())
