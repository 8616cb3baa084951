"""A real SMTP server (aiosmtpd) on a free loopback port, collecting what it is sent; a clock the
tests move by hand; and helpers to queue mail as a change would and to read the queue back."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from server.mail import queue
from server.mail.models import OutboundMail
from server.settings import Settings, public_link
from server.unit_of_work import UnitOfWork
from tests.conftest import free_port, make_settings

PUBLIC_URL = "https://commons.example.org"
REFUSED = "nobody@refused.example.org"  # the collector answers 550 for this recipient


class Collector:
    """An aiosmtpd handler keeping each message it accepts (refusing REFUSED with a 550)."""

    def __init__(self) -> None:
        self.received: list[tuple[Envelope, EmailMessage]] = []

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address == REFUSED:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        parsed = message_from_bytes(content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((envelope, parsed))
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [message for _, message in self.received]

    async def wait_for(self, count: int, seconds: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return self.messages


class SmtpServer:
    """aiosmtpd's Controller (its own thread and loop) on a loopback port chosen before it starts, so a
    test can point a sender at it while it is still down."""

    def __init__(self, **smtp_options: Any) -> None:
        self.port = free_port()
        self.collector = Collector()
        self._options = smtp_options
        self._controller: Controller | None = None

    def url(self, query: str = "?starttls=off", credentials: str = "") -> str:
        return f"smtp://{credentials}127.0.0.1:{self.port}{query}"

    def start(self) -> SmtpServer:
        self._controller = Controller(self.collector, hostname="127.0.0.1", port=self.port, **self._options)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


class Clock:
    """Time as the sender sees it, moved by the test (retries come due without waiting minutes)."""

    def __init__(self) -> None:
        self.at = datetime(2030, 1, 6, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def mail_settings(database_url: str, var_dir: Path, **overrides: Any) -> Settings:
    return make_settings(database_url, var_dir, public_url=PUBLIC_URL, **overrides)


async def queue_mail(
    maker: Callable[[], AsyncSession],
    settings: Settings,
    *,
    to: str = "ada@example.org",
    subject: str = "Confirm your email",
    count: int = 1,
    now: datetime | None = None,
    kicked: Callable[[], None] | None = None,
) -> list[int]:
    """Queue `count` messages in one committed change, as a sign-up would (through the unit of work)."""
    ids = []
    async with maker() as session:
        for n in range(count):
            link = public_link(settings, f"/confirm?token=t{n}")
            row = await queue.enqueue(
                session,
                to=to,
                subject=subject if count == 1 else f"{subject} {n}",
                text=f"Confirm your address: {link}\n",
                html=f'<p><a href="{link}">Confirm your address</a></p>',
                kind="email_confirmation",
                host=settings.public_host,
                now=now,
            )
            ids.append(row.id)
        await UnitOfWork(maker, None, mail=kicked).commit(session)
    return ids


async def rows(maker: Callable[[], AsyncSession]) -> list[OutboundMail]:
    async with maker() as session:
        return list((await session.execute(select(OutboundMail).order_by(OutboundMail.id))).scalars())


def parts(message: EmailMessage) -> dict[str, str]:
    """content type → decoded content of each leaf part."""
    found: dict[str, str] = {}
    for part in message.walk():
        if not part.is_multipart():
            assert isinstance(part, EmailMessage)
            found[part.get_content_type()] = part.get_content()
    return found
