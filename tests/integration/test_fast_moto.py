"""The local stack's faster moto (ofeli_local.fast_moto) answers what moto's own code answers: every
DynamoDB read the product makes, on items with every type of attribute, with and without it."""

from __future__ import annotations

import base64
from typing import Any

from ofeli_local import fast_moto

PARTITIONS = 3


def _table(aws) -> str:
    return next(iter(aws.template.resources("AWS::DynamoDB::Table")))


def _item(p: int, n: int) -> dict[str, Any]:
    return {
        "pk": {"S": f"FASTMOTO#{p}"},
        "sk": {"S": f"ROW#{n:03d}"},
        "gsi2pk": {"S": "FASTMOTO-INDEX"},
        "gsi2sk": {"S": f"{n:03d}#{p}"},
        "text": {"S": f"Élément « {n} » — été"},
        "empty": {"S": ""},
        "count": {"N": str(n * 7 - 3)},
        "ratio": {"N": "0.125"},
        "blob": {"B": base64.b64decode(base64.b64encode(bytes(range(n % 7, n % 7 + 40))))},
        "blobs": {"BS": [b"\x00\x01", bytes([n % 256])]},
        "names": {"SS": ["a", f"b{n}"]},
        "numbers": {"NS": ["1", str(n)]},
        "flag": {"BOOL": n % 2 == 0},
        "nothing": {"NULL": True},
        "nested": {
            "M": {
                "list": {"L": [{"S": "x"}, {"N": "2"}, {"M": {"deep": {"B": b"\xff\xfe"}}}, {"L": []}, {"NULL": True}]},
                "map": {"M": {}},
                "when": {"S": "2026-11-30"},
                "set": {"SS": ["z"]},
                "yes": {"BOOL": False},
            }
        },
    }


def _reads(client, table: str) -> list[Any]:
    out: list[Any] = []
    for p in range(PARTITIONS):
        out.append(
            client.query(
                TableName=table,
                KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": {"S": f"FASTMOTO#{p}"}},
            )
        )
    pages, kwargs = (
        [],
        {
            "TableName": table,
            "KeyConditionExpression": "pk = :p AND begins_with(sk, :s)",
            "FilterExpression": "#f = :t",
            "ProjectionExpression": "sk, #n, nested.#l",
            "ExpressionAttributeNames": {"#f": "flag", "#n": "names", "#l": "list"},
            "ExpressionAttributeValues": {":p": {"S": "FASTMOTO#1"}, ":s": {"S": "ROW#0"}, ":t": {"BOOL": True}},
            "Limit": 4,
            "ScanIndexForward": False,
        },
    )
    while True:
        page = client.query(**kwargs)
        pages.append(page)
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    out.append(pages)
    out.append(
        client.query(
            TableName=table,
            IndexName="gsi2",
            KeyConditionExpression="gsi2pk = :p",
            ExpressionAttributeValues={":p": {"S": "FASTMOTO-INDEX"}},
        )
    )
    out.append(
        client.query(
            TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "FASTMOTO#none"}}
        )
    )
    out.append(client.get_item(TableName=table, Key={"pk": {"S": "FASTMOTO#2"}, "sk": {"S": "ROW#005"}}))
    out.append(client.get_item(TableName=table, Key={"pk": {"S": "FASTMOTO#2"}, "sk": {"S": "ROW#999"}}))
    batch = client.batch_get_item(
        RequestItems={
            table: {"Keys": [{"pk": {"S": f"FASTMOTO#{p}"}, "sk": {"S": "ROW#003"}} for p in range(PARTITIONS)]}
        }
    )
    out.append(sorted(batch["Responses"][table], key=lambda i: i["pk"]["S"]))
    for page in out[:-1]:
        for answer in page if isinstance(page, list) else [page]:
            answer.pop("ResponseMetadata", None)
    return out


def test_the_faster_moto_answers_what_moto_answers(aws) -> None:
    client, table = aws.client("dynamodb"), _table(aws)
    for p in range(PARTITIONS):
        for n in range(12):
            client.put_item(TableName=table, Item=_item(p, n))
    fast = _reads(client, table)
    fast_moto.uninstall()
    try:
        slow = _reads(client, table)
    finally:
        fast_moto.install()
    assert fast == slow
    assert len(fast[0]["Items"]) == 12
    assert fast[0]["Items"][5]["blob"]["B"] == bytes(range(5, 45))
    assert fast[0]["Items"][5]["nested"]["M"]["list"]["L"][2]["M"]["deep"]["B"] == b"\xff\xfe"
