"""What the integration tests share: the jobs queue run by hand, the e-mails it sent, the metrics counted.

A request never sends an e-mail itself: it puts a job on the queue (DESIGN.md rule 6), which the
worker function runs. In-process tests have no worker polling the queue: `mailbox.run_jobs()` hands
the pending messages to the worker function, as the local stack's workers (and Lambda's SQS trigger)
do; `mailbox.sent()` runs them first, then reads what SES sent.
"""

from __future__ import annotations

from typing import Any

import pytest
from records import MODERATOR, OF


class Mailbox:
    def __init__(self, aws: Any, workers: Any, template: Any) -> None:
        self.aws = aws
        self.workers = workers
        self.subscription = next(s for s in template.subscriptions if s.queue == "JobsQueue")
        self.function = template.functions[self.subscription.function]

    def deliver(self) -> int:
        """Hand one batch of the jobs queue to the worker; how many messages it held."""
        return int(self.workers.deliver(self.subscription, self.function))

    def run_jobs(self) -> int:
        """Run every pending job (those that fail stay on the queue for SQS's retry); how many ran."""
        total = 0
        while count := self.deliver():
            total += count
        return total

    def sent(self, to: str | None = None) -> list[dict[str, Any]]:
        """The e-mails SES sent (to `to`), newest first, once the pending jobs have run."""
        self.run_jobs()
        return [m for m in self.aws.sent_mail() if to is None or to in sum(m["destinations"].values(), [])]


@pytest.fixture
def mailbox(aws: Any, workers: Any, template: Any) -> Mailbox:
    return Mailbox(aws, workers, template)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the business metrics counted during the test (still handed to Powertools too)."""
    from ofeli import observability

    seen: list[str] = []
    real = observability.count

    def count(name: str, value: int = 1) -> None:
        seen.append(name)
        real(name, value)

    monkeypatch.setattr(observability, "count", count)
    return seen


@pytest.fixture
def of(seeded_api):
    """The demo OF user's headers (head office and branch)."""
    return seeded_api.login(*OF)


@pytest.fixture
def moderator(seeded_api):
    """The demo moderator's headers."""
    return seeded_api.login(*MODERATOR)


@pytest.fixture
def dynamodb_calls() -> Any:
    """The DynamoDB operations the product calls (botocore's before-call hook on its clients)."""
    from ofeli import aws

    calls: list[str] = []

    def seen(model: Any, **_: Any) -> None:
        calls.append(model.name)

    clients = [aws.dynamodb().meta.client, aws.client("dynamodb")]
    for client in clients:
        client.meta.events.register("before-call.dynamodb", seen)
    yield calls
    for client in clients:
        client.meta.events.unregister("before-call.dynamodb", seen)
