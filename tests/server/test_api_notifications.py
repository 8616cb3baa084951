"""Personal notifications over the API: follow levels, mentions, listing, unread count, marking read."""

from __future__ import annotations

from tests.conftest import ApiClient, World


async def kinds(client: ApiClient, **params: str) -> list[str]:
    response = await client.get("/notifications", params=params)
    assert response.status_code == 200, response.text
    return [n["kind"] for n in response.json()["items"]]


async def test_follow_levels_decide_who_hears_of_new_posts(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    everything = await world.member(slug, follow="all")
    requests = await world.member(slug)  # new members follow at "requests only" (docs/design.md §3.10)
    mentions = await world.member(slug, name="Asha Verma")
    muted = await world.member(slug, name="Ben Muted")
    joined = await requests.get(f"/networks/{slug}")
    assert joined.json()["membership"]["follow_level"] == "requests_only", joined.text
    for member, level in ((mentions, "mentions"), (muted, "muted")):
        response = await member.put(f"/networks/{slug}/follow", json={"level": level})
        assert response.status_code == 200, response.text
        assert response.json()["follow_level"] == level
    bad = await everything.put(f"/networks/{slug}/follow", json={"level": "loud"})
    assert bad.status_code == 400

    await world.practice(lead, slug, title="A practice")
    await world.request(lead, slug, title="A request", body="Can @Asha Verma or @Ben Muted help?")

    assert await kinds(everything) == ["post.created", "post.created"]
    assert await kinds(requests) == ["post.created"]
    assert await kinds(mentions) == ["mention"]
    assert await kinds(muted) == []
    assert await kinds(lead) == ["role.changed"]  # appointed lead; never told of their own posts


async def test_listing_paging_unread_and_marking_read(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    post = await world.practice(author, slug)
    for i in range(5):
        reply = await lead.post(f"/posts/{post['id']}/replies", json={"body": f"Reply {i}"})
        assert reply.status_code == 201

    first = (await author.get("/notifications", params={"limit": 2})).json()
    assert [n["data"]["reply_id"] for n in first["items"]] == sorted(
        [n["data"]["reply_id"] for n in first["items"]], reverse=True
    )
    seen = [n["id"] for n in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = (await author.get("/notifications", params={"limit": 2, "cursor": cursor})).json()
        seen += [n["id"] for n in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 5
    assert (await author.get("/notifications/unread-count")).json() == {"unread": 5}

    marked = await author.post("/notifications/read", json={"ids": seen[:2]})
    assert marked.status_code == 200, marked.text
    assert marked.json() == {"marked": 2, "unread": 3}
    unread = (await author.get("/notifications", params={"unread": "true"})).json()["items"]
    assert sorted(n["id"] for n in unread) == sorted(seen[2:])
    assert all(n["read"] is False for n in unread)

    # someone else's ids are ignored, not an error that confirms they exist
    stranger = await world.person()
    other = await stranger.post("/notifications/read", json={"ids": seen})
    assert other.json() == {"marked": 0, "unread": 0}
    assert (await author.get("/notifications/unread-count")).json() == {"unread": 3}

    everything = await author.post("/notifications/read", json={"all": True})
    assert everything.json() == {"marked": 3, "unread": 0}


async def test_bad_requests_are_refused_with_reasons(world: World) -> None:
    person = await world.person()
    for body, status in (
        ({}, 422),
        ({"ids": [1], "all": True}, 422),
        ({"ids": ["one"]}, 400),
        ({"ids": [0]}, 400),
        ({"ids": list(range(1, 502))}, 400),
        ({"everything": True}, 400),
    ):
        response = await person.post("/notifications/read", json=body)
        assert response.status_code == status, (body, response.text)
        assert response.json()["detail"]
    assert (await person.get("/notifications", params={"cursor": "garbage"})).status_code == 400
    anonymous = world.client()
    assert (await anonymous.get("/notifications")).status_code == 401
    assert (await anonymous.get("/notifications/unread-count")).status_code == 401


async def test_notifications_follow_the_reading_rule(world: World) -> None:
    """docs/design.md §4.4: a suspension or ban removes a person from every channel of that network, notifications
    included; a person removed from a members-only network hears nothing more of it. What is about
    their own standing (the decision, their membership) still reaches them."""
    lead = await world.person()
    slug = await world.network(lead, visibility="members")
    suspended, banned, removed, replier = [await world.member(slug) for _ in range(4)]
    posts = {p.id: await world.request(p, slug, title=f"Asked by {p.id}") for p in (suspended, banned, removed)}
    earlier = {p.id: len(await kinds(p)) for p in (suspended, banned, removed)}  # from when they could read
    body = {"target_type": "member", "action": "suspend", "reason": "Cooling off"}
    assert (await lead.post(f"/networks/{slug}/decisions", json=body | {"target_id": suspended.id})).status_code == 201
    body = {"target_type": "member", "action": "ban", "reason": "Spam"}
    assert (await lead.post(f"/networks/{slug}/decisions", json=body | {"target_id": banned.id})).status_code == 201
    gone = await lead.delete(f"/networks/{slug}/members/{removed.id}", params={"reason": "Left the trust"})
    assert gone.status_code == 204

    for person in (suspended, banned, removed):
        post_id = posts[person.id]["id"]
        reply = await replier.post(f"/posts/{post_id}/replies", json={"body": f"Try this, @{replier.id}"})
        assert reply.status_code == 201, reply.text
        offer = await replier.post(f"/posts/{post_id}/offers", json={"message": "A visit"})
        assert offer.status_code == 201, offer.text

    async def since(person: ApiClient) -> list[str]:
        told = await kinds(person)
        return told[: len(told) - earlier[person.id]]

    assert await since(suspended) == ["membership.changed"]  # told of the suspension, nothing of the network
    assert await since(banned) == ["membership.changed"]
    assert await since(removed) == ["membership.removed"]

    # the same in a public network: a removed member reads it like anyone signed in, so hears of replies
    public = await world.network(lead)
    author = await world.member(public)
    asked = await world.request(author, public, title="Open question")
    assert (await lead.delete(f"/networks/{public}/members/{author.id}", params={"reason": "Moved"})).status_code == 204
    assert (await replier.post(f"/networks/{public}/join")).status_code in (200, 409)
    assert (await replier.post(f"/posts/{asked['id']}/replies", json={"body": "Here"})).status_code == 201
    assert (await kinds(author))[0] == "reply.created"
