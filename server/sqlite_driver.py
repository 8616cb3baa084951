"""SQLAlchemy's aiosqlite adapter, with each statement run in one trip to aiosqlite's thread.

aiosqlite runs every call on a sqlite3 connection in a worker thread; SQLAlchemy's adapter makes
four calls per statement (open a cursor, execute, fetch, close), each a round trip from the
event loop to that thread and back. A POST runs about ten statements, so it waited for the loop
some forty times while it held SQLite's write lock, and under fan-out load (the loop busy
writing frames to thousands of sockets) every wait was long: a POST in a burst to 5,000
subscribers took 1.7 s on SQLite against 1.1 s on PostgreSQL (docs/benchmarks.md). Here the
four steps run together in the worker thread, through `aiosqlite.Connection._execute` (its
private means of running a function there). Server-side cursors keep SQLAlchemy's own, stepwise
adapter.

This uses private parts of aiosqlite (`Connection._execute`, `Connection._conn`) and of
SQLAlchemy's aiosqlite adapter (its cursor's slots, the connection's `_connection` and
`_handle_exception`), so pyproject.toml pins both to the minor releases it is tested with, and
`dbapi()` checks them (`missing`) before an engine is built and raises, naming both versions, if
any is gone or changed: that is at start-up on SQLite (and never on PostgreSQL, which does not
use them), where a clear error beats a server that fails on its first statement. `describe`
gives the line the app logs at start-up saying which driver path is active.
"""

from __future__ import annotations

import inspect
import logging
import sqlite3
from collections import deque
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    AsyncAdapt_aiosqlite_ss_cursor,
)
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger("commons")

_Result = tuple[Any, list[Any] | None, int | None, int]  # description, rows, lastrowid, rowcount


def _run(connection: aiosqlite.Connection, operation: str, parameters: Any, many: bool) -> _Result:
    """In aiosqlite's thread: the statement, start to finish."""
    cursor = connection._conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            return cursor.description, cursor.fetchall(), -1, -1
        return None, None, cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def _run(self, operation: str, parameters: Any, many: bool) -> None:
        try:
            description, rows, lastrowid, rowcount = self.await_(
                self._connection._execute(_run, self._connection, operation, parameters, many)
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description = description
        self.lastrowid, self.rowcount = lastrowid, rowcount
        self._rows = deque(rows) if rows is not None else deque()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._run(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._run(operation, seq_of_parameters, many=True)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        return AsyncAdapt_aiosqlite_ss_cursor(self) if server_side else OneTripCursor(self)


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect is given (`create_engine(module=...)`)."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - both are dependencies
        return "(not installed)"


def versions() -> str:
    return f"aiosqlite {_version('aiosqlite')}, SQLAlchemy {_version('sqlalchemy')}"


def _slots(cls: type) -> set[str]:
    names: set[str] = set()
    for klass in cls.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names.update((slots,) if isinstance(slots, str) else slots)
    return names


def _runs_a_function(execute: Any) -> bool:
    """`async def _execute(self, fn, *args, **kwargs)`: runs fn(*args) in the connection's thread."""
    if not inspect.iscoroutinefunction(execute):
        return False
    kinds = [p.kind for p in inspect.signature(execute).parameters.values()]
    return len(kinds) >= 2 and inspect.Parameter.VAR_POSITIONAL in kinds


# What OneTripCursor sets or reads on itself (all slots of SQLAlchemy's cursor, which has no __dict__).
_CURSOR_SLOTS = ("_adapt_connection", "_connection", "await_", "description", "lastrowid", "rowcount", "_rows")


def missing(
    connection: type = aiosqlite.Connection,
    cursor: type = AsyncAdapt_aiosqlite_cursor,
    adapted: type = AsyncAdapt_aiosqlite_connection,
) -> list[str]:
    """What of aiosqlite's connection class and SQLAlchemy's adapter classes this module uses and
    does not find there in the expected shape, each with the shape expected; empty when all is."""
    gone = []
    if not _runs_a_function(getattr(connection, "_execute", None)):
        gone.append("aiosqlite.Connection._execute (async, taking a function and its arguments)")
    if not isinstance(inspect.getattr_static(connection, "_conn", None), property):
        gone.append("aiosqlite.Connection._conn (a property: the sqlite3 connection)")
    slots = _slots(cursor)
    gone += [f"SQLAlchemy's aiosqlite cursor slot {name}" for name in _CURSOR_SLOTS if name not in slots]
    if "_connection" not in _slots(adapted):
        gone.append("SQLAlchemy's aiosqlite connection slot _connection")
    if not callable(getattr(adapted, "_handle_exception", None)):
        gone.append("SQLAlchemy's aiosqlite connection method _handle_exception")
    return gone


def check(**classes: type) -> None:
    """Raise, naming the versions installed, unless `missing` finds everything (see `missing`)."""
    gone = missing(**classes)
    if gone:
        raise RuntimeError(
            f"server/sqlite_driver.py does not fit {versions()}: missing or changed: {'; '.join(gone)}. "
            "It is tested with the versions pinned in pyproject.toml: install those, or update it for these."
        )


def dbapi() -> OneTripDBAPI:
    check()
    return OneTripDBAPI(aiosqlite, sqlite3)


_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def describe(engine: AsyncEngine) -> str:
    """Which database and driver path this engine runs on, in words for the start-up log."""
    dialect = engine.dialect
    name = _NAMES.get(dialect.name, dialect.name)
    if isinstance(dialect.dbapi, OneTripDBAPI):
        return f"{name} through aiosqlite, one trip to its thread per statement (server/sqlite_driver.py; {versions()})"
    if dialect.driver == "aiosqlite":
        return f"{name} through SQLAlchemy's own aiosqlite adapter, four trips per statement ({versions()})"
    return f"{name} through {dialect.driver} {_version(dialect.driver)}"


def log_active(engine: AsyncEngine) -> None:
    """Log, at INFO, which database driver path the app runs on (once, from the app's lifespan)."""
    log.info("database: %s", describe(engine))
