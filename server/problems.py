"""Every error as RFC 9457 problem details, with a message a person can act on.

Litestar's problem-details plugin does the rendering; these functions turn our domain
refusals, Litestar's own HTTP errors (validation, auth, CSRF, rate limits) and database
conflicts into problem details with `detail` and, where a field is at fault, `errors`.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.problem_details import ProblemDetailsConfig, ProblemDetailsException
from sqlalchemy.exc import IntegrityError, OperationalError

from network.errors import DomainError

log = logging.getLogger("commons")
PROBLEM_MEDIA_TYPE = "application/problem+json"


class Problem(msgspec.Struct):
    """The body of every error response, as the OpenAPI document describes it (server/openapi.py)."""

    status: int
    title: str
    detail: str
    errors: dict[str, str] | msgspec.UnsetType = msgspec.UNSET  # the fields at fault, when there are any


def _problem(status: int, detail: str, **extra: Any) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=status,
        title=HTTPStatus(status).phrase,
        detail=detail,
        extra={k: v for k, v in extra.items() if v} or None,
    )


def from_domain(exc: DomainError) -> ProblemDetailsException:
    return _problem(exc.status, exc.message, errors=exc.fields, **exc.extra)


def from_http(exc: HTTPException) -> ProblemDetailsException:
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        errors: dict[str, str] = {}
        for item in exc.extra:
            if isinstance(item, dict):
                key = str(item.get("key") or item.get("source") or "body")
                errors[key] = str(item.get("message", "Invalid value."))
        parts = [f"{k}: {v}" for k, v in errors.items()]
        detail = "The request is not valid. " + "; ".join(parts) if parts else "The request body is not valid."
        problem = _problem(400, detail, errors=errors)
    else:
        detail = exc.detail or HTTPStatus(exc.status_code).phrase
        if exc.status_code == 403 and "CSRF" in detail:
            detail = "CSRF token missing or wrong: send the 'csrftoken' cookie's value in the 'x-csrftoken' header."
        problem = _problem(exc.status_code, detail)
    problem.headers = exc.headers
    return problem


def from_integrity(exc: IntegrityError) -> ProblemDetailsException:
    log.info("integrity conflict: %s", exc.orig)
    return _problem(409, "That conflicts with something that already exists; nothing was changed.")


def from_operational(exc: OperationalError) -> ProblemDetailsException:
    log.warning("database unavailable: %s", exc.orig)
    problem = _problem(503, "The database is busy or unreachable; nothing was changed. Try again shortly.")
    problem.headers = {"Retry-After": "2"}
    return problem


def internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _problem(500, "Something went wrong on our side; nothing was changed.").to_response(request)


def problem_details_config() -> ProblemDetailsConfig:
    return ProblemDetailsConfig(
        enable_for_all_http_exceptions=False,
        exception_to_problem_detail_map={  # type: ignore[dict-item]
            DomainError: from_domain,
            HTTPException: from_http,
            IntegrityError: from_integrity,
            OperationalError: from_operational,
        },
    )
