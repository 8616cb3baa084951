"""Removed content leaves the record it travelled through, not only the page.

A post or reply removed (often because it held pupil data) is still in the event log, where a
client resuming from an older cursor would be sent it again, and its title is in people's
notifications. On removal its earlier events become `post.redacted` / `reply.redacted` with only
the ids (each keeps its seq, so cursors and gap-free order are untouched; clients ignore the
kind), and notifications that quote the post's title say "a removed post" instead. Hiding is
not removal: hidden content stays, as a lead may restore it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.models import Event, Notification
from network.event_kinds import EventKind

_POST_KINDS = (EventKind.POST_CREATED, EventKind.POST_UPDATED, EventKind.POST_RESTORED)
_REPLY_KINDS = (EventKind.REPLY_CREATED, EventKind.REPLY_RESTORED, EventKind.REPLY_UPDATED)
REMOVED_TITLE = "a removed post"


def _id_at(column: Any, *path: str) -> Any:
    """An integer inside a JSON payload, portable across SQLite and PostgreSQL."""
    return cast(column[path].as_string(), Integer)


async def _redact_events(
    session: AsyncSession,
    network_id: int,
    kinds: tuple[str, ...],
    path: tuple[str, str],
    target_id: int,
    redacted: tuple[str, dict[str, int]],
) -> int:
    """Give the network's events of `kinds` about `target_id` (found at `path`) the redacted kind and payload."""
    events = await session.execute(
        select(Event).where(
            Event.network_id == network_id, Event.kind.in_(kinds), _id_at(Event.payload, *path) == target_id
        )
    )
    changed = 0
    for event in events.scalars():
        event.kind, event.payload = redacted[0], dict(redacted[1])
        changed += 1
    return changed


async def redact_post(session: AsyncSession, network_id: int, post_id: int) -> int:
    """Redact a removed post's events and the titles its notifications quote; the number of rows changed."""
    changed = await _redact_events(
        session, network_id, _POST_KINDS, ("post", "id"), post_id, (EventKind.POST_REDACTED, {"post_id": post_id})
    )
    notes = await session.execute(
        select(Notification).where(
            Notification.network_id == network_id, _id_at(Notification.payload, "post_id") == post_id
        )
    )
    for note in notes.scalars():
        note.payload = {**note.payload, "title": REMOVED_TITLE}
        changed += 1
    await session.flush()
    return changed


async def redact_reply(session: AsyncSession, network_id: int, reply_id: int, post_id: int) -> int:
    """Redact a removed reply's events (its notifications quote only the post's title)."""
    redacted = (EventKind.REPLY_REDACTED, {"reply_id": reply_id, "post_id": post_id})
    changed = await _redact_events(session, network_id, _REPLY_KINDS, ("reply", "id"), reply_id, redacted)
    await session.flush()
    return changed
