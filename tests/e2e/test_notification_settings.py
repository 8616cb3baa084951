"""A member's own controls in a real browser: the notification settings page sets a network's follow
level, an email kind and the digest, and is clean under axe; an email's unsubscribe link stops its
kind with one button, signed out."""

from __future__ import annotations

from playwright.async_api import BrowserContext, expect

from server.mail import unsubscribe
from tests.conftest import PASSWORD, LiveServer, World
from tests.e2e.conftest import axe_violations, describe, sign_in


async def test_a_member_chooses_what_reaches_them(world: World, context: BrowserContext, server: LiveServer) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Attendance Network")
    member = await world.member(slug, name="Mina Member")
    page = await context.new_page()
    await sign_in(page, member.person["email"], PASSWORD)

    await page.goto("/notifications")
    await page.get_by_role("link", name="Notification settings").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Notification settings")
    follow = page.get_by_label("Attendance Network")
    await expect(follow).to_have_value("requests_only")  # new members' default
    assert await axe_violations(page) == [], describe(await axe_violations(page))

    await follow.select_option(label="Every new practice and request")
    await page.get_by_label("Mentions of me").uncheck()
    await page.get_by_label("Daily").check()
    await page.get_by_label("Secondary").check()
    await page.get_by_label("…or on these themes").fill("attendance, reading")
    await page.get_by_role("button", name="Save settings").click()

    await expect(page.get_by_role("status")).to_have_text("Your settings are saved.")
    await expect(page.get_by_label("Attendance Network")).to_have_value("all")
    await expect(page.get_by_label("Mentions of me")).not_to_be_checked()
    await expect(page.get_by_label("Replies to my posts")).to_be_checked()
    await expect(page.get_by_label("Daily")).to_be_checked()
    await expect(page.get_by_label("Secondary")).to_be_checked()
    await expect(page.get_by_label("…or on these themes")).to_have_value("attendance, reading")
    chosen = (await member.get("/me/mail-settings")).json()
    assert chosen["digest"] == "daily" and chosen["email"]["mentions"] is False
    assert (await member.get(f"/networks/{slug}")).json()["membership"]["follow_level"] == "all"


async def test_an_emails_unsubscribe_link_stops_its_kind_signed_out(
    world: World, context: BrowserContext, server: LiveServer
) -> None:
    member = await world.person()
    page = await context.new_page()  # not signed in: the link is all it takes
    await page.goto(f"/unsubscribe?token={unsubscribe.token(server.settings, member.id, 'offers')}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Stop emails about offers of help on my requests?")
    assert (await member.get("/me/mail-settings")).json()["email"]["offers"] is True
    await page.get_by_role("button", name="Stop these emails").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Done: no more emails about offers of help on my requests"
    )
    assert (await member.get("/me/mail-settings")).json()["email"]["offers"] is False
    assert await axe_violations(page) == [], describe(await axe_violations(page))
