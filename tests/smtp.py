"""A real SMTP server (aiosmtpd) on a free loopback port, collecting what it is sent."""

from __future__ import annotations

import asyncio
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.conftest import free_port

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

    def about(self, subject: str) -> list[EmailMessage]:
        """The messages whose subject says `subject` (a sign-up's confirmation mail aside, say)."""
        return [message for message in self.messages if subject in str(message["Subject"])]

    async def wait_about(self, subject: str, count: int = 1, seconds: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + seconds
        while len(self.about(subject)) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return self.about(subject)

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
