"""The hub's notification pump, in process against the real database: the connections are the
hub's own `Connection` objects, read the way the socket's writer reads them."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from events import log
from server.live import hub as hub_module
from server.live.connection import Connection
from server.live.hub import Hub
from server.live.policy import NetworkPolicy
from server.live.source import DatabaseSource
from tests.events.test_reader import append, notify, people


async def started(
    db: async_sessionmaker[AsyncSession], ids: list[int], **conn: Any
) -> tuple[Hub, dict[int, Connection]]:
    hub = Hub(DatabaseSource(db), NetworkPolicy(db), tick_seconds=3600)
    await hub.start()
    conns = {pid: Connection(pid, **conn) for pid in ids}
    for connection in conns.values():
        hub.register(connection)
    return hub, conns


async def subscribe_all(hub: Hub, conns: dict[int, Connection], after: int | None = None) -> None:
    for connection in conns.values():
        await hub.subscribe_notifications(connection, after, None)
        assert json.loads(connection.pending.pop(0))["type"] == "subscribed"


async def post_to(db: async_sessionmaker[AsyncSession], hub: Hub, owners: list[int], title: str) -> None:
    """Notifications written the way a post writes them, then the wake-ups its commit sends."""
    async with db() as session:
        await append(session, owners, title)
        await session.commit()
        for signal in log.pending_wakeups(session):
            hub.on_signal(signal)


async def received(conns: dict[int, Connection], count: int, timeout: float = 10) -> dict[int, list[int]]:
    """Each connection's notification seqs once every one has `count` of them."""
    deadline = time.monotonic() + timeout
    while True:
        seqs = {
            pid: [f["seq"] for f in map(json.loads, c.pending) if f["type"] == "notification"]
            for pid, c in conns.items()
        }
        if all(len(s) >= count for s in seqs.values()) or time.monotonic() > deadline:
            return seqs
        await asyncio.sleep(0.01)


@pytest.fixture
def reads(engine: AsyncEngine) -> Iterator[list[str]]:
    """The statements that read notifications back, as they reach the database."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "notifications" in statement:
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine.sync_engine, "before_cursor_execute", record)


async def test_one_post_to_many_people_is_read_back_once(
    db: async_sessionmaker[AsyncSession], reads: list[str]
) -> None:
    ids = await people(db, 60)
    hub, conns = await started(db, ids)
    try:
        await subscribe_all(hub, conns)
        await asyncio.sleep(0.05)
        reads.clear()
        await post_to(db, hub, ids, "one post")
        seqs = await received(conns, 1)
    finally:
        await hub.stop()
    assert seqs == {pid: [1] for pid in ids}
    assert len(reads) == 1  # not one per person
    frames = [json.loads(c.pending[0]) for c in conns.values()]
    assert {f["kind"] for f in frames} == {"post.created"}
    assert all(f["data"]["title"] == "one post" and f["data"]["read"] is False for f in frames)
    assert len({f["data"]["id"] for f in frames}) == len(ids)  # each person's own notification
    assert len({f["data"]["at"] for f in frames}) == 1


async def test_reads_cut_short_carry_on_without_loss_or_repeats(
    db: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch, reads: list[str]
) -> None:
    monkeypatch.setattr(hub_module, "PEOPLE_PER_READ", 3)
    monkeypatch.setattr(hub_module, "PEOPLE_ROWS_PER_READ", 4)
    ids = await people(db, 7)
    for i in range(3):  # already waiting when they subscribe
        await notify(db, ids, f"earlier {i}")
    hub, conns = await started(db, ids)
    try:
        await subscribe_all(hub, conns, after=0)
        for i in range(2):
            await post_to(db, hub, ids, f"live {i}")
        seqs = await received(conns, 5)
    finally:
        await hub.stop()
    assert seqs == {pid: [1, 2, 3, 4, 5] for pid in ids}
    assert len(reads) >= 9  # 35 rows, at most 4 a read


async def test_a_replay_goes_at_the_sockets_pace(db: async_sessionmaker[AsyncSession]) -> None:
    (pid,) = await people(db, 1)
    for i in range(40):
        await notify(db, [pid], f"backlog {i}")
    hub, conns = await started(db, [pid], queue_size=5)
    got: list[int] = []
    try:
        await subscribe_all(hub, conns, after=0)
        connection = conns[pid]
        deadline = time.monotonic() + 10
        while len(got) < 40 and time.monotonic() < deadline:
            batch = await asyncio.wait_for(connection.take(), 5)
            got += [frame["seq"] for f in batch if (frame := json.loads(f))["type"] == "notification"]
            connection.sending = 0  # written
        assert connection.close_code is None  # a queue of 5 never overflowed
    finally:
        await hub.stop()
    assert got == list(range(1, 41))
