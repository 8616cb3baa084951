"""Real server processes (`commons serve`) for tests that cross processes or restart a server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.conftest import free_port


@dataclass
class ServerProcess:
    database_url: str
    var_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        env = os.environ | {
            "DATABASE_URL": self.database_url,
            "COMMONS_VAR_DIR": str(self.var_dir),
            "SECRET_KEY": "test-secret-key-with-enough-length-0123456789",
        }
        env.pop("REDIS_URL", None)
        env |= self.env
        with (self.var_dir / f"server-{self.port}.log").open("ab") as log:  # the child keeps its own copy
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "serve", "--port", str(self.port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {(self.var_dir / f'server-{self.port}.log').read_text()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """As a crash does: no shutdown, no goodbye to the clients."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Remote:
    """Stands in for `LiveServer` where `World` only needs the URL."""

    url: str
