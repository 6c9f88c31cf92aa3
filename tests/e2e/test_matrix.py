"""Issue 7, item 10: every route of `GET /openapi.json` called by every role with structure A's identifiers.

ACCESS below says, for each route of the document (method, path), who may call it (a rule of RULES).
Every role calls every route with A's SIRET, A's user and things of A made for the call (a memo, a
draft, a submission, an account request), with a valid body:
- a role the rule lets in gets its answer (2xx unless the line says otherwise), never 401/403;
- a role the rule refuses gets the rule's refusal (401 without a token, 403 without the right, 404 where
  the thing is someone else's own) with the error body, and the call writes nothing: DynamoDB, S3, SQS,
  SES and Cognito are read before and after it and compared;
- on moderator routes the refusal comes before the body is read: the same refusal with an empty body.

A route of the document without a line fails the test (add one to ACCESS), and so does a line without a
route. It runs in this process (the `seeded_api` gateway, which also serves `/openapi.json` through the
docs function), so the state of the emulated AWS can be compared exactly before and after each call.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from findings import report
from support import HEAD_OFFICE, MODERATOR, OF_USER, SINGLE, SINGLE_OF_USER

A = HEAD_OFFICE[0]  # structure A: the OF user « user_a » has rights on it
B = SINGLE[0]  # structure B: the OF user « user_b » has rights on it only
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}

# The roles, each calling from its own client address (as different people do: per-client throttles
# on the public routes count them apart). The partner is a machine: a key a moderator created (POST
# /moderation/partner-keys), sent as X-Api-Key; it is no one on every route behind Cognito.
ROLES = ("anonymous", "user_a", "user_b", "moderator", "partner")
ACCOUNTS = {"user_a": OF_USER, "user_b": SINGLE_OF_USER, "moderator": MODERATOR}
ADDRESSES = {
    "anonymous": "127.0.0.11",
    "user_a": "127.0.0.12",
    "user_b": "127.0.0.13",
    "moderator": "127.0.0.14",
    "partner": "127.0.0.15",
}
SETUP_ADDRESS = "127.0.0.10"  # what the test does to prepare a call (sign-ins, A's things)

# Who may: None = let in; a number = the refusal that role gets.
RULES: dict[str, dict[str, int | None]] = {
    "public": {"anonymous": None, "user_a": None, "user_b": None, "moderator": None, "partner": None},
    "user": {"anonymous": 401, "user_a": None, "user_b": None, "moderator": None, "partner": 401},
    # the OF's own work on its structure (drafts, submissions, documents): moderators decide, they do not write it
    "rights-on-structure": {"anonymous": 401, "user_a": None, "user_b": 403, "moderator": 403, "partner": 401},
    "rights-or-moderator": {"anonymous": 401, "user_a": None, "user_b": 403, "moderator": None, "partner": 401},
    "moderator": {"anonymous": 401, "user_a": 403, "user_b": 403, "moderator": None, "partner": 401},
    # a person's own things (memos): someone else's is not found, not even forbidden (existence does not leak)
    "owner": {"anonymous": 401, "user_a": None, "user_b": 404, "moderator": 404, "partner": 401},
    # what only an OF account asks for (rights on a structure): moderators see every structure already
    "of-user": {"anonymous": 401, "user_a": None, "user_b": None, "moderator": 403, "partner": 401},
    # the partners' feed: an X-Api-Key, never a Cognito token
    "partner": {"anonymous": 401, "user_a": 401, "user_b": 401, "moderator": 401, "partner": None},
}
SUCCESS = frozenset(range(200, 300))

Params = dict[str, str]


def _binary(value: Any) -> str:
    """A binary attribute (a search row) in the snapshot's JSON."""
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(type(value))


@dataclass
class World:
    """The seeded stack seen by the four roles, and what the test makes of A's for each call."""

    api: Any
    aws: Any
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    user_a_id: str = ""
    partner_key: str = ""
    _clients: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ calls
    def headers(self, role: str) -> dict[str, str]:
        if role == "partner":
            return {"X-Api-Key": self.partner_key}
        token = self.tokens.get(role)
        return {"Authorization": f"Bearer {token['id_token']}"} if token else {}

    def call(
        self,
        role: str,
        method: str,
        path: str,
        body: Any = None,
        query: Params | None = None,
        *,
        address: str | None = None,
    ) -> tuple[int, Any]:
        kwargs: dict[str, Any] = {
            "method": method,
            "headers": self.headers(role),
            "query_string": query or {},
            "environ_overrides": {"REMOTE_ADDR": address or ADDRESSES.get(role, SETUP_ADDRESS)},
        }
        if body is not None:
            kwargs["json"] = body
        response = self.api.open(path, **kwargs)
        text = response.get_data(as_text=True)
        try:
            payload = json.loads(text) if text else None
        except ValueError:
            payload = text
        return response.status_code, payload

    def setup(self, role: str, method: str, path: str, body: Any = None, query: Params | None = None) -> Any:
        """A call that prepares (or tidies) the world: it must succeed."""
        status, payload = self.call(role, method, path, body, query, address=SETUP_ADDRESS)
        assert status in SUCCESS, f"setup {method} {path} as {role}: {status} {payload}"
        return payload

    # ------------------------------------------------------------------ what was written
    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.aws.client(service)
        return self._clients[service]

    def snapshot(self) -> dict[str, Any]:
        """Everything a call could write: table items, stored objects, queued jobs, e-mails, identities."""
        state: dict[str, Any] = {}
        dynamodb = self.client("dynamodb")
        for name in self.aws.template.resources("AWS::DynamoDB::Table"):
            items: list[str] = []
            for page in dynamodb.get_paginator("scan").paginate(TableName=name, ConsistentRead=True):
                items += [json.dumps(item, sort_keys=True, default=_binary) for item in page["Items"]]
            state[f"DynamoDB {name}"] = sorted(items)
        s3 = self.client("s3")
        for logical_id in self.aws.template.resources("AWS::S3::Bucket"):
            bucket = self.aws.physical[logical_id].ref
            objects: list[str] = []
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                objects += [f"{o['Key']} {o['ETag']} {o['Size']}" for o in page.get("Contents", [])]
            state[f"S3 {logical_id}"] = sorted(objects)
        sqs = self.client("sqs")
        for logical_id in self.aws.template.resources("AWS::SQS::Queue"):
            attributes = sqs.get_queue_attributes(QueueUrl=self.aws.physical[logical_id].ref, AttributeNames=["All"])
            counts = {k: v for k, v in attributes["Attributes"].items() if k.startswith("ApproximateNumberOfMessages")}
            state[f"SQS {logical_id}"] = counts
        state["SES sent"] = self.client("ses").get_send_quota()["SentLast24Hours"]
        cognito = self.client("cognito-idp")
        for logical_id in self.aws.template.resources("AWS::Cognito::UserPool"):
            pool = self.aws.physical[logical_id].ref
            users = []
            for page in cognito.get_paginator("list_users").paginate(UserPoolId=pool):
                for user in page["Users"]:
                    attributes = sorted((a["Name"], a["Value"]) for a in user.get("Attributes", []))
                    users.append(json.dumps([user["Username"], user["Enabled"], user["UserStatus"], attributes]))
            state[f"Cognito {logical_id}"] = sorted(users)
        return state

    # ------------------------------------------------------------------ A's things
    def structure_a(self, role: str = "user_a") -> dict[str, Any]:
        return dict(self.setup(role, "GET", f"/structures/{A}"))

    def settle_a(self, view: dict[str, Any] | None = None) -> None:
        """A back to its published record alone: no submission, no draft."""
        state = (view or self.structure_a())["submission"]["state"]
        if state == "submitted":
            self.setup("user_a", "DELETE", f"/structures/{A}/submission")
        if state != "none":
            self.setup("user_a", "DELETE", f"/structures/{A}/draft")

    def draft_a(self) -> dict[str, Any]:
        """A draft of A's record that changes its websites (so that it can be submitted)."""
        view = self.structure_a()
        if view["submission"]["state"] != "none":
            self.settle_a(view)
            view = self.structure_a()
        return dict(self.setup("user_a", "PUT", f"/structures/{A}/draft", draft_save(view)))

    def submission_a(self) -> Params:
        self.draft_a()
        view = self.setup("user_a", "POST", f"/structures/{A}/submission", {})
        return {"submission_id": view["submission"]["submission_id"]}

    def grant_a(self) -> None:
        status, payload = self.call(
            "moderator", "POST", f"/moderation/users/{self.user_a_id}/rights", {"siret": A}, address=SETUP_ADDRESS
        )
        assert status in {201, 409}, f"setup: granting A back to user_a: {status} {payload}"

    def revoke_a(self) -> None:
        self.setup("moderator", "DELETE", f"/moderation/users/{self.user_a_id}/rights/{A}")

    def memo_a(self) -> Params:
        memo = self.setup("user_a", "POST", "/memos", {"text": "Relancer le financeur pour la session de mars"})
        return {"memo_id": memo["id"]}

    def account_request_a(self) -> Params:
        """A pending request for an account on A, from a new person; its id as moderators see it."""
        email = f"matrice-{uuid.uuid4().hex[:10]}@of-demo.test"
        self.setup("anonymous", "POST", "/account-requests", account_request(email))
        pending = self.setup("moderator", "GET", "/moderation/account-requests")
        ids = [r["id"] for r in pending if r["contact"]["email"].lower() == email]
        assert len(ids) == 1, f"setup: the account request of {email} among the pending ones: {pending}"
        return {"request_id": ids[0]}

    def partner_key_id(self) -> Params:
        """A partner key made for the call (the partner role keeps its own)."""
        created = self.setup("moderator", "POST", "/moderation/partner-keys", {"name": "Partenaire de la matrice"})
        return {"key_id": created["id"]}


def account_request(email: str) -> dict[str, Any]:
    return {
        "siret": A,
        "nda": "28140000014",
        "contact": {"last_name": "Morel", "first_name": "Inès", "phone": "02 31 00 00 09", "email": email},
        "accept_privacy_policy": True,
    }


def formation_a(world: World) -> Params:
    """A formation A is responsible for."""
    return {"ref": world.structure_a()["formations"][0]["ref"]}


def new_formation_a(world: World, *, complete: bool = False, submitted: bool = False) -> Params:
    """A formation A's user is creating (non-certifying), complete or submitted for validation when asked."""
    title = f"Formation de la matrice {uuid.uuid4().hex[:6]}"
    created = world.setup("user_a", "POST", f"/structures/{A}/formations", {"certifying": False, "title": title})
    ref = created["ref"]
    if complete or submitted:
        data = {**created["draft"], "objective": "Découvrir les métiers de la boulangerie."}
        saved = world.setup("user_a", "PUT", f"/formations/{ref}/draft", {"version": 1, "data": data})
    if submitted:
        world.setup("user_a", "POST", f"/formations/{ref}/submission", {"version": saved["submission"]["version"]})
    return {"ref": ref}


def session_a(world: World) -> Params:
    """A session of a formation A's user is creating (numbered in its draft)."""
    ref = new_formation_a(world)["ref"]
    view = world.setup("user_a", "POST", f"/formations/{ref}/sessions", {"start_date": "2027-03-01"})
    return {"ref": view["draft"]["sessions"][-1]["ref"]}


def published_session_a(world: World) -> Params:
    """A published session of a formation A is responsible for."""
    view = world.setup("moderator", "GET", f"/formations/{formation_a(world)['ref']}")
    return {"ref": view["sessions"][0]["ref"]}


def scheme_state(world: World, params: Params) -> dict[str, Any]:
    """The *état du dispositif* of the session's first funding line (a moderator's)."""
    view = world.setup("moderator", "GET", f"/formations/{formation_a(world)['ref']}")
    (session,) = [s for s in view["sessions"] if s["ref"] == params["ref"]]
    line = session["funding"][0]
    return {
        "version": view["version"],
        "funding": [{"financer": line["financer"], "measure": line["measure"], "scheme_state": "conventionne"}],
    }


def formation_draft_save(world: World, params: Params) -> dict[str, Any]:
    view = world.setup("user_a", "GET", f"/formations/{params['ref']}")
    return {"version": view["submission"]["version"], "data": {**view["draft"], "content": "Pétrissage, façonnage."}}


def contact_request_a(world: World) -> Params:
    """A contact request of A's, published by the moderator: its id in the moderators' list."""
    text = f"Ajouter Mme Morel, référente handicap ({uuid.uuid4().hex[:8]})."
    world.draft_a()
    view = world.structure_a()
    data = {**draft_save(view)["data"], "contact_request": text}
    world.setup("user_a", "PUT", f"/structures/{A}/draft", {"version": view["submission"]["version"], "data": data})
    submitted = world.setup("user_a", "POST", f"/structures/{A}/submission", {})
    submission_id = submitted["submission"]["submission_id"]
    world.setup("moderator", "POST", f"/moderation/submissions/{submission_id}/decision", {"decision": "approve"})
    pending = world.setup("moderator", "GET", "/moderation/contact-requests")
    (found,) = [r["id"] for r in pending if r["text"] == text]
    return {"request_id": found}


def draft_save(view: dict[str, Any]) -> dict[str, Any]:
    published = view["published"]
    data = {k: published.get(k) for k in ("emails", "phones", "contact_request")}
    data["websites"] = [{"url": f"https://www.of-demo.test/catalogue-{uuid.uuid4().hex[:6]}"}]
    return {"version": view["submission"]["version"] if view["submission"]["state"] != "none" else 0, "data": data}


def organisation_import(world: World, *, uploaded: bool) -> Params:
    """An import of the list of training organisations made by the moderator, its file put in S3 (as the
    presigned POST would) when `uploaded`."""
    created = world.setup("moderator", "POST", "/moderation/training-organisation-imports", {})
    if uploaded:
        header = "numeroDeclarationActivite;denomination;siren;siretEtablissementDeclarant;" + ";".join(
            f"certifications.{name}"
            for name in ("actionsDeFormation", "bilansDeCompetences", "VAE", "actionsDeFormationParApprentissage")
        )
        line = '"28140000014";"OF Démo Formation";"814327121";"00012";true;false;false;true'
        bucket = world.aws.physical["DocumentsBucket"].ref
        key = created["upload"]["fields"]["key"]
        world.client("s3").put_object(Bucket=bucket, Key=key, Body=f"{header}\n{line}\n".encode())
    return {"import_id": created["id"]}


CERTIFICATION_EXPORT = Path(__file__).resolve().parents[1] / "fixtures/certifications/export-fiches-csv-2026-11-02.zip"


def certification_import(world: World, *, uploaded: bool) -> Params:
    """An import of France Compétences' referential made by the moderator, its file put in S3 (as the
    presigned POST would) when `uploaded`."""
    created = world.setup(
        "moderator", "POST", "/moderation/certification-imports", {"filename": CERTIFICATION_EXPORT.name}
    )
    if uploaded:
        bucket = world.aws.physical["DocumentsBucket"].ref
        key = created["upload"]["fields"]["key"]
        world.client("s3").put_object(Bucket=bucket, Key=key, Body=CERTIFICATION_EXPORT.read_bytes())
    return {"import_id": created["id"]}


def certification_code(world: World) -> Params:
    """A certification of the demo referential (the first one the search lists)."""
    found = world.setup("user_a", "GET", "/certifications", query={"page_size": "1"})
    assert found["items"], "setup: the demo referential is empty"
    return {"code": found["items"][0]["code"]}


def export_a(world: World) -> Params:
    """An export of A's formations asked by A's user (queued: the job need not run)."""
    created = world.setup("user_a", "POST", "/exports", {"siret": A, "format": "lheo"})
    return {"export_id": created["id"]}


@dataclass(frozen=True)
class Line:
    """Who may call a route, and how the test calls it with A's identifiers."""

    rule: str
    body: Callable[[World, Params], Any] | None = None  # a valid body
    query: Callable[[World], Params] | None = None  # the required query parameters
    prepare: Callable[[World], Params | None] | None = None  # makes A's things; path parameters it gives
    cleanup: Callable[[World], None] | None = None  # puts A back as it was
    allowed: frozenset[int] = SUCCESS  # what a role the rule lets in gets


def _settle(world: World) -> None:
    world.settle_a()


def _grant(world: World) -> None:
    world.grant_a()


ACCESS: dict[tuple[str, str], Line] = {
    # ---------------------------------------------------------------- accounts
    ("POST", "/account-requests"): Line(
        "public", body=lambda w, p: account_request(f"matrice-{uuid.uuid4().hex[:10]}@of-demo.test")
    ),
    # No key of A's is at hand without reading the mailbox: an unknown key, refused for what it is.
    ("POST", "/activation"): Line(
        "public",
        body=lambda w, p: {"key": f"cle-inconnue-{uuid.uuid4().hex}", "password": "Nouveau-Mot-2026!"},
        allowed=frozenset({404}),
    ),
    ("POST", "/auth/login"): Line("public", body=lambda w, p: {"email": OF_USER[0], "password": OF_USER[1]}),
    ("POST", "/auth/refresh"): Line("public", body=lambda w, p: {"refresh_token": w.tokens["user_a"]["refresh_token"]}),
    ("POST", "/auth/password-reset"): Line("public", body=lambda w, p: {"email": OF_USER[0]}),
    ("GET", "/me"): Line("user"),
    ("PATCH", "/me"): Line("user", body=lambda w, p: {"phone": "02 31 00 00 05"}),
    # A right current password would sign the role out of the next lines: a wrong one, judged for what it
    # is (422 on current_password), shows the role was let in.
    ("POST", "/me/password"): Line(
        "user",
        body=lambda w, p: {"current_password": "Pas-le-mot-de-passe-1!", "new_password": "Nouveau-Mot-2026!"},
        allowed=frozenset({422}),
    ),
    # a SIRET no role has rights on (the same 202 whether OFeli knows the structure or not)
    ("POST", "/me/rights-requests"): Line(
        "of-user", body=lambda w, p: {"siret": "55210055400013", "nda": "25140000123"}
    ),
    # ---------------------------------------------------------------- messages and memos
    ("GET", "/memos"): Line("user"),
    ("POST", "/memos"): Line("user", body=lambda w, p: {"text": "Préparer le bilan pédagogique"}),
    ("DELETE", "/memos/{memo_id}"): Line("owner", prepare=World.memo_a),
    ("GET", "/structures/{siret}/messages"): Line("rights-or-moderator"),
    ("POST", "/structures/{siret}/messages"): Line(
        "rights-or-moderator", body=lambda w, p: {"body": "Bonjour, nos sessions de printemps sont en ligne."}
    ),
    ("GET", "/moderation/messages"): Line("moderator"),
    # ---------------------------------------------------------------- moderation
    ("GET", "/moderation/account-requests"): Line("moderator"),
    ("POST", "/moderation/account-requests/{request_id}/decision"): Line(
        "moderator",
        prepare=World.account_request_a,
        body=lambda w, p: {"decision": "reject", "reason": "Le NDA ne correspond pas à cette structure."},
    ),
    ("GET", "/moderation/users"): Line("moderator", query=lambda w: {"email": OF_USER[0]}),
    ("POST", "/moderation/users/{user_id}/rights"): Line(
        "moderator", prepare=World.revoke_a, body=lambda w, p: {"siret": A}, cleanup=_grant
    ),
    ("DELETE", "/moderation/users/{user_id}/rights/{siret}"): Line("moderator", cleanup=_grant),
    ("GET", "/moderation/queue"): Line("moderator"),
    ("GET", "/moderation/submissions/{submission_id}"): Line("moderator", prepare=World.submission_a, cleanup=_settle),
    ("POST", "/moderation/submissions/{submission_id}/decision"): Line(
        "moderator",
        prepare=World.submission_a,
        body=lambda w, p: {"decision": "reject", "comment": "Le site indiqué ne répond pas."},
        cleanup=_settle,
    ),
    # only the fields sent change (issue 7, item 6): the name, as it is
    ("PATCH", "/moderation/structures/{siret}"): Line(
        "moderator",
        body=lambda w, p: {
            "version": w.structure_a("moderator")["published"]["version"],
            "name": w.structure_a("moderator")["published"]["name"],
        },
    ),
    ("GET", "/moderation/structures"): Line("moderator", query=lambda w: {"q": "demo", "department": "14"}),
    ("GET", "/moderation/contact-requests"): Line("moderator"),
    ("POST", "/moderation/contact-requests/{request_id}/done"): Line(
        "moderator", prepare=lambda w: contact_request_a(w)
    ),
    ("GET", "/moderation/alerts"): Line("moderator"),
    # ---------------------------------------------------------------- offer
    ("GET", "/formations/{ref}"): Line("rights-or-moderator", prepare=lambda w: formation_a(w)),
    ("GET", "/formations/{ref}/history"): Line("rights-or-moderator", prepare=lambda w: formation_a(w)),
    ("GET", "/structures/{siret}/formations"): Line(
        "rights-or-moderator", query=lambda w: {"title": "boulanger", "sort": "start", "order": "desc"}
    ),
    ("GET", "/moderation/formations"): Line("moderator", query=lambda w: {"city": "Cherbourg", "block": "diffusees"}),
    ("GET", "/structures/{siret}/formations/similar"): Line(
        "rights-or-moderator", query=lambda w: {"title": "CAP boulanger"}
    ),
    # the formation's writes are the mandataire's (issue 9, item 4): moderators decide, they do not write
    ("POST", "/structures/{siret}/formations"): Line(
        "rights-on-structure", body=lambda w, p: {"certifying": False, "title": "Accueil en boulangerie"}
    ),
    ("PUT", "/formations/{ref}/draft"): Line(
        "rights-on-structure", prepare=lambda w: new_formation_a(w), body=formation_draft_save
    ),
    ("DELETE", "/formations/{ref}/draft"): Line("rights-on-structure", prepare=lambda w: new_formation_a(w)),
    ("POST", "/formations/{ref}/submission"): Line(
        "rights-on-structure",
        prepare=lambda w: new_formation_a(w, complete=True),
        body=lambda w, p: {"version": formation_draft_save(w, p)["version"]},
    ),
    ("DELETE", "/formations/{ref}/submission"): Line(
        "rights-on-structure", prepare=lambda w: new_formation_a(w, submitted=True)
    ),
    # sessions live in the formation's draft (issue 10): added and duplicated there, by the mandataire only
    ("POST", "/formations/{ref}/sessions"): Line(
        "rights-on-structure", prepare=lambda w: new_formation_a(w), body=lambda w, p: {"end_date": "2027-06-30"}
    ),
    ("POST", "/sessions/{ref}/duplicate"): Line(
        "rights-on-structure",
        prepare=lambda w: session_a(w),
        body=lambda w, p: {"start_date": "2027-09-01", "end_date": "2027-12-15"},
    ),
    ("GET", "/referentials/{name}"): Line("user", prepare=lambda w: {"name": "financements"}),
    ("PATCH", "/moderation/sessions/{ref}"): Line(
        "moderator", prepare=lambda w: published_session_a(w), body=lambda w, p: scheme_state(w, p)
    ),
    ("PATCH", "/moderation/formations/{ref}"): Line(
        "moderator",
        prepare=lambda w: formation_a(w),
        body=lambda w, p: {
            "version": w.setup("moderator", "GET", f"/formations/{p['ref']}")["version"],
            "nsf": ["221"],
        },
    ),
    # the national list of training organisations (issue 8, item 3)
    ("POST", "/moderation/training-organisation-imports"): Line(
        "moderator", body=lambda w, p: {"list_date": "2026-03-02", "filename": "liste.csv"}
    ),
    ("POST", "/moderation/training-organisation-imports/{import_id}/start"): Line(
        "moderator", prepare=lambda w: organisation_import(w, uploaded=True)
    ),
    ("GET", "/moderation/training-organisation-imports/{import_id}"): Line(
        "moderator", prepare=lambda w: organisation_import(w, uploaded=False)
    ),
    # France Compétences' certification referential (issue 9, items 1 and 2): imported by moderators,
    # searched by every signed-in user
    ("POST", "/moderation/certification-imports"): Line(
        "moderator", body=lambda w, p: {"filename": CERTIFICATION_EXPORT.name}
    ),
    ("POST", "/moderation/certification-imports/{import_id}/start"): Line(
        "moderator", prepare=lambda w: certification_import(w, uploaded=True)
    ),
    ("GET", "/moderation/certification-imports/{import_id}"): Line(
        "moderator", prepare=lambda w: certification_import(w, uploaded=False)
    ),
    ("GET", "/certifications"): Line("user", query=lambda w: {"q": "boulanger"}),
    ("GET", "/certifications/{code}"): Line("user", prepare=certification_code),
    # the session form (issue 10, item 2): *Rechercher une adresse* (the local fixture here), and the
    # referenced organisations an OF may name as trainer
    ("GET", "/addresses"): Line("user", query=lambda w: {"q": "12 rue de la Paix Caen"}),
    ("GET", "/organisations"): Line("user", query=lambda w: {"q": "demo", "department": "14"}),
    # ---------------------------------------------------------------- structures
    ("GET", "/structures/{siret}"): Line("rights-or-moderator"),
    ("PUT", "/structures/{siret}/draft"): Line(
        "rights-on-structure", body=lambda w, p: draft_save(w.structure_a()), cleanup=_settle
    ),
    ("DELETE", "/structures/{siret}/draft"): Line("rights-on-structure", prepare=World.draft_a, cleanup=_settle),
    ("POST", "/structures/{siret}/submission"): Line(
        "rights-on-structure",
        prepare=World.draft_a,
        body=lambda w, p: {"version": w.structure_a()["submission"]["version"]},
        cleanup=_settle,
    ),
    ("DELETE", "/structures/{siret}/submission"): Line(
        "rights-on-structure", prepare=World.submission_a, cleanup=_settle
    ),
    ("GET", "/structures/{siret}/history"): Line("rights-or-moderator"),
    ("GET", "/structures/{siret}/contacts"): Line("rights-or-moderator"),
    # places of training are public, as the published offer says them: any session may be trained there
    ("GET", "/structures/{siret}/places"): Line("user"),
    ("GET", "/structures/{siret}/documents"): Line("rights-or-moderator"),
    ("POST", "/structures/{siret}/documents"): Line(
        "rights-on-structure",
        body=lambda w, p: {"filename": "attestation-qualiopi.pdf", "content_type": "application/pdf"},
    ),
    ("GET", "/structures/{siret}/dashboard"): Line("rights-or-moderator"),
    # ---------------------------------------------------------------- exports (issue 12, item 3): the OF's
    # files, asked on a structure it has rights on (moderators too), each one its asker's own
    ("POST", "/exports"): Line("rights-or-moderator", body=lambda w, p: {"siret": A, "format": "xlsx"}),
    ("GET", "/exports"): Line("user"),
    ("GET", "/exports/{export_id}"): Line("owner", prepare=lambda w: export_a(w)),
    # ---------------------------------------------------------------- partners (issue 12, item 4)
    ("GET", "/partner/feed"): Line("partner"),
    ("POST", "/moderation/partner-keys"): Line("moderator", body=lambda w, p: {"name": "Région Normandie"}),
    ("GET", "/moderation/partner-keys"): Line("moderator"),
    ("DELETE", "/moderation/partner-keys/{key_id}"): Line("moderator", prepare=World.partner_key_id),
}


# ---------------------------------------------------------------------- the document
def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def required_query(operation: dict[str, Any]) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query" and p.get("required")}


def path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{") and part.endswith("}")]


def table_mismatches(document: dict[str, Any]) -> list[str]:
    routes = operations(document)
    problems = [
        f"{method} {path}: in /openapi.json but not in ACCESS: add a line saying who may call it "
        f"(one of {', '.join(RULES)}) to ACCESS in tests/e2e/test_matrix.py"
        for method, path in sorted(set(routes) - set(ACCESS))
    ]
    problems += [
        f"{method} {path}: a line of ACCESS without a route in /openapi.json: remove it, or fix the route"
        for method, path in sorted(set(ACCESS) - set(routes))
    ]
    for key, line in sorted(ACCESS.items()):
        if line.rule not in RULES:
            problems.append(f"{key[0]} {key[1]}: unknown rule « {line.rule} » (one of {', '.join(RULES)})")
    return problems


def test_every_route_has_a_line_and_every_line_a_route(api):
    response = api.get("/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert operations(document), "no operation in /openapi.json"
    for rule, columns in RULES.items():
        assert set(columns) == set(ROLES), f"rule {rule}: one column per role"
    problems = table_mismatches(document)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------- the matrix
def _short(payload: Any) -> str:
    text = json.dumps(payload, ensure_ascii=False) if not isinstance(payload, str) else payload
    return text if len(text) <= 300 else text[:300] + "…"


def _differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    out = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if isinstance(old, list) and isinstance(new, list):
            added = [x for x in new if x not in old]
            removed = [x for x in old if x not in new]
            out.append(f"{name}: +{len(added)} -{len(removed)} {_short(added[:2] + removed[:2])}")
        else:
            out.append(f"{name}: {_short(old)} → {_short(new)}")
    return out


def _is_error_body(payload: Any) -> bool:
    error = payload.get("error") if isinstance(payload, dict) else None
    return isinstance(error, dict) and bool(error.get("code")) and bool(error.get("message"))


class Unprepared(Exception):
    """The line cannot call its route (a path or query parameter, or a body, is missing)."""


@contextmanager
def prepared(world: World, path: str, operation: dict[str, Any], line: Line) -> Iterator[tuple[str, Params, Any]]:
    """(URL, query, body) of one call of the route with A's identifiers; A is put back afterwards."""
    params: Params = {"siret": A, "user_id": world.user_a_id}
    try:
        params.update((line.prepare(world) if line.prepare else None) or {})
        missing = [name for name in path_names(path) if name not in params]
        if missing:
            raise Unprepared(f"no value for {missing}: give the line a `prepare` that makes A's one")
        url = path
        for name in path_names(path):
            url = url.replace("{" + name + "}", params[name])
        query = line.query(world) if line.query else {}
        if required_query(operation) - set(query):
            raise Unprepared(f"no value for the query parameters {sorted(required_query(operation) - set(query))}")
        wants_body = "requestBody" in operation
        if wants_body and operation["requestBody"].get("required") and line.body is None:
            raise Unprepared("the route takes a body: give the line a `body` (a valid one, with A's identifiers)")
        yield url, query, line.body(world, params) if line.body and wants_body else None
    finally:
        if line.cleanup:
            line.cleanup(world)


def check_route(world: World, method: str, path: str, operation: dict[str, Any], line: Line) -> list[str]:
    """Every role calling one route with A's identifiers: what went wrong (nothing: [])."""
    rule = RULES[line.rule]
    problems: list[str] = []
    try:
        # The refused roles one after the other on the same things of A: nothing may change in between.
        refused = [role for role in ROLES if rule[role] is not None]
        if refused:
            with prepared(world, path, operation, line) as (url, query, body):
                attempts = [("", body)]
                if line.rule == "moderator" and "requestBody" in operation:
                    attempts.append((" (empty body)", {}))  # authorization before validation
                before = world.snapshot()
                for role in refused:
                    for suffix, sent in attempts:
                        label = f"{method} {path} as {role}{suffix}"
                        status, payload = world.call(role, method, url, sent, query)
                        after = world.snapshot()
                        if status != rule[role]:
                            problems.append(f"{label}: {status}, expected {rule[role]}: {_short(payload)}")
                        elif not _is_error_body(payload):
                            problems.append(f"{label}: {status} without the error body: {_short(payload)}")
                        problems += [f"{label}: refused, yet it wrote: {d}" for d in _differences(before, after)]
                        before = after
        # Each role let in on things of A made for it (a first call may use them up).
        for role in (role for role in ROLES if rule[role] is None):
            with prepared(world, path, operation, line) as (url, query, body):
                status, payload = world.call(role, method, url, body, query)
                if status not in line.allowed:
                    expected = _statuses(line.allowed)
                    problems.append(f"{method} {path} as {role}: {status}, expected {expected}: {_short(payload)}")
    except Unprepared as error:
        problems.append(f"{method} {path}: {error}")
    return problems


def _statuses(statuses: frozenset[int]) -> str:
    return "2xx" if statuses == SUCCESS else "/".join(str(s) for s in sorted(statuses))


@pytest.fixture
def world(seeded_api, aws) -> World:
    world = World(seeded_api, aws)
    for role, (email, password) in ACCOUNTS.items():
        world.tokens[role] = world.setup("anonymous", "POST", "/auth/login", {"email": email, "password": password})
    world.user_a_id = world.setup("moderator", "GET", "/moderation/users", query={"email": OF_USER[0]})["user_id"]
    world.partner_key = world.setup("moderator", "POST", "/moderation/partner-keys", {"name": "Partenaire"})["key"]
    # the roles are what they claim: A's user on A (not B), B's user on B only, the moderator
    assert {s["siret"] for s in world.setup("user_a", "GET", "/me")["structures"]} >= {A}
    assert {s["siret"] for s in world.setup("user_b", "GET", "/me")["structures"]} == {B}
    return world


def test_every_role_on_every_route_with_structure_a(world, request):
    document = world.setup("anonymous", "GET", "/openapi.json")
    problems = table_mismatches(document)
    routes = refused = 0
    for (method, path), operation in sorted(operations(document).items()):
        line = ACCESS.get((method, path))
        if line is None or line.rule not in RULES:
            continue  # reported by table_mismatches
        problems += check_route(world, method, path, operation, line)
        routes += 1
        refused += sum(RULES[line.rule][role] is not None for role in ROLES)
    report(
        request.config,
        f"matrice : {routes * len(ROLES)} couples route × rôle ({routes} routes × {len(ROLES)} rôles), "
        f"{refused} refus vérifiés (statut, corps d'erreur, aucune écriture), {len(problems)} écart(s)",
    )
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
