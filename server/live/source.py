"""Where the hub reads: the event log and people's notifications in the database (events/reader.py).

The hub's delivery core (server/live/hub.py) knows no tables: it asks this for rows after a cursor,
for streams' heads, and for the accounts disabled by another process. Each call is one short
session of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events import reader
from events.models import Event
from network.models import Network, Person


async def network_start(session: AsyncSession, network_id: int, *, oldest: bool) -> tuple[int, int | None]:
    """A network's head now and, with `oldest`, the first seq still kept (None when none is)."""
    head = (await reader.heads(session, Network.event_seq, [network_id])).get(network_id, 0)
    first = await reader.oldest_event_seq(session, network_id) if oldest else None
    return head, first


class DatabaseSource:
    def __init__(self, sessions: Callable[[], AsyncSession]) -> None:
        self._sessions = sessions

    async def epoch(self) -> str:
        async with self._sessions() as session:
            return await reader.epoch(session)

    async def network_start(self, network_id: int, *, oldest: bool) -> tuple[int, int | None]:
        async with self._sessions() as session:
            return await network_start(session, network_id, oldest=oldest)

    async def notifications_head(self, person_id: int) -> int:
        async with self._sessions() as session:
            return (await reader.heads(session, Person.notification_seq, [person_id])).get(person_id, 0)

    async def events_after(self, network_id: int, after: int, limit: int) -> Sequence[Event]:
        async with self._sessions() as session:
            return await reader.events_after(session, network_id, after, limit)

    async def notifications_after(self, cursors: Mapping[int, int], limit: int) -> Sequence[Any]:
        async with self._sessions() as session:
            return await reader.notifications_after(session, cursors, limit)

    async def heads(self, networks: Iterable[int], people: Iterable[int]) -> tuple[dict[int, int], dict[int, int]]:
        async with self._sessions() as session:
            return (
                await reader.heads(session, Network.event_seq, networks),
                await reader.heads(session, Person.notification_seq, people),
            )

    async def disabled(self, people: Iterable[int]) -> list[int]:
        """Which of these accounts are disabled."""
        wanted = list(people)
        if not wanted:
            return []
        async with self._sessions() as session:
            found = await session.execute(select(Person.id).where(Person.id.in_(wanted), Person.is_active.is_(False)))
            return [int(person_id) for person_id in found.scalars()]
