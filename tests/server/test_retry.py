"""A request whose transaction loses a real PostgreSQL deadlock (or serialisation failure) is run once more.

The deadlock is provoked on purpose: the handler locks row 1 and then row 2 while another connection
locks row 2 and then row 1. The handler's connection checks for deadlocks first (a shorter
`deadlock_timeout`), so PostgreSQL ends its transaction with 40P01. Each handler counts its runs and
keeps the body it was given, so the tests see the second run and the replayed body.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar, get, post
from litestar.params import JSONBody
from litestar.plugins.problem_details import ProblemDetailsPlugin
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from server import problems, retry
from server.app import create_app
from tests.conftest import make_settings

LOCK = "SELECT id FROM retry_probe WHERE id = :id FOR UPDATE"


@dataclass
class Probe:
    engine: AsyncEngine
    bodies: list[Any] = field(default_factory=list)
    handler_holds: asyncio.Event = field(default_factory=asyncio.Event)
    other_holds: asyncio.Event = field(default_factory=asyncio.Event)
    other_done: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
async def probe(backend: str, database_url: str) -> AsyncIterator[Probe]:
    if backend != "postgres":
        pytest.skip("SQLite's one writer never deadlocks")
    engine = create_async_engine(database_url, poolclass=NullPool)  # no connection keeps a session setting
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE IF NOT EXISTS retry_probe (id integer PRIMARY KEY, n integer)"))
        await conn.execute(text("DELETE FROM retry_probe"))
        await conn.execute(text("INSERT INTO retry_probe VALUES (1, 0), (2, 0)"))
    try:
        yield Probe(engine)
    finally:
        async with engine.begin() as conn:
            await conn.execute(text("DROP TABLE retry_probe"))
        await engine.dispose()


async def deadlocks_once(p: Probe) -> dict[str, int]:
    """Row 1 then row 2; on the first run, only once the other connection holds row 2."""
    async with p.engine.connect() as conn:
        await conn.execute(text("SET deadlock_timeout = '50ms'"))  # this side finds the cycle, and loses
        await conn.execute(text(LOCK), {"id": 1})
        if len(p.bodies) == 1:
            p.handler_holds.set()
            await p.other_holds.wait()  # the other connection took row 2; it waits for row 1 next
        await conn.execute(text(LOCK), {"id": 2})
        await conn.execute(text("UPDATE retry_probe SET n = n + 1 WHERE id = 2"))
        await conn.commit()
    return {"runs": len(p.bodies)}


async def opposite_order(p: Probe) -> None:
    await p.handler_holds.wait()
    async with p.engine.connect() as conn:
        await conn.execute(text("SET deadlock_timeout = '10s'"))
        await conn.execute(text(LOCK), {"id": 2})
        p.other_holds.set()
        await conn.execute(text(LOCK), {"id": 1})  # the cycle; PostgreSQL ends the handler's transaction
        await conn.commit()
    p.other_done.set()


async def stale_once(p: Probe) -> dict[str, int]:
    """A REPEATABLE READ transaction that updates a row another committed after its snapshot (40001)."""
    async with p.engine.connect() as conn:
        await conn.execution_options(isolation_level="REPEATABLE READ")
        await conn.execute(text("SELECT n FROM retry_probe WHERE id = 1"))
        if len(p.bodies) == 1:
            p.handler_holds.set()
            await p.other_done.wait()
        await conn.execute(text("UPDATE retry_probe SET n = n + 10 WHERE id = 1"))
        await conn.commit()
    return {"runs": len(p.bodies)}


async def concurrent_update(p: Probe) -> None:
    await p.handler_holds.wait()
    async with p.engine.begin() as conn:
        await conn.execute(text("UPDATE retry_probe SET n = n + 1 WHERE id = 1"))
    p.other_done.set()


def app_for(p: Probe, work: Callable[[Probe], Awaitable[dict[str, int]]], *, retrying: bool) -> Litestar:
    @post("/work", status_code=200)
    async def unsafe(data: JSONBody[dict[str, Any]]) -> dict[str, int]:
        p.bodies.append(data)
        return await work(p)

    @get("/work")
    async def safe() -> dict[str, int]:
        p.bodies.append(None)
        return await work(p)

    return Litestar(
        [unsafe, safe],
        middleware=[retry.RetryOnce] if retrying else [],
        plugins=[ProblemDetailsPlugin(problems.problem_details_config())],
    )


async def send(app: Litestar, method: str, other: Awaitable[None]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        body = {"note": "keep me", "n": 7}
        call = client.post("/work", json=body) if method == "POST" else client.get("/work")
        response, _ = await asyncio.wait_for(asyncio.gather(call, other), timeout=30)
    return response


async def n_of(p: Probe, row: int) -> int:
    async with p.engine.connect() as conn:
        return int((await conn.execute(text("SELECT n FROM retry_probe WHERE id = :id"), {"id": row})).scalar_one())


async def test_a_request_that_lost_a_deadlock_runs_again_with_its_body(probe: Probe) -> None:
    response = await send(app_for(probe, deadlocks_once, retrying=True), "POST", opposite_order(probe))
    assert response.status_code == 200, response.text
    assert response.json() == {"runs": 2}
    assert probe.bodies == [{"note": "keep me", "n": 7}] * 2  # the body was replayed
    assert await n_of(probe, 2) == 1  # the first run's write was rolled back, the second's kept


async def test_without_the_retry_the_deadlock_answers_503(probe: Probe) -> None:
    response = await send(app_for(probe, deadlocks_once, retrying=False), "POST", opposite_order(probe))
    assert response.status_code == 503, response.text
    assert len(probe.bodies) == 1 and await n_of(probe, 2) == 0


async def test_a_serialisation_failure_runs_again(probe: Probe) -> None:
    response = await send(app_for(probe, stale_once, retrying=True), "POST", concurrent_update(probe))
    assert response.status_code == 200, response.text
    assert response.json() == {"runs": 2}
    assert await n_of(probe, 1) == 11  # the other's update and this one's, once


async def test_reads_are_not_run_again(probe: Probe) -> None:
    response = await send(app_for(probe, stale_once, retrying=True), "GET", concurrent_update(probe))
    assert response.status_code == 503, response.text
    assert probe.bodies == [None]


async def test_other_failures_are_not_run_again(probe: Probe) -> None:
    async def duplicate(p: Probe) -> dict[str, int]:
        async with p.engine.begin() as conn:
            await conn.execute(text("INSERT INTO retry_probe VALUES (1, 0)"))
        return {"runs": len(p.bodies)}

    async def nothing() -> None:
        return None

    response = await send(app_for(probe, duplicate, retrying=True), "POST", nothing())
    assert response.status_code == 409, response.text
    assert len(probe.bodies) == 1


def test_the_app_runs_every_request_through_the_retry(tmp_path: Path) -> None:
    app = create_app(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}", tmp_path))
    assert app.middleware[0] is retry.RetryOnce  # outermost: it sees the answer of everything inside
