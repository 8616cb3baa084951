from __future__ import annotations

from tests.conftest import World


async def test_register_create_network_post_and_read(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    post = await world.practice(member, slug, themes=["Reading"], evidence_strength="comparison")
    assert post["themes"] == ["reading"]
    feed = (await lead.get(f"/networks/{slug}/posts")).json()
    assert [p["id"] for p in feed["items"]] == [post["id"]]
    assert await world.count("events", "kind = 'post.created'") == 1
