"""Domain refusals. The server maps each to an HTTP status and a problem-details body."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra: dict[str, Any] = {}  # more members of the problem details body (a stale edit's texts)


class Invalid(DomainError):
    """The input breaks a rule; `fields` says which field and why."""

    status = 422


class NotFound(DomainError):
    """Absent, or present but not readable by the asker (we never confirm it exists)."""

    status = 404


class SignInNeeded(NotFound):
    """A network the directory lists anyway (public or members-only), asked for by someone not signed in:
    a 404 like any other to the API, while a page may send the visitor to sign in first (docs/design.md §4.3)."""


class Forbidden(DomainError):
    """The asker may see this but may not do that."""

    status = 403


class Conflict(DomainError):
    """The request clashes with the current state (duplicate, already decided, last lead)."""

    status = 409


class StaleEdit(Conflict):
    """An edit made from an earlier version than the current one: refused, and answered with the current
    version and the edit as sent, so nothing the person wrote is lost."""

    def __init__(self, message: str, *, current: dict[str, Any], yours: dict[str, Any]) -> None:
        super().__init__(message)
        self.extra = {"current": current, "yours": yours}


class RateLimited(DomainError):
    status = 429


# What a person may do with a thing is asked of one function per action, in the service that does it
# (`replies.reply_refusal(access, post)`, `offers.accept_refusal(...)`, …): it answers None when the
# action is allowed, or the refusal the service raises. The service raises exactly that
# (`enforce`), and the pages show a form only where it answers None, so the two cannot disagree.
Refusal = DomainError | None


def enforce(refusal: Refusal) -> None:
    """Raise the refusal a capability function answered, if it answered one."""
    if refusal is not None:
        raise refusal
