"""The load generator's processes, seen from the benchmark: start them, wait, collect, merge."""

from __future__ import annotations

import asyncio
import json
import math
import sys
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from bench.common import ROOT


@dataclass
class RunResult:
    first: int
    last: int
    delivered: int = 0
    lost: int = 0
    duplicated: int = 0
    out_of_order: int = 0
    first_recv: float = math.inf
    last_recv: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)


@dataclass
class Fleet:
    mode: str  # commons | bare | sio
    port: int
    total: int
    procs: int
    workdir: Path
    network: str = "bench"
    tokens_file: Path | None = None
    token_offset: int = 0
    ip_base: int = 2
    name: str = "fleet"
    notifications: bool = False  # each socket also follows its notifications (as the web app does)
    notes_per_event: int = 0  # notifications each socket should get per event (1 when it follows `all`)
    children: list[asyncio.subprocess.Process] = field(default_factory=list)
    ready: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    closed: int = 0
    close_codes: list[int] = field(default_factory=list)
    frame_bytes: int = 0
    notes: list[tuple[float, float]] = field(default_factory=list)  # (receive time, latency ms)

    @property
    def processes(self) -> list[psutil.Process]:
        return [psutil.Process(c.pid) for c in self.children if c.returncode is None]

    async def start(self, timeout: float = 180) -> Fleet:
        share = [self.total // self.procs + (1 if i < self.total % self.procs else 0) for i in range(self.procs)]
        start = self.token_offset
        for count in share:
            if not count:
                continue
            command = [
                sys.executable,
                "-m",
                "bench.loadgen",
                "--mode",
                self.mode,
                "--port",
                str(self.port),
                "--network",
                self.network,
                "--start",
                str(start),
                "--count",
                str(count),
                "--ip-base",
                str(self.ip_base),
            ]
            if self.tokens_file:
                command += ["--tokens", str(self.tokens_file)]
            if self.notifications:
                command.append("--notifications")
            child = await asyncio.create_subprocess_exec(
                *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=ROOT
            )
            self.children.append(child)
            start += count
        lines = await asyncio.wait_for(asyncio.gather(*(self._expect(c, "READY") for c in self.children)), timeout)
        for line in lines:
            _, ok, failed, first_error = line.split(" ", 3)
            self.ready += int(ok)
            self.failed += int(failed)
            self.errors += json.loads(first_error)
        return self

    async def _expect(self, child: asyncio.subprocess.Process, word: str) -> str:
        assert child.stdout is not None
        while True:
            raw = await child.stdout.readline()
            if not raw:
                raise RuntimeError(f"a load generator exited before {word}")
            line = raw.decode().strip()
            if line.startswith(word):
                return line

    async def _tell(self, line: str) -> None:
        for child in self.children:
            assert child.stdin is not None
            child.stdin.write((line + "\n").encode())
            await child.stdin.drain()

    async def wait_for(self, last: int, timeout: float = 30) -> int:
        """Wait until every socket has seq `last` (and its notifications); returns how many sockets
        were still behind."""
        await self._tell(f"WAIT {last} {timeout} {self.notes_per_event if self.notifications else 0}")
        lines = await asyncio.gather(*(self._expect(c, "WAITED") for c in self.children))
        return sum(int(line.split()[1]) for line in lines)

    async def collect(self, ranges: list[tuple[int, int]]) -> list[RunResult]:
        spec = ",".join(f"{a}-{b}" for a, b in ranges)
        paths = [self.workdir / f"{self.name}-{i}.json" for i in range(len(self.children))]
        for child, path in zip(self.children, paths, strict=True):
            assert child.stdin is not None
            child.stdin.write(f"COLLECT {path} {spec}\n".encode())
            await child.stdin.drain()
        await asyncio.gather(*(self._expect(c, "COLLECTED") for c in self.children))
        results = [RunResult(a, b) for a, b in ranges]
        self.closed, codes = 0, set()
        self.notes = []
        for path in paths:
            data: dict[str, Any] = json.loads(path.read_text())
            self.closed += data["closed"]
            codes.update(data["close_codes"])
            self.frame_bytes = self.frame_bytes or data["frame_bytes"]
            pairs = array("d")
            pairs.frombytes(Path(f"{path}.notes.f64").read_bytes())
            self.notes += list(zip(pairs[::2], pairs[1::2], strict=True))
            for i, run in enumerate(data["runs"]):
                merged = results[i]
                merged.delivered += run["delivered"]
                merged.lost += run["lost"]
                merged.duplicated += run["duplicated"]
                merged.out_of_order += run["out_of_order"]
                if run["first_recv"] is not None:
                    merged.first_recv = min(merged.first_recv, run["first_recv"])
                    merged.last_recv = max(merged.last_recv, run["last_recv"])
                lats = array("f")
                blob = Path(f"{path}.{i}.f32").read_bytes()
                lats.frombytes(blob)
                merged.latencies_ms.extend(lats)
        self.close_codes = sorted(codes)
        return results

    async def stop(self) -> None:
        for child in self.children:
            if child.returncode is None and child.stdin is not None:
                try:
                    child.stdin.write(b"QUIT\n")
                    await child.stdin.drain()
                except (BrokenPipeError, ConnectionResetError):
                    pass
        for child in self.children:
            try:
                await asyncio.wait_for(child.wait(), 10)
            except TimeoutError:
                child.kill()
                await child.wait()
