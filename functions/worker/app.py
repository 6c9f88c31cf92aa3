"""Background jobs from the jobs queue, one message at a time; a failed one is retried, then kept in
the dead-letter queue (ReportBatchItemFailures). Each job does its work once per message (`ofeli.jobs`).
Its schedules (template.yaml) run the moderators' digest and, with a job's message as their input, the
partners' feed."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from ofeli import jobs, observability

# Failed records are reported (not raised), so SQS retries only them, then moves them to the DLQ.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord) -> None:
    message = json.loads(record.body)
    observability.logger().info("job", extra={"kind": message.get("kind"), "message_id": record.message_id})
    # SQS's delivery count: a job knows its last attempt before the dead-letter queue (`ofeli.jobs`)
    jobs.run(message, attempt=int(record.attributes.get("ApproximateReceiveCount") or 1))


def _process(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("detail-type") == "Scheduled Event":  # the schedule with no input: the moderators' digest
        jobs.run({"kind": "moderation-digest", "id": str(event.get("id", ""))})
        return {}
    if "kind" in event and "Records" not in event:  # a schedule whose input is a job's message (the partners' feed)
        jobs.run(event)
        return {}
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    return dict(response)


handler = observability.entry_point(_process)
