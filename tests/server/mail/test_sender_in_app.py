"""Each server process runs a mail sender from its start to its stop: it sends on its tick what
another process (or the command line) queued, without being woken."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.mail.sender import MailSender
from tests.conftest import LiveServer
from tests.server.mail.conftest import SmtpServer, mail_settings, queue_mail, rows


async def test_a_serving_process_sends_mail_another_process_queued(
    database_url: str, tmp_path: Path, db: async_sessionmaker[AsyncSession], smtp: SmtpServer
) -> None:
    settings = mail_settings(database_url, tmp_path, smtp_url=smtp.url(), live_tick_seconds=0.2, send_mail=True)
    live = LiveServer(settings).start()
    try:
        assert isinstance(live.app.state.mail_sender, MailSender)
        await queue_mail(db, settings, count=2)  # committed elsewhere: nobody in the server was woken

        received = await smtp.collector.wait_for(2)
        assert sorted(m["Subject"] for m in received) == ["Confirm your email 0", "Confirm your email 1"]
        # the server hears the message before the sender records it sent: wait for the record
        deadline = time.monotonic() + 10
        while {row.state for row in await rows(db)} != {"sent"} and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert {row.state for row in await rows(db)} == {"sent"}
    finally:
        live.stop()
    assert live.app.state.mail_sender._task is None  # stopped with the server
