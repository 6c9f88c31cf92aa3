"""Issue 11, item 4: the scheduled link checker over the published offer, against web sites this test
serves on 127.0.0.1: a broken link of a formation or of a session shows in the *Erreur liens site
internet* block (count and list), and leaves it when it works again."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from records import HEAD


class Site(BaseHTTPRequestHandler):
    broken: set[str] = set()

    def _answer(self) -> None:
        if self.path == "/ancienne":
            self.send_response(301)
            self.send_header("Location", "/formation")
            self.end_headers()
            return
        status = 404 if self.path in self.broken else 500 if self.path == "/erreur" else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = _answer
    do_GET = _answer

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Site.broken = {"/session"}
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _refused_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def _publish(api, of, moderator, ref, website, session_website) -> None:
    formation = api.get(f"/formations/{ref}", headers=of).get_json()
    opened = api.put(f"/formations/{ref}/draft", json={"version": 0, "data": formation["published"]}, headers=of)
    assert opened.status_code == 200, opened.get_json()
    draft = opened.get_json()["draft"]
    first, *others = draft["sessions"]
    data = {**draft, "website": website, "sessions": [{**first, "website": session_website}, *others]}
    saved = api.put(
        f"/formations/{ref}/draft",
        json={"version": opened.get_json()["submission"]["version"], "data": data},
        headers=of,
    )
    assert saved.status_code == 200, saved.get_json()
    submitted = api.post(f"/formations/{ref}/submission", json={}, headers=of)
    assert submitted.status_code == 200, submitted.get_json()
    (entry,) = [e for e in api.get("/moderation/queue", headers=moderator).get_json() if e["record_id"] == ref]
    decided = api.post(
        f"/moderation/submissions/{entry['id']}/decision", json={"decision": "approve"}, headers=moderator
    )
    assert decided.status_code in (200, 204), decided.get_json()


def _blocks(api, of):
    return api.get(f"/structures/{HEAD}/dashboard", headers=of).get_json()["blocks"]


def _listed(api, of):
    page = api.get(f"/structures/{HEAD}/formations", query_string={"block": "erreur_lien"}, headers=of).get_json()
    return sorted({line["ref"] for line in page["items"]})


def _check(workers, template):
    schedule = next(s for s in template.schedules if s.function == "LinkcheckFunction")
    return workers.fire(schedule)


def test_broken_links_show_in_their_block_until_they_work_again(seeded_api, of, moderator, workers, template, site):
    api = seeded_api
    _publish(api, of, moderator, "F0000001", f"{site}/ancienne", f"{site}/session")  # 301 → 200; 404
    _publish(api, of, moderator, "F0000002", f"{site}/formation", f"{site}/formation")  # 200, checked once
    assert _blocks(api, of)["erreur_lien"] == 0  # not checked yet
    result = _check(workers, template)
    assert (result["checked"], result["broken"]) == (3, 1)
    assert _blocks(api, of)["erreur_lien"] == 1 and _listed(api, of) == ["F0000001"]
    # the formation's page says which page, why, and when
    (finding,) = api.get("/formations/F0000001", headers=of).get_json()["broken_links"]
    assert (finding["url"], finding["status"], finding["ok"]) == (f"{site}/session", 404, False)
    assert "404" in finding["reason"] and finding["checked_at"].startswith(result["started_at"][:10])
    # the OF fixes its page: the next run clears the flag
    Site.broken = set()
    assert _check(workers, template)["broken"] == 0
    assert _blocks(api, of)["erreur_lien"] == 0 and _listed(api, of) == []
    assert api.get("/formations/F0000001", headers=of).get_json()["broken_links"] == []


def test_server_errors_and_refused_connections_are_broken(seeded_api, of, moderator, workers, template, site):
    api = seeded_api
    _publish(api, of, moderator, "F0000001", f"{site}/erreur", None)
    _publish(api, of, moderator, "F0000002", _refused_url(), None)
    result = _check(workers, template)
    assert result["broken"] == 2
    assert _listed(api, of) == ["F0000001", "F0000002"] and _blocks(api, of)["erreur_lien"] == 2
    # a link changed since the check is not reported as broken before it is checked
    _publish(api, of, moderator, "F0000002", f"{site}/formation", None)
    assert _listed(api, of) == ["F0000001"]
