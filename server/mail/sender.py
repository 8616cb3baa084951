"""The task that sends queued mail (server/mail/queue.py): one per server process.

It is kicked when a transaction of this process commits mail (the unit of work's `mail` callback),
and looks again on a slow tick, so mail queued by another process or by the command line, and mail
whose retry has come due, is sent too. Each pass claims a batch of due messages with a lease (a
short transaction of its own), sends them outside any transaction, and marks each sent or failed
in another.

Sent once, across processes and restarts: a claimed message is no other sender's until its lease
runs out, and one marked sent is never claimed again. Each send is cut off after MESSAGE_SECONDS
and the lease (LEASE) outlasts a whole batch of them, so it runs out only for a sender that died
(or stalled) mid-batch; another then takes the message over. One window is left, as SMTP leaves
it to every sender: a process that dies after the server accepted a message and before `sent_at`
is written sends it again once its lease runs out. The copy carries the same Message-ID (made at
enqueue), by which receivers and mail clients recognise and drop the duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from server import tasks
from server.db import writing
from server.mail import queue
from server.mail.compose import compose
from server.mail.models import OutboundMail
from server.mail.transport import SMTP_TIMEOUT, PermanentFailure, Transport, file_name

log = logging.getLogger("commons.mail")

BATCH = 5  # messages claimed at once
MESSAGE_SECONDS = 4 * SMTP_TIMEOUT  # the longest one message may take to hand over, all its commands together
LEASE = timedelta(seconds=BATCH * MESSAGE_SECONDS * 1.5)  # outlasts a whole batch of the slowest sends


def worker_name() -> str:
    """Who holds a claim: host, process and this sender (two senders in one process differ)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class MailSender:
    def __init__(
        self,
        session_maker: Callable[[], AsyncSession],
        transport: Transport,
        *,
        sender: str,
        tick_seconds: float = 30.0,
        now: Callable[[], datetime] = clock.now,
        lease: timedelta = LEASE,
        batch: int = BATCH,
    ) -> None:
        self._maker = session_maker
        self.transport = transport
        self._from = sender
        self._tick = tick_seconds
        self._now = now
        self._lease = lease
        self._batch = batch
        self.worker = worker_name()
        self._due = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        log.info("mail: %s", self.transport.describe())
        self._due.set()  # mail a previous run left is sent at once
        self._task = asyncio.create_task(self._run(), name="mail-sender")

    async def stop(self) -> None:
        await tasks.cancel(self._task)
        self._task = None

    def kick(self) -> None:
        """A transaction of this process queued mail: send it now rather than at the next tick."""
        self._due.set()

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._due.wait(), self._tick)
            self._due.clear()
            try:
                await self.drain()
            except Exception:  # the mail stays queued: the next tick tries again
                log.exception("could not send queued mail")

    async def drain(self) -> int:
        """Send batches until none is due (or the rest are another sender's); how many went."""
        sent = 0
        while True:
            claimed = await self._claim()
            if not claimed:
                return sent
            # the batch's messages go at once, each on its own connection: a slow or refusing recipient's
            # server holds up only its own message (each is marked sent or failed on its own)
            sent += sum(await asyncio.gather(*(self._send(mail) for mail in claimed)))

    async def _claim(self) -> list[OutboundMail]:
        now = self._now()
        async with self._maker() as session:
            if not await queue.due_soon(session, now):  # a read first: no write lock for nothing
                return []
        async with self._maker() as session:
            async with writing(session):
                claimed = await queue.claim(session, worker=self.worker, now=now, lease=self._lease, limit=self._batch)
                await session.commit()
        return claimed

    async def _send(self, mail: OutboundMail) -> int:
        try:
            async with asyncio.timeout(MESSAGE_SECONDS):
                await self.transport.send(compose(mail, sender=self._from), name=file_name(mail.id, mail.kind))
        except Exception as exc:  # any failure to hand it over is retried, or given up in the end
            await self._failed(mail, exc)
            return 0
        async with self._maker() as session:
            async with writing(session):
                first = await queue.mark_sent(session, mail.id, now=self._now())
                await session.commit()
        if not first:
            log.warning("mail %s (%s) was sent again after its lease ran out", mail.id, mail.message_id)
        return 1

    async def _failed(self, mail: OutboundMail, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"
        async with self._maker() as session:
            async with writing(session):
                state = await queue.mark_failed(
                    session,
                    mail.id,
                    worker=self.worker,
                    error=error,
                    now=self._now(),
                    permanent=isinstance(exc, PermanentFailure),
                )
                await session.commit()
        if state == "failed":
            log.error("gave up sending mail %s (%s) to %s: %s", mail.id, mail.kind, mail.to_address, error)
        elif state == "queued":
            log.warning("could not send mail %s (%s), will retry: %s", mail.id, mail.kind, error)
