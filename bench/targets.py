"""A server under test with its data and publisher: ours on SQLite or PostgreSQL, or a baseline."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from bench import seed
from bench.common import PG_URL, log
from bench.publish import ApiPublisher, Published, WsPublisher
from bench.servers import Server, commons_env
from network.enums import FollowLevel

LABELS = {
    "commons-sqlite": "ours (SQLite)",
    "commons-postgres": "ours (PostgreSQL)",
    "bare": "bare websockets",
    "sio": "python-socketio",
}


@dataclass
class Target:
    label: str  # commons-sqlite | commons-postgres | bare | sio
    workdir: Path
    subscribers: int
    server: Server | None = None
    seeded: seed.Seeded | None = None
    publisher: ApiPublisher | WsPublisher | None = None
    frame_bytes: int = 1500
    seq: int = 0  # baselines: the server's counter, followed here
    extra_env: dict[str, str] = field(default_factory=dict)
    follow: str = "all"

    @property
    def mode(self) -> str:
        return "commons" if self.label.startswith("commons") else self.label

    @property
    def database(self) -> str:
        return self.label.split("-", 1)[1] if self.mode == "commons" else ""

    async def start(self) -> Target:
        if self.mode == "commons":
            url = await asyncio.to_thread(seed.fresh_database, self.database, self.workdir, PG_URL)
            log(f"{self.label}: seeding {self.subscribers} subscribers")
            self.seeded = await seed.seed_network(url, self.workdir, self.subscribers, follow=FollowLevel(self.follow))
            self.seq = await seed.event_head(url, self.seeded.slug)
            env = commons_env(url) | self.extra_env
            self.server = await Server("commons", self.workdir, env).start()
            self.publisher = ApiPublisher(self.server.url, self.seeded.lead_token, self.seeded.slug)
        else:
            self.server = await Server(self.mode, self.workdir).start()
            self.publisher = await WsPublisher(self.mode, self.server.port, self.frame_bytes).open()
        return self

    @property
    def tokens_file(self) -> Path | None:
        return self.seeded.tokens_file if self.seeded else None

    async def head(self) -> int:
        """The last seq published (ours: read from the database, so a failed post is not counted)."""
        if self.seeded:
            return await seed.event_head(self.seeded.database_url, self.seeded.slug)
        return self.seq

    async def steady(self, rate: float, count: int) -> Published:
        assert self.publisher is not None
        out = await self.publisher.steady(rate, count)
        self.seq += count
        return out

    async def burst(self, count: int, concurrency: int = 8) -> Published:
        assert self.publisher is not None
        out = await self.publisher.burst(count, concurrency)
        self.seq += count
        return out

    async def stop(self) -> None:
        if self.publisher:
            await self.publisher.close()
        if self.server:
            await self.server.stop()
