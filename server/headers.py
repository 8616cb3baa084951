"""Security headers on every response, errors included, from one `before_send` hook.

Litestar's `response_headers` reach only the responses of route handlers: the 404 of an unknown
path, a 405, and the problem details of an exception raised in middleware (a 429 from the
rate limit, a 403 from CSRF) go out without them. A `before_send` hook sees every message the
app sends, so every response gets the same CSP, `X-Content-Type-Options`, frame and referrer
policy, and `Strict-Transport-Security` when the site is served over HTTPS (`SECURE_COOKIES=1`).

A response to a signed-in request (a session cookie, a session that names a person, or a
bearer token) is someone's own: it gets `Cache-Control: no-store` so no shared or browser
cache keeps it, unless its handler chose a Cache-Control of its own (static files keep
their public caching).
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

from server.auth import SESSION_COOKIE, SESSION_KEY, bearer_from_scope
from server.settings import Settings

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"


def signed_in(scope: Scope) -> bool:
    """Whether this request was made as someone (or signed someone in)."""
    if bearer_from_scope(scope) is not None:
        return True
    session = scope.get("session")
    if isinstance(session, dict) and session.get(SESSION_KEY) is not None:
        return True
    connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
    return bool(connection.cookies.get(SESSION_COOKIE))


def security_headers(settings: Settings) -> BeforeMessageSendHookHandler:
    """The hook for `Litestar(before_send=[...])`, for this site's settings."""
    fixed = ALWAYS | ({"Strict-Transport-Security": HSTS} if settings.secure_cookies else {})

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        message.setdefault("headers", [])
        headers = MutableScopeHeaders.from_message(message)
        for name, value in fixed.items():
            headers[name] = value
        if "cache-control" not in headers and signed_in(scope):
            headers["Cache-Control"] = "no-store"

    return before_send
