"""Background jobs: a message on the jobs queue is `{"kind": ..., "id": ..., ...payload}`; the worker
function runs the job of its kind. An unknown kind fails, so the queue's redrive policy moves the
message to the dead-letter queue after its retries instead of losing it.

Side effects after a commit (an e-mail...) are jobs (DESIGN.md rule 6): `enqueue` gives each message
an `id`, and `once` makes a job's work happen once for that id, however often SQS delivers it.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

Job = Callable[[dict[str, Any]], None]

# The product's jobs, imported when a message of their kind arrives (the worker's cold start stays short).
KINDS: dict[str, str] = {
    "send-email": "ofeli.mail:deliver",
    "password-reset": "ofeli.services.activation:reset_job",
    "activation-key": "ofeli.services.activation:key_job",
    "account-request-duplicate": "ofeli.services.account_requests:duplicate_job",
    "training-organisation-import": "ofeli.services.training_organisations:import_job",
    "certification-import": "ofeli.services.certifications:import_job",
    "moderation-digest": "ofeli.services.alerts:digest_job",
    "export": "ofeli.services.exports:export_job",
    "partner-feed": "ofeli.services.partners:feed_job",
}
LEASE_SECONDS = 120  # longer than any job's work; much shorter than the queue's visibility timeout

_JOBS: dict[str, Job] = {}
_attempt: ContextVar[int] = ContextVar("ofeli_job_attempt", default=1)


class UnknownJob(Exception):
    pass


class JobBusy(Exception):
    """Another delivery of the same message is doing the work right now: SQS retries this one later."""


def job(kind: str) -> Callable[[Job], Job]:
    def register(fn: Job) -> Job:
        _JOBS[kind] = fn
        return fn

    return register


def _find(kind: str) -> Job | None:
    if kind in _JOBS:
        return _JOBS[kind]
    if kind in KINDS:
        module, name = KINDS[kind].split(":")
        fn: Job = getattr(importlib.import_module(module), name)
        return _JOBS.setdefault(kind, fn)
    return None


def run(message: dict[str, Any], *, attempt: int = 1) -> None:
    """Run the job of the message's kind; `attempt`: SQS's delivery count of the message (its
    `ApproximateReceiveCount`, which the worker passes), read by the job with `attempt()`."""
    kind = message.get("kind")
    fn = _find(str(kind))
    if fn is None:
        raise UnknownJob(f"no job registered for kind {kind!r}")
    token = _attempt.set(max(1, attempt))
    try:
        fn(message)
    finally:
        _attempt.reset(token)


def attempt() -> int:
    """The delivery of the running job: 1 the first time, then one more for each retry of SQS."""
    return _attempt.get()


def last_attempt() -> bool:
    """True when SQS moves the message to the dead-letter queue if this delivery fails too (its delivery
    count has reached the queue's maxReceiveCount, `settings().jobs_max_receive_count`): a job whose
    failure a person waits for records it now, as nothing will run it again."""
    from ofeli.settings import settings

    return attempt() >= settings().jobs_max_receive_count


def enqueue(kind: str, *, job_id: str | None = None, **payload: Any) -> str:
    """Put a job on the queue with a fresh id (what `once` keys on), or with `job_id` when several
    runs may ask for the same work (it is then done once); returns that id."""
    from ofeli.store import queue

    job_id = job_id or uuid.uuid4().hex
    queue.enqueue(kind, id=job_id, **payload)
    return job_id


def once(job_id: str, work: Callable[[], None]) -> bool:
    """Do `work` for this job id unless it was done already; False when it was.

    Claimed before the work, marked done after it (see `ofeli.store.job_runs`): a retried message does
    nothing more, a failed work gives the claim back so that SQS's retry does it, and a delivery that
    died half-way is done again once its lease runs out. Nothing is lost; in that rare case an e-mail
    can go twice.
    """
    from ofeli import clock
    from ofeli.store import job_runs

    claimed = job_runs.claim(job_id, now=clock.seconds(), lease=LEASE_SECONDS)
    if claimed == "done":
        return False
    if claimed == "busy":
        raise JobBusy(f"job {job_id} is being done by another delivery")
    try:
        work()
    except BaseException:
        job_runs.release(job_id, claimed)
        raise
    job_runs.finish(job_id)
    return True
