"""Reading the log back: what a server sends after a wake-up, a resume or a slow tick."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from events.models import Event, LogEpoch, Notification


async def events_after(session: AsyncSession, network_id: int, after: int, limit: int) -> Sequence[Event]:
    stmt = select(Event).where(Event.network_id == network_id, Event.seq > after).order_by(Event.seq).limit(limit)
    return (await session.execute(stmt)).scalars().all()


async def notifications_after(session: AsyncSession, person_id: int, after: int, limit: int) -> Sequence[Notification]:
    stmt = (
        select(Notification)
        .where(Notification.person_id == person_id, Notification.seq > after)
        .order_by(Notification.seq)
        .limit(limit)
    )
    return (await session.execute(stmt)).scalars().all()


async def oldest_event_seq(session: AsyncSession, network_id: int) -> int | None:
    """The first seq still kept (older ones were pruned), or None when the log holds none."""
    result = await session.execute(select(func.min(Event.seq)).where(Event.network_id == network_id))
    value = result.scalar_one_or_none()
    return int(value) if value is not None else None


async def heads(session: AsyncSession, counter: InstrumentedAttribute[int], owner_ids: Iterable[int]) -> dict[int, int]:
    """Current seq of several streams in one query (the slow tick's check)."""
    ids = list(owner_ids)
    if not ids:
        return {}
    table: Any = counter.class_
    rows = await session.execute(select(table.id, counter).where(table.id.in_(ids)))
    return {int(owner): int(seq) for owner, seq in rows.all()}


async def epoch(session: AsyncSession) -> str:
    return str((await session.execute(select(LogEpoch.epoch).limit(1))).scalar_one())
