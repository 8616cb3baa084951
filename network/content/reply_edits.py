"""A reply's author edits or deletes it (docs/design.md §1, "reply").

Each edit keeps the text it replaced as a revision, as a post's edits do; a lead's edit (a moderation
decision, `network/casework/decisions.py`) keeps one too, with its reason. A deleted reply keeps its place
in the thread, read as deleted by its author: its text goes from the reply, its earlier versions and the
log's earlier events, so no channel shows it again.

Only the author changes their reply, and only while they may contribute and the thread is open to it:
not once a lead has locked the thread or hidden or removed the reply. The leads keep their own tools.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock, markdown, withholding
from network.access import Access
from network.content import followers, replies
from network.enums import ContentState, TargetType
from network.errors import Conflict, Forbidden, Invalid, NotFound, Refusal, enforce
from network.event_kinds import EventKind
from network.inputs import ReplyInput
from network.locking import lock_row
from network.models import Person, Post, Reply, ReplyRevision
from network.moderation import gatekeeping
from network.permissions import Action
from network.views import ReplyRevisionView, reply_view, to_payload


def change_refusal(access: Access, post: Post, reply: Reply) -> Refusal:
    """Whether the asker may edit or delete the reply. What they may not read is not there (404)."""
    refusal = replies.reply_read_refusal(access, post, reply)
    if refusal is not None:
        return refusal
    return own_refusal(access, post, author_id=reply.author_id, state=reply.state, deleted=reply.deleted_at is not None)


def own_refusal(access: Access, post: Post, *, author_id: int, state: ContentState, deleted: bool) -> Refusal:
    """Whether the asker may change a reply they can read: its author, while they may contribute, on a
    shown post whose thread is not locked, while no lead has hidden or removed it."""
    if access.person is None or author_id != access.person.id:
        return Forbidden("Only its author may edit or delete this reply.")
    if deleted:
        return Conflict("You have deleted this reply.")
    refusal = access.refusal(Action.CONTRIBUTE)
    if refusal is not None:
        return refusal
    if post.locked:
        return Forbidden("A lead has locked this thread: its replies stay as they are.")
    if post.state is not ContentState.VISIBLE:
        return Forbidden("This post is not open for replies.")
    if state in (ContentState.HIDDEN, ContentState.REMOVED):
        return Forbidden(f"A lead has {state.value} this reply: it cannot be changed.")
    return None


async def _locked(session: AsyncSession, access: Access, post: Post, reply: Reply) -> Person:
    """Lock the reply's row (two changes at once take turns), read it again and check the asker may change it."""
    if await lock_row(session, Reply, reply.id) is None:
        raise NotFound(f"No reply {reply.id}.")
    enforce(change_refusal(access, post, reply))
    assert access.person is not None
    return access.person


async def keep_revision(session: AsyncSession, reply: Reply, editor: Person | None, reason: str = "") -> None:
    """Keep the reply's text as it is now, before an edit (the caller holds the reply's row)."""
    latest = await session.scalar(select(func.max(ReplyRevision.revision)).where(ReplyRevision.reply_id == reply.id))
    session.add(
        ReplyRevision(
            reply_id=reply.id,
            revision=int(latest or 0) + 1,
            editor_id=editor.id if editor else None,
            reason=reason.strip(),
            body=reply.body,
            created_at=clock.now(),
        )
    )


async def _announce(session: AsyncSession, access: Access, post: Post, reply: Reply, actor: Person) -> None:
    count = await replies.reply_count(session, post)
    payload = {"reply": to_payload(reply_view(reply)), "reply_count": count}
    await activity.record(session, access.network, EventKind.REPLY_UPDATED, payload, actor)


async def edit_reply(session: AsyncSession, access: Access, post: Post, reply: Reply, data: ReplyInput) -> Reply:
    """The author rewrites their reply; the text it replaces is kept. The network's filters read the new
    text: an edit that adds what they hold takes the reply back to the leads (out of the readers' view)."""
    author = await _locked(session, access, post, reply)
    if not data.body.strip():
        raise Invalid("A reply cannot be blank.", fields={"body": "Required."})
    if data.body == reply.body:
        return reply
    verdict = await gatekeeping.check(session, access, [data.body], new_post=False, edit=True)
    await keep_revision(session, reply, author)
    before = reply.body
    reply.body, reply.edited_at = data.body, clock.now()
    newly_held = verdict.hold and reply.state is ContentState.VISIBLE
    if verdict.hold:
        reply.state = ContentState.HELD
    await session.flush()
    if newly_held:  # it leaves the readers' view (and the earlier events about it with it)...
        count = await replies.reply_count(session, post)
        gone = {"reply_id": reply.id, "post_id": post.id, "reply_count": count}
        await activity.record(session, access.network, EventKind.REPLY_HIDDEN, gone, author)
    # ...and the edit goes to those who may see it now: readers, or (held) the leads and its author
    await _announce(session, access, post, reply, author)
    if reply.state is ContentState.VISIBLE:  # a held reply names no one until a lead approves it
        await followers.notify_new_mentions(session, access.network, post, before, reply.body, author)
    await gatekeeping.refer(
        session, access, verdict, target_type=TargetType.REPLY, post=post, target_id=reply.id, author_id=author.id
    )
    return reply


async def delete_reply(session: AsyncSession, access: Access, post: Post, reply: Reply) -> Reply:
    """The author deletes their reply: it stays in the thread as deleted, its text gone from the reply,
    its earlier versions and every earlier event that carried it."""
    author = await _locked(session, access, post, reply)
    reply.body, reply.deleted_at = "", clock.now()
    await session.execute(delete(ReplyRevision).where(ReplyRevision.reply_id == reply.id))
    await session.flush()
    await withholding.rewrite_reply(session, access.network.id, post.id, reply.id, to_payload(reply_view(reply)))
    await _announce(session, access, post, reply, author)
    return reply


async def revisions(
    session: AsyncSession, access: Access, authors: Mapping[int, int]
) -> dict[int, list[ReplyRevisionView]]:
    """The earlier versions of these replies (reply id → its author's id; replies the asker may read),
    newest first, by reply id.

    As for posts, what a lead's edit took out stays out: the versions up to a lead's latest edit are
    for the leads only; others see that a lead edited it, and why."""
    if not authors:
        return {}
    rows = await session.execute(
        select(ReplyRevision)
        .where(ReplyRevision.reply_id.in_(list(authors)))
        .order_by(ReplyRevision.reply_id, ReplyRevision.revision.desc())
    )
    found: dict[int, list[ReplyRevision]] = {}
    for row in rows.scalars():
        found.setdefault(row.reply_id, []).append(row)
    lead = access.can(Action.MODERATE)
    views: dict[int, list[ReplyRevisionView]] = {}
    for reply_id, earlier in found.items():
        lead_edits = [r.revision for r in earlier if r.editor_id != authors[reply_id]]
        withheld_to = max(lead_edits) if lead_edits and not lead else 0
        views[reply_id] = [
            ReplyRevisionView(
                revision=r.revision,
                editor_id=r.editor_id,
                reason=r.reason,
                created_at=r.created_at,
                body="" if r.revision <= withheld_to else r.body,
                body_html="" if r.revision <= withheld_to else markdown.render(r.body),
                withheld=r.revision <= withheld_to,
            )
            for r in earlier
        ]
    return views
