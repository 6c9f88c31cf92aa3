"""Queue messages and schedules delivered to the functions the template subscribes to them."""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import traceback
import uuid
from datetime import UTC, datetime
from typing import Any

from ofeli_local.aws import REGION, LocalAws
from ofeli_local.cfn import ACCOUNT_ID, Function, QueueSubscription, Schedule
from ofeli_local.invoke import Invoker


def scheduled_event(function: Function, schedule_name: str) -> dict[str, Any]:
    """An EventBridge scheduled event."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{function.logical_id}{schedule_name}"],
        "detail": {},
    }


class Workers:
    def __init__(self, aws: LocalAws, invoker: Invoker) -> None:
        self.aws = aws
        self.invoker = invoker
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        template = self.aws.template
        for subscription in template.subscriptions:
            self._spawn(self._poll, subscription, name=f"sqs-{subscription.function}")
        for schedule in template.schedules:
            self._spawn(self._every, schedule, name=f"schedule-{schedule.function}")

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=5)

    def _spawn(self, target: Any, arg: Any, *, name: str) -> None:
        thread = threading.Thread(target=target, args=(arg,), name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

    # ------------------------------------------------------------------ SQS
    def _poll(self, subscription: QueueSubscription) -> None:
        function = self.aws.template.functions[subscription.function]
        while not self.stopping.is_set():
            try:
                self.deliver(subscription, function, wait=1)
            except Exception:
                if self.stopping.is_set():
                    return
                traceback.print_exc(file=sys.stderr)
                self.stopping.wait(1)

    def deliver(self, subscription: QueueSubscription, function: Function, *, wait: int = 0) -> int:
        """Receive one batch and hand it to the function; delete what succeeded. Returns the batch size."""
        sqs = self.aws.client("sqs")
        queue = self.aws.physical[subscription.queue]
        out = sqs.receive_message(
            QueueUrl=queue.ref,
            MaxNumberOfMessages=min(subscription.batch_size, 10),
            WaitTimeSeconds=wait,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = out.get("Messages", [])
        if not messages:
            return 0
        records = [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": m.get("MessageAttributes", {}),
                "md5OfBody": m.get("MD5OfBody") or hashlib.md5(m["Body"].encode()).hexdigest(),  # noqa: S324
                "eventSource": "aws:sqs",
                "eventSourceARN": queue.attributes["Arn"],
                "awsRegion": REGION,
            }
            for m in messages
        ]
        try:
            result = self.invoker.invoke(function, {"Records": records})
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return len(records)  # nothing deleted: the messages come back after the visibility timeout
        failed = set()
        if subscription.report_failures and isinstance(result, dict):
            failed = {f.get("itemIdentifier") for f in result.get("batchItemFailures", [])}
        for record in records:
            if record["messageId"] not in failed:
                sqs.delete_message(QueueUrl=queue.ref, ReceiptHandle=record["receiptHandle"])
        return len(records)

    # ------------------------------------------------------------------ schedules
    def _every(self, schedule: Schedule) -> None:
        while not self.stopping.wait(schedule.seconds):
            try:
                self.fire(schedule)
            except Exception:
                traceback.print_exc(file=sys.stderr)

    def fire(self, schedule: Schedule) -> Any:
        """The schedule's event: its `Input` when it has one (as EventBridge sends it), else a Scheduled Event."""
        function = self.aws.template.functions[schedule.function]
        if schedule.input is not None:
            return self.invoker.invoke(function, json.loads(schedule.input))
        return self.invoker.invoke(function, scheduled_event(function, schedule.name))
