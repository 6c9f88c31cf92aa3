"""The demo data, the jobs queue and the schedule, on the emulated AWS."""

from __future__ import annotations

import json

import pytest

from ofeli import jobs
from ofeli.domain.accounts import ACCOUNT_EXISTS
from ofeli.domain.errors import Conflict
from ofeli.services import accounts, linkcheck
from ofeli.store import offers, queue, structures, table, users


def test_seed_writes_structures_rights_and_the_offer(seeded_api):
    head, branch = structures.get("81432712100012"), structures.get("81432712100020")
    assert head["nda"] == "28140000014" and branch["parent_siret"] == "81432712100012"
    user = users.find_by_email("contact@of-demo.test")
    assert sorted(users.rights_of(user["user_id"])) == ["81432712100012", "81432712100020"]
    formations = offers.formations_of("81432712100012")
    assert sorted(f["title"] for f in formations) == ["Assistant de comptabilité et d'administration", "CAP boulanger"]
    full = offers.get_formation(next(f["ref"] for f in formations if f["title"] == "CAP boulanger"))
    assert len(full["sessions"]) == 2
    assert all(s["start_date"] <= s["end_date"] for s in full["sessions"])
    # an S number resolves to its formation with one read
    session_ref = full["sessions"][0]["ref"]
    assert table.get(f"SESSION#{session_ref}", "REF")["formation_ref"] == full["ref"]
    assert offers.formations_of("41298765400016")[0]["title"] == "Soudeur assembleur industriel"


def test_one_account_per_email(seeded_api):
    with pytest.raises(Conflict) as caught:
        accounts.create_account("CONTACT@of-demo.test", "Autre", "Personne")
    assert caught.value.message == ACCOUNT_EXISTS


def test_worker_runs_a_registered_job_and_deletes_the_message(aws, workers, template):
    seen = []
    jobs.job("test-echo")(lambda message: seen.append(message["value"]))
    queue.enqueue("test-echo", value=42)
    subscription = template.subscriptions[0]
    assert workers.deliver(subscription, template.functions[subscription.function]) == 1
    assert seen == [42]
    assert workers.deliver(subscription, template.functions[subscription.function]) == 0


def test_worker_keeps_a_failed_message_for_retry_then_the_dead_letter_queue(aws, workers, template):
    queue.enqueue("no-such-kind")
    subscription = template.subscriptions[0]
    assert workers.deliver(subscription, template.functions[subscription.function]) == 1
    sqs = aws.client("sqs")
    url = aws.physical[subscription.queue].ref
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "1"  # not deleted: it will come back
    redrive = json.loads(attributes["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"].endswith(":JobsDeadLetterQueue") and int(redrive["maxReceiveCount"]) == 3


def test_schedule_event_runs_the_link_checker(aws, workers, template):
    schedule = next(s for s in template.schedules if s.function == "LinkcheckFunction")
    result = workers.fire(schedule)
    assert result["checked"] == 0
    runs = linkcheck.last_runs()
    assert [r["trigger"] for r in runs] == ["aws.events"]


@pytest.mark.parametrize("name", ["linkcheck", "jobsworkerfunction"])
def test_the_worker_and_the_schedule_are_traced_and_flush_what_they_count(aws, template, name, monkeypatch, capsys):
    """Both go through `observability.entry_point`, as the API's handlers do (a fresh copy of the module:
    the entry point is built at its first invocation)."""
    from ofeli import observability
    from ofeli.api.modules import load_function_module
    from ofeli_local.invoke import LambdaContext

    traced: list[bool] = []

    class Tracer:
        def capture_lambda_handler(self, handler, capture_response=True):
            def wrapper(event, context):
                traced.append(capture_response)
                observability.count("TestEvent")
                return handler(event, context)

            return wrapper

    monkeypatch.setattr(observability, "tracer", Tracer)
    function = template.find_function(name)
    module = load_function_module(function.module_path(template.root), copy=900 + len(name))
    jobs.job("test-nothing")(lambda message: None)
    record = {"messageId": "m1", "receiptHandle": "r", "body": json.dumps({"kind": "test-nothing"}), "attributes": {}}
    record |= {"messageAttributes": {}, "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-3:1:q"}
    event = {"Records": [record]} if name.startswith("jobs") else {"source": "aws.events"}
    module.handler(event, LambdaContext(function.logical_id, 128, 30))
    assert traced == [False]
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert [p["TestEvent"] for p in printed if "_aws" in p] in ([1.0], [[1.0]])
