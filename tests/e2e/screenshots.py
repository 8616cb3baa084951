"""`make screenshots`: the main pages with the demo data, at desktop and phone widths, under
docs/screenshots/ (the README shows them). Uses the system Chromium, like the browser tests."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from playwright.async_api import Browser, async_playwright

from tests.conftest import LiveServer, make_settings
from tests.e2e.conftest import ARGS, CHROMIUM, DESKTOP, PHONE

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = "commons-demo-2026"
NETWORK = "north-west"


def seed(url: str, var_dir: Path) -> None:
    env = {"DATABASE_URL": url, "COMMONS_VAR_DIR": str(var_dir), "SECRET_KEY": "x" * 40, "PATH": ""}
    for command in ("migrate", "demo"):
        subprocess.run([sys.executable, "-m", "server.cli", command], env=env, check=True, capture_output=True)


def pages_to_shoot(base: str) -> list[tuple[str, str]]:
    """(name, path) of the main pages, with real ids from the demo data."""
    with httpx.Client(base_url=base + "/api/v1") as api:
        api.get("/networks")
        api.post(
            "/auth/login",
            json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD},
            headers={"x-csrftoken": api.cookies["csrftoken"]},
        ).raise_for_status()
        posts = api.get(f"/networks/{NETWORK}/posts", params={"limit": 50}).json()["items"]
        me = api.get("/me").json()
        engagements = api.get("/me/engagements").json()
    practice = next(p for p in posts if p["kind"] == "practice" and p["state"] == "visible")
    request = next(p for p in posts if p["kind"] == "request" and p["state"] == "visible")
    engagement = next(e for e in engagements if e["state"] == "active")
    return [
        ("landing", "/"),
        ("networks", "/networks"),
        ("network", f"/networks/{NETWORK}"),
        ("practice", f"/posts/{practice['id']}"),
        ("request", f"/posts/{request['id']}"),
        ("compose", f"/networks/{NETWORK}/new?kind=practice"),
        ("notifications", "/notifications"),
        ("search", "/search?q=reading"),
        ("person", f"/people/{me['id']}"),
        ("organisation", f"/organisations/{me['organisation']['id']}"),
        ("queue", f"/networks/{NETWORK}/queue"),
        ("log", f"/networks/{NETWORK}/log"),
        ("settings", f"/networks/{NETWORK}/settings"),
        ("charter", "/networks/reading/charter/diff?from=1&to=2"),
        ("appeals", "/appeals"),
        ("engagement", f"/engagements/{engagement['id']}"),
        ("engagements", "/account/engagements"),
    ]


async def shoot(browser: Browser, base: str, shots: list[tuple[str, str]]) -> list[Path]:
    written = []
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = await browser.new_context(base_url=base, viewport=viewport, device_scale_factor=1)
        page = await context.new_page()
        await page.goto("/signin")
        await page.get_by_label("Email address").fill(DEMO_EMAIL)
        await page.get_by_label("Password").fill(DEMO_PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url("**/networks")
        for name, path in shots:
            await page.goto(path)
            await page.wait_for_load_state("networkidle")
            target = OUT / f"{name}-{label}.png"
            await page.screenshot(path=str(target), full_page=label == "desktop")
            written.append(target)
        await context.close()
    return written


async def browse(base: str, shots: list[tuple[str, str]]) -> list[Path]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            return await shoot(browser, base, shots)
        finally:
            await browser.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        var_dir = Path(tmp)
        url = f"sqlite+aiosqlite:///{var_dir / 'demo.db'}"
        seed(url, var_dir)
        server = LiveServer(make_settings(url, var_dir)).start()
        try:
            written = asyncio.run(browse(server.url, pages_to_shoot(server.url)))
        finally:
            server.stop()
    for path in written:
        print(path.relative_to(OUT.parents[1]))


if __name__ == "__main__":
    main()
