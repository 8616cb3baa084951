"""The database engine and the per-request transaction.

Engine and session maker come from advanced-alchemy's config. The request transaction is
our own dependency, not the plugin's "autocommit" handler: that handler commits while the
response is already being sent and only logs a failed commit, so a client could be told
201 for a write that never landed. Here the commit happens before the response leaves; if it
fails the client gets an error, and what the transaction asked to be done after it (wake-ups,
the notice writer, token stamps: server/unit_of_work.py) is done only once it succeeded.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from advanced_alchemy.extensions.litestar import AsyncSessionConfig, EngineConfig, SQLAlchemyAsyncConfig
from litestar import Request
from litestar.datastructures import State
from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from events import effects
from server import sqlite_driver
from server.settings import Settings

if TYPE_CHECKING:
    from server.unit_of_work import UnitOfWork

log = logging.getLogger("commons")

SQLITE_WRITE = "commons_sqlite_write"
# Short OLTP statements only: PostgreSQL compiles a plan with JIT once its cost estimate passes a
# threshold, which costs more than it saves here (the live hub's read of a thousand people's
# notifications ran in 7 ms without it and 290 ms with it).
POSTGRES_CONNECT_ARGS: dict[str, Any] = {"server_settings": {"jit": "off"}}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def database_config(settings: Settings) -> SQLAlchemyAsyncConfig:
    """advanced-alchemy's config builds the engine and session maker for the app, the CLI and tests."""
    if settings.is_sqlite:
        engine_config = EngineConfig(
            echo=settings.sql_echo,
            connect_args={"timeout": 30, "isolation_level": None},
            module=sqlite_driver.dbapi(),  # one trip to aiosqlite's thread per statement
        )
    else:
        engine_config = EngineConfig(
            echo=settings.sql_echo,
            pool_size=10,
            max_overflow=20,
            pool_pre_ping=True,
            connect_args=POSTGRES_CONNECT_ARGS,
        )
    config = SQLAlchemyAsyncConfig(
        connection_string=settings.database_url,
        engine_config=engine_config,
        session_config=AsyncSessionConfig(expire_on_commit=False),
        create_all=False,
        enable_file_object_listener=False,  # no FileObject columns; it would inspect every flush
    )
    if settings.is_sqlite:
        _sqlite_pragmas(config.get_engine())
    return config


def _sqlite_pragmas(engine: AsyncEngine) -> None:
    """Foreign keys on, WAL (readers never block the writer), a busy timeout, and explicit BEGINs.

    pysqlite's own transaction handling is turned off (isolation_level=None) so we can emit
    BEGIN IMMEDIATE for writing transactions: a deferred transaction that reads and then
    writes can fail at once with "database is locked" when another writer got there first,
    whatever the busy timeout; IMMEDIATE takes the write lock up front and waits its turn.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(SQLITE_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


async def begin_write(session: AsyncSession) -> None:
    """Start a transaction that will write (on SQLite: take the write lock now)."""
    await session.connection(execution_options={SQLITE_WRITE: True})


_TURNS: WeakKeyDictionary[Engine | Connection, asyncio.Lock] = WeakKeyDictionary()


@asynccontextmanager
async def writing(session: AsyncSession) -> AsyncIterator[None]:
    """A writing transaction, to be committed or rolled back inside the block.

    On SQLite this process's writers first take turns on an asyncio lock. Our own because
    SQLite's busy handler makes a writer that finds the lock taken sleep and retry (1, 2, 5 …
    up to 100 ms at a time), so in a burst of posts some waited seconds while the lock stood
    free; the asyncio lock hands it to the next writer the moment it is released, in order.
    Other processes (the CLI) still wait on the busy timeout."""
    engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        await begin_write(session)
        yield
        return
    async with _TURNS.setdefault(engine, asyncio.Lock()):
        await begin_write(session)
        yield


async def provide_db(state: State, request: Request[Any, Any, Any]) -> AsyncGenerator[AsyncSession, None]:
    """One session and transaction per request: committed through the unit of work (which then does
    what the transaction asked for) if the handler returned, rolled back if it raised."""
    maker: async_sessionmaker[AsyncSession] = state.session_maker
    unit: UnitOfWork = state.unit_of_work
    async with maker() as session:
        async with writing(session) if request.method not in SAFE_METHODS else nullcontext():
            try:
                yield session
            except BaseException:
                await session.rollback()  # its events, notifications and effects go with it
                raise
            await session.commit()
        await unit.carry_out(effects.taken(session))
