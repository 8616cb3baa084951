"""Failed sign-ins are counted per account and address: a guesser is refused, the account is
slowed for failing addresses only, and its owner signs in from a clean address at once.

Each client connects from its own loopback address (127.0.0.x), so the server sees real,
distinct client addresses without any forwarded header.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.enums import OrgKind
from tests.conftest import PASSWORD, LiveServer, direct_account, make_settings, unique

ServerFactory = Callable[..., AbstractAsyncContextManager[LiveServer]]
_CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


@pytest.fixture
def limited_server(database_url: str, tmp_path: Path) -> ServerFactory:
    @asynccontextmanager
    async def start(**limits: Any) -> AsyncIterator[LiveServer]:
        live = LiveServer(make_settings(database_url, tmp_path, **limits)).start()
        try:
            yield live
        finally:
            live.stop()

    return start


class Visitor:
    """One browser on one client address: the JSON API and the sign-in form, sharing cookies."""

    def __init__(self, live: LiveServer, address: str) -> None:
        transport = httpx.AsyncHTTPTransport(local_address=address)
        self.http = httpx.AsyncClient(base_url=live.url, timeout=20, transport=transport)

    async def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        if "csrftoken" not in self.http.cookies:
            await self.http.get("/api/v1/networks")
        headers = {"x-csrftoken": self.http.cookies["csrftoken"]}
        return await self.http.post("/api/v1/auth/login", json={"email": email, "password": password}, headers=headers)

    async def form(self, email: str, password: str = PASSWORD) -> httpx.Response:
        found = _CSRF_FIELD.search((await self.http.get("/signin")).text)
        assert found
        fields = {"_csrf_token": html.unescape(found.group(1)), "email": email, "password": password}
        return await self.http.post("/signin", data=fields)

    async def me(self) -> httpx.Response:
        return await self.http.get("/api/v1/me")

    async def aclose(self) -> None:
        await self.http.aclose()


@asynccontextmanager
async def visitors(live: LiveServer, count: int) -> AsyncIterator[list[Visitor]]:
    made = [Visitor(live, f"127.0.0.{n + 2}") for n in range(count)]
    try:
        yield made
    finally:
        for visitor in made:
            await visitor.aclose()


async def account(db: async_sessionmaker[AsyncSession]) -> str:
    return await direct_account(db, "owner", "Account Owner", unique("Owner Trust "), OrgKind.FEDERATION)


def assert_refused(response: httpx.Response, mentions: str) -> int:
    """A 429 problem that says why and when to come back; returns its Retry-After."""
    assert response.status_code == 429, response.text
    problem = response.json()
    assert problem["status"] == 429
    assert mentions in problem["detail"], problem
    assert "try again in" in problem["detail"], problem
    retry_after = int(response.headers["retry-after"])
    assert 0 < retry_after <= 15 * 60
    return retry_after


async def test_a_guessing_address_is_refused_and_the_owner_still_signs_in(
    limited_server: ServerFactory, db: async_sessionmaker[AsyncSession]
) -> None:
    target = await account(db)
    async with (
        limited_server(login_failures_per_address=3, login_failures_per_account=100) as live,
        visitors(live, 2) as (attacker, owner),
    ):
        for _ in range(3):
            assert (await attacker.login(target, "guess guess")).status_code == 401
        # the guessing address is refused for this account, even with the right password
        refused = await attacker.login(target)
        wait = assert_refused(refused, "from your address")
        assert wait > 14 * 60
        assert (await attacker.me()).status_code == 401
        # the owner, from their own address, is let through at once (a typo first changes nothing)
        assert (await owner.login(target, "my typo!")).status_code == 401
        signed_in = await owner.login(target.upper())
        assert signed_in.status_code == 200, signed_in.text
        assert signed_in.json()["email"] == target
        # the refused address may still sign in to another account
        other = await account(db)
        assert (await attacker.login(other)).status_code == 200


async def test_a_slowed_account_makes_failing_addresses_wait_and_lets_clean_ones_through(
    limited_server: ServerFactory, db: async_sessionmaker[AsyncSession]
) -> None:
    target = await account(db)
    async with (
        limited_server(login_failures_per_address=3, login_failures_per_account=4) as live,
        visitors(live, 4) as (first, second, owner, newcomer),
    ):
        for _ in range(3):
            assert (await first.login(target, "guess guess")).status_code == 401
        assert (await second.login(target, "guess again")).status_code == 401  # the account's 4th failure
        # slowed: an address that has failed on it waits, told how long
        slowed = await second.login(target)
        wait = assert_refused(slowed, "slowed")
        assert wait <= 2
        # the owner, from an address with no failures, is not slowed at all
        assert (await owner.login(target)).status_code == 200
        # a new address may try at once; once it has failed it waits too, longer than before
        assert (await newcomer.login(target, "new guess!")).status_code == 401
        longer = assert_refused(await newcomer.login(target, "new guess!"), "slowed")
        assert longer > wait
        # slowed, not locked: after the wait a failing address is heard again
        await asyncio.sleep(longer + 0.2)
        heard = await second.login(target)
        assert heard.status_code == 200, heard.text


async def test_a_burst_of_concurrent_guesses_is_counted_before_any_is_checked(
    limited_server: ServerFactory, db: async_sessionmaker[AsyncSession]
) -> None:
    target = await account(db)
    async with (
        limited_server(login_failures_per_address=5, login_failures_per_account=100) as live,
        visitors(live, 1) as (attacker,),
    ):
        await attacker.http.get("/api/v1/networks")  # the CSRF cookie, before the burst
        answers = await asyncio.gather(*(attacker.login(target, f"guess {n:02}") for n in range(20)))
        statuses = sorted(response.status_code for response in answers)
        assert statuses == [401] * 5 + [429] * 15


async def test_the_sign_in_page_and_the_api_share_the_counts_and_the_answers(
    limited_server: ServerFactory, db: async_sessionmaker[AsyncSession]
) -> None:
    target = await account(db)
    async with (
        limited_server(login_failures_per_address=2, login_failures_per_account=100) as live,
        visitors(live, 2) as (attacker, owner),
    ):
        assert (await attacker.form(target, "guess guess")).status_code == 400
        assert (await attacker.login(target, "guess again")).status_code == 401
        # refused alike, by the page and by the API, with the same words and a wait
        api = await attacker.login(target)
        assert_refused(api, "from your address")
        page = await attacker.form(target)
        assert page.status_code == 429
        assert page.headers["content-type"].startswith("text/html")
        assert 14 * 60 < int(page.headers["retry-after"]) <= 15 * 60
        assert html.escape(api.json()["detail"], quote=False) in page.text
        assert "commons_session" not in attacker.http.cookies
        # the owner signs in with the form from a clean address
        signed_in = await owner.form(target)
        assert signed_in.status_code == 303, signed_in.text
        assert (await owner.me()).json()["email"] == target
