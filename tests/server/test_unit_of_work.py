"""One unit of work for every path that writes (server/unit_of_work.py, events/outbox.py,
events/effects.py): a change's notifications and events are written at its commit and dropped with a
rollback, a rolled-back savepoint takes back what was handed in inside it, and what must happen after
the commit (wake-ups on the bus, the notice writer, token stamps) happens only after a commit, once.
The command line commits through it too, so its wake-ups reach the servers on the bus."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events import effects, outbox
from events.bus import MemoryBus
from events.models import Notification
from events.signals import Revocation, Signal, Wakeup
from network.content.post_notices import NoticesLeft
from network.models import ApiToken, Person
from network.people import accounts
from server import cli
from server.unit_of_work import UnitOfWork
from tests.conftest import make_settings
from tests.events.test_reader import people


def notice(session: AsyncSession, person_id: int, title: str) -> None:
    outbox.notify(
        session,
        counter=Person.notification_seq,
        kinds={person_id: "mention"},
        payload={"title": title},
        network_id=None,
    )


async def titles(db: async_sessionmaker[AsyncSession], person_id: int) -> list[str]:
    async with db() as session:
        rows = await session.execute(
            select(Notification.payload).where(Notification.person_id == person_id).order_by(Notification.seq)
        )
        return [p["title"] for p in rows.scalars()]


class Recorder:
    def __init__(self) -> None:
        self.bus = MemoryBus()
        self.heard: list[Signal] = []
        self.bus.listen(self.heard.append)
        self.kicks = 0

    def kick(self) -> None:
        self.kicks += 1


async def test_a_commit_writes_and_then_carries_out_what_it_asked(db: async_sessionmaker[AsyncSession]) -> None:
    (person,) = await people(db, 1)
    seen = Recorder()
    unit = UnitOfWork(db, seen.bus, seen.kick)
    async with db() as session:
        notice(session, person, "kept")
        effects.after_commit(session, NoticesLeft(1))
        effects.after_commit(session, Revocation("token", "7"))
        assert seen.heard == [] and seen.kicks == 0  # nothing before the commit
        await unit.commit(session)
    assert await titles(db, person) == ["kept"]
    assert Wakeup("person", person, 1) in seen.heard and Revocation("token", "7") in seen.heard
    assert seen.kicks == 1
    async with db() as session:  # taken once: a second commit carries out nothing again
        await unit.commit(session)
    assert seen.kicks == 1 and len(seen.heard) == 2


async def test_a_rollback_writes_and_does_nothing(db: async_sessionmaker[AsyncSession]) -> None:
    (person,) = await people(db, 1)
    seen = Recorder()
    unit = UnitOfWork(db, seen.bus, seen.kick)
    async with db() as session:
        notice(session, person, "dropped")
        effects.after_commit(session, NoticesLeft(1))
        await session.rollback()
        await unit.commit(session)
    assert await titles(db, person) == []
    assert seen.heard == [] and seen.kicks == 0


async def test_a_rolled_back_savepoint_takes_back_what_was_handed_in_inside_it(
    db: async_sessionmaker[AsyncSession],
) -> None:
    """As a page's refused form does (web/forms.py acts in a savepoint): its notifications, events and
    effects go, what came before and after it stays."""
    (person,) = await people(db, 1)
    seen = Recorder()
    unit = UnitOfWork(db, seen.bus, seen.kick)
    async with db() as session:
        notice(session, person, "before")
        with pytest.raises(RuntimeError):
            async with session.begin_nested():
                notice(session, person, "refused")
                effects.after_commit(session, NoticesLeft(1))
                raise RuntimeError("refused")
        async with session.begin_nested():
            notice(session, person, "after")
        await unit.commit(session)
    assert await titles(db, person) == ["before", "after"]
    assert seen.kicks == 0
    assert [s for s in seen.heard if isinstance(s, Wakeup)] == [Wakeup("person", person, 2)]


async def test_token_uses_are_stamped_after_the_commit(db: async_sessionmaker[AsyncSession]) -> None:
    (person,) = await people(db, 1)
    async with db() as session:
        owner = await session.get(Person, person)
        assert owner is not None
        token, _ = await accounts.create_token(session, owner, "script")
        await session.commit()
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    async with db() as session:
        effects.after_commit(session, accounts.TokenUsed(token.id, at))
        await UnitOfWork(db, None).commit(session)
    async with db() as session:
        assert (await session.get(ApiToken, token.id)).last_used_at == at  # type: ignore[union-attr]


async def test_an_effect_nobody_carries_out_fails_loudly(db: async_sessionmaker[AsyncSession]) -> None:
    async with db() as session:
        effects.after_commit(session, "something new")
        with pytest.raises(TypeError, match="nobody carries out"):
            await UnitOfWork(db, None).commit(session)


async def test_the_command_line_publishes_its_wake_ups(
    database_url: str, backend: str, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    """A network made from the command line wakes the servers listening on the bus at once, instead
    of waiting for their slow tick."""
    if backend != "postgres":
        pytest.skip("the embedded in-process bus reaches no other process; the servers' tick finds the rows")
    from events.bus_postgres import PostgresBus

    listening = PostgresBus(database_url)
    heard: list[Signal] = []
    listening.listen(heard.append)
    await listening.start()
    try:
        settings = make_settings(database_url, tmp_path, bus="postgres")
        (person,) = await people(db, 1)

        async def work(session: AsyncSession) -> int:
            notice(session, person, "from the command line")
            return 1

        await asyncio.to_thread(cli._run_in_session, settings, work)
        async with asyncio.timeout(10):
            while Wakeup("person", person, 1) not in heard:
                await asyncio.sleep(0.05)
    finally:
        await listening.stop()
    async with db() as session:
        count = await session.scalar(select(func.count()).where(Notification.person_id == person))
    assert count == 1
