"""One websocket's state: who it is, what it follows, and its bounded send queue.

The hub only ever calls `send` or `send_many`, which never block: a full queue means the client reads
slower than its networks write, so the connection is closed with CLOSE_SLOW_CONSUMER and
the client resumes from its cursors (memory stays bounded whatever the client does).

Kept small on purpose (thousands are held per process, most of them idle): slots, a plain
list as the queue that the writer takes whole, and a wake-up future only while the writer
waits (an idle connection holds no asyncio.Queue, Event or timer of its own).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Sequence

from server.live.direct import Writer
from server.live.protocol import CLOSE_SLOW_CONSUMER

_ids = itertools.count(1)


class Connection:
    __slots__ = (
        "_wake",
        "close_code",
        "close_reason",
        "direct",
        "id",
        "last_heard",
        "networks",
        "notifications",
        "on_close",
        "pending",
        "person_id",
        "queue_size",
        "sending",
        "session_digest",
        "token_id",
    )

    def __init__(
        self, person_id: int, session_digest: str | None = None, token_id: int | None = None, queue_size: int = 1000
    ) -> None:
        self.person_id = person_id
        self.session_digest = session_digest
        self.token_id = token_id
        self.queue_size = queue_size
        self.id = next(_ids)
        self.networks: dict[int, str] = {}  # network id → slug
        self.notifications = False
        self.close_code: int | None = None
        self.close_reason = ""
        self.pending: list[str] = []  # frames not yet taken by the writer
        self.sending = 0  # frames the writer has taken and not yet written
        self.last_heard = time.monotonic()
        self.on_close: Callable[[], None] | None = None  # set by the socket: stop reading
        self._wake: asyncio.Future[None] | None = None
        self.direct: Writer | None = None  # set by the socket: see server/live/direct.py

    def send(self, frame: str, framed: bytes | None = None) -> bool:
        """Queue one frame (or write it now, when nothing is queued before it). `framed` is the
        same frame already framed for the wire, when the hub sends it to many sockets."""
        return self.send_many((frame,), (framed,))

    def send_many(self, frames: Sequence[str], framed: Sequence[bytes | None]) -> bool:
        """Queue frames in order, or write them now in one write when nothing is queued before them:
        several frames for one socket cost one syscall and wake its client once, not once each."""
        if self.close_code is not None:
            return False
        idle = self._wake is not None and not self.pending and not self.sending  # nothing queued before these
        written = self.direct(frames, framed) if idle and self.direct is not None else 0
        if written == len(frames):
            return True
        rest = frames[written:]  # what the direct write did not take, in order after it
        if len(self.pending) + self.sending + len(rest) > self.queue_size:
            self.close(CLOSE_SLOW_CONSUMER, "Send queue overflowed; reconnect and resume from your cursors.")
            return False
        self.pending.extend(rest)
        wake = self._wake
        if wake is not None and not wake.done():
            wake.set_result(None)
        return True

    def room(self) -> int:
        return self.queue_size - len(self.pending) - self.sending

    async def take(self) -> list[str]:
        """The writer's side: wait for frames, then take every waiting one, in order."""
        while not self.pending:
            self._wake = asyncio.get_running_loop().create_future()
            try:
                await self._wake
            finally:
                self._wake = None
        batch, self.pending = self.pending, []
        self.sending = len(batch)
        return batch

    def close(self, code: int, reason: str) -> None:
        if self.close_code is None:
            self.close_code, self.close_reason = code, reason
            if self.on_close is not None:
                self.on_close()
