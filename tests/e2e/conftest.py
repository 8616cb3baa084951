"""Browser tests: Playwright driving the system Chromium against a real server on a loopback port.

Chromium comes from the OS (`apt-get install chromium`), never from `playwright install`.
Without it these tests skip with a message, unless REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, WebSocket, async_playwright
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from server.mail.models import OutboundMail
from tests.conftest import LiveServer

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium`"
        if REQUIRE_BROWSER:
            pytest.fail(message)
        pytest.skip(message)
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        await launched.close()


async def new_context(browser: Browser, server: LiveServer, **kw: Any) -> BrowserContext:
    """A fresh browser profile (its own cookies) pointed at the server."""
    context = await browser.new_context(base_url=server.url, viewport=kw.pop("viewport", DESKTOP), **kw)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
async def context(browser: Browser, server: LiveServer) -> AsyncIterator[BrowserContext]:
    ctx = await new_context(browser, server)
    yield ctx
    await ctx.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    return await context.new_page()


async def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Run axe-core in the page (injected through the DevTools protocol, so the page's CSP still
    applies to everything of ours) and return its serious and critical violations."""
    session = await page.context.new_cdp_session(page)
    await session.send("Runtime.evaluate", {"expression": AXE.read_text(), "returnByValue": False})
    result = await session.send(
        "Runtime.evaluate",
        {
            "expression": "axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))",
            "awaitPromise": True,
            "returnByValue": True,
        },
    )
    await session.detach()

    violations: list[dict[str, Any]] = json.loads(result["result"]["value"])
    return [v for v in violations if v.get("impact") in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )


async def api_sign_in(context: BrowserContext, email: str, password: str) -> None:
    """Sign a browser context in through the JSON API (its cookies are the context's own)."""
    await context.request.get("/api/v1/networks")  # sets the csrftoken cookie
    cookies = {c["name"]: c["value"] for c in await context.cookies()}
    response = await context.request.post(
        "/api/v1/auth/login",
        data={"email": email, "password": password},
        headers={"x-csrftoken": cookies["csrftoken"]},
    )
    assert response.ok, await response.text()


async def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the sign-in page, as a person would; ends on the network directory."""
    await page.goto("/signin")
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/networks")


async def open_live(page: Page, path: str, network: str | None = None) -> None:
    """Go to a page and wait until its socket follows the person's notifications (and `network`'s stream)."""
    frames: list[str] = []

    def on_socket(ws: WebSocket) -> None:
        ws.on("framereceived", lambda payload: frames.append(payload if isinstance(payload, str) else ""))

    page.on("websocket", on_socket)
    await page.goto(path)
    deadline = time.monotonic() + 10
    wanted = ['"notifications"'] + ([f'"network": "{network}"'] if network else [])
    while not all(
        any('"subscribed"' in f and w.replace(" ", "") in f.replace(" ", "") for f in frames) for w in wanted
    ):
        assert time.monotonic() < deadline, f"the page never subscribed to {wanted}: {frames}"
        await asyncio.sleep(0.05)


async def mailed_link(server: LiveServer, address: str, path: str, seconds: float = 10) -> str:
    """The path and query of the `path` link in the newest mail queued to `address` (read from the
    mail queue in the server's database: the tests' shared server queues mail and leaves sending it
    to the servers of the tests that send it, `server/mail/`)."""
    deadline = time.monotonic() + seconds
    pattern = re.compile(rf"https?://[^/\s]+({re.escape(path)}\?token=\S+)")
    engine = create_async_engine(server.settings.database_url)
    try:
        while True:
            async with engine.connect() as conn:
                bodies = (
                    await conn.execute(
                        select(OutboundMail.text_body)
                        .where(OutboundMail.to_address == address.lower())
                        .order_by(OutboundMail.id.desc())
                    )
                ).scalars()
                found = [link.group(1) for body in bodies if (link := pattern.search(body))]
            if found:
                return found[0]
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {address} with a {path} link")
            await asyncio.sleep(0.1)
    finally:
        await engine.dispose()
