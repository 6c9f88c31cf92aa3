"""Reading template.yaml: the truth for routes, tables, buckets, queues, the pool and schedules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ACCOUNT_ID = "123456789012"
STACK_NAME = "ofeli-local"


class TemplateError(Exception):
    """template.yaml cannot be read or does not describe what the local stack needs."""


class _CfnLoader(yaml.SafeLoader):
    pass


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _tag)


@dataclass(frozen=True)
class ApiRoute:
    function: str
    method: str
    path: str
    authorized: bool

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = ""
        for segment in self.path.strip("/").split("/"):
            if segment.startswith("{") and segment.endswith("+}"):
                regex += f"/(?P<{segment[1:-2]}>.+)"
            elif segment.startswith("{") and segment.endswith("}"):
                regex += f"/(?P<{segment[1:-1]}>[^/]+)"
            elif segment:
                regex += "/" + re.escape(segment)
        return re.compile(f"^{regex or '/'}$")

    @property
    def literal_segments(self) -> int:
        return sum(1 for s in self.path.strip("/").split("/") if s and not s.startswith("{"))


@dataclass(frozen=True)
class QueueSubscription:
    function: str
    queue: str  # logical id
    batch_size: int
    report_failures: bool


@dataclass(frozen=True)
class Schedule:
    function: str
    name: str
    seconds: int
    input: str | None = None  # the schedule's `Input`: the event the function gets instead of a Scheduled Event


@dataclass
class Function:
    logical_id: str
    code_uri: str
    handler: str
    environment: dict[str, Any] = field(default_factory=dict)
    timeout: int = 3
    memory: int = 128

    def module_path(self, root: Path) -> Path:
        module, _, _attr = self.handler.rpartition(".")
        return root / self.code_uri / (module.replace(".", "/") + ".py")

    @property
    def attribute(self) -> str:
        return self.handler.rpartition(".")[2]

    @property
    def short_name(self) -> str:
        return self.logical_id.removesuffix("Function").lower()


_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_UNIT = {"minute": 60, "hour": 3600, "day": 86400}


def rate_seconds(expression: str) -> int:
    match = _RATE.match(expression.strip())
    if not match:
        raise TemplateError(f"planification non prise en charge localement : {expression!r} (attendu : rate(N unités))")
    return int(match.group(1)) * _UNIT[match.group(2).rstrip("s")]


@dataclass
class Template:
    path: Path
    body: dict[str, Any]
    functions: dict[str, Function]
    routes: list[ApiRoute]
    subscriptions: list[QueueSubscription]
    schedules: list[Schedule]

    @property
    def root(self) -> Path:
        return self.path.parent

    def resources(self, kind: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.body.get("Resources", {}).items() if v.get("Type") == kind}

    def parameter_default(self, name: str) -> Any:
        return self.body.get("Parameters", {}).get(name, {}).get("Default")

    def find_function(self, name: str) -> Function | None:
        wanted = name.lower()
        return next(
            (f for f in self.functions.values() if wanted in {f.logical_id.lower(), f.short_name}),
            None,
        )


def load_template(path: Path) -> Template:
    try:
        body = yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506 (SafeLoader subclass)
    except OSError as error:
        raise TemplateError(f"impossible de lire {path} : {error.strerror}") from error
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (ligne {where.line + 1})" if where else ""
        raise TemplateError(
            f"{path.name} n'est pas un YAML valide{line} : {getattr(error, 'problem', error)}"
        ) from error
    if not isinstance(body, dict) or not isinstance(body.get("Resources"), dict):
        raise TemplateError(f"{path.name} ne déclare aucune ressource (section Resources absente)")

    globals_fn = body.get("Globals", {}).get("Function", {})
    global_env = globals_fn.get("Environment", {}).get("Variables", {})
    functions: dict[str, Function] = {}
    routes: list[ApiRoute] = []
    subscriptions: list[QueueSubscription] = []
    schedules: list[Schedule] = []
    for logical_id, resource in body["Resources"].items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = resource.get("Properties", {})
        if "CodeUri" not in props or "Handler" not in props:
            raise TemplateError(f"la fonction {logical_id} n'a pas de CodeUri ou de Handler")
        functions[logical_id] = Function(
            logical_id=logical_id,
            code_uri=str(props["CodeUri"]),
            handler=str(props["Handler"]),
            environment={**global_env, **props.get("Environment", {}).get("Variables", {})},
            timeout=int(props.get("Timeout", globals_fn.get("Timeout", 3))),
            memory=int(props.get("MemorySize", globals_fn.get("MemorySize", 128))),
        )
        for event_name, event in (props.get("Events") or {}).items():
            kind, eprops = event.get("Type"), event.get("Properties", {})
            if kind == "Api":
                auth = (eprops.get("Auth") or {}).get("Authorizer")
                routes.append(ApiRoute(logical_id, str(eprops["Method"]).upper(), str(eprops["Path"]), auth != "NONE"))
            elif kind == "SQS":
                queue = eprops.get("Queue", {})
                if not (isinstance(queue, dict) and "Fn::GetAtt" in queue):
                    raise TemplateError(f"{logical_id}.{event_name} : la file doit être !GetAtt <File>.Arn")
                subscriptions.append(
                    QueueSubscription(
                        logical_id,
                        queue["Fn::GetAtt"][0],
                        int(eprops.get("BatchSize", 10)),
                        "ReportBatchItemFailures" in (eprops.get("FunctionResponseTypes") or []),
                    )
                )
            elif kind == "Schedule":
                given = eprops.get("Input")
                schedules.append(
                    Schedule(
                        logical_id, event_name, rate_seconds(str(eprops["Schedule"])), str(given) if given else None
                    )
                )
    if not functions:
        raise TemplateError(f"{path.name} ne déclare aucune fonction AWS::Serverless::Function")
    return Template(path, body, functions, routes, subscriptions, schedules)
