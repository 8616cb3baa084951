"""Notifications, person, organisation and search pages in a real browser: live badge, marking read,
keyboard use, no-JavaScript forms, accessibility at desktop and phone widths."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from network.enums import OrgKind
from tests.conftest import PASSWORD, ApiClient, LiveServer, World
from tests.e2e.conftest import PHONE, api_sign_in, axe_violations, describe, new_context, open_live


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


async def signed_in_page(
    browser: Browser, server: LiveServer, who: ApiClient, **kw: Any
) -> tuple[BrowserContext, Page]:
    context = await new_context(browser, server, **kw)
    await api_sign_in(context, who.person["email"], PASSWORD)  # type: ignore[index]
    return context, await context.new_page()


async def unread(page: Page) -> str:
    return await page.locator("#unread-badge [data-unread]").inner_text()


async def test_badge_rises_live_on_a_reply_and_mark_all_read_brings_it_to_zero(world: World, browser: Browser) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug, name="Alice Able")
    replier = await world.member(slug, name="Bob Bright")
    post = await world.practice(author, slug, title="Phonics fidelity checks")
    context, page = await signed_in_page(browser, world.server, author)
    errors = watch_console(page)
    await open_live(page, "/notifications")
    assert await unread(page) == "0"
    await expect(page.locator("#unread-badge")).to_have_class("badge badge-empty")

    reply = await replier.post(f"/posts/{post['id']}/replies", json={"body": "We tried this too."})
    assert reply.status_code == 201
    await expect(page.locator("#unread-badge [data-unread]")).to_have_text("1")
    await expect(page.locator("#unread-badge")).to_be_visible()
    first = page.locator("#notification-list li").first
    await expect(first).to_contain_text("Bob Bright replied to your post “Phonics fidelity checks”.")
    await expect(first).to_contain_text("Unread")
    assert await page.locator("#notification-list").get_attribute("aria-live") == "polite"

    await replier.post(f"/posts/{post['id']}/replies", json={"body": "And again."})
    await expect(page.locator("#unread-badge [data-unread]")).to_have_text("2")
    await expect(page.locator("#notification-list li")).to_have_count(2)

    await page.get_by_role("button", name="Mark all read").click()
    await expect(page.locator("#unread-badge [data-unread]")).to_have_text("0")
    await expect(page.locator("#notification-list .tag-unread")).to_have_count(0)
    await expect(page.locator("#notification-status")).to_have_text("All notifications marked read.")
    assert await world.count("notifications", f"person_id = {author.id} AND read_at IS NULL") == 0
    await page.reload()
    assert await unread(page) == "0"
    assert await page.locator("#notification-list li").count() == 2
    assert errors == []
    await context.close()


async def test_mark_read_buttons_work_from_the_keyboard(world: World, browser: Browser) -> None:
    _, reader, _ = await world.two_members(practices=2)
    context, page = await signed_in_page(browser, world.server, reader)
    errors = watch_console(page)
    await page.goto("/notifications")
    assert await unread(page) == "2"

    async def tab_to(name: str) -> None:
        for _ in range(40):
            await page.keyboard.press("Tab")
            focused = await page.evaluate("document.activeElement && document.activeElement.textContent")
            if focused and focused.strip().startswith(name):
                return
        raise AssertionError(f"Tab never reached {name!r}")

    await tab_to("Mark all read")
    await tab_to("Mark read")
    label = await page.evaluate("document.activeElement.textContent")
    assert "Practice 1" in label  # each button names its notification for screen readers
    await page.keyboard.press("Enter")
    await expect(page.locator("#unread-badge [data-unread]")).to_have_text("1")
    # focus stays in the list, on the item just marked, and Tab goes on to the next button
    assert await page.evaluate("document.activeElement.classList.contains('notification')")
    await tab_to("Mark read")
    assert "Practice 0" in await page.evaluate("document.activeElement.textContent")
    await page.keyboard.press("Space")
    await expect(page.locator("#unread-badge [data-unread]")).to_have_text("0")
    assert await world.count("notifications", f"person_id = {reader.id} AND read_at IS NULL") == 0
    assert errors == []
    await context.close()


async def test_marking_read_works_without_javascript(world: World, browser: Browser) -> None:
    _, reader, _ = await world.two_members(practices=2)
    context, page = await signed_in_page(browser, world.server, reader, java_script_enabled=False)
    await page.goto("/notifications")
    assert await unread(page) == "2"
    await page.get_by_role("button", name="Mark read").first.click()
    await page.wait_for_url("**/notifications")
    assert await unread(page) == "1"
    await page.get_by_role("button", name="Mark all read").click()
    await page.wait_for_url("**/notifications")
    assert await unread(page) == "0"
    assert await page.locator("#notification-list .tag-unread").count() == 0
    await context.close()


@pytest.mark.markup
async def test_pages_are_accessible_at_desktop_and_phone_widths(world: World, browser: Browser) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead, name="Reading Network")
    alice = await world.member(slug, name="Alice Able", org="Able Trust")
    bob = await world.member(slug, name="Bob Bright")
    inspector = await world.observer(lead, slug, kind=OrgKind.REGULATOR)
    practice = await world.practice(
        alice, slug, title="Phonics fidelity checks", summary="Short daily phonics checks", themes=["phonics"]
    )
    request = await world.request(alice, slug, title="Phonics reviewer wanted", support_type="peer_review")
    await bob.post(f"/posts/{practice['id']}/replies", json={"body": "Useful, thank you."})
    await bob.post(f"/posts/{request['id']}/offers", json={"message": "We can **visit** in May."})
    bobs = await world.practice(bob, slug, title="Attendance phonics link")
    adoption = {
        "phase": "primary",
        "size_band": "medium",
        "started_on": (date.today() - timedelta(days=30)).isoformat(),
        "adapted": "Fortnightly",
    }
    assert (await alice.post(f"/posts/{bobs['id']}/adoptions", json=adoption)).status_code == 201
    for body in ({"q": "phonics", "filters": {"network": slug, "kind": "practice"}}, {"q": "oracy", "alerts": False}):
        assert (await alice.post("/me/saved-searches", json=body)).status_code == 201
    org_id = alice.person["organisation"]["id"]  # type: ignore[index]
    regulator_id = inspector.person["organisation"]["id"]  # type: ignore[index]
    pages = [
        "/notifications",
        "/account",
        f"/people/{alice.id}",
        f"/people/{inspector.id}",
        f"/organisations/{org_id}",
        f"/organisations/{regulator_id}",
        "/search",
        "/search?q=phonics",
        "/search?q=phonics+-attendance&theme=phonics&phase=primary&sort=newest",
        "/search?q=the",
        "/search?q=phonics&kind=poem",
        "/account/saved-searches",
        f"/posts/{bobs['id']}",  # "Tried elsewhere", with the report form open to Alice's organisation
        "/account/adoptions",
        "/people/999999",
    ]
    refusals = {"/search?q=phonics&kind=poem", "/people/999999"}
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        context, page = await signed_in_page(browser, world.server, alice, viewport=viewport)
        errors = watch_console(page)
        # one notification read, so both looks are checked
        await page.goto("/notifications")
        await page.get_by_role("button", name="Mark read").first.click()
        await expect(page.locator("#notification-status")).not_to_be_empty()
        for path in pages:
            before = len(errors)
            await page.goto(path)
            if path in refusals:  # the browser logs the 404 / 422 status itself; nothing else may appear
                errors[before:] = [e for e in errors[before:] if "responded with a status of" not in e]
            assert await page.locator("h1").count() == 1, path
            violations = await axe_violations(page)
            assert not violations, f"{path} at {viewport}: {describe(violations)}"
            overflow = await page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways at {viewport}"
        assert await page.locator("mark").count() == 0  # the last page is the 404 page
        await page.goto("/search?q=phonics")
        assert await page.locator("mark").count() >= 3
        assert errors == [], errors
        await context.close()
