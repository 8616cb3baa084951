"""Frames written straight to idle sockets under uvicorn's sans-I/O protocol, through ASGI elsewhere."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from server.live.connection import Connection
from tests.conftest import LiveServer, World, make_settings
from tests.live.client import WsClient, token_for


@pytest.fixture
async def wsproto_server(database_url: str, tmp_path: Path) -> AsyncIterator[LiveServer]:
    """The same app under uvicorn's other websocket protocol, which the direct writer does not know."""
    live = LiveServer(make_settings(database_url, tmp_path), ws="wsproto").start()
    yield live
    live.stop()


def _connection_of(server: LiveServer, person_id: int) -> Connection:
    (conn,) = [c for c in server.app.state.hub.connections.values() if c.person_id == person_id]
    return conn


def _counting(write: Callable[[str], bool], written: list[str]) -> Callable[[str], bool]:
    def counted(frame: str) -> bool:
        done = write(frame)
        if done:
            written.append(frame)
        return done

    return counted


async def test_live_frames_go_straight_to_an_idle_socket_in_order(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    ws = await WsClient.connect(world.server.url, await token_for(member))
    try:
        subscribed = await ws.subscribe(slug)
        me = (await member.get("/me")).json()
        conn = _connection_of(world.server, me["id"])
        assert conn.direct is not None
        written: list[str] = []
        conn.direct = _counting(conn.direct, written)
        posts = [(await world.practice(lead, slug, title=f"Direct {i}"))["id"] for i in range(5)]
        events = await ws.events(5)
        assert [e["seq"] for e in events] == list(range(subscribed["seq"] + 1, subscribed["seq"] + 6))
        assert [e["data"]["post"]["id"] for e in events] == posts
        written_events = [json.loads(f)["seq"] for f in written if json.loads(f)["type"] == "event"]
        assert written_events == [e["seq"] for e in events]  # every event went the direct way
        assert await ws.quiet(0.3) == []  # nothing twice
    finally:
        await ws.close()


async def test_other_servers_get_every_frame_through_asgi(world: World, wsproto_server: LiveServer) -> None:
    world.server = wsproto_server
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    ws = await WsClient.connect(wsproto_server.url, await token_for(member))
    try:
        subscribed = await ws.subscribe(slug)
        me = (await member.get("/me")).json()
        assert _connection_of(wsproto_server, me["id"]).direct is None
        post = await world.practice(lead, slug, title="Through ASGI")
        (event,) = await ws.events(1)
        assert event["seq"] == subscribed["seq"] + 1
        assert event["data"]["post"]["id"] == post["id"]
    finally:
        await ws.close()
