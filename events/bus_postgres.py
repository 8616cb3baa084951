"""Signals over PostgreSQL LISTEN/NOTIFY, on two long-lived asyncpg connections of our own.

One connection listens; one publishes (a queue drained by one task, so a burst of commits
costs one round trip per batch, not a connection per publish). Either reconnects after
the database restarts or kills it; the listener then emits `CatchUp`.
"""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg

from events.bus import CHANNEL, BackgroundBus, log
from events.signals import CatchUp, pack, unpack

HEALTH_CHECK_SECONDS = 2.0
LISTENER_NAME = "commons-listener"  # its application_name, so operators can find it in pg_stat_activity


def asyncpg_dsn(database_url: str) -> str:
    """asyncpg wants postgresql://, SQLAlchemy's URL names the driver."""
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


class PostgresBus(BackgroundBus):
    name = "postgres"

    def __init__(self, database_url: str) -> None:
        super().__init__()
        self._dsn = asyncpg_dsn(database_url)
        self.listener_pid: int | None = None  # the backend pid serving LISTEN

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        for signal in unpack(payload):
            self._listeners.emit(signal)

    async def _listen_forever(self) -> None:
        delay = 0.1
        first = True
        while True:
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(self._dsn, timeout=5, server_settings={"application_name": LISTENER_NAME})
                await conn.add_listener(CHANNEL, self._on_notify)
                self.listener_pid = conn.get_server_pid()
                self._connected.set()
                if not first:
                    self._listeners.emit(CatchUp())
                first, delay = False, 0.1
                while True:  # notifications arrive via the callback; this loop only notices a dead link
                    await asyncio.sleep(HEALTH_CHECK_SECONDS)
                    await asyncio.wait_for(conn.fetchval("SELECT 1"), timeout=HEALTH_CHECK_SECONDS * 2)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("LISTEN connection lost (%s); reconnecting", exc)
                self._connected.clear()
                first = False
            finally:
                if conn is not None:
                    with contextlib.suppress(Exception):
                        conn.terminate()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def _publish_forever(self) -> None:
        conn: asyncpg.Connection | None = None
        while True:
            payloads = pack(await self._next_batch())
            for attempt in range(2):
                try:
                    if conn is None or conn.is_closed():
                        conn = await asyncpg.connect(self._dsn, timeout=5)
                    await conn.executemany("SELECT pg_notify($1, $2)", [(CHANNEL, p) for p in payloads])
                    break
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.warning("NOTIFY failed (%s)%s", exc, "; retrying" if attempt == 0 else "; dropped")
                    if conn is not None:
                        with contextlib.suppress(Exception):
                            conn.terminate()
                    conn = None
            self._sent()
