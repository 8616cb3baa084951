"""Flags: a member reports a post or reply to the network's leads.

One open flag per person per item (also a partial unique index); observers never flag, nor
does anyone flag their own words. Every flag lands in the item's queue entry.

Filing locks the post (then the reply) before it checks the item, as a decision on it does: two
flags at once join one queue entry in turn, and a flag never lands beside a decision that is
resolving the entry.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network import charter, review_queue
from network.access import Access
from network.enums import ContentState, FlagReason, Role, TargetType
from network.errors import Conflict, Forbidden, Invalid, NotFound
from network.inputs import FlagInput
from network.locking import lock_row
from network.models import Person, Post, Reply
from network.moderation_models import Flag
from network.permissions import Action
from network.posts import open_post


async def check_clause(session: AsyncSession, network_id: int, clause: int | None, *, field: str = "clause") -> None:
    """A cited clause must exist in the current charter."""
    if clause is None:
        return
    current = await charter.current_charter(session, network_id)
    count = len(charter.parse_clauses(current.body)) if current else 0
    if not 1 <= clause <= count:
        raise Invalid(
            f"The charter has no clause {clause}; it has {count}.",
            fields={field: f"Between 1 and {count}." if count else "This network has no charter clauses."},
        )


async def open_target(
    session: AsyncSession, target_type: TargetType, target_id: int, person: Person | None
) -> tuple[Access, Post, Reply | None]:
    """The post or reply and the asker's access to its network; NotFound when it is not theirs to see."""
    if target_type is TargetType.REPLY:
        reply = await session.get(Reply, target_id)
        if reply is None:
            raise NotFound(f"No reply {target_id}.")
        try:
            access, post = await open_post(session, reply.post_id, person)
        except NotFound:
            raise NotFound(f"No reply {target_id}.") from None
        mine = person is not None and reply.author_id == person.id
        if reply.state is not ContentState.VISIBLE and not access.can(Action.MODERATE) and not mine:
            raise NotFound(f"No reply {target_id}.")
        return access, post, reply
    access, post = await open_post(session, target_id, person)
    return access, post, None


async def flag(session: AsyncSession, person: Person, target_type: TargetType, target_id: int, data: FlagInput) -> Flag:
    access, post, reply = await open_target(session, target_type, target_id, person)
    if access.membership is not None and access.membership.role is Role.OBSERVER:
        raise Forbidden("Observers do not flag content; they follow the network's work without taking part.")
    access.require(Action.FLAG)
    if data.reason is FlagReason.WATCHED_WORD:
        raise Invalid("That reason is kept for the network's own filters.", fields={"reason": "Choose another."})
    if data.reason is FlagReason.CHARTER and data.clause is None:
        raise Invalid("Say which clause of the charter this breaks.", fields={"clause": "Required for 'charter'."})
    if data.reason is FlagReason.OTHER and not data.note.strip():
        raise Invalid("Say what is wrong.", fields={"note": "Required for 'other'."})
    await check_clause(session, access.network.id, data.clause)
    if await lock_row(session, Post, post.id) is None or (reply and await lock_row(session, Reply, reply.id) is None):
        raise NotFound(f"No {target_type.value} {target_id}.")
    author_id = reply.author_id if reply else post.author_id
    if author_id == person.id:
        raise Forbidden("You cannot flag your own words; edit them instead.")
    state = reply.state if reply else post.state
    if state is not ContentState.VISIBLE:
        raise Conflict("This is not shown to members, so there is nothing to flag.")
    existing = await session.execute(
        select(Flag.id).where(
            Flag.reporter_id == person.id,
            Flag.target_type == target_type,
            Flag.target_id == target_id,
            Flag.status == "open",
        )
    )
    if existing.first() is not None:
        raise Conflict("You have already flagged this; the leads are looking at it.")
    row = Flag(
        network_id=access.network.id,
        target_type=target_type,
        target_id=target_id,
        post_id=post.id,
        reporter=person,
        reason=data.reason,
        clause=data.clause,
        note=data.note.strip(),
    )
    session.add(row)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("You have already flagged this; the leads are looking at it.") from exc
    await review_queue.enqueue(
        session,
        access.network,
        target_type=target_type,
        target_id=target_id,
        post=post,
        author_id=author_id,
        title=post.title,
        reasons=[data.reason],
        actor=person,
    )
    return row
