"""E-mails, all sent through SES, all in French. `messages` builds them.

A request never calls SES (DESIGN.md rule 6): it `enqueue`s the e-mail as a job once its change is
committed, and the worker `deliver`s it, once (a retried message does not send it again). A failing
SES fails the job: SQS retries it, then keeps it in the dead-letter queue.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ofeli import aws
from ofeli.settings import settings


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str


def send(email: Email) -> str:
    """Send now, through SES (jobs only: a request enqueues)."""
    out = aws.client("ses").send_email(
        Source=settings().ses_sender,
        Destination={"ToAddresses": [email.to]},
        Message={
            "Subject": {"Data": email.subject, "Charset": "UTF-8"},
            "Body": {
                "Text": {"Data": email.text, "Charset": "UTF-8"},
                "Html": {"Data": email.html, "Charset": "UTF-8"},
            },
        },
    )
    return str(out["MessageId"])


def send_once(job_id: str, email: Email) -> bool:
    """Send for this job unless it was sent already (a retried job); False when it was."""
    from ofeli import jobs

    def work() -> None:
        send(email)

    return jobs.once(job_id, work)


def enqueue(email: Email, *, job_id: str | None = None) -> str:
    """Send after the commit: a "send-email" job for the worker. Returns the job's id; the same
    `job_id` given twice sends the e-mail once."""
    from ofeli import jobs

    return jobs.enqueue("send-email", job_id=job_id, email=asdict(email))


def deliver(message: dict[str, Any]) -> None:
    """The "send-email" job."""
    send_once(str(message["id"]), Email(**message["email"]))
