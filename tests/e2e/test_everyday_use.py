"""Everyday use in a real browser: editing and deleting one's reply (another reader sees both live),
leaving a network from its page, a signed-out visitor sent to sign in and back, and an author told
live that a lead approved their held post."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.conftest import PASSWORD, ApiClient, LiveServer, World
from tests.e2e.conftest import axe_violations, describe, new_context
from tests.e2e.test_posts import signed_in, watch_errors

Opener = Callable[..., Awaitable[BrowserContext]]


@pytest.fixture
async def contexts(browser: Browser, server: LiveServer) -> AsyncIterator[Opener]:
    """Opens browser contexts (signed in as `who`, or not) and closes them all after the test, so no page
    stays subscribed to the live stream of a network the next test's tables no longer hold."""
    opened: list[BrowserContext] = []

    async def open_context(who: ApiClient | None = None) -> BrowserContext:
        context = await signed_in(browser, server, who) if who else await new_context(browser, server)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        await context.close()


async def test_a_reply_is_edited_and_deleted_and_another_reader_sees_it_live(world: World, contexts: Opener) -> None:
    slug, reader, author = await world.two_members(practices=1)
    post = (await reader.get(f"/networks/{slug}/posts")).json()["items"][0]
    reply = (await author.post(f"/posts/{post['id']}/replies", json={"body": "We used *two* groups."})).json()
    path = f"/posts/{post['id']}"
    writing = await contexts(author)
    reading = await contexts(reader)
    a, b = await writing.new_page(), await reading.new_page()
    a_errors, b_errors = watch_errors(a), watch_errors(b)
    await a.goto(path)
    await b.goto(path)
    await b.evaluate("window.__stayed = true")  # gone if the reader's page reloads
    item = f"#reply-{reply['id']}"
    await expect(b.locator(item)).to_contain_text("We used two groups.")
    await expect(b.locator(f"{item} .reply-edit")).to_have_count(0)  # not theirs

    await a.locator(f"{item} .reply-edit > summary").click()
    violations = await axe_violations(a)
    assert not violations, describe(violations)
    await a.locator(item).get_by_label("Your reply").fill("We used **three** groups.")
    await a.locator(item).get_by_role("button", name="Save changes").click()
    await expect(a.locator(item)).to_contain_text("We used three groups.")
    await expect(b.locator(item)).to_contain_text("We used three groups.")  # live, without a reload
    await expect(b.locator(item)).to_contain_text("edited")
    await expect(b.locator("#post-announcer")).to_contain_text("edited their reply")

    await a.locator(f"{item} .reply-delete > summary").click()
    await a.locator(item).get_by_role("button", name="Yes, delete my reply").click()
    await expect(a.locator(item)).to_contain_text("Reply deleted by its author.")
    await expect(b.locator(item)).to_contain_text("Reply deleted by its author.")
    await expect(b.locator(item)).not_to_contain_text("three groups")
    await expect(b.locator("[data-reply-count]").first).to_have_text("0")
    assert await b.evaluate("window.__stayed === true")
    assert a_errors == [] and b_errors == [], (a_errors, b_errors)


async def test_a_member_leaves_a_network_from_its_page(world: World, contexts: Opener) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Coastal Schools")
    member = await world.member(slug)
    context = await contexts(member)
    page = await context.new_page()
    errors = watch_errors(page)
    await page.goto(f"/networks/{slug}")
    await page.get_by_text("Leave this network").click()
    await page.get_by_role("button", name="Yes, leave Coastal Schools").click()
    await page.wait_for_url("**/networks?left=*")
    await expect(page.get_by_role("status").filter(has_text="You have left")).to_have_text(
        "You have left Coastal Schools."
    )
    assert await world.count("memberships", f"person_id = {member.id}") == 0

    leading = await contexts(lead)
    mine = await leading.new_page()
    await mine.goto(f"/networks/{slug}")
    await mine.get_by_text("Leave this network").click()
    await mine.get_by_role("button", name="Yes, leave Coastal Schools").click()
    await expect(mine.locator("#error-summary")).to_contain_text("last lead")
    assert await world.count("memberships", f"person_id = {lead.id}") == 1
    assert errors == [], errors


async def test_signed_out_a_members_network_asks_to_sign_in_then_opens(world: World, contexts: Opener) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members", name="Inner Circle")
    member = await world.member(slug)
    context = await contexts()
    page = await context.new_page()
    await page.goto("/")
    await page.get_by_role("link", name="Inner Circle").click()
    await page.wait_for_url(f"**/signin?next=/networks/{slug}")
    assert member.person
    await page.get_by_label("Email address").fill(member.person["email"])
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"**/networks/{slug}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Inner Circle")


async def test_an_author_sees_their_held_post_approved_live(world: World, contexts: Opener) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    assert (await lead.patch(f"/networks/{slug}/settings", json={"premod_posts": 1})).status_code == 200
    member = await world.member(slug)
    context = await contexts(member)
    page: Page = await context.new_page()
    errors = watch_errors(page)
    await page.goto(f"/networks/{slug}/new?kind=practice")
    await expect(page.locator("#premod-notice")).to_contain_text("The leads review this practice")
    held = await world.practice(member, slug)
    await page.goto(f"/posts/{held['id']}")
    await expect(page.locator("#post-held")).to_contain_text("Awaiting review")
    decide = {"target_type": "post", "target_id": held["id"], "action": "approve", "reason": "Welcome"}
    assert (await lead.post(f"/networks/{slug}/decisions", json=decide)).status_code == 201
    await expect(page.locator("#post-held")).to_be_hidden()
    await expect(page.locator("#post-status")).to_have_text(
        "A lead has approved your practice: members can read it now."
    )
    assert errors == [], errors
