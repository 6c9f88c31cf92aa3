"""moto made as strict as AWS where the product relies on it (see ../shared/LOCAL-AWS.md).

- DynamoDB: moto checks a condition and writes without a lock, and a failed `TransactWriteItems`
  restores a copy of the whole table taken before it, wiping what other requests wrote meanwhile.
  AWS does neither. Every DynamoDB request (and moto's reset) runs alone, one after the other.
- S3 presigned POST: moto stores whatever is posted. S3 checks the policy: its signature, its
  expiry, every condition (exact fields, `starts-with`, `content-length-range`) and that every form
  field is covered by a condition. So does this, with S3's error codes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from moto.moto_server.werkzeug_app import MotoRequestHandler
from moto.server import DomainDispatcherApplication, ThreadedMotoServer, create_backend_app
from werkzeug.formparser import parse_form_data
from werkzeug.serving import make_server

from ofeli_local import fast_moto

StartResponse = Callable[..., Any]

# Fields S3 does not require a policy condition for.
_UNCONDITIONED = {"x-amz-signature", "file", "policy", "awsaccesskeyid", "signature"}


class PolicyRefused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def _signature(secret: str, date: str, region: str, service: str, string_to_sign: str) -> str:
    key = _hmac(("AWS4" + secret).encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def check_post_policy(fields: dict[str, str], file_size: int, bucket: str, *, secret: str) -> None:
    """Raise PolicyRefused where S3 would refuse this presigned POST."""
    lowered = {k.lower(): v for k, v in fields.items()}
    encoded = lowered.get("policy")
    if not encoded:
        raise PolicyRefused(403, "AccessDenied", "Access Denied: no policy in the form")
    credential = lowered.get("x-amz-credential", "")
    parts = credential.split("/")
    if lowered.get("x-amz-algorithm") != "AWS4-HMAC-SHA256" or len(parts) != 5:
        raise PolicyRefused(400, "InvalidArgument", "POST requires a SigV4 credential (x-amz-credential)")
    _, date, region, service, _ = parts
    expected = _signature(secret, date, region, service, encoded)
    if not hmac.compare_digest(expected, lowered.get("x-amz-signature", "")):
        raise PolicyRefused(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )
    try:
        policy = json.loads(base64.b64decode(encoded))
        expiration = datetime.fromisoformat(str(policy["expiration"]).replace("Z", "+00:00"))
        conditions = list(policy["conditions"])
    except (ValueError, KeyError, TypeError) as error:
        raise PolicyRefused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.") from error
    if expiration <= datetime.now(UTC):
        raise PolicyRefused(403, "AccessDenied", "Invalid according to Policy: Policy expired.")

    values = {**lowered, "bucket": bucket}
    covered: set[str] = set()
    for condition in conditions:
        if isinstance(condition, dict):
            for name, value in condition.items():
                field = name.lower()
                covered.add(field)
                if values.get(field) != value:
                    raise _failed(["eq", f"${name}", value])
        elif isinstance(condition, list) and len(condition) == 3:
            operator, name, value = condition
            if operator == "content-length-range":
                low, high = int(name), int(value)
                if file_size > high:
                    raise PolicyRefused(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
                if file_size < low:
                    raise PolicyRefused(
                        400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size"
                    )
                continue
            field = str(name).lstrip("$").lower()
            covered.add(field)
            actual = values.get(field)
            if operator == "eq" and actual != value:
                raise _failed(condition)
            if operator == "starts-with" and not (actual or "").startswith(str(value)):
                raise _failed(condition)
            if operator not in {"eq", "starts-with"}:
                raise PolicyRefused(400, "InvalidPolicyDocument", f"Invalid Policy: unknown operator {operator}")
        else:
            raise PolicyRefused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid Condition.")
    for field in lowered:
        if field not in covered and field not in _UNCONDITIONED and not field.startswith("x-ignore-"):
            raise PolicyRefused(
                403,
                "AccessDenied",
                f"Invalid according to Policy: Extra input fields: {field}",
            )


def _failed(condition: Any) -> PolicyRefused:
    return PolicyRefused(
        403, "AccessDenied", f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}"
    )


class StrictAws:
    """WSGI middleware in front of moto's application."""

    def __init__(self, app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]]) -> None:
        self.app = app
        self.dynamodb = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        path = environ.get("PATH_INFO", "")
        if target.startswith("DynamoDB") or path.startswith("/moto-api/reset"):
            with self.dynamodb:
                # The whole answer is produced inside the lock: moto may build it lazily.
                return [b"".join(self.app(environ, start_response))]
        content_type = environ.get("CONTENT_TYPE", "")
        if environ.get("REQUEST_METHOD") == "POST" and content_type.startswith("multipart/form-data"):
            return self._presigned_post(environ, start_response)
        return self.app(environ, start_response)

    def _presigned_post(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        form_environ = {**environ, "wsgi.input": io.BytesIO(body)}
        _, form, files = parse_form_data(form_environ)
        upload = files.get("file")
        size = len(upload.read()) if upload is not None else 0
        bucket = _bucket_of(environ)
        try:
            check_post_policy(
                {k: form[k] for k in form}, size, bucket, secret=os.environ.get("AWS_SECRET_ACCESS_KEY", "")
            )
        except PolicyRefused as refused:
            return _s3_error(environ, start_response, refused)
        return self.app(environ, start_response)


def _bucket_of(environ: dict[str, Any]) -> str:
    """Path-style (`/bucket`) or virtual-hosted (`bucket.s3.…`) addressing."""
    host = environ.get("HTTP_HOST", "").split(":")[0]
    if ".s3." in host or host.endswith(".localhost"):
        return host.split(".")[0]
    return environ.get("PATH_INFO", "/").strip("/").split("/")[0]


def _s3_error(environ: dict[str, Any], start_response: StartResponse, refused: PolicyRefused) -> list[bytes]:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{refused.code}</Code><Message>{escape(refused.message)}</Message>"
        f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId></Error>"
    ).encode()
    headers = [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
    # S3 answers with the bucket's CORS headers, so a page can read why its upload was refused.
    headers.append(("Access-Control-Allow-Origin", environ.get("HTTP_ORIGIN") or "*"))
    reasons = {400: "Bad Request", 403: "Forbidden"}
    start_response(f"{refused.status} {reasons.get(refused.status, 'Error')}", headers)
    return [body]


class StrictMotoServer(ThreadedMotoServer):
    """moto's threaded server with `StrictAws` in front of it."""

    def _server_entry(self) -> None:
        fast_moto.install()
        app = StrictAws(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
        self._server_ready_event.set()
        self._server.serve_forever()
