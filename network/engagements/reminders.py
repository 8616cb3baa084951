"""Due work for engagements, run by every server process's scheduler tick (server/mail/scheduler.py):
the reminder when a planned check-in is due, and the follow-up weeks after closing that asks each side
whether the change lasted (docs/design.md §3.12).

Each is written once: a conditional UPDATE marks the engagement told, and only the process whose UPDATE
changed the row writes the notifications, in the same transaction. The notice mail follows them as it
follows every notification (the "My engagements" group, network/people/mail_settings.py).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from network.engagements import space
from network.engagements.models import Engagement, EngagementFollowUp
from network.enums import EngagementState, Side
from network.models import Network

BATCH = 100


async def due_check_ins(session: AsyncSession, today: date, limit: int = BATCH) -> list[int]:
    """Active engagements whose next check-in has come and whose people were not yet reminded."""
    rows = await session.execute(
        select(Engagement.id)
        .where(
            Engagement.state == EngagementState.ACTIVE,
            Engagement.next_check_in_on <= today,
            Engagement.check_in_told.is_(False),
        )
        .order_by(Engagement.id)
        .limit(limit)
    )
    return list(rows.scalars())


async def due_follow_ups(session: AsyncSession, today: date, limit: int = BATCH) -> list[int]:
    """Closed engagements whose follow-up has come and whose people were not yet asked."""
    rows = await session.execute(
        select(Engagement.id)
        .where(
            Engagement.state == EngagementState.CLOSED,
            Engagement.follow_up_due_on <= today,
            Engagement.follow_up_told.is_(False),
        )
        .order_by(Engagement.id)
        .limit(limit)
    )
    return list(rows.scalars())


async def _claim(
    session: AsyncSession, engagement_id: int, today: date, *, follow_up: bool
) -> tuple[Engagement, Network] | None:
    """Mark the engagement told of its due check-in (or follow-up) if no one has: the engagement and its
    network when this call did, None when another process did (or the date moved)."""
    state = EngagementState.CLOSED if follow_up else EngagementState.ACTIVE
    due = Engagement.follow_up_due_on if follow_up else Engagement.next_check_in_on
    told = Engagement.follow_up_told if follow_up else Engagement.check_in_told
    claimed = await session.execute(
        update(Engagement)
        .where(Engagement.id == engagement_id, Engagement.state == state, due <= today, told.is_(False))
        .values({told: True})
        .returning(Engagement.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.first() is None:
        return None
    engagement = await session.get(Engagement, engagement_id, populate_existing=True)
    assert engagement is not None
    network = await session.get(Network, engagement.network_id)
    assert network is not None
    return engagement, network


async def remind_check_in(session: AsyncSession, engagement_id: int, today: date) -> bool:
    """Tell the named people a check-in is due, if no one has: whether this call did. The caller commits."""
    claimed = await _claim(session, engagement_id, today, follow_up=False)
    if claimed is None:
        return False
    engagement, network = claimed
    due_on = engagement.next_check_in_on.isoformat() if engagement.next_check_in_on else None
    await space.notify_parties(session, network, engagement, "engagement.check_in_due", {"due_on": due_on}, None)
    return True


async def ask_follow_up(session: AsyncSession, engagement_id: int, today: date) -> bool:
    """Ask each side that has not answered whether the change lasted, once: whether this call did."""
    claimed = await _claim(session, engagement_id, today, follow_up=True)
    if claimed is None:
        return False
    engagement, network = claimed
    found = await session.execute(
        select(EngagementFollowUp.side).where(EngagementFollowUp.engagement_id == engagement_id)
    )
    answered = set(found.scalars())
    sides = tuple(side for side in (Side.REQUESTER, Side.OFFERER) if side not in answered)
    if sides:
        await space.notify_parties(session, network, engagement, "engagement.follow_up_due", {}, None, sides=sides)
    return True
