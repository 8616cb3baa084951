"""Appending to the log inside the writer's transaction (the transactional outbox).

The domain does not call these as it goes: it hands its events and notifications to the unit of
work (events/outbox.py), which writes them here just before the commit, in one lock order.

A sequence number is allocated by bumping a counter column on the stream's owner row
(`UPDATE owner SET seq = seq + 1 … RETURNING seq`). The row lock that UPDATE takes orders
concurrent writers of one stream, so sequences are gap-free and commit in order: a reader
that sees seq N committed never later sees N-1 appear. The caller passes the counter
column, so this module needs no knowledge of what owns a stream.

Wake-ups for live delivery are after-commit effects (events/effects.py): carried out only once the
transaction has committed, so nothing is pushed that was not committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import BigInteger, ColumnElement, Insert, Select, Table, Update, any_, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Session

from events import effects
from events.models import Event, Notification, counter_owner
from events.signals import Revocation, Wakeup

_INSERT_EVENT = insert(cast(Table, Event.__table__))


# The statements below are built once per counter (and dialect), with bound parameters: every
# event and notification runs one, and building a statement per call costs more CPU than the
# database takes to run it (see network/people/accounts.py's _LIVE_TOKEN).


@cache
def _bump(table: Table, key: str) -> Update:
    # the owner's table, not its mapped class: a Core UPDATE skips the ORM's bulk-update
    # machinery (about a tenth of a POST's CPU), and nothing loaded needs synchronising
    column = table.c[key]
    return update(table).where(table.c.id == bindparam("owner_id")).values({column: column + 1}).returning(column)


def _next_seq(session: Session, counter: InstrumentedAttribute[int], owner_id: int) -> int:
    result = session.execute(_bump(*counter_owner(counter)), {"owner_id": owner_id})
    return int(result.scalar_one())


def write_event(
    session: Session,
    *,
    counter: InstrumentedAttribute[int],
    network_id: int,
    kind: str,
    payload: dict[str, Any],
    actor_id: int | None,
    audience: str = "readers",
    audience_person_id: int | None = None,
    subject_id: int | None = None,
    audience_group_id: int | None = None,
) -> int:
    """Append an event to a network's log now; returns its seq. (Sync: it runs where the unit of
    work commits, see events/outbox.py; `append_event` is the same for async callers.)"""
    seq = _next_seq(session, counter, network_id)
    # A Core INSERT, not an ORM object: no caller wants the object, and its construction, the
    # session's bookkeeping and the flush cost more CPU than the statement
    values = {
        "network_id": network_id,
        "seq": seq,
        "kind": kind,
        "payload": payload,
        "actor_id": actor_id,
        "audience": audience,
        "audience_person_id": audience_person_id,
        "subject_id": subject_id,
        "audience_group_id": audience_group_id,
        "created_at": _now(),
    }
    session.execute(_INSERT_EVENT, values)
    _remember(session, Wakeup("network", network_id, seq))
    return seq


async def append_event(session: AsyncSession, **fields: Any) -> int:
    """`write_event` for async callers (tests and tools that write to the log directly)."""
    return await session.run_sync(lambda sync: write_event(sync, **fields))


NOTIFICATIONS = cast(Table, Notification.__table__)
_INSERT_NOTIFICATION = insert(NOTIFICATIONS)
BULK_CHUNK = 1000  # owners per statement (SQLite caps bound parameters)


def write_notification(
    session: Session,
    *,
    counter: InstrumentedAttribute[int],
    person_id: int,
    kind: str,
    payload: dict[str, Any],
    network_id: int | None,
) -> int:
    """One notification, now; returns its seq."""
    seq = _next_seq(session, counter, person_id)
    values = {
        "person_id": person_id,
        "seq": seq,
        "kind": kind,
        "payload": payload,
        "network_id": network_id,
        "created_at": _now(),
    }
    session.execute(_INSERT_NOTIFICATION, values)
    _remember(session, Wakeup("person", person_id, seq))
    return seq


def lock_owners(session: Session, counter: InstrumentedAttribute[int], owners: list[int]) -> None:
    """Lock these owners' counter rows in id order (a chunk per statement): a writer that will bump
    several people's counters takes them in one order, so two such writers cannot deadlock."""
    postgres = session.get_bind().dialect.name == "postgresql"
    lock = _bulk_statements(*counter_owner(counter), postgres)[0]
    ordered = sorted(set(owners))
    for start in range(0, len(ordered), BULK_CHUNK):
        session.execute(lock, {"ids": ordered[start : start + BULK_CHUNK]})


def write_notifications(
    session: Session,
    *,
    counter: InstrumentedAttribute[int],
    kinds: Mapping[int, str],
    payload: dict[str, Any],
    network_id: int | None,
) -> int:
    """One notification for each person in `kinds` (person id → kind), all with the same payload.

    In bulk, as a post to a network of thousands that follow everything needs: the owners' rows
    are locked in id order (so concurrent bulk writers cannot deadlock each other), their
    counters bumped by one UPDATE … RETURNING and the rows written by one INSERT … SELECT, per
    chunk of owners. Each person's seq stays gap-free and each gets their own wake-up.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    lock, bump, write = _bulk_statements(*counter_owner(counter), postgres)
    owners = sorted(kinds)
    written = 0
    for start in range(0, len(owners), BULK_CHUNK):
        chunk = owners[start : start + BULK_CHUNK]
        session.execute(lock, {"ids": chunk})
        result = session.execute(bump, {"ids": chunk})
        seqs = sorted((int(owner), int(seq)) for owner, seq in result.all())
        now = _now()  # stamped once the counters are held, like an event: a person's times follow their seqs
        by_kind: dict[str, list[int]] = {}
        for owner, _ in seqs:
            by_kind.setdefault(kinds[owner], []).append(owner)
        for kind, group in by_kind.items():
            values = {"ids": group, "kind": kind, "payload": payload, "network_id": network_id, "now": now}
            session.execute(write, values)
        for owner, seq in seqs:
            _remember(session, Wakeup("person", owner, seq))
        written += len(seqs)
    return written


async def append_notifications(session: AsyncSession, **fields: Any) -> int:
    """`write_notifications` for async callers (tests and tools)."""
    return await session.run_sync(lambda sync: write_notifications(sync, **fields))


@cache
def _bulk_statements(table: Table, key: str, postgres: bool) -> tuple[Select[Any], Update, Insert]:
    """Lock a chunk of owners' rows in id order, bump their counters, and write their rows by
    INSERT … SELECT: the rows take their seq from the counters just bumped, and the payload is
    bound once, not serialised per row."""
    pk, seq_column = table.c.id, table.c[key]
    columns = NOTIFICATIONS.c
    lock = select(pk).where(_among(pk, postgres)).order_by(pk).with_for_update()
    bump = update(table).where(_among(pk, postgres)).values({seq_column: seq_column + 1}).returning(pk, seq_column)
    write = insert(NOTIFICATIONS).from_select(
        ["person_id", "seq", "kind", "payload", "network_id", "created_at"],
        select(
            pk,
            seq_column,
            bindparam("kind", type_=columns.kind.type),
            bindparam("payload", type_=columns.payload.type),
            bindparam("network_id", type_=columns.network_id.type),
            bindparam("now", type_=columns.created_at.type),
        ).where(_among(pk, postgres)),
    )
    return lock, bump, write


def _among(column: ColumnElement[int], postgres: bool) -> ColumnElement[bool]:
    """`column IN :ids`; on PostgreSQL as `= ANY(:ids)`: one array parameter and one statement
    text whatever the count, so the prepared statement is reused (an IN list is a new one per size)."""
    if postgres:
        return column == any_(bindparam("ids", type_=ARRAY(BigInteger)))
    return column.in_(bindparam("ids", expanding=True))


def _remember(session: AsyncSession | Session, signal: Wakeup | Revocation) -> None:
    effects.after_commit(session, signal)


def revoke_after_commit(session: AsyncSession, revocation: Revocation) -> None:
    """Close the live sockets this revocation names once the transaction has committed."""
    _remember(session, revocation)


def signals_in(taken: list[Any]) -> list[Wakeup | Revocation]:
    """The wake-ups and revocations among a committed transaction's effects, networks' wake-ups
    first, so a post's members hear of it before the hub turns to its followers' notifications."""
    signals = [e for e in taken if isinstance(e, Wakeup | Revocation)]
    signals.sort(key=lambda s: not (isinstance(s, Wakeup) and s.stream == "network"))
    return signals


def pending_wakeups(session: AsyncSession) -> list[Wakeup | Revocation]:
    """Take the signals of this session's committed transaction (for tools and tests that write to
    the log directly; the application's unit of work takes every effect at once)."""
    return signals_in(effects.taken(session))


def _now() -> datetime:
    return datetime.now(UTC)
