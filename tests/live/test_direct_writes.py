"""Frames written straight to idle sockets under uvicorn's sans-I/O protocol, through ASGI elsewhere;
a frame for many sockets framed once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
from websockets.server import ServerProtocol

from server.live import direct
from server.live.connection import Connection
from tests.conftest import LiveServer, World, make_settings
from tests.live.client import WsClient, frame, post_created, token_for


@pytest.fixture
async def wsproto_server(database_url: str, tmp_path: Path) -> AsyncIterator[LiveServer]:
    """The same app under uvicorn's other websocket protocol, which the direct writer does not know."""
    live = LiveServer(make_settings(database_url, tmp_path), ws="wsproto").start()
    yield live
    live.stop()


def _connection_of(server: LiveServer, person_id: int) -> Connection:
    """The person's newest socket on the server. The session's server outlives each test, and a person
    id comes round again once the tables are emptied, so an earlier test's socket, still closing, may
    carry the same id: the hub keeps its connections in the order they came."""
    found = [c for c in server.app.state.hub.connections.values() if c.person_id == person_id]
    assert found, f"no socket of person {person_id}"
    return found[-1]


Written = list[tuple[str, bytes | None]]


def _counting(write: direct.Writer, written: Written, calls: list[int] | None = None) -> direct.Writer:
    """The writer, recording each frame it wrote (and, in `calls`, how many frames each write held)."""

    def counted(frames: Sequence[str], framed: Sequence[bytes | None]) -> int:
        done = write(frames, framed)
        if done:
            written.extend(zip(frames[:done], framed[:done], strict=True))
            if calls is not None:
                calls.append(done)
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
        written: Written = []
        conn.direct = _counting(conn.direct, written)
        posts = [(await world.practice(lead, slug, title=f"Direct {i}"))["id"] for i in range(5)]
        events = await ws.events(5)
        assert [e["seq"] for e in events] == list(range(subscribed["seq"] + 1, subscribed["seq"] + 6))
        assert [e["data"]["post"]["id"] for e in events] == posts
        written_events = [json.loads(f)["seq"] for f, _ in written if json.loads(f)["type"] == "event"]
        assert written_events == [e["seq"] for e in events]  # every event went the direct way
        marker = await world.practice(lead, slug, title="Marker")
        await ws.next_is(post_created(marker["id"]))  # nothing twice: the next post is the next message
    finally:
        await ws.close()


async def test_the_events_a_socket_missed_go_out_in_one_write(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    ws = await WsClient.connect(world.server.url, await token_for(member))
    try:
        before = (await ws.subscribe(slug))["seq"]
        await ws.send({"type": "unsubscribe", "network": slug})
        await ws.next("unsubscribed")
        posts = [(await world.practice(lead, slug, title=f"Missed {i}"))["id"] for i in range(4)]
        conn = _connection_of(world.server, (await member.get("/me")).json()["id"])
        assert conn.direct is not None
        written: Written = []
        calls: list[int] = []
        conn.direct = _counting(conn.direct, written, calls)
        await ws.subscribe(slug, after=before)
        events = await ws.events(4)
        assert [e["seq"] for e in events] == list(range(before + 1, before + 5))
        assert [e["data"]["post"]["id"] for e in events] == posts
        end = await ws.next_is(frame("caught_up"))
        assert end == {"type": "caught_up", "network": slug, "seq": events[-1]["seq"]}
        # the four events and the replay's end went the direct way together, as one write (however the
        # `subscribed` before them went) ...
        assert [json.loads(f) for f, _ in written[-calls[-1] :]] == [*events, end]
        # ... and so reached the client in one read: one wake-up, not one per frame (the writer's record
        # above is what shows it: a client reading late would merge separate writes too)
        (together,) = [read for read in ws.reads if b"Missed 0" in read]
        assert all(f"Missed {i}".encode() in together for i in range(4)) and b'"caught_up"' in together
        marker = await world.practice(lead, slug, title="Marker")
        await ws.next_is(post_created(marker["id"]))  # the replay was all: the next post comes next
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


async def test_a_frame_for_many_sockets_is_framed_once_and_arrives_whole(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    members = [await world.member(slug) for _ in range(3)]
    sockets = [await WsClient.connect(world.server.url, await token_for(m)) for m in members]
    try:
        for ws in sockets:
            # the client offers permessage-deflate (the library's default); the server takes no extension
            assert ws.ws.protocol.extensions == []
        subscribed = [await ws.subscribe(slug) for ws in sockets]
        written: list[Written] = []
        for member in members:
            conn = _connection_of(world.server, (await member.get("/me")).json()["id"])
            assert conn.direct is not None
            written.append([])
            conn.direct = _counting(conn.direct, written[-1])
        post = await world.practice(lead, slug, title="Framed once, " + "é" * 100)  # > 125 bytes: a longer header
        for ws, sub in zip(sockets, subscribed, strict=True):
            (event,) = await ws.events(1)
            assert event["seq"] == sub["seq"] + 1 and event["data"]["post"]["title"] == post["title"]
        events = [[(f, b) for f, b in mine if json.loads(f)["type"] == "event"] for mine in written]
        assert all(len(mine) == 1 for mine in events)
        (frame, framed), *others = [mine[0] for mine in events]
        assert framed is not None and all(other[1] is framed for other in others)  # the same bytes object
        payload = frame.encode()
        # RFC 6455 5.2: FIN + text opcode, no mask bit, a 16-bit length, then the UTF-8 text as it is
        assert 125 < len(payload) < 65536
        assert framed == bytes([0x81, 126]) + len(payload).to_bytes(2, "big") + payload
    finally:
        for ws in sockets:
            await ws.close()


def _open_protocol(offer: str | None) -> ServerProtocol:
    """A `websockets` server protocol after a real handshake, offered this extension header."""
    protocol = ServerProtocol(extensions=[ServerPerMessageDeflateFactory()])
    lines = [
        "GET /ws HTTP/1.1",
        "Host: localhost",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        *([f"Sec-WebSocket-Extensions: {offer}"] if offer else []),
    ]
    protocol.receive_data(("\r\n".join(lines) + "\r\n\r\n").encode())
    (request,) = protocol.events_received()
    protocol.send_response(protocol.accept(request))  # type: ignore[arg-type]
    protocol.data_to_send()
    return protocol


def test_framed_bytes_go_only_to_an_open_socket_without_extensions_or_anything_waiting() -> None:
    plain = _open_protocol(None)
    assert direct.takes_framed(plain)

    compressed = _open_protocol("permessage-deflate; client_max_window_bits")
    assert compressed.extensions and not direct.takes_framed(compressed)

    waiting = _open_protocol(None)
    waiting.send_pong(b"")  # queued by the protocol, not yet written
    assert not direct.takes_framed(waiting)
    waiting.data_to_send()
    assert direct.takes_framed(waiting)

    fragmented = _open_protocol(None)
    fragmented.send_text(b"part", fin=False)
    fragmented.data_to_send()
    assert not direct.takes_framed(fragmented)

    closing = _open_protocol(None)
    closing.send_close()
    closing.data_to_send()
    assert not direct.takes_framed(closing)


def test_wire_is_a_whole_unmasked_text_frame() -> None:
    for text in ("", "x" * 125, "é" * 100, "y" * 70_000):
        payload = text.encode()
        framed = direct.wire(text)
        assert framed[0] == 0x81  # FIN, text
        if len(payload) < 126:
            header = bytes([0x81, len(payload)])
        elif len(payload) < 65536:
            header = bytes([0x81, 126]) + len(payload).to_bytes(2, "big")
        else:
            header = bytes([0x81, 127]) + len(payload).to_bytes(8, "big")
        assert framed == header + payload


def test_one_write_takes_frames_up_to_the_limit_and_always_at_least_one() -> None:
    assert direct.fitting([10, 20, 30], limit=60) == 3
    assert direct.fitting([10, 20, 30], limit=59) == 2
    assert direct.fitting([10, 20, 30], limit=30) == 2
    assert direct.fitting([10, 20, 30], limit=29) == 1
    assert direct.fitting([100, 1], limit=50) == 1  # a frame over the limit still goes, alone
    assert direct.fitting([]) == 0
    assert direct.fitting([direct.WRITE_LIMIT // 2] * 3) == 2
