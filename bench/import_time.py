"""Cold-start proxy: how long each function's module takes to import (`python -X importtime`).

Goal: under 400 ms each. Prints one line per function, the median of 3 fresh interpreters.
Run: make bench (or .venv/bin/python bench/import_time.py).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 400
RUNS = 3

sys.path.insert(0, str(ROOT / "infra/local"))
from ofeli_local.cfn import load_template  # noqa: E402


def import_ms(path: Path) -> float:
    code = f"from ofeli.api.modules import load_function_module; load_function_module({str(path)!r})"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    total_us = 0
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = (part for part in line.removeprefix("import time:").split("|"))
        if not name.startswith("  "):  # a top-level import (nested ones are inside its cumulative time)
            total_us += int(cumulative)
    return total_us / 1000


def main() -> None:
    template = load_template(ROOT / "template.yaml")
    print(f"{'function':<24} {'import (ms)':>12}  goal < {GOAL_MS} ms")
    worst = 0.0
    for function in template.functions.values():
        ms = statistics.median(import_ms(function.module_path(ROOT)) for _ in range(RUNS))
        worst = max(worst, ms)
        flag = "ok" if ms < GOAL_MS else "OVER"
        print(f"{function.logical_id:<24} {ms:>12.0f}  {flag}")
    print(f"worst: {worst:.0f} ms")


if __name__ == "__main__":
    main()
