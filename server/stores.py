"""Litestar stores for sessions, rate limits and sign-in throttling, by runtime mode.

embedded: files under var/ (sessions survive a restart); one production server: the
database (advanced-alchemy's SQLAlchemyStore); several servers: Redis or the database.
"""

from __future__ import annotations

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.extensions.litestar.store import SQLAlchemyStore, StoreModelMixin
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore

from server.settings import Settings

STORE_NAMES = ("sessions", "person_sessions", "rate_limit", "throttle")  # person_sessions: server/session_list.py


class StoreItem(StoreModelMixin):
    """Rows of the database store (sessions, counters), expiring by `expires_at`."""

    __tablename__ = "store_items"


def build_stores(settings: Settings, db: SQLAlchemyAsyncConfig) -> dict[str, Store]:
    kind = settings.session_store
    if kind == "redis":
        if not settings.redis_url:
            raise ValueError("SESSION_STORE=redis needs REDIS_URL")
        root = RedisStore.with_client(url=settings.redis_url, namespace="commons")
        return {name: root.with_namespace(name) for name in STORE_NAMES}
    if kind == "database":
        return {name: SQLAlchemyStore(db, model=StoreItem, namespace=name) for name in STORE_NAMES}
    if kind == "file":
        base = settings.var_dir / "stores"
        return {name: FileStore(base / name, create_directories=True) for name in STORE_NAMES}
    return {name: MemoryStore() for name in STORE_NAMES}
