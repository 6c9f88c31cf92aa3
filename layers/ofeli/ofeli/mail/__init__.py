"""E-mails, all sent through SES, all in French. `messages` builds them; `send` sends one."""

from __future__ import annotations

from dataclasses import dataclass

from ofeli import aws
from ofeli.settings import settings


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str


def send(email: Email) -> str:
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
