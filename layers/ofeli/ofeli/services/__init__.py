"""Use cases: what a route, a worker or the demo seed asks for, combining domain rules and storage."""

from __future__ import annotations

import importlib
from typing import Any


class _Deferred:
    """A service module imported at its first use: a function's routes name the services they call,
    and a cold start pays for the storage, e-mail and job code only when a route needs it."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        # import_module is thread-safe and, once imported, a dictionary look-up.
        return getattr(importlib.import_module(self._name), attribute)


def deferred(*names: str) -> tuple[Any, ...]:
    """`accounts, structures = deferred("accounts", "structures")`, under `if not TYPE_CHECKING:` (mypy
    reads the plain import beside it)."""
    return tuple(_Deferred(f"{__name__}.{name}") for name in names)
