"""The guarded writes and paginated reads every capability builds on (DESIGN.md rule 4)."""

from __future__ import annotations

import threading

import pytest

from ofeli.domain.errors import Conflict, RuleViolation
from ofeli.store import table


def test_create_is_conditioned(aws):
    table.put_new({"pk": "THING#1", "sk": "RECORD", "name": "a"}, conflict="Existe déjà.")
    with pytest.raises(Conflict) as caught:
        table.put_new({"pk": "THING#1", "sk": "RECORD", "name": "b"}, conflict="Existe déjà.")
    assert caught.value.message == "Existe déjà."
    assert table.get("THING#1", "RECORD")["name"] == "a"


def test_update_checks_the_version(aws):
    table.put_new({"pk": "THING#1", "sk": "RECORD", "name": "a"}, conflict="x")
    first = table.update_versioned("THING#1", "RECORD", {"name": "b"}, version=1)
    assert (first["name"], first["version"]) == ("b", 2)
    with pytest.raises(Conflict):
        table.update_versioned("THING#1", "RECORD", {"name": "stale"}, version=1)
    assert table.get("THING#1", "RECORD") == {**first}


def test_update_of_a_missing_item_is_a_conflict_not_a_creation(aws):
    with pytest.raises(Conflict):
        table.update_versioned("THING#404", "RECORD", {"name": "x"}, version=1)
    assert table.get("THING#404", "RECORD") is None


def test_transaction_is_all_or_nothing(aws):
    table.put_new({"pk": "THING#1", "sk": "RECORD"}, conflict="x")
    with pytest.raises(Conflict):
        table.transact(
            [table.tx_put_new({"pk": "THING#2", "sk": "RECORD"}), table.tx_put_new({"pk": "THING#1", "sk": "RECORD"})]
        )
    assert table.get("THING#2", "RECORD") is None


def test_query_pages_with_a_cursor(aws):
    for i in range(5):
        table.put_new({"pk": "LIST", "sk": f"ITEM#{i}", "n": i}, conflict="x")
    first = table.query("LIST", sk_prefix="ITEM#", limit=2)
    assert [i["n"] for i in first.items] == [0, 1] and first.cursor
    second = table.query("LIST", sk_prefix="ITEM#", limit=2, cursor=first.cursor)
    assert [i["n"] for i in second.items] == [2, 3]
    assert [i["n"] for i in table.query_all("LIST", sk_prefix="ITEM#")] == [0, 1, 2, 3, 4]
    assert [i["n"] for i in table.query("LIST", forward=False, limit=1).items] == [4]


def test_a_bad_cursor_is_a_clear_error(aws):
    with pytest.raises(RuleViolation) as caught:
        table.query("LIST", cursor="garbage!!")
    assert caught.value.fields[0].field == "cursor"


def test_numbers_come_back_as_plain_python(aws):
    table.put_new({"pk": "N", "sk": "1", "whole": 3, "part": 1.5}, conflict="x")
    item = table.get("N", "1")
    assert item["whole"] == 3 and isinstance(item["whole"], int)
    assert item["part"] == 1.5


def test_counters_are_atomic_and_increasing(aws):
    assert [table.next_number("FORMATION") for _ in range(3)] == [1, 2, 3]


def test_counters_called_at_once_from_many_threads_give_each_number_once(aws):
    """Reference numbers drawn in parallel (as many Lambda instances do): none lost, none given twice."""
    threads, calls = 16, 10
    start = threading.Barrier(threads)
    drawn: list[int] = []
    failures: list[BaseException] = []

    def draw() -> None:
        try:
            start.wait()
            numbers = [table.next_number("SESSION") for _ in range(calls)]
        except BaseException as error:  # noqa: BLE001 (reported below, with the numbers)
            failures.append(error)
        else:
            drawn.extend(numbers)

    workers = [threading.Thread(target=draw) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    assert sorted(drawn) == list(range(1, threads * calls + 1))  # distinct and contiguous
    assert table.next_number("SESSION") == threads * calls + 1
    assert table.next_number("FORMATION") == 1  # another counter, untouched
