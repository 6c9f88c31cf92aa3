"""Requests of different people at the same moment never mix (a running `ofeli serve`, over HTTP).

Each function runs one invocation at a time per instance, as a Lambda container does: a Powertools
resolver keeps the current event on its app object, and a threaded server calling one app from several
threads answered parallel `GET /me` with the other person's identity.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from support import MODERATOR, OF_USER, SINGLE_OF_USER, api_token, call

REQUESTS = 200


def test_parallel_requests_of_three_people_each_get_their_own_answer(server: Any) -> None:
    people = {account[0]: api_token(server, account) for account in (OF_USER, SINGLE_OF_USER, MODERATOR)}
    memos = {}
    for email, token in people.items():
        text = f"Mémo de {email} {uuid.uuid4().hex[:8]}"
        status, _ = call(server, "POST", "/memos", {"text": text}, token)
        assert status == 201
        memos[email] = text

    def one(n: int) -> tuple[str, str, int, Any]:
        email = list(people)[n % 3]
        path = ["/me", "/memos", "/moderation/account-requests"][(n // 3) % 3]
        status, body = call(server, "GET", path, token=people[email])
        return email, path, status, body

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(one, range(REQUESTS)))

    assert len(answers) == REQUESTS
    checked = {"/me": 0, "/memos": 0, "/moderation/account-requests": 0}
    for email, path, status, body in answers:
        checked[path] += 1
        if path == "/me":
            assert status == 200 and body["email"] == email, (email, body)
        elif path == "/memos":
            texts = [m["text"] for m in body]
            assert status == 200 and memos[email] in texts, (email, texts)
            assert not any(memos[other] in texts for other in memos if other != email), (email, texts)
        elif email == MODERATOR[0]:
            assert status == 200 and isinstance(body, list), (email, status, body)
        else:
            assert status == 403, (email, status, body)
    assert min(checked.values()) >= REQUESTS // 3 - 1, checked
