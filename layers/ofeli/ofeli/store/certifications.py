"""The certification referential (France Compétences' RNCP and RS fiches), as last imported, and the
search index built from it.

- `CERTIFICATION#<code>` / `RECORD`: the fiche (`ofeli.domain.certifications.Certification` dumped),
  with the `digest` of its content (an unchanged fiche is never written again) and a `version`. Its
  partners (thousands for some RS fiches) are kept zlib-compressed in one text attribute (base64),
  `partners_z`, so that an item stays far below DynamoDB's 400 KB.
- `CERTIFICATION#<code>` / `SEARCH`: its compact search row (code, title, level, active, end of
  registration, certifiers' names, blocks, first exam session, successors, Certifinfo), written in the
  same transaction as the record and filed under one of `SHARDS` partitions of `gsi2`
  (`CERTIFICATIONS#<number % SHARDS>` / `<code>`): the import reads them all back with parallel queries
  to build the search snapshot, never with a Scan.
- `REFERENTIAL#CERTIFICATIONS` / `INDEX`: the pointer to the search snapshot: `generation` (bumped after
  every write of fiches), `built` (the generation the snapshot reflects), `key` (the snapshot's S3 key,
  named after its content), `count`, `built_at`. A request reads it with one GetItem.
- The snapshot itself: one gzip JSON object in the documents bucket under `referential/certifications/`
  (see `ofeli.services.certifications`).

Writes are conditioned on what was read: a new fiche with `attribute_not_exists(pk)`, a changed one on
the digest read before, 50 fiches (100 actions) or about 3 MB per transaction.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import zlib
from typing import Any

from botocore.exceptions import ClientError

from ofeli import aws
from ofeli.domain.certifications import Certification
from ofeli.domain.errors import Conflict
from ofeli.settings import settings
from ofeli.store import table
from ofeli.store.table import Item

SHARDS = 8
ROW_FORMAT = 1  # part of the digest: changing what a record or its row holds rewrites them at the next import
MAX_ACTIONS = 100  # TransactWriteItems' limit
MAX_TRANSACTION_BYTES = 3_000_000  # below the 4 MB a transaction may carry
POINTER = ("REFERENTIAL#CERTIFICATIONS", "INDEX")
SNAPSHOT_PREFIX = "referential/certifications/"
_KEYS = {"pk", "sk", "gsi2pk", "gsi2sk", "digest", "version", "partners_z"}


def record_key(code: str) -> str:
    return f"CERTIFICATION#{code}"


def shard_of(number: int) -> str:
    return f"CERTIFICATIONS#{number % SHARDS}"


def digest(certification: Certification) -> str:
    """The fiche's content, summed up: equal digests, nothing to write."""
    text = f"{ROW_FORMAT}:{certification.model_dump_json()}"
    return hashlib.sha256(text.encode()).hexdigest()


# ---------------------------------------------------------------------- reading fiches
def _certification(item: Item) -> Certification:
    data = {k: v for k, v in item.items() if k not in _KEYS}
    packed = item.get("partners_z")
    if packed:
        data["partners"] = json.loads(zlib.decompress(base64.b64decode(packed)))
    return Certification.model_validate(data)


def get(code: str) -> Certification | None:
    """The fiche of this code (canonical: `RNCP35000`, `RS5678`), or None when the referential lacks it."""
    item = table.get(record_key(code), "RECORD")
    return _certification(item) if item is not None else None


def get_many(codes: list[str]) -> dict[str, Certification]:
    """The fiches of these codes that the referential holds, by code, in batch reads."""
    items = table.get_many([(record_key(code), "RECORD") for code in dict.fromkeys(codes)])
    return {item["code"]: _certification(item) for item in items}


def digests(codes: list[str]) -> dict[str, Item]:
    """What the import compares: `{code: {"digest", "version"}}` of the stored fiches among `codes`
    (batch reads of those three attributes only)."""
    name = settings().table
    wanted = list(dict.fromkeys(codes))
    found: dict[str, Item] = {}
    for start in range(0, len(wanted), 100):
        keys = [{"pk": record_key(code), "sk": "RECORD"} for code in wanted[start : start + 100]]
        request: dict[str, Any] = {
            name: {
                "Keys": keys,
                "ProjectionExpression": "#code, #digest, #version",
                "ExpressionAttributeNames": {"#code": "code", "#digest": "digest", "#version": "version"},
            }
        }
        while request:
            out = aws.dynamodb().batch_get_item(RequestItems=request)
            for item in out["Responses"].get(name, []):
                found[str(item["code"])] = table.plain(item)
            request = out.get("UnprocessedKeys") or {}
    return found


# ---------------------------------------------------------------------- writing fiches
def search_row(certification: Certification) -> Item:
    """The compact row the search snapshot is made of (no key attributes; `None`s left out)."""
    row: Item = {
        "code": certification.code,
        "repertory": certification.repertory,
        "number": certification.number,
        "title": certification.title,
        "active": certification.active,
        "level": certification.level,
        "level_label": certification.level_label,
        "abbreviation": certification.abbreviation_code,
        "registration_end": certification.registration_end.isoformat() if certification.registration_end else None,
        "first_exam_session": (
            certification.first_exam_session.isoformat() if certification.first_exam_session else None
        ),
        "certifiers": [c.name for c in certification.certifiers],
        "blocks": [{"code": b.code, "title": b.title} for b in certification.blocks],
        "successors": list(certification.successors),
        "certifinfo": certification.certifinfo,
    }
    return {k: v for k, v in row.items() if v is not None}


def _items(certification: Certification, content_digest: str) -> tuple[Item, Item]:
    data = certification.model_dump(mode="json", exclude={"partners"})
    partners = json.dumps([p.model_dump(mode="json") for p in certification.partners], ensure_ascii=False)
    key = record_key(certification.code)
    record: Item = {
        "pk": key,
        "sk": "RECORD",
        **data,
        "partners_z": base64.b64encode(zlib.compress(partners.encode(), 6)).decode(),
        "digest": content_digest,
    }
    row: Item = {
        "pk": key,
        "sk": "SEARCH",
        "gsi2pk": shard_of(certification.number),
        "gsi2sk": certification.code,
        **search_row(certification),
    }
    return record, row


def _actions(certification: Certification, content_digest: str, previous: Item | None) -> list[dict[str, Any]]:
    """The record (new, or still at the digest read) and its search row (derived: written with it)."""
    record, row = _items(certification, content_digest)
    if previous is None:
        put = table.tx_put_new(record)
    else:
        put = {
            "Put": {
                "TableName": settings().table,
                "Item": table.stored({**record, "version": int(previous.get("version", 1)) + 1}),
                "ConditionExpression": "#digest = :seen",
                "ExpressionAttributeNames": {"#digest": "digest"},
                "ExpressionAttributeValues": {":seen": previous["digest"]},
            }
        }
    return [put, table.tx_put(row)]


def _size(actions: list[dict[str, Any]]) -> int:
    return sum(len(json.dumps(a, default=str)) for a in actions)


def write(changes: list[tuple[Certification, str, Item | None]]) -> int:
    """Write each (fiche, its digest, what was read of it or None) with its search row, in transactions
    of at most 100 actions and about 3 MB; how many fiches were written.

    A transaction refused because a fiche changed since it was read (another import at the same time) is
    retried fiche by fiche, and the fiches that moved are left to that other import."""
    groups: list[list[list[dict[str, Any]]]] = []
    current: list[list[dict[str, Any]]] = []
    actions = size = 0
    for certification, content_digest, previous in changes:
        pair = _actions(certification, content_digest, previous)
        pair_size = _size(pair)
        if current and (actions + len(pair) > MAX_ACTIONS or size + pair_size > MAX_TRANSACTION_BYTES):
            groups.append(current)
            current, actions, size = [], 0, 0
        current.append(pair)
        actions += len(pair)
        size += pair_size
    if current:
        groups.append(current)
    written = 0
    for group in groups:
        try:
            table.transact([action for pair in group for action in pair])
            written += len(group)
        except Conflict:
            for pair in group:
                try:
                    table.transact(pair)
                    written += 1
                except Conflict:
                    continue
    return written


# ---------------------------------------------------------------------- the search index
def pointer() -> Item | None:
    """The index's pointer (one GetItem): `key`, `built`, `generation`, `count`... or None."""
    return table.get(*POINTER)


def mark_changed() -> int:
    """After fiches were written: the snapshot no longer reflects the table (its new generation)."""
    out = table.table().update_item(
        Key={"pk": POINTER[0], "sk": POINTER[1]},
        UpdateExpression="ADD #generation :one",
        ExpressionAttributeNames={"#generation": "generation"},
        ExpressionAttributeValues={":one": 1},
        ReturnValues="UPDATED_NEW",
    )
    return int(out["Attributes"]["generation"])


def search_rows() -> list[Item]:
    """Every fiche's search row: the `SHARDS` partitions of `gsi2`, queried in parallel."""
    items = table.query_partitions([shard_of(n) for n in range(SHARDS)], index="gsi2")
    return [{k: v for k, v in item.items() if k not in _KEYS} for item in items]


def put_snapshot(content: bytes) -> str:
    """Store a snapshot (gzip JSON) under a key named after its content; that key."""
    key = f"{SNAPSHOT_PREFIX}{hashlib.sha256(content).hexdigest()[:32]}.json.gz"
    aws.client("s3").put_object(
        Bucket=settings().documents_bucket,
        Key=key,
        Body=content,
        ContentType="application/json",
        ContentEncoding="gzip",
    )
    return key


def read_snapshot(key: str) -> Any:
    body = aws.client("s3").get_object(Bucket=settings().documents_bucket, Key=key)["Body"]
    try:
        return json.loads(gzip.decompress(body.read()))
    finally:
        body.close()


def set_index(key: str, *, generation: int, count: int, at: str) -> bool:
    """Point the index to the snapshot `key`, built from the table as it was at `generation`, unless a
    snapshot of a later generation is in place already; False then."""
    try:
        table.table().update_item(
            Key={"pk": POINTER[0], "sk": POINTER[1]},
            UpdateExpression="SET #key = :key, #built = :generation, #count = :count, built_at = :at",
            ConditionExpression="attribute_not_exists(#built) OR #built <= :generation",
            ExpressionAttributeNames={"#key": "key", "#built": "built", "#count": "count"},
            ExpressionAttributeValues={":key": key, ":generation": generation, ":count": count, ":at": at},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True
