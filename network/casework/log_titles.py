"""What a transparency-log entry concerns, named by its post's title for a reader who may see it.

An entry stores a label ("practice 63", "reply 7 on request 12"), never the content's words (docs/design.md
§5): what a lead decided on may be hidden or removed then or later. So the title is looked up when the log
is read, for each reader, and told only to one who may read that content now, as the permission table has
it (§4.1, §4.3): the network's readers see what is shown, its leads and platform admins everything, an
author their own held or hidden content. To anyone else the entry names no title and links nowhere, exactly
as for content that does not exist. The log's `decision.logged` events carry no title.

`concerned` is the rule (no I/O); `titles` loads the posts and replies a page of entries concerns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network.access import Access
from network.content.posts import can_see_post
from network.content.replies import can_see_reply
from network.enums import TargetType
from network.models import Post, Reply
from network.moderation.views import LogEntryView
from network.permissions import Action


@dataclass(frozen=True)
class Concerned:
    """What a reader is told of the content an entry concerns: its post's title and where to read it, or nothing."""

    title: str | None = None
    link: str | None = None


NOTHING = Concerned()


def concerned(access: Access, post: Post | None, reply: Reply | None = None) -> Concerned:
    """The post's title, and a link, for this reader; NOTHING when they may not read the post.

    For an entry about a reply the title is its post's: one who may read the post but not the reply
    (hidden, held, removed) is linked to the post, where the reply is not there for them either.
    """
    if post is None or (reply is not None and reply.post_id != post.id):
        return NOTHING
    if post.network_id != access.network.id or not access.can(Action.READ) or not can_see_post(access, post):
        return NOTHING
    if reply is not None and can_see_reply(access, reply):
        return Concerned(post.title, f"/posts/{post.id}#reply-{reply.id}")
    return Concerned(post.title, f"/posts/{post.id}")


async def titles(session: AsyncSession, access: Access, entries: Sequence[LogEntryView]) -> dict[int, Concerned]:
    """For each entry about a post or a reply, by entry id, what this reader is told of it."""
    wanted = {
        (e.id, e.target_type, e.target_id)
        for e in entries
        if e.target_id is not None and e.target_type in (TargetType.POST, TargetType.REPLY)
    }
    reply_ids = {target for _, kind, target in wanted if kind is TargetType.REPLY}
    found_replies: dict[int, Reply] = {}
    if reply_ids:
        found_replies = {r.id: r for r in (await session.scalars(select(Reply).where(Reply.id.in_(reply_ids))))}
    post_ids = {target for _, kind, target in wanted if kind is TargetType.POST}
    post_ids |= {r.post_id for r in found_replies.values()}
    found_posts: dict[int, Post] = {}
    if post_ids:
        in_network = select(Post).where(Post.id.in_(post_ids), Post.network_id == access.network.id)
        found_posts = {p.id: p for p in (await session.scalars(in_network))}
    told: dict[int, Concerned] = {}
    for entry_id, kind, target in wanted:
        if kind is TargetType.POST:
            told[entry_id] = concerned(access, found_posts.get(target))
        else:
            reply = found_replies.get(target)
            told[entry_id] = concerned(access, found_posts.get(reply.post_id) if reply else None, reply)
    return told


async def with_titles(session: AsyncSession, access: Access, entries: Sequence[LogEntryView]) -> list[LogEntryView]:
    """The entries, each with the title this reader may be told (the API's `title`; None where none)."""
    found = await titles(session, access, entries)
    return [msgspec.structs.replace(e, title=found.get(e.id, NOTHING).title) for e in entries]
