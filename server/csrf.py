"""Litestar's CSRF middleware, skipped for requests authenticated by a bearer token.

A cross-site page cannot make a browser send an Authorization header (that needs a CORS
pre-flight we never grant), so token-authenticated scripts need no CSRF token; everything
else, including any request that relies on the session cookie, is checked as usual.
"""

from __future__ import annotations

from litestar.config.csrf import CSRFConfig
from litestar.enums import ScopeType
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import Receive, Scope, Send

from server.auth import bearer_from_scope


class BearerAwareCSRFMiddleware(CSRFMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and bearer_from_scope(scope) is not None:
            await self.app(scope, receive, send)  # authenticated by the token alone (server.auth)
            return
        await super().__call__(scope, receive, send)

    @classmethod
    def define(cls, config: CSRFConfig) -> DefineMiddleware:
        return DefineMiddleware(cls, config=config)
