"""The life of one engagement in a real browser (docs/design.md §3.12): a person of the requesting
organisation and a person of the offering one, each in their own browser context, take it from the
accepted offer to the shared practice, and at every step the other sees the change arrive without a
reload. A third person of the network is shown the page of a missing engagement. The engagement's pages
pass axe at desktop and phone widths."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect
from sqlalchemy import text

from tests.conftest import PASSWORD, ApiClient, LiveServer, World
from tests.e2e.conftest import DESKTOP, PHONE, api_sign_in, axe_violations, describe, new_context
from tests.e2e.test_auth_and_networks import watch_errors
from tests.e2e.test_posts import no_horizontal_scroll


async def signed_in(browser: Browser, server: LiveServer, who: ApiClient, **kw: Any) -> BrowserContext:
    context = await new_context(browser, server, **kw)
    assert who.person is not None
    await api_sign_in(context, who.person["email"], PASSWORD)
    return context


async def stays(page: Page) -> None:
    """Mark the page: the mark is gone if it reloads."""
    await page.evaluate("window.__stayed = true")


async def stayed(page: Page) -> bool:
    return bool(await page.evaluate("window.__stayed === true"))


async def accessible(page: Page, label: str, viewport: dict[str, int]) -> None:
    await page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # axe checks all
    violations = await axe_violations(page)
    assert not violations, f"{label} at {viewport['width']}px: {describe(violations)}"
    assert await page.locator("h1").count() == 1, label
    assert await no_horizontal_scroll(page), f"{label} scrolls sideways at {viewport['width']}px"


async def test_two_organisations_take_an_engagement_from_the_accepted_offer_to_a_shared_practice(
    world: World, browser: Browser, server: LiveServer
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    asking = await world.member(slug, org="Cobalt Vale Academies", name="Manpreet Bains")
    helping = await world.member(slug, org="Brightwater Learning Partnership", name="Sadia Hussain")
    third = await world.member(slug, org="Hollinbrook Schools Trust")
    request = await world.request(asking, slug, title="A behaviour curriculum review", support_type="peer_review")
    offer = await helping.post(f"/posts/{request['id']}/offers", json={"message": "I led ours; glad to review it."})
    assert offer.status_code == 201, offer.text

    a_context = await signed_in(browser, server, asking)
    b_context = await signed_in(browser, server, helping)
    a, b = await a_context.new_page(), await b_context.new_page()
    a_errors, b_errors = watch_errors(a), watch_errors(b)

    # the offer is accepted: the requester lands on the new engagement; the offerer sees it live
    await a.goto(f"/posts/{request['id']}")
    await b.goto(f"/posts/{request['id']}")
    await stays(b)
    await a.wait_for_timeout(300)  # let both sockets subscribe
    await a.get_by_role("button", name="Accept").click()
    await expect(a).to_have_url(re.compile(r"/engagements/\d+$"))
    engagement_id = int(a.url.rsplit("/", 1)[1])
    path = f"/engagements/{engagement_id}"
    await expect(a.get_by_role("heading", level=1)).to_have_text("A behaviour curriculum review")
    await expect(a.locator("#engagement-summary")).to_have_text(
        "Cobalt Vale Academies and Brightwater Learning Partnership are agreeing a plan to work together on "
        "“A behaviour curriculum review”."
    )
    await expect(b.locator("#offer-list li .offer-pill")).to_have_text("accepted")
    assert await stayed(b)
    await b.goto(path)
    await expect(b.locator("#engagement-state")).to_have_text("Agreeing the plan")
    await stays(a)
    await stays(b)
    await a.wait_for_timeout(300)

    # the offerer starts typing a change to the plan while the requester saves one
    await b.get_by_text("Edit the plan, its dates and who is named").click()
    await b.locator("#plan-aims").fill("Calmer corridors between lessons")
    await a.get_by_text("Edit the plan, its dates and who is named").click()
    await a.locator("#plan-title").fill("Behaviour curriculum review for Years 7 to 9")
    await a.locator("#plan-aims").fill("Fewer removals from class in Year 8")
    await a.locator("#plan-activities").fill("A remote review of the first half-term's sessions")
    await a.locator("#plan-next_check_in_on").fill("2027-02-01")
    await a.get_by_role("button", name="Save the plan").click()
    await expect(a.locator("#engagement-status")).to_have_text(re.compile("saved as a new version"))
    await stays(a)
    # live on the other side: the plan is redrawn, their typing is kept, and they are told it changed
    await expect(b.locator("#plan")).to_contain_text("Fewer removals from class in Year 8")
    await expect(b.locator("#engagement-title")).to_have_text("Behaviour curriculum review for Years 7 to 9")
    await expect(b.locator("#plan-aims")).to_have_value("Calmer corridors between lessons")
    await expect(b.locator("[data-changed-notice]")).to_be_visible()
    await expect(b.locator("#engagement-announcer")).to_contain_text("version 2")
    assert await stayed(b)
    # saving it is refused: the current plan beside their text, which is still in the form
    await b.get_by_role("button", name="Save the plan").click()
    await expect(b.locator("#error-summary")).to_be_focused()
    await expect(b.locator("#plan-stale")).to_contain_text("Fewer removals from class in Year 8")
    await expect(b.locator("#plan-stale")).to_contain_text("Calmer corridors between lessons")
    await expect(b.locator("#plan-aims")).to_have_value("Calmer corridors between lessons")
    await accessible(b, "a stale plan edit", DESKTOP)
    # a message from the other side meanwhile arrives live, and the refused form stays as it was
    await stays(b)
    sent = await asking.post(f"{path}/messages", json={"body": "Our pastoral leads have read the first sessions."})
    assert sent.status_code == 201, sent.text
    await expect(b.locator("#message-list li").last).to_contain_text("Our pastoral leads have read the first sessions.")
    await expect(b.locator("#plan-stale")).to_be_visible()
    await expect(b.locator("#plan-aims")).to_have_value("Calmer corridors between lessons")
    assert await stayed(b)
    await b.locator("#plan-aims").fill("Fewer removals from class in Year 8, and calmer corridors")
    await b.get_by_role("button", name="Save the plan").click()
    await expect(b.locator("#engagement-status")).to_have_text(re.compile("saved as a new version"))
    await stays(b)
    await expect(a.locator("#plan")).to_contain_text("and calmer corridors")
    assert await stayed(a)

    # both sides agree version 3: each sees the other's agreement live
    await a.get_by_role("button", name="Agree this plan").click()
    await expect(a.locator("#agreement")).to_contain_text("agreed version 3")
    await stays(a)
    await expect(b.locator("#agreement")).to_contain_text("Cobalt Vale Academies: agreed version 3")
    await expect(b.locator("#engagement-announcer")).to_have_text("Cobalt Vale Academies agreed version 3 of the plan.")
    assert await stayed(b)
    await b.get_by_role("button", name="Agree this plan").click()
    await expect(b.locator("#engagement-state")).to_have_text("Active")
    await stays(b)
    await expect(a.locator("#engagement-state")).to_have_text("Active")
    await expect(a.locator("#engagement-summary")).to_contain_text("are working together on")
    await expect(a.locator("#check-in-form")).to_be_visible()  # offered now the plan is agreed
    assert await stayed(a)

    # the thread and a check-in
    await a.locator("#message-body").fill("When could you look at the first six sessions?")
    await a.get_by_role("button", name="Send message").click()
    await stays(a)
    await expect(b.locator("#message-list li").last).to_contain_text("When could you look at the first six sessions?")
    await expect(b.locator("#engagement-announcer")).to_contain_text("Manpreet Bains wrote in the thread.")
    await b.locator("#check-in-progress").fill("Sessions one to six reviewed; notes on sequencing sent.")
    await b.get_by_role("button", name="Record check-in").click()
    await stays(b)
    await expect(a.locator("#check-in-list li")).to_contain_text("Sessions one to six reviewed")
    assert await stayed(a) and await stayed(b)

    # both outcomes: the second closes it, live on the other side
    await a.get_by_text("Write your side's outcome").click()
    await a.get_by_label("What changed", exact=True).fill("Removals from class in Year 8 fell by a third.")
    await a.get_by_label("How we know").fill("Our behaviour logs, term on term.")
    await a.get_by_label("Internal data: our own figures, before and after").check()
    await a.locator("#outcome-work_together_again-yes").check()
    await a.get_by_role("button", name="Record our outcome").click()
    await stays(a)
    await expect(b.locator("#outcome-requester")).to_contain_text("Removals from class in Year 8 fell by a third.")
    assert await stayed(b)
    await b.get_by_text("Write your side's outcome").click()
    await b.get_by_label("What changed", exact=True).fill("We now review other trusts' curricula remotely.")
    await b.get_by_label("None yet: too early to know").check()
    await b.locator("#outcome-work_together_again-yes").check()
    await b.get_by_role("button", name="Record our outcome").click()
    await expect(b.locator("#engagement-state")).to_have_text("Closed: completed")
    await stays(b)
    await expect(a.locator("#engagement-state")).to_have_text("Closed: completed")
    await expect(a.locator("#outcome-offerer")).to_contain_text("We now review other trusts' curricula remotely.")
    await expect(a.locator("#message-form")).to_have_count(0)
    assert await stayed(a)

    # the follow-up falls due (the reminders' date, set here): one side answers, the other sees it live
    async with world.db() as session:
        await session.execute(
            text("UPDATE engagements SET follow_up_due_on = '2000-01-01' WHERE id = :id"), {"id": engagement_id}
        )
        await session.commit()
    await a.reload()
    await b.reload()
    await stays(b)
    await a.wait_for_timeout(300)
    await a.get_by_label("Yes, it lasted").check()
    await a.locator("#follow-up-note").fill("Still a third fewer removals a term later.")
    await a.get_by_role("button", name="Send our answer").click()
    await expect(a.locator("#follow-up-requester")).to_contain_text("Yes, it lasted")
    await stays(a)
    await expect(b.locator("#follow-up-requester")).to_contain_text("Still a third fewer removals")
    assert await stayed(b)

    # shared as a practice: the link appears on both sides
    await a.get_by_role("button", name=re.compile("Share as a practice")).click()
    shared = a.locator("#outcome-requester").get_by_role("link", name="Shared with the network as a practice")
    await expect(shared).to_be_visible()
    await expect(
        b.locator("#outcome-requester").get_by_role("link", name="Shared with the network as a practice")
    ).to_be_visible()
    assert await stayed(b)
    await accessible(a, path + " (closed)", DESKTOP)
    await shared.click()
    await expect(a.get_by_role("heading", level=1)).to_have_text("Behaviour curriculum review for Years 7 to 9")
    await expect(a.locator(".post-kind")).to_have_text("Practice")
    assert a_errors == [] and b_errors == [], (a_errors, b_errors)

    # a third person of the network: the page of a missing engagement
    c_context = await signed_in(browser, server, third)
    c = await c_context.new_page()
    refused = await c.goto(path)
    assert refused is not None and refused.status == 404
    await expect(c.get_by_role("heading", level=1)).to_have_text("Not found")
    await expect(c.locator("main")).to_contain_text(f"No engagement {engagement_id}.")
    missing = await c.goto("/engagements/987654321")
    assert missing is not None and missing.status == 404
    await expect(c.locator("main")).to_contain_text("No engagement 987654321.")
    for context in (a_context, b_context, c_context):
        await context.close()


@pytest.mark.markup
async def test_the_engagement_pages_are_accessible_at_desktop_and_phone_widths(
    world: World, browser: Browser, server: LiveServer
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    asking, helping = await world.member(slug), await world.member(slug)
    request = await world.request(asking, slug, title="Attendance data compared each week")
    offer = (await helping.post(f"/posts/{request['id']}/offers", json={"message": "We can compare ours."})).json()
    assert (await asking.post(f"/offers/{offer['id']}/accept")).status_code == 200
    engagement_id = (await asking.get("/me/engagements")).json()[0]["id"]
    await asking.patch(
        f"/engagements/{engagement_id}",
        json={
            "version": 1,
            "aims": "Persistent absence down",
            "activities": "- Weekly call\n- Shared dashboard",
            "next_check_in_on": "2027-01-11",
        },
    )
    await asking.post(f"/engagements/{engagement_id}/agree")
    await helping.post(f"/engagements/{engagement_id}/agree")
    await asking.post(f"/engagements/{engagement_id}/messages", json={"body": "Our figures for **week 3** are in."})
    await helping.post(
        f"/engagements/{engagement_id}/messages", json={"body": "Ours too; Year 9 again."}
    )  # a flag form
    await helping.post(f"/engagements/{engagement_id}/check-ins", json={"progress": "Two weeks compared."})
    paths = [f"/engagements/{engagement_id}", "/account/engagements", f"/posts/{request['id']}", f"/networks/{slug}"]
    for viewport in (DESKTOP, PHONE):
        context = await signed_in(browser, server, asking, viewport=viewport)
        page = await context.new_page()
        errors = watch_errors(page)
        for path in paths:
            response = await page.goto(path)
            assert response is not None and response.status == 200, path
            await accessible(page, path, viewport)
        # a refused form is accessible too
        await page.goto(f"/engagements/{engagement_id}")
        await page.get_by_role("button", name="Record check-in").click()
        await expect(page.locator("#error-summary")).to_be_focused()
        await accessible(page, "a refused check-in", viewport)
        assert errors == [], errors
        await context.close()
