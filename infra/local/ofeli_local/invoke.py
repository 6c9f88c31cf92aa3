"""Calling a template function's handler in this process, as Lambda would."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from ofeli.api.modules import load_function_module
from ofeli_local.aws import REGION
from ofeli_local.cfn import ACCOUNT_ID, Function, Template, TemplateError


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


class Invoker:
    def __init__(self, template: Template) -> None:
        self.template = template

    def module(self, function: Function) -> ModuleType:
        return load_function_module(function.module_path(self.template.root))

    def handler(self, function: Function) -> Any:
        return getattr(self.module(function), function.attribute)

    def invoke(self, function: Function, event: dict[str, Any]) -> Any:
        context = LambdaContext(function.logical_id, function.memory, function.timeout)
        return self.handler(function)(event, context)

    def load_all(self) -> None:
        """Import every handler now, so a broken one fails the start rather than a request."""
        for function in self.template.functions.values():
            path: Path = function.module_path(self.template.root)
            if not path.is_file():
                raise TemplateError(
                    f"{function.logical_id} : le fichier {path.relative_to(self.template.root)} n'existe pas"
                )
            self.handler(function)
