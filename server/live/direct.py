"""Frames written straight to an idle socket, as `websockets.broadcast` does.

ASGI has no broadcast: each frame would be one `websocket.send` through the connection's
writer task and Litestar's send wrappers, which came to about a fifth of the server's CPU in a
fan-out to 1,000 subscribers (`bench.fanout`; docs/benchmarks.md). Under uvicorn's
`websockets` sans-I/O protocol (its default when `websockets` is installed, as here) the hub
instead writes a frame through that protocol itself, but only while nothing is queued before
it and the transport is not paused; otherwise the frame is queued for the writer task, which
awaits the drain as ASGI does. Under any other server, or a uvicorn whose protocol does not
look as expected, there is no direct writer and every frame goes through ASGI.

A frame a network's subscribers all get is framed once (`wire`): a server's frames are not
masked, and without an extension (we negotiate none: see server/cli.py) the bytes on the wire
are the same for every socket, so each write is one `transport.write` of those bytes, without
the per-socket encoding and framing that `websockets.broadcast` repeats.
"""

from __future__ import annotations

from collections.abc import Callable
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

Writer = Callable[[str, bytes | None], bool]


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


def writer(scope: Scope) -> Writer | None:
    """A function that writes one text frame now (given as text, and as `wire` bytes when the hub
    framed it once for many sockets) and says whether it did, or None."""
    protocol: Any = getattr(scope.get(ASGI_SEND), "__self__", None)
    if WebSocketsSansIOProtocol is None or not isinstance(protocol, WebSocketsSansIOProtocol):
        return None
    if not all(hasattr(protocol, name) for name in _NEEDED):
        return None
    if not all(hasattr(protocol.conn, name) for name in _NEEDED_OF_CONN):
        return None

    def write(frame: str, framed: bytes | None = None) -> bool:
        if (
            not protocol.handshake_complete
            or protocol.close_sent
            or protocol.disconnected
            or not protocol.writable.is_set()
            or protocol.transport.is_closing()
        ):
            return False
        ws = protocol.conn
        if framed is not None and takes_framed(ws):
            protocol.transport.write(framed)
            return True
        try:
            ws.send_text(frame.encode())
        except Exception:  # e.g. the peer's close frame arrived: the writer's ASGI send will say so
            return False
        protocol.transport.write(b"".join(ws.data_to_send()))
        return True

    return write
