"""SQLite statements in one trip to aiosqlite's thread, answering as SQLAlchemy's own adapter does."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import exc, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from server import db, sqlite_driver
from tests.conftest import make_settings


@pytest.fixture
async def trips() -> AsyncIterator[list[str]]:
    """The trips to the database's thread, as the event loop sees them: each one ends with that thread
    handing the loop its answer (`call_soon_threadsafe`, asyncio's one way in from another thread),
    one wake-up of the loop. Recorded by the name of the thread that called."""
    loop = asyncio.get_running_loop()
    woken: list[str] = []
    original = loop.call_soon_threadsafe

    def counted(callback: Any, *args: Any, **kwargs: Any) -> Any:
        woken.append(threading.current_thread().name)
        return original(callback, *args, **kwargs)

    loop.call_soon_threadsafe = counted  # type: ignore[method-assign]
    try:
        yield woken
    finally:
        del loop.call_soon_threadsafe


@pytest.fixture
async def engines(tmp_path: Path) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    """Ours and SQLAlchemy's stock adapter, on one database with one table."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'drivers.db'}"
    ours = create_async_engine(url, module=sqlite_driver.dbapi())
    stock = create_async_engine(url)
    async with stock.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)"))
    yield ours, stock
    await ours.dispose()
    await stock.dispose()


async def test_a_statement_is_one_trip(engines: tuple[AsyncEngine, AsyncEngine], trips: list[str]) -> None:
    ours, stock = engines
    async with ours.connect() as conn:  # connecting makes trips of its own
        trips.clear()
        result = await conn.execute(text("SELECT 1 AS one, 'two' AS two"))
        assert len(trips) == 1 and trips[0] != threading.current_thread().name
        assert result.all() == [(1, "two")]
    async with stock.connect() as conn:
        trips.clear()
        await conn.execute(text("SELECT 1"))
        assert len(trips) >= 3  # what it replaces: cursor, execute, fetch, close


async def test_it_answers_as_the_stock_adapter(engines: tuple[AsyncEngine, AsyncEngine]) -> None:
    answers = []
    for engine, names in zip(engines, (["a", "b", "c"], ["d", "e", "f"]), strict=True):
        async with engine.begin() as conn:
            inserted = await conn.execute(text("INSERT INTO t (name) VALUES (:name)"), {"name": names[0]})
            many = await conn.execute(text("INSERT INTO t (name) VALUES (:name)"), [{"name": n} for n in names[1:]])
            returned = await conn.execute(
                text("INSERT INTO t (name) VALUES ('r' || :n) RETURNING name"), {"n": names[0]}
            )
            updated = await conn.execute(
                text("UPDATE t SET name = name || '!' WHERE name IN (:x, :y)"), {"x": names[1], "y": names[2]}
            )
            rows = await conn.execute(text("SELECT name FROM t WHERE name LIKE :p ORDER BY id"), {"p": f"{names[1]}%"})
            first_id = (await conn.execute(text("SELECT id FROM t WHERE name = :n"), {"n": names[0]})).scalar_one()
            answers.append(
                (
                    inserted.rowcount,
                    inserted.lastrowid == first_id,
                    many.rowcount,
                    returned.scalar_one() == "r" + names[0],
                    updated.rowcount,
                    rows.scalars().all() == [names[1] + "!"],
                    list(rows.keys()),
                )
            )
    assert answers[0] == answers[1] == (1, True, 2, True, 2, True, ["name"])


async def test_errors_are_the_dbapis_and_the_connection_goes_on(engines: tuple[AsyncEngine, AsyncEngine]) -> None:
    ours, _ = engines
    async with ours.connect() as conn:
        await conn.execute(text("INSERT INTO t (name) VALUES ('same')"))
        with pytest.raises(exc.IntegrityError):
            await conn.execute(text("INSERT INTO t (name) VALUES ('same')"))
        with pytest.raises(exc.OperationalError):
            await conn.execute(text("SELECT nothing FROM nowhere"))
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1
        await conn.rollback()


async def test_server_side_cursors_stream_as_before(engines: tuple[AsyncEngine, AsyncEngine]) -> None:
    ours, _ = engines
    async with ours.begin() as conn:
        await conn.execute(text("INSERT INTO t (name) VALUES (:name)"), [{"name": f"n{i}"} for i in range(25)])
        streamed = await conn.stream(text("SELECT name FROM t ORDER BY id"))
        names = [row.name async for row in streamed]
    assert names == [f"n{i}" for i in range(25)]


async def test_the_app_uses_it_on_sqlite(tmp_path: Path, trips: list[str]) -> None:
    config = db.database_config(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}", tmp_path))
    engine = config.get_engine()
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))  # the transaction begins (the app's BEGIN is a trip too)
            trips.clear()
            assert (await conn.execute(text("SELECT 41 + 1"))).scalar_one() == 42
            assert len(trips) == 1 and trips[0] != threading.current_thread().name
    finally:
        await engine.dispose()


async def test_the_start_up_line_names_the_driver_path(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    config = db.database_config(make_settings(url, tmp_path))
    stock = create_async_engine(url)
    postgres = create_async_engine("postgresql+asyncpg://nobody@127.0.0.1/never_connected")
    try:
        lines = [sqlite_driver.describe(engine) for engine in (config.get_engine(), stock, postgres)]
    finally:
        for engine in (config.get_engine(), stock, postgres):
            await engine.dispose()
    versions = f"aiosqlite {version('aiosqlite')}, SQLAlchemy {version('sqlalchemy')}"
    assert lines == [
        f"SQLite through aiosqlite, one trip to its thread per statement (server/sqlite_driver.py; {versions})",
        f"SQLite through SQLAlchemy's own aiosqlite adapter, four trips per statement ({versions})",
        f"PostgreSQL through asyncpg {version('asyncpg')}",
    ]
