"""The local AWS is never looser than AWS (../shared/LOCAL-AWS.md, last section): each check here
fails on bare moto 5.2.5 and passes on the local stack's strict front (ofeli_local.strict)."""

from __future__ import annotations

import base64
import json
import threading
import uuid

import pytest
import requests

from ofeli.store import documents

RUNS = 50
HEAD = "81432712100012"
OF = ("contact@of-demo.test", "Organisme-2026!")


def _dynamodb(aws):
    return aws.client("dynamodb")


def _table(aws) -> str:
    return next(iter(aws.template.resources("AWS::DynamoDB::Table")))


def test_two_conditional_updates_on_one_version_one_wins(aws):
    dynamodb, table = _dynamodb(aws), _table(aws)
    for run in range(RUNS):
        key = {"pk": {"S": f"RACE#{run}"}, "sk": {"S": "RECORD"}}
        dynamodb.put_item(TableName=table, Item={**key, "version": {"N": "1"}, "owner": {"S": "nobody"}})
        outcomes: dict[str, bool] = {}
        barrier = threading.Barrier(2)

        def update(name: str, key=key, barrier=barrier, outcomes=outcomes) -> None:
            client = aws.client("dynamodb")
            barrier.wait()
            try:
                client.update_item(
                    TableName=table,
                    Key=key,
                    UpdateExpression="SET #v = :next, #o = :me",
                    ConditionExpression="#v = :seen",
                    ExpressionAttributeNames={"#v": "version", "#o": "owner"},
                    ExpressionAttributeValues={":next": {"N": "2"}, ":seen": {"N": "1"}, ":me": {"S": name}},
                )
                outcomes[name] = True
            except client.exceptions.ConditionalCheckFailedException:
                outcomes[name] = False

        threads = [threading.Thread(target=update, args=(n,)) for n in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes.values()) == [False, True], run
        stored = dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
        assert stored["owner"]["S"] == next(n for n, won in outcomes.items() if won), run


def test_a_failed_transaction_does_not_undo_other_writes(aws):
    """moto restores a copy of the whole table when a transaction fails: writes made meanwhile vanished."""
    dynamodb, table = _dynamodb(aws), _table(aws)
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "GUARD"}, "sk": {"S": "RECORD"}, "version": {"N": "1"}})
    written: list[str] = []
    stop = threading.Event()

    def write() -> None:
        client = aws.client("dynamodb")
        for n in range(150):
            client.put_item(TableName=table, Item={"pk": {"S": "MEMOS"}, "sk": {"S": f"MEMO#{n:04d}"}})
            written.append(f"MEMO#{n:04d}")
        stop.set()

    def fail() -> None:
        client = aws.client("dynamodb")
        while not stop.is_set():
            with pytest.raises(client.exceptions.TransactionCanceledException):
                client.transact_write_items(
                    TransactItems=[
                        {"Put": {"TableName": table, "Item": {"pk": {"S": "OTHER"}, "sk": {"S": uuid.uuid4().hex}}}},
                        {
                            "ConditionCheck": {
                                "TableName": table,
                                "Key": {"pk": {"S": "GUARD"}, "sk": {"S": "RECORD"}},
                                "ConditionExpression": "version = :two",
                                "ExpressionAttributeValues": {":two": {"N": "2"}},
                            }
                        },
                    ]
                )

    threads = [threading.Thread(target=write), threading.Thread(target=fail)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    items = dynamodb.query(
        TableName=table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "MEMOS"}},
        ConsistentRead=True,
    )["Items"]
    assert sorted(i["sk"]["S"] for i in items) == written
    other = dynamodb.query(
        TableName=table, KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": "OTHER"}}
    )
    assert other["Items"] == []


# ---------------------------------------------------------------------- S3 presigned POST
def post(form: dict, content: bytes, content_type: str = "application/pdf", **extra: str) -> requests.Response:
    fields = {**form["fields"], **extra}
    return requests.post(form["url"], data=fields, files={"file": ("document.pdf", content, content_type)}, timeout=30)


def stored_keys(aws, prefix: str) -> list[str]:
    bucket = aws.physical["DocumentsBucket"].ref
    listing = aws.client("s3").list_objects_v2(Bucket=bucket, Prefix=prefix)
    return [o["Key"] for o in listing.get("Contents", [])]


def test_a_document_over_the_policys_size_is_refused(seeded_api, aws):
    of = seeded_api.login(*OF)
    response = seeded_api.post(
        f"/structures/{HEAD}/documents", json={"filename": "gros.pdf", "content_type": "application/pdf"}, headers=of
    )
    assert response.status_code == 201, response.get_json()
    form = response.get_json()
    assert form["max_bytes"] == 10 * 1024 * 1024
    too_large = post(form, b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
    assert too_large.status_code == 400 and "<Code>EntityTooLarge</Code>" in too_large.text
    assert stored_keys(aws, f"structures/{HEAD}/documents/") == []
    accepted = post(form, b"%PDF-1.4\n%%EOF\n")
    assert accepted.status_code == 204, accepted.text
    assert stored_keys(aws, f"structures/{HEAD}/documents/") == [form["fields"]["key"]]


def test_a_document_of_another_type_is_refused(aws):
    form = documents.upload_form(f"tests/{uuid.uuid4().hex}/doc.pdf", "application/pdf", 1024)
    refused = post(form, b"<html><script>alert(1)</script></html>", **{"Content-Type": "text/html"})
    assert refused.status_code == 403 and "Policy Condition failed" in refused.text
    assert stored_keys(aws, "tests/") == []


def test_a_tampered_policy_or_an_extra_field_is_refused(aws):
    form = documents.upload_form(f"tests/{uuid.uuid4().hex}/doc.pdf", "application/pdf", 1024)
    policy = json.loads(base64.b64decode(form["fields"]["policy"]))
    policy["conditions"] = [
        c for c in policy["conditions"] if not (isinstance(c, list) and c[0] == "content-length-range")
    ]
    tampered = dict(form, fields={**form["fields"], "policy": base64.b64encode(json.dumps(policy).encode()).decode()})
    assert post(tampered, b"%PDF-1.4").status_code == 403
    assert post(form, b"%PDF-1.4", **{"x-amz-meta-owner": "someone"}).status_code == 403
    other_key = dict(form, fields={**form["fields"], "key": "tests/elsewhere.pdf"})
    assert post(other_key, b"%PDF-1.4").status_code == 403
    assert stored_keys(aws, "tests/") == []
    assert post(form, b"%PDF-1.4").status_code == 204


def test_an_expired_policy_is_refused(aws):
    from ofeli import aws as ofeli_aws
    from ofeli.settings import settings

    key = f"tests/{uuid.uuid4().hex}/doc.pdf"
    form = ofeli_aws.client("s3").generate_presigned_post(
        Bucket=settings().documents_bucket,
        Key=key,
        Fields={"Content-Type": "application/pdf"},
        Conditions=[{"Content-Type": "application/pdf"}, ["content-length-range", 1, 1024]],
        ExpiresIn=-60,
    )
    expired = post(form, b"%PDF-1.4")
    assert expired.status_code == 403 and "Policy expired" in expired.text
    assert stored_keys(aws, "tests/") == []
