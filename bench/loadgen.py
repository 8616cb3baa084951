"""One load-generator process: holds many subscriber sockets and records every event it receives.

Started by `bench.fleet`; talks to it over stdin/stdout:

- prints `READY <ok> <failed> <first error>` once every socket is subscribed (or failed);
- on `COLLECT <path> <a>-<b>[,<c>-<d>…]` writes, for each run's seq range, what each socket got
  (deliveries, lost, duplicated, out of order, first/last receive time) as JSON at <path>, and
  each run's commit→receive latencies (ms, float32) beside it as <path>.<run>.f32, then prints
  `COLLECTED`;
- on `WAIT <seq> <seconds>` waits until every socket has received that seq (and, with
  `--notifications`, one notification per event it received), then prints
  `WAITED <sockets still behind>`;
- on `QUIT` closes its sockets and exits.

Modes: `commons` (our `/ws`, one API token per socket), `bare` (the `websockets` baseline,
the same frames) and `sio` (python-socketio: Engine.IO packets over the websocket). With
`--notifications` a `commons` socket also follows its person's notifications, as every page of
the web app does; their receive times and latencies are written beside the events'.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import time
from array import array
from datetime import datetime
from pathlib import Path

import msgspec

from bench.common import raise_nofile
from bench.wsclient import WsClientProtocol, connect


class Data(msgspec.Struct):
    at: str = ""


class Message(msgspec.Struct):
    type: str
    seq: int = 0
    data: Data | None = None
    stream: str = ""


_decode = msgspec.json.Decoder(Message).decode
_decode_sio = msgspec.json.Decoder(tuple[str, Message]).decode
_at_cache: dict[str, float] = {}


def _timestamp(at: str) -> float:
    """ISO 8601 → epoch seconds (cached: thousands of sockets receive the same `at`)."""
    value = _at_cache.get(at)
    if value is None:
        if len(_at_cache) > 10_000:
            _at_cache.clear()
        value = _at_cache[at] = datetime.fromisoformat(at).timestamp()
    return value


class Conn:
    __slots__ = ("index", "notes", "ready", "seqs", "subscribed_seq")

    def __init__(self, index: int) -> None:
        self.index = index
        self.ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.seqs = array("l")
        self.subscribed_seq = -1
        self.notes = 0  # notifications received


class Recorder:
    def __init__(self, mode: str, network: str) -> None:
        self.mode = mode
        self.network = network
        self.seq = array("l")
        self.lat = array("d")
        self.recv = array("d")
        self.frame_bytes = 0
        self.other: dict[str, int] = {}
        self.note_recv = array("d")
        self.note_lat = array("d")

    def on_text(self, proto: WsClientProtocol, text: str) -> None:
        now = time.time()
        conn: Conn = proto.state  # type: ignore[assignment]
        if self.mode == "sio":
            if text[:2] != "42":
                self._engineio(proto, conn, text)
                return
            name, message = _decode_sio(text[2:])
            if name == "subscribed":
                self._ready(conn, message.seq)
                return
        else:
            message = _decode(text)
        kind = message.type
        if kind == "event":
            if not self.frame_bytes:
                self.frame_bytes = len(text.encode())
            conn.seqs.append(message.seq)
            self.seq.append(message.seq)
            self.recv.append(now)
            at = message.data.at if message.data else ""
            self.lat.append((now - _timestamp(at)) * 1000 if at else float("nan"))
        elif kind == "notification":
            conn.notes += 1
            self.note_recv.append(now)
            at = message.data.at if message.data else ""
            self.note_lat.append((now - _timestamp(at)) * 1000 if at else float("nan"))
        elif kind == "subscribed":
            if message.stream != "notifications":
                self._ready(conn, message.seq)
        elif kind == "ping":
            proto.send_text('{"type":"pong"}')
        else:
            self.other[kind] = self.other.get(kind, 0) + 1
            if kind == "error" and not conn.ready.done():
                conn.ready.set_exception(RuntimeError(text[:200]))

    def _ready(self, conn: Conn, seq: int) -> None:
        conn.subscribed_seq = seq
        if not conn.ready.done():
            conn.ready.set_result(seq)

    def _engineio(self, proto: WsClientProtocol, conn: Conn, text: str) -> None:
        if text == "2":  # Engine.IO ping
            proto.send_text("3")
        elif text.startswith("0"):  # open: join the default namespace
            proto.send_text("40")
        elif text.startswith("40"):  # namespace joined: subscribe to the room
            proto.send_text(json.dumps(["subscribe", self.network]).join(("42", "")))
        else:
            self.other[text[:2]] = self.other.get(text[:2], 0) + 1


async def open_one(
    args: argparse.Namespace, recorder: Recorder, index: int, token: str, sem: asyncio.Semaphore
) -> tuple[Conn, WsClientProtocol]:
    conn = Conn(index)
    path = "/socket.io/?EIO=4&transport=websocket" if args.mode == "sio" else "/ws"
    ip = f"127.0.0.{args.ip_base + index % args.ips}"
    async with sem:
        proto = await connect(
            args.host,
            args.port,
            path,
            {"Authorization": f"Bearer {token}"} if token else {},
            recorder.on_text,
            local_ip=ip,
        )
        proto.state = conn
        if args.mode != "sio":
            proto.send_text(json.dumps({"type": "subscribe", "network": args.network, "after": None}))
        if args.mode == "commons" and args.notifications:
            proto.send_text(json.dumps({"type": "subscribe", "stream": "notifications", "after": None}))
        await asyncio.wait_for(conn.ready, 30)
    return conn, proto


async def wait_for(
    conns: list[Conn], protos: list[WsClientProtocol], last: int, timeout: float, notes_per_event: int = 0
) -> int:
    """Until every open socket has received seq `last` and its notifications (or the timeout); how
    many are still behind."""
    deadline = time.monotonic() + timeout
    while True:
        behind = sum(
            1
            for conn, proto in zip(conns, protos, strict=True)
            if not proto.closed.done()
            and (not conn.seqs or conn.seqs[-1] < last or conn.notes < notes_per_event * len(conn.seqs))
        )
        if not behind or time.monotonic() > deadline:
            return behind
        await asyncio.sleep(0.05)


def collect(recorder: Recorder, conns: list[Conn], protos: list[WsClientProtocol], path: Path, spec: str) -> None:
    ranges = [tuple(int(x) for x in part.split("-")) for part in spec.split(",") if part]
    runs = []
    for run, (first, last) in enumerate(ranges):
        lost = dup = disorder = delivered = 0
        for conn in conns:
            mine = [s for s in conn.seqs if first <= s <= last]
            delivered += len(mine)
            unique = set(mine)
            dup += len(mine) - len(unique)
            lost += (last - first + 1) - len(unique)
            disorder += sum(1 for a, b in itertools.pairwise(mine) if b <= a)
        lats = array("f")
        first_recv, last_recv = float("inf"), 0.0
        for seq, lat, recv in zip(recorder.seq, recorder.lat, recorder.recv, strict=True):
            if first <= seq <= last:
                lats.append(lat)
                first_recv = min(first_recv, recv)
                last_recv = max(last_recv, recv)
        with Path(f"{path}.{run}.f32").open("wb") as out:
            lats.tofile(out)
        runs.append(
            {
                "first": first,
                "last": last,
                "delivered": delivered,
                "lost": lost,
                "duplicated": dup,
                "out_of_order": disorder,
                "first_recv": first_recv if delivered else None,
                "last_recv": last_recv if delivered else None,
            }
        )
    notes = array("d")
    for recv, lat in zip(recorder.note_recv, recorder.note_lat, strict=True):
        notes.extend((recv, lat))
    with Path(f"{path}.notes.f64").open("wb") as out:
        notes.tofile(out)
    closed = [p.close_code for p in protos if p.closed.done()]
    path.write_text(
        json.dumps(
            {
                "runs": runs,
                "sockets": len(conns),
                "closed": len(closed),
                "close_codes": sorted(set(closed)),
                "frame_bytes": recorder.frame_bytes,
                "other": recorder.other,
            }
        )
    )


async def main(args: argparse.Namespace) -> None:
    raise_nofile()
    recorder = Recorder(args.mode, args.network)
    tokens = Path(args.tokens).read_text().split()[args.start : args.start + args.count] if args.tokens else []
    tokens += [""] * (args.count - len(tokens))
    sem = asyncio.Semaphore(args.concurrency)
    results = await asyncio.gather(
        *(open_one(args, recorder, args.start + i, tokens[i], sem) for i in range(args.count)),
        return_exceptions=True,
    )
    conns: list[Conn] = []
    protos: list[WsClientProtocol] = []
    errors = []
    for result in results:
        if isinstance(result, BaseException):
            errors.append(repr(result)[:200])
        else:
            conns.append(result[0])
            protos.append(result[1])
    print(f"READY {len(conns)} {len(errors)} {json.dumps(errors[:1])}", flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = (await reader.readline()).decode().strip()
        if not line or line == "QUIT":
            break
        command, *rest = line.split()
        if command == "WAIT":
            behind = await wait_for(conns, protos, int(rest[0]), float(rest[1]), int(rest[2]) if rest[2:] else 0)
            print(f"WAITED {behind}", flush=True)
        elif command == "COLLECT":
            collect(recorder, conns, protos, Path(rest[0]), rest[1] if len(rest) > 1 else "")
            print("COLLECTED", flush=True)
    for proto in protos:
        proto.close()
    await asyncio.sleep(0.2)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mode", choices=["commons", "bare", "sio"], required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--network", default="bench")
    parser.add_argument("--tokens", default="", help="A file of API tokens, one a line.")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--ip-base", type=int, default=2, help="Sockets bind to 127.0.0.<ip-base + i % ips>.")
    parser.add_argument("--ips", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=50, help="Handshakes in flight.")
    parser.add_argument("--notifications", action="store_true", help="Also follow the person's notifications.")
    return parser.parse_args(argv)


if __name__ == "__main__":
    try:
        import uvloop
    except ImportError:
        asyncio.run(main(parse()))
    else:
        uvloop.run(main(parse()))
