"""The task that finishes what new posts leave for after their commit (network/content/post_notices.py):
a large network's followers' notices, then the alerts of the saved searches each post matches.

One per server process. It is kicked when a request of this process commits a post that left
notices, and looks again on every live tick, so notices left by a process that stopped (or
by another process) are written too. Each chunk of followers is its own short transaction:
on SQLite the write lock is held for one chunk, and other requests' writes go in between. The step
that finishes a post's notice sends its saved searches' alerts in the same transaction
(network/search/saved.py `alert`): once, as the notice is deleted once.
After each commit the followers' wake-ups go out on the bus, as a request's would.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events import effects
from events.bus import Bus
from network.content import post_notices
from network.search import saved
from server import tasks
from server.db import writing
from server.unit_of_work import UnitOfWork

log = logging.getLogger("commons.notices")


class NoticeWriter:
    def __init__(self, session_maker: async_sessionmaker[AsyncSession], bus: Bus, tick_seconds: float) -> None:
        self._maker = session_maker
        self._unit = UnitOfWork(session_maker, bus)  # it writes until none is waiting: no need to wake itself
        self._tick = tick_seconds
        self._due = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._due.set()  # notices a previous run left are written at once
        self._task = asyncio.create_task(self._run(), name="notice-writer")

    async def stop(self) -> None:
        await tasks.cancel(self._task)
        self._task = None

    def kick(self) -> None:
        """A transaction of this process left notices: write them now rather than at the next tick."""
        self._due.set()

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._due.wait(), self._tick)
            self._due.clear()
            try:
                await self.drain()
            except Exception:  # the notices stay in the database: the next tick tries again
                log.exception("could not write new-post notices")

    async def drain(self) -> int:
        """Write chunks until none is waiting (or the rest are another process's); how many were written."""
        async with self._maker() as session:
            if not await post_notices.waiting(session):  # a read first: no write lock for nothing
                return 0
        chunks = 0
        while await self._write_chunk():
            chunks += 1
            await asyncio.sleep(0)  # let requests waiting on the loop in between chunks
        return chunks

    async def _write_chunk(self) -> bool:
        async with self._maker() as session:
            async with writing(session):
                try:
                    told = await write_next(session)
                    await session.commit()
                except BaseException:
                    await session.rollback()  # its notifications and wake-ups go with it
                    raise
            await self._unit.carry_out(effects.taken(session))  # the followers' wake-ups, as a request's
        return told


async def write_next(session: AsyncSession) -> bool:
    """One step in the caller's transaction: the next chunk of a post's followers and, when that
    finishes the post's notice, the alerts of the saved searches it matches; False when no notice is free."""
    told = await post_notices.tell_next(session)
    if told is None:
        return False
    if told.finished is not None:
        await saved.alert(session, told.finished)
    return True
