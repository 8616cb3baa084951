"""7. What one event frame costs per socket, framed three ways, in CPU and in memory.

A post's event goes to every subscriber of its network. Each socket gets it:
- **framed once**: the hub frames it once and each socket's write is those bytes (ours now:
  `server/live/direct.py`, possible because we negotiate no extension);
- **framed per socket**: encoded and framed again for each socket, as `websockets.broadcast`
  does (and as we did);
- **compressed per socket**: with permessage-deflate, which every browser offers and uvicorn
  accepts unless told not to; each socket keeps its own zlib context (context takeover), so
  the frame is compressed again for each socket, and each socket holds that context.

The frames are real `post.created` events shaped like ours, with the demo posts' text. CPU is
the time to produce one socket's bytes (the write itself is the same one syscall per socket
whichever way: `bench.fanout` measures it), median of runs. Memory is measured per
permessage-deflate context with uvicorn's settings, in a fresh process: what it holds resident
once it has compressed one frame (RSS growth), and what zlib has allocated for it (traced by
`tracemalloc`: CPython's zlib allocates through it), which becomes resident as the window fills.

    python -m bench.frames --sockets 1000 --runs 5
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import psutil
from websockets.extensions.permessage_deflate import PerMessageDeflate
from websockets.frames import Frame, Opcode

from bench.common import Report, log, median, table
from bench.plot import bars
from server.demo_content import POSTS
from server.live import direct

# What uvicorn's websockets protocols negotiate with a browser's offer (window bits 12, memLevel 5).
DEFLATE: dict[str, Any] = {"max_window_bits": 12, "mem_level": 5}


def event_frames() -> list[str]:
    """One event frame per demo post, as the hub sends them (ids and seqs made up)."""
    frames = []
    for seq, post in enumerate(POSTS, 1):
        data = {
            "post": {
                "id": seq,
                "network": post.network,
                "kind": post.kind.value,
                "title": post.title,
                "body": post.body,
                "author": {"id": 7, "display_name": "A member", "organisation": {"id": 3, "name": "A trust"}},
                "reply_count": 0,
                "offer_count": 0,
                "reactions": {"useful": 0, "tried_it": 0},
                "state": "visible",
                "created_at": "2026-11-22T10:00:00Z",
            }
        }
        frames.append(
            json.dumps({"type": "event", "network": post.network, "seq": seq, "kind": "post.created", "data": data})
        )
    return frames


def _deflate() -> PerMessageDeflate:
    bits, level = DEFLATE["max_window_bits"], DEFLATE["mem_level"]
    return PerMessageDeflate(False, False, bits, bits, {"memLevel": level})


def per_socket_us(frames: list[str], sockets: int, way: Callable[[str, list[PerMessageDeflate]], None]) -> float:
    """Microseconds to produce one socket's bytes: every frame to every socket, in fan-out order.
    Each way is given every socket's deflate context (fresh); only compression uses them."""
    contexts = [_deflate() for _ in range(sockets)]
    started = time.perf_counter()
    for frame in frames:
        way(frame, contexts)
    return (time.perf_counter() - started) / (len(frames) * sockets) * 1e6


def framed_once(frame: str, sockets: list[PerMessageDeflate]) -> None:
    framed = direct.wire(frame)  # once per round, as the hub does
    for _ in sockets:
        _write(framed)


def framed_per_socket(frame: str, sockets: list[PerMessageDeflate]) -> None:
    for _ in sockets:
        _write(Frame(Opcode.TEXT, frame.encode()).serialize(mask=False, extensions=[]))


def compressed_per_socket(frame: str, sockets: list[PerMessageDeflate]) -> None:
    for extension in sockets:
        _write(Frame(Opcode.TEXT, frame.encode()).serialize(mask=False, extensions=[extension]))


def _write(framed: bytes) -> None:
    """Stands for the socket's write (the same syscall whichever way, so not made here)."""


WAYS: dict[str, Callable[[str, list[PerMessageDeflate]], None]] = {
    "framed once (ours)": framed_once,
    "framed per socket (websockets.broadcast)": framed_per_socket,
    "compressed per socket (permessage-deflate)": compressed_per_socket,
}


def deflate_kb_per_socket(frame: str, sockets: int) -> dict[str, float]:
    """KB per permessage-deflate context that has compressed one frame: resident and allocated.

    Run in a fresh process: in one that has freed memory before (the timings, or the benchmarks
    `bench.all` ran first), the allocator reuses those pages and the RSS growth hides the contexts."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_deflate_memory, frame, sockets).result()


def _deflate_memory(frame: str, sockets: int) -> dict[str, float]:
    gc.collect()
    resident = _grown(lambda: psutil.Process().memory_info().rss, frame, sockets)
    tracemalloc.start()
    allocated = _grown(lambda: tracemalloc.get_traced_memory()[0], frame, sockets)
    tracemalloc.stop()
    return {"resident_kb": resident / sockets / 1024, "allocated_kb": allocated / sockets / 1024}


def _grown(measure: Callable[[], int], frame: str, sockets: int) -> int:
    """How much `measure` grows while `sockets` contexts that compressed `frame` are held."""
    before = measure()
    held = [_compressed_once(frame) for _ in range(sockets)]
    grown = measure() - before
    del held
    return grown


def _compressed_once(frame: str) -> PerMessageDeflate:
    extension = _deflate()
    Frame(Opcode.TEXT, frame.encode()).serialize(mask=False, extensions=[extension])
    return extension


async def run(args: argparse.Namespace) -> Report:
    report = Report(args.name, vars(args))
    frames = event_frames()[: args.frames]
    sizes = [len(f.encode()) for f in frames]
    log(f"frames: {len(frames)} demo posts' events, {median(sizes):.0f} bytes median; {args.sockets} sockets")
    memory = deflate_kb_per_socket(frames[0], args.sockets)
    timings: dict[str, list[float]] = {way: [] for way in WAYS}
    for _ in range(args.runs):
        for way, produce in WAYS.items():  # interleaved, so drift in the machine touches each way alike
            timings[way].append(per_socket_us(frames, args.sockets, produce))
    compressed_bytes = median(
        [len(Frame(Opcode.TEXT, f.encode()).serialize(mask=False, extensions=[_deflate()])) for f in frames]
    )
    for way, values in timings.items():
        report.rows.append(
            {
                "way": way,
                "us_per_socket": median(values),
                "runs_us": values,
                "ms_per_event": median(values) * args.sockets / 1000,
            }
        )
    report.extra["frame_bytes_median"] = median(sizes)
    report.extra["compressed_bytes_median"] = compressed_bytes
    report.extra["deflate_kb_per_socket"] = memory["resident_kb"]
    report.extra["deflate_kb_allocated_per_socket"] = memory["allocated_kb"]
    report.extra["plot"] = bars(
        report.path(".png"),
        f"CPU to produce one socket's bytes of an event frame ({args.sockets} sockets, median of runs)",
        [r["way"] for r in report.rows],
        {"µs per socket": [r["us_per_socket"] for r in report.rows]},
        "µs per socket",
    )
    report.write()
    print(
        table(
            ["way", "µs per socket", f"ms per event to {args.sockets:,} sockets"],
            [[r["way"], r["us_per_socket"], r["ms_per_event"]] for r in report.rows],
        )
    )
    print(
        f"\nframe {median(sizes):.0f} bytes (compressed {compressed_bytes:.0f}); "
        f"each permessage-deflate socket holds {memory['resident_kb']:.1f} KB more after one frame, "
        f"of {memory['allocated_kb']:.1f} KB that zlib allocated for it"
    )
    return report


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sockets", type=int, default=1000)
    p.add_argument("--frames", type=int, default=40, help="Distinct event frames (demo posts), sent to every socket.")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--name", default="frames", help="Report name (bench/results/NAME.json and .png).")
    return p


if __name__ == "__main__":
    asyncio.run(run(parser().parse_args()))
