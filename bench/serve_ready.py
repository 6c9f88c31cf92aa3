"""Time from `ofeli serve` to its ready line (with the demo data). Goal: under 5 s once installed.

Beside it, in the same run, a baseline: a bare moto server started and stopped in a fresh interpreter
(the emulator alone, before any of OFeli), so a slower machine shows as a slower baseline, not as a
slower OFeli. Prints each run and the medians of 3. Run: make bench.
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


BARE_MOTO = (
    "from moto.server import ThreadedMotoServer; "
    "s = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False); s.start(); s.stop()"
)


def baseline_seconds() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", BARE_MOTO], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    times, baselines = [], []
    for i in range(1, RUNS + 1):  # turn about, so both see the same load
        times.append(ready_seconds())
        baselines.append(baseline_seconds())
        print(f"run {i}: {times[-1]:.2f} s (bare moto: {baselines[-1]:.2f} s)")
    median, baseline = statistics.median(times), statistics.median(baselines)
    verdict = "ok" if median < GOAL_S else "OVER"
    print(f"ofeli serve → ready: median {median:.2f} s (goal < {GOAL_S:.0f} s) {verdict}")
    print(f"bare moto server: median {baseline:.2f} s; ratio {median / baseline:.1f}")


if __name__ == "__main__":
    main()
