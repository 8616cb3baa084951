"""A person's notifications: newest first, unread count, marking read.

Rows are written by `network.activity.notify` in the transaction of the change they report;
this module only reads and marks them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from events.models import Notification
from network import clock, cursors
from network.models import Person
from network.views import Page


class NotificationView(msgspec.Struct):
    id: int
    seq: int
    kind: str
    network_id: int | None
    data: dict[str, Any]
    read: bool
    created_at: datetime


class UnreadCount(msgspec.Struct):
    unread: int


class ReadResult(msgspec.Struct):
    marked: int
    unread: int


def notification_view(note: Notification) -> NotificationView:
    return NotificationView(
        id=note.id,
        seq=note.seq,
        kind=note.kind,
        network_id=note.network_id,
        data=dict(note.payload),
        read=note.read_at is not None,
        created_at=note.created_at,
    )


async def list_notifications(
    session: AsyncSession, person: Person, *, unread_only: bool, cursor: str | None, limit: int
) -> Page:
    """Newest first, keyset on the person's own sequence."""
    stmt = select(Notification).where(Notification.person_id == person.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    before = cursors.decode(cursor)
    if before is not None:
        stmt = stmt.where(Notification.seq < before)
    rows = list((await session.execute(stmt.order_by(Notification.seq.desc()).limit(limit + 1))).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursors.encode(rows[-1].seq) if more and rows else None
    return Page(items=[notification_view(n) for n in rows], next_cursor=next_cursor)


async def unread_count(session: AsyncSession, person: Person) -> int:
    stmt = select(func.count()).where(Notification.person_id == person.id, Notification.read_at.is_(None))
    return int((await session.execute(stmt)).scalar_one())


async def mark_read(session: AsyncSession, person: Person, ids: list[int] | None) -> int:
    """Mark these of the person's notifications read (all when `ids` is None); others' ids are ignored."""
    stmt = (
        update(Notification)
        .where(Notification.person_id == person.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(ids))
    result = await session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)
