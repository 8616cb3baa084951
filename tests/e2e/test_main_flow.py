"""The flow the commons exists for, in two real browsers: a newcomer signs up, joins, shares a
practice; another member sees it arrive live; a reply to the other member's post raises their
unread badge without a reload."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from tests.conftest import PASSWORD, LiveServer, World, unique
from tests.e2e.conftest import mailed_link, new_context, sign_in


async def test_sign_up_join_share_and_see_it_live(world: World, browser: Browser, server: LiveServer) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Reading Network")
    other = await world.member(slug, name="Sam Other", follow="all")
    assert other.person
    others_post = await world.practice(other, slug, title="Our reading fluency routine")

    newcomer_ctx = await new_context(browser, server)
    other_ctx = await new_context(browser, server)
    try:
        # The other member reads the network's page.
        watcher = await other_ctx.new_page()
        await sign_in(watcher, other.person["email"], PASSWORD)
        await watcher.goto(f"/networks/{slug}")
        bar = watcher.locator("#feed-news")
        badge = watcher.locator("#unread-badge [data-unread]")
        unread_before = int(await badge.inner_text())

        # A newcomer signs up with a new organisation, confirms her address and joins from the directory.
        page = await newcomer_ctx.new_page()
        newcomer = unique("newcomer") + "@example.org"
        await page.goto("/signup")
        await page.get_by_label("Your name").fill("Nia Newcomer")
        await page.get_by_label("Work email address").fill(newcomer)
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_label("It is not listed: add it").check()
        await page.get_by_label("Organisation name").fill("Heronsgate Schools Trust")
        await page.get_by_label("Kind of organisation").select_option(label="Multi-academy trust")
        await page.get_by_role("button", name="Create account").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        # ... follows the link mailed to her (this server writes its mail to var/mail/) ...
        await page.goto(await mailed_link(server, newcomer, "/confirm-email"))
        await page.get_by_role("button", name="Confirm my address").click()
        await page.wait_for_url("**/networks?confirmed=1")
        # ... waits for her new organisation to be vouched for (with no approver yet, a platform admin) ...
        await expect(page.locator("#affiliation-notice")).to_contain_text("waiting for Heronsgate Schools Trust")
        admin = await world.admin()
        me = await (await page.request.get("/api/v1/me")).json()
        approved = await admin.post(f"/organisations/{me['organisation']['id']}/people/{me['id']}/approve")
        assert approved.status_code == 200, approved.text
        await page.reload()
        await expect(page.locator("#affiliation-notice")).to_have_count(0)
        await page.get_by_role("button", name="Join Reading Network").click()
        await page.goto(f"/networks/{slug}")

        # ... and shares a practice through the compose form.
        await page.goto(f"/networks/{slug}/new?kind=practice")
        await page.get_by_label("Title", exact=True).fill("Paired reading with Year 6 buddies")
        await page.get_by_label("The practice").fill("Every Tuesday, Year 6 pupils read with Year 2 partners.")
        await page.get_by_role("button", name="Publish practice").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Paired reading with Year 6 buddies")

        # The other member sees it announced live (and, following everything, is notified), and shows it.
        await expect(bar).to_contain_text("1 new post — show")
        await expect(badge).to_have_text(str(unread_before + 1))
        await bar.get_by_role("link", name="show").click()
        await expect(watcher.locator(".feed-post h3").first).to_have_text("Paired reading with Year 6 buddies")

        # The newcomer replies to the other member's post; the other member's badge rises.
        await page.goto(f"/posts/{others_post['id']}")
        await page.get_by_label("Your reply").fill("We tried this and it worked for us too.")
        await page.get_by_role("button", name="Post reply").click()
        await expect(page.locator(".reply .md").get_by_text("We tried this and it worked for us too.")).to_be_visible()
        await expect(badge).to_have_text(str(unread_before + 2))
    finally:
        await newcomer_ctx.close()
        await other_ctx.close()
