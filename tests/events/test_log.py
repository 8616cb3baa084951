"""Appending to the log: a notification's time is taken once its person's counter is held."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events.models import Notification
from network import clock
from tests.events.test_reader import append, people


async def blocked_on_a_lock(db: async_sessionmaker[AsyncSession], timeout: float = 10.0) -> None:
    """Return once another backend of this database waits on a row lock (PostgreSQL's own view of it)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    )
    async with asyncio.timeout(timeout), db() as watcher:
        while not await watcher.scalar(query):
            await watcher.rollback()  # a fresh snapshot of the activity view each time
            await asyncio.sleep(0.01)


async def test_a_waiting_writer_stamps_its_rows_after_the_one_ahead_commits(
    database_url: str, db: async_sessionmaker[AsyncSession]
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite writers queue before their transaction starts, not inside it")
    owners = await people(db, 3)
    async with db() as first, db() as second:
        await append(first, owners, "first")  # holds the three counters until it commits
        waiting = asyncio.create_task(append(second, owners, "second"))
        await blocked_on_a_lock(db)  # the second writer is inside its transaction, waiting for the first
        assert not waiting.done()
        released = clock.now()  # the waiting writer can go on from here, not before
        await first.commit()
        await waiting
        await second.commit()
    async with db() as session:
        rows = (
            await session.execute(
                select(Notification.person_id, Notification.seq, Notification.payload, Notification.created_at)
                .where(Notification.person_id.in_(owners))
                .order_by(Notification.person_id, Notification.seq)
            )
        ).all()
    assert [(r.seq, r.payload["title"]) for r in rows] == [(1, "first"), (2, "second")] * 3
    # the second writer's rows carry the time it wrote them, not the time it began waiting
    assert all(r.created_at >= released for r in rows if r.seq == 2)
