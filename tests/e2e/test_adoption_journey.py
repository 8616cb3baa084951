"""The adoption journey in two real browsers (docs/design.md §3.13): the practice's author (organisation A)
and a member of organisation B read the same practice page. B marks "tried it" and records an adoption;
A's "Tried elsewhere" section updates live, without a reload. B's report keeps what was typed when it is
refused, then goes through; A sees the sentence change live and is notified. A's own colleague is
offered no record form, and the API refuses them. The section, with its flag and moderation forms, is
clean under axe at desktop and phone widths."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from playwright.async_api import Browser, Page, expect

from tests.conftest import PASSWORD, LiveServer, World, problem
from tests.e2e.conftest import DESKTOP, PHONE, api_sign_in, axe_violations, describe, new_context, open_live

STARTED = date.today() - timedelta(days=60)


def console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


async def browser_page(browser: Browser, server: LiveServer, who: Any, viewport: dict[str, int] = DESKTOP) -> Page:
    context = await new_context(browser, server, viewport=viewport)
    await api_sign_in(context, who.person["email"], PASSWORD)
    return await context.new_page()


async def test_b_records_and_reports_while_a_watches_live(world: World, browser: Browser, server: LiveServer) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead, name="Attendance Network")
    author = await world.member(slug, name="Ada Author", org="Able Trust")
    colleague = await world.member(slug, name="Cam Colleague", org="Able Trust")
    trier = await world.member(slug, name="Bea Bright", org="Bright Trust")
    practice = await world.practice(author, slug, title="First-day calling")
    path = f"/posts/{practice['id']}"

    a = await browser_page(browser, server, author)
    b = await browser_page(browser, server, trier)
    try:
        a_errors, b_errors = console_errors(a), console_errors(b)
        await open_live(a, path, slug)
        await a.evaluate("window.stillThisPage = true")
        summary = a.locator("#adoption-summary")
        await expect(summary).to_contain_text("No other organisation has recorded trying this yet.")
        badge = a.locator("#unread-badge [data-unread]")
        unread_before = int(await badge.inner_text())

        # B marks "tried it": the record form is offered, open
        await b.goto(path)
        await expect(b.locator("#adoption-record")).not_to_have_attribute("open", "")
        await b.get_by_role("button", name="Tried it").click()
        record = b.locator("#adoption-record")
        await expect(record).to_have_attribute("open", "")
        await b.get_by_label("Phase where you are trying it").select_option("secondary")
        await b.get_by_label("Size of your organisation").select_option("medium")
        await b.get_by_label("Setting").fill("Four secondaries in market towns")
        await b.get_by_label("What you adapted").fill("Calls by 9.15am from a central team")
        await b.get_by_label("When you started").fill(STARTED.isoformat())
        await b.get_by_role("button", name="Record our adoption").click()
        await b.wait_for_url(f"**{path}#tried-elsewhere")

        # A sees it arrive, without a reload
        await expect(summary).to_contain_text("Tried in 1 organisation: 1 not reported yet.")
        await expect(summary.locator(".adoption-org")).to_have_text("Bright Trust")
        await expect(summary).to_contain_text("Calls by 9.15am from a central team")

        # B's report, refused for a missing answer, keeps what was typed (no script involved)
        report = b.locator("#adoption-report")
        if await report.get_attribute("open") is None:
            await report.locator("summary").click()
        await b.get_by_label("Did it work for you?").select_option("improved")
        await b.get_by_label("What the evidence says").fill("Persistent absence fell from 24% to 19%.")
        await b.get_by_label("What would you tell the next trust?").fill("Protect the first hour of the day.")
        await b.get_by_role("button", name="Send the report").click()
        await expect(b.locator("#adoption-error")).to_contain_text("evidence strength")
        await expect(b.get_by_label("Did it work for you?")).to_have_value("improved")
        await expect(b.get_by_label("What the evidence says")).to_have_value("Persistent absence fell from 24% to 19%.")
        await expect(b.get_by_label("What would you tell the next trust?")).to_have_value(
            "Protect the first hour of the day."
        )
        assert await world.count("adoptions", "reported_at IS NOT NULL") == 0
        await b.get_by_label("How do you know?").select_option("internal_data")
        await b.get_by_role("button", name="Send the report").click()
        await b.wait_for_url(f"**{path}#tried-elsewhere")

        # A sees the sentence change live, and is told
        await expect(summary).to_contain_text("Tried in 1 organisation: 1 reports improvement (1 with internal data).")
        await expect(summary).to_contain_text("Protect the first hour of the day.")
        await expect(badge).to_have_text(str(unread_before + 1))
        assert await a.evaluate("window.stillThisPage") is True
        await a.goto("/notifications")
        await expect(a.locator("#notification-list li").first).to_contain_text(
            "Bright Trust tried your practice “First-day calling” and reports improvement."
        )
        assert a_errors == []
        assert [e for e in b_errors if "status of 422" not in e] == []  # the refused report is the only one
    finally:
        await a.context.close()
        await b.context.close()

    # A's own colleague is offered no record form, and the API refuses them
    c = await browser_page(browser, server, colleague)
    try:
        await c.goto(path)
        await expect(c.locator("#tried-elsewhere")).to_be_visible()
        await expect(c.locator("#adoption-form")).to_have_count(0)
        await expect(c.locator("#adoption-report-form")).to_have_count(0)
    finally:
        await c.context.close()
    refused = await colleague.post(
        f"/posts/{practice['id']}/adoptions",
        json={"phase": "primary", "size_band": "small", "started_on": STARTED.isoformat()},
    )
    problem(refused, 403, "your own organisation")
    assert await world.count("adoptions") == 1


async def test_the_section_and_its_moderation_forms_pass_axe_at_both_widths(
    world: World, browser: Browser, server: LiveServer
) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead)
    author = await world.member(slug, name="Ada Author", org="Able Trust")
    trier = await world.member(slug, name="Bea Bright", org="Bright Trust")
    reader = await world.member(slug, name="Rob Reader", org="Reader Trust")
    practice = await world.practice(author, slug, title="First-day calling")
    started = {"phase": "primary", "size_band": "small", "started_on": STARTED.isoformat(), "adapted": "Weekly"}
    recorded = await trier.post(f"/posts/{practice['id']}/adoptions", json=started)
    assert recorded.status_code == 201, recorded.text
    report = {"result": "no_change", "evidence_strength": "anecdotal", "advice": "Start **small**."}
    assert (await trier.post(f"/adoptions/{recorded.json()['id']}/report", json=report)).status_code == 200
    path = f"/posts/{practice['id']}"
    for viewport in (DESKTOP, PHONE):
        for who, opened in ((lead, ".moderate-box"), (reader, ".flag-box"), (trier, "#adoption-report")):
            page = await browser_page(browser, server, who, viewport)
            try:
                await page.goto(path)
                box = page.locator(f"#tried-elsewhere {opened}").first
                await box.evaluate("el => el.open = true")  # what the forms hold is checked too
                violations = await axe_violations(page)
                assert not violations, f"{path} for {who.person['display_name']} at {viewport}: {describe(violations)}"
                overflow = await page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{path} scrolls sideways at {viewport}"
            finally:
                await page.context.close()
