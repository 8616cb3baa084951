"""What a Python team would otherwise pick: python-socketio's ASGI app on uvicorn.

Clients join the room named after the network (`subscribe` → `subscribed` with the current
seq); `publish` (from the benchmark's publisher) emits one event of the requested size to the
room, stamped with `data.at` now. Same frames as the bare server, inside Socket.IO packets.
"""

from __future__ import annotations

import argparse
from typing import Any

import socketio
import uvicorn

from bench.bare_server import event_frame
from bench.common import raise_nofile

sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins="*", transports=["websocket"])
app = socketio.ASGIApp(sio)
STATE = {"seq": 0}


@sio.on("subscribe")  # type: ignore[misc]
async def subscribe(sid: str, room: str) -> None:
    await sio.enter_room(sid, room)
    await sio.emit("subscribed", {"type": "subscribed", "seq": STATE["seq"]}, to=sid)


@sio.on("publish")  # type: ignore[misc]
async def publish(sid: str, message: dict[str, Any]) -> None:
    STATE["seq"] += 1
    frame = event_frame(STATE["seq"], int(message.get("bytes", 1000)))
    # the same dict the bare server sends, as the event's argument
    import json

    await sio.emit("event", json.loads(frame), room="bench")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    raise_nofile()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", ws_max_size=64 * 1024, backlog=4096)
