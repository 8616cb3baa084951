"""Reading many people's notifications back in one query, each from their own cursor."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events import log, reader
from network.enums import OrgKind
from network.models import Organisation, Person
from tests.conftest import unique


async def people(db: async_sessionmaker[AsyncSession], count: int) -> list[int]:
    async with db() as session:
        org = Organisation(name=unique("Reader Trust "), kind=OrgKind.MULTI_ACADEMY_TRUST)
        made = [
            Person(
                email=unique("reader") + "@example.org", display_name=f"Reader {i}", password_hash="x", organisation=org
            )
            for i in range(count)
        ]
        session.add_all(made)
        await session.commit()
        return [p.id for p in made]


async def append(session: AsyncSession, owners: list[int], title: str) -> None:
    """Notifications for a new post, written the way a post writes them (not committed)."""
    await log.append_notifications(
        session,
        counter=Person.notification_seq,
        kinds=dict.fromkeys(owners, "post.created"),
        payload={"title": title},
        network_id=None,
    )


async def notify(db: async_sessionmaker[AsyncSession], owners: list[int], title: str) -> None:
    async with db() as session:
        await append(session, owners, title)
        await session.commit()


async def test_each_person_gets_the_rows_after_their_own_cursor(db: async_sessionmaker[AsyncSession]) -> None:
    a, b, c = await people(db, 3)
    for i in range(5):
        await notify(db, [b] if i < 2 else [a, b], f"post {i}")  # a has seqs 1-3, b has 1-5, c none
    async with db() as session:
        rows = await reader.notifications_after(session, {a: 1, b: 3, c: 0}, 100)
    assert [(r.person_id, r.seq) for r in rows] == [(a, 2), (a, 3), (b, 4), (b, 5)]
    assert [json.loads(r.payload_json)["title"] for r in rows] == ["post 3", "post 4", "post 3", "post 4"]
    assert all(isinstance(r.created_at, datetime) and r.created_at.tzinfo is not None for r in rows)
    assert all(r.kind == "post.created" and r.read_at is None for r in rows)


async def test_the_limit_counts_rows_across_people_in_person_order(db: async_sessionmaker[AsyncSession]) -> None:
    a, b = await people(db, 2)
    for i in range(3):
        await notify(db, [a, b], f"post {i}")
    async with db() as session:
        rows = await reader.notifications_after(session, {b: 0, a: 0}, 4)
        caught_up = await reader.notifications_after(session, {a: 3, b: 3}, 4)
        nobody = await reader.notifications_after(session, {}, 4)
    assert [(r.person_id, r.seq) for r in rows] == [(a, 1), (a, 2), (a, 3), (b, 1)]
    assert list(caught_up) == []
    assert list(nobody) == []


async def test_heads_of_more_streams_than_one_statement_takes(
    db: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "HEADS_CHUNK", 2)
    a, b, c = await people(db, 3)
    await notify(db, [a, c], "one")
    await notify(db, [c], "two")
    async with db() as session:
        found = await reader.heads(session, Person.notification_seq, [c, a, b, 10_000])
        nothing = await reader.heads(session, Person.notification_seq, [])
    assert found == {a: 1, b: 0, c: 2}
    assert nothing == {}
