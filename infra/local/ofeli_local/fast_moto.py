"""moto's DynamoDB at the speed its answers deserve: the same answers, without two costs AWS does not have.

moto 5.2.5 spends, on every request, time that grows with what the table holds rather than with what
the request reads, and the region-wide searches (issue 11) and every test pay for it:

- a `Query` on the table lists and sorts *every item of the table* (`Table.all_items()`), then keeps the
  partition asked for: 4 s for one partition of 20 items in a table of 100,000. Here a query on the
  table (not on an index: an index's partition is not a key of moto's storage) is given its partition
  only. moto's own code still sorts, pages, filters and projects it: the answer is the same.
  Nor are its items deep-copied before they are serialised: they are only read.
- its response serializer walks botocore's model for every `AttributeValue` (each of its ten members
  looked up through a generic attribute picker): about a millisecond per item with a few attributes.
  Here an `AttributeValue` of DynamoDB's answers is written directly, as that serializer writes it
  (`B` and `BS` in base64, `N`, `S`, `SS`, `NS` as strings, `M` and `L` recursively, `BOOL`, `NULL`).

Neither change loosens anything (conditions, transactions and their serialisation are untouched);
`tests/integration/test_fast_moto.py` checks that answers are byte-for-byte those of moto's own code.
`install()` is idempotent; the local stack calls it when it starts moto.
"""

from __future__ import annotations

import copy
import functools
import inspect
from typing import Any

_ORIGINALS: dict[str, Any] = {}


def _attribute_value(serializer: Any, value: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, inner in value.items():
        if inner is None:
            continue
        if kind == "B":
            out[kind] = serializer._base64(inner)
        elif kind == "BS":
            out[kind] = [serializer._base64(v) for v in inner]
        elif kind == "M":
            out[kind] = {k: _attribute_value(serializer, v) for k, v in inner.items()}
        elif kind == "L":
            out[kind] = [_attribute_value(serializer, v) for v in inner]
        elif kind in ("SS", "NS"):
            out[kind] = [str(v) for v in inner]
        elif kind in ("S", "N"):
            out[kind] = str(inner) if inner not in ({}, []) else inner
        else:  # BOOL, NULL
            out[kind] = inner
    return out


class _NoDeepCopy:
    """`copy` as moto's query sees it on a table partition: its results list copied, not its items."""

    copy = staticmethod(copy.copy)

    @staticmethod
    def deepcopy(value: Any) -> Any:
        return list(value) if isinstance(value, list) else copy.deepcopy(value)


def install() -> None:
    from moto.core.serialize import BaseJSONSerializer
    from moto.dynamodb.models import table as table_module
    from moto.dynamodb.models.table import Table

    if _ORIGINALS:
        return
    original_structure = BaseJSONSerializer._serialize_type_structure

    @functools.wraps(original_structure)
    def serialize_structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if (
            shape.name == "AttributeValue"
            and isinstance(value, dict)
            and self.operation_model.service_model.service_name == "dynamodb"
        ):
            self._default_serialize(serialized, _attribute_value(self, value), shape, key)
            return
        original_structure(self, serialized, value, shape, key)

    original_query = Table.query
    signature = inspect.signature(original_query)

    @functools.wraps(original_query)
    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = signature.bind(self, hash_key, *args, **kwargs).arguments.get("index_name")
        if index_name or hash_key is None:
            return original_query(self, hash_key, *args, **kwargs)
        partition = list(self.items.get(hash_key, {}).values())
        # moto's query reads `self.all_items()`, then deep-copies what it returns; requests to DynamoDB run
        # one at a time (strict.py), so neither change is ever seen by another request. The copy is not
        # needed on the table's own partition: what the query returns is read (projected into new items,
        # serialised), never written.
        self.all_items = lambda: partition
        table_module.copy = _NoDeepCopy  # type: ignore[assignment]
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            table_module.copy = copy
            del self.all_items

    _ORIGINALS.update(structure=original_structure, query=original_query)
    BaseJSONSerializer._serialize_type_structure = serialize_structure  # type: ignore[method-assign]
    Table.query = query  # type: ignore[method-assign]


def uninstall() -> None:
    """moto's own code again (the test that compares the two)."""
    from moto.core.serialize import BaseJSONSerializer
    from moto.dynamodb.models.table import Table

    if _ORIGINALS:
        BaseJSONSerializer._serialize_type_structure = _ORIGINALS.pop("structure")  # type: ignore[method-assign]
        Table.query = _ORIGINALS.pop("query")  # type: ignore[method-assign]
