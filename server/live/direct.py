"""Frames written straight to an idle socket, as `websockets.broadcast` does.

ASGI has no broadcast: each frame would be one `websocket.send` through the connection's
writer task and Litestar's send wrappers, which came to about a fifth of the server's CPU in a
fan-out to 1,000 subscribers (`bench.fanout`; docs/benchmarks.md). Under uvicorn's
`websockets` sans-I/O protocol (its default when `websockets` is installed, as here) the hub
instead writes frames through that protocol itself, but only while nothing is queued before
them and the transport is not paused; otherwise they are queued for the writer task, which
awaits the drain as ASGI does. The frames one round of a pump has for a socket (a replay, a
catch-up after a late wake-up) go in one `transport.write`: one syscall, one segment to wake
the client. Under any other server, or a uvicorn whose protocol does not
look as expected, there is no direct writer and every frame goes through ASGI.

A frame a network's subscribers all get is framed once (`wire`): a server's frames are not
masked, and without an extension (we negotiate none: see server/cli.py) the bytes on the wire
are the same for every socket, so each write is one `transport.write` of those bytes, without
the per-socket encoding and framing that `websockets.broadcast` repeats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.types import Receive, Scope, Send
from websockets.frames import Frame, Opcode
from websockets.protocol import State

ASGI_SEND = "commons.asgi_send"

try:
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
except ImportError:  # pragma: no cover - uvicorn is a dependency; another server may run the app
    WebSocketsSansIOProtocol = None  # type: ignore[assignment,misc]

_NEEDED = ("conn", "transport", "writable", "handshake_complete", "close_sent", "disconnected")
_NEEDED_OF_CONN = ("state", "extensions", "writes", "expect_continuation_frame", "send_text", "data_to_send")

Writer = Callable[[Sequence[str], Sequence[bytes | None]], int]

# At most this much in one direct write (asyncio's default high-water mark): a transport that
# cannot send it all is paused before more is written, and the rest waits in the send queue.
WRITE_LIMIT = 64 * 1024


def wire(frame: str) -> bytes:
    """A whole text frame as the server sends it to a socket that negotiated no extension."""
    return Frame(Opcode.TEXT, frame.encode()).serialize(mask=False, extensions=[])


class KeepsAsgiSend(Litestar):
    """Litestar, keeping each websocket's own ASGI `send` (before Litestar wraps it) in its scope."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        if scope["type"] == ScopeType.WEBSOCKET:
            scope[ASGI_SEND] = send  # type: ignore[literal-required]
        await super().__call__(scope, receive, send)


def takes_framed(ws: Any) -> bool:
    """Whether bytes from `wire` may go to this `websockets` protocol as they are: it is open,
    negotiated no extension (a compressed socket needs its own), and has nothing of its own (a
    pong, say) waiting to go first or a fragmented message under way."""
    return ws.state is State.OPEN and not (ws.extensions or ws.writes or ws.expect_continuation_frame)


def fitting(sizes: Sequence[int], limit: int = WRITE_LIMIT) -> int:
    """How many of these frames (by size, in order) one write takes: at least one, then as many as
    keep it within `limit`."""
    total = 0
    for count, size in enumerate(sizes):
        total += size
        if count and total > limit:
            return count
    return len(sizes)


def writer(scope: Scope) -> Writer | None:
    """A function that writes text frames now, in one `transport.write`, and says how many it
    wrote (or None). It is given the frames as text, and as `wire` bytes (None where the hub did
    not frame one once for many sockets). It stops at WRITE_LIMIT bytes: what is left is queued
    for the writer task, which awaits the drain, so the send queue's bound still holds."""
    protocol: Any = getattr(scope.get(ASGI_SEND), "__self__", None)
    if WebSocketsSansIOProtocol is None or not isinstance(protocol, WebSocketsSansIOProtocol):
        return None
    if not all(hasattr(protocol, name) for name in _NEEDED):
        return None
    if not all(hasattr(protocol.conn, name) for name in _NEEDED_OF_CONN):
        return None

    def write(frames: Sequence[str], framed: Sequence[bytes | None]) -> int:
        if (
            not protocol.handshake_complete
            or protocol.close_sent
            or protocol.disconnected
            or not protocol.writable.is_set()
            or protocol.transport.is_closing()
        ):
            return 0
        ws = protocol.conn
        if takes_framed(ws) and None not in framed:
            wires: Sequence[bytes] = framed  # type: ignore[assignment]
            count = 1 if len(wires) == 1 else fitting([len(w) for w in wires])
            protocol.transport.write(wires[0] if count == 1 else b"".join(wires[:count]))
            return count
        texts = [frame.encode() for frame in frames]
        count = fitting([len(t) for t in texts])
        try:
            for text in texts[:count]:  # the first raises if any would (the state cannot change in between)
                ws.send_text(text)
        except Exception:  # e.g. the peer's close frame arrived: the writer's ASGI send will say so
            return 0
        protocol.transport.write(b"".join(ws.data_to_send()))
        return count

    return write
