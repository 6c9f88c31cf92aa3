"""Background jobs: a message on the jobs queue is `{"kind": ..., ...payload}`; the worker function
runs the job registered for its kind. An unknown kind fails, so the queue's redrive policy moves the
message to the dead-letter queue after its retries instead of losing it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Job = Callable[[dict[str, Any]], None]

_JOBS: dict[str, Job] = {}


class UnknownJob(Exception):
    pass


def job(kind: str) -> Callable[[Job], Job]:
    def register(fn: Job) -> Job:
        _JOBS[kind] = fn
        return fn

    return register


def run(message: dict[str, Any]) -> None:
    kind = message.get("kind")
    fn = _JOBS.get(str(kind))
    if fn is None:
        raise UnknownJob(f"no job registered for kind {kind!r}")
    fn(message)
