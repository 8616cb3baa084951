"""A real websocket client for the tests (the `websockets` library), collecting what it receives."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from tests.conftest import ApiClient


async def token_for(client: ApiClient) -> str:
    response = await client.post("/tokens", json={"name": "live test"})
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


class WsClient:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.received: list[dict[str, Any]] = []

    @classmethod
    async def connect(cls, base_url: str, token: str | None = None, **kw: Any) -> WsClient:
        url = base_url.replace("http://", "ws://") + "/ws"
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers |= kw.pop("additional_headers", {})
        ws = await websockets.connect(url, additional_headers=headers, open_timeout=10, **kw)
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
