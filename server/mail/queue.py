"""The outbound mail queue: enqueue in the caller's transaction; claim, mark sent, mark failed.

`enqueue` adds the row to the session of the change that causes the mail, and hands the session a
`MailQueued` effect (events/effects.py): a change that rolls back (or a savepoint that does) leaves
no row and wakes no sender, and one that commits has its row, so the mail is never lost.

A sender claims due rows with a lease (`claimed_by`, `claimed_until`): on PostgreSQL the rows are
chosen with `FOR UPDATE SKIP LOCKED`, so processes sharing the database take different rows
instead of queueing behind one another; on SQLite the one writer at a time (`server.db.writing`)
makes the conditional UPDATE the claim. Every change of state is a conditional UPDATE too, so a
sender whose lease was taken over cannot undo what the new holder did.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from events import effects
from network import clock
from server.mail.messages import Message
from server.mail.models import OutboundMail
from server.settings import Settings

MAX_ATTEMPTS = 8  # then the message is given up (failed_at)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class MailQueued:
    """After-commit effect: a committed transaction queued mail (the sender looks now, not at its tick)."""

    message_id: str


def new_message_id(host: str) -> str:
    """A Message-ID made once, at enqueue: every attempt to send the message carries the same one."""
    return f"<{uuid.uuid4()}@{host}>"


async def enqueue(
    session: AsyncSession,
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None,
    kind: str,
    host: str,
    person_id: int | None = None,
    now: datetime | None = None,
    headers: dict[str, str] | None = None,
) -> OutboundMail:
    """Queue a message in the caller's transaction; it is sent once that transaction commits.
    `host` is the PUBLIC_URL's (`Settings.public_host`), the right-hand side of the Message-ID."""
    at = now or clock.now()
    mail = OutboundMail(
        kind=kind,
        to_address=to,
        person_id=person_id,
        subject=subject,
        text_body=text,
        html_body=html,
        message_id=new_message_id(host),
        created_at=at,
        send_after=at,
        attempts=0,
        headers=dict(headers or {}),
    )
    session.add(mail)
    await session.flush()  # its id, for whoever queued it; still inside the caller's transaction
    effects.after_commit(session, MailQueued(mail.message_id))
    return mail


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        OutboundMail.sent_at.is_(None),
        OutboundMail.failed_at.is_(None),
        OutboundMail.send_after <= now,
        or_(OutboundMail.claimed_until.is_(None), OutboundMail.claimed_until < now),  # free, or its lease ran out
    )


async def due_soon(session: AsyncSession, now: datetime) -> bool:
    """Whether any message may be claimed now (a read, so an idle tick takes no write lock)."""
    return (await session.execute(select(OutboundMail.id).where(_due(now)).limit(1))).first() is not None


async def claim(
    session: AsyncSession, *, worker: str, now: datetime, lease: timedelta, limit: int
) -> list[OutboundMail]:
    """Claim up to `limit` due messages for `worker` until `now + lease`, oldest first. The caller
    commits (and, on SQLite, holds the write lock: `server.db.writing`)."""
    chosen = select(OutboundMail.id).where(_due(now)).order_by(OutboundMail.send_after, OutboundMail.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        chosen = chosen.with_for_update(skip_locked=True)
    ids = list((await session.execute(chosen)).scalars())
    if not ids:
        return []
    claimed = await session.execute(
        update(OutboundMail)
        .where(OutboundMail.id.in_(ids), _due(now))
        .values(claimed_by=worker, claimed_until=now + lease)
        .returning(OutboundMail.id)
        .execution_options(synchronize_session=False)
    )
    taken = list(claimed.scalars())
    rows = await session.execute(
        select(OutboundMail)
        .where(OutboundMail.id.in_(taken))
        .order_by(OutboundMail.send_after, OutboundMail.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())


async def mark_sent(session: AsyncSession, mail_id: int, *, now: datetime) -> bool:
    """Record that the message went; False if it was already marked sent (by a sender that took over
    an expired lease). Whoever holds the lease now, the message did go: it is not sent again."""
    result = await session.execute(
        update(OutboundMail)
        .where(OutboundMail.id == mail_id, OutboundMail.sent_at.is_(None))
        .values(sent_at=now, attempts=OutboundMail.attempts + 1, claimed_by=None, claimed_until=None, last_error=None)
        .returning(OutboundMail.id)
        .execution_options(synchronize_session=False)
    )
    return result.first() is not None


def backoff(attempts: int) -> timedelta:
    """How long after its `attempts`-th failure a message waits: 1 minute, 5, 25, 125, then 6 hours."""
    wait: timedelta = FIRST_RETRY * 5 ** max(attempts - 1, 0)
    return min(wait, LONGEST_RETRY)


async def mark_failed(
    session: AsyncSession, mail_id: int, *, worker: str, error: str, now: datetime, permanent: bool = False
) -> str | None:
    """Record a failed attempt by `worker`: retried after `backoff`, or given up after MAX_ATTEMPTS (or
    at once when the failure is `permanent`). The new state ("queued" or "failed"), or None if the
    worker no longer holds the message (its lease was taken over, and the new holder decides)."""
    mail = (
        await session.execute(
            select(OutboundMail)
            .where(OutboundMail.id == mail_id, OutboundMail.claimed_by == worker, OutboundMail.sent_at.is_(None))
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if mail is None:
        return None
    attempts = mail.attempts + 1
    give_up = permanent or attempts >= MAX_ATTEMPTS
    await session.execute(
        update(OutboundMail)
        .where(OutboundMail.id == mail_id, OutboundMail.claimed_by == worker, OutboundMail.sent_at.is_(None))
        .values(
            attempts=attempts,
            last_error=error[:2000],
            send_after=now + backoff(attempts),
            failed_at=now if give_up else None,
            claimed_by=None,
            claimed_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    return "failed" if give_up else "queued"


async def enqueue_message(
    session: AsyncSession,
    settings: Settings,
    message: Message,
    *,
    to: str,
    person_id: int | None = None,
    headers: dict[str, str] | None = None,
) -> OutboundMail:
    """Queue one of `server.mail.messages`' messages in the caller's transaction."""
    return await enqueue(
        session,
        to=to,
        subject=message.subject,
        text=message.text,
        html=message.html,
        kind=message.kind,
        host=settings.public_host,
        person_id=person_id,
        headers=headers,
    )


async def enqueue_many(
    session: AsyncSession, settings: Settings, messages: list[tuple[Message, str, int, dict[str, str]]]
) -> None:
    """Queue many messages (message, address, person id, headers) in the caller's transaction as one
    INSERT of many rows, not one object each: a digest run queues a chunk of people's at a time."""
    if not messages:
        return
    at = clock.now()
    rows = [
        {
            "kind": message.kind,
            "to_address": to,
            "person_id": person_id,
            "subject": message.subject,
            "text_body": message.text,
            "html_body": message.html,
            "message_id": new_message_id(settings.public_host),
            "created_at": at,
            "send_after": at,
            "attempts": 0,
            "headers": headers,
        }
        for message, to, person_id, headers in messages
    ]
    await session.execute(insert(OutboundMail), rows)
    effects.after_commit(session, MailQueued(f"{len(messages)} messages"))


async def forget_person(session: AsyncSession, person_id: int) -> None:
    """A deleted account's mail goes, sent or not: each row holds the address and the name."""
    await session.execute(delete(OutboundMail).where(OutboundMail.person_id == person_id))
