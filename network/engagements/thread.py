"""The engagement's private thread and its check-ins, and the plan's revisions: read by its named
people (and a platform admin while a flag raised in it is open), written by its named people
(docs/design.md §3.12). Every text passes the network's watched words and the pupil-data guard.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock, cursors
from network.engagements import flags, rules, space
from network.engagements.models import EngagementCheckIn, EngagementMessage, EngagementRevision
from network.engagements.space import Space
from network.engagements.views import (
    CheckInView,
    MessageView,
    RevisionView,
    check_in_view,
    message_view,
    revision_view,
)
from network.errors import Invalid, NotFound, enforce
from network.event_kinds import EventKind
from network.inputs import CheckInInput, EngagementMessageInput
from network.views import Page, to_payload


async def add_message(session: AsyncSession, space_: Space, data: EngagementMessageInput) -> MessageView:
    e = space_.engagement
    enforce(rules.message_refusal(e, space_.standing))
    if not data.body.strip():
        raise Invalid("A message cannot be blank.", fields={"body": "Required."})
    flagged = await space.screen_texts(session, space_.access, [data.body])
    actor = space_.person
    message = EngagementMessage(engagement_id=e.id, author=actor, body=data.body, created_at=clock.now())
    session.add(message)
    await session.flush()
    view = message_view(message)
    payload = {"engagement_id": e.id, "message": to_payload(view)}
    await space.tell(session, space_.network, e, EventKind.ENGAGEMENT_MESSAGE, payload, actor)
    await space.notify_parties(
        session, space_.network, e, "engagement.message", {"message_id": message.id, "by": actor.display_name}, actor
    )
    for hit in flagged:  # the network's `flag` words: raised with the platform admins
        await flags.raise_for_words(session, e, message, hit)
    return view


async def list_messages(session: AsyncSession, space_: Space, *, cursor: str | None, limit: int) -> Page:
    """Oldest first, keyset on id, as a post's replies."""
    stmt = select(EngagementMessage).where(EngagementMessage.engagement_id == space_.engagement.id)
    after = cursors.decode(cursor)
    if after is not None:
        stmt = stmt.where(EngagementMessage.id > after)
    rows = list((await session.execute(stmt.order_by(EngagementMessage.id).limit(limit + 1))).scalars())
    return Page(
        items=[message_view(m) for m in rows[:limit]], next_cursor=cursors.next_cursor([m.id for m in rows], limit)
    )


async def open_message(session: AsyncSession, space_: Space, message_id: int) -> EngagementMessage:
    message = await session.get(EngagementMessage, message_id)
    if message is None or message.engagement_id != space_.engagement.id:
        raise NotFound(f"No message {message_id}.")
    return message


async def add_check_in(session: AsyncSession, space_: Space, data: CheckInInput) -> CheckInView:
    """Progress against the aims, and (optionally) the next check-in's date, which its reminder follows."""
    e = space_.engagement
    enforce(rules.check_in_refusal(e, space_.standing))
    if not data.progress.strip():
        raise Invalid("Say what progress there has been.", fields={"progress": "Required."})
    await space.lock(session, space_)
    enforce(rules.check_in_refusal(e, space_.standing))
    if data.next_check_in_on is not None and data.next_check_in_on < clock.now().date():
        raise Invalid("The next check-in is in the past.", fields={"next_check_in_on": "A date from today on."})
    await space.screen_texts(session, space_.access, [data.progress])
    actor = space_.person
    check_in = EngagementCheckIn(
        engagement_id=e.id,
        author=actor,
        side=space_.side,
        progress=data.progress.strip(),
        next_check_in_on=data.next_check_in_on,
        created_at=clock.now(),
    )
    session.add(check_in)
    if data.next_check_in_on is not None:
        e.next_check_in_on = data.next_check_in_on
        e.check_in_told = False
    await session.flush()
    view = check_in_view(check_in)
    payload = {"engagement_id": e.id, "check_in": to_payload(view)}
    await space.tell(session, space_.network, e, EventKind.ENGAGEMENT_CHECK_IN, payload, actor)
    if data.next_check_in_on is not None:  # the plan's next check-in date moved with it
        await space.tell_view(session, space_.network, e, EventKind.ENGAGEMENT_UPDATED, actor)
    return view


async def list_check_ins(session: AsyncSession, space_: Space) -> list[CheckInView]:
    """Newest first."""
    rows = await session.execute(
        select(EngagementCheckIn)
        .where(EngagementCheckIn.engagement_id == space_.engagement.id)
        .order_by(EngagementCheckIn.id.desc())
    )
    return [check_in_view(c) for c in rows.scalars()]


async def revisions(session: AsyncSession, space_: Space) -> list[RevisionView]:
    """Every version of the plan, newest first: who changed it and what it was after."""
    rows = await session.execute(
        select(EngagementRevision)
        .where(EngagementRevision.engagement_id == space_.engagement.id)
        .order_by(EngagementRevision.version.desc())
    )
    return [revision_view(r) for r in rows.scalars()]
