"""API Gateway (REST, proxy integration) in front of the real handlers, plus the web site and the
local-only pages (`/_local/mail`, `/_local/schedules/{function}`), every answer with the security headers
CloudFront adds in AWS (`ofeli_local.headers`)."""

from __future__ import annotations

import base64
import html
import json
import mimetypes
import re
import sys
import time
import traceback
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jwt
from werkzeug.wrappers import Request, Response

from ofeli.settings import settings
from ofeli_local import headers
from ofeli_local.cfn import ApiRoute, Template
from ofeli_local.invoke import Invoker

STAGE = "local"
UNAUTHORIZED = "Vous devez être connecté pour accéder à cette page."


def _json(status: int, code: str, message: str) -> Response:
    body = {"error": {"code": code, "message": message, "fields": []}}
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


class Authorizer:
    """The Cognito authorizer: the ID token's signature, expiry, audience and use, against the pool's JWKS."""

    def __init__(self) -> None:
        self._clients: dict[str, jwt.PyJWKClient] = {}

    def claims(self, header: str | None) -> dict[str, Any] | None:
        if not header:
            return None
        token = header.removeprefix("Bearer ").strip()
        config = settings()
        client = self._clients.get(config.jwks_url)
        if client is None:
            client = self._clients[config.jwks_url] = jwt.PyJWKClient(config.jwks_url, cache_keys=True)
        try:
            key = client.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=config.user_pool_client_id,
                options={"require": ["exp", "iss", "sub", "aud"]},
            )
        except jwt.PyJWTError:
            return None
        if claims.get("token_use") != "id" or not str(claims.get("iss", "")).endswith("/" + config.user_pool_id):
            return None
        return claims


class Gateway:
    def __init__(self, template: Template, invoker: Invoker, *, web_root: Path, local_pages: Any) -> None:
        self.template = template
        self.invoker = invoker
        self.web_root = web_root.resolve()
        self.local_pages = local_pages
        self.authorizer = Authorizer()
        self.routes = sorted(template.routes, key=lambda r: -r.literal_segments)
        self._patterns = [(route, route.pattern) for route in self.routes]

    # ------------------------------------------------------------------ WSGI
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except Exception:  # what API Gateway answers when the integration fails
            traceback.print_exc(file=sys.stderr)
            response = Response(json.dumps({"message": "Internal server error"}), 502, content_type="application/json")
        for name, value in headers.security_headers().items():
            response.headers.setdefault(name, value)  # the /docs answer already has its own policy
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/_local/"):
            return self.local_pages(request)
        matches = [(route, m) for route, m in ((r, p.match(path)) for r, p in self._patterns) if m]
        if request.method == "OPTIONS" and matches:
            return self.preflight(request)
        for route, match in matches:
            if route.method in {request.method, "ANY"}:
                return self.call(route, match.groupdict(), request)
        if request.method in {"GET", "HEAD"}:
            static = self.static(path)
            if static is not None:
                return static
        if matches:
            return _json(405, "method_not_allowed", "Cette méthode n'est pas permise sur cette adresse.")
        return _json(404, "not_found", "Cette adresse n'existe pas dans l'API OFeli.")

    # ------------------------------------------------------------------ API
    def preflight(self, request: Request) -> Response:
        response = Response(status=204)
        response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")
        response.headers["Access-Control-Allow-Methods"] = "GET,POST,PUT,DELETE,OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Authorization,Content-Type,X-Api-Key,X-Correlation-Id"
        response.headers["Access-Control-Max-Age"] = "600"
        return response

    def call(self, route: ApiRoute, path_parameters: dict[str, str], request: Request) -> Response:
        claims = None
        if route.authorized:
            claims = self.authorizer.claims(request.headers.get("Authorization"))
            if claims is None:
                return _json(401, "unauthorized", UNAUTHORIZED)
        event = self.event(route, path_parameters, request, claims)
        result = self.invoker.invoke(self.template.functions[route.function], event)
        response = self.response(result)
        if route.path == headers.DOCS_PATH and response.mimetype == "text/html":
            response.headers.update(headers.docs_headers(response.get_data(as_text=True)))
        return response

    def event(
        self, route: ApiRoute, path_parameters: dict[str, str], request: Request, claims: dict[str, Any] | None
    ) -> dict[str, Any]:
        """An API Gateway REST proxy event, as Lambda receives it."""
        headers: dict[str, str] = {}
        multi_headers: dict[str, list[str]] = {}
        for name, value in request.headers.items():
            headers[name] = value
            multi_headers.setdefault(name, []).append(value)
        query = {k: v[-1] for k, v in request.args.lists()}
        multi_query = dict(request.args.lists())
        raw = request.get_data()
        try:
            body: str | None = raw.decode("utf-8") if raw else None
            encoded = False
        except UnicodeDecodeError:
            body, encoded = base64.b64encode(raw).decode(), True
        request_id = str(uuid.uuid4())
        authorizer = {"claims": {k: _claim(v) for k, v in claims.items()}} if claims else None
        return {
            "resource": route.path,
            "path": request.path,
            "httpMethod": request.method,
            "headers": headers or None,
            "multiValueHeaders": multi_headers or None,
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": path_parameters or None,
            "stageVariables": None,
            "requestContext": {
                "accountId": "123456789012",
                "apiId": "local",
                "resourcePath": route.path,
                "httpMethod": request.method,
                "path": f"/{STAGE}{request.path}",
                "stage": STAGE,
                "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
                "requestId": request_id,
                "extendedRequestId": request_id,
                "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime()),
                "requestTimeEpoch": int(time.time() * 1000),
                "identity": {"sourceIp": request.remote_addr, "userAgent": request.user_agent.string},
                "authorizer": authorizer,
            },
            "body": body,
            "isBase64Encoded": encoded,
        }

    @staticmethod
    def response(result: Any) -> Response:
        if not isinstance(result, dict) or "statusCode" not in result:
            return Response(json.dumps({"message": "Internal server error"}), 502, content_type="application/json")
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("utf-8")
        response = Response(data, status=int(result["statusCode"]))
        response.headers.pop("Content-Type", None)
        for name, value in (result.get("headers") or {}).items():
            response.headers[name] = str(value)
        for name, values in (result.get("multiValueHeaders") or {}).items():
            response.headers.remove(name)
            for value in values:
                response.headers.add(name, str(value))
        for name in headers.NAMES:  # CloudFront's policy overrides what the origin sends
            response.headers.remove(name)
        return response

    # ------------------------------------------------------------------ web site
    def static(self, path: str) -> Response | None:
        relative = path.lstrip("/")
        candidates = [relative] if relative else []
        candidates += [f"{relative}/index.html" if relative else "index.html", f"{relative}.html"]
        for candidate in candidates:
            file = (self.web_root / candidate).resolve()
            if file.is_file() and file.is_relative_to(self.web_root):
                kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                if kind.startswith("text/") or kind in {"application/javascript", "application/json"}:
                    kind += "; charset=utf-8"
                response = Response(file.read_bytes(), content_type=kind)
                response.headers["Cache-Control"] = "no-cache"
                return response
        return None


def _claim(value: Any) -> str:
    """API Gateway hands claims to Lambda as strings (lists as "a,b")."""
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


_LINK = re.compile(r"(https?://[^\s<>\"']+)")
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)
_HEADING = re.compile(r"<(/?)h([1-4])\b", re.IGNORECASE)
_STYLE_ELEMENT = re.compile(r"<style\b.*?</style\s*>", re.DOTALL | re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r"""\s+style\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)


def _embedded(body: str) -> str:
    """An e-mail's content inside the mailbox page: its <body> only, its headings under the page's, without
    its inline styles (the page has the site's strict policy: `style-src 'self'`; the site's CSS styles it)."""
    if "<" not in body:  # text: escape it and make links clickable
        return _LINK.sub(r'<a href="\1">\1</a>', html.escape(body)).replace("\n", "<br>")
    match = _BODY.search(body)
    inner = _STYLE_ATTRIBUTE.sub("", _STYLE_ELEMENT.sub("", match.group(1) if match else body))
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}", inner)


def mail_page(messages: list[dict[str, Any]]) -> str:
    """The local mailbox: every e-mail sent through SES, newest first, links clickable."""
    items = []
    for message in messages:
        to = ", ".join(sum((message.get("destinations") or {}).values(), []))
        body = _embedded(message.get("body") or message.get("raw_data") or "")
        items.append(
            '<article class="mail">'
            f"<h2>{html.escape(message.get('subject') or '(sans objet)')}</h2>"
            f'<p class="meta">De : {html.escape(message.get("source", ""))} — À : {html.escape(to)}</p>'
            f'<div class="body">{body}</div></article>'
        )
    content = "\n".join(items) or "<p>Aucun e-mail envoyé pour l'instant.</p>"
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<title>Boîte aux lettres locale — OFeli</title><link rel="stylesheet" href="/css/ofeli.css"></head>'
        '<body class="local-mail"><main id="contenu"><h1>Boîte aux lettres locale</h1>'
        f"<p>Les e-mails envoyés par OFeli via SES (le plus récent en premier) : {len(messages)}.</p>"
        f"{content}</main></body></html>"
    )
