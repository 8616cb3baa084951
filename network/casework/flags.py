"""Flags: a member reports a post, a reply or an adoption record to the network's leads.

One open flag per person per item (also a partial unique index); observers never flag, nor
does anyone flag their own words. Every flag lands in the item's queue entry.

Filing locks the post (then the reply or the adoption record) before it checks the item, as a decision on it does: two
flags at once join one queue entry in turn, and a flag never lands beside a decision that is
resolving the entry.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network.access import Access
from network.adoption import service as adoption_service
from network.adoption.models import Adoption
from network.content.posts import open_post
from network.content.replies import reply_read_refusal
from network.enums import ContentState, FlagReason, TargetType
from network.errors import Conflict, Forbidden, Invalid, NotFound, Refusal, enforce
from network.governance import charter
from network.inputs import FlagInput
from network.locking import lock_row
from network.models import Person, Post, Reply
from network.moderation import review_queue
from network.moderation.models import Flag
from network.permissions import Action

ALREADY_FLAGGED = "You have already flagged this; the leads are looking at it."


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
        enforce(reply_read_refusal(access, post, reply))
        return access, post, reply
    access, post = await open_post(session, target_id, person)
    return access, post, None


def _author_and_state(post: Post, reply: Reply | None, adoption: Adoption | None) -> tuple[int, ContentState]:
    """Whose words a flag is about (an adoption record's: the person who recorded it), and their state."""
    if adoption is not None:
        return adoption.person_id, adoption.state
    if reply is not None:
        return reply.author_id, reply.state
    return post.author_id, post.state


def flag_refusal(access: Access, *, author_id: int, state: ContentState, already_flagged: bool = False) -> Refusal:
    """Whether the asker may flag a post or reply they can read, by its author and state: members and
    leads (never observers: the permission table), never their own words, only what is shown, once
    while their flag is open (`already_flagged`: `open_flags_by`)."""
    refusal = access.refusal(Action.FLAG)
    if refusal is not None:
        return refusal
    assert access.person is not None
    if author_id == access.person.id:
        return Forbidden("You cannot flag your own words; edit them instead.")
    if state is not ContentState.VISIBLE:
        return Conflict("This is not shown to members, so there is nothing to flag.")
    if already_flagged:
        return Conflict(ALREADY_FLAGGED)
    return None


async def open_flags_by(session: AsyncSession, person_id: int, post_id: int) -> set[tuple[TargetType, int]]:
    """The post and replies on it that the person has an open flag on, as (target type, id)."""
    rows = await session.execute(
        select(Flag.target_type, Flag.target_id).where(
            Flag.post_id == post_id, Flag.reporter_id == person_id, Flag.status == "open"
        )
    )
    return {(target_type, int(target_id)) for target_type, target_id in rows.tuples()}


async def flag(session: AsyncSession, person: Person, target_type: TargetType, target_id: int, data: FlagInput) -> Flag:
    adoption: Adoption | None = None
    if target_type is TargetType.ADOPTION:
        access, post, adoption = await adoption_service.open_adoption(session, target_id, person)
        reply = None
    else:
        access, post, reply = await open_target(session, target_type, target_id, person)
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
    if adoption is not None and await lock_row(session, Adoption, adoption.id) is None:
        raise NotFound(f"No adoption {target_id}.")
    author_id, state = _author_and_state(post, reply, adoption)
    already = (target_type, target_id) in await open_flags_by(session, person.id, post.id)
    enforce(flag_refusal(access, author_id=author_id, state=state, already_flagged=already))
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
        raise Conflict(ALREADY_FLAGGED) from exc
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
