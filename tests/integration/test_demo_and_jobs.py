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
    schedule = template.schedules[0]
    result = workers.fire(schedule)
    assert result["checked"] == 0
    runs = linkcheck.last_runs()
    assert [r["trigger"] for r in runs] == ["aws.events"]
