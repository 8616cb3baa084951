"""Signing up, in and out, the network directory and a network's live feed, in a real Chromium."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.async_api import Browser, ConsoleMessage, Error, Page, Response, expect

from tests.conftest import PASSWORD, LiveServer, World, unique
from tests.e2e.conftest import DESKTOP, PHONE, axe_violations, describe, new_context, sign_in
from tests.server.engagement_world import engaged, ok
from tests.server.test_api_email_confirmation import CONFIRM, link_in
from tests.server.test_api_password_reset import NEW_PASSWORD, RESET, reset_link
from tests.smtp import SmtpServer


def watch_errors(page: Page) -> list[str]:
    """Console errors, uncaught exceptions (a CSP refusal shows up here too) and failed subresources.

    A refused form is answered 4xx on purpose, which Chromium logs as a failed load: those are
    left out, and a failed script, stylesheet or fetch is caught from the responses instead.
    """
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_error(error: Error) -> None:
        errors.append(str(error))

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", on_error)
    page.on("response", on_response)
    return errors


async def test_sign_up_with_a_new_organisation_and_confirm_the_address(
    mailing: World, smtp: SmtpServer, browser: Browser
) -> None:
    """Sign up, read the confirmation mail the SMTP server received, follow its link, land signed in
    (docs/design.md §3.8)."""
    await mailing.person(org="Existing Trust")
    context = await new_context(browser, mailing.server)
    try:
        page = await context.new_page()
        errors = watch_errors(page)
        await page.goto("/signup")
        email = unique("browser") + "@example.org"
        await page.get_by_label("Your name").fill("Priya Shah")
        await page.get_by_label("Work email address").fill(email)
        await page.get_by_label("Password").fill("short")
        await page.get_by_label("It is not listed: add it").check()
        await page.get_by_label("Organisation name").fill("Kestrel Learning Partnership")
        await page.get_by_role("button", name="Create account").click()
        # refused: the messages are beside the fields and what was typed is still there (not the password)
        await expect(page.get_by_role("alert")).to_contain_text("Your account could not be created")
        await expect(page.locator("#password-error")).to_contain_text("10 to 200 characters")
        await expect(page.locator("#organisation_kind-error")).to_contain_text("kind of organisation")
        await expect(page.get_by_label("Your name")).to_have_value("Priya Shah")
        await expect(page.get_by_label("Organisation name")).to_have_value("Kestrel Learning Partnership")
        await expect(page.get_by_label("Password")).to_have_value("")
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_label("Kind of organisation").select_option(label="Single-academy trust")
        await page.get_by_role("button", name="Create account").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        await expect(page.get_by_role("status")).to_contain_text(f"We have sent a link to {email}")
        assert await axe_violations(page) == []
        assert (await page.request.get("/api/v1/me")).status == 401  # not signed in yet

        # signing in before confirming is refused, with the way on
        await sign_in_form(page, email)
        await expect(page.get_by_role("alert")).to_contain_text("Confirm your email address first")
        await expect(page.get_by_role("button", name="Send the link again")).to_be_visible()
        assert await axe_violations(page) == []

        messages = await smtp.collector.wait_about(CONFIRM, 2)
        (message,) = [m for m in messages if m["To"] == email]
        await page.goto(link_in(message, "/confirm-email"))  # PUBLIC_URL is this server: the link as mailed
        await expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
        assert await axe_violations(page) == []
        await page.get_by_role("button", name="Confirm my address").click()
        await page.wait_for_url("**/networks?confirmed=1")
        await expect(page.get_by_role("heading", level=1)).to_have_text("Networks")
        await expect(page.get_by_role("status").filter(has_text="confirmed")).to_contain_text(
            "Your email address is confirmed"
        )
        await expect(page.get_by_role("navigation", name="Main")).to_contain_text("Priya Shah")
        me = await page.request.get("/api/v1/me")
        assert (await me.json())["organisation"]["name"] == "Kestrel Learning Partnership"
        assert (await me.json())["organisation"]["kind"] == "single_academy_trust"
        assert errors == []
    finally:
        await context.close()


async def sign_in_form(page: Page, email: str) -> None:
    await page.goto("/signin")
    await page.get_by_label("Email address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()


async def test_sign_in_and_out(world: World, page: Page) -> None:
    errors = watch_errors(page)
    person = await world.person(name="Owen Price")
    assert person.person
    lead = await world.person()
    slug = await world.network(lead, visibility="members")
    await page.goto(f"/signin?next=/networks/{slug}")
    await page.get_by_label("Email address").fill(person.person["email"])
    await page.get_by_label("Password").fill("a wrong password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text("Email or password is wrong")
    await expect(page.get_by_label("Email address")).to_have_value(person.person["email"])
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"**/networks/{slug}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not found")  # not a member of it
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url(lambda url: url.endswith("/"))
    await expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")).to_be_visible()
    assert (await page.request.get("/api/v1/me")).status == 401
    await sign_in(page, person.person["email"], PASSWORD)
    await expect(page.get_by_role("navigation", name="Main")).to_contain_text("Owen Price")
    assert errors == []


async def test_keyboard_only_sign_in(world: World, page: Page) -> None:
    person = await world.person()
    assert person.person
    await page.goto("/signin")
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    await page.keyboard.press("Enter")  # skip the header, to the page's content
    for _ in range(12):
        await page.keyboard.press("Tab")
        if await page.get_by_label("Email address").evaluate("el => el === document.activeElement"):
            break
    await expect(page.get_by_label("Email address")).to_be_focused()
    await page.keyboard.type(person.person["email"])
    await page.keyboard.press("Tab")
    await expect(page.get_by_label("Password")).to_be_focused()
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/networks")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Networks")
    assert (await (await page.request.get("/api/v1/me")).json())["email"] == person.person["email"]


async def test_join_a_network_from_the_directory(world: World, page: Page) -> None:
    errors = watch_errors(page)
    lead = await world.person()
    slug = await world.network(lead, kind="regional", region="london", name="London Trusts")
    asked = await world.network(lead, join_policy="request", name="Workforce Leaders")
    person = await world.person()
    assert person.person
    await sign_in(page, person.person["email"], PASSWORD)
    entry = page.locator(f"#network-{slug}")
    await entry.get_by_role("button", name="Join London Trusts").click()
    await page.wait_for_url(f"**/networks/{slug}?joined=1")  # joined: into the network
    await expect(page.get_by_role("status").filter(has_text="You joined")).to_have_text("You joined London Trusts.")
    await page.goto("/networks")
    await expect(page.locator(f"#network-{slug}")).to_contain_text("You are a member")
    await expect(page.locator(f"#network-{slug}")).to_contain_text("2 members")
    await page.locator(f"#network-{asked}").get_by_role("button", name="Request to join Workforce Leaders").click()
    await page.wait_for_url(f"**/networks/{asked}?joined=1")
    await expect(page.get_by_role("status").filter(has_text="sent to its leads")).to_be_visible()
    await expect(page.locator(".standing")).to_contain_text("waiting for a lead")
    await page.goto("/networks")
    await page.locator(f"#network-{slug}").get_by_role("link", name="London Trusts").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("London Trusts")
    await expect(page.get_by_role("link", name="New practice")).to_be_visible()
    assert errors == []


async def test_a_new_post_is_announced_in_a_bar_not_inserted(
    world: World, browser: Browser, server: LiveServer
) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Attendance Network")
    author = await world.member(slug)
    reader = await world.member(slug)
    assert reader.person
    await world.practice(author, slug, title="Already here")
    context = await new_context(browser, server)
    try:
        page = await context.new_page()
        errors = watch_errors(page)
        await sign_in(page, reader.person["email"], PASSWORD)
        await page.goto(f"/networks/{slug}")
        await expect(page.locator(".feed-post")).to_have_count(1)
        bar = page.locator("#feed-news")
        await expect(bar).to_have_attribute("role", "status")
        await expect(bar.locator(".feed-news-bar")).to_be_hidden()
        # no waiting for the socket: it subscribes from the seq the page was rendered at, so a post
        # made before it is open is replayed to it
        first = await world.practice(author, slug, title="Brand new practice")
        await expect(bar).to_contain_text("1 new post — show")
        await expect(page.locator(".feed-post")).to_have_count(1)  # nothing moved under the reader's eyes
        await world.request(author, slug, title="And a request")
        await expect(bar).to_contain_text("2 new posts — show")
        # a visible post's counts follow along
        await lead.post(f"/posts/{first['id']}/replies", json={"body": "Noted"})
        await bar.get_by_role("link", name="show").click()
        await expect(page.locator(".feed-post")).to_have_count(3)
        await expect(page.locator(".feed-post h3").first).to_have_text("And a request")
        await expect(bar.locator(".feed-news-bar")).to_be_hidden()
        await expect(page.locator("#feed-heading")).to_be_focused()
        assert page.url.endswith(f"/networks/{slug}")  # swapped in place, not a reload
        await expect(page.locator(f'[data-post-id="{first["id"]}"] [data-count="reply_count"]')).to_have_text("1 reply")
        await world.practice(author, slug, title="Third")  # counting starts again after "show"
        await expect(bar).to_contain_text("1 new post — show")
        reply_to = page.locator(f'[data-post-id="{first["id"]}"] [data-count="reply_count"]')
        await lead.post(f"/posts/{first['id']}/replies", json={"body": "Again"})
        await expect(reply_to).to_have_text("2 replies")
        assert errors == []
    finally:
        await context.close()


PAGES: list[tuple[str, Callable[[str], str]]] = [
    ("/signup", lambda slug: "/signup"),
    ("/signin", lambda slug: "/signin?next=/networks"),
    ("/networks", lambda slug: "/networks"),
    ("/networks/{slug}", lambda slug: f"/networks/{slug}?kind=castle"),
]


@pytest.mark.markup
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_pages_are_accessible_at_desktop_and_phone_widths(
    world: World, browser: Browser, server: LiveServer, viewport: dict[str, int]
) -> None:
    lead = await world.person()
    slug = await world.network(lead, kind="regional", region="south_west", name="South West Schools")
    await world.observer(lead, slug)
    member = await world.member(slug)
    assert member.person
    await world.practice(member, slug, title="Practice with evidence", evidence_strength="comparison", themes=["maths"])
    pinned = await world.request(lead, slug, title="Pinned request")
    await world.set_post(pinned["id"], "pinned = true")
    context = await new_context(browser, server, viewport=viewport)
    try:
        page = await context.new_page()
        errors = watch_errors(page)
        for _, path in PAGES[:2]:
            await page.goto(path(slug))
            await check(page, path(slug), viewport)
        # a refused sign-up form, with its error summary and messages
        await page.goto("/signup")
        await page.get_by_role("button", name="Create account").click()
        await expect(page.get_by_role("alert")).to_be_visible()
        await check(page, "/signup (refused)", viewport)
        await sign_in(page, member.person["email"], PASSWORD)
        for _, path in PAGES[2:]:
            await page.goto(path(slug))
            await check(page, path(slug), viewport)
        # a platform admin's organisations, an organisation's people with someone waiting, and a flag to decide
        waiting = await world.person(org="Wyvern Schools Trust", verified=False)
        assert waiting.person
        e = await engaged(world)
        said = ok(await e.offerer.post(f"/engagements/{e.id}/messages", json={"body": "Buy our toolkit."}), 201)
        ok(await e.requester.post(f"/engagements/{e.id}/messages/{said['id']}/flags", json={"reason": "spam"}), 201)
        admin = await world.admin()
        assert admin.person
        await page.context.clear_cookies()
        await sign_in(page, admin.person["email"], PASSWORD)
        admin_pages = ("/admin/organisations", f"/organisations/{waiting.person['organisation']['id']}/people")
        for path in (*admin_pages, "/admin/engagement-flags"):
            await page.goto(path)
            await check(page, path, viewport)
        assert errors == []
    finally:
        await context.close()


async def check(page: Page, label: str, viewport: dict[str, int]) -> None:
    violations = await axe_violations(page)
    assert not violations, f"{label}: {describe(violations)}"
    assert await page.locator("h1").count() == 1, label
    wide = await page.evaluate("document.documentElement.scrollWidth")
    assert wide <= viewport["width"], f"{label} scrolls sideways at {viewport['width']}px ({wide}px)"


async def test_a_forgotten_password_is_reset_through_the_emailed_link(
    mailing: World, smtp: SmtpServer, browser: Browser
) -> None:
    """The whole journey: ask on the sign-in page, the mail arrives at the SMTP server, its link opens
    the form in the browser, and the new password signs the person in (docs/design.md §3.8)."""
    person = await mailing.person(name="Rosa Reset")
    assert person.person
    context = await new_context(browser, mailing.server)
    try:
        page = await context.new_page()
        errors = watch_errors(page)
        await page.goto("/signin")
        await page.get_by_role("link", name="Forgotten your password?").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Forgotten your password?")
        assert await axe_violations(page) == []
        await page.get_by_label("Email address").fill(person.person["email"])
        await page.get_by_role("button", name="Send me a link").click()
        await expect(page.get_by_role("status")).to_contain_text("If an account uses this address")

        (message,) = await smtp.collector.wait_about(RESET, 1)
        assert message["To"] == person.person["email"]
        link = reset_link(smtp)
        await page.goto(link)  # PUBLIC_URL is this server: the link as mailed
        await expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
        assert await axe_violations(page) == []
        await page.get_by_label("New password").fill(NEW_PASSWORD)
        await page.get_by_role("button", name="Set my new password").click()
        await expect(page).to_have_url(f"{mailing.server.url}/account?done=password")
        await expect(page.get_by_role("status")).to_contain_text("Your password is changed")

        await page.goto(link)  # used once: the link now says so
        await expect(page.get_by_role("alert")).to_contain_text("has expired or has been used")
        assert errors == []
    finally:
        await context.close()
    signed_in = await mailing.client().post(
        "/auth/login", json={"email": person.person["email"], "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 200
