"""The task that asks for adoption reports when they fall due: one per server process, beside the mail
scheduler (docs/design.md §3.13).

On each tick it reads the adoption records whose report is due and that nobody was asked about, and
asks each record's recorder in a short transaction of its own (network/adoption/service.py `ask`).
The conditional UPDATE there (`asked_at IS NULL`) lets one process of many write the notification,
whatever processes start, stop or overlap; a pass that dies before its commit asks no one, and the
next tick asks again. After each commit the notification's wake-up goes out on the bus, as a
request's would, and the notice mail follows the person's choices like any notification's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from events import effects
from events.bus import Bus
from network import clock
from network.adoption import service
from server import tasks
from server.db import writing
from server.unit_of_work import UnitOfWork

log = logging.getLogger("commons.adoption")


async def ask_due(maker: Callable[[], AsyncSession], unit: UnitOfWork, now: datetime) -> int:
    """Ask for every report due by `now` that nobody was asked about; how many were asked."""
    asked = 0
    while True:
        async with maker() as session:  # a read first: no write lock for nothing
            due = await service.due_ids(session, now.date())
        for adoption_id in due:
            async with maker() as session:
                async with writing(session):
                    try:
                        asked += await service.ask(session, adoption_id, now)
                        await session.commit()
                    except BaseException:
                        await session.rollback()
                        raise
                await unit.carry_out(effects.taken(session))
            await asyncio.sleep(0)  # requests waiting on the loop go in between
        if len(due) < service.DUE_PER_PASS:
            return asked


class FollowUps:
    def __init__(
        self,
        session_maker: Callable[[], AsyncSession],
        bus: Bus | None,
        *,
        tick_seconds: float,
        now: Callable[[], datetime] = clock.now,
    ) -> None:
        self._maker = session_maker
        self._unit = UnitOfWork(session_maker, bus)
        self._tick = tick_seconds
        self._now = now
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="adoption-follow-ups")

    async def stop(self) -> None:
        await tasks.cancel(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._tick)
            try:
                await self.tick()
            except Exception:  # nothing is lost: the next tick reads the database again
                log.exception("could not ask for the adoption reports due")

    async def tick(self) -> int:
        return await ask_due(self._maker, self._unit, self._now())
