"""What our code uses of its libraries' private internals, checked against the installed libraries; and the
checks' refusals, shown on plain objects that lack what is used (nothing is mocked).

Three places reach past a library's public API: server/live/direct.py (uvicorn's sans-I/O websocket protocol
and the `websockets` connection it holds), server/sqlite_driver.py (aiosqlite's `_execute`/`_conn` and
SQLAlchemy's aiosqlite adapter classes) and server/sessions.py (Litestar's `_backend_class`). pyproject.toml
pins those libraries to the minor releases tested; when a pin moves, these tests say first what changed.
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import tomllib
from collections.abc import AsyncIterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
import uvicorn
from litestar.middleware.session.server_side import ServerSideSessionConfig
from packaging.requirements import Requirement
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from uvicorn.server import ServerState

from server import sessions, sqlite_driver
from server.cli import WEBSOCKET_OPTIONS, WEBSOCKET_PROTOCOL
from server.live import direct

ROOT = Path(__file__).resolve().parents[2]
PINNED = ("litestar", "sqlalchemy", "aiosqlite", "websockets", "uvicorn")


class Plain:
    """An object with none of the attributes a check looks for."""


async def _app(scope: Any, receive: Any, send: Any) -> None:
    """An ASGI app for uvicorn's config; never called."""


@pytest.fixture
async def sansio() -> AsyncIterator[WebSocketsSansIOProtocol]:
    """uvicorn's sans-I/O websocket protocol as `commons serve` configures it, connected to a real socket."""
    config = uvicorn.Config(_app, ws=WEBSOCKET_PROTOCOL, log_config=None, **WEBSOCKET_OPTIONS)  # type: ignore[arg-type]
    config.load()
    assert config.ws_protocol_class is WebSocketsSansIOProtocol
    loop = asyncio.get_running_loop()
    ours, theirs = socket.socketpair()
    protocol = WebSocketsSansIOProtocol(config, ServerState(), {}, _loop=loop)
    transport, _ = await loop.connect_accepted_socket(lambda: protocol, sock=ours)
    yield protocol
    transport.close()
    theirs.close()


def test_the_libraries_installed_are_the_pinned_ones() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {Requirement(line).name.lower(): Requirement(line) for line in project["dependencies"]}
    for name in PINNED:
        pin = pins[name]
        assert any(spec.operator == "<" for spec in pin.specifier), f"{name} has no upper bound: {pin}"
        assert pin.specifier.contains(version(name)), f"{name} {version(name)} is installed, {pin} is pinned"


def test_direct_writes_find_what_they_use_in_uvicorns_protocol(sansio: WebSocketsSansIOProtocol) -> None:
    assert direct.missing(sansio) == []
    line, gone = direct.delivery(sansio.send)
    assert gone == []
    assert line.startswith(
        f"direct writes through uvicorn's websockets-sansio protocol "
        f"(uvicorn {version('uvicorn')}, websockets {version('websockets')})"
    )
    assert direct.writer({direct.ASGI_SEND: sansio.send}) is not None  # type: ignore[typeddict-unknown-key]


def test_direct_writes_name_what_is_missing_or_changed(sansio: WebSocketsSansIOProtocol) -> None:
    assert direct.missing(Plain()) == [
        "handshake_complete (a bool)",
        "close_sent (a bool)",
        "disconnected (a bool)",
        "writable (an asyncio.Event, set while the transport takes writes)",
        "transport (an asyncio transport)",
        "conn (a websockets.server.ServerProtocol)",
    ]
    del sansio.writable  # the real protocol object, without one thing the writer uses
    sansio.conn.writes = ()  # type: ignore[assignment]  # and another in a shape it does not expect
    gone = [
        "writable (an asyncio.Event, set while the transport takes writes)",
        "conn.writes (a list of bytes not yet handed out)",
    ]
    assert direct.missing(sansio) == gone
    line, found = direct.delivery(sansio.send)
    assert found == gone and line.startswith("every frame through ASGI send")
    assert direct.writer({direct.ASGI_SEND: sansio.send}) is None  # type: ignore[typeddict-unknown-key]


def test_the_app_logs_a_mismatch_once_and_sends_through_asgi(
    sansio: WebSocketsSansIOProtocol, caplog: pytest.LogCaptureFixture
) -> None:
    del sansio.close_sent
    app = direct.KeepsAsgiSend(route_handlers=[], logging_config=None)  # leave the test's logging as it is
    with caplog.at_level(logging.INFO, logger="commons.live"):
        app.log_delivery(sansio.send)
        app.log_delivery(sansio.send)  # a second socket: nothing more
    (error, info) = [r for r in caplog.records if r.name == "commons.live"]
    assert error.levelno == logging.ERROR
    message = error.getMessage()
    assert f"uvicorn {version('uvicorn')}, websockets {version('websockets')}" in message
    assert "close_sent (a bool)" in message and "pyproject.toml" in message
    assert info.levelno == logging.INFO
    assert info.getMessage().startswith("live delivery: every frame through ASGI send")


def test_the_sqlite_driver_finds_what_it_uses() -> None:
    assert sqlite_driver.missing() == []
    sqlite_driver.check()
    assert isinstance(sqlite_driver.dbapi(), sqlite_driver.OneTripDBAPI)


def test_the_sqlite_driver_refuses_to_start_without_them() -> None:
    assert sqlite_driver.missing(connection=Plain, cursor=Plain, adapted=Plain) == [
        "aiosqlite.Connection._execute (async, taking a function and its arguments)",
        "aiosqlite.Connection._conn (a property: the sqlite3 connection)",
        *(f"SQLAlchemy's aiosqlite cursor slot {name}" for name in sqlite_driver._CURSOR_SLOTS),
        "SQLAlchemy's aiosqlite connection slot _connection",
        "SQLAlchemy's aiosqlite connection method _handle_exception",
    ]

    class SyncExecute(aiosqlite.Connection):  # a real connection class whose `_execute` is not a coroutine
        def _execute(self, fn: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            return fn(*args, **kwargs)

    assert sqlite_driver.missing(connection=SyncExecute) == [
        "aiosqlite.Connection._execute (async, taking a function and its arguments)"
    ]
    with pytest.raises(RuntimeError) as refused:
        sqlite_driver.check(connection=SyncExecute)
    message = str(refused.value)
    assert f"aiosqlite {version('aiosqlite')}, SQLAlchemy {version('sqlalchemy')}" in message
    assert "_execute" in message and "pyproject.toml" in message


def test_sessions_use_our_backend() -> None:
    sessions.check(sessions.SessionConfig())
    backend = sessions.SessionConfig().middleware.kwargs["backend"]
    assert isinstance(backend, sessions.RotatingSessionBackend)


def test_sessions_refuse_a_config_or_backend_that_would_not_rotate() -> None:
    refusal = rf"Litestar {re.escape(version('litestar'))}: .*not RotatingSessionBackend"
    for config in (ServerSideSessionConfig(), Plain()):  # Litestar's own backend; none at all
        with pytest.raises(RuntimeError, match=refusal):
            sessions.check(config)
    with pytest.raises(RuntimeError, match=r"ServerSideSessionBackend\.get_session_id is gone"):
        sessions.check(sessions.SessionConfig(), base=Plain)
