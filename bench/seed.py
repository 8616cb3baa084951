"""Benchmark data, written directly (not through thousands of argon2 registrations).

People share one precomputed password hash and are bulk-inserted; memberships too (everyone
follows everything, the heaviest case for notifications); tokens come from
`network.people.accounts.create_token`; the network from `network.people.networks.create_network`.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from network.enums import FollowLevel, JoinPolicy, MemberState, NetworkKind, OrgKind, Role, Visibility
from network.inputs import NetworkInput
from network.models import Membership, Network, Organisation, Person
from network.people import accounts, networks
from server import migrate

PASSWORD = "bench password 2024"
SLUG = "bench"


@dataclass
class Seeded:
    database_url: str
    workdir: Path
    slug: str
    network_id: int
    lead_token: str  # a lead who is not among the subscribers: the publisher
    tokens: list[str] = field(default_factory=list)  # one per subscriber
    person_ids: list[int] = field(default_factory=list)

    @property
    def tokens_file(self) -> Path:
        path = self.workdir / "tokens.txt"
        if not path.exists():
            path.write_text("\n".join(self.tokens) + "\n")
        return path


def sqlite_url(workdir: Path) -> str:
    return f"sqlite+aiosqlite:///{workdir / 'bench.db'}"


def fresh_database(kind: str, workdir: Path, pg_url: str) -> str:
    """An empty, migrated database: a new SQLite file, or the PostgreSQL database's schema recreated."""
    if kind == "sqlite":
        url = sqlite_url(workdir)
    else:
        url = pg_url

        async def reset() -> None:
            await ensure_database(url)
            engine = create_async_engine(url)
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
            await engine.dispose()

        asyncio.run(reset())
    migrate.upgrade(url)
    return url


async def ensure_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database when it does not exist yet."""
    base, _, name = url.rpartition("/")
    admin = create_async_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            found = await conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if found.first() is None:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="commons-bench-"))


def engine_for(url: str) -> AsyncEngine:
    return create_async_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})


async def seed_network(
    url: str, work: Path, subscribers: int, *, slug: str = SLUG, follow: FollowLevel = FollowLevel.ALL
) -> Seeded:
    """One public network whose lead publishes and whose `subscribers` members follow it at `follow`
    (`all`, the default, is the heaviest: every post notifies every member)."""
    engine = engine_for(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    password_hash = accounts.hash_password(PASSWORD)
    try:
        async with maker() as session:
            org = Organisation(name=f"Bench Trust {slug}", kind=OrgKind.MULTI_ACADEMY_TRUST)
            session.add(org)
            await session.flush()
            lead = Person(
                email=f"lead-{slug}@bench.example",
                display_name="Bench Lead",
                password_hash=password_hash,
                organisation_id=org.id,
                is_admin=True,
            )
            session.add(lead)
            await session.flush()
            network = await networks.create_network(
                session,
                lead,
                NetworkInput(
                    slug=slug,
                    name="Benchmark network",
                    kind=NetworkKind.THEMATIC,
                    visibility=Visibility.PUBLIC,
                    join_policy=JoinPolicy.OPEN,
                    lead_email=lead.email,
                ),
            )
            _, lead_token = await accounts.create_token(session, lead, "bench publisher")
            person_ids = await add_members(
                session, org.id, network.id, subscribers, password_hash, prefix=slug, follow=follow
            )
            people = (await session.execute(select(Person).where(Person.id.in_(person_ids)))).scalars().all()
            by_id = {p.id: p for p in people}
            tokens = [(await accounts.create_token(session, by_id[pid], "bench"))[1] for pid in person_ids]
            await session.commit()
            return Seeded(url, work, slug, network.id, lead_token, tokens, person_ids)
    finally:
        await engine.dispose()


async def add_members(
    session: AsyncSession,
    organisation_id: int,
    network_id: int,
    count: int,
    password_hash: str,
    *,
    prefix: str,
    follow: FollowLevel = FollowLevel.ALL,
) -> list[int]:
    """`count` people, each an active member following the network at `follow`; their ids in order."""
    if count == 0:
        return []
    rows = [
        {
            "email": f"{prefix}-{i}@bench.example",
            "display_name": f"Bench Member {i}",
            "password_hash": password_hash,
            "organisation_id": organisation_id,
            "is_admin": False,
            "is_active": True,
            "notification_seq": 0,
        }
        for i in range(count)
    ]
    for chunk in range(0, count, 2000):
        await session.execute(insert(Person), rows[chunk : chunk + 2000])
    ids = list(
        (
            await session.execute(
                select(Person.id).where(Person.email.like(f"{prefix}-%@bench.example")).order_by(Person.id)
            )
        ).scalars()
    )
    members = [
        {
            "network_id": network_id,
            "person_id": pid,
            "role": Role.MEMBER,
            "state": MemberState.ACTIVE,
            "follow_level": follow,
        }
        for pid in ids
    ]
    for chunk in range(0, len(members), 2000):
        await session.execute(insert(Membership), members[chunk : chunk + 2000])
    return ids


async def event_head(url: str, slug: str) -> int:
    """The network's latest event seq, read directly."""
    engine = engine_for(url)
    try:
        async with engine.connect() as conn:
            value = (await conn.execute(select(Network.event_seq).where(Network.slug == slug))).scalar_one()
            return int(value)
    finally:
        await engine.dispose()
