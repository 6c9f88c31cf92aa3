"""The running system, over HTTP, as a new user would find it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (127.0.0.1)
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def _post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_openapi_lists_the_routes(server):
    status, body, headers = _get(f"{server.url}/openapi.json")
    assert status == 200
    document = json.loads(body)
    assert document["openapi"].startswith("3.")
    assert {"/auth/login", "/me"} <= set(document["paths"])
    assert "cognito" in document["components"]["securitySchemes"]


def test_docs_page_renders_the_document(server):
    status, body, _ = _get(f"{server.url}/docs")
    assert status == 200
    assert '<html lang="fr">' in body and "/auth/login" in body


def test_shell_is_served_at_root(server):
    status, body, headers = _get(f"{server.url}/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert '<html lang="fr"' in body


def test_local_mailbox_answers(server):
    status, body, _ = _get(f"{server.url}/_local/mail")
    assert status == 200
    assert "Boîte aux lettres locale" in body


def test_demo_user_signs_in_and_sees_both_structures(server):
    status, tokens = _post(f"{server.url}/auth/login", {"email": "contact@of-demo.test", "password": "Organisme-2026!"})
    assert status == 200
    status, body, headers = _get(f"{server.url}/me", {"Authorization": f"Bearer {tokens['id_token']}"})
    assert status == 200
    me = json.loads(body)
    assert me["first_name"] == "Julien" and me["roles"] == ["of"]
    assert [(s["siret"], s["is_responsible"]) for s in me["structures"]] == [
        ("81432712100012", True),
        ("81432712100020", False),
    ]
    assert headers.get("X-Correlation-Id")


def test_demo_moderator_signs_in_as_moderator(server):
    status, tokens = _post(
        f"{server.url}/auth/login", {"email": "moderation@carif-oref.test", "password": "Moderation-2026!"}
    )
    assert status == 200
    status, body, _ = _get(f"{server.url}/me", {"Authorization": f"Bearer {tokens['id_token']}"})
    assert status == 200
    assert json.loads(body)["roles"] == ["moderator"]


def test_schedule_fires_on_demand(server):
    request = urllib.request.Request(f"{server.url}/_local/schedules/linkcheck", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        result = json.load(response)
    assert result["function"] == "LinkcheckFunction"
    # the demo's one web page (https://www.of-demo.test/...) cannot be reached: no network here
    assert (result["results"][0]["checked"], result["results"][0]["broken"]) == (1, 1)
