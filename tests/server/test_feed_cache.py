"""The JSON feed's kept pages: served only while they are what a fresh read would give."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text

from network.content.feed_cache import FeedCache
from tests.conftest import ApiClient, World


def kept_pages(world: World) -> FeedCache:
    cache: FeedCache = world.server.app.state.feed_cache
    return cache


async def feed(client: ApiClient, slug: str, **params: Any) -> dict[str, Any]:
    response = await client.get(f"/networks/{slug}/posts", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return dict(response.json())


async def decide(lead: ApiClient, slug: str, post_id: int, action: str) -> None:
    body = {"target_type": "post", "target_id": post_id, "action": action, "reason": "As logged"}
    response = await lead.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text


async def behind_the_log(world: World, statement: str, **values: Any) -> None:
    async with world.db() as session:
        await session.execute(text(statement), values)
        await session.commit()


async def test_after_every_kind_of_change_the_page_served_is_a_fresh_one(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, reader, helper = await world.member(slug), await world.member(slug), await world.member(slug)
    practice = await world.practice(author, slug, title="Phonics catch-up")
    request = await world.request(author, slug, title="Help with attendance")

    first = await feed(reader, slug)
    assert len(kept_pages(world)) >= 1
    # a change written behind the log does not move the key: the kept page is served (this is
    # why every change members can see must go through the log)
    await behind_the_log(world, "UPDATE posts SET title = 'Changed quietly' WHERE id = :id", id=practice["id"])
    assert await feed(reader, slug) == first

    changes = [
        ("a new post", world.practice(author, slug, title="Maths mastery")),
        ("a reply", reader.post(f"/posts/{practice['id']}/replies", json={"body": "We tried this too."})),
        ("a reaction", reader.post(f"/posts/{practice['id']}/reactions", json={"kind": "useful"})),
        ("a reaction taken back", reader.delete(f"/posts/{practice['id']}/reactions/useful")),
        ("an offer", helper.post(f"/posts/{request['id']}/offers", json={"message": "We can visit."})),
        ("an edit", author.patch(f"/posts/{practice['id']}", json={"title": "Phonics catch-up, term 2"})),
        ("a pin", decide(lead, slug, request["id"], "pin")),
        ("a lock", decide(lead, slug, practice["id"], "lock")),
        ("a hide", decide(lead, slug, practice["id"], "hide")),
        ("a restore", decide(lead, slug, practice["id"], "restore")),
        ("a closed request", author.post(f"/posts/{request['id']}/close", json={"outcome": "Sorted, thanks."})),
        ("a removal", decide(lead, slug, practice["id"], "remove")),
    ]
    before = await feed(reader, slug)
    for what, change in changes:
        result = await change
        if isinstance(result, httpx.Response):
            assert result.status_code in (200, 201), (what, result.text)
        served = await feed(reader, slug)
        kept_pages(world).clear()
        fresh = await feed(reader, slug)
        assert served == fresh, what
        assert served != before, f"{what} should change the page"
        before = served
    assert [p["title"] for p in before["items"]] == ["Help with attendance", "Maths mastery"]


async def test_a_renamed_author_is_never_shown_under_the_old_name(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, reader = await world.member(slug), await world.member(slug)
    await world.practice(author, slug)
    assert (await feed(reader, slug))["items"][0]["author"]["display_name"] == author.person["display_name"]
    # names change outside any network's log (an account's own settings, an administrator)
    await behind_the_log(world, "UPDATE people SET display_name = 'Dr Renamed' WHERE id = :id", id=author.id)
    assert (await feed(reader, slug))["items"][0]["author"]["display_name"] == "Dr Renamed"
    organisation = author.person["organisation"]["id"]
    await behind_the_log(world, "UPDATE organisations SET name = 'Renamed Trust' WHERE id = :id", id=organisation)
    assert (await feed(reader, slug))["items"][0]["author"]["organisation"]["name"] == "Renamed Trust"


async def test_leads_and_authors_of_unpublished_posts_are_never_given_the_shared_page(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, reader = await world.member(slug), await world.member(slug)
    shown = await world.practice(author, slug, title="Shown to all")
    hidden = await world.practice(author, slug, title="Hidden by a lead")
    await decide(lead, slug, hidden["id"], "hide")

    # the reader's page is kept first; the author and the lead still see the hidden post
    assert [p["id"] for p in (await feed(reader, slug))["items"]] == [shown["id"]]
    assert [p["id"] for p in (await feed(reader, slug))["items"]] == [shown["id"]]
    assert [p["id"] for p in (await feed(author, slug))["items"]] == [hidden["id"], shown["id"]]
    assert [p["id"] for p in (await feed(lead, slug))["items"]] == [hidden["id"], shown["id"]]
    # and a page computed for them is not kept for others
    kept_pages(world).clear()
    assert len((await feed(author, slug))["items"]) == 2
    assert len((await feed(lead, slug))["items"]) == 2
    assert len(kept_pages(world)) == 0
    assert [p["id"] for p in (await feed(reader, slug))["items"]] == [shown["id"]]
    assert len(kept_pages(world)) == 1


async def test_each_cursor_limit_and_filter_has_its_own_page(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, reader = await world.member(slug), await world.member(slug)
    ids = [(await world.practice(author, slug, title=f"P{i}", themes=[f"t{i % 2}"]))["id"] for i in range(5)]
    request = await world.request(author, slug)
    everything = [p["id"] for p in (await feed(reader, slug))["items"]]
    assert everything == [request["id"], *reversed(ids)]
    two = await feed(reader, slug, limit=2)
    assert [p["id"] for p in two["items"]] == everything[:2]
    after = await feed(reader, slug, limit=2, cursor=two["next_cursor"])
    assert [p["id"] for p in after["items"]] == everything[2:4]
    assert [p["id"] for p in (await feed(reader, slug, kind="request"))["items"]] == [request["id"]]
    assert [p["id"] for p in (await feed(reader, slug, theme="t1"))["items"]] == [ids[3], ids[1]]
    assert [p["id"] for p in (await feed(reader, slug))["items"]] == everything
