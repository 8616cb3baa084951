"""Delivery across server processes, restarts and lost bus connections."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from events.bus_postgres import LISTENER_NAME
from server.watch import Watcher
from tests.conftest import PASSWORD, ApiClient, LiveServer, World, make_settings
from tests.live.client import WsClient, post_created, token_for
from tests.live.processes import Remote, ServerProcess

REDIS_URL = os.environ.get("REDIS_TEST_URL", "")
NO_TICK = {"LIVE_TICK_SECONDS": "3600"}  # only the bus can deliver: the slow tick will not run in time


def redis_url() -> str:
    if not REDIS_URL:
        pytest.skip("set REDIS_TEST_URL (CI does) to run the Redis tests")
    return REDIS_URL


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[list[ServerProcess]]:
    started: list[ServerProcess] = []
    yield started
    for process in started:
        process.stop()


async def _post_reaches_the_other_process(world: World, a: ServerProcess, b: ServerProcess) -> None:
    world.server = Remote(a.url)  # type: ignore[assignment]
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    ws = await WsClient.connect(b.url, await token_for(member))
    try:
        await ws.subscribe(slug)
        post = await world.practice(lead, slug, title="Made through process A")
        (event,) = await ws.events(1, timeout=15)
        assert event["data"]["post"]["id"] == post["id"]
        # and the other way round, for a notification
        reply = await member.post(f"/posts/{post['id']}/replies", json={"body": "Seen on B"})
        assert reply.status_code == 201
        lead_ws = await WsClient.connect(a.url, await token_for(lead))
        await lead_ws.send({"type": "subscribe", "stream": "notifications", "after": 0})
        await lead_ws.next("subscribed")
        kinds = [(await lead_ws.next("notification"))["kind"] for _ in range(2)]
        assert kinds == ["role.changed", "reply.created"]  # appointed lead, then the reply made on B
        await lead_ws.close()
    finally:
        await ws.close()


async def test_two_processes_on_postgresql_notify(
    backend: str, database_url: str, world: World, processes: list[ServerProcess], tmp_path: Path
) -> None:
    if backend != "postgres":
        pytest.skip("several processes need PostgreSQL")
    env = NO_TICK | {"BUS_BACKEND": "postgres", "SESSION_STORE": "database"}
    a = ServerProcess(database_url, tmp_path, env).start()
    b = ServerProcess(database_url, tmp_path, env).start()
    processes += [a, b]
    await _post_reaches_the_other_process(world, a, b)


async def test_two_processes_on_redis(
    backend: str, database_url: str, world: World, processes: list[ServerProcess], tmp_path: Path
) -> None:
    if backend != "postgres":
        pytest.skip("several processes need PostgreSQL")
    env = NO_TICK | {"BUS_BACKEND": "redis", "REDIS_URL": redis_url(), "SESSION_STORE": "redis"}
    a = ServerProcess(database_url, tmp_path, env).start()
    b = ServerProcess(database_url, tmp_path, env).start()
    processes += [a, b]
    await _post_reaches_the_other_process(world, a, b)


async def test_a_hundred_posts_around_a_crash_arrive_once_in_order(
    database_url: str, world: World, server: LiveServer, processes: list[ServerProcess], tmp_path: Path
) -> None:
    """The watcher (`commons watch`'s client) follows a server that is killed and started again."""
    env = {"LIVE_TICK_SECONDS": "0.5"}  # the in-process server's posts reach the process by the slow tick
    process = ServerProcess(database_url, tmp_path, env).start()
    processes.append(process)
    world.server = Remote(process.url)  # type: ignore[assignment]
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)

    got: list[dict[str, Any]] = []
    watcher = Watcher(
        url=process.url.replace("http", "ws") + "/ws",
        token=await token_for(member),
        networks=[slug],
        on_message=got.append,
        max_backoff=0.3,
    )
    stop = asyncio.Event()
    watching = asyncio.create_task(watcher.run(stop=stop))

    def titles() -> list[str]:
        return [m["data"]["post"]["title"] for m in got if m["type"] == "event" and m["kind"] == "post.created"]

    async def wait_for(count: int) -> None:
        async with asyncio.timeout(30):
            while len(titles()) < count:
                await asyncio.sleep(0.05)

    try:
        async with asyncio.timeout(10):
            while not any(m["type"] == "subscribed" for m in got):
                await asyncio.sleep(0.05)
        for i in range(40):
            await world.practice(lead, slug, title=f"post {i:03}")
        process.kill()
        # While it is down, another server (the test's own, on the same database) takes the posts.
        elsewhere = ApiClient(server.url)
        world.clients.append(elsewhere)
        signed_in = await elsewhere.post("/auth/login", json={"email": lead.person["email"], "password": PASSWORD})
        assert signed_in.status_code == 200
        for i in range(40, 60):
            await world.practice(elsewhere, slug, title=f"post {i:03}")
        process.start()  # same port, same database; the lead's session cookie still holds
        for i in range(60, 100):
            await world.practice(lead, slug, title=f"post {i:03}")
        await wait_for(100)
    finally:
        stop.set()
        await watching
    assert titles() == [f"post {i:03}" for i in range(100)]
    seqs = [m["seq"] for m in got if m["type"] == "event"]
    assert seqs == sorted(set(seqs))
    assert watcher.connects >= 2


@pytest.fixture
async def pg_bus_server(backend: str, database_url: str, tmp_path: Path) -> AsyncIterator[LiveServer]:
    if backend != "postgres":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    live = LiveServer(make_settings(database_url, tmp_path, bus="postgres", live_tick_seconds=3600)).start()
    yield live
    live.stop()


async def test_listener_killed_by_the_database_reconnects_and_catches_up(
    backend: str, world: World, pg_bus_server: LiveServer
) -> None:
    if backend != "postgres":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    world.server = pg_bus_server
    lead = await world.person()
    slug = await world.network(lead)
    ws = await WsClient.connect(pg_bus_server.url, await token_for(lead))
    try:
        await ws.subscribe(slug)
        await world.practice(lead, slug, title="Before the kill")
        assert (await ws.events(1))[0]["data"]["post"]["title"] == "Before the kill"
        async with world.db() as session:
            killed = await session.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"),
                {"name": LISTENER_NAME},
            )
            assert killed.scalars().all(), "no listener connection found"
        # Made while the listener is gone: its wake-up is lost, the catch-up after reconnecting is not.
        await world.practice(lead, slug, title="During the outage")
        await world.practice(lead, slug, title="After")
        titles = [e["data"]["post"]["title"] for e in await ws.events(2, timeout=20)]
        assert titles == ["During the outage", "After"]
        marker = await world.practice(lead, slug, title="Marker")
        await ws.next_is(post_created(marker["id"]))  # nothing twice: the next post is the next message
    finally:
        await ws.close()


async def test_redis_subscription_killed_reconnects_and_catches_up(
    backend: str, database_url: str, world: World, tmp_path: Path
) -> None:
    url = redis_url()
    from redis.asyncio import Redis

    live = LiveServer(make_settings(database_url, tmp_path, bus="redis", redis_url=url, live_tick_seconds=3600))
    live.start()
    try:
        world.server = live
        lead = await world.person()
        slug = await world.network(lead)
        ws = await WsClient.connect(live.url, await token_for(lead))
        await ws.subscribe(slug)
        await world.practice(lead, slug, title="Before")
        await ws.events(1)
        client = Redis.from_url(url)
        await client.execute_command("CLIENT", "KILL", "TYPE", "pubsub")
        await client.aclose()
        await world.practice(lead, slug, title="During")
        titles = [e["data"]["post"]["title"] for e in await ws.events(1, timeout=20)]
        assert titles == ["During"]
        await ws.close()
    finally:
        live.stop()


async def test_commons_watch_prints_live_events(world: World, tmp_path: Path) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    token = await token_for(lead)
    watch = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "server.cli", "watch", "--url", world.server.url.replace("http", "ws") + "/ws"),
        *("--token", token, "--network", slug),
        stdout=asyncio.subprocess.PIPE,
        env=os.environ | {"COMMONS_VAR_DIR": str(tmp_path)},
    )
    assert watch.stdout is not None
    try:
        async with asyncio.timeout(20):
            first = json.loads(await watch.stdout.readline())
            assert first["type"] == "subscribed"
            post = await world.practice(lead, slug, title="Printed by the watcher")
            line = json.loads(await watch.stdout.readline())
        assert line["type"] == "event"
        assert line["data"]["post"]["id"] == post["id"]
    finally:
        watch.terminate()
        await watch.wait()


def test_commons_watch_refuses_a_bad_token(world: World, server: LiveServer) -> None:
    url = server.url.replace("http", "ws") + "/ws"
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "watch", "--url", url, "--token", "ic_nonsense", "--network", "x"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0
    assert "4001" in result.stderr
