"""Retention: drop old events but keep the newest few per network, so a quiet network's
latest history (and its clients' cursors) survive."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.models import Event, Notification


async def prune_events(session: AsyncSession, *, older_than: datetime, keep_per_network: int) -> int:
    """Delete events created before `older_than`, except each network's newest `keep_per_network`."""
    newest = select(Event.network_id, func.max(Event.seq).label("top")).group_by(Event.network_id).subquery()
    doomed = (
        select(Event.id)
        .join(newest, newest.c.network_id == Event.network_id)
        .where(and_(Event.created_at < older_than, Event.seq <= newest.c.top - keep_per_network))
    )
    result = await session.execute(
        delete(Event).where(Event.id.in_(doomed)).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def prune_read_notifications(session: AsyncSession, *, older_than: datetime) -> int:
    """Read notifications older than the cut-off go too; unread ones stay until read."""
    result = await session.execute(
        delete(Notification)
        .where(Notification.read_at.is_not(None), Notification.created_at < older_than)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
