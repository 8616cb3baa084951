"""Replies and reactions over HTTP: who may write them, limits, order, cursors, notifications, events."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from tests.conftest import World, event_kinds, problem


async def written(world: World) -> tuple[int, ...]:
    """What a refused request must leave unchanged."""
    tables = ("replies", "reactions", "events", "notifications")
    return tuple([await world.count(t) for t in tables])


# --- replies --------------------------------------------------------------------------------------


async def test_reply_is_created_notifies_the_author_and_moves_a_request_into_discussion(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    replier = await world.member(slug)
    request = await world.request(author, slug)
    earlier = await event_kinds(world)
    notes = await world.count("notifications")

    response = await replier.post(f"/posts/{request['id']}/replies", json={"body": "We did this in **2023**."})
    assert response.status_code == 201, response.text
    reply = response.json()
    assert reply["post_id"] == request["id"] and reply["body"] == "We did this in **2023**."
    assert reply["body_html"] == "<p>We did this in <strong>2023</strong>.</p>\n"
    assert reply["author"]["id"] == replier.id and reply["state"] == "visible"
    post = (await author.get(f"/posts/{request['id']}")).json()
    assert post["status"] == "in_discussion" and post["reply_count"] == 1
    assert (await event_kinds(world))[len(earlier) :] == ["reply.created", "post.updated"]
    async with world.db() as session:
        rows = (await session.execute(text("SELECT person_id, kind, payload FROM notifications ORDER BY id"))).all()[
            notes:
        ]
    assert [(r[0], r[1]) for r in rows] == [(author.id, "reply.created")]
    payload = rows[0][2] if isinstance(rows[0][2], dict) else json.loads(rows[0][2])
    assert payload["post_id"] == request["id"] and payload["reply_id"] == reply["id"]

    # replying to your own post tells nobody; a practice keeps no status
    practice = await world.practice(author, slug)
    earlier = await event_kinds(world)
    notes = await world.count("notifications")  # the new practice told the members who follow everything
    response = await author.post(f"/posts/{practice['id']}/replies", json={"body": "An update from us."})
    assert response.status_code == 201, response.text
    assert (await event_kinds(world))[len(earlier) :] == ["reply.created"]
    assert await world.count("notifications") == notes
    assert (await author.get(f"/posts/{practice['id']}")).json()["status"] is None

    # a request already in discussion stays there
    response = await lead.post(f"/posts/{request['id']}/replies", json={"body": "Lead here."})
    assert response.status_code == 201
    assert (await author.get(f"/posts/{request['id']}")).json()["status"] == "in_discussion"
    assert await world.count("notifications", f"person_id = {author.id}") == 2


async def test_bad_replies_and_who_may_reply(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    private = await world.network(lead, visibility="members")
    author = await world.member(slug)
    member = await world.member(slug)
    outsider = await world.person()
    watcher = await world.observer(lead, slug)
    post = await world.practice(author, slug)
    hidden_post = await world.practice(lead, private)
    path = f"/posts/{post['id']}/replies"
    before = await written(world)

    for body, status, words in (
        ({"body": ""}, 400, ("body",)),
        ({"body": "   \n "}, 422, ("blank",)),
        ({"body": "x" * 40_001}, 400, ("body",)),
        ({}, 400, ("body",)),
        ({"body": 5}, 400, ("body",)),
        ({"body": "Hi", "post_id": 3}, 400, ("post_id",)),
        ("Hi", 400, ()),
    ):
        problem(await member.post(path, json=body), status, *words)
    problem(await outsider.post(path, json={"body": "Hi"}), 403, "members")
    problem(await watcher.post(path, json={"body": "Hi"}), 403)
    problem(await outsider.post(f"/posts/{hidden_post['id']}/replies", json={"body": "Hi"}), 404)
    problem(await member.post("/posts/999999/replies", json={"body": "Hi"}), 404)
    assert (await world.client().post(path, json={"body": "Hi"})).status_code == 401
    problem(await member.http.post(path, json={"body": "Hi"}), 403, "csrf")

    # a locked thread takes no new replies, except from a lead
    await world.set_post(post["id"], "locked = true")
    problem(await member.post(path, json={"body": "Hi"}), 403, "locked")
    assert await written(world) == before
    assert (await lead.post(path, json={"body": "Closing this thread."})).status_code == 201
    await world.set_post(post["id"], "locked = false")

    # the longest body allowed is accepted, and markdown is sanitised like a post's
    response = await member.post(path, json={"body": "y" * 40_000})
    assert response.status_code == 201, response.text
    response = await member.post(path, json={"body": "<script>alert(1)</script> [x](javascript:alert(1))"})
    assert response.status_code == 201
    assert "<script" not in response.json()["body_html"] and "href" not in response.json()["body_html"]
    assert response.json()["body"] == "<script>alert(1)</script> [x](javascript:alert(1))"


async def test_replies_list_oldest_first_with_cursor(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    other = await world.member(slug)
    post = await world.practice(author, slug)
    path = f"/posts/{post['id']}/replies"
    ids = []
    for i in range(5):
        response = await (other if i % 2 else author).post(path, json={"body": f"Reply {i}"})
        assert response.status_code == 201
        ids.append(response.json()["id"])

    seen: list[int] = []
    pages = 0
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await lead.get(path, params=params)).json()
        assert set(page) == {"items", "next_cursor"} and len(page["items"]) <= 2
        seen += [r["id"] for r in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids and pages == 3
    assert [r["body"] for r in (await lead.get(path)).json()["items"]] == [f"Reply {i}" for i in range(5)]
    assert (await lead.get(path, params={"limit": 5})).json()["next_cursor"] is None

    # a reply a lead hid is listed to its author and to leads only
    await set_reply_state(world, ids[1], "hidden")
    assert ids[1] in [r["id"] for r in (await other.get(path)).json()["items"]]
    assert ids[1] in [r["id"] for r in (await lead.get(path)).json()["items"]]
    assert ids[1] not in [r["id"] for r in (await author.get(path)).json()["items"]]

    for params in ({"cursor": "nonsense"}, {"cursor": "MTo1"}, {"limit": 0}, {"limit": 101}, {"limit": "ten"}):
        problem(await lead.get(path, params=params), 400, next(iter(params)))


async def set_reply_state(world: World, reply_id: int, state: str) -> None:
    async with world.db() as session:
        await session.execute(text("UPDATE replies SET state = :s WHERE id = :i"), {"s": state, "i": reply_id})
        await session.commit()


# --- reactions ------------------------------------------------------------------------------------


async def test_reactions_count_once_per_person_and_can_be_taken_back(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    first = await world.member(slug)
    second = await world.member(slug)
    post = await world.practice(author, slug)
    path = f"/posts/{post['id']}/reactions"
    start = len(await event_kinds(world))
    notes = await world.count("notifications")

    response = await first.post(path, json={"kind": "useful"})
    assert response.status_code == 200, response.text
    assert response.json() == {"useful": 1, "tried_it": 0}
    # reacting again changes nothing and records nothing
    assert (await first.post(path, json={"kind": "useful"})).json() == {"useful": 1, "tried_it": 0}
    assert (await first.post(path, json={"kind": "tried_it"})).json() == {"useful": 1, "tried_it": 1}
    assert (await second.post(path, json={"kind": "useful"})).json() == {"useful": 2, "tried_it": 1}
    assert (await author.post(path, json={"kind": "tried_it"})).json() == {"useful": 2, "tried_it": 2}
    assert await world.count("reactions") == 4
    assert (await lead.get(f"/posts/{post['id']}")).json()["reactions"] == {"useful": 2, "tried_it": 2}
    feed = (await lead.get(f"/networks/{slug}/posts")).json()["items"]
    assert feed[0]["reactions"] == {"useful": 2, "tried_it": 2}
    assert (await event_kinds(world))[start:] == ["reaction.changed"] * 4

    response = await first.delete(f"{path}/useful")
    assert response.status_code == 200, response.text
    assert response.json() == {"useful": 1, "tried_it": 2}
    assert (await first.delete(f"{path}/useful")).json() == {"useful": 1, "tried_it": 2}
    assert await world.count("reactions") == 3
    assert await world.count("reactions", f"person_id = {second.id}") == 1
    assert (await event_kinds(world))[start:] == ["reaction.changed"] * 5
    assert await world.count("notifications") == notes


async def test_reaction_refusals(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    private = await world.network(lead, visibility="members")
    member = await world.member(slug)
    outsider = await world.person()
    watcher = await world.observer(lead, slug)
    post = await world.practice(member, slug)
    hidden_network_post = await world.practice(lead, private)
    path = f"/posts/{post['id']}/reactions"
    before = await written(world)

    for body, word in (
        ({"kind": "love"}, "kind"),
        ({"kind": "USEFUL"}, "kind"),
        ({}, "kind"),
        ({"kind": 1}, "kind"),
        ({"kind": "useful", "extra": 1}, "extra"),
        (["useful"], ""),
    ):
        problem(await member.post(path, json=body), 400, word)
    problem(await member.delete(f"{path}/love"), 400, "kind")
    problem(await outsider.post(path, json={"kind": "useful"}), 403, "members")
    problem(await outsider.delete(f"{path}/useful"), 403, "members")
    problem(await watcher.post(path, json={"kind": "tried_it"}), 403)
    problem(await outsider.post(f"/posts/{hidden_network_post['id']}/reactions", json={"kind": "useful"}), 404)
    problem(await member.post("/posts/999999/reactions", json={"kind": "useful"}), 404)
    assert (await world.client().post(path, json={"kind": "useful"})).status_code == 401
    problem(await member.http.post(path, json={"kind": "useful"}), 403, "csrf")
    assert await written(world) == before
