"""Reactions: "useful" and "tried it", one of each per person per post.

Reacting holds the post with a shared lock while it checks that the post is shown: reactions do
not wait for each other, but a lead hiding the post waits for them (and they for the lead).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock
from network.access import Access
from network.content import posts
from network.enums import ContentState, ReactionKind
from network.errors import Forbidden, NotFound, Refusal, enforce
from network.event_kinds import EventKind
from network.locking import lock_row
from network.models import Post, Reaction
from network.permissions import Action
from network.views import ReactionCounts, to_payload


async def _counts(session: AsyncSession, post: Post) -> ReactionCounts:
    _, _, reactions = await posts.counts_for(session, [post.id])
    return reactions.get(post.id, ReactionCounts())


async def _publish(session: AsyncSession, access: Access, post: Post) -> ReactionCounts:
    counts = await _counts(session, post)
    await activity.record(
        session,
        access.network,
        EventKind.REACTION_CHANGED,
        {"post_id": post.id, "reactions": to_payload(counts)},
        access.person,
    )
    return counts


def react_refusal(access: Access, post: Post) -> Refusal:
    """Whether the asker may react to the post: a reader who may contribute, to a shown post."""
    refusal = unreact_refusal(access, post)
    if refusal is None and post.state is not ContentState.VISIBLE:
        return Forbidden("This post is not open for reactions.")
    return refusal


def unreact_refusal(access: Access, post: Post) -> Refusal:
    """Whether the asker may take a reaction back: a reader who may contribute."""
    return posts.read_refusal(access, post) or access.refusal(Action.CONTRIBUTE)


async def react(session: AsyncSession, access: Access, post: Post, kind: ReactionKind) -> ReactionCounts:
    """Add a reaction (idempotent: reacting twice leaves one)."""
    enforce(react_refusal(access, post))  # the post as loaded: a refused reader takes no lock
    if await lock_row(session, Post, post.id, shared=True) is None:
        raise NotFound(f"No post {post.id}.")
    enforce(react_refusal(access, post))  # and as it is under the lock
    person = access.person
    assert person is not None
    exists = await session.execute(
        select(Reaction.id).where(Reaction.post_id == post.id, Reaction.person_id == person.id, Reaction.kind == kind)
    )
    if exists.first() is not None:
        return await _counts(session, post)  # nothing changed, so nothing to tell anyone
    try:
        async with session.begin_nested():
            session.add(Reaction(post_id=post.id, person_id=person.id, kind=kind, created_at=clock.now()))
    except IntegrityError:
        return await _counts(session, post)  # the same reaction arrived twice at once; the other one counts
    return await _publish(session, access, post)


async def unreact(session: AsyncSession, access: Access, post: Post, kind: ReactionKind) -> ReactionCounts:
    """Take a reaction back (idempotent: taking back what is not there changes nothing)."""
    enforce(unreact_refusal(access, post))
    person = access.person
    assert person is not None
    result = await session.execute(
        delete(Reaction).where(Reaction.post_id == post.id, Reaction.person_id == person.id, Reaction.kind == kind)
    )
    if not getattr(result, "rowcount", 0):
        return await _counts(session, post)
    return await _publish(session, access, post)


async def mine(session: AsyncSession, post_id: int, person_id: int) -> list[ReactionKind]:
    result = await session.execute(
        select(Reaction.kind).where(Reaction.post_id == post_id, Reaction.person_id == person_id)
    )
    return list(result.scalars())
