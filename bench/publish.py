"""Publishers: posts through our API, or `publish` messages to a baseline server.

`steady` is open-loop: the i-th publish starts at t0 + i/rate whether or not earlier ones have
finished (a closed loop would slow down with the server and hide its latency). `burst` sends
`count` as fast as the server takes them (at most `concurrency` API requests in flight).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

import httpx

from bench.wsclient import WsClientProtocol, connect

BODY = (
    "We moved our Year 7 reading intervention from withdrawal groups to a whole-class model with "
    "short, daily fluency practice, and trained every form tutor to run it. Attendance at sessions "
    "rose and the reading-age gap closed by about four months over two terms. "
) * 3


@dataclass
class Published:
    sent: list[float] = field(default_factory=list)  # when each publish started (epoch seconds)
    took: list[float] = field(default_factory=list)  # API round trip (seconds); empty for baselines
    failures: int = 0

    @property
    def first(self) -> float:
        return min(self.sent) if self.sent else 0.0


class ApiPublisher:
    """Creates practices in our network through `POST /api/v1/networks/{slug}/posts` with a token."""

    def __init__(self, base_url: str, token: str, slug: str) -> None:
        self.slug = slug
        self.client = httpx.AsyncClient(
            base_url=base_url + "/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=64),
        )
        self.n = 0

    async def close(self) -> None:
        await self.client.aclose()

    async def _one(self, out: Published) -> None:
        self.n += 1
        body = {"kind": "practice", "title": f"Bench practice {self.n}", "body": BODY, "themes": ["reading"]}
        started = time.time()
        out.sent.append(started)
        try:
            response = await self.client.post(f"/networks/{self.slug}/posts", json=body)
            ok = response.status_code == 201
        except httpx.HTTPError:
            ok = False
        out.took.append(time.time() - started)
        if not ok:
            out.failures += 1

    async def steady(self, rate: float, count: int) -> Published:
        out = Published()
        t0 = time.monotonic()
        tasks = []
        for i in range(count):
            delay = t0 + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self._one(out)))
        await asyncio.gather(*tasks)
        return out

    async def burst(self, count: int, concurrency: int = 8) -> Published:
        out = Published()
        sem = asyncio.Semaphore(concurrency)

        async def go() -> None:
            async with sem:
                await self._one(out)

        await asyncio.gather(*(go() for _ in range(count)))
        return out


class WsPublisher:
    """Sends `publish` to a baseline server, which broadcasts a frame of `frame_bytes`."""

    def __init__(self, mode: str, port: int, frame_bytes: int) -> None:
        self.mode, self.port, self.frame_bytes = mode, port, frame_bytes
        self.proto: WsClientProtocol | None = None

    async def open(self) -> WsPublisher:
        path = "/socket.io/?EIO=4&transport=websocket" if self.mode == "sio" else "/ws"
        joined = asyncio.get_running_loop().create_future()

        def on_text(proto: WsClientProtocol, text: str) -> None:
            if text == "2":
                proto.send_text("3")
            elif text.startswith("0"):
                proto.send_text("40")
            elif text.startswith("40") and not joined.done():
                joined.set_result(None)

        self.proto = await connect("127.0.0.1", self.port, path, {}, on_text)
        if self.mode == "sio":
            await asyncio.wait_for(joined, 10)
        return self

    async def close(self) -> None:
        if self.proto:
            self.proto.close()

    def _one(self, out: Published) -> None:
        assert self.proto is not None
        out.sent.append(time.time())
        if self.mode == "sio":
            self.proto.send_text("42" + json.dumps(["publish", {"bytes": self.frame_bytes}]))
        else:
            self.proto.send_text(json.dumps({"type": "publish", "bytes": self.frame_bytes}))

    async def steady(self, rate: float, count: int) -> Published:
        out = Published()
        t0 = time.monotonic()
        for i in range(count):
            delay = t0 + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._one(out)
        return out

    async def burst(self, count: int, concurrency: int = 8) -> Published:
        out = Published()
        for _ in range(count):
            self._one(out)
        await asyncio.sleep(0)
        return out
