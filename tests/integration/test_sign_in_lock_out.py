"""Issue 7: a sign-in lock-out that holds under parallel attempts, lifted by a password set with a key,
and the per-address throttle of the public routes. Windows are crossed by moving `ofeli.clock`."""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import UTC, datetime

import pytest

from ofeli import clock
from ofeli.settings import settings

OF = ("contact@of-demo.test", "Organisme-2026!")
MODERATOR = ("moderation@carif-oref.test", "Moderation-2026!")
WRONG = "Mauvais-1!"
LOCKED = "Trop de tentatives de connexion ont échoué pour cette adresse e-mail."
THROTTLED = "Trop de demandes ont été envoyées depuis votre connexion en peu de temps."
TEN = datetime(2026, 3, 2, 10, 0, 0, tzinfo=UTC)  # a window starts: 10:00-10:15, then 10:15-10:30


def at(minute: int, second: int = 0) -> datetime:
    return TEN.replace(minute=minute, second=second)


def sign_in(api, email, password, address="127.0.0.1"):
    return api.post("/auth/login", json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def in_parallel(api, calls):
    """Run every call at once (one client each, released together); their status codes."""
    statuses: list[int] = []
    barrier = threading.Barrier(len(calls))

    def run(call):
        client = type(api)(api.application)
        barrier.wait()
        statuses.append(call(client).status_code)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.parametrize("email", [OF[0], "personne@nulle-part.test"], ids=["account", "no account"])
def test_five_wrong_passwords_lock_the_email_until_the_window_ends(seeded_api, email, counted):
    clock.set(at(0))
    for _ in range(5):
        assert sign_in(seeded_api, email, WRONG).status_code == 401
    assert counted.count("SignInLocked") == 1
    locked = sign_in(seeded_api, email, OF[1])
    assert locked.status_code == 429
    assert locked.get_json()["error"]["message"] == (
        f"{LOCKED} Par sécurité, réessayez dans 15 minutes, ou réinitialisez votre mot de passe."
    )
    assert sign_in(seeded_api, *MODERATOR).status_code == 200  # another e-mail is not affected
    clock.set(at(14, 59))
    last_second = sign_in(seeded_api, email, OF[1])
    assert last_second.status_code == 429 and "réessayez dans 1 seconde," in last_second.get_json()["error"]["message"]
    assert counted.count("SignInLocked") == 1  # one lock, however many refusals
    clock.set(at(15))
    assert sign_in(seeded_api, email, OF[1]).status_code == (200 if email == OF[0] else 401)


def test_windows_are_counted_apart_and_signing_in_often_locks_no_one(seeded_api):
    clock.set(at(14, 30))
    for _ in range(4):
        assert sign_in(seeded_api, OF[0], WRONG).status_code == 401
    for _ in range(8):  # successes give their attempt back
        assert sign_in(seeded_api, *OF).status_code == 200
    clock.set(at(15))
    for _ in range(4):
        assert sign_in(seeded_api, OF[0], WRONG).status_code == 401
    assert sign_in(seeded_api, *OF).status_code == 200
    assert sign_in(seeded_api, OF[0], WRONG).status_code == 401  # the fifth of this window
    assert sign_in(seeded_api, *OF).status_code == 429


def test_100_parallel_wrong_passwords_let_5_reach_cognito(seeded_api, counted):
    clock.set(at(1))
    statuses = in_parallel(
        seeded_api, [lambda c: c.post("/auth/login", json={"email": OF[0], "password": WRONG})] * 100
    )
    assert Counter(statuses) == {401: 5, 429: 95}
    assert counted.count("SignInLocked") == 1
    assert sign_in(seeded_api, *OF).status_code == 429


def test_a_right_password_among_30_wrong_ones_does_not_reopen_the_door(seeded_api):
    clock.set(at(1))
    attempts = [lambda c: c.post("/auth/login", json={"email": OF[0], "password": WRONG})] * 30
    attempts.insert(15, lambda c: c.post("/auth/login", json={"email": OF[0], "password": OF[1]}))
    statuses = Counter(in_parallel(seeded_api, attempts))
    assert statuses[401] <= 5 and statuses[200] <= 1 and sum(statuses.values()) == 31
    # The success gave back its own attempt and nothing else: 5 wrong passwords in all, then locked.
    wrong = statuses[401]
    while (status := sign_in(seeded_api, OF[0], WRONG).status_code) == 401:
        wrong += 1
    assert status == 429 and wrong == 5
    assert sign_in(seeded_api, *OF).status_code == 429


def test_a_password_set_with_a_key_lifts_the_lock(seeded_api, mailbox, counted):
    clock.set(at(2))
    for _ in range(5):
        sign_in(seeded_api, OF[0], WRONG)
    assert sign_in(seeded_api, *OF).status_code == 429
    # *Réinitialiser mon mot de passe*: the owner gets back in at once, in the same window
    assert seeded_api.post("/auth/password-reset", json={"email": OF[0]}).status_code == 202
    (mail,) = [m for m in mailbox.sent(OF[0]) if m["subject"] == "Réinitialisation de votre mot de passe OFeli"]
    key = re.search(r"/activation\?key=([A-Za-z0-9_\-]+)", mail["body"]).group(1)
    assert seeded_api.post("/activation", json={"key": key, "password": "Nouveau-2026!"}).status_code == 204
    assert "ActivationKeyUsed" in counted
    assert sign_in(seeded_api, OF[0], "Nouveau-2026!").status_code == 200
    # and the window starts again: the stranger gets 5 more tries, not more
    for _ in range(5):
        assert sign_in(seeded_api, OF[0], WRONG).status_code == 401
    assert sign_in(seeded_api, OF[0], "Nouveau-2026!").status_code == 429


# ---------------------------------------------------------------------- per-address throttle
@pytest.fixture
def low_limit(monkeypatch):
    monkeypatch.setenv("OFELI_PUBLIC_RATE_LIMIT", "3")
    settings.cache_clear()
    yield 3
    monkeypatch.undo()
    settings.cache_clear()


def _account_request(email: str) -> dict:
    return {
        "siret": "55210055400013",
        "nda": "25140000123",
        "contact": {"last_name": "Martin", "first_name": "Léa", "phone": "0231000000", "email": email},
        "accept_privacy_policy": True,
    }


ROUTES = {
    "sign-in": lambda api, n, address: api.post(
        "/auth/login", json={"email": OF[0], "password": OF[1]}, environ_base={"REMOTE_ADDR": address}
    ),
    "reset": lambda api, n, address: api.post(
        "/auth/password-reset", json={"email": f"x{n}@nulle-part.test"}, environ_base={"REMOTE_ADDR": address}
    ),
    "account request": lambda api, n, address: api.post(
        "/account-requests", json=_account_request(f"x{n}@nouvel-of.test"), environ_base={"REMOTE_ADDR": address}
    ),
}


@pytest.mark.parametrize("route", list(ROUTES))
def test_public_routes_are_throttled_per_caller_address(seeded_api, low_limit, route):
    call = ROUTES[route]
    clock.set(at(3))
    assert {call(seeded_api, n, "203.0.113.7").status_code for n in range(low_limit)} <= {200, 202}
    clock.set(at(3))  # the start of the same window again, however long the calls took on a loaded machine
    refused = call(seeded_api, 10, "203.0.113.7")
    assert refused.status_code == 429
    assert refused.get_json()["error"]["message"] == f"{THROTTLED} Par sécurité, réessayez dans 1 minute."
    assert call(seeded_api, 11, "198.51.100.4").status_code in {200, 202}  # another caller is not affected
    other_route = "reset" if route != "reset" else "sign-in"
    assert ROUTES[other_route](seeded_api, 12, "203.0.113.7").status_code in {200, 202}  # nor another route
    clock.set(at(4))  # the next window
    assert call(seeded_api, 13, "203.0.113.7").status_code in {200, 202}


def test_the_default_throttle_lets_an_office_work(seeded_api):
    assert settings().public_rate_limit >= 100
    statuses = {sign_in(seeded_api, *OF).status_code for _ in range(30)}
    assert statuses == {200}
