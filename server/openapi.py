"""Each operation's error answers in the OpenAPI document, derived from how its handler is built.

Litestar documents a handler's success and, for handlers with input, a 400 in its own shape. The
refusals a client meets come from a few mechanisms that a handler's signature, method and layers
show, so one plugin derives them as each route is registered instead of every controller listing
them by hand:

- any input (path, query or body): 400 (unreadable or invalid) and 422 (`server.boundary`,
  `network.inputs`, the services' rules);
- the signed-in `person`, or the optional `viewer` (a wrong token): 401;
- an unsafe method (the CSRF check), or `person` acting on a thing the path names: 403;
- a path parameter, or a body field naming a thing by id: 404;
- an unsafe method that writes to the database: 409;
- a rate-limit middleware on the way in, or a body that a network's slow mode limits: 429;
- the database: 503 (busy or unreachable; nothing was changed).
"""

from __future__ import annotations

from typing import Any

from litestar.handlers import HTTPRouteHandler
from litestar.middleware import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitMiddleware
from litestar.openapi.datastructures import ResponseSpec
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute

from network.adoption.views import AdoptionInput
from network.inputs import PostInput, ReplyInput
from server.api.auth import LoginInput, PasswordResetInput
from server.api.email_confirmation import LinkInput
from server.problems import PROBLEM_MEDIA_TYPE, Problem

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# What Litestar itself passes to handlers; every other parameter that is not a dependency is input.
RESERVED = {"request", "state", "scope", "headers", "cookies", "query", "body", "socket", "data"}
# Statuses a body's type adds: credentials checked at sign-in, contributions slowed by slow mode, an
# emailed link that is spent or expired.
BY_BODY: dict[type, set[int]] = {
    LoginInput: {401},
    PostInput: {429},
    ReplyInput: {429},
    AdoptionInput: {429},
    PasswordResetInput: {410},
    LinkInput: {410},
}

DESCRIPTIONS = {
    400: "The request could not be read: JSON that does not parse or is nested too deeply, or a value "
    "of the wrong type or outside its limits (`errors` names the field).",
    401: "Sign in first (or the email or password is wrong), or send a valid personal API token as "
    "`Authorization: Bearer …`.",
    403: "Not allowed: your role or state in the network does not permit this, or a request "
    "authenticated by the session cookie lacks the `x-csrftoken` header.",
    404: "No such thing, or one you may not see: the two are answered alike.",
    409: "This clashes with the current state (already done, decided or taken); nothing was changed.",
    410: "The emailed link is unknown, has been used or has expired; ask for a new one.",
    422: "A value breaks a rule: text with a NUL character, a number beyond 64 bits, or a rule of the "
    "service (`errors` names the field); nothing was changed.",
    429: "Too many requests: wait as long as `Retry-After` (or the message) says.",
    503: "The database is busy or unreachable; nothing was changed. Try again after `Retry-After` seconds.",
}


class ErrorResponses(ReceiveRoutePlugin):
    """Adds each HTTP operation's error responses, as problem details, when its route is registered."""

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            if handler.include_in_schema is False:
                continue
            documented = {
                status: ResponseSpec(
                    data_container=Problem,
                    description=DESCRIPTIONS[status],
                    media_type=PROBLEM_MEDIA_TYPE,
                    generate_examples=False,
                )
                for status in sorted(statuses(handler, has_path=bool(route.path_parameters)))
            }
            handler.responses = documented | dict(handler.responses or {})


def statuses(handler: HTTPRouteHandler, *, has_path: bool) -> set[int]:
    """The error statuses this handler's operation can answer (see the module's docstring)."""
    params = handler.parsed_fn_signature.parameters
    dependencies = set(handler.resolve_dependencies())
    data = params.get("data")
    bodies = [data.annotation, *(t.annotation for t in data.inner_types)] if data is not None else []  # X | None
    has_input = has_path or data is not None or any(n not in dependencies | RESERVED for n in params)
    unsafe = bool(handler.http_methods & UNSAFE)
    uses_db = bool({"db", "person", "viewer"} & set(params))
    found: set[int] = set()
    if has_input:
        found |= {400, 422}
    if {"person", "viewer"} & set(params):
        found.add(401)
    if unsafe or ("person" in params and has_path):
        found.add(403)
    if has_path or any(_names_by_id(kind) for kind in bodies):
        found.add(404)
    if unsafe and uses_db:
        found.add(409)
    if _rate_limited(handler):
        found.add(429)
    for kind in bodies:
        found |= BY_BODY.get(kind, set()) if isinstance(kind, type) else set()
    if uses_db:
        found.add(503)
    return found


def _names_by_id(kind: Any) -> bool:
    fields = getattr(kind, "__struct_fields__", ())
    return any(name.endswith("_id") for name in fields)


def _rate_limited(handler: HTTPRouteHandler) -> bool:
    for middleware in handler.resolve_middleware():
        if not isinstance(middleware, DefineMiddleware):
            continue
        kind: object = middleware.middleware
        if isinstance(kind, type) and issubclass(kind, RateLimitMiddleware):
            skip = getattr(middleware.kwargs.get("config"), "exclude_opt_key", None)
            if not (skip and handler.opt.get(skip)):
                return True
    return False
