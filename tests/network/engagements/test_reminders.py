"""Reminders of due check-ins and follow-ups (network/engagements/reminders.py, run by the scheduler's
tick): each written once, however many processes pass at once, on both databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.mail.scheduler import engagement_pass
from tests.conftest import World
from tests.server.engagement_world import OUTCOME, activate, engaged, ok


async def notes(world: World, kind: str) -> list[int]:
    async with world.db() as session:
        found = await session.execute(
            text("SELECT person_id FROM notifications WHERE kind = :k ORDER BY id"), {"k": kind}
        )
        return [int(p) for p in found.scalars()]


async def test_a_due_check_in_is_told_once_to_the_named_people(
    world: World, backend: str, app_db: async_sessionmaker[AsyncSession]
) -> None:
    e = await engaged(world)
    await activate(world, e)
    soon = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    ok(
        await e.offerer.post(f"/engagements/{e.id}/check-ins", json={"progress": "Going", "next_check_in_on": soon}),
        201,
    )
    today = datetime.now(UTC)
    assert await engagement_pass(app_db, today) == 0  # not due yet
    tomorrow = today + timedelta(days=1)
    told = await asyncio.gather(*(engagement_pass(app_db, tomorrow) for _ in range(3)))
    assert sum(told) == 1
    assert sorted(await notes(world, "engagement.check_in_due")) == sorted([e.requester.id, e.offerer.id])
    assert await engagement_pass(app_db, tomorrow + timedelta(days=3)) == 0  # once
    # a new check-in date brings a new reminder when it comes
    later = (tomorrow + timedelta(days=7)).date().isoformat()
    ok(await e.offerer.patch(f"/engagements/{e.id}", json={"version": 1, "next_check_in_on": later}))
    assert await engagement_pass(app_db, tomorrow + timedelta(days=7)) == 1
    assert len(await notes(world, "engagement.check_in_due")) == 4


async def test_the_follow_up_asks_each_side_that_has_not_answered_once(
    world: World, backend: str, app_db: async_sessionmaker[AsyncSession]
) -> None:
    e = await engaged(world)
    await activate(world, e)
    ok(await e.requester.post(f"/engagements/{e.id}/outcomes", json=OUTCOME), 201)
    closed = ok(await e.offerer.post(f"/engagements/{e.id}/outcomes", json=OUTCOME), 201)
    ok(await e.requester.post(f"/engagements/{e.id}/follow-up", json={"lasted": "too_early_to_say"}), 201)
    due = datetime.fromisoformat(closed["follow_up_due_on"]).replace(tzinfo=UTC)
    assert await engagement_pass(app_db, due - timedelta(days=1)) == 0
    told = await asyncio.gather(engagement_pass(app_db, due), engagement_pass(app_db, due))
    assert sum(told) == 1
    assert await notes(world, "engagement.follow_up_due") == [e.offerer.id]  # the requester answered already
