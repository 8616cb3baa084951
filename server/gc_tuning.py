"""The cyclic garbage collector, set for a long-running server process.

A process holding thousands of websockets keeps hundreds of thousands of long-lived objects
(each connection's coroutine stack, transport, headers), besides the app itself. With CPython's
default thresholds (700, 10, 10) a full collection ran every few seconds under load and walked
all of them: 100-270 ms with 1,000 subscribers, a pause in which no frame goes out, and the
whole of the p99 latency in `bench.fanout` (see docs/benchmarks.md). So, once the app is built,
everything that exists then is frozen (it lives as long as the process; the collector never
walks it again), and the young generations are collected less often, so the short-lived objects
of requests and frames die by reference counting before they can be promoted.
"""

from __future__ import annotations

import gc

THRESHOLDS = (10_000, 20, 20)


def settle() -> None:
    """Collect what start-up left behind, freeze the rest, then collect young objects less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
