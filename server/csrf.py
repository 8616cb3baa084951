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


class BearerAwareCSRFMiddleware(CSRFMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            for name, value in scope["headers"]:
                if name == b"authorization" and value[:7].lower() == b"bearer ":
                    await self.app(scope, receive, send)
                    return
        await super().__call__(scope, receive, send)

    @classmethod
    def define(cls, config: CSRFConfig) -> DefineMiddleware:
        return DefineMiddleware(cls, config=config)
