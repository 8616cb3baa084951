"""Reading the log back: what a server sends after a wake-up, a resume or a slow tick."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Integer, Row, Select, Table, Text, and_, bindparam, cast, func, select, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from events.models import Event, LogEpoch, Notification, counter_owner

# The statements here are built once (per counter or dialect), with bound parameters: every
# wake-up, resume and new socket runs one, and building a statement per call costs more CPU than
# the database takes to run it (see network/people/accounts.py's _LIVE_TOKEN).
_EVENTS_AFTER = (
    select(Event)
    .where(Event.network_id == bindparam("network_id"), Event.seq > bindparam("after"))
    .order_by(Event.seq)
    .limit(bindparam("limit", type_=Integer))
)


async def events_after(session: AsyncSession, network_id: int, after: int, limit: int) -> Sequence[Event]:
    params = {"network_id": network_id, "after": after, "limit": limit}
    return (await session.execute(_EVENTS_AFTER, params)).scalars().all()


NOTIFICATIONS = Notification.__table__
HEADS_CHUNK = 5000


async def notifications_after(session: AsyncSession, cursors: Mapping[int, int], limit: int) -> Sequence[Row[Any]]:
    """The notifications after each person's cursor (person id → last seq sent), for many people
    in one query, in (person, seq) order, at most `limit` rows in all.

    A post to a network whose thousands of members follow everything wakes thousands of
    notification streams at once; reading them one query each would cost more than the post.
    The (person, cursor) pairs travel as one parameter (two arrays on PostgreSQL, one JSON text
    on SQLite, which has no column list for VALUES), so the statement text never changes. Each
    person's rows are found by an index seek from their cursor: on PostgreSQL a LATERAL
    subquery, because a plain join is planned as a merge over the whole notifications index.
    Plain rows, not ORM objects, with the payload as text: only their frames are wanted.
    """
    if not cursors:
        return []
    if session.get_bind().dialect.name == "postgresql":
        params: dict[str, Any] = {"people": list(cursors), "cursors": list(cursors.values())}
        stmt = _notifications_after(postgres=True)
    else:
        params, stmt = {"wanted": json.dumps(list(cursors.items()))}, _notifications_after(postgres=False)
    return (await session.execute(stmt, params | {"limit": limit})).all()


@cache
def _notifications_after(*, postgres: bool) -> Select[Any]:
    columns = NOTIFICATIONS.c
    wanted_columns = [c for c in columns if c.key != "payload"] + [cast(columns.payload, Text).label("payload_json")]
    limit = bindparam("limit", type_=Integer)
    if postgres:
        wanted = (
            func.unnest(bindparam("people", type_=ARRAY(BigInteger)), bindparam("cursors", type_=ARRAY(BigInteger)))
            .table_valued("person_id", "since")
            .render_derived(name="wanted")
        )
        found = (
            select(*wanted_columns)
            .where(columns.person_id == wanted.c.person_id, columns.seq > wanted.c.since)
            .order_by(columns.seq)
            .limit(limit)
            .lateral("found")
        )
        return (
            select(found).select_from(wanted).join(found, true()).order_by(found.c.person_id, found.c.seq).limit(limit)
        )
    pairs = func.json_each(bindparam("wanted", type_=Text)).table_valued("value")
    person, since = func.json_extract(pairs.c.value, "$[0]"), func.json_extract(pairs.c.value, "$[1]")
    return (
        select(*wanted_columns)
        .select_from(pairs)
        .join(NOTIFICATIONS, and_(columns.person_id == person, columns.seq > since))
        .order_by(columns.person_id, columns.seq)
        .limit(limit)
    )


async def oldest_event_seq(session: AsyncSession, network_id: int) -> int | None:
    """The first seq still kept (older ones were pruned), or None when the log holds none."""
    result = await session.execute(select(func.min(Event.seq)).where(Event.network_id == network_id))
    value = result.scalar_one_or_none()
    return int(value) if value is not None else None


async def heads(session: AsyncSession, counter: InstrumentedAttribute[int], owner_ids: Iterable[int]) -> dict[int, int]:
    """Current seq of several streams, a query per HEADS_CHUNK of them (the slow tick's check of
    every followed stream: a process may follow more people than SQLite takes parameters)."""
    ids = list(owner_ids)
    stmt = _heads(*counter_owner(counter))
    found: dict[int, int] = {}
    for start in range(0, len(ids), HEADS_CHUNK):
        rows = await session.execute(stmt, {"ids": ids[start : start + HEADS_CHUNK]})
        found.update((int(owner), int(seq)) for owner, seq in rows.all())
    return found


@cache
def _heads(table: Table, key: str) -> Select[Any]:
    return select(table.c.id, table.c[key]).where(table.c.id.in_(bindparam("ids", expanding=True)))


async def epoch(session: AsyncSession) -> str:
    return str((await session.execute(select(LogEpoch.epoch).limit(1))).scalar_one())
