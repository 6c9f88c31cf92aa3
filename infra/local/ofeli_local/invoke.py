"""Calling a template function's handler in this process, as Lambda would."""

from __future__ import annotations

import functools
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from ofeli.api.modules import load_function_module
from ofeli_local.aws import REGION
from ofeli_local.cfn import ACCOUNT_ID, Function, Template, TemplateError

# How many instances of one function may run at once (Lambda scales out further; a laptop need not).
INSTANCES = 4


@dataclass
class LambdaContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int
    timeout: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    _deadline: float = field(default=0.0)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout
        self.log_group_name = f"/aws/lambda/{self.function_name}"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class Instances:
    """The instances of one function: each runs one invocation at a time, as a Lambda container does.

    An invocation takes an idle instance, or imports a new copy of the function's module (up to
    `limit`, as Lambda scales out), or waits for one to be free. A Powertools resolver keeps the
    current event on its app object: one app shared by two threads would mix their requests.
    """

    def __init__(self, load: Callable[[int], ModuleType], limit: int) -> None:
        self._load = load
        self._limit = limit
        self._idle: list[ModuleType] = []
        self._made = 0
        self._free = threading.Condition()

    @contextmanager
    def one(self) -> Iterator[ModuleType]:
        with self._free:
            while not self._idle and self._made >= self._limit:
                self._free.wait()
            if self._idle:
                module = self._idle.pop()
            else:
                copy, self._made = self._made, self._made + 1
                module = None
        if module is None:
            try:
                module = self._load(copy)
            except BaseException:
                with self._free:
                    self._made -= 1
                    self._free.notify()
                raise
        try:
            yield module
        finally:
            with self._free:
                self._idle.append(module)
                self._free.notify()


class Invoker:
    def __init__(self, template: Template, *, instances: int = INSTANCES) -> None:
        self.template = template
        self._instances = {
            logical_id: Instances(functools.partial(self._load, function), instances)
            for logical_id, function in template.functions.items()
        }

    def _load(self, function: Function, copy: int) -> ModuleType:
        return load_function_module(function.module_path(self.template.root), copy)

    def module(self, function: Function) -> ModuleType:
        """The first copy of the function's module (what the OpenAPI merge and tests look at)."""
        return self._load(function, 0)

    def handler(self, function: Function) -> Any:
        return getattr(self.module(function), function.attribute)

    def instances(self, function: Function) -> Instances:
        return self._instances[function.logical_id]

    def invoke(self, function: Function, event: dict[str, Any]) -> Any:
        context = LambdaContext(function.logical_id, function.memory, function.timeout)
        with self.instances(function).one() as module:
            return getattr(module, function.attribute)(event, context)

    def load_all(self) -> None:
        """Import every handler now, so a broken one fails the start rather than a request."""
        for function in self.template.functions.values():
            path: Path = function.module_path(self.template.root)
            if not path.is_file():
                raise TemplateError(
                    f"{function.logical_id} : le fichier {path.relative_to(self.template.root)} n'existe pas"
                )
            with self.instances(function).one() as module:
                getattr(module, function.attribute)
