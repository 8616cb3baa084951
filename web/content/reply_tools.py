"""What the post page shows with each reply besides its text: whether the reader may edit or delete it
(asked of the service's own refusal, so a form is shown exactly where it would work) and its earlier
versions."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from network.access import Access
from network.content import reply_edits
from network.models import Post
from network.views import ReplyRevisionView, ReplyView


@dataclass
class ReplyTools:
    changeable: set[int] = field(default_factory=set)  # the reader's own replies they may edit or delete
    history: dict[int, list[ReplyRevisionView]] = field(default_factory=dict)  # earlier versions, newest first


async def reply_tools(db: AsyncSession, access: Access, post_: Post, shown: list[ReplyView]) -> ReplyTools:
    def changeable(reply: ReplyView) -> bool:
        refusal = reply_edits.own_refusal(
            access, post_, author_id=reply.author.id, state=reply.state, deleted=reply.deleted
        )
        return refusal is None

    edited = {r.id: r.author.id for r in shown if r.edited_at is not None and not r.deleted}
    return ReplyTools(
        changeable={r.id for r in shown if changeable(r)},
        history=await reply_edits.revisions(db, access, edited),
    )
