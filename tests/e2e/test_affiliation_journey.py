"""The unchecked claim, refused end to end in a real Chromium (docs/design.md §3.9): someone signs up
claiming a trust and confirms their address by the mailed link; they cannot accept the offer on its
request and see why; the trust's approver, mailed the request, follows its link and approves them on
the approvers' page; now they accept it. Mail goes to a real SMTP server on a loopback port."""

from __future__ import annotations

import asyncio
import time
from email.message import EmailMessage

from playwright.async_api import Browser, expect

from tests.conftest import PASSWORD, World, unique
from tests.e2e.conftest import axe_violations, new_context, sign_in
from tests.server.test_api_affiliation import approver_for, org_of
from tests.server.test_api_email_confirmation import CONFIRM, link_in
from tests.smtp import SmtpServer


async def mailed_to(smtp: SmtpServer, address: str, subject: str, seconds: float = 10) -> list[EmailMessage]:
    """The mails about `subject` that reached `address`, once one has (others' arrive alongside)."""
    deadline = time.monotonic() + seconds
    while not (found := [m for m in smtp.collector.about(subject) if m["To"] == address]):
        if time.monotonic() > deadline:
            return []
        await asyncio.sleep(0.05)
    return found


async def test_a_claim_waits_for_the_trusts_approver_before_it_can_accept_an_offer(
    mailing: World, smtp: SmtpServer, browser: Browser
) -> None:
    world = mailing
    trust = unique("Hollinbrook Schools Trust ")
    approver, _ = await approver_for(world, trust)
    assert approver.person
    slug = await world.network(await world.person())
    assert (await approver.post(f"/networks/{slug}/join")).status_code == 200
    request = await world.request(approver, slug, title="Help us review KS3 reading")
    helper = await world.member(slug, org=unique("Brightwater Learning Partnership "))
    offer = (await helper.post(f"/posts/{request['id']}/offers", json={"message": "We can visit."})).json()
    org_id = await org_of(approver)

    claimer_ctx = await new_context(browser, world.server)
    approver_ctx = await new_context(browser, world.server)
    try:
        page = await claimer_ctx.new_page()
        email = unique("claimer") + "@example.org"
        await page.goto("/signup")
        await page.get_by_label("Your name").fill("Cal Claimer")
        await page.get_by_label("Work email address").fill(email)
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_label("Choose your organisation").select_option(label=trust)
        await page.get_by_role("button", name="Create account").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        (confirm,) = await mailed_to(smtp, email, CONFIRM)
        await page.goto(link_in(confirm, "/confirm-email"))
        await page.get_by_role("button", name="Confirm my address").click()
        await page.wait_for_url("**/networks?confirmed=1")
        notice = page.locator("#affiliation-notice")
        await expect(notice).to_contain_text(f"You are waiting for {trust} to approve you")
        await page.get_by_role("button", name=f"Join Network {slug}").click()

        await page.goto(f"/posts/{request['id']}")
        await expect(page.get_by_role("button", name="Accept the offer from")).to_have_count(0)
        await expect(page.locator("#offers-waiting")).to_contain_text("accept or decline offers on its requests")
        await expect(notice).to_be_visible()
        assert await axe_violations(page) == []
        csrf = next(c["value"] for c in await claimer_ctx.cookies() if c["name"] == "csrftoken")
        refused = await page.request.post(f"/api/v1/offers/{offer['id']}/accept", headers={"x-csrftoken": csrf})
        assert refused.status == 403
        assert "waiting for" in (await refused.json())["detail"]

        # the trust's approver is mailed the request, follows its link and approves on the approvers' page
        (asked,) = await smtp.collector.wait_about("Cal Claimer asks to act for")
        assert asked["To"] == approver.person["email"]
        other = await approver_ctx.new_page()
        await sign_in(other, approver.person["email"], PASSWORD)
        body = asked.get_body(preferencelist=("plain",))
        assert body is not None
        link = f"{world.server.url}/organisations/{org_id}/people"
        assert link in body.get_content()  # PUBLIC_URL is this server: the link as mailed
        await other.goto(link)
        await expect(other.get_by_role("heading", level=1)).to_have_text(f"People of {trust}")
        await other.goto("/notifications")  # told on the site as well
        await other.get_by_role("link", name="Approve or decline").first.click()
        await expect(other).to_have_url(f"{world.server.url}/organisations/{org_id}/people")
        assert await axe_violations(other) == []
        await other.get_by_role("button", name="Approve Cal Claimer").click()
        await expect(other.get_by_role("status")).to_contain_text("Approved")

        # now the claim is real: the offer can be accepted
        await page.reload()
        await expect(notice).to_have_count(0)
        await page.get_by_role("button", name="Accept the offer from").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Help us review KS3 reading")  # its engagement
        await page.goto(f"/posts/{request['id']}")
        await expect(page.locator(f"#offer-{offer['id']}")).to_contain_text("accepted")
    finally:
        await claimer_ctx.close()
        await approver_ctx.close()
    offers = (await approver.get(f"/posts/{request['id']}/offers")).json()
    assert [o["status"] for o in offers] == ["accepted"]
    (approved,) = await smtp.collector.wait_about(f"{trust} approved you")
    assert approved["To"] == email
