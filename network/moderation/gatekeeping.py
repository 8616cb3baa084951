"""What happens to a member's words before anyone else sees them: slow mode, filters, pre-moderation.

`check` runs before a post or reply is written. It refuses (slow mode: 429; a `block` word:
422 with the network's message, so nothing is written and the writer keeps their text) or
returns a `Verdict`: publish, hold for a lead (pupil-data patterns, `hold` words, a new
member's first posts), and any `flag` words to raise with the leads once the item exists.
Leads and platform admins are not held or slowed: they are the reviewers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from network.access import Access
from network.enums import ContentState, ScreenAction, TargetType
from network.errors import Invalid, RateLimited
from network.models import Post, Reply
from network.moderation import review_queue
from network.moderation.models import WatchedWord
from network.moderation.screening import Hit, hit_record, screen, strongest
from network.moderation.screening import WatchedWord as Word
from network.permissions import Action


@dataclass(slots=True)
class Verdict:
    hold: bool = False
    hold_reason: str = ""
    hits: list[Hit] = field(default_factory=list)  # what held it
    flags: list[Hit] = field(default_factory=list)  # `flag` words: published, but raised with the leads


# Built once, with a bound parameter: every post and reply runs it (see network/people/accounts.py's _LIVE_TOKEN).
_WORDS = select(WatchedWord).where(WatchedWord.network_id == bindparam("network_id"))


async def words_of(session: AsyncSession, network_id: int) -> list[Word]:
    result = await session.execute(_WORDS, {"network_id": network_id})
    return [Word(w.pattern, w.is_regex, w.action, w.message) for w in result.scalars()]


async def _last_contribution(session: AsyncSession, network_id: int, person_id: int) -> datetime | None:
    last_post = await session.scalar(
        select(func.max(Post.created_at)).where(Post.network_id == network_id, Post.author_id == person_id)
    )
    last_reply = await session.scalar(
        select(func.max(Reply.created_at))
        .join(Post, Post.id == Reply.post_id)
        .where(Post.network_id == network_id, Reply.author_id == person_id)
    )
    times = [t for t in (last_post, last_reply) if t is not None]
    return max(times) if times else None


async def _published_posts(session: AsyncSession, network_id: int, person_id: int) -> int:
    """Posts of this person a lead did not have to approve first (or did approve)."""
    count = await session.scalar(
        select(func.count()).where(
            Post.network_id == network_id,
            Post.author_id == person_id,
            Post.state.in_((ContentState.VISIBLE, ContentState.HIDDEN)),
        )
    )
    return int(count or 0)


async def check(
    session: AsyncSession, access: Access, texts: list[str], *, new_post: bool, edit: bool = False
) -> Verdict:
    """Refuse, or say whether to hold, what a member is about to publish (`edit`: their own words again,
    which slow mode does not slow: fixing a typo is not a new post)."""
    person = access.person
    assert person is not None
    network = access.network
    reviewer = access.can(Action.MODERATE)
    if network.slow_mode_seconds and not reviewer and not edit:
        last = await _last_contribution(session, network.id, person.id)
        if last is not None:
            wait = timedelta(seconds=network.slow_mode_seconds) - (clock.now() - last)
            if wait.total_seconds() > 0:
                seconds = max(1, int(wait.total_seconds() + 0.999))
                raise RateLimited(
                    f"Slow mode is on in this network: one post or reply every {network.slow_mode_seconds} seconds. "
                    f"Try again in {seconds} second{'s' if seconds != 1 else ''}; your text is kept."
                )
    words = await words_of(session, network.id)
    hits = screen("\n".join(texts), words, personal_data=network.guard_personal_data)
    top = strongest(hits)
    if top is not None and top.action is ScreenAction.BLOCK:
        raise Invalid(top.message, fields={"body": top.message})
    verdict = Verdict(flags=[h for h in hits if h.action is ScreenAction.FLAG])
    if reviewer:
        return verdict
    holds = [h for h in hits if h.action is ScreenAction.HOLD]
    if holds:
        verdict.hold, verdict.hits = True, holds
        verdict.hold_reason = " ".join(dict.fromkeys(h.message for h in holds))
    elif new_post and await premoderated(session, access):
        verdict.hold = True
        verdict.hold_reason = f"{premod_rule(network.premod_posts)}."
    return verdict


async def premoderated(session: AsyncSession, access: Access) -> bool:
    """Whether the asker's next post waits for a lead before others see it, as one of a new member's first
    posts in a pre-moderated network (a lead's never does)."""
    network, person = access.network, access.person
    if person is None or not network.premod_posts or access.can(Action.MODERATE):
        return False
    return await _published_posts(session, network.id, person.id) < network.premod_posts


def premod_rule(count: int) -> str:
    """The network's pre-moderation in words: "A new member's first post is approved by a lead"."""
    posts = "post is" if count == 1 else f"{count} posts are"
    return f"A new member's first {posts} approved by a lead"


async def refer(
    session: AsyncSession,
    access: Access,
    verdict: Verdict,
    *,
    target_type: TargetType,
    post: Post,
    target_id: int,
    author_id: int,
) -> None:
    """Once the item is written: a held one goes to the leads' queue, and `flag` words raise a flag there."""
    if verdict.hold:
        await review_queue.enqueue(
            session,
            access.network,
            target_type=target_type,
            target_id=target_id,
            post=post,
            author_id=author_id,
            title=post.title,
            held=True,
            hold_reason=verdict.hold_reason,
            hits=[hit_record(h) for h in verdict.hits],
            actor=access.person,
        )
    await review_queue.raise_filter_flags(
        session,
        access.network,
        target_type=target_type,
        target_id=target_id,
        post=post,
        author_id=author_id,
        hits=verdict.flags,
    )
