"""The transparency log, settings, charter and appeal pages in a real Chromium: accessible at desktop and
phone widths, and the log announcing a new decision live."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.conftest import PASSWORD, ApiClient, LiveServer, World
from tests.e2e.conftest import DESKTOP, PHONE, api_sign_in, new_context
from tests.e2e.test_auth_and_networks import check, watch_errors

NEW_CHARTER = """We share what works, in the open.

1. Share practice honestly, including what did not work and how strong the evidence is.
2. Never post personal data about pupils, families or staff; describe cohorts, not individuals.
3. Respond to requests for help in good faith.
4. Disagree with ideas, not people.
5. Leads moderate in the open: every action is logged with its reason and can be appealed.
6. Regulators and government may observe but do not post, flag or moderate.
7. Credit the schools whose practice you adapt.
"""


async def signed_in(browser: Browser, server: LiveServer, who: ApiClient, viewport: dict[str, int]) -> BrowserContext:
    context = await new_context(browser, server, viewport=viewport)
    assert who.person
    await api_sign_in(context, who.person["email"], PASSWORD)
    return context


async def decide(lead: ApiClient, slug: str, **body: Any) -> dict[str, Any]:
    response = await lead.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.mark.markup
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_governance_pages_are_accessible_at_desktop_and_phone_widths(
    world: World, browser: Browser, server: LiveServer, viewport: dict[str, int]
) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead, join_policy="request", name="Curriculum Leaders")
    second = await world.person(name="Olu Other")
    assert (await second.post(f"/networks/{slug}/join")).status_code == 200
    assert (await lead.patch(f"/networks/{slug}/members/{second.id}", json={"state": "active"})).status_code == 200
    assert (await lead.patch(f"/networks/{slug}/members/{second.id}", json={"role": "lead"})).status_code == 200
    author = await world.person(name="Ada Author")
    assert (await author.post(f"/networks/{slug}/join")).status_code == 200
    assert (await lead.patch(f"/networks/{slug}/members/{author.id}", json={"state": "active"})).status_code == 200
    await world.observer(lead, slug)
    questions = {"join_questions": ["Which trust are you from?", "What would you like to share?"]}
    assert (await lead.patch(f"/networks/{slug}/settings", json=questions)).status_code == 200
    word = {"pattern": "(?:cheap|free) essays{0,1}", "is_regex": True, "action": "block", "message": "No adverts."}
    assert (await lead.post(f"/networks/{slug}/watched-words", json=word)).status_code == 201
    assert (
        await lead.put(f"/networks/{slug}/charter", json={"body": NEW_CHARTER, "note": "Credit"})
    ).status_code == 200
    first = await world.practice(author, slug, title="Reading recovery")
    second_post = await world.practice(author, slug, title="Maths mastery")
    appealed = await decide(
        lead, slug, target_type="post", target_id=first["id"], action="hide", reason="Names a pupil", clause=2
    )
    open_decision = await decide(
        lead, slug, target_type="post", target_id=second_post["id"], action="lock", reason="Done"
    )
    filed = await author.post("/appeals", json={"decision_id": appealed["id"], "statement": "The name was made up."})
    assert filed.status_code == 201, filed.text
    appeal_id = filed.json()["id"]
    outsider = await world.person()

    lead_context = await signed_in(browser, server, lead, viewport)
    try:
        page = await lead_context.new_page()
        errors = watch_errors(page)
        for path in (
            f"/networks/{slug}/log",
            f"/networks/{slug}/settings",
            f"/networks/{slug}/charter",
            f"/networks/{slug}/charter/diff?from=1&to=2",
            f"/appeals/{appeal_id}",  # the lead who acted: the appeal, and why they may not decide it
        ):
            await page.goto(path)
            await check(page, path, viewport)
        # refused forms: the messages beside the fields, and an error summary
        await page.goto(f"/networks/{slug}/settings")
        await page.get_by_label("New members' first posts approved by a lead").fill("99")
        await page.get_by_role("button", name="Save moderation settings").click()
        await expect(page.get_by_role("alert").first).to_contain_text("There is a problem")
        await expect(page.locator("#moderation-premod_posts-error")).to_contain_text("whole number from 0 to 50")
        await check(page, "settings (refused)", viewport)
        await page.goto(f"/networks/{slug}/settings#invitations")
        await page.get_by_label("Email address to invite").fill("new.head@example.org")
        await page.get_by_role("button", name="Make an invitation link").click()
        link = page.get_by_label("Invitation link for new.head@example.org")
        await expect(link).to_have_value(re.compile(rf"^{re.escape(server.url)}/networks/{slug}/join\?invitation=\S+$"))
        await check(page, "settings (invitation made)", viewport)
        await page.goto(f"/networks/{slug}/charter")
        await page.get_by_label("Charter text").fill("No clauses at all.")
        await page.get_by_role("button", name="Publish version 3").click()
        await expect(page.locator("#charter-body-error")).to_contain_text("numbered clause")
        await check(page, "charter (refused)", viewport)
        assert errors == []
    finally:
        await lead_context.close()

    deciding = await signed_in(browser, server, second, viewport)
    try:
        page = await deciding.new_page()
        errors = watch_errors(page)
        for path in ("/appeals", f"/appeals/{appeal_id}"):
            await page.goto(path)
            await check(page, path, viewport)
        await page.get_by_role("button", name="Decide the appeal").click()
        await expect(page.locator("#decide-outcome-error")).to_contain_text("uphold the decision or to overturn")
        await check(page, "appeal (refused)", viewport)
        assert errors == []
    finally:
        await deciding.close()

    appellant = await signed_in(browser, server, author, viewport)
    try:
        page = await appellant.new_page()
        errors = watch_errors(page)
        for path in (
            f"/decisions/{open_decision['id']}/appeal",
            f"/appeals/{appeal_id}",
            f"/networks/{slug}/log?about=me",
        ):
            await page.goto(path)
            await check(page, path, viewport)
        assert errors == []
    finally:
        await appellant.close()

    joining = await signed_in(browser, server, outsider, viewport)
    try:
        page = await joining.new_page()
        errors = watch_errors(page)
        await page.goto(f"/networks/{slug}")
        await check(page, "network home with join questions", viewport)
        await page.get_by_role("button", name="Request to join Curriculum Leaders").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Join Curriculum Leaders")
        await expect(page.locator("#join-answer-1-error")).to_have_text("Required.")
        await check(page, "join page (refused)", viewport)
        assert errors == []
    finally:
        await joining.close()


async def test_a_new_decision_is_announced_live_on_an_open_log(
    world: World, browser: Browser, server: LiveServer
) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Attendance Network")
    author = await world.member(slug)
    reader = await world.member(slug)
    post = await world.practice(author, slug, title="Calling home on day one")
    context = await signed_in(browser, server, reader, DESKTOP)
    try:
        page: Page = await context.new_page()
        errors = watch_errors(page)
        await page.goto(f"/networks/{slug}/log")
        entries = page.locator(".log-entry")
        await expect(entries).to_have_count(1)  # the first lead, appointed when the network was made
        region = page.locator("#log-news")
        await expect(region).to_have_attribute("role", "status")
        await expect(region.locator(".log-news-bar")).to_be_hidden()
        # the page subscribes from the seq it was rendered at, so a decision made now is never missed
        made = await decide(lead, slug, target_type="post", target_id=post["id"], action="pin", reason="Useful to all")
        await expect(region).to_contain_text("1 new entry — show")
        await expect(entries).to_have_count(1)  # announced, not inserted under the reader's eyes
        assert (await lead.patch(f"/networks/{slug}/settings", json={"slow_mode_seconds": 30})).status_code == 200
        await expect(region).to_contain_text("2 new entries — show")
        await region.get_by_role("link", name="show").click()
        await expect(entries).to_have_count(3)
        await expect(page.locator(f"#entry-{made['id']}")).to_contain_text("Pinned a post")
        await expect(page.locator(f"#entry-{made['id']}")).to_contain_text("Useful to all")
        await expect(region.locator(".log-news-bar")).to_be_hidden()
        await expect(page.locator("#log-heading")).to_be_focused()
        assert page.url.endswith(f"/networks/{slug}/log")  # swapped in place, not a reload
        assert errors == []
    finally:
        await context.close()
