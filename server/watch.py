"""`commons watch`: print a network's live events (and your notifications) as JSON lines.

A small client on the `websockets` library for operators. It keeps a cursor and the epoch
per stream and, when the connection drops, reconnects with backoff and resumes from them,
so it prints every event once and in order across disconnects and server restarts.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

import websockets
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

FATAL_CLOSE_CODES = {1008, 4001}  # refused Origin, not authenticated: retrying will not help


@dataclass
class Watcher:
    url: str
    token: str
    networks: list[str]
    notifications: bool = False
    out: TextIO = sys.stdout
    on_message: Callable[[dict[str, Any]], None] | None = None
    cursors: dict[str, int | None] = field(default_factory=dict)
    epoch: str | None = None
    max_backoff: float = 5.0
    connects: int = 0

    def __post_init__(self) -> None:
        for slug in self.networks:
            self.cursors.setdefault(f"network:{slug}", None)
        if self.notifications:
            self.cursors.setdefault("notifications", None)

    def _subscriptions(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for key, after in self.cursors.items():
            message: dict[str, Any] = {"type": "subscribe", "after": after}
            if key == "notifications":
                message["stream"] = "notifications"
            else:
                message["network"] = key.removeprefix("network:")
            if self.epoch and after is not None:
                message["epoch"] = self.epoch
            out.append(message)
        return out

    def _track(self, message: dict[str, Any]) -> bool:
        """Update cursors from a message; False when it is a duplicate to skip."""
        kind = message.get("type")
        key = f"network:{message['network']}" if "network" in message else "notifications"
        if kind == "subscribed":
            self.epoch = message.get("epoch", self.epoch)
            if self.cursors.get(key) is None:
                self.cursors[key] = int(message["seq"])
        elif kind in ("event", "notification"):
            seq = int(message["seq"])
            last = self.cursors.get(key)
            if last is not None and seq <= last:
                return False
            self.cursors[key] = seq
        elif kind == "resync":
            self.cursors[key] = None  # the server answers with a fresh `subscribed`
        return True

    def _emit(self, message: dict[str, Any]) -> None:
        if self.on_message is not None:
            self.on_message(message)
        else:
            self.out.write(json.dumps(message, ensure_ascii=False) + "\n")
            self.out.flush()

    async def run_once(self) -> int | None:
        """One connection's life; returns its close code (None when it never opened)."""
        headers = {"Authorization": f"Bearer {self.token}"}
        async with websockets.connect(self.url, additional_headers=headers, open_timeout=10) as ws:
            self.connects += 1
            for message in self._subscriptions():
                await ws.send(json.dumps(message))
            try:
                async for raw in ws:
                    message = json.loads(raw)
                    if message.get("type") == "ping":
                        await ws.send('{"type": "pong"}')
                        continue
                    if self._track(message):
                        self._emit(message)
            except ConnectionClosed:
                pass
            return ws.close_code

    async def run(self, *, stop: asyncio.Event | None = None) -> None:
        backoff = 0.1
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                runner = asyncio.create_task(self.run_once())
                stopper = asyncio.create_task(stop.wait())
                done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
                stopper.cancel()
                if runner not in done:
                    runner.cancel()
                    return
                code = runner.result()
                if code in FATAL_CLOSE_CODES:
                    raise SystemExit(f"The server closed the connection ({code}); check the token and URL.")
                backoff = 0.1
            except InvalidStatus as exc:
                if exc.response.status_code in (401, 403):
                    raise SystemExit(f"The server refused the connection ({exc.response.status_code}).") from exc
            except (OSError, InvalidHandshake, TimeoutError):
                pass
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self.max_backoff)
