"""Domain exceptions. `ofeli.api.errors` maps them to HTTP in one place (DESIGN.md rule 2).

Every message is French, written for the person who reads it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or []


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Gone(DomainError):
    status = 410
    code = "gone"


class RuleViolation(DomainError):
    status = 422
    code = "rule_violation"


class Locked(DomainError):
    status = 423
    code = "locked"


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"


class ServiceUnavailable(DomainError):
    """An outside service OFeli relies on (the national address base) did not answer in time, or not well."""

    status = 503
    code = "service_unavailable"


def violation(field_name: str, message: str) -> RuleViolation:
    """One rule broken on one field: the message is both the summary and the field's."""
    return RuleViolation(message, [FieldError(field_name, message)])
