"""Frames written straight to an idle socket, as `websockets.broadcast` does.

ASGI has no broadcast: each frame would be one `websocket.send` through the connection's
writer task and Litestar's send wrappers, which came to about a fifth of the server's CPU in a
fan-out to 1,000 subscribers (`bench.fanout`; docs/benchmarks.md). Under uvicorn's
`websockets` sans-I/O protocol (which `commons serve` chooses, as the tests' servers do:
server/cli.py `WEBSOCKET_PROTOCOL`) the hub instead writes frames through that protocol
itself, but only while nothing is queued before them and the transport is not paused;
otherwise they are queued for the writer task, which awaits the drain as ASGI does. The frames
one round of a pump has for a socket (a replay, a catch-up after a late wake-up) go in one
`transport.write`: one syscall, one segment to wake the client. Under any other server (or
uvicorn's `wsproto` protocol) there is no direct writer and every frame goes through ASGI.

This reaches into uvicorn's protocol object and the `websockets` connection it holds: private
state, so pyproject.toml pins both to the minor releases it is tested with, and `missing` checks
what it uses on every socket. If any of it is gone or changed, the app logs one error (on its
first socket) naming both versions, and every frame goes through ASGI; it does not raise:
frames through ASGI are correct, only dearer (about a fifth of the CPU in a fan-out), and a
library upgrade should not close every live socket of a server that otherwise works. The first
socket also logs, at INFO, which way live frames go (`KeepsAsgiSend`).

A frame a network's subscribers all get is framed once (`wire`): a server's frames are not
masked, and without an extension (we negotiate none: see server/cli.py) the bytes on the wire
are the same for every socket, so each write is one `transport.write` of those bytes, without
the per-socket encoding and framing that `websockets.broadcast` repeats.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.types import Receive, Scope, Send
from websockets.frames import Frame, Opcode
from websockets.protocol import State

ASGI_SEND = "commons.asgi_send"

log = logging.getLogger("commons.live")

try:
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
except ImportError:  # pragma: no cover - uvicorn is a dependency; another server may run the app
    WebSocketsSansIOProtocol = None  # type: ignore[assignment,misc]


def _has(*methods: str) -> Callable[[Any], bool]:
    return lambda value: all(callable(getattr(value, name, None)) for name in methods)


def _is(kind: type) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, kind)


# What `writer` and `takes_framed` use, by name, with the shape each must have: of uvicorn's
# protocol object, and of the `websockets` ServerProtocol it holds as `conn`.
_NEEDED: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "handshake_complete": ("a bool", _is(bool)),
    "close_sent": ("a bool", _is(bool)),
    "disconnected": ("a bool", _is(bool)),
    "writable": ("an asyncio.Event, set while the transport takes writes", _has("is_set")),
    "transport": ("an asyncio transport", _has("write", "is_closing")),
}
_NEEDED_OF_CONN: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "state": ("a websockets.protocol.State", _is(State)),
    "extensions": ("a list", _is(list)),
    "writes": ("a list of bytes not yet handed out", _is(list)),
    "expect_continuation_frame": ("a bool", _is(bool)),
    "send_text": ("a method", callable),
    "data_to_send": ("a method", callable),
}

Writer = Callable[[Sequence[str], Sequence[bytes | None]], int]

# At most this much in one direct write (asyncio's default high-water mark): a transport that
# cannot send it all is paused before more is written, and the rest waits in the send queue.
WRITE_LIMIT = 64 * 1024


def wire(frame: str) -> bytes:
    """A whole text frame as the server sends it to a socket that negotiated no extension."""
    return Frame(Opcode.TEXT, frame.encode()).serialize(mask=False, extensions=[])


class KeepsAsgiSend(Litestar):
    """Litestar, keeping each websocket's own ASGI `send` (before Litestar wraps it) in its scope.

    Its first websocket logs which way live frames go (and, if uvicorn's protocol is not what the
    direct writer expects, an error). That is logged here and not in the lifespan: the app learns
    which websocket implementation serves it only from a socket's `send` (ASGI's lifespan scope
    does not say, and `uvicorn server.asgi:app --ws wsproto` or another ASGI server runs the same
    app), so a line written before the first socket could say only what was meant to run.
    """

    delivery_logged = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        if scope["type"] == ScopeType.WEBSOCKET:
            scope[ASGI_SEND] = send  # type: ignore[literal-required]
            if not self.delivery_logged:
                self.log_delivery(send)
        await super().__call__(scope, receive, send)

    def log_delivery(self, send: Send) -> None:
        """Once per app: which way live frames go, after an error if uvicorn's protocol is not as expected."""
        if self.delivery_logged:
            return
        self.delivery_logged = True
        line, gone = delivery(send)
        if gone:
            log.error(mismatch(gone))
        log.info("live delivery: %s", line)


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


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - both are dependencies
        return "(not installed)"


def versions() -> str:
    return f"uvicorn {_version('uvicorn')}, websockets {_version('websockets')}"


def missing(protocol: Any) -> list[str]:
    """What the direct writer uses of this uvicorn protocol object (and of the `websockets` connection
    it holds as `conn`) that is not there or not of the expected shape, each with the shape expected;
    empty when everything is as this module expects."""
    gone = [
        f"{name} ({shape})"
        for name, (shape, fits) in _NEEDED.items()
        if not hasattr(protocol, name) or not fits(getattr(protocol, name))
    ]
    if not hasattr(protocol, "conn"):
        return [*gone, "conn (a websockets.server.ServerProtocol)"]
    return gone + [
        f"conn.{name} ({shape})"
        for name, (shape, fits) in _NEEDED_OF_CONN.items()
        if not hasattr(protocol.conn, name) or not fits(getattr(protocol.conn, name))
    ]


def mismatch(gone: Sequence[str]) -> str:
    """The error logged when uvicorn's protocol is not what the direct writer expects."""
    return (
        f"Live frames cannot be written directly with {versions()}: uvicorn's websockets-sansio protocol "
        f"lacks or has changed {'; '.join(gone)}. Every live frame goes through ASGI send instead (correct, "
        "but dearer under fan-out). server/live/direct.py is tested with the versions pinned in "
        "pyproject.toml: install those, or update it for these."
    )


def delivery(send: Any) -> tuple[str, list[str]]:
    """How live frames reach a socket whose ASGI `send` this is, in words for the log, and what of
    uvicorn's protocol the direct writer misses (empty unless the protocol is uvicorn's sans-I/O one
    and is not as expected)."""
    protocol = getattr(send, "__self__", None)
    if WebSocketsSansIOProtocol is None:  # pragma: no cover - uvicorn without its sans-I/O protocol
        return f"every frame through ASGI send (uvicorn {_version('uvicorn')} has no websockets-sansio protocol)", []
    if not isinstance(protocol, WebSocketsSansIOProtocol):
        served_by = f"{type(protocol).__module__}.{type(protocol).__qualname__}" if protocol is not None else "unknown"
        return f"every frame through ASGI send (the websocket protocol is {served_by}, not uvicorn's sans-I/O one)", []
    gone = missing(protocol)
    if gone:
        return "every frame through ASGI send (uvicorn's sans-I/O protocol is not as expected: see the error)", gone
    return (
        f"direct writes through uvicorn's websockets-sansio protocol ({versions()}); "
        "through ASGI send while a socket's writer is busy",
        [],
    )


def writer(scope: Scope) -> Writer | None:
    """A function that writes text frames now, in one `transport.write`, and says how many it
    wrote (or None). It is given the frames as text, and as `wire` bytes (None where the hub did
    not frame one once for many sockets). It stops at WRITE_LIMIT bytes: what is left is queued
    for the writer task, which awaits the drain, so the send queue's bound still holds."""
    protocol: Any = getattr(scope.get(ASGI_SEND), "__self__", None)
    if WebSocketsSansIOProtocol is None or not isinstance(protocol, WebSocketsSansIOProtocol):
        return None
    if missing(protocol):  # logged once, by KeepsAsgiSend, on the app's first socket
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
