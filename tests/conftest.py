"""Fixtures shared by every test.

- `local_aws`: moto in this process with template.yaml's resources (one per test session);
  `aws`: the same, emptied and re-created before the test.
- `api`: an HTTP client on the local API Gateway (routing, Cognito authorizer, real handlers), no socket.
- `seeded_api`: the same with the demo data.
- `server`: `ofeli serve` started as a real process on a free port (one per session), its URL.
- `browser` / `page`: Debian's chromium driven by Playwright (see tests/e2e).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.test import Client

from ofeli_local.aws import LocalAws
from ofeli_local.cfn import load_template
from ofeli_local.gateway import Gateway
from ofeli_local.invoke import Invoker
from ofeli_local.workers import Workers

ROOT = Path(__file__).resolve().parents[1]


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
    aws = LocalAws(template, parameters={"WebOrigin": "http://127.0.0.1:8000"})
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


@pytest.fixture
def seeded_api(api: ApiClient) -> ApiClient:
    from ofeli_local import seed

    seed.run()
    return api


# ---------------------------------------------------------------------- the real process
class Server:
    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url
        self.output: list[str] = []


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """`ofeli serve --port 0` as a user would start it; its own moto, its own demo data."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for name in [k for k in env if k.startswith(("AWS_", "OFELI_"))]:
        del env[name]
    process = subprocess.Popen(
        [sys.executable, "-m", "ofeli_local.cli", "serve", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    url = None
    timer = threading.Timer(60, process.kill)
    timer.start()
    for line in process.stdout:
        lines.append(line)
        match = re.search(r"OFeli prêt sur (http://\S+)", line)
        if match:
            url = match.group(1)
            break
    timer.cancel()
    if url is None:
        process.kill()
        pytest.fail("ofeli serve did not start:\n" + "".join(lines))
    running = Server(process, url)
    running.output = lines
    drain = threading.Thread(target=lambda: running.output.extend(process.stdout or []), daemon=True)
    drain.start()
    yield running
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
