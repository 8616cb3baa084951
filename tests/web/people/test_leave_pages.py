"""Leaving a network from its page without JavaScript: the form asks again, the directory says they left,
and the last lead is refused on the page."""

from __future__ import annotations

from tests.conftest import World
from tests.web.content.test_post_pages import Pages, main_of, redirected_to


async def test_a_member_leaves_from_the_network_page(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members", name="Staff Room")
    member = await world.member(slug)
    pages = Pages(world, member)

    page = main_of(await pages.get(f"/networks/{slug}"))
    assert f'action="/networks/{slug}/leave"' in page and "Yes, leave Staff Room" in page
    refused = await pages.form(f"/networks/{slug}/leave", {}, csrf=False)
    assert refused.status_code == 403
    assert await world.count("memberships", f"person_id = {member.id}") == 1

    left = await pages.form(f"/networks/{slug}/leave", {})
    redirected_to(left, f"/networks?left={slug}")
    assert "You have left Staff Room." in main_of(await pages.get(left.headers["location"]))
    assert await world.count("memberships", f"person_id = {member.id}") == 0
    assert (await pages.get(f"/networks/{slug}")).status_code == 404  # members only: no longer theirs to read
    # leaving again: there is nothing to leave, and a network one may not read is not there
    assert (await pages.form(f"/networks/{slug}/leave", {})).status_code == 404
    assert (await pages.form("/networks/no-such-network/leave", {})).status_code == 404


async def test_the_last_lead_is_told_why_they_cannot_leave(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Held Together")
    pages = Pages(world, lead)
    refused = await pages.form(f"/networks/{slug}/leave", {})
    assert refused.status_code == 409
    page = main_of(refused)
    assert "last lead" in page and 'role="alert"' in page and "<h1>Held Together</h1>" in page
    assert await world.count("memberships", f"person_id = {lead.id} AND role = 'lead'") == 1
    outsider = Pages(world, await world.person())
    assert "Leave this network" not in main_of(await outsider.get(f"/networks/{slug}"))
