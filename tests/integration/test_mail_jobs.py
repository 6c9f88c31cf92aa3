"""Issue 7: e-mails after the commit go through the jobs queue (DESIGN.md rule 6). A failing SES never
turns a committed decision into a 500; the worker retries, then parks the job in the dead-letter
queue; a message delivered twice sends once."""

from __future__ import annotations

import json

import pytest

from ofeli import clock, jobs
from ofeli.store import job_runs

HEAD = "81432712100012"
OF = ("contact@of-demo.test", "Organisme-2026!")
MODERATOR = ("moderation@carif-oref.test", "Moderation-2026!")
PUBLISHED = "OFeli : vos modifications de la fiche structure sont publiées"


@pytest.fixture
def sqs(aws):
    """The jobs queue with no visibility timeout: a failed job comes back at once (SQS waits 12 minutes)."""
    client = aws.client("sqs")
    url = aws.physical["JobsQueue"].ref
    client.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "0"})
    return client


@pytest.fixture
def ses(aws):
    client = aws.client("ses")
    sender = aws.physical["SesSender"].ref

    class Ses:
        def fail(self):  # an unverified sender: SES refuses every message, as in AWS
            client.delete_identity(Identity=sender)

        def work(self):
            client.verify_email_identity(EmailAddress=sender)

    return Ses()


def submitted(api):
    """The OF submits a change of its structure record; the moderator's view of the queue entry."""
    of = api.login(*OF)
    record = api.get(f"/structures/{HEAD}", headers=of).get_json()
    data = {k: record["published"][k] for k in ("emails", "phones", "websites")}
    data["contact_request"] = "Ajouter M. Petit."
    assert api.put(f"/structures/{HEAD}/draft", json={"version": 0, "data": data}, headers=of).status_code == 200
    assert api.post(f"/structures/{HEAD}/submission", headers=of).status_code == 200
    moderator = api.login(*MODERATOR)
    (entry,) = api.get("/moderation/queue", headers=moderator).get_json()
    return entry, moderator


def published(mailbox):
    return [m for m in mailbox.aws.sent_mail() if m["subject"] == PUBLISHED]


def test_a_failing_ses_does_not_undo_a_decision_and_the_e_mail_goes_once_ses_works(
    seeded_api, mailbox, sqs, ses, counted
):
    mailbox.run_jobs()  # what the demo data left on the queue
    entry, moderator = submitted(seeded_api)
    ses.fail()
    decision = seeded_api.post(
        f"/moderation/submissions/{entry['id']}/decision", json={"decision": "approve"}, headers=moderator
    )
    assert decision.status_code == 200, decision.get_json()
    assert counted == ["SubmissionDecided"]
    record = seeded_api.get(f"/structures/{HEAD}", headers=moderator).get_json()
    assert record["published"]["contact_request"] is None and record["submission"]["state"] == "none"
    assert record["published"]["version"] == 2  # published

    assert mailbox.deliver() == 1  # the worker tries: SES refuses, the job fails and stays on the queue
    assert published(mailbox) == []
    ses.work()
    assert mailbox.run_jobs() == 1  # SQS's retry
    (mail,) = published(mailbox)
    assert mail["destinations"]["ToAddresses"] == [OF[0]]
    assert mailbox.run_jobs() == 0 and len(published(mailbox)) == 1


def test_a_job_that_keeps_failing_ends_in_the_dead_letter_queue(seeded_api, aws, mailbox, sqs, ses):
    mailbox.run_jobs()
    entry, moderator = submitted(seeded_api)
    ses.fail()
    seeded_api.post(f"/moderation/submissions/{entry['id']}/decision", json={"decision": "approve"}, headers=moderator)
    assert [mailbox.deliver() for _ in range(4)] == [1, 1, 1, 0]  # 3 tries (maxReceiveCount), then parked
    dead = sqs.receive_message(QueueUrl=aws.physical["JobsDeadLetterQueue"].ref, MaxNumberOfMessages=10)
    (message,) = dead["Messages"]
    body = json.loads(message["Body"])
    assert body["kind"] == "send-email" and body["email"]["subject"] == PUBLISHED
    assert published(mailbox) == []


def test_a_message_delivered_twice_sends_once(seeded_api, aws, mailbox, sqs):
    mailbox.run_jobs()
    entry, moderator = submitted(seeded_api)
    seeded_api.post(f"/moderation/submissions/{entry['id']}/decision", json={"decision": "approve"}, headers=moderator)
    url = aws.physical["JobsQueue"].ref
    (message,) = sqs.receive_message(QueueUrl=url)["Messages"]  # visible again at once (timeout 0)
    sqs.send_message(QueueUrl=url, MessageBody=message["Body"])  # SQS delivers at least once
    assert mailbox.run_jobs() == 2
    assert len(published(mailbox)) == 1


def test_a_delivery_that_died_half_way_is_done_again_once_its_lease_runs_out(aws, mailbox, sqs):
    sent = []
    jobs.job("test-record")(lambda message: jobs.once(message["id"], lambda: sent.append(message["id"])))
    job_id = jobs.enqueue("test-record")
    job_runs.claim(job_id, now=clock.seconds(), lease=jobs.LEASE_SECONDS)  # a delivery that never finished
    assert mailbox.deliver() == 1 and sent == []  # still held: this delivery fails, SQS retries it
    clock.advance(jobs.LEASE_SECONDS + 1)
    assert mailbox.deliver() == 1 and sent == [job_id]
    assert mailbox.deliver() == 0


def test_decisions_and_approvals_are_counted(seeded_api, mailbox, counted):
    body = {
        "siret": "55210055400013",
        "nda": "25140000123",
        "contact": {"last_name": "Martin", "first_name": "Léa", "phone": "0231000000", "email": "lea@nouvel-of.test"},
        "accept_privacy_policy": True,
    }
    created = seeded_api.post("/account-requests", json=body).get_json()
    moderator = seeded_api.login(*MODERATOR)
    decided = seeded_api.post(
        f"/moderation/account-requests/{created['id']}/decision",
        json={"decision": "approve", "structure_name": "Nouvel OF"},
        headers=moderator,
    )
    assert decided.status_code == 200
    entry, moderator = submitted(seeded_api)
    rejected = seeded_api.post(
        f"/moderation/submissions/{entry['id']}/decision",
        json={"decision": "reject", "comment": "À préciser."},
        headers=moderator,
    )
    assert rejected.status_code == 200
    assert counted == ["AccountRequestApproved", "SubmissionDecided"]
    assert {m["subject"] for m in mailbox.sent()} >= {
        "Demande de clé d'activation",
        "OFeli : vos modifications de la fiche structure sont à reprendre",
    }
