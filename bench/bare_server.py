"""The ceiling: a minimal server on the `websockets` library broadcasting with `websockets.broadcast`.

It speaks just enough of our protocol for the same load generator: `subscribe` → `subscribed`
(with the current seq), and `publish` (from the benchmark's publisher) → one event frame of the
requested size, stamped with `data.at` now, sent to every subscriber with one `broadcast` call.
No database, no authentication: what is left is the cost of the sockets themselves.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime

from websockets.asyncio.server import ServerConnection, broadcast, serve

from bench.common import raise_nofile

SUBSCRIBERS: set[ServerConnection] = set()
STATE = {"seq": 0}


def event_frame(seq: int, size: int) -> str:
    """An event frame shaped like ours, padded to `size` bytes."""
    data = {"at": datetime.now(UTC).isoformat(), "actor_id": 1, "pad": ""}
    message = {"type": "event", "network": "bench", "seq": seq, "kind": "post.created", "data": data}
    bare = len(json.dumps(message, separators=(",", ":")))
    data["pad"] = "x" * max(0, size - bare)
    return json.dumps(message, separators=(",", ":"))


async def handler(ws: ServerConnection) -> None:
    try:
        async for raw in ws:
            message = json.loads(raw)
            kind = message.get("type")
            if kind == "subscribe":
                SUBSCRIBERS.add(ws)
                await ws.send(
                    json.dumps({"type": "subscribed", "network": message.get("network"), "seq": STATE["seq"]})
                )
            elif kind == "publish":
                STATE["seq"] += 1
                broadcast(SUBSCRIBERS, event_frame(STATE["seq"], int(message.get("bytes", 1000))))
    finally:
        SUBSCRIBERS.discard(ws)


async def main(port: int) -> None:
    raise_nofile()
    async with serve(handler, "127.0.0.1", port, compression=None, max_size=64 * 1024, backlog=4096) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    try:
        import uvloop
    except ImportError:
        asyncio.run(main(args.port))
    else:
        uvloop.run(main(args.port))
