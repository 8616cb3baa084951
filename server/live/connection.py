"""One websocket's state: who it is, what it follows, and its bounded send queue.

The hub only ever calls `send`, which never blocks: a full queue means the client reads
slower than its networks write, so the connection is closed with CLOSE_SLOW_CONSUMER and
the client resumes from its cursors (memory stays bounded whatever the client does).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field

from server.live.protocol import CLOSE_SLOW_CONSUMER

_ids = itertools.count(1)


@dataclass(eq=False)
class Connection:
    person_id: int
    session_digest: str | None = None
    token_id: int | None = None
    queue_size: int = 1000
    id: int = field(default_factory=lambda: next(_ids))
    networks: dict[int, str] = field(default_factory=dict)  # network id → slug
    notifications: bool = False
    close_code: int | None = None
    close_reason: str = ""

    def __post_init__(self) -> None:
        self.queue: asyncio.Queue[str] = asyncio.Queue(maxsize=self.queue_size)
        self.closing = asyncio.Event()
        self.last_heard = time.monotonic()

    def send(self, frame: str) -> bool:
        if self.close_code is not None:
            return False
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.close(CLOSE_SLOW_CONSUMER, "Send queue overflowed; reconnect and resume from your cursors.")
            return False
        return True

    def room(self) -> int:
        return self.queue.maxsize - self.queue.qsize()

    def close(self, code: int, reason: str) -> None:
        if self.close_code is None:
            self.close_code, self.close_reason = code, reason
            self.closing.set()
