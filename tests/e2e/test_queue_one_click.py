"""The review queue takes a click, in real browsers: a lead approves a held post with one button and it
leaves the list where it is, while a second lead's open queue and a network page follow the count live;
and the queue of the demo's data stays compact on a desktop and a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.conftest import LiveServer, World, make_settings
from tests.e2e.conftest import DESKTOP, PHONE, axe_violations, describe, new_context, sign_in
from tests.e2e.screenshots import DEMO_EMAIL, DEMO_PASSWORD, NETWORK, seed
from tests.e2e.test_moderation_flow import LIVE, STAYED, two_leads
from tests.e2e.test_posts import no_horizontal_scroll, signed_in, watch_errors

# the demo's queue (a held post, a flagged post) measured 3,811 px tall on a desktop and 5,029 on a phone
# with every form open on every entry; each entry now shows its text and its one-click buttons
MOST = {"desktop": 2_200, "phone": 3_200}


async def test_a_lead_approves_in_one_click_while_a_second_lead_sees_the_count_fall(
    world: World, browser: Browser, server: LiveServer
) -> None:
    slug, lead, second = await two_leads(world)
    author, reporter = await world.member(slug, name="Ari Author"), await world.member(slug)
    flagged = await world.practice(author, slug, title="Guided reading rota")
    assert (await reporter.post(f"/posts/{flagged['id']}/flags", json={"reason": "off_topic"})).status_code == 201
    assert (await lead.patch(f"/networks/{slug}/settings", json={"premod_posts": 1})).status_code == 200
    newcomer = await world.member(slug, name="Nia Newcomer")
    held = await world.practice(newcomer, slug, title="Our first reading plan")
    assert held["state"] == "held"

    leading, watching = await signed_in(browser, server, lead), await signed_in(browser, server, second)
    mine, theirs, feed = await leading.new_page(), await watching.new_page(), await watching.new_page()
    errors = [watch_errors(p) for p in (mine, theirs, feed)]
    for p in (mine, theirs):
        await p.goto(f"/networks/{slug}/queue")
        await expect(p.locator("article.queue-entry")).to_have_count(2)
        await expect(p.locator("#queue-heading")).to_have_text("Waiting for a decision (2)")
    await feed.goto(f"/networks/{slug}")
    tab = feed.locator(f'a[href="/networks/{slug}/queue"] .pill')
    await expect(tab).to_contain_text("2")
    for p in (mine, theirs, feed):
        await p.evaluate(LIVE)
    await mine.wait_for_timeout(400)  # let the sockets subscribe

    # one click, no reason: the entry leaves the lead's list in place, the status says what was done
    entry = mine.locator(f"#entry-{(await lead.get(f'/networks/{slug}/queue')).json()[0]['id']}")
    await expect(entry).to_contain_text("Our first reading plan")  # personal data first, then the oldest: held
    await expect(entry.locator("details.queue-more")).not_to_have_attribute("open", "")
    await entry.get_by_role("button", name=re.compile("^Approve")).click()
    await expect(mine.locator("#queue-status")).to_contain_text("Approved: it is shown to members now.")
    await expect(mine.locator("article.queue-entry")).to_have_count(1)
    await expect(mine.locator("#queue-heading")).to_have_text("Waiting for a decision (1)")
    await expect(mine.locator(f'a[href="/networks/{slug}/queue"] .pill')).to_contain_text("1")
    assert await mine.evaluate(STAYED), "the lead's queue reloaded"
    assert (await reporter.get(f"/posts/{held['id']}")).status_code == 200  # published

    # the second lead's queue and their network page follow at once, without a reload
    await expect(theirs.locator("#queue-heading")).to_have_text("Waiting for a decision (1)")
    await expect(theirs.locator("article.queue-entry")).to_have_count(1)
    await expect(theirs.locator("#queue-status")).to_contain_text("Another lead has decided “Our first reading plan”")
    await expect(tab).to_contain_text("1")

    # the other one-click decision: dismissing the flags empties both queues and zeroes the tab
    await mine.locator("article.queue-entry").get_by_role("button", name=re.compile("^Dismiss the flags")).click()
    await expect(mine.get_by_text("Nothing waiting.")).to_be_visible()
    await expect(theirs.get_by_text("Nothing waiting.")).to_be_visible()
    await expect(tab).to_contain_text("0")
    await expect(tab).not_to_have_class(re.compile("pill-warn"))
    for p in (mine, theirs, feed):
        assert await p.evaluate(STAYED), "a page reloaded"
    log = (await reporter.get(f"/networks/{slug}/log")).json()["items"]
    assert [(e["action"], e["reason"]) for e in log[:2]] == [("dismiss", ""), ("approve", "")]
    assert errors == [[], [], []], errors
    await leading.close()
    await watching.close()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server over a database loaded by `commons demo`, as `make demo` loads it."""
    var_dir: Path = tmp_path_factory.mktemp("demo")
    url = f"sqlite+aiosqlite:///{var_dir / 'demo.db'}"
    seed(url, var_dir)
    live = LiveServer(make_settings(url, var_dir)).start()
    yield live
    live.stop()


@pytest.mark.parametrize(("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
async def test_the_demo_queue_is_compact_on_a_desktop_and_a_phone(
    browser: Browser, demo_server: LiveServer, width: str, viewport: dict[str, int]
) -> None:
    context = await new_context(browser, demo_server, viewport=viewport)
    page = await context.new_page()
    await sign_in(page, DEMO_EMAIL, DEMO_PASSWORD)
    await page.goto(f"/networks/{NETWORK}/queue")
    entries = page.locator("article.queue-entry")
    await expect(entries).to_have_count(2)
    height = await page.evaluate("document.documentElement.scrollHeight")
    print(f"the demo's queue on a {width}: {height} px")
    assert height <= MOST[width], f"the queue is {height} px tall on a {width}"
    for n in range(2):  # each entry: its one-click button in view of its text, the full form closed
        item = entries.nth(n)
        await expect(item.locator("form[data-quick] button")).to_have_count(1)
        await expect(item.locator("details.queue-more")).not_to_have_attribute("open", "")
        await expect(item.locator("form.decide-form")).to_be_hidden()
    assert await no_horizontal_scroll(page)
    violations = await axe_violations(page)
    assert not violations, describe(violations)
    await context.close()
