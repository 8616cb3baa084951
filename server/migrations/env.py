"""Alembic environment: one metadata (network, events, stores, mail), async engines, SQLite-safe batch mode."""

from __future__ import annotations

import asyncio

from advanced_alchemy.base import orm_registry
from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import events.models  # noqa: F401  (register tables)
import network.adoption.models
import network.engagements.models
import network.models  # noqa: F401
import server.mail.models
import server.stores  # noqa: F401
from server import migrate

target_metadata = orm_registry.metadata
config = context.config


def _url() -> str:
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        from server.settings import Settings

        url = Settings.from_env().database_url
    return str(url)


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=migrate.compare_type,
        compare_server_default=False,
        include_name=migrate.include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        await connection.run_sync(_run)
        return
    engine = create_async_engine(_url())
    async with engine.connect() as conn:
        await conn.run_sync(_run)
        await conn.commit()
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
