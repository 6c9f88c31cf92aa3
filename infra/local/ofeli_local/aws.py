"""AWS emulated in-process by moto, with the template's resources created in it."""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import boto3

from ofeli import aws as ofeli_aws
from ofeli.settings import settings
from ofeli_local.cfn import ACCOUNT_ID, STACK_NAME, Template, TemplateError
from ofeli_local.strict import StrictMotoServer

REGION = "eu-west-3"
_BASE_ENV = {
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",  # noqa: S105 (moto's dummy credentials)
    "AWS_SESSION_TOKEN": "local",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "OFeli",
}


# What a snapshot keeps: the services whose data the product writes. (IAM, STS... are set up by the tests
# themselves; SQS's queues hold locks, so their messages are copied one by one; S3's objects keep their
# bytes in temporary files, so they are read and written again through the API.)
SNAPSHOT_SERVICES = ("dynamodb", "cognito-idp", "ses")


@dataclass
class Snapshot:
    """The emulated AWS at one moment: moto's data of the services above, the queues' messages, and
    the physical names and settings that go with them (a user pool's id changes at every reset)."""

    backends: dict[str, dict[str, Any]]
    messages: dict[str, list[Any]]
    objects: list[tuple[str, str, bytes, str]]  # bucket, key, body, content type
    physical: dict[str, Physical]
    environment: dict[str, str]


@dataclass
class Physical:
    """What `!Ref` and `!GetAtt` give for one created resource."""

    ref: str
    attributes: dict[str, str] = field(default_factory=dict)


class LocalAws:
    """One moto server for the process (moto's data is process-global)."""

    def __init__(
        self, template: Template, *, parameters: dict[str, str] | None = None, overrides: dict[str, str] | None = None
    ) -> None:
        self.template = template
        self.parameters = parameters or {}
        self.overrides = overrides or {}
        self.server: StrictMotoServer | None = None
        self.endpoint = ""
        self.physical: dict[str, Physical] = {}

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.server = StrictMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        os.environ.update(_BASE_ENV)
        os.environ["AWS_ENDPOINT_URL"] = self.endpoint
        self.create_resources()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def reset(self) -> None:
        """Empty every service and create the template's resources again (between tests)."""
        urllib.request.urlopen(urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST"))  # noqa: S310
        self.create_resources()

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=self.endpoint)

    # ------------------------------------------------------------------ snapshots
    def snapshot(self) -> Snapshot:
        """The data as it is now (call it while no request runs): what `restore` puts back."""
        from moto.backends import get_backend

        return Snapshot(
            backends={name: copy.deepcopy(dict(get_backend(name))) for name in SNAPSHOT_SERVICES},  # type: ignore[call-overload]
            messages={name: copy.deepcopy(queue._messages) for name, queue in self._queues().items()},
            objects=list(self._objects()),
            physical=copy.deepcopy(self.physical),
            environment={k: v for k, v in os.environ.items() if k.startswith("OFELI_")},
        )

    def restore(self, snapshot: Snapshot) -> None:
        """Back to `snapshot`, exactly: a test starts from the same data as if it had been written again,
        in a fraction of the time (the demo data is written once per process, then restored)."""
        from moto.backends import get_backend

        for name, accounts in snapshot.backends.items():
            live = get_backend(name)  # type: ignore[call-overload]
            live.clear()
            live.update(copy.deepcopy(accounts))
        queues = self._queues()
        for name, messages in snapshot.messages.items():
            queue = queues[name]
            with queue._messages_lock:
                queue._messages = copy.deepcopy(messages)
        self.physical = copy.deepcopy(snapshot.physical)
        s3 = self.client("s3")
        for bucket, key, body, content_type in snapshot.objects:
            s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)
        for name in [k for k in os.environ if k.startswith("OFELI_")]:
            del os.environ[name]
        os.environ.update(snapshot.environment)
        settings.cache_clear()
        ofeli_aws.reset()

    def _objects(self) -> Any:
        s3 = self.client("s3")
        for logical_id in self.template.resources("AWS::S3::Bucket"):
            bucket = self.physical[logical_id].ref
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                for entry in page.get("Contents", []):
                    found = s3.get_object(Bucket=bucket, Key=entry["Key"])
                    yield bucket, entry["Key"], found["Body"].read(), found.get("ContentType", "binary/octet-stream")

    def _queues(self) -> dict[str, Any]:
        from moto.backends import get_backend

        sqs = get_backend("sqs")[ACCOUNT_ID][REGION]  # type: ignore[call-overload]
        return {queue.name: queue for queue in sqs.queues.values()}

    # ------------------------------------------------------------------ resources
    def create_resources(self) -> None:
        self.physical = {}
        for name, value in self._parameters().items():
            self.physical[name] = Physical(str(value))
        for logical_id, resource in self.template.resources("AWS::DynamoDB::Table").items():
            self._table(logical_id, resource.get("Properties", {}))
        for logical_id in self.template.resources("AWS::S3::Bucket"):
            self._bucket(logical_id)
        queues = self.template.resources("AWS::SQS::Queue")
        # Dead-letter queues first: the others' redrive policies point at them.
        for logical_id in sorted(queues, key=lambda q: "RedrivePolicy" in queues[q].get("Properties", {})):
            self._queue(logical_id, queues[logical_id].get("Properties", {}))
        for logical_id, resource in self.template.resources("AWS::Cognito::UserPool").items():
            self._user_pool(logical_id, resource.get("Properties", {}))
        for logical_id, resource in self.template.resources("AWS::Cognito::UserPoolClient").items():
            self._user_pool_client(logical_id, resource.get("Properties", {}))
        for logical_id, resource in self.template.resources("AWS::Cognito::UserPoolGroup").items():
            props = resource.get("Properties", {})
            self.client("cognito-idp").create_group(
                UserPoolId=self.resolve(props["UserPoolId"]),
                GroupName=props["GroupName"],
                Description=props.get("Description", ""),
            )
            self.physical[logical_id] = Physical(props["GroupName"])
        if "SesSender" in self.physical:
            self.client("ses").verify_email_identity(EmailAddress=self.physical["SesSender"].ref)
        self.apply_environment()

    def _parameters(self) -> dict[str, Any]:
        values = {name: spec.get("Default") for name, spec in self.template.body.get("Parameters", {}).items()}
        values.update(self.parameters)
        missing = [name for name, value in values.items() if value is None]
        if missing:
            raise TemplateError(f"paramètres sans valeur par défaut : {', '.join(missing)}")
        return values

    def _table(self, logical_id: str, props: dict[str, Any]) -> None:
        kwargs: dict[str, Any] = {
            "TableName": logical_id,
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        dynamodb = self.client("dynamodb")
        dynamodb.create_table(**kwargs)
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            dynamodb.update_time_to_live(
                TableName=logical_id,
                TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
            )
        self.physical[logical_id] = Physical(
            logical_id, {"Arn": f"arn:aws:dynamodb:{REGION}:{ACCOUNT_ID}:table/{logical_id}"}
        )

    def _bucket(self, logical_id: str) -> None:
        name = f"{STACK_NAME}-{logical_id}".lower()
        self.client("s3").create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        self.physical[logical_id] = Physical(name, {"Arn": f"arn:aws:s3:::{name}"})

    def _queue(self, logical_id: str, props: dict[str, Any]) -> None:
        attributes: dict[str, str] = {
            key: str(self.resolve(props[key]))
            for key in ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds")
            if key in props
        }
        if "RedrivePolicy" in props:
            attributes["RedrivePolicy"] = json.dumps(self.resolve(props["RedrivePolicy"]))
        sqs = self.client("sqs")
        url = sqs.create_queue(QueueName=logical_id, Attributes=attributes)["QueueUrl"]
        arn = f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:{logical_id}"
        self.physical[logical_id] = Physical(url, {"Arn": arn, "QueueName": logical_id, "QueueUrl": url})

    def _user_pool(self, logical_id: str, props: dict[str, Any]) -> None:
        keys = (
            "Policies",
            "UsernameAttributes",
            "AdminCreateUserConfig",
            "UsernameConfiguration",
            "AccountRecoverySetting",
            "AutoVerifiedAttributes",
            "Schema",
        )
        kwargs = {key: self.resolve(props[key]) for key in keys if key in props}
        pool = self.client("cognito-idp").create_user_pool(
            PoolName=str(self.resolve(props.get("UserPoolName", logical_id))), **kwargs
        )["UserPool"]
        self.physical[logical_id] = Physical(pool["Id"], {"Arn": pool["Arn"], "ProviderName": pool["Id"]})

    def _user_pool_client(self, logical_id: str, props: dict[str, Any]) -> None:
        keys = (
            "ExplicitAuthFlows",
            "GenerateSecret",
            "PreventUserExistenceErrors",
            "IdTokenValidity",
            "AccessTokenValidity",
            "RefreshTokenValidity",
            "TokenValidityUnits",
        )
        kwargs = {key: self.resolve(props[key]) for key in keys if key in props}
        created = self.client("cognito-idp").create_user_pool_client(
            UserPoolId=self.resolve(props["UserPoolId"]), ClientName=props.get("ClientName", logical_id), **kwargs
        )["UserPoolClient"]
        self.physical[logical_id] = Physical(created["ClientId"])

    # ------------------------------------------------------------------ intrinsic functions
    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._ref(arg)
            if key == "Fn::GetAtt":
                name, attribute = arg if isinstance(arg, list) else str(arg).split(".", 1)
                return self._get_att(name, attribute)
            if key == "Fn::Sub":
                return self._sub(arg)
            if key == "Fn::If":
                name, when_true, when_false = arg
                return self.resolve(when_true if self.condition(name) else when_false)
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def condition(self, name: str) -> bool:
        conditions = self.template.body.get("Conditions", {})
        if name not in conditions:
            raise TemplateError(f"condition {name} inconnue du modèle")
        return self._truth(conditions[name])

    def _truth(self, expression: Any) -> bool:
        if not (isinstance(expression, dict) and len(expression) == 1):
            raise TemplateError(f"condition non prise en charge localement : {expression!r}")
        ((key, arg),) = expression.items()
        if key == "Fn::Equals":
            return bool(self.resolve(arg[0]) == self.resolve(arg[1]))
        if key == "Fn::Not":
            return not self._truth(arg[0])
        if key == "Fn::And":
            return all(self._truth(a) for a in arg)
        if key == "Fn::Or":
            return any(self._truth(a) for a in arg)
        if key == "Condition":
            return self.condition(arg)
        raise TemplateError(f"condition non prise en charge localement : {key}")

    def _ref(self, name: str) -> str:
        pseudo = {"AWS::Region": REGION, "AWS::AccountId": ACCOUNT_ID, "AWS::StackName": STACK_NAME}
        if name in pseudo:
            return pseudo[name]
        if name not in self.physical:
            raise TemplateError(f"!Ref {name} : ressource ou paramètre inconnu du modèle local")
        return self.physical[name].ref

    def _get_att(self, name: str, attribute: str) -> str:
        physical = self.physical.get(name)
        if physical is None or attribute not in physical.attributes:
            raise TemplateError(f"!GetAtt {name}.{attribute} : non disponible dans le modèle local")
        return physical.attributes[attribute]

    def _sub(self, arg: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])

        def replace(match: re.Match[str]) -> str:
            token = match.group(1)
            if token in variables:
                return str(self.resolve(variables[token]))
            if "." in token and not token.startswith("AWS::"):
                return self._get_att(*token.split(".", 1))
            return self._ref(token)

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    # ------------------------------------------------------------------ environment
    def function_environment(self) -> dict[str, str]:
        """The variables of every function, resolved. All handlers run in this one process, so a
        variable set differently by two functions cannot be honoured and is an error."""
        merged: dict[str, str] = {}
        for function in self.template.functions.values():
            for name, value in function.environment.items():
                resolved = str(self.resolve(value))
                if merged.get(name, resolved) != resolved:
                    raise TemplateError(
                        f"la variable {name} diffère d'une fonction à l'autre : non pris en charge localement"
                    )
                merged[name] = resolved
        return merged

    def apply_environment(self) -> None:
        os.environ.update(self.function_environment())
        pool = os.environ.get("OFELI_USER_POOL_ID", "")
        os.environ["OFELI_JWKS_URL"] = f"{self.endpoint}/{pool}/.well-known/jwks.json"
        os.environ.update(self.overrides)
        settings.cache_clear()
        ofeli_aws.reset()

    # ------------------------------------------------------------------ what was sent
    def sent_mail(self) -> list[dict[str, Any]]:
        """E-mails sent through SES, newest first."""
        with urllib.request.urlopen(f"{self.endpoint}/moto-api/data.json") as response:  # noqa: S310
            data = json.load(response)
        ses = data.get("ses", {})
        messages = [m for bucket in ("Message", "RawMessage") for m in _entries(ses.get(bucket))]
        return list(reversed(messages))


def _entries(value: Any) -> list[dict[str, Any]]:
    """moto's data.json lists a model's instances, or nests them by account and region."""
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    if isinstance(value, dict):
        return [e for v in value.values() for e in _entries(v)]
    return []
