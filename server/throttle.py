"""Sign-in limits: per client address (Litestar's rate-limit middleware) and per account.

Litestar's middleware identifies a request before its body is read, so it limits per address
only; `AddressRateLimitMiddleware` is that middleware with a message a person can act on and a
`Retry-After` header.

Failed sign-ins are counted here, in the `throttle` Litestar store (so on Redis or the
database every process sees the same counts), per account *and* address, and per account:

- An address that fails `login_failures_per_address` times (5) on one account within 15
  minutes is refused (429) for that account until 15 minutes after its latest failure.
- An account that has failed `login_failures_per_account` times (10) from anywhere within 15
  minutes is slowed, never locked: an address that has failed on it must wait a back-off
  after the account's latest failure, 2 seconds and doubling with each further failure, at
  most 5 minutes (the wait is in `Retry-After`).
- An address with no recent failure on the account is let through at once, so the owner
  signs in from their own address whatever others are guessing; its first failure makes it
  a failing address like the rest.
- A correct password forgets that address's failures on the account.

A record is forgotten 15 minutes after the latest failure it counts. Unknown emails are
counted the same way, so the answers do not tell which emails have accounts. An attempt is
counted as a failure before the password is checked (and taken back when it succeeds), so a
burst of concurrent guesses cannot all pass the check before any failure is recorded.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
from time import time
from typing import Any

from litestar.connection import Request
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware, get_remote_address
from litestar.stores.base import Store
from litestar.types import Receive, Scope, Send

from server.settings import Settings

WINDOW_SECONDS = 15 * 60
BACKOFF_FIRST_SECONDS = 2
BACKOFF_MAX_SECONDS = 5 * 60
SKIP_OPT = "skip_address_limit"
STORE = "throttle"
_LOCK = "commons.sign_in_lock"


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


def backoff(failures: int, limit: int) -> int:
    """Seconds a failing address waits after the account's latest failure, once it is slowed."""
    doublings = min(failures - limit, 16)
    return int(min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2**doublings))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _keys(email: str, address: str) -> tuple[str, str]:
    return "sign-in-account:" + _digest(email), "sign-in-pair:" + _digest(email, address)


def _account_record(raw: bytes | None) -> tuple[int, float]:
    """(failures, time of the latest) from the stored 'count time'."""
    if raw is None:
        return 0, 0.0
    count, _, at = raw.decode().partition(" ")
    return int(count), float(at or 0)


def _refuse(message: str, wait: int) -> TooManyRequestsException:
    return TooManyRequestsException(detail=message, headers={"Retry-After": str(wait)})


def _lock(request: Request[Any, Any, Any]) -> asyncio.Lock:
    # A store has no atomic increment: one lock per app (so per process and event loop) keeps
    # concurrent attempts from reading the same count; across processes a race costs one count.
    return request.app.state.setdefault(_LOCK, asyncio.Lock())  # type: ignore[no-any-return]


async def count_attempt(request: Request[Any, Any, Any], email: str, settings: Settings) -> None:
    """Count a sign-in attempt as failed, or refuse it (429 with `Retry-After`) under the policy above."""
    store: Store = request.app.stores.get(STORE)
    account_key, pair_key = _keys(email, get_remote_address(request))
    async with _lock(request):
        raw_pair = await store.get(pair_key)
        pair_failures = int(raw_pair) if raw_pair is not None else 0
        failures, latest = _account_record(await store.get(account_key))
        now = time()
        if pair_failures >= settings.login_failures_per_address:
            left = await store.expires_in(pair_key)
            wait = left if left and left > 0 else WINDOW_SECONDS
            raise _refuse(
                f"Too many failed sign-ins for this account from your address; try again in {_readable(wait)}.", wait
            )
        if pair_failures and failures >= settings.login_failures_per_account:
            wait = math.ceil(latest + backoff(failures, settings.login_failures_per_account) - now)
            if wait > 0:
                raise _refuse(
                    "Too many failed sign-ins for this account, so sign-ins from your address are slowed; "
                    f"try again in {_readable(wait)}.",
                    wait,
                )
        await store.set(pair_key, str(pair_failures + 1), expires_in=WINDOW_SECONDS)
        await store.set(account_key, f"{failures + 1} {now}", expires_in=WINDOW_SECONDS)


async def clear_failures(request: Request[Any, Any, Any], email: str) -> None:
    """The password was right: forget this address's failures on the account, and take back the attempt."""
    store: Store = request.app.stores.get(STORE)
    account_key, pair_key = _keys(email, get_remote_address(request))
    async with _lock(request):
        await store.delete(pair_key)
        failures, latest = _account_record(await store.get(account_key))
        if failures <= 1:
            await store.delete(account_key)
            return
        left = await store.expires_in(account_key)
        expires_in = left if left and left > 0 else WINDOW_SECONDS
        await store.set(account_key, f"{failures - 1} {latest}", expires_in=expires_in)
