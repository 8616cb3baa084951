"""Mail queued with a change is sent after its commit, once, to a real SMTP server: not for a change
that rolled back, again after the server was down, once when two senders share the database, and by
another sender once a dead sender's lease runs out (server/mail/)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from server import db as db_config
from server.mail import queue
from server.mail.models import OutboundMail
from server.mail.sender import MailSender
from server.mail.smtp_url import parse
from server.mail.transport import SmtpTransport
from server.settings import Settings
from server.unit_of_work import UnitOfWork
from tests.conftest import make_settings
from tests.server.mail.conftest import PUBLIC_URL, REFUSED, Clock, SmtpServer, mail_settings, parts, queue_mail, rows

Maker = Callable[[], AsyncSession]


def smtp_sender(maker: Maker, settings: Settings, server: SmtpServer, clock: Clock | None = None) -> MailSender:
    transport = SmtpTransport(parse(server.url()), timeout=5)
    if clock is None:
        return MailSender(maker, transport, sender=settings.mail_from)
    return MailSender(maker, transport, sender=settings.mail_from, now=clock)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return mail_settings(database_url, tmp_path)


async def test_a_committed_change_s_mail_arrives_with_both_parts_its_message_id_and_public_links(
    app_db: Maker, settings: Settings, smtp: SmtpServer
) -> None:
    kicks: list[int] = []
    (mail_id,) = await queue_mail(app_db, settings, kicked=lambda: kicks.append(1))
    assert kicks == [1]  # the unit of work woke the sender once the change committed
    (row,) = await rows(app_db)
    assert row.state == "queued" and row.message_id.endswith("@commons.example.org>")

    assert await smtp_sender(app_db, settings, smtp).drain() == 1

    (message,) = await smtp.collector.wait_for(1)
    envelope = smtp.collector.received[0][0]
    assert envelope.rcpt_tos == ["ada@example.org"] and envelope.mail_from == "no-reply@commons.example.org"
    assert message["From"] == "Improvement Commons <no-reply@commons.example.org>"
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Confirm your email"
    assert message["Message-ID"] == row.message_id
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Date"] is not None
    assert message.get_content_type() == "multipart/alternative"
    found = parts(message)
    assert set(found) == {"text/plain", "text/html"}
    assert f"{PUBLIC_URL}/confirm?token=t0" in found["text/plain"]
    assert f'href="{PUBLIC_URL}/confirm?token=t0"' in found["text/html"]
    (sent,) = await rows(app_db)
    assert (sent.id, sent.state, sent.attempts, sent.claimed_by) == (mail_id, "sent", 1, None)
    assert await smtp_sender(app_db, settings, smtp).drain() == 0  # sent once: nothing left to send
    assert len(smtp.collector.received) == 1


async def test_a_rolled_back_change_or_savepoint_queues_nothing_and_sends_nothing(
    app_db: Maker, settings: Settings, smtp: SmtpServer
) -> None:
    kicks: list[int] = []
    unit = UnitOfWork(app_db, None, mail=lambda: kicks.append(1))
    async with app_db() as session:
        await queue.enqueue(session, to="gone@example.org", subject="Gone", text="t", html=None, kind="test", host="h")
        await session.rollback()
        await unit.commit(session)
    async with app_db() as session:
        with pytest.raises(RuntimeError):
            async with session.begin_nested():
                await queue.enqueue(
                    session, to="inner@example.org", subject="Inner", text="t", html=None, kind="test", host="h"
                )
                raise RuntimeError("the savepoint's change is refused")
        await queue.enqueue(session, to="kept@example.org", subject="Kept", text="t", html=None, kind="test", host="h")
        await unit.commit(session)

    assert [row.to_address for row in await rows(app_db)] == ["kept@example.org"]
    assert kicks == [1]  # the rolled-back transaction woke no one
    assert await smtp_sender(app_db, settings, smtp).drain() == 1
    assert [m["To"] for m in await smtp.collector.wait_for(1)] == ["kept@example.org"]


async def test_a_server_that_is_down_is_retried_with_backoff_and_delivered_once_back(
    app_db: Maker, settings: Settings
) -> None:
    clock = Clock()
    down = SmtpServer()  # its port is chosen; nothing listens on it yet
    await queue_mail(app_db, settings, now=clock())
    sender = smtp_sender(app_db, settings, down, clock)

    assert await sender.drain() == 0
    (row,) = await rows(app_db)
    assert (row.state, row.attempts, row.claimed_by) == ("queued", 1, None)
    assert row.last_error and "127.0.0.1" in row.last_error
    assert row.send_after == clock.at + queue.FIRST_RETRY

    clock.advance(seconds=59)
    assert await sender.drain() == 0  # not due yet: not even tried
    assert (await rows(app_db))[0].attempts == 1
    clock.advance(seconds=1)
    assert await sender.drain() == 0
    (row,) = await rows(app_db)
    assert row.attempts == 2 and row.send_after == clock.at + queue.backoff(2)
    assert queue.backoff(2).total_seconds() == 5 * 60

    down.start()
    try:
        clock.advance(minutes=5)
        assert await sender.drain() == 1
        (message,) = await down.collector.wait_for(1)
        (row,) = await rows(app_db)
        assert (row.state, row.attempts, row.last_error) == ("sent", 3, None)
        assert message["Message-ID"] == row.message_id
    finally:
        down.stop()


def test_the_backoff_grows_fivefold_and_is_capped_at_six_hours() -> None:
    minutes = [queue.backoff(n).total_seconds() / 60 for n in range(1, 9)]
    assert minutes == [1, 5, 25, 125, 360, 360, 360, 360]


async def test_a_message_is_given_up_after_the_last_attempt_and_a_refused_recipient_at_once(
    app_db: Maker, settings: Settings, smtp: SmtpServer
) -> None:
    clock = Clock()
    down = SmtpServer()
    await queue_mail(app_db, settings, now=clock())
    sender = smtp_sender(app_db, settings, down, clock)
    for _ in range(queue.MAX_ATTEMPTS):
        assert await sender.drain() == 0
        clock.advance(hours=6)
    (row,) = await rows(app_db)
    assert (row.state, row.attempts) == ("failed", queue.MAX_ATTEMPTS)
    assert row.failed_at is not None and row.last_error
    clock.advance(days=30)
    assert await sender.drain() == 0
    assert (await rows(app_db))[0].attempts == queue.MAX_ATTEMPTS  # never tried again

    await queue_mail(app_db, settings, to=REFUSED, now=clock())
    assert await smtp_sender(app_db, settings, smtp, clock).drain() == 0
    refused = (await rows(app_db))[-1]
    assert (refused.state, refused.attempts) == ("failed", 1)
    assert refused.last_error is not None and "550" in refused.last_error
    assert smtp.collector.received == []


class SlowTransport(SmtpTransport):
    """Hands each message on after a pause, so two senders' passes overlap."""

    async def send(self, message: EmailMessage, *, name: str) -> None:
        await asyncio.sleep(0.02)
        await super().send(message, name=name)


@pytest.fixture
async def second_db(database_url: str, tmp_path: Path) -> AsyncIterator[Maker]:
    """A second engine on the same database, as a second server process has."""
    config = db_config.database_config(make_settings(database_url, tmp_path))
    yield config.create_session_maker()
    await config.get_engine().dispose()


async def test_two_senders_on_one_database_send_each_message_exactly_once(
    app_db: Maker, second_db: Maker, settings: Settings, smtp: SmtpServer
) -> None:
    await queue_mail(app_db, settings, count=30)
    senders = [
        MailSender(maker, SlowTransport(parse(smtp.url()), timeout=5), sender=settings.mail_from)
        for maker in (app_db, second_db)
    ]
    counts = await asyncio.gather(*(sender.drain() for sender in senders))

    assert sum(counts) == 30, [(row.state, row.last_error) for row in await rows(app_db) if row.state != "sent"]
    assert all(count > 0 for count in counts), counts  # both took part
    received = await smtp.collector.wait_for(30)
    assert len(received) == 30
    ids = Counter(message["Message-ID"] for message in received)
    assert len(ids) == 30 and set(ids.values()) == {1}
    assert {row.state for row in await rows(app_db)} == {"sent"}


async def test_an_expired_lease_is_taken_over_and_the_dead_sender_cannot_undo_it(
    app_db: Maker, settings: Settings, smtp: SmtpServer
) -> None:
    clock = Clock()
    await queue_mail(app_db, settings, now=clock())
    async with app_db() as session:  # a sender claims it, then its process dies mid-send
        async with db_config.writing(session):
            (claimed,) = await queue.claim(session, worker="dead", now=clock(), lease=timedelta(minutes=10), limit=5)
            await session.commit()
    assert claimed.claimed_by == "dead"
    sender = smtp_sender(app_db, settings, smtp, clock)

    clock.advance(minutes=9)
    assert await sender.drain() == 0  # still leased: left alone
    clock.advance(minutes=2)
    assert await sender.drain() == 1
    assert len(await smtp.collector.wait_for(1)) == 1

    async with app_db() as session:  # the dead sender's late word changes nothing
        async with db_config.writing(session):
            assert await queue.mark_failed(session, claimed.id, worker="dead", error="x", now=clock()) is None
            assert await queue.mark_sent(session, claimed.id, now=clock()) is False
            await session.commit()
    (row,) = await rows(app_db)
    assert (row.state, row.attempts, row.last_error) == ("sent", 1, None)
    async with app_db() as session:
        assert (await session.execute(select(func.count()).select_from(OutboundMail))).scalar_one() == 1
