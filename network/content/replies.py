"""Replies to practices and requests."""

from __future__ import annotations

from sqlalchemy import and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, cursors
from network.access import Access
from network.content import followers, posts
from network.enums import ContentState, TargetType
from network.errors import Forbidden, Invalid, NotFound, Refusal, enforce
from network.event_kinds import EventKind
from network.inputs import ReplyInput
from network.models import Post, Reply
from network.moderation import gatekeeping
from network.permissions import Action
from network.views import Page, reply_view, to_payload


def reply_refusal(access: Access, post: Post) -> Refusal:
    """Whether the asker may reply to the post: a reader who may contribute, to a shown post whose
    thread is not locked (a lead replies to a locked one)."""
    refusal = posts.read_refusal(access, post) or access.refusal(Action.CONTRIBUTE)
    if refusal is not None:
        return refusal
    if post.locked and not access.can(Action.MODERATE):
        return Forbidden("This thread is locked by a lead; no new replies.")
    if post.state is not ContentState.VISIBLE:
        return Forbidden("This post is not open for replies.")
    return None


async def add_reply(session: AsyncSession, access: Access, post: Post, data: ReplyInput) -> Reply:
    enforce(reply_refusal(access, post))
    author = access.person
    assert author is not None
    if not data.body.strip():
        raise Invalid("A reply cannot be blank.", fields={"body": "Required."})
    verdict = await gatekeeping.check(session, access, [data.body], new_post=False)
    reply = Reply(post_id=post.id, author=author, body=data.body)
    if verdict.hold:
        reply.state = ContentState.HELD
    session.add(reply)
    await session.flush()
    if verdict.hold:  # the leads and its author see it waiting; readers hear of it when it is approved
        await activity.record(
            session, access.network, EventKind.REPLY_HELD, {"reply": to_payload(reply_view(reply))}, author
        )
    else:
        await publish(session, access, post, reply)
    await gatekeeping.refer(
        session, access, verdict, target_type=TargetType.REPLY, post=post, target_id=reply.id, author_id=author.id
    )
    return reply


async def publish(session: AsyncSession, access: Access, post: Post, reply: Reply) -> None:
    """Tell the network and the post's author of a reply (on creation, or when a lead approves it)."""
    author = reply.author
    await posts.move_to_discussion(session, post)
    await session.flush()
    view = await posts.describe_post(session, post, access.network.slug)
    # the post's new reply count rides along, so a live client's lists stay right without a post.updated
    created = {"reply": to_payload(reply_view(reply)), "reply_count": view.reply_count}
    await activity.record(session, access.network, EventKind.REPLY_CREATED, created, author)
    if post.status is not None:  # a request's status may have moved (open → in discussion)
        await activity.record(session, access.network, EventKind.POST_UPDATED, {"post": to_payload(view)}, author)
    await activity.notify(
        session,
        post.author_id,
        "reply.created",
        {"post_id": post.id, "title": post.title, "reply_id": reply.id, "by": author.display_name},
        network=access.network,
        actor=author,
    )
    await followers.notify_mentions(session, access.network, post, reply.body, author, skip=[post.author_id])


def can_see_reply(access: Access, reply: Reply) -> bool:
    """A shown reply is for the post's readers; the leads see every reply (a removed one only as the
    place where it was), its author their own hidden or held one."""
    if reply.state is ContentState.VISIBLE or access.can(Action.MODERATE):
        return True
    mine = access.person is not None and reply.author_id == access.person.id
    return mine and reply.state in (ContentState.HIDDEN, ContentState.HELD)


def reply_read_refusal(access: Access, post: Post, reply: Reply) -> Refusal:
    """Whether the asker may read the reply (on a post they may read). Never confirmed otherwise."""
    if reply.post_id == post.id and posts.read_refusal(access, post) is None and can_see_reply(access, reply):
        return None
    return NotFound(f"No reply {reply.id}.")


async def open_reply(session: AsyncSession, access: Access, post: Post, reply_id: int) -> Reply:
    """A reply on `post` the asker may read; NotFound otherwise."""
    reply = await session.get(Reply, reply_id)
    if reply is None:
        raise NotFound(f"No reply {reply_id}.")
    enforce(reply_read_refusal(access, post, reply))
    return reply


async def post_id_of(session: AsyncSession, reply_id: int) -> int | None:
    """The post a reply belongs to (None when there is no such reply); it says nothing about reading it."""
    result = await session.execute(select(Reply.post_id).where(Reply.id == reply_id))
    return result.scalar_one_or_none()


async def reply_count(session: AsyncSession, post: Post) -> int:
    counts, _, _ = await posts.counts_for(session, [post.id])
    return counts.get(post.id, 0)


async def list_replies(
    session: AsyncSession,
    access: Access,
    post: Post,
    *,
    cursor: str | None,
    limit: int,
    with_removed: bool = False,
) -> Page:
    """Oldest first (a conversation reads top to bottom); keyset on id. A hidden or held reply is
    listed to the leads and its author. A removed one is gone (its events were redacted too): only
    the post page shows the leads where one was, `with_removed`, without its text."""
    stmt = select(Reply).where(Reply.post_id == post.id)
    if not (with_removed and access.can(Action.MODERATE)):
        stmt = stmt.where(Reply.state != ContentState.REMOVED)
    if not access.can(Action.MODERATE):
        mine = Reply.author_id == access.person.id if access.person else false()
        shown_to_author = Reply.state.in_((ContentState.HIDDEN, ContentState.HELD))
        stmt = stmt.where(or_(Reply.state == ContentState.VISIBLE, and_(mine, shown_to_author)))
    after = cursors.decode(cursor)
    if after is not None:
        stmt = stmt.where(Reply.id > after)
    rows = list((await session.execute(stmt.order_by(Reply.id).limit(limit + 1))).scalars())
    return Page(
        items=[reply_view(r) for r in rows[:limit]],
        next_cursor=cursors.next_cursor([r.id for r in rows], limit),
    )
