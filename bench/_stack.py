"""What the benchmarks share (not a benchmark: `make bench` skips `_*.py`): the local stack started for
one run, its API client, and the figures' arithmetic."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "infra/local"))

from werkzeug.test import Client  # noqa: E402

from ofeli_local.aws import LocalAws  # noqa: E402
from ofeli_local.cfn import load_template  # noqa: E402
from ofeli_local.gateway import Gateway  # noqa: E402
from ofeli_local.invoke import Invoker  # noqa: E402


def on_local_stack(run: Callable[[Any, Client], None]) -> None:
    """`run(template, api)` on a local stack of its own (emulated AWS, the API's gateway), stopped after."""
    template = load_template(ROOT / "template.yaml")
    aws = LocalAws(template, parameters={"WebOrigin": "http://127.0.0.1:8000", "AddressSearch": "local"})
    aws.start()
    try:
        run(template, Client(Gateway(template, Invoker(template), web_root=ROOT / "web", local_pages=None)))
    finally:
        aws.stop()


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000
