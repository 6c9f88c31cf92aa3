"""Issue 10, item 2: *Rechercher une adresse* (`GET /addresses`), through the handlers on the emulated AWS.

The local implementation (the layer's fixture, what `make run` and the tests use) is searched as a page
would; the BAN implementation is called against a fake BAN this test starts on 127.0.0.1 (no other
network): its GeoJSON read, its silence or its errors turned into the French 503."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

SEARCH = "/addresses"
UNAVAILABLE = "Le service de recherche d'adresse ne répond pas : saisissez l'adresse à la main."


def search(api, headers, **query) -> list[dict[str, Any]]:
    response = api.get(SEARCH, query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def labels(hits: list[dict[str, Any]]) -> list[str]:
    return [hit["label"] for hit in hits]


def refused_fields(response) -> set[str]:
    assert response.status_code == 422, response.get_json()
    return {field["field"] for field in response.get_json()["error"]["fields"]}


# ---------------------------------------------------------------------- the local implementation
def test_an_address_is_completed_and_geolocated(seeded_api, of):
    (hit,) = search(seeded_api, of, q="12 rue de la Paix Caen")
    assert hit == {
        "label": "12 Rue de la Paix 14000 Caen",
        "line1": "12 Rue de la Paix",
        "postal_code": "14000",
        "city": "Caen",
        "insee_code": "14118",
        "latitude": pytest.approx(49.18, abs=0.02),
        "longitude": pytest.approx(-0.37, abs=0.02),
        "score": hit["score"],
        "department": "14",
        "in_region": True,
        "message": None,
    }
    assert 0 < hit["score"] <= 1


def test_words_match_with_or_without_accents_and_case(seeded_api, of):
    plain = search(seeded_api, of, q="evreux josephine")
    assert labels(plain) == ["21 Rue Joséphine 27000 Évreux"]
    assert search(seeded_api, of, q="ÉVREUX Joséphine") == plain
    assert labels(search(seeded_api, of, q="Josephine, rue Evreux")) == labels(plain)  # punctuation, any order
    assert labels(search(seeded_api, of, q="45 bd de Strasbourg")) == ["45 Boulevard de Strasbourg 76600 Le Havre"]
    assert search(seeded_api, of, q="rue inconnue du tout") == []


def test_the_postal_code_narrows_the_search(seeded_api, of):
    everywhere = labels(search(seeded_api, of, q="rue de la paix"))
    assert "12 Rue de la Paix 14000 Caen" in everywhere and "1 Rue de la Paix 75002 Paris" in everywhere
    assert labels(search(seeded_api, of, q="rue de la paix", postal_code="14000")) == ["12 Rue de la Paix 14000 Caen"]
    assert search(seeded_api, of, q="rue de la paix", postal_code="61000") == []
    cherbourg = search(seeded_api, of, q="cherbourg", postal_code="50130", limit=20)
    assert cherbourg and {hit["postal_code"] for hit in cherbourg} == {"50130"}


def test_a_place_outside_the_region_says_so(seeded_api, of):
    hits = {hit["city"]: hit for hit in search(seeded_api, of, q="rue de la paix")}
    assert hits["Caen"]["in_region"] is True and hits["Caen"]["message"] is None
    paris = hits["Paris"]
    assert (paris["department"], paris["in_region"], paris["insee_code"]) == ("75", False, "75102")
    assert "Carif-Oref de sa région" in paris["message"]
    (rennes,) = search(seeded_api, of, q="15 rue de saint-malo rennes")
    assert (rennes["department"], rennes["in_region"]) == ("35", False)


def test_the_region_is_a_setting(seeded_api, of, monkeypatch):
    from ofeli.settings import settings

    monkeypatch.setenv("OFELI_REGION_DEPARTMENTS", "35,22,29,56")  # Bretagne
    settings.cache_clear()
    try:
        (rennes,) = search(seeded_api, of, q="15 rue de saint-malo rennes")
        (caen,) = search(seeded_api, of, q="12 rue de la Paix Caen")
        assert rennes["in_region"] is True and caen["in_region"] is False
    finally:
        monkeypatch.undo()
        settings.cache_clear()


def test_limit_and_order(seeded_api, of):
    five = search(seeded_api, of, q="caen")
    assert len(five) == 5  # 5 by default
    assert five[0]["label"] == "14000 Caen" and five[0]["line1"] is None  # the town itself first, as the BAN does
    scores = [hit["score"] for hit in five]
    assert scores == sorted(scores, reverse=True)
    assert len(search(seeded_api, of, q="caen", limit=2)) == 2
    assert len(search(seeded_api, of, q="caen", limit=20)) > 5


def test_the_demo_structures_addresses_are_in_the_fixture(seeded_api, of):
    from ofeli_local import seed

    for structure in (seed.HEAD_OFFICE, seed.BRANCH, seed.OTHER_OF):
        address = structure.address
        assert address is not None
        found = search(seeded_api, of, q=f"{address.line1} {address.city}", postal_code=address.postal_code)
        assert [hit["line1"].lower() for hit in found] == [address.line1.lower()], structure.name
        assert found[0]["city"] == address.city and found[0]["in_region"]


REFUSED = [
    ({"q": "ab"}, "q"),  # too short
    ({"q": "  a-b  "}, "q"),  # fewer than 3 letters or digits
    ({"q": "!!!!"}, "q"),
    ({"q": "x" * 201}, "q"),
    ({}, "q"),
    ({"q": "rue de la paix", "postal_code": "1400"}, "postal_code"),
    ({"q": "rue de la paix", "postal_code": "CAEN0"}, "postal_code"),
    ({"q": "rue de la paix", "limit": "0"}, "limit"),
    ({"q": "rue de la paix", "limit": "21"}, "limit"),
]


def test_a_query_too_short_or_too_long_and_bad_filters_are_refused(seeded_api, of):
    for query, field in REFUSED:
        assert refused_fields(seeded_api.get(SEARCH, query_string=query, headers=of)) == {field}, query
    response = seeded_api.get(SEARCH, query_string={"q": "!!!!"}, headers=of)
    assert response.get_json()["error"]["fields"][0]["message"] == (
        "Saisissez au moins 3 lettres ou chiffres de l'adresse."
    )


def test_a_signed_in_user_only(seeded_api, moderator):
    assert seeded_api.get(SEARCH, query_string={"q": "rue de la paix"}).status_code == 401
    assert labels(search(seeded_api, moderator, q="3 quai caligny")) == ["3 Quai Caligny 50100 Cherbourg-en-Cotentin"]


# ---------------------------------------------------------------------- the BAN implementation, on a fake BAN
def feature(properties: dict[str, Any], lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


BAN_ANSWER = {
    "type": "FeatureCollection",
    "version": "draft",
    "features": [
        feature(
            {
                "label": "8 Boulevard du Port 14000 Caen",
                "score": 0.9713,
                "housenumber": "8",
                "id": "14118_1234_00008",
                "type": "housenumber",
                "name": "8 Boulevard du Port",
                "postcode": "14000",
                "citycode": "14118",
                "x": 454000.1,
                "y": 6904000.2,
                "city": "Caen",
                "context": "14, Calvados, Normandie",
                "importance": 0.7,
                "street": "Boulevard du Port",
            },
            -0.359,
            49.181,
        ),
        feature(
            {
                "label": "Boulevard du Port 80000 Amiens",
                "score": 0.61,
                "type": "street",
                "name": "Boulevard du Port",
                "postcode": "80000",
                "citycode": "80021",
                "city": "Amiens",
                "street": "Boulevard du Port",
            },
            2.290084,
            49.897443,
        ),
        feature(
            {
                "label": "Port-en-Bessin-Huppain",
                "score": 0.4,
                "type": "municipality",
                "name": "Port-en-Bessin-Huppain",
                "postcode": "14520",
                "citycode": "14515",
                "city": "Port-en-Bessin-Huppain",
            },
            -0.7553,
            49.3447,
        ),
        # no INSEE code: left out, not a half-filled address
        feature({"label": "Port 00000 Nulle part", "score": 0.3, "type": "street", "postcode": "00000"}, 0, 0),
    ],
    "attribution": "BAN",
    "licence": "ETALAB-2.0",
    "query": "8 bd du port",
    "limit": 5,
}


class FakeBan:
    """A BAN on 127.0.0.1: answers `answer` (JSON) with `status`, after `delay` seconds; keeps each request."""

    def __init__(self) -> None:
        self.answer: Any = BAN_ANSWER
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict[str, list[str]]] = []
        self.paths: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                fake.paths.append(url.path)
                fake.requests.append(urllib.parse.parse_qs(url.query))
                time.sleep(fake.delay)
                body = fake.answer if isinstance(fake.answer, bytes) else json.dumps(fake.answer).encode()
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout case)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/search/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeBan:
        self.thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ban(seeded_api, monkeypatch) -> Iterator[FakeBan]:
    """The `ban` implementation chosen (as in AWS), pointed at the fake BAN, a short timeout."""
    from ofeli.settings import settings

    with FakeBan() as fake:
        monkeypatch.setenv("OFELI_ADDRESS_SEARCH", "ban")
        monkeypatch.setenv("OFELI_BAN_URL", fake.url)
        monkeypatch.setenv("OFELI_BAN_TIMEOUT", "0.5")
        settings.cache_clear()
        try:
            yield fake
        finally:
            monkeypatch.undo()
            settings.cache_clear()


def test_the_bans_geojson_becomes_hits(seeded_api, of, ban):
    hits = search(seeded_api, of, q="8 bd du Port", postal_code="14000", limit=3)
    assert ban.paths == ["/search/"]
    assert ban.requests == [{"q": ["8 bd du Port"], "limit": ["3"], "postcode": ["14000"]}]
    caen, amiens, port = hits  # the fourth, without INSEE code, is left out (and the limit kept)
    assert caen == {
        "label": "8 Boulevard du Port 14000 Caen",
        "line1": "8 Boulevard du Port",
        "postal_code": "14000",
        "city": "Caen",
        "insee_code": "14118",
        "latitude": 49.181,  # GeoJSON gives [longitude, latitude]
        "longitude": -0.359,
        "score": 0.9713,
        "department": "14",
        "in_region": True,
        "message": None,
    }
    assert (amiens["line1"], amiens["department"], amiens["in_region"]) == ("Boulevard du Port", "80", False)
    assert amiens["message"] and (amiens["latitude"], amiens["longitude"]) == (49.897443, 2.290084)
    assert (port["line1"], port["city"], port["insee_code"], port["in_region"]) == (
        None,
        "Port-en-Bessin-Huppain",
        "14515",
        True,
    )


def test_the_query_is_sent_trimmed_and_an_empty_answer_is_no_hit(seeded_api, of, ban):
    ban.answer = {"type": "FeatureCollection", "features": []}
    assert search(seeded_api, of, q="  rue   du   Gros-Horloge ") == []
    assert ban.requests == [{"q": ["rue du Gros-Horloge"], "limit": ["5"]}]


def unavailable(api, headers) -> None:
    response = api.get(SEARCH, query_string={"q": "8 bd du port"}, headers=headers)
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.get_json() == {"error": {"code": "service_unavailable", "message": UNAVAILABLE, "fields": []}}


def test_a_ban_that_does_not_answer_in_time_is_a_french_503(seeded_api, of, ban):
    ban.delay = 2.0
    started = time.monotonic()
    unavailable(seeded_api, of)
    assert time.monotonic() - started < 1.8  # the timeout (0.5 s here, 3 s in AWS), not the BAN's pace


NOT_GEOJSON = {
    "features": [
        {"geometry": {"coordinates": ["a", "b"]}, "properties": {"postcode": "14000", "city": "Caen", "citycode": "1"}}
    ]
}
BROKEN = [
    (500, {"message": "Internal Server Error"}),
    (502, b"<html>Bad Gateway</html>"),
    (429, {"message": "Too many requests"}),
    (200, b"<html>pas du JSON</html>"),
    (200, {"type": "FeatureCollection"}),  # no features
    (200, NOT_GEOJSON),
]


def test_a_ban_in_error_is_a_french_503(seeded_api, of, ban):
    for status, answer in BROKEN:
        ban.status, ban.answer = status, answer
        unavailable(seeded_api, of)
    assert len(ban.requests) == len(BROKEN)


def test_an_unreachable_ban_is_a_french_503(seeded_api, of, ban, monkeypatch):
    import socket

    from ofeli.settings import settings

    with socket.socket() as probe:  # a port nothing listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("OFELI_BAN_URL", f"http://127.0.0.1:{port}/search/")
    settings.cache_clear()
    unavailable(seeded_api, of)
    assert ban.requests == []


def test_the_local_stack_uses_the_fixture(aws, template):
    """The template's default is the BAN (AWS); the local stack and the test fixtures choose the fixture."""
    import os

    assert template.body["Parameters"]["AddressSearch"]["Default"] == "ban"
    assert os.environ["OFELI_ADDRESS_SEARCH"] == "local"
