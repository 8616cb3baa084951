"""The task that makes the mail which brings people back: one per server process.

On each tick it writes who was on the site (server/presence.py), tells the named people of
engagements whose check-in or follow-up has come (network/engagements/reminders.py), passes over the
people with new notifications (server/mail/notice_mail.py), and builds the daily and weekly digests
once they are due (server/mail/digest_run.py). Every process runs it; the conditional UPDATEs and the run's lease
keep each message to one of them. The sender (server/mail/sender.py) sends what it queues.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from network.engagements import reminders
from network.enums import DigestFrequency
from network.people import mail_settings
from server import tasks
from server.db import writing
from server.mail import digest_run, notice_mail
from server.mail.sender import worker_name
from server.presence import Presence
from server.settings import Settings

log = logging.getLogger("commons.mail")


async def notice_pass(maker: Callable[[], AsyncSession], settings: Settings, now: datetime) -> int:
    """Pass over everyone with notifications not yet passed over; how many messages were queued.
    Each person is their own short transaction."""
    queued, after = 0, 0
    while True:
        async with maker() as session:
            people = await notice_mail.waiting_people(session, after)
        for person_id in people:
            async with maker() as session:
                if not await notice_mail.due(session, person_id, now):
                    continue  # still giving them time to see it: no write
            async with maker() as session:
                async with writing(session):
                    queued += await notice_mail.mail_person(session, settings, person_id, now)
                    await session.commit()
            await asyncio.sleep(0)  # requests waiting on the loop go in between people
        if len(people) < notice_mail.PEOPLE_PER_READ:
            return queued
        after = people[-1]


async def engagement_pass(maker: Callable[[], AsyncSession], now: datetime) -> int:
    """Remind the named people of the check-ins that have come, and ask after the follow-ups that are due;
    how many engagements this process told (each is told once, whichever process gets there first).
    Each engagement is its own short transaction."""
    today, told = now.date(), 0
    for find, tell in (
        (reminders.due_check_ins, reminders.remind_check_in),
        (reminders.due_follow_ups, reminders.ask_follow_up),
    ):
        async with maker() as session:
            due = await find(session, today)
        for engagement_id in due:
            async with maker() as session:
                async with writing(session):
                    told += int(await tell(session, engagement_id, today))
                    await session.commit()
            await asyncio.sleep(0)
    return told


async def digest_pass(
    maker: Callable[[], AsyncSession], settings: Settings, now: datetime, worker: str, *, due_only: bool = True
) -> list[digest_run.RunResult]:
    """Build the daily and weekly digests of the current periods (only once due, unless told now)."""
    results = []
    for frequency in (DigestFrequency.DAILY, DigestFrequency.WEEKLY):
        if due_only and not mail_settings.digest_due(frequency, now):
            continue
        results.append(await digest_run.build(maker, settings, frequency, now, worker))
    return results


class MailScheduler:
    def __init__(
        self,
        session_maker: Callable[[], AsyncSession],
        settings: Settings,
        presence: Presence | None,
        *,
        tick_seconds: float,
        make_mail: bool,
        now: Callable[[], datetime] = clock.now,
    ) -> None:
        self._maker = session_maker
        self._settings = settings
        self._presence = presence
        self._tick = tick_seconds
        self._make_mail = make_mail  # SEND_MAIL=0: only the presence is written here
        self._now = now
        self.worker = worker_name()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="mail-scheduler")

    async def stop(self) -> None:
        await tasks.cancel(self._task)
        self._task = None
        if self._presence is not None:
            with contextlib.suppress(Exception):
                await self._presence.flush()  # who was here last is not lost to a restart

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._tick)
            try:
                await self.tick()
            except Exception:  # nothing is lost: the next tick starts again from the database
                log.exception("could not make the notice mail and digests")

    async def tick(self) -> None:
        if self._presence is not None:
            await self._presence.flush()
        now = self._now()
        await engagement_pass(self._maker, now)  # notifications, in every process (SEND_MAIL=0 too)
        if not self._make_mail:
            return
        await notice_pass(self._maker, self._settings, now)
        await digest_pass(self._maker, self._settings, now, self.worker)
