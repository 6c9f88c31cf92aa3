"""What the generated checks (route × role matrix, fuzzing) found, printed at the end of the pytest run."""

from __future__ import annotations

from typing import Any

import pytest

_NAME = "ofeli-findings"


class _Findings:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.lines:
            terminalreporter.section("OFeli : matrice des droits et fuzzing")
            for line in self.lines:
                terminalreporter.write_line(line)


def report(config: pytest.Config, line: str) -> None:
    """Print `line` in the run's closing summary (whether the test passed or failed)."""
    plugin = config.pluginmanager.get_plugin(_NAME)
    if plugin is None:
        plugin = _Findings()
        config.pluginmanager.register(plugin, _NAME)
    plugin.lines.append(line)
