"""template.yaml is the truth (DESIGN.md rule 6): it must lint clean and agree with the code."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from ofeli.settings import Settings
from ofeli_local.invoke import Invoker

ROOT = Path(__file__).resolve().parents[1]


def test_cfn_lint_is_clean():
    lint = shutil.which("cfn-lint", path=str(Path(sys.executable).parent)) or "cfn-lint"
    result = subprocess.run([lint, str(ROOT / "template.yaml")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_function_has_a_handler_that_imports(template):
    invoker = Invoker(template)
    for function in template.functions.values():
        assert callable(invoker.handler(function)), function.logical_id


def _declared_routes(invoker: Invoker, function) -> dict[tuple[str, str], object]:
    resolver = getattr(invoker.module(function), "app", None)
    if resolver is None:
        return {}
    routes = resolver._static_routes + resolver._dynamic_routes  # Powertools keeps no public list
    return {(route.method.upper(), route.openapi_path): route for route in routes}


def test_routes_in_code_and_template_agree(template):
    invoker = Invoker(template)
    for function in template.functions.values():
        in_code = set(_declared_routes(invoker, function))
        in_template = {(r.method, r.path) for r in template.routes if r.function == function.logical_id}
        assert in_code == in_template, function.logical_id


def test_routes_behind_the_authorizer_say_so_in_openapi(template):
    invoker = Invoker(template)
    for route in template.routes:
        declared = _declared_routes(invoker, template.functions[route.function])[(route.method, route.path)]
        if route.function == "DocsFunction":
            continue
        assert bool(declared.security) == route.authorized, f"{route.method} {route.path}"


def test_layer_requirements_match_the_project_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lines = (ROOT / "layers/ofeli/requirements.txt").read_text().splitlines()
    layer = [line for line in lines if line and not line.startswith("#")]
    assert sorted(layer) == sorted(project)


def test_functions_get_every_setting_from_the_template(template):
    required = {f"OFELI_{name.upper()}" for name, field in Settings.model_fields.items() if field.is_required()}
    for function in template.functions.values():
        assert required <= set(function.environment), function.logical_id


def test_the_table_has_the_indexes_the_store_uses(template):
    (table,) = template.resources("AWS::DynamoDB::Table").values()
    indexes = {index["IndexName"] for index in table["Properties"]["GlobalSecondaryIndexes"]}
    used = set()
    for path in (ROOT / "layers/ofeli/ofeli/store").glob("*.py"):
        used |= set(re.findall(r'index="(\w+)"', path.read_text()))
    assert used and used <= indexes
    assert table["Properties"]["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}


def test_every_function_with_events_has_a_sample_event(template):
    samples = {p.name.split("-", 1)[0] for p in (ROOT / "events").glob("*.json")}
    with_events = {f.short_name for f in template.functions.values()} & (
        {template.functions[r.function].short_name for r in template.routes}
        | {template.functions[s.function].short_name for s in template.subscriptions}
        | {template.functions[s.function].short_name for s in template.schedules}
    )
    assert with_events <= samples


@pytest.mark.parametrize("sample", sorted(p.name for p in (ROOT / "events").glob("*.json")))
def test_sample_events_are_accepted(aws, template, sample):
    function = template.find_function(sample.split("-", 1)[0])
    assert function is not None, sample
    event = json.loads((ROOT / "events" / sample).read_text())
    result = Invoker(template).invoke(function, event)
    if "statusCode" in (result or {}):
        assert result["statusCode"] < 500, result


def test_schema_names_mean_one_thing_across_functions(template):
    """The merged OpenAPI document keeps one schema per name: two models with one name would clash."""
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    invoker = Invoker(template)
    seen: dict[str, tuple[str, str]] = {}
    for function in template.functions.values():
        resolver = getattr(invoker.module(function), "app", None)
        if resolver is None:
            continue
        schema = resolver.get_openapi_schema(security_schemes={"cognito": HTTPBearer()})
        components = schema.model_dump(by_alias=True, exclude_none=True).get("components", {}).get("schemas", {})
        for name, body in components.items():
            text = json.dumps(body, sort_keys=True)
            first = seen.setdefault(name, (function.logical_id, text))
            assert first[1] == text, f"{name}: {first[0]} and {function.logical_id} define it differently"
