"""Domain refusals. The server maps each to an HTTP status and a problem-details body."""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class Invalid(DomainError):
    """The input breaks a rule; `fields` says which field and why."""

    status = 422


class NotFound(DomainError):
    """Absent, or present but not readable by the asker (we never confirm it exists)."""

    status = 404


class Forbidden(DomainError):
    """The asker may see this but may not do that."""

    status = 403


class Conflict(DomainError):
    """The request clashes with the current state (duplicate, already decided, last lead)."""

    status = 409


class RateLimited(DomainError):
    status = 429
