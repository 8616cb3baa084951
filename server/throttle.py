"""Failed sign-ins per account, counted in a Litestar store.

Litestar's rate-limit middleware limits per client address (used on the sign-in route too),
but it identifies a request before its body is read, so it cannot count per account; this
small counter does that, in the same store, so it works across processes on Redis.
"""

from __future__ import annotations

import hashlib

from litestar.stores.base import Store

WINDOW_SECONDS = 15 * 60


def _key(email: str) -> str:
    return "login-failures:" + hashlib.sha256(email.encode()).hexdigest()[:32]


async def too_many_failures(store: Store, email: str, limit: int) -> bool:
    raw = await store.get(_key(email))
    return raw is not None and int(raw) >= limit


async def record_failure(store: Store, email: str) -> None:
    key = _key(email)
    raw = await store.get(key)
    count = int(raw) + 1 if raw is not None else 1
    ttl = await store.expires_in(key) if raw is not None else None
    await store.set(key, str(count), expires_in=ttl if ttl and ttl > 0 else WINDOW_SECONDS)


async def clear_failures(store: Store, email: str) -> None:
    await store.delete(_key(email))
