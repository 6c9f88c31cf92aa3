"""Guarded writes and paginated reads on the single table (DESIGN.md rule 4).

Every create is conditioned on `attribute_not_exists(pk)`, every update on the item's `version`,
multi-item changes go through one `TransactWriteItems`. Failed conditions become domain errors.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from ofeli import aws
from ofeli.domain.errors import Conflict, violation
from ofeli.settings import settings

Item = dict[str, Any]
STALE = "Ces données ont été modifiées entre-temps : rechargez la page pour voir la dernière version."


def table() -> Any:
    return aws.dynamodb().Table(settings().table)


def plain(value: Any) -> Any:
    """DynamoDB values as plain Python (Decimal → int or float), recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | set | tuple):
        return [plain(v) for v in value]
    return value


def stored(value: Any) -> Any:
    """Python values as DynamoDB takes them (float → Decimal), recursively."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, Mapping):
        return {k: stored(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [stored(v) for v in value]
    return value


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def get(pk: str, sk: str, *, consistent: bool = False) -> Item | None:
    item = table().get_item(Key={"pk": pk, "sk": sk}, ConsistentRead=consistent).get("Item")
    return plain(item) if item is not None else None


def get_many(keys: list[tuple[str, str]], *, consistent: bool = False) -> list[Item]:
    """Several items by (pk, sk), in batch reads, in the order asked; missing ones are left out."""
    name = settings().table
    wanted = list(dict.fromkeys(keys))
    found: dict[tuple[str, str], Item] = {}
    for start in range(0, len(wanted), 100):
        keys_asked = [{"pk": pk, "sk": sk} for pk, sk in wanted[start : start + 100]]
        request: dict[str, Any] = {name: {"Keys": keys_asked, "ConsistentRead": consistent}}
        while request:
            out = aws.dynamodb().batch_get_item(RequestItems=request)
            for item in out["Responses"].get(name, []):
                found[(item["pk"], item["sk"])] = plain(item)
            request = out.get("UnprocessedKeys") or {}
    return [found[key] for key in keys if key in found]


def put_new(item: Item, *, conflict: str) -> Item:
    """Create an item that must not exist yet; `conflict` is the French message when it does."""
    try:
        table().put_item(
            Item=stored({**item, "version": item.get("version", 1)}), ConditionExpression="attribute_not_exists(pk)"
        )
    except ClientError as error:
        if _error_code(error) == "ConditionalCheckFailedException":
            raise Conflict(conflict) from error
        raise
    return {**item, "version": item.get("version", 1)}


def update_versioned(pk: str, sk: str, changes: Mapping[str, Any], *, version: int, conflict: str = STALE) -> Item:
    """Set `changes` on an item still at `version`, and bump it; a stale version is a Conflict."""
    names = {f"#f{i}": name for i, name in enumerate(changes)}
    values: dict[str, Any] = {f":v{i}": stored(value) for i, value in enumerate(changes.values())}
    sets = [f"#f{i} = :v{i}" for i in range(len(changes))]
    names["#version"] = "version"
    values[":expected"] = version
    values[":next"] = version + 1
    sets.append("#version = :next")
    try:
        out = table().update_item(
            Key={"pk": pk, "sk": sk},
            UpdateExpression="SET " + ", ".join(sets),
            ConditionExpression="attribute_exists(pk) AND #version = :expected",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if _error_code(error) == "ConditionalCheckFailedException":
            raise Conflict(conflict) from error
        raise
    return plain(out["Attributes"])


def delete(pk: str, sk: str) -> None:
    """Remove an item that is not kept by the guide (a draft, a consumed key...)."""
    table().delete_item(Key={"pk": pk, "sk": sk})


# Transactions: build actions with these, then `transact([...])`.
def tx_put_new(item: Item) -> dict[str, Any]:
    return {
        "Put": {
            "TableName": settings().table,
            "Item": stored({**item, "version": item.get("version", 1)}),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def tx_put(item: Item) -> dict[str, Any]:
    """A derived item (a search row...) written whatever it was: the transaction's other actions
    carry the conditions, so it is written only with them."""
    return {"Put": {"TableName": settings().table, "Item": stored(item)}}


def tx_delete(
    pk: str, sk: str, *, condition: str | None = None, values: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    action: dict[str, Any] = {"TableName": settings().table, "Key": {"pk": pk, "sk": sk}}
    if condition:
        action["ConditionExpression"] = condition
        if names := _names_in(condition):
            action["ExpressionAttributeNames"] = names
    if values:
        action["ExpressionAttributeValues"] = stored(dict(values))
    return {"Delete": action}


def tx_update(
    pk: str,
    sk: str,
    changes: Mapping[str, Any],
    *,
    condition: str,
    values: Mapping[str, Any] | None = None,
    remove: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Set `changes` (and remove `remove`) if `condition` holds; the item's version is bumped.

    `condition` names attributes as `#name` for any attribute set or removed here, values as `:name`.
    """
    names = {f"#{name}": name for name in [*changes, *remove, "version"]}
    expression = "SET " + ", ".join([f"#{k} = :set_{k}" for k in changes] + ["#version = #version + :one"])
    if remove:
        expression += " REMOVE " + ", ".join(f"#{name}" for name in remove)
    all_values = {f":set_{k}": v for k, v in changes.items()} | {":one": 1} | dict(values or {})
    names |= _names_in(condition)
    return {
        "Update": {
            "TableName": settings().table,
            "Key": {"pk": pk, "sk": sk},
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": stored(all_values),
        }
    }


def _names_in(expression: str) -> dict[str, str]:
    """`#name` placeholders of an expression, each standing for the attribute of the same name."""
    return {f"#{token}": token for token in re.findall(r"#(\w+)", expression)}


def tx_check(pk: str, sk: str, *, condition: str = "attribute_exists(pk)") -> dict[str, Any]:
    return {
        "ConditionCheck": {"TableName": settings().table, "Key": {"pk": pk, "sk": sk}, "ConditionExpression": condition}
    }


def transact(actions: list[dict[str, Any]], *, conflict: str = STALE) -> None:
    """All of `actions` or none of them; any failed condition is a Conflict with `conflict`."""
    try:
        aws.dynamodb().meta.client.transact_write_items(TransactItems=actions)
    except ClientError as error:
        if _error_code(error) == "TransactionCanceledException":
            reasons = error.response.get("CancellationReasons", [])
            if any(r.get("Code") == "ConditionalCheckFailed" for r in reasons):
                raise Conflict(conflict) from error
        raise


@dataclass
class Page:
    items: list[Item]
    cursor: str | None


def _encode_cursor(key: Mapping[str, Any] | None) -> str | None:
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(plain(key)).encode()).decode()


def _decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise violation("cursor", "Le curseur de pagination est invalide : repartez de la première page.")
    return value


def query(
    pk: str,
    *,
    sk_prefix: str | None = None,
    index: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
    forward: bool = True,
    consistent: bool = False,
) -> Page:
    """One page of a partition (of the table or of `gsi1`/`gsi2`), optionally by sort-key prefix."""
    pk_name, sk_name = ("pk", "sk") if index is None else (f"{index}pk", f"{index}sk")
    condition = "#pk = :pk"
    names, values = {"#pk": pk_name}, {":pk": pk}
    if sk_prefix:
        condition += " AND begins_with(#sk, :sk)"
        names["#sk"], values[":sk"] = sk_name, sk_prefix
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        "ScanIndexForward": forward,
    }
    if index:
        kwargs["IndexName"] = index
    elif consistent:  # a strongly consistent read of the table itself (an index never is)
        kwargs["ConsistentRead"] = True
    if limit:
        kwargs["Limit"] = limit
    if cursor:
        kwargs["ExclusiveStartKey"] = _decode_cursor(cursor)
    out = table().query(**kwargs)
    return Page([plain(i) for i in out.get("Items", [])], _encode_cursor(out.get("LastEvaluatedKey")))


def query_all(pk: str, **kwargs: Any) -> Iterator[Item]:
    """Every item of a partition, page after page."""
    cursor: str | None = None
    while True:
        page = query(pk, cursor=cursor, **kwargs)
        yield from page.items
        if not page.cursor:
            return
        cursor = page.cursor


def query_partitions(
    pks: list[str],
    *,
    index: str | None = None,
    after: Mapping[str, str] | None = None,
    latest: bool = False,
    consistent: bool = False,
) -> list[Item]:
    """Every item of several partitions, queried in parallel (the client is thread-safe, the resource
    is not; the resource's client still takes and gives plain values): the region-wide searches read
    their partitions this way, never with a Scan. `after`: only the items whose sort key comes after the
    partition's value; `latest`: only each partition's last item."""
    from concurrent.futures import ThreadPoolExecutor

    client = aws.dynamodb().meta.client
    name = settings().table
    pk_name, sk_name = ("pk", "sk") if index is None else (f"{index}pk", f"{index}sk")

    def one(pk: str) -> list[Item]:
        kwargs: dict[str, Any] = {
            "TableName": name,
            "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": pk_name},
            "ExpressionAttributeValues": {":pk": pk},
        }
        if after is not None and pk in after:
            kwargs["KeyConditionExpression"] += " AND #sk > :after"
            kwargs["ExpressionAttributeNames"]["#sk"] = sk_name
            kwargs["ExpressionAttributeValues"][":after"] = after[pk]
        if latest:
            kwargs |= {"ScanIndexForward": False, "Limit": 1}
        if index:
            kwargs["IndexName"] = index
        elif consistent:
            kwargs["ConsistentRead"] = True
        items: list[Item] = []
        while True:
            out = client.query(**kwargs)
            items += [plain(i) for i in out.get("Items", [])]
            if latest or not out.get("LastEvaluatedKey"):
                return items
            kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]

    with ThreadPoolExecutor(max_workers=min(8, len(pks) or 1)) as pool:
        return [item for items in pool.map(one, pks) for item in items]


def count(pk: str, *, index: str | None = None) -> int:
    """How many items a partition holds (a `Select=COUNT` query: no item travels)."""
    pk_name = "pk" if index is None else f"{index}pk"
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": pk_name},
        "ExpressionAttributeValues": {":pk": pk},
        "Select": "COUNT",
    }
    if index:
        kwargs["IndexName"] = index
    total = 0
    while True:
        out = table().query(**kwargs)
        total += int(out.get("Count", 0))
        if not out.get("LastEvaluatedKey"):
            return total
        kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]


def next_number(counter: str) -> int:
    """An atomically incremented counter (reference numbers)."""
    out = table().update_item(
        Key={"pk": "COUNTER", "sk": counter},
        UpdateExpression="ADD #n :one",
        ExpressionAttributeNames={"#n": "n"},
        ExpressionAttributeValues={":one": 1},
        ReturnValues="UPDATED_NEW",
    )
    return int(out["Attributes"]["n"])
