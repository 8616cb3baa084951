"""The websocket against a real server: subscribe, live events, resume, notifications."""

from __future__ import annotations

import asyncio

from tests.conftest import World
from tests.live.client import WsClient, frame, post_created, token_for


async def test_member_receives_a_post_live(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    ws = await WsClient.connect(world.server.url, await token_for(member))
    try:
        subscribed = await ws.subscribe(slug)
        assert subscribed["type"] == "subscribed"
        assert subscribed["network"] == slug
        assert subscribed["epoch"]
        post = await world.practice(lead, slug, title="Live one")
        (event,) = await ws.events(1)
        assert event["kind"] == "post.created"
        assert event["network"] == slug
        assert event["seq"] == subscribed["seq"] + 1
        assert event["data"]["post"]["id"] == post["id"]
        assert event["data"]["post"]["title"] == "Live one"
        assert event["data"]["at"]
    finally:
        await ws.close()


async def test_resume_replays_what_was_missed_once_in_order(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    token = await token_for(member)
    ws = await WsClient.connect(world.server.url, token)
    first = await ws.subscribe(slug)
    await world.practice(lead, slug, title="Seen live")
    (seen,) = await ws.events(1)
    await ws.close()

    missed = [(await world.practice(lead, slug, title=f"Missed {i}"))["id"] for i in range(5)]

    again = await WsClient.connect(world.server.url, token)
    try:
        resumed = await again.subscribe(slug, after=seen["seq"], epoch=first["epoch"])
        assert resumed["seq"] == seen["seq"] + 5
        replayed = await again.events(5)
        assert [e["seq"] for e in replayed] == list(range(seen["seq"] + 1, seen["seq"] + 6))
        assert [e["data"]["post"]["id"] for e in replayed] == missed
        live = await world.practice(lead, slug, title="After resume")
        (next_event,) = await again.events(1)
        assert next_event["data"]["post"]["id"] == live["id"]
        marker = await world.practice(lead, slug, title="Marker")
        # nothing twice: the next post is the next message, with the next seq
        assert (await again.next_is(post_created(marker["id"])))["seq"] == next_event["seq"] + 1
    finally:
        await again.close()


async def test_after_null_means_from_now(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(lead, slug, title="Old news")
    ws = await WsClient.connect(world.server.url, await token_for(lead))
    try:
        subscribed = await ws.subscribe(slug, after=None)
        assert subscribed["seq"] >= 1
        marker = await world.practice(lead, slug, title="Marker")
        # no replay of the old post: the new one is the first message, and the next seq
        assert (await ws.next_is(post_created(marker["id"])))["seq"] == subscribed["seq"] + 1
    finally:
        await ws.close()


async def test_foreign_epoch_or_future_cursor_gets_resync(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    ws = await WsClient.connect(world.server.url, await token_for(lead))
    try:
        await ws.send({"type": "subscribe", "network": slug, "after": 1, "epoch": "another-database"})
        resync = await ws.next("resync")
        assert resync == {"type": "resync", "network": slug, "reason": "epoch"}
        assert (await ws.next("subscribed"))["network"] == slug
        await ws.send({"type": "subscribe", "network": slug, "after": 10_000})
        assert (await ws.next("resync"))["reason"] == "cursor_ahead"
    finally:
        await ws.close()


async def test_unsubscribe_stops_the_stream(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    ws = await WsClient.connect(world.server.url, await token_for(lead))
    witness = await WsClient.connect(world.server.url, await token_for(lead))
    try:
        await ws.subscribe(slug)
        await witness.subscribe(slug)
        await ws.send({"type": "unsubscribe", "network": slug})
        assert (await ws.next("unsubscribed"))["network"] == slug
        post = await world.practice(lead, slug)
        # the hub hands an event to every subscriber at once: once the witness has it, anything for `ws`
        # was queued before the answer to a message `ws` sends now
        await witness.next_is(post_created(post["id"]))
        await ws.send({"type": "subscribe", "network": slug, "after": None})
        await ws.next_is(frame("subscribed", network=slug))
    finally:
        await ws.close()
        await witness.close()


async def test_notifications_stream_and_api_agree(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    post = await world.practice(author, slug, title="Tell me when someone replies")
    ws = await WsClient.connect(world.server.url, await token_for(author))
    try:
        await ws.send({"type": "subscribe", "stream": "notifications", "after": None})
        subscribed = await ws.next("subscribed")
        assert subscribed["stream"] == "notifications"
        reply = await lead.post(f"/posts/{post['id']}/replies", json={"body": "We tried this too."})
        assert reply.status_code == 201
        note = await ws.next("notification")
        assert note["kind"] == "reply.created"
        assert note["seq"] == subscribed["seq"] + 1
        assert note["data"]["post_id"] == post["id"]
    finally:
        await ws.close()
    listed = (await author.get("/notifications")).json()
    assert listed["items"][0]["id"] == note["data"]["id"]
    assert listed["items"][0]["read"] is False
    assert (await author.get("/notifications/unread-count")).json() == {"unread": subscribed["seq"] + 1}


async def test_many_subscribe_at_once_each_holding_one_database_connection(world: World) -> None:
    """More subscriptions at once than the database pool has connections (PostgreSQL 10 + 20, SQLite's
    SQLAlchemy default 5 + 10): each must take one connection at a time, or all of them wait for a second
    one that none gives back until the pool times out."""
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    token = await token_for(member)
    sockets = await asyncio.gather(*(WsClient.connect(world.server.url, token) for _ in range(80)))
    try:
        answers = await asyncio.gather(*(ws.subscribe(slug) for ws in sockets))
        assert {(a["type"], a["network"]) for a in answers} == {("subscribed", slug)}
        post = await world.practice(lead, slug, title="To all eighty")
        arrived = await asyncio.gather(*(ws.next_is(post_created(post["id"])) for ws in sockets))
        assert len(arrived) == 80
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets))
