"""What a lead took out of view stays out of the log's replays too.

The log keeps every event, and a client resuming from an old cursor is sent them again. So when
content leaves the readers' view (hidden, held again, removed) or comes back (restored, approved
again), the audience of every earlier event about it is decided again from its state now
(`refresh`); and when a lead edits someone's content (say, to take out a staff phone number), the
earlier events and the notifications that quoted it are given the edited text (`rewrite_post`,
`rewrite_reply`). Removal goes further and redacts the events (network/moderation/redaction.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Integer, cast, column, select, table, update
from sqlalchemy.ext.asyncio import AsyncSession

from events.models import Event, Notification
from network import audience
from network.enums import ContentState
from network.models import Post, Reply

# the fields of a post's and a reply's view that hold what its author wrote
POST_TEXT = (
    "title",
    "body",
    "body_html",
    "summary",
    "setting",
    "what_we_did",
    "what_we_stopped",
    "impact",
    "themes",
    "resources",
)
REPLY_TEXT = ("body", "body_html", "deleted")

# The adoption records' table (network/adoption/models.py), named here as a bare table: the kernel decides
# the audience of events about a record from its state and who recorded it, and imports no part.
# The moderation queue reads its words the same way (network/moderation/review_queue.py).
ADOPTIONS = table(
    "adoptions",
    column("id"),
    column("state"),
    column("person_id"),
    column("setting"),
    column("adapted"),
    column("how_we_know"),
    column("advice"),
)


async def _events_about(session: AsyncSession, network_id: int, post_id: int) -> list[Event]:
    await session.flush()  # the change that moved the content first
    result = await session.execute(
        select(Event).where(Event.network_id == network_id, Event.subject_id == post_id).order_by(Event.seq)
    )
    return list(result.scalars())


async def refresh(session: AsyncSession, network_id: int, post_id: int) -> int:
    """Re-decide the audience of the events about this post (and its replies, offers, reactions)
    from their state now; how many changed. Held content's own events stay with the leads and its author."""
    events = await _events_about(session, network_id, post_id)
    post = await session.get(Post, post_id)
    if not events or post is None:
        return 0
    replies = await _replies(session, {r for e in events if (r := audience.reply_of(e.payload)) is not None})
    records = await adoptions(session, {a for e in events if (a := audience.adoption_of(e.payload)) is not None})
    changed = 0
    for event in events:
        if event.kind in audience.HELD_KINDS:
            continue
        if event.kind in audience.CONTENT_KINDS:
            items = [audience.Shown(post.state, post.author_id)]
            reply = replies.get(audience.reply_of(event.payload) or 0)
            if reply is not None:
                items.append(reply)
            record = records.get(audience.adoption_of(event.payload) or 0)
            if record is not None:
                items.append(record)
            decided = audience.for_content(items)
        else:
            decided = audience.of_kind(event.kind)
        if (event.audience, event.audience_person_id) != (decided.to, decided.person_id):
            await session.execute(
                update(Event)
                .where(Event.id == event.id)
                .values(audience=decided.to, audience_person_id=decided.person_id)
                .execution_options(synchronize_session=False)
            )
            changed += 1
    return changed


async def _replies(session: AsyncSession, ids: Iterable[int]) -> dict[int, audience.Shown]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = await session.execute(select(Reply.id, Reply.state, Reply.author_id).where(Reply.id.in_(wanted)))
    return {int(i): audience.Shown(state, int(author)) for i, state, author in rows.tuples()}


async def adoptions(session: AsyncSession, ids: Iterable[int]) -> dict[int, audience.Shown]:
    """The state of each adoption record, with the person who recorded it (who still sees it when hidden)."""
    wanted = list(ids)
    if not wanted:
        return {}
    await session.flush()
    rows = await session.execute(
        select(ADOPTIONS.c.id, ADOPTIONS.c.state, ADOPTIONS.c.person_id).where(ADOPTIONS.c.id.in_(wanted))
    )
    return {int(i): audience.Shown(ContentState(state), int(person)) for i, state, person in rows.tuples()}


def _with(old: Any, new: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any] | None:
    if not isinstance(old, Mapping):
        return None
    return {**old, **{k: new[k] for k in fields if k in new and k in old}}


async def _rewrite_events(
    session: AsyncSession, network_id: int, post_id: int, key: str, item_id: int, view: Mapping[str, Any]
) -> int:
    """Give every earlier event about this post that carries item `item_id` under `key` ("post" or
    "reply") the edited text of `view`; how many changed."""
    fields = POST_TEXT if key == "post" else REPLY_TEXT
    changed = 0
    for event in await _events_about(session, network_id, post_id):
        item = event.payload.get(key)
        if isinstance(item, Mapping) and item.get("id") == item_id:
            rewritten = _with(item, view, fields)
            if rewritten != item:
                event.payload = {**event.payload, key: rewritten}
                changed += 1
    return changed


async def rewrite_post(session: AsyncSession, network_id: int, post_id: int, view: Mapping[str, Any]) -> int:
    """After a lead's edit: every earlier event carrying this post's text carries the edited text, and
    the notifications that quote its title quote the new one; how many rows changed."""
    changed = await _rewrite_events(session, network_id, post_id, "post", post_id, view)
    notes = await session.execute(
        select(Notification).where(
            Notification.network_id == network_id,
            cast(Notification.payload["post_id"].as_string(), Integer) == post_id,
        )
    )
    for note in notes.scalars():
        if "title" in note.payload and note.payload["title"] != view.get("title"):
            note.payload = {**note.payload, "title": view.get("title")}
            changed += 1
    await session.flush()
    return changed


async def rewrite_reply(
    session: AsyncSession, network_id: int, post_id: int, reply_id: int, view: Mapping[str, Any]
) -> int:
    """After a lead's edit of a reply: every earlier event carrying its text carries the edited text."""
    changed = await _rewrite_events(session, network_id, post_id, "reply", reply_id, view)
    await session.flush()
    return changed
