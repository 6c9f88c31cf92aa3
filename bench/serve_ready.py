"""Time from `ofeli serve` to its ready line (with the demo data). Goal: under 5 s once installed.

Prints each run and the median of 3. Run: make bench.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 5.0
RUNS = 3


def ready_seconds() -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "OFELI_"))}
    env["PYTHONUNBUFFERED"] = "1"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "ofeli_local.cli", "serve", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("OFeli prêt sur"):
                return time.perf_counter() - started
        raise RuntimeError("ofeli serve stopped before it was ready")
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    times = [ready_seconds() for _ in range(RUNS)]
    for i, seconds in enumerate(times, 1):
        print(f"run {i}: {seconds:.2f} s")
    median = statistics.median(times)
    print(f"ofeli serve → ready: median {median:.2f} s (goal < {GOAL_S:.0f} s) {'ok' if median < GOAL_S else 'OVER'}")


if __name__ == "__main__":
    main()
