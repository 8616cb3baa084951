"""Asking for adoption reports when they fall due (server/follow_ups.py): the recorder is asked once,
whatever passes run at once; nobody when they may no longer read the network; and the notice mail
knows the kind."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network import clock
from network.people import mail_settings
from server.follow_ups import ask_due
from server.unit_of_work import UnitOfWork
from tests.conftest import World
from tests.server.test_api_adoption import RECORD


async def _due_record(world: World) -> tuple[str, int, int]:
    """A record whose report is due today; (network, its id, the recorder's id)."""
    lead = await world.person()
    slug = await world.network(lead)
    author, trier = await world.member(slug), await world.member(slug)
    practice = await world.practice(author, slug)
    record = (await trier.post(f"/posts/{practice['id']}/adoptions", json=RECORD)).json()
    async with world.db() as session:
        yesterday = date.today() - timedelta(days=1)
        await session.execute(
            text("UPDATE adoptions SET report_due_on = :d WHERE id = :i"), {"d": yesterday, "i": record["id"]}
        )
        await session.commit()
    return slug, int(record["id"]), trier.id


async def _asked(world: World) -> list[int]:
    return [
        int(p)
        for p in (
            await _scalars(world, "SELECT person_id FROM notifications WHERE kind = 'adoption.report_due' ORDER BY id")
        )
    ]


async def _scalars(world: World, sql: str) -> list[object]:
    async with world.db() as session:
        return list((await session.execute(text(sql))).scalars())


async def test_the_recorder_is_asked_once_however_many_passes_run(
    world: World, app_db: async_sessionmaker[AsyncSession]
) -> None:
    _slug, adoption_id, recorder = await _due_record(world)
    unit = UnitOfWork(app_db, None)
    counts = await asyncio.gather(*(ask_due(app_db, unit, clock.now()) for _ in range(3)))
    assert sum(counts) == 1
    assert await _asked(world) == [recorder]
    assert await ask_due(app_db, unit, clock.now()) == 0  # and never again
    assert await _asked(world) == [recorder]
    [asked_at] = await _scalars(world, f"SELECT asked_at FROM adoptions WHERE id = {int(adoption_id)}")  # noqa: S608
    assert asked_at is not None


async def test_not_yet_due_or_already_reported_is_not_asked(
    world: World, app_db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, trier = await world.member(slug), await world.member(slug)
    practice = await world.practice(author, slug)
    await trier.post(f"/posts/{practice['id']}/adoptions", json=RECORD)  # due in weeks
    assert await ask_due(app_db, UnitOfWork(app_db, None), clock.now()) == 0
    assert await _asked(world) == []


async def test_nobody_is_asked_once_the_recorder_left_the_network(
    world: World, app_db: async_sessionmaker[AsyncSession]
) -> None:
    slug, adoption_id, recorder = await _due_record(world)
    leaver = next(c for c in world.clients if c.person and c.person.get("id") == recorder)
    assert (await leaver.post(f"/networks/{slug}/leave")).status_code in (200, 204)
    assert await ask_due(app_db, UnitOfWork(app_db, None), clock.now()) == 1  # taken, but nobody told
    assert await _asked(world) == []
    [asked_at] = await _scalars(world, f"SELECT asked_at FROM adoptions WHERE id = {int(adoption_id)}")  # noqa: S608
    assert asked_at is not None


def test_the_follow_ups_are_mailed_as_their_own_group() -> None:
    assert mail_settings.mailed_when_away("adoption.report_due") == "adoptions"
    assert mail_settings.mailed_when_away("adoption.reported") == "adoptions"
