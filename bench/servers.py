"""Starting the servers under test as separate processes, and watching their CPU and memory.

`commons` is our `commons serve` (uvicorn, one process); `bare` is `bench.bare_server` (the
`websockets` library's own server and `broadcast`); `sio` is `bench.sio_server`
(python-socketio's ASGI app on uvicorn). Children inherit the raised open-file limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from bench.common import ROOT

SECRET = "bench-secret-key-with-enough-length-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    kind: str  # commons | bare | sio
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    proc: asyncio.subprocess.Process | None = None
    ps: psutil.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        if self.kind == "commons":
            return [sys.executable, "-m", "server.cli", "serve", "--port", str(self.port)]
        return [sys.executable, "-m", f"bench.{self.kind}_server", "--port", str(self.port)]

    async def start(self, timeout: float = 60) -> Server:
        env = os.environ | {"COMMONS_VAR_DIR": str(self.workdir), "SECRET_KEY": SECRET, "PYTHONUNBUFFERED": "1"}
        for name in ("REDIS_URL", "BUS_BACKEND", "DATABASE_URL"):
            env.pop(name, None)
        env |= self.env
        log = (self.workdir / f"{self.kind}-{self.port}.log").open("ab")
        self.proc = await asyncio.create_subprocess_exec(*self.command(), env=env, stdout=log, stderr=log, cwd=ROOT)
        log.close()
        self.ps = psutil.Process(self.proc.pid)
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=1) as client:
            while True:
                if self.proc.returncode is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{self.kind} server did not start:\n{self.log_tail()}")
                try:
                    if self.kind == "commons":
                        if (await client.get(self.url + "/health")).status_code == 200:
                            break
                    else:
                        _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                        writer.close()
                        break
                except (httpx.TransportError, OSError):
                    pass
                await asyncio.sleep(0.1)
        return self

    def log_tail(self, lines: int = 30) -> str:
        path = self.workdir / f"{self.kind}-{self.port}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def rss(self) -> int:
        assert self.ps is not None
        return int(self.ps.memory_info().rss)

    def cpu(self) -> float:
        """CPU seconds used so far (user + system)."""
        assert self.ps is not None
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    async def stop(self) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.terminate()
        try:
            await asyncio.wait_for(self.proc.wait(), 15)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            await self.proc.wait()


def commons_env(database_url: str, bus: str | None = None, redis_url: str | None = None) -> dict[str, str]:
    env = {"DATABASE_URL": database_url, "SESSION_STORE": "memory"}
    if bus:
        env["BUS_BACKEND"] = bus
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


class CpuMeter:
    """CPU % of a set of processes over a window (100% = one core)."""

    def __init__(self, processes: list[psutil.Process]) -> None:
        self.processes = processes
        self.start = self._total()
        self.at = time.monotonic()

    def _total(self) -> float:
        total = 0.0
        for p in self.processes:
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                total += t.user + t.system
        return total

    def percent(self) -> float:
        elapsed = time.monotonic() - self.at
        return (self._total() - self.start) / elapsed * 100 if elapsed > 0 else 0.0
