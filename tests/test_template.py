"""template.yaml is the truth (DESIGN.md rule 8): it must lint clean and agree with the code, grant each
function what it uses and nothing more (rule 7), and say how the stack is operated and served."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from ofeli.settings import Settings
from ofeli_local import headers
from ofeli_local.aws import LocalAws
from ofeli_local.cfn import Function, Template
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
        if declared.security == [{"partner": []}]:  # an X-Api-Key, checked by the function: no Cognito
            assert not route.authorized, f"{route.method} {route.path}"
            continue
        assert bool(declared.security) == route.authorized, f"{route.method} {route.path}"


def test_cors_allows_every_method_the_routes_use(template):
    cors = _api(template)["Properties"]["Cors"]["AllowMethods"]
    allowed = set(cors.strip("'").split(","))
    assert {route.method for route in template.routes} | {"OPTIONS"} <= allowed


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


def test_schema_names_mean_one_thing_across_functions(template):
    """The merged OpenAPI document keeps one schema per name: two models with one name would clash."""
    from aws_lambda_powertools.event_handler.openapi.models import APIKey, APIKeyIn, HTTPBearer

    invoker = Invoker(template)
    seen: dict[str, tuple[str, str]] = {}
    partner = APIKey.model_validate({"in": APIKeyIn.header, "name": "X-Api-Key"})
    for function in template.functions.values():
        resolver = getattr(invoker.module(function), "app", None)
        if resolver is None:
            continue
        schema = resolver.get_openapi_schema(security_schemes={"cognito": HTTPBearer(), "partner": partner})
        components = schema.model_dump(by_alias=True, exclude_none=True).get("components", {}).get("schemas", {})
        for name, body in components.items():
            text = json.dumps(body, sort_keys=True)
            first = seen.setdefault(name, (function.logical_id, text))
            assert first[1] == text, f"{name}: {first[0]} and {function.logical_id} define it differently"


# ---------------------------------------------------------------------- least privilege (DESIGN rule 7)
# The Cognito actions each function may hold: an account's password and sessions are the accounts
# function's, creating an account (approving a request) the moderation function's. Nothing else.
COGNITO = {
    "AccountsFunction": {
        "cognito-idp:AdminSetUserPassword",
        "cognito-idp:AdminUserGlobalSignOut",
    },
    "ModerationFunction": {
        "cognito-idp:AdminCreateUser",
        "cognito-idp:AdminDeleteUser",
        "cognito-idp:AdminGetUser",
    },
}
# Who may administer the pool's groups (make someone a moderator): no deployed function does (the demo
# seed runs locally; moderators are made with the AWS CLI, see the README). A route that makes
# moderators would go in one function, named here, and only there.
GROUP_ADMINISTRATORS: set[str] = set()


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _policies(template: Template, logical_id: str) -> list[Any]:
    return template.body["Resources"][logical_id]["Properties"].get("Policies") or []


def _statements(template: Template, logical_id: str) -> list[dict[str, Any]]:
    return [s for policy in _policies(template, logical_id) if "Statement" in policy for s in policy["Statement"]]


def _actions(template: Template, logical_id: str) -> set[str]:
    return {a for s in _statements(template, logical_id) for a in _list(s.get("Action", []))}


def _behind_the_api(template: Template) -> set[str]:
    return {route.function for route in template.routes}


def test_grants_are_statements_that_name_their_actions(template):
    """No SAM policy template (DynamoDBCrudPolicy hid Scan and DeleteItem on the whole table), no managed
    policy: every grant is a statement whose actions can be read, and checked below."""
    for logical_id in template.functions:
        for policy in _policies(template, logical_id):
            name = next(iter(policy), policy) if isinstance(policy, dict) else policy
            assert not str(name).endswith("CrudPolicy"), f"{logical_id}: {name} grants what the code does not use"
            assert isinstance(policy, dict) and list(policy) == ["Statement"], (
                f"{logical_id}: {name} — write the actions out in a Statement"
            )
            for statement in policy["Statement"]:
                assert statement.get("Effect") == "Allow" and "Action" in statement and "Resource" in statement, (
                    f"{logical_id}: {statement}"
                )
                assert not {"NotAction", "NotResource", "Principal"} & set(statement), f"{logical_id}: {statement}"


def test_no_wildcard_action_or_resource(template):
    for logical_id in template.functions:
        for statement in _statements(template, logical_id):
            for action in _list(statement["Action"]):
                assert "*" not in action, f"{logical_id}: {action} (name each action)"
                assert re.fullmatch(r"[a-z0-9-]+:[A-Za-z0-9]+", action), f"{logical_id}: {action}"
            for resource in _list(statement["Resource"]):
                assert resource != "*", f"{logical_id}: {statement['Action']} on every resource"


def test_cognito_actions_only_where_allowed(template):
    for logical_id in template.functions:
        held = {a for a in _actions(template, logical_id) if a.startswith("cognito-idp:")}
        assert held <= COGNITO.get(logical_id, set()), f"{logical_id}: {sorted(held - COGNITO.get(logical_id, set()))}"
        groups = {a for a in held if "Group" in a}
        assert not groups or logical_id in GROUP_ADMINISTRATORS, f"{logical_id} administers groups: {groups}"


def test_no_scan_behind_the_api(template):
    """A request reads with GetItem or Query; Scan (and PartiQL, which can scan) only in batch jobs."""
    for logical_id in _behind_the_api(template):
        scans = {
            a for a in _actions(template, logical_id) if a in {"dynamodb:Scan"} or a.startswith("dynamodb:PartiQL")
        }
        assert not scans, f"{logical_id} is behind the API and holds {scans}"


def test_only_jobs_send_email(template):
    """E-mails after a commit are jobs (DESIGN rule 6): no function behind the API holds SES."""
    senders = {f for f in template.functions if any(a.startswith("ses:") for a in _actions(template, f))}
    assert senders and not senders & _behind_the_api(template), senders


def test_the_table_is_granted_by_its_arn_and_indexes_by_name(template):
    """Table grants name the table or one of its indexes, never every table of the account."""
    (table_id,) = template.resources("AWS::DynamoDB::Table")
    (table,) = template.resources("AWS::DynamoDB::Table").values()
    indexes = {index["IndexName"] for index in table["Properties"]["GlobalSecondaryIndexes"]}
    allowed = [{"Fn::GetAtt": [table_id, "Arn"]}] + [
        {"Fn::Sub": f"${{{table_id}.Arn}}/index/{name}"} for name in sorted(indexes)
    ]
    for logical_id in template.functions:
        for statement in _statements(template, logical_id):
            if any(a.startswith("dynamodb:") for a in _list(statement["Action"])):
                for resource in _list(statement["Resource"]):
                    assert resource in allowed, f"{logical_id}: {resource}"


# ---------------------------------------------------------------------- the grants, enforced
# moto can enforce IAM: each function below runs with an IAM user holding its template grants and
# nothing else, so a missing grant fails here as it would in AWS. moto checks the resource of S3 and
# SQS actions (so the S3 prefixes are checked), and only the action of the others; it does not
# evaluate conditions; it asks for `dynamodb:TransactWriteItems` where AWS asks for each item's action.
ITEM_WRITES = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"}
RESOURCE_CHECKED = ("s3:", "sqs:")


def moto_policy(aws: LocalAws, statements: list[dict[str, Any]]) -> dict[str, Any]:
    translated = []
    for statement in statements:
        actions = _list(statement["Action"])
        if ITEM_WRITES & set(actions):
            actions = [*actions, "dynamodb:TransactWriteItems"]
        checked = all(action.startswith(RESOURCE_CHECKED) for action in actions)
        resource = _list(aws.resolve(statement["Resource"])) if checked else "*"
        translated.append({"Effect": "Allow", "Action": actions, "Resource": resource})
    return {"Version": "2012-10-17", "Statement": translated}


class GrantedInvoker(Invoker):
    """Each invocation runs with its function's own grants, IAM enforced by moto (as Lambda's role would
    be); everything outside invocations (the test, the gateway, the queue's delivery) as before."""

    def __init__(self, template: Template, aws: LocalAws) -> None:
        import boto3

        super().__init__(template)
        iam = aws.client("iam")
        self.keys: dict[str, dict[str, str]] = {}
        self._session = boto3.session.Session()  # one session: service models are loaded once
        self._clients: dict[tuple[str, str], Any] = {}
        for logical_id in template.functions:
            name = f"role-{logical_id}"
            iam.create_user(UserName=name)
            statements = _statements(template, logical_id)
            if statements:  # a function with no grant: a user with no policy, refused everything
                document = json.dumps(moto_policy(aws, statements))
                iam.put_user_policy(UserName=name, PolicyName="grants", PolicyDocument=document)
            key = iam.create_access_key(UserName=name)["AccessKey"]
            self.keys[logical_id] = {
                "aws_access_key_id": key["AccessKeyId"],
                "aws_secret_access_key": key["SecretAccessKey"],
            }

    def _made(self, logical_id: str, kind: str, service: str) -> Any:
        """The function's own client (or DynamoDB resource), signed with its keys, made once."""
        if (logical_id, f"{kind}:{service}") not in self._clients:
            make = self._session.client if kind == "client" else self._session.resource
            self._clients[(logical_id, f"{kind}:{service}")] = make(service, **self.keys[logical_id])
        return self._clients[(logical_id, f"{kind}:{service}")]

    @contextmanager
    def _as(self, logical_id: str) -> Iterator[None]:
        """`ofeli.aws`, where the product gets every client, gives the function's own, IAM enforced."""
        from moto.core.authorization import enable_iam_authentication

        from ofeli import aws as ofeli_aws

        with pytest.MonkeyPatch.context() as patch, enable_iam_authentication():
            patch.setattr(ofeli_aws, "client", lambda service: self._made(logical_id, "client", service))
            patch.setattr(ofeli_aws, "dynamodb", lambda: self._made(logical_id, "resource", "dynamodb"))
            yield

    def invoke(self, function: Function, event: dict[str, Any]) -> Any:
        with self._as(function.logical_id):
            return super().invoke(function, event)


@pytest.fixture
def granted(aws, template) -> GrantedInvoker:
    return GrantedInvoker(template, aws)


def test_a_missing_grant_is_refused(aws, template, granted):
    """The enforcement itself: a function holding no grant on the table cannot read it."""
    from ofeli.store import structures

    with granted._as("DocsFunction"), pytest.raises(Exception, match="AccessDenied"):
        structures.get("81432712100012")
    with granted._as("StructuresFunction"):
        assert structures.get("81432712100012") is None  # read (there is no data)


# ---------------------------------------------------------------------- sample events
def test_every_function_with_events_has_a_sample_event(template):
    samples = {p.name.split("-", 1)[0] for p in (ROOT / "events").glob("*.json")}
    with_events = {f.short_name for f in template.functions.values()} & (
        {template.functions[r.function].short_name for r in template.routes}
        | {template.functions[s.function].short_name for s in template.subscriptions}
        | {template.functions[s.function].short_name for s in template.schedules}
    )
    assert with_events <= samples


def _body(result: dict[str, Any]) -> Any:
    return json.loads(result["body"])


def _account_request_recorded(result: dict[str, Any], aws: LocalAws) -> None:
    from ofeli.store import account_requests

    assert result["statusCode"] == 202, result
    created = _body(result)
    stored = account_requests.get(created["id"])
    assert stored is not None and stored["status"] == "pending" and stored["siret"] == "81432712100038"
    assert created["document_upload"]["fields"]["key"] == f"account-requests/{created['id']}/declaration-activite"


def _signed_in(result: dict[str, Any], aws: LocalAws) -> None:
    assert result["statusCode"] == 200, result
    assert _body(result)["id_token"].count(".") == 2


def _me(result: dict[str, Any], aws: LocalAws) -> None:
    assert result["statusCode"] == 200, result
    me = _body(result)
    assert me["email"] == "contact@of-demo.test"
    assert {s["siret"] for s in me["structures"]} == {"81432712100012", "81432712100020"}


def _openapi(result: dict[str, Any], aws: LocalAws) -> None:
    assert result["statusCode"] == 200, result
    assert "/structures/{siret}" in _body(result)["paths"]


def _docs_page(result: dict[str, Any], aws: LocalAws) -> None:
    assert result["statusCode"] == 200, result
    assert "<title>API OFeli</title>" in result["body"]


def _memos(result: dict[str, Any], aws: LocalAws) -> None:
    assert result["statusCode"] == 200, result
    assert isinstance(_body(result), list)


def _pending_requests(result: dict[str, Any], aws: LocalAws) -> None:
    assert result["statusCode"] == 200, result
    assert isinstance(_body(result), list)


def _structure(result: dict[str, Any], aws: LocalAws) -> None:
    assert result["statusCode"] == 200, result
    view = _body(result)
    assert view["published"]["siret"] == "81432712100012" and view["published"]["name"] == "OF Démo Formation"


def _formation(result: dict[str, Any], aws: LocalAws) -> None:
    assert result["statusCode"] == 200, result
    formation = _body(result)
    assert (formation["ref"], formation["title"], formation["siret"]) == ("F0000001", "CAP boulanger", "81432712100012")


def _space_formations(result: dict[str, Any], aws: LocalAws) -> None:
    assert result["statusCode"] == 200, result
    rows = {(f["title"], f["role"], f["state"]) for f in _body(result)["items"]}
    assert ("CAP boulanger", "responsable", "diffusee") in rows, rows


def _certifications(result: dict[str, Any], aws: LocalAws) -> None:
    """The search over the demo referential: the pointer read, the snapshot read (s3:GetObject)."""
    assert result["statusCode"] == 200, result
    page = _body(result)
    assert page["total"] >= 1 and all("oulang" in hit["title"] for hit in page["items"]), page


def _email_sent(result: dict[str, Any], aws: LocalAws) -> None:
    assert result == {"batchItemFailures": []}
    assert [m["subject"] for m in aws.sent_mail()] == ["Votre dossier OFeli"]


def _run_recorded(result: dict[str, Any], aws: LocalAws) -> None:
    from ofeli.services import linkcheck

    (run,) = linkcheck.last_runs()
    assert run["started_at"] == result["started_at"] and run["trigger"] == "aws.events"


def _export_queued(result: dict[str, Any], aws: LocalAws) -> None:
    """The export recorded (in its transaction with the request's hold) and its job on the queue."""
    assert result["statusCode"] == 202, result
    export_id = _body(result)["id"]
    sqs = aws.client("sqs")
    messages = sqs.receive_message(QueueUrl=aws.physical["JobsQueue"].ref, MaxNumberOfMessages=10)["Messages"]
    assert export_id in [json.loads(m["Body"]).get("export_id") for m in messages]  # the demo's e-mails beside


def _partner_feed(result: dict[str, Any], aws: LocalAws) -> None:
    """The demo key (hashed, looked up with GetItem, its use written) gets the seed's feed, signed."""
    assert result["statusCode"] == 200, result
    feed = _body(result)
    assert feed["offers"] == 3 and "partner-feed/" in feed["url"] and "X-Amz-Signature" in feed["url"]


def _partner_changes(result: dict[str, Any], aws: LocalAws) -> None:
    """Since: the search rows, the changes by month (gsi2), the formations read, a file written and signed."""
    assert result["statusCode"] == 200, result
    changes = _body(result)
    assert changes["offers"] == 3 and changes["withdrawn"] == [] and "partner-feed/changes/" in changes["url"]


def _partner_feed_written(result: dict[str, Any], aws: LocalAws) -> None:
    """The schedule's job: the offer read, the file and its list of formations uploaded, the run recorded."""
    from ofeli.store import partner_feed

    run = partner_feed.latest()
    assert result == {} and run is not None and run["trigger"] == "schedule" and run["offers"] == 3, run
    bucket = aws.physical["ExportsBucket"].ref
    assert aws.client("s3").head_object(Bucket=bucket, Key=run["key"])["ContentLength"] > 0


Check = Callable[[dict[str, Any], LocalAws], None]
DEMO, EMPTY = True, False  # whether the sample acts on the demo data (its accounts, its structures)

# What each sample must give, run with its function's grants alone.
EXPECTED: dict[str, tuple[bool, Check]] = {
    "accounts-account-request.json": (EMPTY, _account_request_recorded),
    "accounts-login.json": (DEMO, _signed_in),
    "accounts-me.json": (DEMO, _me),
    "docs-openapi.json": (EMPTY, _openapi),
    "docs-page.json": (EMPTY, _docs_page),
    "exports-request.json": (DEMO, _export_queued),
    "jobsworker-partner-feed.json": (DEMO, _partner_feed_written),
    "jobsworker-send-email.json": (EMPTY, _email_sent),
    "linkcheck-schedule.json": (EMPTY, _run_recorded),
    "messaging-memos.json": (DEMO, _memos),
    "moderation-account-requests.json": (DEMO, _pending_requests),
    "offers-certifications.json": (DEMO, _certifications),
    "offers-formation.json": (DEMO, _formation),
    "partners-feed.json": (DEMO, _partner_feed),
    "partners-feed-since.json": (DEMO, _partner_changes),
    "search-formations.json": (DEMO, _space_formations),
    "structures-get.json": (DEMO, _structure),
}
SAMPLES = sorted(p.name for p in (ROOT / "events").glob("*.json"))


def test_every_sample_says_what_it_gives():
    assert set(SAMPLES) == set(EXPECTED), "add the new sample's expected outcome to EXPECTED (or drop the line)"


def _as_seeded_user(event: dict[str, Any]) -> dict[str, Any]:
    """A sample names its caller by e-mail; the claims get that demo account's real id (`sub`)."""
    from ofeli.store import users

    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims")
    if claims:
        profile = users.find_by_email(claims["email"])
        assert profile is not None, claims["email"]
        claims["sub"] = profile["user_id"]
    return event


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_events_give_their_expected_outcome(aws, template, granted, sample, request):
    function = template.find_function(sample.split("-", 1)[0])
    assert function is not None, sample
    demo, check = EXPECTED[sample]
    event = json.loads((ROOT / "events" / sample).read_text())
    if demo:
        request.getfixturevalue("demo")
        event = _as_seeded_user(event)
    check(granted.invoke(function, event), aws)


# ---------------------------------------------------------------------- a journey on the grants alone
def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def test_a_journey_runs_on_each_functions_own_grants(demo, template, granted):
    """Every function through its main routes and jobs, each invocation with only its own grants."""
    aws = demo
    from werkzeug.test import Client

    from ofeli_local.gateway import Gateway
    from ofeli_local.workers import Workers

    api = Client(Gateway(template, granted, web_root=ROOT / "web", local_pages=None))
    workers = Workers(aws, granted)
    (subscription,) = template.subscriptions

    def run_jobs() -> None:
        function = template.functions[subscription.function]
        while workers.deliver(subscription, function):
            pass

    def login(email: str, password: str) -> dict[str, str]:
        tokens = _ok(api.post("/auth/login", json={"email": email, "password": password}))
        return {"Authorization": f"Bearer {tokens['id_token']}"}

    moderator = login("moderation@carif-oref.test", "Moderation-2026!")
    of = login("contact@of-demo.test", "Organisme-2026!")
    head, branch = "81432712100012", "81432712100020"

    # an account request, approved: the account made, its key e-mailed by the worker, then used
    email = "lea.martin@nouvel-of.test"
    request = {
        "siret": "55210055400013",
        "nda": "25140000123",
        "contact": {"last_name": "Martin", "first_name": "Léa", "phone": "0231000000", "email": email},
        "accept_privacy_policy": True,
        "document_content_type": "application/pdf",
    }
    request_id = _ok(api.post("/account-requests", json=request), 202)["id"]
    assert request_id in {r["id"] for r in _ok(api.get("/moderation/account-requests", headers=moderator))}
    decision = {"decision": "approve", "structure_name": "Nouvel OF"}
    _ok(api.post(f"/moderation/account-requests/{request_id}/decision", json=decision, headers=moderator))
    run_jobs()
    (mail,) = [m for m in aws.sent_mail() if email in m["destinations"]["ToAddresses"]]
    key = re.search(r"/activation\?key=([A-Za-z0-9_\-]+)", mail["body"])
    assert key, mail["body"]
    _ok(api.post("/activation", json={"key": key.group(1), "password": "Nouvel-OF-2026!"}), 204)
    newcomer = login(email, "Nouvel-OF-2026!")
    assert [s["siret"] for s in _ok(api.get("/me", headers=newcomer))["structures"]] == ["55210055400013"]
    _ok(api.post("/auth/password-reset", json={"email": email}), 202)
    run_jobs()
    assert len([m for m in aws.sent_mail() if email in m["destinations"]["ToAddresses"]]) == 2

    # rights, given and taken back
    user_id = _ok(api.get("/moderation/users", query_string={"email": email}, headers=moderator))["user_id"]
    _ok(api.post(f"/moderation/users/{user_id}/rights", json={"siret": branch}, headers=moderator), 201)
    _ok(api.delete(f"/moderation/users/{user_id}/rights/{branch}", headers=moderator), 204)

    # the structure record: draft, submission, decision, history, documents, dashboard
    record = _ok(api.get(f"/structures/{head}", headers=of))
    data = {k: record["published"][k] for k in ("emails", "phones", "websites", "contact_request")}
    data["emails"] = [*data["emails"], {"label": "Inscriptions", "email": "inscriptions@of-demo.test"}]
    _ok(api.put(f"/structures/{head}/draft", json={"version": 0, "data": data}, headers=of))
    _ok(api.delete(f"/structures/{head}/draft", headers=of), 204)
    _ok(api.put(f"/structures/{head}/draft", json={"version": 0, "data": data}, headers=of))
    _ok(api.post(f"/structures/{head}/submission", headers=of))
    _ok(api.delete(f"/structures/{head}/submission", headers=of))
    _ok(api.post(f"/structures/{head}/submission", headers=of))
    (entry,) = _ok(api.get("/moderation/queue", headers=moderator))
    _ok(api.get(f"/moderation/submissions/{entry['id']}", headers=moderator))
    _ok(api.post(f"/moderation/submissions/{entry['id']}/decision", json={"decision": "approve"}, headers=moderator))
    assert len(_ok(api.get(f"/structures/{head}/history", headers=of))) == 1
    document = {"filename": "qualiopi.pdf", "content_type": "application/pdf"}
    _ok(api.post(f"/structures/{head}/documents", json=document, headers=of), 201)
    assert _ok(api.get(f"/structures/{head}/documents", headers=of)) == []  # nothing uploaded yet
    _ok(api.get(f"/structures/{head}/dashboard", headers=of))
    version = _ok(api.get(f"/structures/{head}", headers=moderator))["published"]["version"]
    patch = {"version": version, "name": "OF Démo Formation (siège)"}
    assert _ok(api.patch(f"/moderation/structures/{head}", json=patch, headers=moderator))["name"] == patch["name"]

    # messages (the moderator's answer e-mailed by the worker) and memos
    _ok(api.post(f"/structures/{head}/messages", json={"body": "Bonjour"}, headers=of), 201)
    _ok(api.post(f"/structures/{head}/messages", json={"body": "C'est noté."}, headers=moderator), 201)
    assert _ok(api.get(f"/structures/{head}/messages", headers=of))[-1]["body"] == "C'est noté."
    _ok(api.get("/moderation/messages", headers=moderator))
    memo = _ok(api.post("/memos", json={"text": "Relancer la Région"}, headers=of), 201)
    _ok(api.get("/memos", headers=of))
    _ok(api.delete(f"/memos/{memo['id']}", headers=of), 204)
    run_jobs()

    # the national list of training organisations: the file put where its presigned POST puts it (that
    # POST is signed with the function's own keys here), started, imported by the worker, Qualiopi filled
    imported = _ok(api.post("/moderation/training-organisation-imports", json={}, headers=moderator), 201)
    listing = (ROOT / "infra/local/demo/liste-publique-des-of.csv").read_bytes()
    bucket, key = aws.physical["DocumentsBucket"].ref, imported["upload"]["fields"]["key"]
    aws.client("s3").put_object(Bucket=bucket, Key=key, Body=listing)
    _ok(api.post(f"/moderation/training-organisation-imports/{imported['id']}/start", headers=moderator), 202)
    run_jobs()
    status = _ok(api.get(f"/moderation/training-organisation-imports/{imported['id']}", headers=moderator))
    assert status["status"] == "done" and status["counts"]["structures_updated"] == 2, status
    assert _ok(api.get("/moderation/account-requests", headers=moderator)) == []

    # France Compétences' referential: imported by the worker (its file read, fiches and structures written,
    # the search snapshot written to S3), then searched through the offers function
    imported = _ok(
        api.post("/moderation/certification-imports", json={"filename": "export.zip"}, headers=moderator), 201
    )
    export = (ROOT / "tests/fixtures/certifications/export-fiches-csv-2026-11-02.zip").read_bytes()
    aws.client("s3").put_object(Bucket=bucket, Key=imported["upload"]["fields"]["key"], Body=export)
    _ok(api.post(f"/moderation/certification-imports/{imported['id']}/start", headers=moderator), 202)
    run_jobs()
    status = _ok(api.get(f"/moderation/certification-imports/{imported['id']}", headers=moderator))
    assert status["status"] == "done" and status["counts"]["read"] == 11, status
    found = _ok(api.get("/certifications", query_string={"q": "RNCP37869"}, headers=of))
    assert [hit["code"] for hit in found["items"]] == ["RNCP37869"]
    assert _ok(api.get("/certifications/RNCP37869", headers=of))["certification"]["title"] == "Boulanger"

    # the session form's dialogs: the organisations a session may name as trainer (the directory's rows on
    # gsi2), and the address search (the layer's fixture: AddressSearch=local)
    found = _ok(api.get("/organisations", query_string={"q": "atelier normand"}, headers=of))
    assert [o["siret"] for o in found["items"]] == ["41298765400016"]
    (hit,) = _ok(api.get("/addresses", query_string={"q": "3 quai Caligny", "limit": "1"}, headers=of))
    assert hit["insee_code"] == "50129" and hit["in_region"]

    # the nightly link check
    schedule = next(s for s in template.schedules if s.function == "LinkcheckFunction")
    assert "started_at" in workers.fire(schedule)

    # every job was done (none waits for a retry, none in the dead-letter queue)
    sqs = aws.client("sqs")
    for queue in template.resources("AWS::SQS::Queue"):
        attributes = sqs.get_queue_attributes(QueueUrl=aws.physical[queue].ref, AttributeNames=["All"])["Attributes"]
        assert attributes["ApproximateNumberOfMessages"] == attributes["ApproximateNumberOfMessagesNotVisible"] == "0"


# ---------------------------------------------------------------------- operations
def _api(template: Template) -> dict[str, Any]:
    (api,) = template.resources("AWS::Serverless::Api").values()
    return api


def test_every_function_is_traced_and_measured(template):
    globals_fn = template.body["Globals"]["Function"]
    assert globals_fn["Tracing"] == "Active"
    for logical_id, function in template.functions.items():
        props = template.body["Resources"][logical_id]["Properties"]
        assert props.get("Tracing", "Active") == "Active", logical_id
        assert function.environment["POWERTOOLS_METRICS_NAMESPACE"] == "OFeli", logical_id
        assert function.environment["POWERTOOLS_SERVICE_NAME"] == "ofeli", logical_id
    assert _api(template)["Properties"]["TracingEnabled"] is True


def test_every_function_logs_to_a_group_with_a_retention(template):
    groups = {
        group["Properties"]["LogGroupName"]["Fn::Sub"]: group["Properties"]
        for group in template.resources("AWS::Logs::LogGroup").values()
    }
    for logical_id in template.functions:
        group = groups.get(f"/aws/lambda/${{{logical_id}}}")
        assert group is not None, f"{logical_id} has no log group"
        retention = group["RetentionInDays"]
        if isinstance(retention, dict):
            retention = template.parameter_default(retention["Ref"])
        assert 1 <= int(retention) <= 731, logical_id


def _alarm(template: Template, namespace: str, metric: str) -> dict[str, Any]:
    (alarm,) = [
        a["Properties"]
        for a in template.resources("AWS::CloudWatch::Alarm").values()
        if (a["Properties"]["Namespace"], a["Properties"]["MetricName"]) == (namespace, metric)
    ]
    (topic,) = template.resources("AWS::SNS::Topic")
    assert alarm["AlarmActions"] == [{"Ref": topic}]
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0)
    return alarm


def test_alarms_on_the_dead_letter_queue_and_on_server_errors(template):
    dead_letter = template.body["Resources"]["JobsQueue"]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]
    queue = dead_letter["Fn::GetAtt"][0]
    alarm = _alarm(template, "AWS/SQS", "ApproximateNumberOfMessagesVisible")
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}]

    alarm = _alarm(template, "AWS/ApiGateway", "5XXError")
    dimensions = {d["Name"]: d["Value"] for d in alarm["Dimensions"]}
    assert dimensions == {"ApiName": _api(template)["Properties"]["Name"], "Stage": {"Ref": "StageName"}}


def test_alarm_email_is_optional(template):
    assert template.parameter_default("AlarmEmail") == ""
    (subscription,) = template.resources("AWS::SNS::Subscription").values()
    assert subscription["Condition"] == "HasAlarmEmail"
    assert template.body["Conditions"]["HasAlarmEmail"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]}
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}


# ---------------------------------------------------------------------- stage throttling
PUBLIC_POSTS = {"/auth/login", "/auth/password-reset", "/account-requests"}


def test_the_stage_is_throttled_and_the_public_posts_more(template):
    settings = {
        (s["ResourcePath"], s["HttpMethod"]): (s["ThrottlingRateLimit"], s["ThrottlingBurstLimit"])
        for s in _api(template)["Properties"]["MethodSettings"]
    }
    rate, burst = settings.pop(("/*", "*"))
    assert 0 < rate <= burst
    for path in PUBLIC_POSTS:
        tighter = settings.pop(("/" + path.replace("/", "~1"), "POST"))
        assert 0 < tighter[0] < rate and 0 < tighter[1] < burst, path
        assert ("POST", path) in {(r.method, r.path) for r in template.routes if not r.authorized}, path
    assert not settings, f"settings for no route: {settings}"


# ---------------------------------------------------------------------- what CloudFront sends
def _response_headers(template: Template) -> tuple[str, dict[str, Any]]:
    (logical_id, policy), *others = template.resources("AWS::CloudFront::ResponseHeadersPolicy").items()
    assert not others
    return logical_id, policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]


def test_cloudfront_sends_the_security_headers(template):
    logical_id, config = _response_headers(template)
    (distribution,) = template.resources("AWS::CloudFront::Distribution").values()
    behaviours = [
        distribution["Properties"]["DistributionConfig"]["DefaultCacheBehavior"],
        *distribution["Properties"]["DistributionConfig"].get("CacheBehaviors", []),
    ]
    assert all(b["ResponseHeadersPolicyId"] == {"Ref": logical_id} for b in behaviours)
    assert all(part["Override"] is True for part in config.values())
    assert config["ContentTypeOptions"] and headers.HEADERS["X-Content-Type-Options"] == "nosniff"
    assert config["FrameOptions"]["FrameOption"] == headers.HEADERS["X-Frame-Options"]
    assert config["ReferrerPolicy"]["ReferrerPolicy"] == headers.HEADERS["Referrer-Policy"]
    hsts = config["StrictTransportSecurity"]
    sent = f"max-age={hsts['AccessControlMaxAgeSec']}" + ("; includeSubDomains" if hsts["IncludeSubdomains"] else "")
    assert sent == headers.HSTS


def test_cloudfronts_csp_is_the_local_one(template):
    """The same directives as the local stack (ofeli_local.headers), connect-src aside: there it names
    the API (any execute-api host of the region: see the template) and the documents bucket's hosts."""
    _, config = _response_headers(template)
    text, variables = config["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    directives = headers.parse(text)
    connect = directives.pop("connect-src")
    local = dict(headers.CSP)
    assert connect[: len(local["connect-src"])] == local.pop("connect-src")
    assert directives == local
    assert "'unsafe-inline'" not in text and "'unsafe-eval'" not in text
    assert connect[1:] == (
        "https://*.execute-api.${AWS::Region}.amazonaws.com",
        "https://${Bucket}.s3.amazonaws.com",
        "https://${Bucket}.s3.${AWS::Region}.amazonaws.com",
    )
    bucket = template.body["Resources"]["DocumentsBucket"]["Properties"]["BucketName"]
    assert variables == {"Bucket": bucket}
