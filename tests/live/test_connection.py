"""A connection's send queue on its own: frames queue in order, a write takes them together, a
full queue closes the connection rather than grow."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from server.live.connection import Connection
from server.live.protocol import CLOSE_SLOW_CONSUMER


async def _waiting_writer(conn: Connection) -> asyncio.Task[list[str]]:
    """The socket's writer side, parked in `take` as it is on an idle connection."""
    task = asyncio.create_task(conn.take())
    await asyncio.sleep(0)
    return task


async def test_frames_for_an_idle_socket_go_to_the_direct_writer_in_one_call() -> None:
    conn = Connection(1)
    calls: list[tuple[list[str], list[bytes | None]]] = []

    def write(frames: Sequence[str], framed: Sequence[bytes | None]) -> int:
        calls.append((list(frames), list(framed)))
        return len(frames)

    conn.direct = write
    writer = await _waiting_writer(conn)
    assert conn.send_many(["a", "b", "c"], [b"A", None, b"C"])
    assert calls == [(["a", "b", "c"], [b"A", None, b"C"])]
    assert conn.pending == [] and not writer.done()  # nothing left for the writer task
    writer.cancel()


async def test_frames_queue_in_order_when_the_direct_writer_cannot_write() -> None:
    conn = Connection(1)
    conn.direct = lambda frames, framed: 0  # e.g. the transport is paused
    writer = await _waiting_writer(conn)
    assert conn.send("a")
    assert conn.send_many(["b", "c"], [None, None])
    assert await writer == ["a", "b", "c"]
    assert conn.sending == 3


async def test_what_a_direct_write_leaves_is_queued_after_it_in_order() -> None:
    conn = Connection(1, queue_size=3)
    written: list[str] = []

    def write(frames: Sequence[str], framed: Sequence[bytes | None]) -> int:
        written.extend(frames[:2])  # e.g. the next frame would pass the write limit
        return min(2, len(frames))

    conn.direct = write
    writer = await _waiting_writer(conn)
    assert conn.send_many(["a", "b", "c", "d"], [None] * 4)  # two written, two queued: within 3
    assert written == ["a", "b"]
    assert await writer == ["c", "d"]
    assert conn.send("e")  # the writer task has "c" and "d": "e" waits behind them
    assert written == ["a", "b"] and conn.pending == ["e"]
    assert not conn.send_many(["f"], [None])  # 2 being written + 1 queued + 1 > 3
    assert conn.close_code == CLOSE_SLOW_CONSUMER


async def test_frames_behind_queued_ones_wait_their_turn() -> None:
    conn = Connection(1)
    written: list[str] = []

    def write(frames: Sequence[str], framed: Sequence[bytes | None]) -> int:
        written.extend(frames)
        return len(frames)

    conn.direct = write
    conn.pending = ["first"]  # queued before: the writer task has not taken it yet
    writer = await _waiting_writer(conn)  # takes "first" at once
    assert await writer == ["first"]
    assert conn.send_many(["second", "third"], [None, None])  # "first" is still being written
    assert written == [] and conn.pending == ["second", "third"]


async def test_a_batch_that_would_overflow_the_queue_closes_the_connection() -> None:
    conn = Connection(1, queue_size=4)
    closed: list[bool] = []
    conn.on_close = lambda: closed.append(True)
    assert conn.send_many(["a", "b", "c"], [None] * 3)  # no writer waiting: queued
    assert not conn.send_many(["d", "e"], [None, None])
    assert conn.close_code == CLOSE_SLOW_CONSUMER and closed == [True]
    assert conn.pending == ["a", "b", "c"]  # nothing of the batch that did not fit
    assert not conn.send("f")  # a closed connection takes nothing more
    assert conn.pending == ["a", "b", "c"]
