"""Fixtures shared by every test.

- `local_aws`: moto in this process with template.yaml's resources (one per test session);
  `aws`: the same, emptied and re-created before the test.
- `api`: an HTTP client on the local API Gateway (routing, Cognito authorizer, real handlers), no socket.
- `seeded_api`: the same with the demo data.
- `server`: `ofeli serve` started as a real process on a free port (one per session), its URL.
- `browser` / `page`: Debian's chromium driven by Playwright (see tests/e2e).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serving import Server, serving
from werkzeug.test import Client

from ofeli_local.aws import LocalAws
from ofeli_local.cfn import load_template
from ofeli_local.gateway import Gateway
from ofeli_local.invoke import Invoker
from ofeli_local.workers import Workers

ROOT = Path(__file__).resolve().parents[1]


# The longest files first: `make test` gives whole files to its two workers in the order they are collected
# (`--dist loadfile`), so a long file collected last would run alone at the end.
LONGEST_FIRST = ("tests/e2e/test_fuzz.py", "tests/e2e/test_matrix.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))  # stable: the rest keeps its order


@pytest.fixture(autouse=True)
def system_clock() -> Iterator[None]:
    """Every test starts and ends on the system clock (tests move it with `ofeli.clock`)."""
    from ofeli import clock

    clock.set(None)
    yield
    clock.set(None)


@pytest.fixture(scope="session")
def template():
    return load_template(ROOT / "template.yaml")


@pytest.fixture(scope="session")
def local_aws(template) -> Iterator[LocalAws]:
    aws = LocalAws(
        template,
        parameters={"WebOrigin": "http://127.0.0.1:8000", "AddressSearch": "local"},
        overrides={"OFELI_LINKCHECK_ALLOW_PRIVATE": "true"},  # the link checker's test sites are on 127.0.0.1
    )
    aws.start()
    yield aws
    aws.stop()


@pytest.fixture
def aws(local_aws: LocalAws) -> LocalAws:
    local_aws.reset()
    return local_aws


@pytest.fixture
def invoker(template) -> Invoker:
    return Invoker(template)


@pytest.fixture
def workers(aws: LocalAws, invoker: Invoker) -> Workers:
    """Deliver queue messages and schedules by hand (`workers.deliver`, `workers.fire`)."""
    return Workers(aws, invoker)


class ApiClient(Client):
    """A werkzeug test client that signs in."""

    def login(self, email: str, password: str) -> dict[str, str]:
        response = self.post("/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.get_data(as_text=True)
        token = response.get_json()["id_token"]
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api(aws: LocalAws, template, invoker: Invoker) -> ApiClient:
    gateway = Gateway(template, invoker, web_root=ROOT / "web", local_pages=None)
    return ApiClient(gateway)


_SEEDED: dict[str, Any] = {}  # the emulated AWS once the demo data is written, by the day it was written


@pytest.fixture
def seeded_api(api: ApiClient, aws: LocalAws) -> ApiClient:
    """The API over the demo data (`seed_demo`)."""
    seed_demo(aws)
    return api


@pytest.fixture
def demo(aws: LocalAws) -> LocalAws:
    """The emulated AWS holding the demo data (`seed_demo`)."""
    seed_demo(aws)
    return aws


def seed_demo(aws: LocalAws) -> None:
    """The demo data: written through the services once per process (and per day of the clock: its
    sessions are dated from today), then restored from a snapshot of the emulated AWS."""
    from ofeli import clock
    from ofeli_local import seed

    day = clock.today().isoformat()
    if day in _SEEDED:
        aws.restore(_SEEDED[day])
    else:
        seed.run()
        _SEEDED[day] = aws.snapshot()


# ---------------------------------------------------------------------- the real process
@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One `ofeli serve` for the session's end-to-end tests."""
    with serving() as running:
        yield running
