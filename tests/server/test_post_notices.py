"""A large network's new-post notices, written after the post commits (network/content/post_notices.py,
server/notice_writer.py), against the real server and database: each follower is told once."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events import outbox
from events.bus import MemoryBus
from events.models import Notification
from network.content import followers, post_notices
from network.models import Post, PostNotice
from server.db import writing
from server.notice_writer import NoticeWriter
from tests.conftest import ApiClient, World
from tests.live.client import WsClient, token_for


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Networks of more than two followers count as large, told two followers per transaction."""
    monkeypatch.setattr(followers, "INLINE_MAX", 2)
    monkeypatch.setattr(post_notices, "CHUNK", 2)
    monkeypatch.setattr(post_notices, "SQLITE_CHUNK", 2)


@pytest.fixture
def no_kick(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's writer is not told of new notices: it finds them on its tick, as it finds
    the ones a stopped process left."""
    monkeypatch.setattr(NoticeWriter, "kick", lambda self: None)


async def post_kinds(client: ApiClient, post_id: int) -> list[str]:
    response = await client.get("/notifications", params={"limit": 100})
    assert response.status_code == 200, response.text
    return [n["kind"] for n in response.json()["items"] if n["data"].get("post_id") == post_id]


async def eventually(check: Any, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "not within the time allowed"
        await asyncio.sleep(0.05)


async def waiting(db: async_sessionmaker[AsyncSession]) -> int:
    async with db() as session:
        return int((await session.execute(select(func.count()).select_from(PostNotice))).scalar_one())


async def told(db: async_sessionmaker[AsyncSession], post_id: int) -> dict[int, int]:
    """How many new-post notices of this post each person has."""
    async with db() as session:
        rows = await session.execute(
            select(Notification.person_id, func.count())
            .where(Notification.kind == "post.created", Notification.payload["post_id"].as_integer() == post_id)
            .group_by(Notification.person_id)
        )
        return {int(person): int(count) for person, count in rows.tuples()}


async def crowd(world: World) -> tuple[str, ApiClient, ApiClient, list[ApiClient], ApiClient, ApiClient]:
    """A network: its lead, an author, four followers of everything, one named Asha Verma, one
    following mentions only."""
    lead = await world.person()
    slug = await world.network(lead)
    await world.follow(lead, slug, "all")
    author = await world.member(slug)
    everyone = [await world.member(slug, follow="all") for _ in range(4)]
    asha = await world.member(slug, name="Asha Verma", follow="all")
    quiet = await world.member(slug, follow="mentions")
    return slug, lead, author, everyone, asha, quiet


async def test_a_large_networks_followers_hear_after_the_post_once_each(
    world: World, db: async_sessionmaker[AsyncSession], large: None
) -> None:
    slug, lead, author, everyone, asha, quiet = await crowd(world)
    post = await world.practice(author, slug, body="With thanks to @Asha Verma.")
    assert await post_kinds(asha, post["id"]) == ["mention"]  # named: told with the post itself

    async def all_told() -> bool:
        return all([await post_kinds(f, post["id"]) == ["post.created"] for f in [lead, *everyone]])

    await eventually(all_told)
    await eventually(lambda: _none_waiting(db))
    counts = await told(db, post["id"])
    assert counts == {f.id: 1 for f in [lead, *everyone]}  # once each; the author, `quiet` and Asha never
    assert await post_kinds(asha, post["id"]) == ["mention"]
    assert await post_kinds(quiet, post["id"]) == []
    assert await post_kinds(author, post["id"]) == []
    listed = (await everyone[0].get("/notifications")).json()["items"][0]
    assert listed["data"] | {"post_id": post["id"], "title": post["title"], "kind": "practice"} == listed["data"]


async def _none_waiting(db: async_sessionmaker[AsyncSession]) -> bool:
    return await waiting(db) == 0


async def test_a_small_networks_followers_are_told_with_the_post(
    world: World, db: async_sessionmaker[AsyncSession], no_kick: None
) -> None:
    slug, lead, author, everyone, asha, _ = await crowd(world)  # six followers: under INLINE_MAX
    post = await world.practice(author, slug)
    for follower in [lead, *everyone, asha]:  # no waiting: the rows were committed with the post
        assert await post_kinds(follower, post["id"]) == ["post.created"]
    async with db() as session:  # what it left for after the commit is the saved searches' alerts alone
        left = (await session.execute(select(PostNotice.after_person_id))).scalars().all()
    assert left in ([], [post_notices.FOLLOWERS_TOLD])
    await eventually(lambda: _none_waiting(db))  # the writer's tick finishes it
    assert await told(db, post["id"]) == {f.id: 1 for f in [lead, *everyone, asha]}


async def test_notices_no_one_announced_are_written_on_the_tick(
    world: World, db: async_sessionmaker[AsyncSession], large: None, no_kick: None
) -> None:
    slug, lead, author, everyone, asha, _ = await crowd(world)
    post = await world.practice(author, slug)
    await eventually(lambda: _none_waiting(db))
    assert await told(db, post["id"]) == {f.id: 1 for f in [lead, *everyone, asha]}


async def test_writers_sharing_the_database_tell_each_follower_once(
    world: World,
    db: async_sessionmaker[AsyncSession],
    app_db: async_sessionmaker[AsyncSession],
    large: None,
    no_kick: None,
) -> None:
    slug, lead, author, everyone, asha, _ = await crowd(world)
    post = await world.practice(author, slug)
    writers = [NoticeWriter(app_db, MemoryBus(), 3600) for _ in range(3)]
    await asyncio.gather(*(w.drain() for w in writers))  # and the server's own writer, on its tick
    await eventually(lambda: _none_waiting(db))
    assert await told(db, post["id"]) == {f.id: 1 for f in [lead, *everyone, asha]}


async def test_a_post_taken_down_before_its_followers_are_told_tells_no_one_more(
    world: World, db: async_sessionmaker[AsyncSession], app_db: async_sessionmaker[AsyncSession]
) -> None:
    slug, lead, author, everyone, asha, _ = await crowd(world)
    post = await world.practice(author, slug)  # a small network: told with the post
    before = await told(db, post["id"])
    assert before == {f.id: 1 for f in [lead, *everyone, asha]}
    hidden = await lead.post(
        f"/networks/{slug}/decisions",
        json={"target_type": "post", "target_id": post["id"], "action": "hide", "reason": "Names a pupil"},
    )
    assert hidden.status_code == 201, hidden.text
    async with db() as session:  # as if the post had been left to the writer before it was hidden
        session.add(PostNotice(post_id=post["id"]))
        await session.commit()
    await NoticeWriter(app_db, MemoryBus(), 3600).drain()
    await eventually(lambda: _none_waiting(db))
    assert await told(db, post["id"]) == before


async def test_sqlite_tells_fewer_followers_per_transaction(
    world: World, backend: str, app_db: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's one writer is held for a chunk, so its chunks are the smaller; PostgreSQL's are not."""
    monkeypatch.setattr(post_notices, "CHUNK", 4)
    monkeypatch.setattr(post_notices, "SQLITE_CHUNK", 2)
    slug, _, author, *_ = await crowd(world)  # a small network: its followers were told with the post
    post = await world.practice(author, slug)
    size = 2 if backend == "sqlite" else 4
    count = select(func.count()).select_from(Notification).where(Notification.kind == "post.created")
    async with app_db() as session, writing(session):
        # The notice and its first chunk in one transaction no other writer can see or enter.
        session.add(PostNotice(post_id=post["id"]))
        await session.flush()
        before = (await session.execute(count)).scalar_one()
        assert await post_notices.tell_next(session)
        await session.run_sync(outbox.write)  # what the commit would write, without committing
        after = (await session.execute(count)).scalar_one()
        resume_after = (await session.execute(select(PostNotice.after_person_id))).scalar_one()
        row = await session.get(Post, post["id"])
        assert row is not None
        everyone = await followers.followers_after(session, row.network_id, row.kind, 0, 100)
        await session.rollback()
    assert len(everyone) > size
    assert resume_after == everyone[size - 1]  # the next chunk starts after the first `size`
    assert after - before == len(set(everyone[:size]) - {author.id})  # the author is not told


async def test_a_followers_socket_receives_the_notice_written_after_the_post(world: World, large: None) -> None:
    slug, _, author, everyone, _, _ = await crowd(world)
    ws = await WsClient.connect(world.server.url, await token_for(everyone[-1]))
    try:
        await ws.send({"type": "subscribe", "stream": "notifications", "after": None})
        subscribed = await ws.next("subscribed")
        post = await world.practice(author, slug, title="Told after the commit")
        note = await ws.next("notification")
        assert note["kind"] == "post.created"
        assert note["seq"] == subscribed["seq"] + 1
        assert note["data"]["post_id"] == post["id"]
        assert note["data"]["title"] == "Told after the commit"
    finally:
        await ws.close()
