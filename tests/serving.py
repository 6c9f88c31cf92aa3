"""`ofeli serve` as a real process, as a user starts it (the `server` fixture, the fuzzing's own)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


class Server:
    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url
        self.output: list[str] = []


@contextmanager
def serving() -> Iterator[Server]:
    """`ofeli serve --port 0` as a user would start it, its own moto, its own demo data; stopped on exit."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for name in [k for k in env if k.startswith(("AWS_", "OFELI_"))]:
        del env[name]
    process = subprocess.Popen(
        [sys.executable, "-m", "ofeli_local.cli", "serve", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        url = None
        timer = threading.Timer(60, process.kill)
        timer.start()
        for line in process.stdout:
            lines.append(line)
            match = re.search(r"OFeli prêt sur (http://\S+)", line)
            if match:
                url = match.group(1)
                break
        timer.cancel()
        if url is None:
            pytest.fail("ofeli serve did not start:\n" + "".join(lines))
        running = Server(process, url)
        running.output = lines
        threading.Thread(target=lambda: running.output.extend(process.stdout or []), daemon=True).start()
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
