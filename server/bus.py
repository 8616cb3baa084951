"""Choosing the bus the settings name (events/bus*.py hold the backends)."""

from __future__ import annotations

from events.bus import Bus, MemoryBus
from server.settings import Settings


def build_bus(settings: Settings) -> Bus:
    if settings.bus == "postgres":
        if settings.is_sqlite:
            raise ValueError("BUS_BACKEND=postgres needs a PostgreSQL DATABASE_URL")
        from events.bus_postgres import PostgresBus

        return PostgresBus(settings.database_url)
    if settings.bus == "redis":
        if not settings.redis_url:
            raise ValueError("BUS_BACKEND=redis needs REDIS_URL")
        from events.bus_redis import RedisBus

        return RedisBus(settings.redis_url)
    return MemoryBus()
