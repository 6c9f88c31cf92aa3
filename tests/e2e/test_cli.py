"""`ofeli serve` as a person runs it: one-line errors, a clean stop on Ctrl-C.

Every process a test starts is killed when the test ends, whatever happened (a wait that timed out, a
failed assert): a left-over `ofeli serve` would hold its port and its memory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def _serve(*args: str, cwd: Path = ROOT, limit: float = 60) -> Iterator[subprocess.Popen[str]]:
    """`ofeli serve` started, and killed on the way out if it still runs (also after `limit` seconds, so
    that reading its output never hangs the test run)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "OFELI_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "ofeli_local.cli", "serve", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    timer = threading.Timer(limit, process.kill)
    timer.start()
    try:
        yield process
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
        process.communicate()  # reaps it and closes its pipes


def test_a_bad_template_is_one_line(tmp_path):
    (tmp_path / "template.yaml").write_text("Resources: [unclosed\n")
    with _serve("--root", str(tmp_path), "--port", "0") as process:
        out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.strip().count("\n") == 0 and "Traceback" not in err
    assert err.startswith("ofeli : template.yaml n'est pas un YAML valide")


def test_a_taken_port_is_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with _serve("--port", str(port)) as process:
            out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.strip() == (
        f"ofeli : le port {port} est déjà utilisé : arrêtez l'autre programme "
        "ou choisissez-en un autre (PORT=8001 make run)"
    )


def test_ready_line_then_clean_stop_on_ctrl_c():
    with _serve("--port", "0", "--no-seed") as process:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:  # the ready line comes once everything is up (or the process is killed)
            lines.append(line)
            if line.startswith("OFeli prêt sur http://127.0.0.1:"):
                break
        assert lines and lines[-1].startswith("OFeli prêt sur http://127.0.0.1:"), lines
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "OFeli arrêté." in out and "Traceback" not in err
