"""A large network's new-post notices, written after the post commits, a chunk at a time.

Telling thousands of followers inside the post's transaction would make its author wait for a
row per follower and, on SQLite, every other writer with them. Instead the post's transaction
leaves a `PostNotice` (so a committed post is never left untold), and the notice writer
(server/notice_writer.py) tells a chunk of followers per transaction, committing the notice's
progress with their rows: each follower is told once, across crashes and restarts too.
People named in the post were told with it (followers.notify_new_post).
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

# Built once (see network/people/accounts.py's _LIVE_TOKEN for why): every post and every chunk runs them.
_NOTICE_OF_POST = select(PostNotice.id).where(PostNotice.post_id == bindparam("post_id"))
_ANY_NOTICE = select(PostNotice.id).limit(1)
_NEXT_NOTICE = select(PostNotice).order_by(PostNotice.id).limit(1)
_NEXT_NOTICE_SKIP_LOCKED = _NEXT_NOTICE.with_for_update(skip_locked=True)


async def leave(session: AsyncSession, post: Post) -> None:
    """Leave the post's followers to the notice writer (written once this transaction commits).
    A post published again (held after an edit, then approved) before its first notice is done
    keeps that notice: the followers it has told are not told twice."""
    found = await session.execute(_NOTICE_OF_POST, {"post_id": post.id})
    if found.first() is None:
        session.add(PostNotice(post_id=post.id))
    effects.after_commit(session, NoticesLeft(post.id))


@dataclass(frozen=True, slots=True)
class NoticesLeft:
    """After-commit effect: a post's followers are waiting to be told (the notice writer starts now,
    not at its next tick)."""

    post_id: int


async def waiting(session: AsyncSession) -> bool:
    """Whether any post's followers are still to be told."""
    return (await session.execute(_ANY_NOTICE)).first() is not None


async def tell_next(session: AsyncSession) -> bool:
    """Tell the next chunk of followers of the post waiting longest; False when none is free.

    On PostgreSQL the notice row is taken with SKIP LOCKED, so server processes sharing the
    database split the work instead of queueing behind one another. A post no longer visible
    (hidden, removed or held since) tells no one more."""
    postgres = session.get_bind().dialect.name == "postgresql"
    notice = (await session.execute(_NEXT_NOTICE_SKIP_LOCKED if postgres else _NEXT_NOTICE)).scalar_one_or_none()
    if notice is None:
        return False
    post = await session.get(Post, notice.post_id)
    if post is None or post.state is not ContentState.VISIBLE:
        await session.delete(notice)
        return True
    chunk = CHUNK if postgres else SQLITE_CHUNK
    people = await followers.followers_after(session, post.network_id, post.kind, notice.after_person_id, chunk)
    if people:
        await followers.notify_followers(session, post, people)
    if len(people) < chunk:
        await session.delete(notice)
    else:
        notice.after_person_id = people[-1]
    return True
