"""A real websocket client for the tests (the `websockets` library), collecting what it receives."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
import websockets
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from tests.conftest import ApiClient

Marker = Callable[[dict[str, Any]], bool]


def frame(type_: str, **fields: Any) -> Marker:
    """A marker: a message of this type whose top-level fields hold these values."""
    return lambda m: m["type"] == type_ and all(m.get(k) == v for k, v in fields.items())


def post_created(post_id: int) -> Marker:
    """A marker: the `post.created` event of this post."""
    return lambda m: m["type"] == "event" and m["kind"] == "post.created" and m["data"]["post"]["id"] == post_id


def notification(kind: str) -> Marker:
    """A marker: a notification of this kind."""
    return lambda m: m["type"] == "notification" and m["kind"] == kind


async def token_for(client: ApiClient) -> str:
    response = await client.post("/tokens", json={"name": "live test"})
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


class ReadsKept(ClientConnection):
    """The library's client connection, keeping what each read from the socket brought (`reads`):
    frames written together by the server arrive in one read and wake the client once."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.reads: list[bytes] = []

    def data_received(self, data: bytes) -> None:
        self.reads.append(data)
        super().data_received(data)


class WsClient:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.received: list[dict[str, Any]] = []

    @property
    def reads(self) -> list[bytes]:
        """What each read from the socket brought (for a connection made by `connect`)."""
        assert isinstance(self.ws, ReadsKept)
        return self.ws.reads

    @classmethod
    async def connect(cls, base_url: str, token: str | None = None, **kw: Any) -> WsClient:
        url = base_url.replace("http://", "ws://") + "/ws"
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers |= kw.pop("additional_headers", {})
        ws = await websockets.connect(
            url, additional_headers=headers, open_timeout=10, create_connection=ReadsKept, **kw
        )
        return cls(ws)

    async def send(self, message: dict[str, Any] | str) -> None:
        await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    async def subscribe(self, network: str, after: int | None = None, **extra: Any) -> dict[str, Any]:
        await self.send({"type": "subscribe", "network": network, "after": after, **extra})
        return await self.next("subscribed", "error")

    async def next(self, *types: str, timeout: float = 10) -> dict[str, Any]:
        """The next message of one of these types (pings are answered and skipped)."""
        async with asyncio.timeout(timeout):
            while True:
                message = json.loads(await self.ws.recv())
                if message["type"] == "ping":
                    await self.send({"type": "pong"})
                    continue
                self.received.append(message)
                if not types or message["type"] in types:
                    return dict(message)

    async def events(self, count: int, timeout: float = 15) -> list[dict[str, Any]]:
        out = []
        while len(out) < count:
            out.append(await self.next("event", timeout=timeout))
        return out

    async def until(self, marker: Marker, timeout: float = 10) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Everything (but pings) that arrives before the first message `marker` accepts, and that message,
        which must arrive. To show something was NOT sent, cause a marker the server must send after it
        (a later event of the same stream, the answer to a later message): whatever the server handed
        this socket before the marker arrives before it, however slowly, so no waiting window decides."""
        earlier: list[dict[str, Any]] = []
        while not marker(message := await self.next(timeout=timeout)):
            earlier.append(message)
        return earlier, message

    async def next_is(self, marker: Marker, timeout: float = 10) -> dict[str, Any]:
        """The marker, which must be the very next message (but pings): nothing else came before it."""
        earlier, message = await self.until(marker, timeout)
        assert earlier == [], f"expected nothing before {message}, got {earlier}"
        return message

    async def quiet(self, seconds: float = 0.5) -> list[dict[str, Any]]:
        """Everything (but pings) that arrives within `seconds`."""
        got: list[dict[str, Any]] = []
        try:
            while True:
                got.append(await self.next(timeout=seconds))
        except TimeoutError:
            return got

    async def closed_code(self, timeout: float = 10, *, skip_messages: bool = False) -> int | None:
        """The close code the server ends with; unless `skip_messages`, nothing else may arrive first."""
        with pytest.raises(ConnectionClosed):
            while True:
                message = await self.next(timeout=timeout)
                assert skip_messages, f"expected the socket to close, got {message}"
        return self.ws.close_code

    async def close(self) -> None:
        await self.ws.close()
