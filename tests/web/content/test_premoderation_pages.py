"""A new member of a pre-moderated network is told, before they post, that the leads review it first."""

from __future__ import annotations

from tests.conftest import World
from tests.web.content.test_post_pages import Pages, main_of


async def test_the_compose_page_says_a_new_members_first_post_is_reviewed(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Careful Circle")
    assert (await lead.patch(f"/networks/{slug}/settings", json={"premod_posts": 1})).status_code == 200
    member = await world.member(slug)
    mine, leads = Pages(world, member), Pages(world, lead)

    page = main_of(await mine.get(f"/networks/{slug}/new?kind=practice"))
    assert 'id="premod-notice"' in page
    assert "The leads review this practice before others see it." in page
    assert "first post is approved by a lead in Careful Circle" in page
    assert 'id="premod-notice"' not in main_of(await leads.get(f"/networks/{slug}/new"))  # a lead's is never held

    held = await world.practice(member, slug)
    assert held["state"] == "held"
    queue = (await lead.get(f"/networks/{slug}/queue")).json()
    assert [e["hold_reason"] for e in queue] == ["A new member's first post is approved by a lead."]
    post = main_of(await mine.get(f"/posts/{held['id']}"))
    assert 'id="post-held"' in post and "Awaiting review" in post
    decide = {"target_type": "post", "target_id": held["id"], "action": "approve", "reason": "Fine"}
    assert (await lead.post(f"/networks/{slug}/decisions", json=decide)).status_code == 201
    assert 'id="premod-notice"' not in main_of(await mine.get(f"/networks/{slug}/new"))  # one post was the rule
    assert 'id="post-held"' not in main_of(await mine.get(f"/posts/{held['id']}"))
