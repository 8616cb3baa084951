"""Flags on an engagement's messages, for the platform admins: the network's leads cannot read a
private space, so its moderation is the platform's (docs/design.md §3.12). While a flag on an
engagement is open, the platform admins read its space (API only); deciding the flag dismisses it or
removes the message (its text then shown to no one), and once no flag is open they read it no more.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock
from network.engagements import rules
from network.engagements.models import Engagement, EngagementFlag, EngagementMessage
from network.engagements.space import Space
from network.engagements.views import message_view
from network.enums import ContentState, EngagementFlagStatus, FlagReason
from network.errors import Conflict, Forbidden, NotFound, enforce
from network.event_kinds import EventKind
from network.inputs import EngagementFlagDecision, EngagementFlagInput
from network.locking import lock_row
from network.models import Network, Person
from network.moderation.screening import Hit, hit_record
from network.views import to_payload

ALREADY = "You have already flagged this message; a platform admin will look at it."


async def raise_flag(
    session: AsyncSession, space_: Space, message: EngagementMessage, data: EngagementFlagInput
) -> EngagementFlag:
    """A named person reports a message of the space to the platform admins."""
    enforce(rules.flag_refusal(space_.engagement, space_.standing))
    if data.reason is FlagReason.WATCHED_WORD:
        raise Forbidden("That reason is the network's filters' own.")
    flag = EngagementFlag(
        engagement_id=space_.engagement.id,
        message_id=message.id,
        raised_by_id=space_.person.id,
        reason=data.reason.value,
        note=data.note.strip(),
    )
    session.add(flag)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(ALREADY) from exc
    return flag


async def raise_for_words(session: AsyncSession, engagement: Engagement, message: EngagementMessage, hit: Hit) -> None:
    """A `flag` word of the network's in a message: raised with the platform admins, by no one."""
    record = hit_record(hit)
    session.add(
        EngagementFlag(
            engagement_id=engagement.id,
            message_id=message.id,
            reason=FlagReason.WATCHED_WORD.value,
            note=f"{record['label']}: {record['excerpt']}",
        )
    )
    await session.flush()


def _admin_refusal(person: Person | None) -> Forbidden | None:
    if person is None or not person.is_admin:
        return Forbidden("Only a platform admin reviews flags raised in engagements.")
    return None


async def open_flags(session: AsyncSession, person: Person | None) -> list[EngagementFlag]:
    """The platform admins' queue of flags raised in engagements' spaces, oldest first."""
    enforce(_admin_refusal(person))
    rows = await session.execute(
        select(EngagementFlag).where(EngagementFlag.status == EngagementFlagStatus.OPEN).order_by(EngagementFlag.id)
    )
    return list(rows.scalars())


async def open_count(session: AsyncSession) -> int:
    """How many flags raised in engagements' spaces are open (shown to the platform admins only)."""
    rows = await session.execute(
        select(func.count()).select_from(EngagementFlag).where(EngagementFlag.status == EngagementFlagStatus.OPEN)
    )
    return int(rows.scalar_one())


async def decide(
    session: AsyncSession, person: Person | None, flag_id: int, data: EngagementFlagDecision
) -> EngagementFlag:
    """A platform admin dismisses the flag or removes the message; the message's other open flags are
    decided with it. The message's author is told."""
    enforce(_admin_refusal(person))
    assert person is not None
    flag = await lock_row(session, EngagementFlag, flag_id)
    if flag is None:
        raise NotFound(f"No flag {flag_id}.")
    if flag.status is not EngagementFlagStatus.OPEN:
        raise Conflict(f"This flag was already decided ({flag.status.value}).")
    message = await lock_row(session, EngagementMessage, flag.message_id)
    engagement = await session.get(Engagement, flag.engagement_id)
    assert message is not None and engagement is not None
    status = EngagementFlagStatus.REMOVED if data.remove else EngagementFlagStatus.DISMISSED
    siblings = await session.execute(
        select(EngagementFlag)
        .where(EngagementFlag.message_id == message.id, EngagementFlag.status == EngagementFlagStatus.OPEN)
        .with_for_update(of=EngagementFlag)
    )
    now = clock.now()
    for each in siblings.scalars():
        each.status, each.decided_by_id, each.decided_at = status, person.id, now
        each.decision_reason = data.reason.strip()
    network = await session.get(Network, engagement.network_id)
    assert network is not None
    if data.remove and message.state is not ContentState.REMOVED:
        message.state = ContentState.REMOVED
        await session.flush()
        payload = {"engagement_id": engagement.id, "message": to_payload(message_view(message))}
        await activity.record(session, network, EventKind.ENGAGEMENT_MESSAGE, payload, person, group_id=engagement.id)
        await activity.notify(
            session,
            message.author_id,
            "decision",
            {
                "engagement_id": engagement.id,
                "title": engagement.title,
                "action": "remove",
                "target_type": "engagement_message",
                "reason": data.reason.strip(),
            },
            network=network,
            actor=person,
        )
    await session.flush()
    return flag
