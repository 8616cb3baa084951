"""A real SMTP server (aiosmtpd) on a free loopback port, collecting what it is sent; a clock the
tests move by hand; and helpers to queue mail as a change would and to read the queue back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from server.mail import queue
from server.mail.models import OutboundMail
from server.settings import Settings, public_link
from server.unit_of_work import UnitOfWork
from tests.conftest import make_settings
from tests.smtp import REFUSED, Collector, SmtpServer  # noqa: F401 - for the tests beside this file

PUBLIC_URL = "https://commons.example.org"


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


async def suspend_directly(db: Callable[[], AsyncSession], person_id: int, slug: str, days: float = 3) -> None:
    """Suspend a member of a network behind the log (the mail reads the membership when it is made)."""
    async with db() as session:
        await session.execute(
            text(
                "UPDATE memberships SET state = 'suspended', until = :until WHERE person_id = :person "
                "AND network_id = (SELECT id FROM networks WHERE slug = :slug)"
            ),
            {"until": clock.now() + timedelta(days=days), "person": person_id, "slug": slug},
        )
        await session.commit()
