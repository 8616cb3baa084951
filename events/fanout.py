"""Fan-out of wake-ups to this process's listeners (the embedded default).

Wake-ups carry only (stream, owner, seq); listeners read the rows themselves. The
multi-process backends (PostgreSQL LISTEN/NOTIFY, Redis) deliver to the same listeners.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from events.log import Wakeup

Listener = Callable[[Wakeup], None]


class InProcessFanout:
    def __init__(self) -> None:
        self._listeners: set[Listener] = set()

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        self._listeners.add(listener)
        return lambda: self._listeners.discard(listener)

    async def publish(self, wakeups: list[Wakeup]) -> None:
        for wakeup in wakeups:
            for listener in list(self._listeners):
                listener(wakeup)
        await asyncio.sleep(0)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self._listeners.clear()
