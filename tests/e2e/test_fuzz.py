"""Issue 7, item 10: schemathesis against a running `ofeli serve`, as each role.

Cases generated from `GET /openapi.json` (valid and invalid inputs, the boundaries of every field), sent
as anonymous, as an OF user and as a moderator (`Authorization: Bearer <id token>` from POST /auth/login),
and as a partner (`X-Api-Key`, a key the moderator made: it opens the partner routes, and nothing else).
Every answer must be no server error (5xx), a status the document lists for the route, and a body that
matches the schema documented for that status.

The fuzzing runs against its own `ofeli serve` (its own demo data), not the `server` of the other tests:
it signs in with wrong passwords, asks for resets and accounts by the hundred and fills the throttles of
its client address, none of which may spill over on them. No route is excluded.

`make test`: OFELI_FUZZ_EXAMPLES (default below) random cases per route and role, on top of the cases
schemathesis derives from the schema's boundaries (about 3,900 in all, 45 s here); `make fuzz` raises it.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from findings import report
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance
from serving import serving
from support import MODERATOR, OF_USER

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("OFELI_FUZZ_EXAMPLES") or 8)  # make fuzz: 100
# The coverage phase: schemathesis' deterministic boundary and malformed cases (about 30 per route and
# role: missing fields, wrong types, extreme lengths, undeclared content types). OFELI_FUZZ_COVERAGE=0
# leaves it out (a quicker run while working on one route).
COVERAGE = os.environ.get("OFELI_FUZZ_COVERAGE", "1") != "0"
ROLES = ("anonymous", "of_user", "moderator", "partner")
ACCOUNTS = {"of_user": OF_USER, "moderator": MODERATOR}
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


class FuzzServer:
    def __init__(self, url: str) -> None:
        self.url = url
        self.tokens: dict[str, str] = {}
        self.partner_key = ""
        self.cases: Counter[str] = Counter()  # role → cases sent
        self.failures: Counter[tuple[str, str, str]] = Counter()  # (role, route, what) → cases
        self.spans: dict[tuple[str, str], list[float]] = {}  # (role, route) → its first and last case's time


@pytest.fixture(scope="module")
def fuzz_server(pytestconfig: pytest.Config) -> Iterator[FuzzServer]:
    """`ofeli serve --port 0` for the fuzzing alone, signed in as the demo OF user and moderator."""
    with serving() as served:
        running = FuzzServer(served.url)
        for role, (email, password) in ACCOUNTS.items():
            running.tokens[role] = _login(served.url, email, password)
        running.partner_key = _partner_key(served.url, running.tokens["moderator"])
        yield running
        _report(pytestconfig, running)


def _login(url: str, email: str, password: str) -> str:
    request = urllib.request.Request(
        f"{url}/auth/login",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 (127.0.0.1)
        return str(json.load(response)["id_token"])


def _partner_key(url: str, moderator_token: str) -> str:
    request = urllib.request.Request(
        f"{url}/moderation/partner-keys",
        data=json.dumps({"name": "Partenaire du fuzzing"}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {moderator_token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 (127.0.0.1)
        return str(json.load(response)["key"])


def _headers(server: FuzzServer, role: str) -> dict[str, str]:
    if role == "partner":
        return {"X-Api-Key": server.partner_key}
    return {"Authorization": f"Bearer {server.tokens[role]}"} if role in server.tokens else {}


def _report(config: pytest.Config, server: FuzzServer) -> None:
    total = sum(server.cases.values())
    per_role = ", ".join(f"{role} {server.cases[role]}" for role in ROLES)
    kinds = f"{EXAMPLES} cas aléatoires par route et rôle" + (" et les cas limites" if COVERAGE else "")
    report(config, f"fuzzing : {total} cas envoyés ({per_role}) ; {kinds}")
    report(
        config, f"fuzzing : {sum(server.failures.values())} cas en échec, {len(server.failures)} constat(s) distinct(s)"
    )
    slowest = sorted(server.spans.items(), key=lambda item: item[1][0] - item[1][1])[:5]
    report(
        config,
        "fuzzing : les routes les plus longues : "
        + ", ".join(f"{role} {route} {last - first:.0f} s" for (role, route), (first, last) in slowest),
    )
    found = sorted(server.failures.items())
    for (role, route, what), count in found[:60]:
        report(config, f"  {role:9} {route} : {what} ({count} cas)")
    if len(found) > 60:
        report(config, f"  … et {len(found) - 60} autres (voir les échecs ci-dessus)")


@pytest.fixture(scope="module", params=ROLES)
def role(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fuzz_schema(fuzz_server: FuzzServer, role: str) -> Any:
    config = schemathesis.Config.from_dict(
        {
            "generation": {
                "mode": "all",  # valid inputs and invalid ones
                "max-examples": EXAMPLES,
                "no-shrink": True,  # every failing case is reported as it was sent; shrinking costs calls
                "with-security-parameters": False,  # the role's own Authorization header, nothing generated
                "database": "none",  # nothing written into the checkout
            },
            "phases": {"coverage": {"enabled": COVERAGE}, "stateful": {"enabled": False}},
            # an API key opens the partner routes and nothing else: elsewhere a partner is anonymous (fuzzed
            # as such), so the partner fuzzes its own routes only
            "operations": ([{"include-path-regex": "^/(?!partner/)", "enabled": False}] if role == "partner" else []),
        }
    )
    return schemathesis.openapi.from_url(f"{fuzz_server.url}/openapi.json", config=config)


# schemathesis 4.32 reads and rewrites `item._nodeid` to name each route's subtest; pytest 9.2 keeps the id
# elsewhere (`item.nodeid` only). Give it the attribute, read-only: subtests are labelled by route anyway.
if not hasattr(pytest.Function, "_nodeid"):
    pytest.Function._nodeid = property(lambda item: item.nodeid, lambda item, value: None)  # type: ignore[attr-defined]

schema = schemathesis.pytest.from_fixture("fuzz_schema")


@schema.parametrize()
def test_fuzz(case, fuzz_server: FuzzServer, role: str) -> None:
    headers = _headers(fuzz_server, role)
    fuzz_server.cases[role] += 1
    route = f"{case.method} {case.operation.path}"
    fuzz_server.spans.setdefault((role, route), [time.monotonic()] * 2)[1] = time.monotonic()
    response = case.call(headers=headers, timeout=30)
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except BaseException as error:  # schemathesis' FailureGroup is a BaseExceptionGroup
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        for failure in getattr(error, "exceptions", None) or [error]:
            title = getattr(failure, "title", type(failure).__name__)
            detail = " ".join(str(getattr(failure, "message", failure)).split())[:120]
            fuzz_server.failures[(role, route, f"{response.status_code} {title} — {detail}")] += 1
        raise
