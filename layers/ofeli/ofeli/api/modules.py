"""Loading the functions' `app.py` modules by path: every function names its module `app`, so the
OpenAPI merge and the local stack load each one under a name of its own."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_function_module(path: Path, copy: int = 0) -> ModuleType:
    """Import `functions/<name>/app.py` as `ofeli_function_<name>` (once per process).

    `copy` > 0 imports another, separate copy (`ofeli_function_<name>__<copy>`): the local stack runs
    several instances of a function side by side, each with its own resolver, as Lambda's containers.
    """
    path = Path(path).resolve()
    name = f"ofeli_function_{path.parent.name}" + (f"__{copy}" if copy else "")
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module
