"""Shared fixtures: real databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set) and a
real server on a free loopback port, driven over HTTP.

Every test that asks for `backend` runs once per database. The schema is migrated once per
database per run; tables are emptied before each test (the log's epoch row is kept, as a real
database keeps it).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from network import clock
from network.enums import Affiliation, OrgKind
from network.inputs import OrganisationInput, RegisterInput
from network.models import Person
from network.people import accounts
from network.search import schema as search_schema
from server import db as db_config
from server import migrate
from server.app import create_app
from server.cli import WEBSOCKET_OPTIONS
from server.mail.models import OutboundMail
from server.settings import Settings

if TYPE_CHECKING:
    from tests.smtp import SmtpServer

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
PASSWORD = "correct horse battery"
KEEP_TABLES = {"log_epoch", "alembic_version"}


def _backends() -> list[str]:
    return ["sqlite", "postgres"] if PG_URL or REQUIRE_POSTGRES else ["sqlite"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _check_postgres() -> None:
    if not PG_URL:
        pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")

    async def ping() -> None:
        engine = create_async_engine(PG_URL)
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    try:
        asyncio.run(ping())
    except Exception as exc:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required but unreachable at TEST_DATABASE_URL: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")


def _reset_postgres_schema(url: str) -> None:
    async def reset() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await engine.dispose()

    asyncio.run(reset())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """An accessibility sweep (`@pytest.mark.markup`) judges pages' markup, which does not depend on the
    database: it runs once, on SQLite, and not again on PostgreSQL (whose pages the other tests render)."""
    again = [item for item in items if item.get_closest_marker("markup") and "[postgres" in item.name]
    if again:
        config.hook.pytest_deselected(items=again)
        items[:] = [item for item in items if item not in again]


@pytest.fixture(autouse=True)
def light_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests make accounts by the dozen: hash with argon2id's lightest settings (same format;
    the service keeps argon2-cffi's defaults, and servers started as processes use them)."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session", params=_backends())
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database of each kind."""
    if request.param == "postgres":
        _check_postgres()
        _reset_postgres_schema(PG_URL)
        migrate.upgrade(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("db") / "commons.db"
    url = f"sqlite+aiosqlite:///{path}"
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgres"


def make_settings(database_url: str, var_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "secret_key": "test-secret-key-with-enough-length-0123456789",
        "var_dir": var_dir,
        "session_store": "memory",
        "login_attempts_per_minute": 10_000,
        "live_tick_seconds": 1.0,
        # the session's server shares the database with tests that send its mail themselves: only the
        # servers those tests start (`mailing`, tests/server/mail/) send, so none takes another's mail
        "send_mail": False,
    }
    values.update(overrides)
    return Settings(**values)


class LiveServer:
    """A real uvicorn server in a thread, on a free loopback port (as httpx's own tests do)."""

    def __init__(self, settings: Settings, ws: str = "websockets-sansio", port: int | None = None) -> None:
        self.settings = settings
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            ws=ws,  # type: ignore[arg-type]
            **WEBSOCKET_OPTIONS,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(make_settings(database_url, tmp_path_factory.mktemp("var"))).start()
    yield live
    live.stop()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Direct database access for arranging data and checking what was (not) written."""
    yield async_sessionmaker(engine, expire_on_commit=False)


@pytest.fixture
async def app_db(database_url: str, tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions made as the app makes them (on SQLite, writers take the lock with BEGIN IMMEDIATE)."""
    config = db_config.database_config(make_settings(database_url, tmp_path))
    yield config.create_session_maker()
    await config.get_engine().dispose()


@pytest.fixture(autouse=True)
async def _empty_tables(request: pytest.FixtureRequest) -> None:
    if "database_url" not in request.fixturenames:
        return
    url: str = request.getfixturevalue("database_url")
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            names = await conn.run_sync(lambda c: c.dialect.get_table_names(c))
            # the search index's FTS5 shadow tables go with their table (network/search/schema.py)
            tables = [n for n in names if n not in KEEP_TABLES and not _fts_shadow(n)]
            if url.startswith("postgresql"):
                await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                await conn.execute(text("PRAGMA foreign_keys=OFF"))
                for name in tables:
                    await conn.execute(text(f'DELETE FROM "{name}"'))  # noqa: S608 - our own table names
    finally:
        await engine.dispose()


def _fts_shadow(name: str) -> bool:
    """An FTS5 table's own storage (emptied with its table: network/search/schema.py)."""
    return any(name.startswith(fts + "_") for fts in search_schema.NAMES)


_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_counter)}"


async def direct_account(
    db: async_sessionmaker[AsyncSession],
    prefix: str,
    name: str,
    organisation: str,
    kind: OrgKind,
    *,
    is_admin: bool = False,
) -> str:
    """An account written straight to the database (no sign-up request spent), as a platform admin would
    make it (so its organisation may be a regulator or government one); returns its email."""
    email = unique(prefix) + "@example.org"
    async with db() as session:
        data = RegisterInput(
            email=email,
            password=PASSWORD,
            display_name=name,
            organisation=OrganisationInput(name=organisation, kind=kind),
        )
        await accounts.register(session, data, is_admin=is_admin, by_platform_admin=True)
        await session.commit()
    return email


async def confirm_directly(db: async_sessionmaker[AsyncSession], email: str, *, verified: bool = False) -> None:
    """Mark an account's address confirmed in the database (no mail read, no link followed); `verified`:
    and the person verified for their organisation, as its approver would (tests of other things need
    people who may act; tests/server/test_api_affiliation.py goes through the approvers)."""
    values: dict[str, Any] = {"email_confirmed_at": clock.now()}
    if verified:
        values["affiliation"] = Affiliation.VERIFIED
    async with db() as session:
        await session.execute(update(Person).where(Person.email == email.lower()).values(**values))
        await session.commit()


async def confirmation_token(db: async_sessionmaker[AsyncSession], email: str) -> str:
    """The token of the newest confirmation link mailed to `email`, read from the mail queue."""
    async with db() as session:
        body = await session.scalar(
            select(OutboundMail.text_body)
            .where(OutboundMail.to_address == email.lower(), OutboundMail.kind == "confirm_email")
            .order_by(OutboundMail.id.desc())
            .limit(1)
        )
    found = re.search(r"/confirm-email\?token=(\S+)", body or "")
    assert found, f"no confirmation mail to {email}"
    return unquote(found.group(1))


class ApiClient:
    """An httpx client that signs in and sends the CSRF header like a browser's script would."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=base_url + "/api/v1", timeout=20)
        self.person: dict[str, Any] | None = None

    async def _csrf(self) -> dict[str, str]:
        if "csrftoken" not in self.http.cookies:
            await self.http.get("/networks")
        return {"x-csrftoken": self.http.cookies["csrftoken"]}

    async def get(self, path: str, **kw: Any) -> httpx.Response:
        return await self.http.get(path, **kw)

    async def post(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return await self.http.post(path, json=json, headers=await self._csrf() | kw.pop("headers", {}), **kw)

    async def patch(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return await self.http.patch(path, json=json, headers=await self._csrf() | kw.pop("headers", {}), **kw)

    async def put(self, path: str, json: Any = None, **kw: Any) -> httpx.Response:
        return await self.http.put(path, json=json, headers=await self._csrf() | kw.pop("headers", {}), **kw)

    async def delete(self, path: str, **kw: Any) -> httpx.Response:
        return await self.http.delete(path, headers=await self._csrf() | kw.pop("headers", {}), **kw)

    @property
    def id(self) -> int:
        assert self.person is not None
        return int(self.person["id"])

    async def aclose(self) -> None:
        await self.http.aclose()


@dataclass
class World:
    """Makes people, networks and posts through the real API (admins directly in the database)."""

    server: LiveServer
    db: async_sessionmaker[AsyncSession]
    clients: list[ApiClient]

    def client(self) -> ApiClient:
        c = ApiClient(self.server.url)
        self.clients.append(c)
        return c

    async def person(
        self,
        *,
        org: str | None = None,
        kind: OrgKind = OrgKind.MULTI_ACADEMY_TRUST,
        name: str | None = None,
        verified: bool = True,
    ) -> ApiClient:
        """A person signed up through the API; `verified`: their organisation has vouched for them (as
        one of its approvers would), else they wait (docs/design.md §3.9)."""
        c = self.client()
        if kind.observer_only:  # only a platform admin makes these accounts: written directly, then signed in
            email = await direct_account(self.db, "person", name or unique("Observer "), org or unique("Office "), kind)
            response = await c.post("/auth/login", json={"email": email, "password": PASSWORD})
            assert response.status_code == 200, response.text
            c.person = response.json()
            c.person["email"] = email
            return c
        email = unique("person") + "@example.org"
        response = await c.post(
            "/auth/register",
            json={
                "email": email,
                "password": PASSWORD,
                "display_name": name or email.split("@")[0].title(),
                "organisation": {"name": org or unique("Trust "), "kind": kind.value},
            },
        )
        assert response.status_code == 202, response.text
        if verified:  # confirmed and vouched for, behind the scenes
            await confirm_directly(self.db, email, verified=True)
            response = await c.post("/auth/login", json={"email": email, "password": PASSWORD})
        else:  # the real path: the mailed link confirms the address, and the organisation is asked
            token = await confirmation_token(self.db, email)
            response = await c.post("/auth/confirm-email", json={"token": token})
        assert response.status_code == 200, response.text
        c.person = response.json()
        c.person["email"] = email
        return c

    async def admin(self) -> ApiClient:
        email = await direct_account(
            self.db, "admin", "Platform Admin", "Commons Stewards", OrgKind.OTHER_GROUP, is_admin=True
        )
        c = self.client()
        response = await c.post("/auth/login", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        c.person = response.json()
        return c

    async def network(
        self, lead: ApiClient, *, visibility: str = "public", join_policy: str = "open", **extra: Any
    ) -> str:
        admin = await self.admin()
        slug = unique("net-")
        body = {
            "slug": slug,
            "name": f"Network {slug}",
            "kind": "thematic",
            "visibility": visibility,
            "join_policy": join_policy,
            "lead_email": lead.person["email"] if lead.person else "",
        } | extra
        response = await admin.post("/networks", json=body)
        assert response.status_code == 201, response.text
        return slug

    async def member(self, slug: str, *, follow: str | None = None, **kw: Any) -> ApiClient:
        """A person who joined the network; `follow`: the follow level they then chose (new members
        follow at "requests only")."""
        c = await self.person(**kw)
        response = await c.post(f"/networks/{slug}/join")
        assert response.status_code == 200, response.text
        assert response.json()["state"] == "active", response.text
        if follow is not None:
            await self.follow(c, slug, follow)
        return c

    async def follow(self, member: ApiClient, slug: str, level: str) -> None:
        response = await member.put(f"/networks/{slug}/follow", json={"level": level})
        assert response.status_code == 200, response.text
        assert response.json()["follow_level"] == level

    async def two_members(self, practices: int = 0, title: str = "Practice") -> tuple[str, ApiClient, ApiClient]:
        """A new network (its lead aside) with two members; the first follows everything, the second
        has shared `practices` practices, titled "<title> 0", "<title> 1", …"""
        slug = await self.network(await self.person())
        first, second = await self.member(slug, follow="all"), await self.member(slug)
        for n in range(practices):
            await self.practice(second, slug, title=f"{title} {n}")
        return slug, first, second

    async def practice(self, author: ApiClient, slug: str, **fields: Any) -> dict[str, Any]:
        body = {
            "kind": "practice",
            "title": "Phonics catch-up with fidelity checks",
            "body": "We did this.",
        } | fields
        response = await author.post(f"/networks/{slug}/posts", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def request(self, author: ApiClient, slug: str, **fields: Any) -> dict[str, Any]:
        body = {
            "kind": "request",
            "title": "Peer review of our KS3 science",
            "body": "We need help.",
        } | fields
        response = await author.post(f"/networks/{slug}/posts", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def observer(self, lead: ApiClient, slug: str, kind: OrgKind = OrgKind.GOVERNMENT) -> ApiClient:
        """A person of a government (or regulator) organisation, admitted by the lead as an observer."""
        obs = await self.person(kind=kind)
        assert (await obs.post(f"/networks/{slug}/join")).json()["state"] == "pending"
        response = await lead.patch(f"/networks/{slug}/members/{obs.id}", json={"state": "active"})
        assert response.status_code == 200, response.text
        return obs

    async def set_post(self, post_id: int, assignment: str) -> None:
        """Set pinned, locked or state directly, for pages that read them.

        This writes behind the network's event log, so a JSON feed (which is cached by the
        log's head) may go on serving the earlier page: tests of the JSON feed decide through
        `POST /networks/{slug}/decisions` instead, as a lead does.
        """
        async with self.db() as session:
            await session.execute(text(f"UPDATE posts SET {assignment} WHERE id = {int(post_id)}"))  # noqa: S608
            await session.commit()

    async def set_reply(self, reply_id: int, assignment: str) -> None:
        """As `set_post`, for a reply's state."""
        async with self.db() as session:
            await session.execute(text(f"UPDATE replies SET {assignment} WHERE id = {int(reply_id)}"))  # noqa: S608
            await session.commit()

    async def count(self, table: str, where: str = "1=1") -> int:
        async with self.db() as session:
            result = await session.execute(text(f"SELECT count(*) FROM {table} WHERE {where}"))  # noqa: S608
            return int(result.scalar_one())


def problem(response: httpx.Response, status: int, *words: str) -> dict[str, Any]:
    """A problem-details refusal with `status`, a readable detail, and a message naming each of `words`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert isinstance(body.get("detail"), str) and len(body["detail"]) > 5, body
    message = f"{body.get('title', '')} {body.get('detail', '')} {body.get('errors', '')}".lower()
    for word in words:
        assert word.lower() in message, (word, body)
    return body


async def event_kinds(world: World) -> list[str]:
    """Every event kind in the log, oldest first."""
    async with world.db() as session:
        result = await session.execute(text("SELECT kind FROM events ORDER BY id"))
        return [str(k) for k in result.scalars()]


@pytest.fixture
async def world(server: LiveServer, db: async_sessionmaker[AsyncSession]) -> AsyncIterator[World]:
    w = World(server=server, db=db, clients=[])
    yield w
    for c in w.clients:
        await c.aclose()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on a loopback port (aiosmtpd), collecting what it is sent."""
    from tests.smtp import SmtpServer  # here: tests/smtp.py imports this module

    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
async def mailing(world: World, smtp: SmtpServer, database_url: str, tmp_path: Path) -> AsyncIterator[World]:
    """The world, served by a server that sends its mail to `smtp` and whose links (PUBLIC_URL) lead to itself."""
    port = free_port()
    settings = make_settings(
        database_url,
        tmp_path,
        smtp_url=smtp.url(),
        public_url=f"http://127.0.0.1:{port}",
        live_tick_seconds=0.2,
        mail_tick_seconds=0.5,
        send_mail=True,
    )
    live = LiveServer(settings, port=port).start()
    world.server = live
    yield world
    live.stop()
