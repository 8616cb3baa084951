"""Sign-in rate limits: per client address and per account, on a server with low limits."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.enums import OrgKind
from network.people import accounts
from tests.conftest import PASSWORD, ApiClient, LiveServer, direct_account, make_settings, unique

ServerFactory = Callable[..., AbstractAsyncContextManager[LiveServer]]


@pytest.fixture
def limited_server(database_url: str, tmp_path: Path) -> ServerFactory:
    """Start a server with the given sign-in limits; it is stopped when the test's block ends."""

    @asynccontextmanager
    async def start(**limits: Any) -> AsyncIterator[LiveServer]:
        live = LiveServer(make_settings(database_url, tmp_path, **limits)).start()
        try:
            yield live
        finally:
            live.stop()

    return start


async def make_account(db: async_sessionmaker[AsyncSession]) -> str:
    """An account made directly, so the limited sign-up route is not spent on arranging."""
    return await direct_account(db, "limited", "Limited Person", unique("Limit Trust "), OrgKind.FEDERATION)


async def login(c: ApiClient, email: str, password: str = PASSWORD, **kw: Any) -> httpx.Response:
    return await c.post("/auth/login", json={"email": email, "password": password}, **kw)


def assert_limited(response: httpx.Response, mentions: str) -> None:
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["retry-after"])
    assert 0 < retry_after <= 15 * 60
    problem = response.json()
    assert problem["status"] == 429
    assert mentions in problem["detail"], problem
    assert "try again" in problem["detail"].lower()


async def test_sign_in_is_limited_per_client_address(
    limited_server: ServerFactory, db: async_sessionmaker[AsyncSession]
) -> None:
    email = await make_account(db)
    async with limited_server(login_attempts_per_minute=3) as live:
        c = ApiClient(live.url)
        try:
            assert (await login(c, email, "wrong password")).status_code == 401
            assert (await login(c, email, "wrong password")).status_code == 401
            ok = await login(c, email)
            assert ok.status_code == 200
            assert ok.headers["ratelimit-remaining"] == "0"
            # the fourth attempt in the minute is refused, however right it is
            fourth = await login(c, email)
            assert_limited(fourth, "from your address")
            assert int(fourth.headers["retry-after"]) <= 60
            # sign-up on the same address is limited with it
            signup = await c.post(
                "/auth/register",
                json={
                    "email": "late@example.org",
                    "password": PASSWORD,
                    "display_name": "Late",
                    "organisation": {"name": "Late Trust", "kind": "federation"},
                },
            )
            assert_limited(signup, "from your address")
            # signing out is never limited, and reading is unaffected
            assert (await c.post("/auth/logout")).status_code == 204
            assert (await c.get("/networks")).status_code == 200
            # another address (as told by the trusted local proxy) has its own allowance
            other = await login(c, email, headers={"x-forwarded-for": "203.0.113.7"})
            assert other.status_code == 200, other.text
        finally:
            await c.aclose()
    async with db() as session:
        assert await accounts.person_by_email(session, "late@example.org") is None


async def test_a_correct_password_forgets_that_addresses_failures(
    limited_server: ServerFactory, db: async_sessionmaker[AsyncSession]
) -> None:
    email = await make_account(db)
    async with limited_server(login_attempts_per_minute=1_000, login_failures_per_address=3) as live:
        c = ApiClient(live.url)
        try:
            for _ in range(3):  # without forgetting, the fifth failure here would be refused
                assert (await login(c, email, "wrong wrong")).status_code == 401
                assert (await login(c, email, "wrong wrong")).status_code == 401
                assert (await login(c, email)).status_code == 200
            for _ in range(3):
                assert (await login(c, email, "wrong wrong")).status_code == 401
            assert_limited(await login(c, email), "this account from your address")
        finally:
            await c.aclose()


async def test_unknown_emails_are_refused_the_same_way(
    limited_server: ServerFactory, db: async_sessionmaker[AsyncSession]
) -> None:
    """So a refusal cannot be used to tell which emails have accounts."""
    known = await make_account(db)
    async with limited_server(login_attempts_per_minute=1_000, login_failures_per_address=2) as live:
        c = ApiClient(live.url)
        try:
            answers: dict[str, list[tuple[int, str]]] = {}
            for email in (known, "nobody-here@example.org"):
                answers[email] = []
                for _ in range(3):
                    response = await login(c, email, "not the password")
                    answers[email].append((response.status_code, response.json()["detail"]))
            assert answers[known] == answers["nobody-here@example.org"]
            assert [status for status, _ in answers[known]] == [401, 401, 429]
        finally:
            await c.aclose()
