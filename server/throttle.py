"""Sign-in limits: per client address (Litestar's rate-limit middleware) and per account.

Litestar's middleware identifies a request before its body is read, so it limits per address
only; `AddressRateLimitMiddleware` is that middleware with a message a person can act on and a
`Retry-After` header. Failed sign-ins per account are counted here, in a Litestar store, so the
count is shared across processes on Redis or the database.

An attempt is counted before the password is checked (and forgotten when it succeeds), so a
burst of concurrent guesses cannot all pass the check before any failure is recorded.
"""

from __future__ import annotations

import hashlib
import math
from time import time
from typing import Any

from litestar.connection import Request
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware
from litestar.stores.base import Store
from litestar.types import Receive, Scope, Send

WINDOW_SECONDS = 15 * 60
SKIP_OPT = "skip_address_limit"


class AddressRateLimitMiddleware(RateLimitMiddleware):
    """Litestar's per-address limit, refusing with a readable message and `Retry-After`."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = scope["litestar_app"]
        request: Request[Any, Any, Any] = app.request_class(scope)
        store = self.config.get_store_from_app(app)
        if not await self.should_check_request(request=request):
            await self.app(scope, receive, send)
            return
        key = self.cache_key_from_request(request)
        async with self._lock:
            cache_object = await self.retrieve_cached_history(key, store)
            if len(cache_object.history) >= self.max_requests:
                wait = max(1, cache_object.reset - int(time()))
                headers = self.create_response_headers(cache_object=cache_object) | {"Retry-After": str(wait)}
                raise TooManyRequestsException(
                    detail=f"Too many sign-in attempts from your address; try again in {_readable(wait)}.",
                    headers=headers,
                )
            await self.set_cached_history(key=key, cache_object=cache_object, store=store)
        await self.app(scope, receive, self.create_send_wrapper(send=send, cache_object=cache_object))


def address_limit(per_minute: int) -> RateLimitConfig:
    """At most `per_minute` requests a minute from one client address (handlers may opt out)."""
    return RateLimitConfig(
        rate_limit=("minute", per_minute),
        store="rate_limit",
        exclude_opt_key=SKIP_OPT,
        middleware_class=AddressRateLimitMiddleware,
    )


def _readable(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"


def _key(email: str) -> str:
    return "login-failures:" + hashlib.sha256(email.encode()).hexdigest()[:32]


async def count_attempt(store: Store, email: str, limit: int) -> None:
    """Count a sign-in attempt for this account; refuse (429) once `limit` have failed in the window."""
    key = _key(email)
    raw = await store.get(key)
    count = int(raw) if raw is not None else 0
    ttl = await store.expires_in(key) if raw is not None else None
    if count >= limit:
        wait = ttl if ttl and ttl > 0 else WINDOW_SECONDS
        raise TooManyRequestsException(
            detail=f"Too many failed sign-ins for this account; try again in {_readable(wait)}.",
            headers={"Retry-After": str(wait)},
        )
    await store.set(key, str(count + 1), expires_in=ttl if ttl and ttl > 0 else WINDOW_SECONDS)


async def clear_failures(store: Store, email: str) -> None:
    await store.delete(_key(email))
