"""The jobs queue."""

from __future__ import annotations

import json
from typing import Any

from ofeli import aws
from ofeli.settings import settings


def enqueue(kind: str, **payload: Any) -> str:
    out = aws.client("sqs").send_message(
        QueueUrl=settings().jobs_queue_url, MessageBody=json.dumps({"kind": kind, **payload})
    )
    return str(out["MessageId"])
