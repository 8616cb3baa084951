"""Moderation in real browsers: a member flags a post, a lead works the review queue, and the
reporter and the author see the decision arrive live, in their own browser contexts.
The queue and the post page's flag and moderation tools pass axe at desktop and phone widths."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

from network.enums import OrgKind
from tests.conftest import ApiClient, LiveServer, World
from tests.e2e.conftest import DESKTOP, PHONE, axe_violations, describe
from tests.e2e.test_posts import no_horizontal_scroll, signed_in, watch_errors

LIVE = "window.__stayed = true"  # gone if the page reloads
STAYED = "window.__stayed === true"


async def two_leads(world: World) -> tuple[str, ApiClient, ApiClient]:
    """A network, "Reading Network", led by Lena Lead and Omar Other."""
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead, name="Reading Network")
    other = await world.member(slug, name="Omar Other")
    assert (await lead.patch(f"/networks/{slug}/members/{other.id}", json={"role": "lead"})).status_code == 200
    return slug, lead, other


async def open_every_disclosure(page: Page) -> None:
    for details in await page.locator("main details").all():
        if not await details.evaluate("d => d.open") and await details.locator("> summary").is_visible():
            await details.locator("> summary").click()


async def test_a_lead_works_the_queue_while_the_reporter_sees_the_decision_arrive_live(
    world: World, browser: Browser, server: LiveServer
) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead, name="Attendance Network")
    author = await world.member(slug, name="Ari Author")
    reporter = await world.member(slug, name="Rae Reporter")
    post = await world.practice(author, slug, title="Attendance league tables", body="We publish tutor groups' ranks.")
    path = f"/posts/{post['id']}"

    reporting = await signed_in(browser, server, reporter)
    leading = await signed_in(browser, server, lead)
    writing = await signed_in(browser, server, author)
    a, b, c = await reporting.new_page(), await leading.new_page(), await writing.new_page()
    a_errors, b_errors, c_errors = watch_errors(a), watch_errors(b), watch_errors(c)

    # The lead has the queue open, with nothing in it; the author is reading their post.
    await b.goto(f"/networks/{slug}/queue")
    await expect(
        b.get_by_text("Nothing waiting. New flags and held posts appear here as they come in.")
    ).to_be_visible()
    await c.goto(path)
    await a.goto(path)
    for p in (b, c):
        await p.evaluate(LIVE)
    await b.wait_for_timeout(400)  # let the sockets subscribe

    # A member flags the post through the form.
    flag = a.locator("#flag-post")
    await flag.locator("summary").click()
    await flag.get_by_role("radio", name="Breaks the charter").check()
    await flag.get_by_label("Charter clause").select_option("4")
    await flag.get_by_label("Note for the leads").fill("Names and ranks tutor groups in public.")
    await flag.get_by_role("button", name="Send to the leads").click()
    await expect(a.locator("#post-status")).to_have_text("Thanks — the network's leads will look at this.")
    await expect(a.get_by_text("You have flagged this practice; the leads are looking at it.")).to_be_visible()

    # The lead's queue announces it live, and shows it on request without a reload.
    news = b.locator("#queue-news")
    await expect(news).to_contain_text("1 new item in the queue — show")
    await news.get_by_role("link", name="show").click()
    entry = b.locator("article.queue-entry")
    await expect(entry).to_have_count(1)
    await expect(entry).to_contain_text("Names and ranks tutor groups in public.")
    await expect(entry).to_contain_text("(clause 4)")
    await expect(b.locator("#queue-heading")).to_be_focused()
    await expect(news.locator(".feed-news-bar")).to_be_hidden()
    assert await b.evaluate(STAYED), "the lead's queue reloaded"

    # The reporter waits on their notifications page.
    await a.goto("/notifications")
    badge = a.locator("#unread-badge [data-unread]")
    unread_before = int(await badge.text_content() or "0")
    await a.evaluate(LIVE)
    await a.wait_for_timeout(300)

    # The lead claims the entry, then hides the post with a reason and a clause.
    await entry.get_by_role("button", name=re.compile("^Claim")).click()
    await expect(b.locator("#queue-status")).to_contain_text("You have claimed it")
    await b.locator("article.queue-entry details.queue-more > summary").click()  # the other decisions, on demand
    decide = b.locator("article.queue-entry form.decide-form")
    await decide.get_by_role("radio", name="Hide (its author still sees it, with your reason)").check()
    await decide.get_by_role("textbox", name="Reason").fill("Ranks tutor groups in public.")
    await decide.get_by_label("Charter clause").select_option("4")
    await decide.get_by_role("button", name="Decide").click()
    await expect(b.locator("#queue-status")).to_contain_text("Hidden: its author still sees it")
    await expect(b.get_by_text("Nothing waiting.")).to_be_visible()
    await expect(b.locator(".decided-list")).to_contain_text("Ranks tutor groups in public.")

    # The reporter sees the decision arrive: the badge rises and the list shows it, without a reload.
    await expect(badge).to_have_text(str(unread_before + 1))
    newest = a.locator("#notification-list li.notification").first
    await expect(newest).to_contain_text("Attendance league tables")
    await expect(newest).to_have_class(re.compile("unread"))
    assert await a.evaluate(STAYED), "the reporter's page reloaded"

    # The author's open page says so at once; reloading shows the lead's reason and the way to appeal.
    await expect(c.locator("#post-gone")).to_contain_text("A lead has hidden your post.")
    await expect(c.locator("#unread-badge [data-unread]")).to_have_text("1")
    assert await c.evaluate(STAYED), "the author's page reloaded"
    await c.locator("#post-gone").get_by_role("link", name="Reload to read the lead's reason").click()
    notice = c.locator(".moderation-notice")
    await expect(notice).to_contain_text("Hidden by a lead: Ranks tutor groups in public. (clause 4)")
    appeal = notice.get_by_role("link", name="Appeal this decision")
    await expect(appeal).to_have_attribute("href", re.compile(r"^/decisions/\d+/appeal$"))
    assert a_errors == [] and b_errors == [] and c_errors == [], (a_errors, b_errors, c_errors)
    for context in (reporting, leading, writing):
        await context.close()


async def test_a_reader_sees_replies_and_posts_leave_as_leads_decide(
    world: World, browser: Browser, server: LiveServer
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, reader = await world.member(slug), await world.member(slug)
    post = await world.practice(author, slug, title="Homework clubs")
    other = await world.practice(author, slug, title="Breakfast club")
    kept = (await author.post(f"/posts/{post['id']}/replies", json={"body": "A kind reply."})).json()
    sharp = (await author.post(f"/posts/{post['id']}/replies", json={"body": "A sharp reply."})).json()

    context = await signed_in(browser, server, reader)
    page, feed = await context.new_page(), await context.new_page()
    errors = watch_errors(page) + watch_errors(feed)
    await page.goto(f"/posts/{post['id']}")
    await feed.goto(f"/networks/{slug}")
    for p in (page, feed):
        await p.evaluate(LIVE)
    await page.wait_for_timeout(400)

    decide = f"/networks/{slug}/decisions"
    hide = {"target_type": "reply", "target_id": sharp["id"], "action": "hide", "reason": "Too sharp"}
    assert (await lead.post(decide, json=hide)).status_code == 201
    await expect(page.locator(f"#reply-{sharp['id']}")).to_have_count(0)
    await expect(page.locator(f"#reply-{kept['id']}")).to_be_visible()
    await expect(page.locator("[data-reply-count]")).to_have_text("1")
    await expect(page.locator("#post-announcer")).to_contain_text("A reply has been hidden by a lead.")
    card = feed.locator(f"#post-{post['id']}")
    await expect(card.locator('[data-count="reply_count"]')).to_have_text("1 reply")

    restore = hide | {"action": "restore", "reason": "Fair on a second look"}
    assert (await lead.post(decide, json=restore)).status_code == 201
    await expect(page.locator("#reply-list li")).to_have_count(2)
    await expect(page.locator("#reply-list li").last).to_contain_text("A sharp reply.")  # back in its place
    await expect(page.locator("[data-reply-count]")).to_have_text("2")

    gone = {"target_type": "post", "target_id": other["id"], "action": "remove", "reason": "Duplicate"}
    assert (await lead.post(decide, json=gone)).status_code == 201
    await expect(feed.locator(f"#post-{other['id']}")).to_have_count(0)
    hidden = {"target_type": "post", "target_id": post["id"], "action": "hide", "reason": "Under review"}
    assert (await lead.post(decide, json=hidden)).status_code == 201
    await expect(page.locator("#post-gone")).to_contain_text("This post has been hidden by a lead.")
    await expect(feed.locator(f"#post-{post['id']}")).to_have_count(0)
    assert await page.evaluate(STAYED) and await feed.evaluate(STAYED), "a page reloaded"
    assert errors == [], errors
    await context.close()


@pytest.mark.markup
async def test_the_queue_and_the_moderation_tools_are_accessible_at_desktop_and_phone_widths(
    world: World, browser: Browser, server: LiveServer
) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead)
    author, reporter = await world.member(slug, name="Ari Author"), await world.member(slug, name="Rae Reporter")
    post = await world.practice(author, slug, title="Attendance league tables", body="## Method\n\nRanks **weekly**.")
    reply = (await author.post(f"/posts/{post['id']}/replies", json={"body": "We do the same."})).json()
    unflagged = (await author.post(f"/posts/{post['id']}/replies", json={"body": "Buy our tracker."})).json()
    held = await author.post(
        f"/networks/{slug}/posts",
        json={
            "kind": "practice",
            "title": "Reading plan",
            "body": "Pupil Jayden Smith (UPN P207000016049) read daily.",
        },
    )
    assert held.json()["state"] == "held"
    flag = {"reason": "charter", "clause": 4, "note": "Public ranking of tutor groups."}
    assert (await reporter.post(f"/posts/{post['id']}/flags", json=flag)).status_code == 201
    assert (await reporter.post(f"/replies/{reply['id']}/flags", json={"reason": "spam"})).status_code == 201
    entries = (await lead.get(f"/networks/{slug}/queue")).json()
    await lead.post(f"/networks/{slug}/queue/{entries[0]['id']}/claim")
    await lead.post(f"/networks/{slug}/queue/{entries[0]['id']}/notes", json={"body": "Check with the trust first."})
    await world.observer(lead, slug)
    regulator = await world.person(kind=OrgKind.REGULATOR, name="Reg Ulator")
    assert (await regulator.post(f"/networks/{slug}/join")).json()["state"] == "pending"

    paths = {"queue": f"/networks/{slug}/queue", "post": f"/posts/{post['id']}"}
    for viewport in (DESKTOP, PHONE):
        for who, where in ((lead, "queue"), (lead, "post"), (reporter, "post")):
            context = await signed_in(browser, server, who, viewport=viewport)
            page = await context.new_page()
            errors = watch_errors(page)
            response = await page.goto(paths[where])
            assert response is not None and response.status == 200, where
            await open_every_disclosure(page)
            assert await page.locator("h1").count() == 1
            violations = await axe_violations(page)
            assert not violations, f"{where} as {who.person} at {viewport}: {describe(violations)}"
            assert await no_horizontal_scroll(page), f"{where} scrolls sideways at {viewport}"
            if who is lead and where == "post":
                await expect(page.locator("#moderate-post")).to_have_attribute("open", "")
                await expect(page.locator(f"#moderate-reply-{reply['id']}")).to_have_attribute("open", "")
            if who is reporter:
                # a refused flag (no reason chosen) is accessible too, its note kept
                note = page.locator(f"#flag-reply-{unflagged['id']}-note")
                await note.fill("Looks like an advert")
                await page.locator(f"#flag-reply-{unflagged['id']} button[type=submit]").click()
                await expect(page.locator("#error-summary")).to_be_focused()
                await expect(note).to_have_value("Looks like an advert")
                await expect(page.locator(f"#flag-reply-{unflagged['id']}")).to_have_attribute("open", "")
                violations = await axe_violations(page)
                assert not violations, f"refused flag at {viewport}: {describe(violations)}"
            assert errors == [], errors
            await context.close()


async def test_a_leads_queue_hears_live_what_another_lead_does(
    world: World, browser: Browser, server: LiveServer
) -> None:
    """The leads' own live events: another lead's claim, note and decision reach an open queue page."""
    slug, lead, other = await two_leads(world)
    author, reporter = await world.member(slug), await world.member(slug)
    post = await world.practice(author, slug, title="Reading ages by tutor group")
    flagged = await reporter.post(f"/posts/{post['id']}/flags", json={"reason": "off_topic"})
    assert flagged.status_code == 201, flagged.text
    [queued] = (await lead.get(f"/networks/{slug}/queue")).json()

    leading = await signed_in(browser, server, lead)
    page = await leading.new_page()
    errors = watch_errors(page)
    await page.goto(f"/networks/{slug}/queue")
    await expect(page.locator("article.queue-entry")).to_have_count(1)
    count = page.locator(f'a[href="/networks/{slug}/queue"] .pill')
    await expect(count).to_contain_text("1")
    await page.evaluate(LIVE)
    await page.wait_for_timeout(400)  # let the socket subscribe

    # another lead's claim and note appear on the entry where it is, with nothing to reload or show
    claimed = await other.post(f"/networks/{slug}/queue/{queued['id']}/claim")
    assert claimed.status_code == 200, claimed.text
    entry = page.locator("article.queue-entry")
    await expect(entry.locator(".queue-badges")).to_contain_text("Claimed by Omar Other")
    await expect(entry.locator(".queue-claim")).to_contain_text("Omar Other claimed this on")
    await expect(entry.get_by_role("button", name=re.compile("^Claim"))).to_have_count(0)
    noted = await other.post(f"/networks/{slug}/queue/{queued['id']}/notes", json={"body": "Checked: on topic."})
    assert noted.status_code == 201, noted.text
    await expect(entry.locator(".queue-notes")).to_contain_text("Checked: on topic.")
    await expect(page.locator("#queue-news .feed-news-bar")).to_be_hidden()

    # decided by the other lead: the entry leaves the list in place and the counts follow
    body = {"target_type": "post", "target_id": post["id"], "action": "dismiss"}
    assert (await other.post(f"/networks/{slug}/decisions", json=body)).status_code == 201
    await expect(count).to_contain_text("0")
    await expect(page.locator("#queue-heading")).to_have_text("Waiting for a decision (0)")
    await expect(page.locator("article.queue-entry")).to_have_count(0)
    await expect(page.get_by_text("Nothing waiting.")).to_be_visible()
    await expect(page.locator("#queue-status")).to_contain_text("Another lead has decided")
    assert await page.evaluate(STAYED), "the queue reloaded"
    assert errors == [], errors
    await leading.close()
