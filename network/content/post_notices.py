"""What a new post leaves to be done after it commits: its followers' notices in a large network, a
chunk at a time, and, as its last step, the alerts of the saved searches it matches.

Telling thousands of followers inside the post's transaction would make its author wait for a
row per follower and, on SQLite, every other writer with them; and matching it against every saved
search is work its author need not wait for either. Instead the post's transaction leaves a
`PostNotice` (so a committed post is never left untold), and the notice writer
(server/notice_writer.py) tells a chunk of followers per transaction, committing the notice's
progress with their rows: each follower is told once, across crashes and restarts too. A small
network's followers are told with the post itself, and its notice says so (`FOLLOWERS_TOLD`): it
waits only for the alerts. The step that finishes a notice deletes it, and the writer sends the
saved searches' alerts in that same transaction (network/search/saved.py `alert`), so they too go
once. People named in the post were told with it (followers.notify_new_post).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from events import effects
from network.content import followers
from network.enums import ContentState
from network.models import Post, PostNotice

CHUNK = 1000  # followers per transaction on PostgreSQL (as events.log.BULK_CHUNK: one statement each)
# SQLite has one writer: a POST waits for the chunk being written, so its chunks are smaller.
SQLITE_CHUNK = 250
# `after_person_id` past every person's id: no follower is left to tell (they were told with the post)
FOLLOWERS_TOLD = 2**62

# Built once (see network/people/accounts.py's _LIVE_TOKEN for why): every post and every chunk runs them.
_NOTICE_OF_POST = select(PostNotice.id).where(PostNotice.post_id == bindparam("post_id"))
_ANY_NOTICE = select(PostNotice.id).limit(1)
_NEXT_NOTICE = select(PostNotice).order_by(PostNotice.id).limit(1)
_NEXT_NOTICE_SKIP_LOCKED = _NEXT_NOTICE.with_for_update(skip_locked=True)


async def leave(session: AsyncSession, post: Post, *, followers_told: bool = False) -> None:
    """Leave the post to the notice writer (which sees it once this transaction commits): its followers,
    unless `followers_told` (they were told with the post), then the saved searches' alerts.
    A post published again (held after an edit, then approved) before its first notice is done
    keeps that notice: the followers it has told are not told twice."""
    found = await session.execute(_NOTICE_OF_POST, {"post_id": post.id})
    if found.first() is None:
        session.add(PostNotice(post_id=post.id, after_person_id=FOLLOWERS_TOLD if followers_told else 0))
    effects.after_commit(session, NoticesLeft(post.id))


@dataclass(frozen=True, slots=True)
class NoticesLeft:
    """After-commit effect: a post's followers are waiting to be told (the notice writer starts now,
    not at its next tick)."""

    post_id: int


@dataclass(frozen=True, slots=True)
class Told:
    """One step of the notice writer: `finished` is the post whose notice this step completed while it
    is still shown (its saved-search alerts are due in this transaction); None while followers remain,
    or when the post was taken out of view before they were all told."""

    finished: Post | None


async def waiting(session: AsyncSession) -> bool:
    """Whether any post's followers are still to be told."""
    return (await session.execute(_ANY_NOTICE)).first() is not None


async def tell_next(session: AsyncSession) -> Told | None:
    """Tell the next chunk of followers of the post waiting longest; None when no notice is free.

    On PostgreSQL the notice row is taken with SKIP LOCKED, so server processes sharing the
    database split the work instead of queueing behind one another. A post no longer visible
    (hidden, removed or held since) tells no one more."""
    postgres = session.get_bind().dialect.name == "postgresql"
    notice = (await session.execute(_NEXT_NOTICE_SKIP_LOCKED if postgres else _NEXT_NOTICE)).scalar_one_or_none()
    if notice is None:
        return None
    post = await session.get(Post, notice.post_id)
    if post is None or post.state is not ContentState.VISIBLE:
        await session.delete(notice)
        return Told(None)
    chunk = CHUNK if postgres else SQLITE_CHUNK
    people: list[int] = []
    if notice.after_person_id < FOLLOWERS_TOLD:
        people = await followers.followers_after(session, post.network_id, post.kind, notice.after_person_id, chunk)
    if people:
        await followers.notify_followers(session, post, people)
    if len(people) < chunk:
        await session.delete(notice)
        return Told(post)
    notice.after_person_id = people[-1]
    return Told(None)
