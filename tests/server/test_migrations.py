"""Migrations and models agree, and the schema goes up to head and back down to nothing, on each database.

Each run uses a database of its own (a new SQLite file; a new PostgreSQL database beside the test one), so the
shared test schema is never touched.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from advanced_alchemy.base import orm_registry
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

import events.models  # noqa: F401  (register tables)
import network.adoption.models
import network.engagements.models
import network.models  # noqa: F401
import server.mail.models
import server.stores  # noqa: F401
from server import migrate
from tests.conftest import PG_URL, REQUIRE_POSTGRES


def _run(url: str, work: Any) -> Any:
    async def go() -> Any:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(work)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def _admin(url: str, statement: str) -> None:
    async def go() -> None:
        engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.execute(text(statement))
        finally:
            await engine.dispose()

    asyncio.run(go())


@pytest.fixture(params=["sqlite", "postgres"] if PG_URL or REQUIRE_POSTGRES else ["sqlite"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
        return
    if not PG_URL:
        pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
    base = make_url(PG_URL)
    name = f"{base.database}_migrations_{uuid.uuid4().hex[:8]}"
    _admin(PG_URL, f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        _admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def _diff(conn: Connection) -> list[Any]:
    context = MigrationContext.configure(
        conn, opts={"compare_type": migrate.compare_type, "render_as_batch": True, "include_name": migrate.include_name}
    )
    return list(compare_metadata(context, orm_registry.metadata))


def test_a_fresh_migrate_prints_no_warning(empty_database: str, tmp_path: Path) -> None:
    """`commons migrate` on a new database, as an operator runs it, with every warning shown (`-W always`):
    none is printed; nor going back down to the first revision and up again. A SQLite table rebuilt by a
    migration reflects that table alone, not the organisations its foreign keys lead to, whose lower(name)
    index SQLite cannot reflect."""
    env = os.environ | {"DATABASE_URL": empty_database, "COMMONS_VAR_DIR": str(tmp_path), "SECRET_KEY": "x" * 40}
    env.pop("REDIS_URL", None)

    def commons_migrate() -> None:
        result = subprocess.run(
            [sys.executable, "-W", "always", "-m", "server.cli", "migrate"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Database at head" in result.stdout
        assert "Warning" not in result.stderr, result.stderr

    commons_migrate()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every rebuild undone, each reflecting its own table only
        migrate.downgrade(empty_database, "0001")
    commons_migrate()


# SQLite cannot reflect expression indexes (lower(name)); PostgreSQL compares them.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection", "ignore:autogenerate skipping")
def test_upgrade_matches_models_then_downgrade_to_nothing(empty_database: str) -> None:
    migrate.upgrade(empty_database)

    tables = _run(empty_database, _tables)
    assert set(orm_registry.metadata.tables) <= tables
    assert {"people", "networks", "posts", "events", "notifications", "api_tokens"} <= tables
    assert _run(empty_database, _diff) == [], "models and migrations disagree: add a migration"

    migrate.downgrade(empty_database)
    assert _run(empty_database, _tables) <= {"alembic_version"}

    # And back up again: downgrade left nothing behind that blocks a fresh upgrade.
    migrate.upgrade(empty_database)
    assert set(orm_registry.metadata.tables) <= _run(empty_database, _tables)


def test_sqlite_connections_enforce_foreign_keys_wal_and_busy_timeout(tmp_path: Path) -> None:
    from server import db
    from tests.conftest import make_settings

    url = f"sqlite+aiosqlite:///{tmp_path / 'pragmas.db'}"
    migrate.upgrade(url)
    config = db.database_config(make_settings(url, tmp_path))

    async def pragmas() -> tuple[Any, ...]:
        try:
            async with config.get_engine().connect() as conn:
                fk = (await conn.execute(text("PRAGMA foreign_keys"))).scalar_one()
                mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar_one()
                busy = (await conn.execute(text("PRAGMA busy_timeout"))).scalar_one()
                return fk, mode, busy
        finally:
            await config.get_engine().dispose()

    fk, mode, busy = asyncio.run(pragmas())
    assert fk == 1
    assert mode == "wal"
    assert busy >= 1000


async def test_postgres_connections_run_without_jit(database_url: str, tmp_path: Path) -> None:
    from server import db
    from tests.conftest import make_settings

    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL setting")
    config = db.database_config(make_settings(database_url, tmp_path))
    try:
        async with config.get_engine().connect() as conn:
            assert (await conn.execute(text("SHOW jit"))).scalar_one() == "off"
    finally:
        await config.get_engine().dispose()


async def test_postgres_counter_tables_leave_room_for_heap_only_updates(database_url: str, engine: AsyncEngine) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL setting")
    async with engine.connect() as conn:
        options = await conn.execute(
            text("SELECT relname, reloptions FROM pg_class WHERE relname IN ('people', 'networks', 'posts')")
        )
        found = {name: opts for name, opts in options.all()}
    assert found == {"people": ["fillfactor=70"], "networks": ["fillfactor=70"], "posts": None}


def test_log_epoch_is_fixed_when_the_database_is_created(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'epoch.db'}"
    migrate.upgrade(url)
    epoch = _run(url, lambda c: c.execute(text("SELECT epoch FROM log_epoch")).scalars().all())
    assert len(epoch) == 1 and epoch[0]
    migrate.upgrade(url)  # running migrate again changes nothing
    assert _run(url, lambda c: c.execute(text("SELECT epoch FROM log_epoch")).scalars().all()) == epoch
