"""The bus carries signals (wake-ups, revocations) between server processes.

Three backends share one shape: `MemoryBus` (one process, the embedded default),
`PostgresBus` (LISTEN/NOTIFY) and `RedisBus` (pub/sub). Each process subscribes one
listener (its live hub); publishing happens after commit. A backend that loses its
connection reconnects by itself and then hands its listener a `CatchUp`, because signals
sent while it was away are gone (the rows are not: the hub re-reads them).

Why not Litestar's channels plugin: its asyncpg backend opens a connection per publish and
never reconnects its listener, and a catch-up after reconnecting is what keeps delivery
lossless here; the backends below are small and do exactly that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Protocol

from events.signals import Revocation, Signal, Wakeup, coalesce

Listener = Callable[[Signal], None]
CHANNEL = "commons_signals"
log = logging.getLogger("commons.bus")


class Bus(Protocol):
    name: str

    def listen(self, listener: Listener) -> Callable[[], None]: ...

    async def publish(self, signals: list[Wakeup | Revocation]) -> None: ...

    async def start(self, *, listen: bool = True) -> None: ...

    async def drain(self) -> None: ...

    async def stop(self) -> None: ...


class Listeners:
    """The listener set every backend keeps, delivering on the event loop."""

    def __init__(self) -> None:
        self._listeners: set[Listener] = set()

    def add(self, listener: Listener) -> Callable[[], None]:
        self._listeners.add(listener)
        return lambda: self._listeners.discard(listener)

    def emit(self, signal: Signal) -> None:
        for listener in list(self._listeners):
            try:
                listener(signal)
            except Exception:  # one faulty listener must not starve the others
                log.exception("bus listener failed on %r", signal)

    def clear(self) -> None:
        self._listeners.clear()


def prepare(signals: list[Wakeup | Revocation]) -> list[Wakeup | Revocation]:
    wakeups = [s for s in signals if isinstance(s, Wakeup)]
    return [*coalesce(wakeups), *(s for s in signals if isinstance(s, Revocation))]


class MemoryBus:
    """One process: signals go straight to this process's listener."""

    name = "memory"

    def __init__(self) -> None:
        self._listeners = Listeners()

    def listen(self, listener: Listener) -> Callable[[], None]:
        return self._listeners.add(listener)

    async def publish(self, signals: list[Wakeup | Revocation]) -> None:
        for signal in prepare(signals):
            self._listeners.emit(signal)
        await asyncio.sleep(0)

    async def start(self, *, listen: bool = True) -> None:
        return None

    async def drain(self) -> None:
        return None  # publishing is done when `publish` returns

    async def stop(self) -> None:
        self._listeners.clear()


class BackgroundBus:
    """What the networked backends share: an outbox drained by a publisher task, and a listener
    task; subclasses write the two loops (each reconnects on its own)."""

    name = "background"

    def __init__(self) -> None:
        self._listeners = Listeners()
        self._outbox: asyncio.Queue[Wakeup | Revocation] = asyncio.Queue(maxsize=100_000)
        self._tasks: list[asyncio.Task[None]] = []
        self._connected = asyncio.Event()
        self._taken = 0  # signals of the batch being sent, not yet marked done

    def listen(self, listener: Listener) -> Callable[[], None]:
        return self._listeners.add(listener)

    async def publish(self, signals: list[Wakeup | Revocation]) -> None:
        for signal in prepare(signals):
            try:
                self._outbox.put_nowait(signal)
            except asyncio.QueueFull:  # the readers' slow tick will find these rows
                log.warning("bus outbox full; dropping a signal")

    async def start(self, *, listen: bool = True) -> None:
        """Start publishing and, unless `listen` is false (a process that only tells, the command line),
        listening: then wait, a while, for the listener to connect."""
        self._tasks = [asyncio.create_task(self._publish_forever())]
        if not listen:
            return
        self._tasks.append(asyncio.create_task(self._listen_forever()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._connected.wait(), timeout=10)

    async def drain(self) -> None:
        """Wait until every signal published so far has been sent (or dropped after its retries): a
        short-lived process (the command line) calls it, under a time limit, before it stops."""
        await self._outbox.join()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._listeners.clear()

    async def _next_batch(self, limit: int = 5000) -> list[Wakeup | Revocation]:
        batch = [await self._outbox.get()]
        while not self._outbox.empty() and len(batch) < limit:
            batch.append(self._outbox.get_nowait())
        self._taken = len(batch)
        return prepare(batch)

    def _sent(self) -> None:
        """The batch `_next_batch` gave is sent (or dropped): `drain` stops waiting for it."""
        for _ in range(self._taken):
            self._outbox.task_done()
        self._taken = 0

    async def _listen_forever(self) -> None:
        raise NotImplementedError

    async def _publish_forever(self) -> None:
        raise NotImplementedError
