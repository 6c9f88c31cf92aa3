"""*Rechercher une adresse*: what an address search answers, and the pure rules of both implementations.

A place of training, a registration place or an RDVI/ICO address is completed from the national
address base (BAN): the page shows the hits, the person picks one, and its fields (first line, postal
code, city, INSEE code, coordinates) fill the form. `in_region` says whether the place is in the
platform's region (the guide: a training elsewhere is referenced with the Carif-Oref of its region).

The implementations (the BAN's API in AWS, a fixture for the local stack) are in `ofeli.store.addresses`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from ofeli.domain.directory import department_of, fold
from ofeli.domain.errors import violation
from ofeli.domain.model import Model

MIN_QUERY, MAX_QUERY = 3, 200
MAX_LIMIT = 20
TOO_SHORT = f"Saisissez au moins {MIN_QUERY} lettres ou chiffres de l'adresse."
UNAVAILABLE = "Le service de recherche d'adresse ne répond pas : saisissez l'adresse à la main."
# The guide (*Lieu de formation*): a training held outside the region is referenced with that region's Carif-Oref.
INTERCARIFOREF = "https://reseau.intercariforef.org/lassociation-intercariforef"
OUTSIDE_REGION = (
    "Ce lieu est hors de la région : si la formation s'y déroule, vous devez la référencer auprès du "
    f"Carif-Oref de sa région ({INTERCARIFOREF})."
)


class AddressHit(Model):
    """One address found, ready to fill a place's fields."""

    label: str = Field(description="L'adresse complète, telle que la liste la montre")
    line1: str | None = Field(
        default=None, description="Numéro et voie (ou lieu-dit) ; absent quand le résultat est une commune"
    )
    postal_code: str
    city: str
    insee_code: str = Field(description="Code commune INSEE")
    latitude: float
    longitude: float
    score: float = Field(ge=0, le=1, description="Pertinence, de 0 à 1")
    department: str | None = Field(
        default=None, description="Département, déduit du code INSEE (à défaut, du code postal)"
    )
    in_region: bool = Field(description="Le lieu est dans la région de la plateforme")
    message: str | None = Field(default=None, description="Ce que la page dit d'un lieu hors de la région")


def words_of(query: str) -> list[str]:
    """The query's words, folded (case, accents and punctuation ignored)."""
    return fold(query).split()


def checked_query(query: str) -> str:
    """The query as sent, trimmed; 422 when it holds fewer than 3 letters or digits (the BAN refuses it)."""
    query = " ".join(query.split())
    if len("".join(words_of(query))) < MIN_QUERY:
        raise violation("q", TOO_SHORT)
    return query


def department_of_commune(insee_code: str | None, postal_code: str | None) -> str | None:
    """The commune's department from its INSEE code (2A004 → 2A, 97411 → 974), as the session rules
    read it; else from the postal code (a postal code may cross a department's border, an INSEE code not)."""
    insee = (insee_code or "").upper()
    if len(insee) == 5 and insee.isalnum() and insee != "00000":
        return insee[:3] if insee.startswith(("97", "98")) else insee[:2]
    return department_of(postal_code)


def hit(
    *,
    label: str,
    line1: str | None,
    postal_code: str,
    city: str,
    insee_code: str,
    latitude: float,
    longitude: float,
    score: float,
    departments: list[str],
) -> AddressHit:
    department = department_of_commune(insee_code, postal_code)
    in_region = department in departments
    return AddressHit(
        label=label,
        line1=line1 or None,
        postal_code=postal_code,
        city=city,
        insee_code=insee_code,
        latitude=latitude,
        longitude=longitude,
        score=min(max(score, 0.0), 1.0),
        department=department,
        in_region=in_region,
        message=None if in_region else OUTSIDE_REGION,
    )


# ---------------------------------------------------------------------- the BAN's answer
def from_ban(collection: Mapping[str, Any], departments: list[str]) -> list[AddressHit]:
    """The hits of a BAN GeoJSON FeatureCollection (api-adresse.data.gouv.fr, or the Géoplateforme's
    geocoder, which answers the same). A feature without postal code, city, INSEE code or point is left
    out; anything else malformed raises (ValueError, KeyError, TypeError) for the caller to map."""
    hits = []
    for feature in collection["features"]:
        properties = feature.get("properties") or {}
        longitude, latitude = (feature.get("geometry") or {}).get("coordinates") or (None, None)
        postal_code, city, insee = properties.get("postcode"), properties.get("city"), properties.get("citycode")
        if not (postal_code and city and insee) or latitude is None or longitude is None:
            continue
        kind = properties.get("type")
        if kind == "municipality":
            line1 = None
        elif properties.get("housenumber") and properties.get("street"):
            line1 = f"{properties['housenumber']} {properties['street']}"
        else:
            line1 = properties.get("name") or properties.get("street")
        hits.append(
            hit(
                label=str(properties.get("label") or f"{line1 or ''} {postal_code} {city}".strip()),
                line1=line1,
                postal_code=str(postal_code),
                city=str(city),
                insee_code=str(insee),
                latitude=float(latitude),
                longitude=float(longitude),
                score=float(properties.get("score") or 0),
                departments=departments,
            )
        )
    return hits


# ---------------------------------------------------------------------- the local fixture
class KnownAddress(Model):
    """One address of the local fixture (`ofeli/data/adresses-normandie.json`), as the BAN names its fields."""

    housenumber: str | None = None
    street: str | None = None
    postcode: str = Field(pattern=r"^[0-9]{5}$")
    city: str
    citycode: str
    lat: float
    lon: float

    @property
    def line1(self) -> str | None:
        if self.street is None:
            return None
        return f"{self.housenumber} {self.street}" if self.housenumber else self.street

    @property
    def label(self) -> str:
        return f"{self.line1 or ''} {self.postcode} {self.city}".strip()


# What people abbreviate in an address (the BAN knows them too): "45 bd de Strasbourg".
ABBREVIATIONS = {
    "av": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "bvd": "boulevard",
    "ch": "chemin",
    "fg": "faubourg",
    "gal": "general",
    "imp": "impasse",
    "pl": "place",
    "rte": "route",
    "sq": "square",
    "st": "saint",
    "ste": "sainte",
}


def _begins_a_word(part: str, words: list[str]) -> bool:
    spelled = ABBREVIATIONS.get(part)
    return any(w.startswith(part) or (spelled is not None and w == spelled) for w in words)


def local_search(
    known: list[KnownAddress], query: str, *, postal_code: str | None, limit: int, departments: list[str]
) -> list[AddressHit]:
    """Every word of the query begins a word of the address (number, street, postal code, city; case,
    accents and the usual abbreviations ignored); the score is the share of the address's letters the
    query covers, best first."""
    wanted = words_of(query)
    found: list[tuple[float, str, KnownAddress]] = []
    for address in known:
        if postal_code and address.postcode != postal_code:
            continue
        words = fold(address.label).split()
        if not all(_begins_a_word(part, words) for part in wanted):
            continue
        covered = sum(len(ABBREVIATIONS.get(part, part)) for part in wanted) / max(1, sum(len(w) for w in words))
        found.append((min(1.0, covered), address.label, address))
    found.sort(key=lambda entry: (-entry[0], fold(entry[1])))
    return [
        hit(
            label=address.label,
            line1=address.line1,
            postal_code=address.postcode,
            city=address.city,
            insee_code=address.citycode,
            latitude=address.lat,
            longitude=address.lon,
            score=round(score, 4),
            departments=departments,
        )
        for score, _, address in found[:limit]
    ]
