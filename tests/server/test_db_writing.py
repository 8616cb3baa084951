"""Writing transactions (server/db.py `writing`): on SQLite a process's writers take turns in
the order they asked, each handed the lock as the one before it finishes."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.models import Network
from server import db as server_db
from tests.conftest import World


async def test_sqlite_writers_take_turns_in_the_order_they_asked(
    world: World, app_db: async_sessionmaker[AsyncSession], backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL writers wait on the rows they lock, not on one lock for the database")
    slug = await world.network(await world.person())
    before = await event_seq(app_db, slug)
    asked: list[int] = []  # the order in which they asked for their turn
    order: list[int] = []  # the order in which they took it
    holding, release = asyncio.Event(), asyncio.Event()

    async def writer(n: int, hold: bool = False) -> None:
        async with app_db() as session:
            # asking and waiting are one step: nothing awaits between this line and the turn's lock
            asked.append(n)
            async with server_db.writing(session):
                order.append(n)
                if hold:
                    holding.set()
                    await release.wait()
                await session.execute(
                    update(Network).where(Network.slug == slug).values(event_seq=Network.event_seq + 1)
                )
                await session.commit()

    first = asyncio.create_task(writer(0, hold=True))
    await holding.wait()
    waiting = [asyncio.create_task(writer(n)) for n in range(1, 9)]
    while len(asked) < 9:  # each task runs up to its turn's lock on its first step
        await asyncio.sleep(0)
    assert order == [0]  # the others wait while the first holds its turn
    release.set()
    await asyncio.gather(first, *waiting)
    assert order == asked  # in the order they asked
    assert await event_seq(app_db, slug) == before + 9  # every writer's update landed


async def event_seq(db: async_sessionmaker[AsyncSession], slug: str) -> int:
    async with db() as session:
        return int((await session.execute(select(Network.event_seq).where(Network.slug == slug))).scalar_one())
