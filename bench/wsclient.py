"""A lean websocket client (RFC 6455, no extensions) on an asyncio Protocol.

The load generator holds thousands of sockets per process on a 2-core machine, so the client
must cost as little as possible per frame: no compression is offered, frames are parsed from
one buffer, and text frames go straight to a callback. The same client talks to our server,
the bare `websockets` server and python-socketio (whose Engine.IO packets are text frames).
"""

from __future__ import annotations

import asyncio
import base64
import os
import struct
from collections.abc import Callable

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def _mask(data: bytes) -> bytes:
    key = os.urandom(4)
    n = len(data)
    if n == 0:
        return key
    stream = (key * (n // 4 + 1))[:n]
    masked = (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(n, "big")
    return key + masked


def frame(opcode: int, payload: bytes) -> bytes:
    """A masked client frame."""
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    return head + _mask(payload)


class WsClientProtocol(asyncio.Protocol):
    def __init__(
        self,
        host: str,
        path: str,
        headers: dict[str, str],
        on_text: Callable[[WsClientProtocol, str], None],
    ) -> None:
        self.host, self.path, self.headers = host, path, headers
        self.on_text = on_text
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.upgraded = False
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.fragments: list[bytes] = []
        self.close_code = 0
        self.state: object = None  # whatever the caller keeps per connection

    # -- asyncio.Protocol ---------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {self.path} HTTP/1.1",
            f"Host: {self.host}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            *(f"{k}: {v}" for k, v in self.headers.items()),
        ]
        transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(self.buffer[: self.buffer.find(b"\r\n")])
            del self.buffer[: end + 4]
            if b" 101 " not in status + b" ":
                if not self.opened.done():
                    self.opened.set_exception(ConnectionError(status.decode("latin-1")))
                self._abort()
                return
            self.upgraded = True
            if not self.opened.done():
                self.opened.set_result(None)
        self._frames()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionError("closed during the handshake"))
        if not self.closed.done():
            self.closed.set_result(self.close_code or 1006)

    # -- frames -------------------------------------------------------------------------------

    def _frames(self) -> None:
        buf = self.buffer
        pos = 0
        size = len(buf)
        while size - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            n = b1 & 0x7F
            head = 2
            if n == 126:
                if size - pos < 4:
                    break
                n = (buf[pos + 2] << 8) | buf[pos + 3]
                head = 4
            elif n == 127:
                if size - pos < 10:
                    break
                n = int.from_bytes(buf[pos + 2 : pos + 10], "big")
                head = 10
            if b1 & 0x80:  # servers do not mask; tolerate it anyway
                head += 4
            if size - pos < head + n:
                break
            payload = bytes(buf[pos + head : pos + head + n])
            if b1 & 0x80:
                key = buf[pos + head - 4 : pos + head]
                payload = bytes(c ^ key[i % 4] for i, c in enumerate(payload))
            pos += head + n
            self._frame(b0 & 0x80, b0 & 0x0F, payload)
        if pos:
            del buf[:pos]

    def _frame(self, fin: int, opcode: int, payload: bytes) -> None:
        if opcode in (OP_TEXT, OP_BINARY, OP_CONT):
            if not fin:
                self.fragments.append(payload)
                return
            if self.fragments:
                payload = b"".join([*self.fragments, payload])
                self.fragments = []
            self.on_text(self, payload.decode())
        elif opcode == OP_PING:
            self._write(frame(OP_PONG, payload))
        elif opcode == OP_CLOSE:
            self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            self._write(frame(OP_CLOSE, payload[:2]))
            self._abort()

    # -- sending ------------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def send_text(self, text: str) -> None:
        self._write(frame(OP_TEXT, text.encode()))

    def close(self, code: int = 1000) -> None:
        self._write(frame(OP_CLOSE, struct.pack("!H", code)))
        self._abort()

    def _abort(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def connect(
    host: str,
    port: int,
    path: str,
    headers: dict[str, str],
    on_text: Callable[[WsClientProtocol, str], None],
    *,
    local_ip: str | None = None,
    timeout: float = 30,
) -> WsClientProtocol:
    loop = asyncio.get_running_loop()
    _, proto = await asyncio.wait_for(
        loop.create_connection(
            lambda: WsClientProtocol(f"{host}:{port}", path, headers, on_text),
            host,
            port,
            local_addr=(local_ip, 0) if local_ip else None,
        ),
        timeout,
    )
    await asyncio.wait_for(proto.opened, timeout)
    return proto
