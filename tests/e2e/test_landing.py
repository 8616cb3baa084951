"""The landing page in a real browser: no console errors under the CSP, and accessible."""

from __future__ import annotations

from playwright.async_api import Page

from tests.conftest import World
from tests.e2e.conftest import axe_violations, describe


async def test_landing_page_is_accessible_and_runs_clean(world: World, page: Page) -> None:
    lead = await world.person()
    await world.network(lead)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto("/")
    assert await page.title() == "Improvement Commons · Improvement Commons"
    assert await page.locator("h1").inner_text() == "Improvement Commons"
    violations = await axe_violations(page)
    assert not violations, describe(violations)
    assert errors == []
