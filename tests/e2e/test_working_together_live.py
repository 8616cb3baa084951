"""The network's "Working together" lines in a real browser (docs/design.md §3.12): a reader of the
network who is not named in the engagement has the request's page and the network's page open; the two
sides agree the plan through the API and the line appears on both without a reload, then both choose to
keep it unlisted and it goes, each change announced politely."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from tests.conftest import LiveServer, World
from tests.e2e.test_auth_and_networks import watch_errors
from tests.e2e.test_engagement_journey import signed_in, stayed, stays
from tests.server.engagement_world import activate, engaged, ok

SENTENCE = "are working together on “A behaviour curriculum review”."


async def test_a_reader_sees_the_working_together_line_come_and_go_live(
    world: World, browser: Browser, server: LiveServer
) -> None:
    e = await engaged(world)
    reader = await world.member(e.slug)
    other = await world.request(e.requester, e.slug, title="Another request")
    context = await signed_in(browser, server, reader)
    on_request, on_network, elsewhere = await context.new_page(), await context.new_page(), await context.new_page()
    errors = [watch_errors(p) for p in (on_request, on_network, elsewhere)]
    await on_request.goto(f"/posts/{e.request['id']}")
    await on_network.goto(f"/networks/{e.slug}")
    await elsewhere.goto(f"/posts/{other['id']}")
    for p in (on_request, on_network, elsewhere):
        await stays(p)
    await expect(on_request.locator("#engagements")).to_be_hidden()
    await expect(on_network.locator("#working-together")).to_be_hidden()
    await on_request.wait_for_timeout(500)  # let the sockets subscribe

    await activate(world, e)
    line = on_request.locator(f"#engagement-line-{e.id}")
    await expect(line).to_contain_text(SENTENCE)
    await expect(on_request.locator("#engagements")).to_be_visible()
    await expect(on_request.locator("#post-announcer")).to_contain_text(SENTENCE)
    await expect(line.get_by_role("link")).to_have_count(0)  # the space is not the reader's to open
    listed = on_network.locator(f"#working-line-{e.id}")
    await expect(listed).to_contain_text(SENTENCE)
    await expect(on_network.locator("#working-together")).to_be_visible()
    await expect(on_network.locator("#working-announcer")).to_contain_text(SENTENCE)

    ok(await e.requester.patch(f"/engagements/{e.id}", json={"version": 1, "unlisted": True}))
    ok(await e.offerer.patch(f"/engagements/{e.id}", json={"version": 2, "unlisted": True}))
    await expect(line).to_have_count(0)
    await expect(on_request.locator("#engagements")).to_be_hidden()
    await expect(on_request.locator("#post-announcer")).to_have_text(
        "An engagement on this request is no longer listed."
    )
    await expect(listed).to_have_count(0)
    await expect(on_network.locator("#working-announcer")).to_have_text(
        "An engagement in this network is no longer listed."
    )

    # another request's page was never given the line
    await expect(elsewhere.locator("#engagements li")).to_have_count(0)
    for p in (on_request, on_network, elsewhere):
        assert await stayed(p)
    assert errors == [[], [], []]
    await context.close()
