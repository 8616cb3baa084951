"""When each person was last on the site, for the email that tells people who were away.

A signed-in request (a page or an API call) marks its person seen, in memory; so does an open live
socket, at each flush. `flush` writes the marks to `people.last_seen_at` in one statement, every
few seconds rather than once per request: a busy reader costs one write per flush, not one per page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import bindparam, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from network.models import Person
from server.db import writing

_PEOPLE = Person.__table__  # the table, for a bulk UPDATE by id with one statement per flush
_MARK = (
    update(Person.__table__)  # type: ignore[arg-type]
    .where(
        _PEOPLE.c.id == bindparam("person"),
        or_(_PEOPLE.c.last_seen_at.is_(None), _PEOPLE.c.last_seen_at < bindparam("at")),
    )
    .values(last_seen_at=bindparam("at"))
)


class Presence:
    def __init__(self, session_maker: Callable[[], AsyncSession], on_site: Callable[[], Iterable[int]]) -> None:
        self._maker = session_maker
        self._on_site = on_site  # the people with a live socket open on this process now
        self._seen: dict[int, datetime] = {}

    def saw(self, person_id: int) -> None:
        self._seen[person_id] = clock.now()

    async def flush(self) -> int:
        """Write who was seen since the last flush; how many people."""
        seen, self._seen = self._seen, {}
        now = clock.now()
        for person_id in self._on_site():
            seen[person_id] = now
        if not seen:
            return 0
        async with self._maker() as session:
            async with writing(session):
                await session.execute(_MARK, [{"person": p, "at": at} for p, at in sorted(seen.items())])
                await session.commit()
        return len(seen)
