"""Bad frames and greedy clients get an error or a close code; the server carries on."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from websockets.exceptions import ConnectionClosed

from events import log
from network.models import Network
from tests.conftest import LiveServer, World, make_settings
from tests.live.client import WsClient, token_for


async def test_bad_frames_get_errors_and_the_socket_stays_usable(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    ws = await WsClient.connect(world.server.url, await token_for(lead))
    try:
        await ws.send("this is not json")
        assert (await ws.next("error"))["code"] == "bad_json"
        await ws.send("[1, 2, 3]")
        assert (await ws.next("error"))["code"] == "bad_json"
        await ws.send({"type": "dance"})
        assert (await ws.next("error"))["code"] == "unknown_type"
        await ws.send({"type": "subscribe", "network": slug, "after": "yesterday"})
        assert (await ws.next("error"))["code"] == "bad_cursor"
        await ws.send({"type": "subscribe", "network": slug, "after": -1})
        assert (await ws.next("error"))["code"] == "bad_cursor"
        await ws.send({"type": "subscribe"})
        assert (await ws.next("error"))["code"] == "bad_subscribe"
        await ws.send({"type": "subscribe", "network": "x" * 500})
        assert (await ws.next("error"))["code"] == "bad_subscribe"
        assert (await ws.subscribe("no-such-network"))["code"] == "not_found"
        await ws.ws.send(b'{"type": "subscribe", "network": "' + slug.encode() + b'"}')  # a binary frame
        assert (await ws.next("subscribed"))["network"] == slug
        await world.practice(lead, slug, title="Still delivered")
        (event,) = await ws.events(1)
        assert event["data"]["post"]["title"] == "Still delivered"
    finally:
        await ws.close()


async def test_hostile_messages_get_errors_never_a_close(world: World) -> None:
    """Nesting, NUL characters and cursors beyond 64 bits once closed the socket with 4500 (a server
    fault); they are the client's mistakes, answered with an error frame on a socket that stays."""
    lead = await world.person()
    slug = await world.network(lead)
    ws = await WsClient.connect(world.server.url, await token_for(lead))
    try:
        await ws.send("[" * 30_000 + "]" * 30_000)
        assert (await ws.next("error"))["code"] == "too_deep"
        await ws.send('{"type": "subscribe", "network": ' + "[" * 1_000 + "]" * 1_000 + "}")
        assert (await ws.next("error"))["code"] == "too_deep"
        await ws.send({"type": "subscribe", "network": f"{slug}\u0000", "after": None})
        error = await ws.next("error")
        assert error["code"] == "bad_text" and "network" in error["message"]
        await ws.send({"type": "unsubscribe", "network": "\u0000"})
        assert (await ws.next("error"))["code"] == "bad_text"
        await ws.send({"type": "subscribe", "network": slug, "after": 0, "epoch": "e\u0000"})
        assert (await ws.next("error"))["code"] == "bad_text"
        await ws.send({"type": "subscribe", "network": slug, "after": 2**63})
        assert (await ws.next("error"))["code"] == "bad_cursor"
        assert (await ws.subscribe(slug))["type"] == "subscribed"
        await world.practice(lead, slug, title="Still delivered")
        (event,) = await ws.events(1)
        assert event["data"]["post"]["title"] == "Still delivered"
    finally:
        await ws.close()


async def test_a_fault_of_ours_answers_an_error_and_keeps_the_socket(world: World) -> None:
    """A handler that fails (here: a table the subscribe reads is briefly missing) tells the client and
    carries on; the socket's other streams are not lost to one failed message."""
    lead = await world.person()
    slug = await world.network(lead)
    other = await world.network(lead)
    ws = await WsClient.connect(world.server.url, await token_for(lead))
    try:
        assert (await ws.subscribe(slug))["type"] == "subscribed"
        async with world.db() as session:
            await session.execute(text("ALTER TABLE memberships RENAME TO memberships_away"))
            await session.commit()
        try:
            await ws.send({"type": "subscribe", "network": other, "after": None})
            error = await ws.next("error")
        finally:
            async with world.db() as session:
                await session.execute(text("ALTER TABLE memberships_away RENAME TO memberships"))
                await session.commit()
        assert error["code"] == "server_error"
        assert (await ws.subscribe(other))["network"] == other
        await world.practice(lead, slug, title="The first stream still flows")
        (event,) = await ws.events(1)
        assert event["network"] == slug
    finally:
        await ws.close()


async def test_a_megabyte_message_closes_with_too_big(world: World) -> None:
    member = await world.person()
    ws = await WsClient.connect(world.server.url, await token_for(member), max_size=None)
    await ws.send({"type": "subscribe", "network": "a" * (1024 * 1024)})
    assert await ws.closed_code(skip_messages=True) == 1009
    async with httpx.AsyncClient(base_url=world.server.url) as http:
        assert (await http.get("/health")).status_code == 200


async def test_a_thousand_subscribes_are_cut_off_not_served(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    ws = await WsClient.connect(world.server.url, await token_for(lead))
    for _ in range(1000):
        try:
            await ws.send({"type": "subscribe", "network": slug, "after": None})
        except ConnectionClosed:
            break
    got: list[dict[str, object]] = []
    with pytest.raises(ConnectionClosed):
        while True:
            got.append(await ws.next(timeout=10))
    assert ws.ws.close_code == 4029
    assert any(m.get("code") == "flood" for m in got)
    assert sum(m["type"] == "subscribed" for m in got) < 200  # the burst allowance, refilled while it ran
    hub = world.server.app.state.hub  # the in-process server: look inside to prove nothing leaked
    await asyncio.sleep(0.2)
    assert all(len(stream.subs) == 0 for stream in hub.networks.values())  # nothing left behind


@pytest.fixture
async def tight_server(database_url: str, tmp_path: Path) -> AsyncIterator[LiveServer]:
    """A server whose sockets may queue only 20 frames."""
    live = LiveServer(make_settings(database_url, tmp_path, live_queue_size=20, live_tick_seconds=0.3)).start()
    yield live
    live.stop()


@pytest.fixture
async def quick_heartbeat_server(database_url: str, tmp_path: Path) -> AsyncIterator[LiveServer]:
    live = LiveServer(make_settings(database_url, tmp_path, live_ping_seconds=0.4)).start()
    yield live
    live.stop()


def _small_buffer_socket(server: LiveServer) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    sock.setblocking(False)
    return sock


async def _append_events(world: World, slug: str, count: int, padding: int = 200) -> None:
    """A burst of events committed at once, as a busy network produces them."""
    async with world.db() as session:
        network_id = (await session.execute(text("SELECT id FROM networks WHERE slug = :s"), {"s": slug})).scalar_one()
        for i in range(count):
            await log.append_event(
                session,
                counter=Network.event_seq,
                network_id=network_id,
                kind="test.burst",
                payload={"n": i, "padding": "x" * padding},
                actor_id=None,
            )
        await session.commit()


async def test_an_overflowing_live_queue_closes_as_slow_consumer(world: World, tight_server: LiveServer) -> None:
    world.server = tight_server
    lead = await world.person()
    slug = await world.network(lead)
    # The client stops reading (it holds at most 2 messages, takes none, its kernel buffer is small
    # and nothing is compressed), so once the buffers on the way are full, frames queue on the
    # server and overflow it.
    ws = await WsClient.connect(
        tight_server.url,
        await token_for(lead),
        max_queue=2,
        compression=None,
        sock=_small_buffer_socket(tight_server),
    )
    subscribed = await ws.subscribe(slug)
    count = 400
    await _append_events(world, slug, count, padding=25_000)  # found by the slow tick: 10 MB
    assert await ws.closed_code(skip_messages=True) == 4008
    # The client resumes from its cursor and gets everything, at its own pace, exactly once.
    delivered = [m["seq"] for m in ws.received if m["type"] == "event"]
    cursor = delivered[-1] if delivered else subscribed["seq"]
    again = await WsClient.connect(tight_server.url, await token_for(lead))
    try:
        await again.subscribe(slug, after=cursor, epoch=subscribed["epoch"])
        rest = await again.events(subscribed["seq"] + count - cursor)
        assert delivered + [e["seq"] for e in rest] == list(range(subscribed["seq"] + 1, subscribed["seq"] + count + 1))
    finally:
        await again.close()


async def test_a_long_replay_goes_at_the_clients_pace(world: World, tight_server: LiveServer) -> None:
    world.server = tight_server
    lead = await world.person()
    slug = await world.network(lead)
    ws = await WsClient.connect(tight_server.url, await token_for(lead))
    start = await ws.subscribe(slug)
    await ws.close()
    await _append_events(world, slug, 700)  # more than one read batch, 35 queues' worth
    again = await WsClient.connect(tight_server.url, await token_for(lead))
    try:
        await again.subscribe(slug, after=start["seq"], epoch=start["epoch"])
        events = await again.events(700)
        assert [e["data"]["n"] for e in events] == list(range(700))
    finally:
        await again.close()


async def test_a_silent_peer_is_closed_by_the_heartbeat(world: World, quick_heartbeat_server: LiveServer) -> None:
    world.server = quick_heartbeat_server
    member = await world.person()
    ws = await WsClient.connect(quick_heartbeat_server.url, await token_for(member))
    pings = 0
    with pytest.raises(ConnectionClosed):
        while True:  # read without ever answering a ping
            message = await asyncio.wait_for(ws.ws.recv(), timeout=10)
            pings += '"ping"' in str(message)
    assert pings >= 1
    assert ws.ws.close_code == 4009
