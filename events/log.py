"""Appending to the log inside the writer's transaction (the transactional outbox).

A sequence number is allocated by bumping a counter column on the stream's owner row
(`UPDATE owner SET seq = seq + 1 … RETURNING seq`). The row lock that UPDATE takes orders
concurrent writers of one stream, so sequences are gap-free and commit in order: a reader
that sees seq N committed never later sees N-1 appear. The caller passes the counter
column, so this module needs no knowledge of what owns a stream.

Wake-ups for live delivery are collected on the session and handed out only after commit
(`pending_wakeups`), so nothing is pushed that was not committed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from events.models import Event, Notification
from events.signals import Revocation, Wakeup

_WAKEUPS = "commons.wakeups"


async def _next_seq(session: AsyncSession, counter: InstrumentedAttribute[int], owner_id: int) -> int:
    table = counter.class_
    pk = table.id  # type: ignore[attr-defined]
    result = await session.execute(
        update(table).where(pk == owner_id).values({counter.key: counter + 1}).returning(counter),
        execution_options={"synchronize_session": False},
    )
    seq = result.scalar_one()
    return int(seq)


async def append_event(
    session: AsyncSession,
    *,
    counter: InstrumentedAttribute[int],
    network_id: int,
    kind: str,
    payload: dict[str, Any],
    actor_id: int | None,
) -> Event:
    seq = await _next_seq(session, counter, network_id)
    event = Event(network_id=network_id, seq=seq, kind=kind, payload=payload, actor_id=actor_id, created_at=_now())
    session.add(event)
    _remember(session, Wakeup("network", network_id, seq))
    return event


async def append_notification(
    session: AsyncSession,
    *,
    counter: InstrumentedAttribute[int],
    person_id: int,
    kind: str,
    payload: dict[str, Any],
    network_id: int | None,
) -> Notification:
    seq = await _next_seq(session, counter, person_id)
    note = Notification(
        person_id=person_id, seq=seq, kind=kind, payload=payload, network_id=network_id, created_at=_now()
    )
    session.add(note)
    _remember(session, Wakeup("person", person_id, seq))
    return note


def _remember(session: AsyncSession, signal: Wakeup | Revocation) -> None:
    session.info.setdefault(_WAKEUPS, []).append(signal)


def revoke_after_commit(session: AsyncSession, revocation: Revocation) -> None:
    """Close the live sockets this revocation names once the transaction has committed."""
    _remember(session, revocation)


def pending_wakeups(session: AsyncSession) -> list[Wakeup | Revocation]:
    """Take the signals this session's transaction produced (call after commit)."""
    signals: list[Wakeup | Revocation] = session.info.pop(_WAKEUPS, [])
    return signals


def discard_wakeups(session: AsyncSession) -> None:
    """Forget wake-ups of a transaction that rolled back."""
    session.info.pop(_WAKEUPS, None)


def _now() -> datetime:
    return datetime.now(UTC)
