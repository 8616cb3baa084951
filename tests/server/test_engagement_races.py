"""Engagement changes fired at the same moment, each on its own connection, on both databases
(docs/integrity.md): the engagement's row (and for an outcome the request's, first) is locked before the
check, so the second of two conflicting changes sees what the first left and is refused with 409."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import text

from tests.conftest import World
from tests.server.engagement_world import OUTCOME, activate, colleague, engaged, ok
from tests.server.test_races import another_session

ROUNDS = 4


async def count(world: World, sql: str, **params: Any) -> int:
    async with world.db() as session:
        return int((await session.execute(text(sql), params)).scalar_one())


async def test_both_sides_agreeing_at_once_make_it_active_once(world: World, backend: str) -> None:
    for _ in range(ROUNDS):
        e = await engaged(world)
        a, b = await asyncio.gather(
            e.requester.post(f"/engagements/{e.id}/agree"), e.offerer.post(f"/engagements/{e.id}/agree")
        )
        assert (a.status_code, b.status_code) == (200, 200), (a.text, b.text)
        assert ok(await e.requester.get(f"/engagements/{e.id}"))["state"] == "active"
        async with world.db() as session:
            found = await session.execute(text("SELECT payload FROM events WHERE kind = 'engagement.listed'"))
            payloads = [p if isinstance(p, dict) else json.loads(p) for p in found.scalars()]
        assert [p["engagement"]["id"] for p in payloads].count(e.id) == 1


async def test_two_of_one_side_agreeing_at_once_one_is_refused(world: World, backend: str) -> None:
    for _ in range(ROUNDS):
        e = await engaged(world)
        mate = await colleague(world, e.slug, e.requester)
        ok(await e.requester.patch(f"/engagements/{e.id}", json={"version": 1, "add_people": [mate.id]}))
        answers = await asyncio.gather(
            e.requester.post(f"/engagements/{e.id}/agree"), mate.post(f"/engagements/{e.id}/agree")
        )
        assert sorted(r.status_code for r in answers) == [200, 409], [r.text for r in answers]
        refused = next(r for r in answers if r.status_code == 409)
        assert "already agreed" in refused.json()["detail"]


async def test_two_outcomes_from_one_side_at_once_one_is_written(world: World, backend: str) -> None:
    for _ in range(ROUNDS):
        e = await engaged(world)
        await activate(world, e)
        second = await another_session(world, e.requester)
        answers = await asyncio.gather(
            e.requester.post(f"/engagements/{e.id}/outcomes", json=OUTCOME),
            second.post(f"/engagements/{e.id}/outcomes", json=OUTCOME | {"what_changed": "Another text"}),
        )
        assert sorted(r.status_code for r in answers) == [201, 409], [r.text for r in answers]
        assert await count(world, "SELECT count(*) FROM engagement_outcomes WHERE engagement_id = :e", e=e.id) == 1
        outcome_events = "SELECT count(*) FROM events WHERE kind = 'engagement.outcome' AND audience_group_id = :e"
        assert await count(world, outcome_events, e=e.id) == 1


async def test_the_last_outcomes_of_both_sides_at_once_close_it_once(world: World, backend: str) -> None:
    for _ in range(ROUNDS):
        e = await engaged(world)
        await activate(world, e)
        answers = await asyncio.gather(
            e.requester.post(f"/engagements/{e.id}/outcomes", json=OUTCOME),
            e.offerer.post(f"/engagements/{e.id}/outcomes", json=OUTCOME),
        )
        assert [r.status_code for r in answers] == [201, 201], [r.text for r in answers]
        assert ok(await e.lead.get(f"/posts/{e.request['id']}"))["status"] == "closed"
        closed = "SELECT count(*) FROM events WHERE kind = 'engagement.closed' AND audience_group_id = :e"
        assert await count(world, closed, e=e.id) == 1


async def test_two_edits_of_one_version_at_once_one_is_refused_with_its_text(world: World, backend: str) -> None:
    for _ in range(ROUNDS):
        e = await engaged(world)
        answers = await asyncio.gather(
            e.requester.patch(f"/engagements/{e.id}", json={"version": 1, "aims": "Ours"}),
            e.offerer.patch(f"/engagements/{e.id}", json={"version": 1, "aims": "Theirs"}),
        )
        assert sorted(r.status_code for r in answers) == [200, 409], [r.text for r in answers]
        won = next(r for r in answers if r.status_code == 200).json()
        lost = next(r for r in answers if r.status_code == 409).json()
        assert lost["current"]["aims"] == won["aims"] and lost["yours"]["aims"] != won["aims"]
        assert await count(world, "SELECT count(*) FROM engagement_revisions WHERE engagement_id = :e", e=e.id) == 2
