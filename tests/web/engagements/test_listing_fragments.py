"""The "Working together" fragments the request and network pages redraw live (docs/design.md §3.12): the
same lines as the pages, only this request's on the request's fragment, gone when both sides keep the
engagement unlisted, and the 404 page for anyone who may not read the request or the network."""

from __future__ import annotations

from tests.conftest import World
from tests.server.engagement_world import activate, engaged, ok
from tests.web.content.test_post_pages import Pages

SENTENCE = "are working together on “A behaviour curriculum review”"


async def test_the_fragments_show_the_listed_lines_and_drop_an_unlisted_one(world: World, backend: str) -> None:
    e = await engaged(world, visibility="members")
    reader = Pages(world, await world.member(e.slug))
    other = await world.request(e.requester, e.slug, title="Another request")
    section = f"/posts/{e.request['id']}/engagements/section"
    network = f"/networks/{e.slug}/engagements/section"

    proposed = await reader.get(section)  # not yet listed: the section is there, hidden and empty
    assert proposed.status_code == 200
    assert proposed.text.lstrip().startswith('<section id="engagements"') and " hidden>" in proposed.text
    assert f"engagement-line-{e.id}" not in proposed.text
    assert f"working-line-{e.id}" not in (await reader.get(network)).text

    await activate(world, e)
    shown = (await reader.get(section)).text
    assert f'<li id="engagement-line-{e.id}">' in shown and SENTENCE in shown and " hidden>" not in shown
    assert f'href="/engagements/{e.id}"' not in shown  # the space is not the reader's to open
    named = (await Pages(world, e.offerer).get(section)).text
    assert f'href="/engagements/{e.id}"' in named
    listed = (await reader.get(network)).text
    assert f'<li id="working-line-{e.id}">' in listed and SENTENCE in listed
    assert f'href="/posts/{e.request["id"]}"' in listed
    elsewhere = (await reader.get(f"/posts/{other['id']}/engagements/section")).text
    assert f"engagement-line-{e.id}" not in elsewhere  # only its own request's lines

    ok(await e.requester.patch(f"/engagements/{e.id}", json={"version": 1, "unlisted": True}))
    ok(await e.offerer.patch(f"/engagements/{e.id}", json={"version": 2, "unlisted": True}))
    assert f"engagement-line-{e.id}" not in (await reader.get(section)).text
    assert f"working-line-{e.id}" not in (await reader.get(network)).text


async def test_who_may_not_read_gets_the_page_of_a_missing_one(world: World, backend: str) -> None:
    e = await engaged(world, visibility="members")
    await activate(world, e)
    outsider, anonymous = Pages(world, await world.person()), Pages(world)
    section = f"/posts/{e.request['id']}/engagements/section"
    missing = await outsider.get("/posts/987654321/engagements/section")
    assert missing.status_code == 404
    for who in (outsider, anonymous):
        refused = await who.get(section)
        assert refused.status_code == 404 and "A behaviour curriculum review" not in refused.text
        assert f"engagement-line-{e.id}" not in refused.text
        gone = await who.get(f"/networks/{e.slug}/engagements/section")
        assert gone.status_code == 404 and f"working-line-{e.id}" not in gone.text
    nowhere = await outsider.get("/networks/no-such-network/engagements/section")
    assert nowhere.status_code == 404
    await anonymous.aclose()
