"""Cold-start proxy: how long each function's module takes to import (`python -X importtime`), beside a
bare `import boto3` measured in the same run.

Absolute times move with the machine's load (the same code measured 371 ms and 765 ms here), so the
figure that counts is the ratio to the baseline. Goal: at most 1.5 for every function. Each figure is
the best of RUNS fresh interpreters (noise from other work only ever adds time), the function and the
baseline measured turn about.
Run: make bench (or .venv/bin/python bench/import_time.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_RATIO = 1.5
RUNS = 5
BASELINE = "import boto3"

sys.path.insert(0, str(ROOT / "infra/local"))
from ofeli_local.cfn import Function, load_template  # noqa: E402


def import_ms(code: str, env: dict[str, str] | None = None) -> float:
    """The import time of `code` in a fresh interpreter: the sum of its top-level imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    total_us = 0
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = (part for part in line.removeprefix("import time:").split("|"))
        if not name.startswith("  "):  # a top-level import (nested ones are inside its cumulative time)
            total_us += int(cumulative)
    return total_us / 1000


def literal_environment(function: Function) -> dict[str, str]:
    """The function's environment variables that are plain values in the template (as Lambda sets them;
    references to resources are left out, they are not read at import)."""
    return {k: str(v) for k, v in function.environment.items() if isinstance(v, str | int | float)}


def function_code(path: Path) -> str:
    return f"from ofeli.api.modules import load_function_module; load_function_module({str(path)!r})"


def main() -> None:
    template = load_template(ROOT / "template.yaml")
    print(f"{'function':<24} {'import (ms)':>12} {'boto3 (ms)':>11} {'ratio':>6}  goal ≤ {GOAL_RATIO}")
    worst = 0.0
    for function in template.functions.values():
        code = function_code(function.module_path(ROOT))
        env = literal_environment(function)
        own, base = [], []
        for _ in range(RUNS):  # turn about, so both see the same load
            own.append(import_ms(code, env))
            base.append(import_ms(BASELINE))
        ms, baseline = min(own), min(base)
        ratio = ms / baseline
        worst = max(worst, ratio)
        flag = "ok" if ratio <= GOAL_RATIO else "OVER"
        print(f"{function.logical_id:<24} {ms:>12.0f} {baseline:>11.0f} {ratio:>6.2f}  {flag}")
    print(f"worst ratio: {worst:.2f} (goal ≤ {GOAL_RATIO})")


if __name__ == "__main__":
    main()
