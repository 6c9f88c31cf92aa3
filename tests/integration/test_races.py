"""Races on the workflow, through the API, each run RUNS times: no lost update, one winner.

Two requests start together (a barrier), each through its own instance of the function, as two Lambda
containers would run them; moto's DynamoDB is made atomic by the local stack (ofeli_local.strict), so
what these tests see is what AWS would do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from records import HEAD, OF, data_with, structure

from ofeli.store import activation_keys, users

RUNS = 12  # interleavings enough: the local DynamoDB runs one request at a time, as a lock would


def together(api: Any, *calls: Callable[[Any], Any]) -> list[Any]:
    """Run the calls at the same moment, each with its own client; their responses, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[Any], Any]) -> None:
        client = type(api)(api.application)
        barrier.wait()
        results[index] = call(client)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def emails(n: int, tag: str) -> list[dict[str, Any]]:
    return [{"label": None, "email": f"{tag}-{n}@of-demo.test"}]


def open_and_submit(api, of, run: int) -> str:
    view = structure(api, of)
    saved = api.put(
        f"/structures/{HEAD}/draft", json={"version": 0, "data": data_with(view, emails=emails(run, "s"))}, headers=of
    )
    assert saved.status_code == 200, saved.get_json()
    submitted = api.post(f"/structures/{HEAD}/submission", headers=of)
    assert submitted.status_code == 200, submitted.get_json()
    return str(submitted.get_json()["submission"]["submission_id"])


def test_two_saves_on_one_version(seeded_api, of):
    api = seeded_api
    view = structure(api, of)
    assert (
        api.put(f"/structures/{HEAD}/draft", json={"version": 0, "data": data_with(view)}, headers=of).status_code
        == 200
    )
    version = 1
    for run in range(RUNS):
        a = data_with(view, contact_request=f"A{run}", emails=emails(run, "a"))
        b = data_with(view, contact_request=f"B{run}", phones=[{"label": None, "number": f"06 00 00 {run:02d} 00"}])
        first, second = together(
            api,
            lambda c, a=a, v=version: c.put(f"/structures/{HEAD}/draft", json={"version": v, "data": a}, headers=of),
            lambda c, b=b, v=version: c.put(f"/structures/{HEAD}/draft", json={"version": v, "data": b}, headers=of),
        )
        assert sorted([first.status_code, second.status_code]) == [200, 409], (run, first.get_json(), second.get_json())
        winner = a if first.status_code == 200 else b
        draft = structure(api, of)["draft"]
        # The winner's draft is kept whole: nothing of the loser's leaks in.
        assert draft["contact_request"] == winner["contact_request"], run
        assert draft["emails"] == winner["emails"] and draft["phones"] == winner["phones"], run
        version += 1
        assert structure(api, of)["submission"]["version"] == version


def test_two_submissions_of_one_draft(seeded_api, of, moderator):
    api = seeded_api
    view = structure(api, of)
    for run in range(RUNS):
        data = data_with(view, emails=emails(run, "soumis"))
        assert api.put(f"/structures/{HEAD}/draft", json={"version": 0, "data": data}, headers=of).status_code == 200
        first, second = together(
            api,
            lambda c: c.post(f"/structures/{HEAD}/submission", headers=of),
            lambda c: c.post(f"/structures/{HEAD}/submission", headers=of),
        )
        statuses = sorted([first.status_code, second.status_code])
        assert statuses[0] == 200 and statuses[1] in {409, 423}, (run, first.get_json(), second.get_json())
        queue = api.get(f"/moderation/queue?siret={HEAD}", headers=moderator).get_json()
        assert len(queue) == 1, (run, queue)
        assert api.delete(f"/structures/{HEAD}/submission", headers=of).status_code == 200
        assert api.delete(f"/structures/{HEAD}/draft", headers=of).status_code == 204


def test_two_decisions_on_one_submission(seeded_api, of, moderator):
    api = seeded_api
    history_before = len(api.get(f"/structures/{HEAD}/history", headers=of).get_json())
    approved = 0
    for run in range(RUNS):
        submission = open_and_submit(api, of, run)
        path = f"/moderation/submissions/{submission}/decision"
        first, second = together(
            api,
            lambda c, path=path: c.post(path, json={"decision": "approve"}, headers=moderator),
            lambda c, path=path, comment=f"Refus {run}": c.post(
                path, json={"decision": "reject", "comment": comment}, headers=moderator
            ),
        )
        statuses = sorted([first.status_code, second.status_code])
        assert statuses[0] == 200 and statuses[1] in {404, 409}, (run, first.get_json(), second.get_json())
        view = structure(api, of)
        if first.status_code == 200:  # published, and nothing left to decide
            approved += 1
            assert view["published"]["emails"] == emails(run, "s"), run
            assert view["submission"]["state"] == "none", run
        else:  # back to a draft with the comment; the published record is unchanged
            assert view["submission"]["state"] == "draft" and view["submission"]["comment"] == f"Refus {run}", run
            assert view["published"]["emails"] != emails(run, "s"), run
            assert api.delete(f"/structures/{HEAD}/draft", headers=of).status_code == 204
        history = api.get(f"/structures/{HEAD}/history", headers=of).get_json()
        assert len(history) == history_before + approved, run


def test_a_withdrawal_racing_an_approval(seeded_api, of, moderator):
    api = seeded_api
    for run in range(RUNS):
        submission = open_and_submit(api, of, run)
        withdrawal, approval = together(
            api,
            lambda c: c.delete(f"/structures/{HEAD}/submission", headers=of),
            lambda c, s=submission: c.post(
                f"/moderation/submissions/{s}/decision", json={"decision": "approve"}, headers=moderator
            ),
        )
        view = structure(api, of)
        assert sorted([withdrawal.status_code, approval.status_code])[0] == 200, run
        assert 200 in {withdrawal.status_code, approval.status_code} and not (
            withdrawal.status_code == approval.status_code == 200
        ), (run, withdrawal.get_json(), approval.get_json())
        if withdrawal.status_code == 200:  # never lost: the draft is back and nothing was published
            assert view["submission"]["state"] == "draft", run
            assert view["published"]["emails"] != emails(run, "s"), run
            assert api.delete(f"/structures/{HEAD}/draft", headers=of).status_code == 204
        else:
            assert approval.status_code == 200 and view["published"]["emails"] == emails(run, "s"), run
            assert view["submission"]["state"] == "none", run


def test_two_uses_of_one_activation_key(seeded_api):
    api = seeded_api
    profile = users.find_by_email(OF[0])
    assert profile is not None
    for run in range(RUNS):
        key = activation_keys.create(profile["user_id"], profile["email"], "reset")
        first, second = together(
            api,
            lambda c, k=key, p=f"Premier-{run}!": c.post("/activation", json={"key": k, "password": p}),
            lambda c, k=key, p=f"Second-{run}!": c.post("/activation", json={"key": k, "password": p}),
        )
        assert sorted([first.status_code, second.status_code]) == [204, 410], run
        winner = f"Premier-{run}!" if first.status_code == 204 else f"Second-{run}!"
        # The password is the winner's: the other use changed nothing.
        assert api.post("/auth/login", json={"email": OF[0], "password": winner}).status_code == 200, run
