"""Moderation live, over real websockets: a sanctioned member's socket goes quiet at once while others keep
receiving; members see a hidden post leave and the log entry arrive; leads hear of new queue entries."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ApiClient, World
from tests.live.client import WsClient, frame, notification, post_created, token_for


async def decide(lead: ApiClient, slug: str, target_type: str, target_id: int, action: str, **extra: Any) -> int:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": "Live test"} | extra
    response = await lead.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def following(world: World, client: ApiClient, slug: str) -> WsClient:
    ws = await WsClient.connect(world.server.url, await token_for(client))
    subscribed = await ws.subscribe(slug)
    assert subscribed["type"] == "subscribed", subscribed
    return ws


@pytest.mark.parametrize(("action", "visibility"), [("suspend", "members"), ("suspend", "public"), ("ban", "public")])
async def test_a_sanctioned_members_socket_receives_nothing_more(world: World, action: str, visibility: str) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility=visibility)
    sanctioned, other = await world.member(slug), await world.member(slug)
    watched = await following(world, sanctioned, slug)
    watching = await following(world, other, slug)
    try:
        await world.practice(lead, slug, title="Before")
        for ws in (watched, watching):
            (before,) = await ws.events(1)
            assert before["data"]["post"]["title"] == "Before"

        await decide(lead, slug, "member", sanctioned.id, action)
        error = await watched.next("error")
        assert error["code"] == "forbidden" and error["network"] == slug
        # what came before the error is the sanction itself, and nothing after it
        kinds = [m["kind"] for m in watched.received if m["type"] == "event"]
        assert kinds[-2:] == ["decision.logged", "member.updated"]

        after = await world.practice(lead, slug, title="After")
        await decide(lead, slug, "post", after["id"], "pin")
        got = [m["kind"] for m in await watching.events(5)]
        assert got == ["decision.logged", "member.updated", "post.created", "post.updated", "decision.logged"]
        # `watching` has had the last of them, so whatever the hub handed `watched` with them is queued
        # before the answer to a message it sends now: nothing may come before that answer
        await watched.send({"type": "subscribe", "network": slug, "after": None})
        again = await watched.next_is(frame("error"))
        assert again["code"] in ("forbidden", "not_found")
    finally:
        await watched.close()
        await watching.close()


async def test_members_see_a_hidden_post_leave_and_its_log_entry_arrive(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members")
    author, member = await world.member(slug), await world.member(slug)
    post = await world.practice(author, slug, title="To be hidden")
    ws = await following(world, member, slug)
    try:
        decision = await decide(lead, slug, "post", post["id"], "hide", clause=2)
        hidden, logged = await ws.events(2)
        assert hidden["kind"] == "post.hidden"
        assert {k: hidden["data"][k] for k in ("post_id", "state")} == {"post_id": post["id"], "state": "hidden"}
        assert "title" not in hidden["data"] and "post" not in hidden["data"]  # nothing of the content travels
        assert logged["kind"] == "decision.logged" and logged["seq"] == hidden["seq"] + 1
        entry = logged["data"]["entry"]
        fetched = (await member.get(f"/networks/{slug}/log")).json()["items"][0]
        assert entry == fetched
        assert (entry["id"], entry["action"], entry["clause"]) == (decision, "hide", 2)

        await decide(lead, slug, "post", post["id"], "restore")
        restored, _ = await ws.events(2)
        assert restored["kind"] == "post.restored"
        assert restored["data"]["post"] == (await member.get(f"/posts/{post['id']}")).json()
    finally:
        await ws.close()


async def test_leads_hear_live_of_a_new_queue_entry(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author, reporter = await world.member(slug), await world.member(slug)
    post = await world.practice(author, slug, title="Flag me live")
    streams = {}
    for name, client in (("lead", lead), ("author", author)):
        ws = await WsClient.connect(world.server.url, await token_for(client))
        await ws.send({"type": "subscribe", "stream": "notifications", "after": None})
        assert (await ws.next("subscribed"))["stream"] == "notifications"
        streams[name] = ws
    try:
        flagged = await reporter.post(f"/posts/{post['id']}/flags", json={"reason": "personal_data"})
        assert flagged.status_code == 201, flagged.text
        note = await streams["lead"].next("notification")
        assert note["kind"] == "queue.added"
        [entry] = (await lead.get(f"/networks/{slug}/queue")).json()
        assert note["data"]["entry_id"] == entry["id"]
        assert (note["data"]["post_id"], note["data"]["title"]) == (post["id"], "Flag me live")
        assert note["data"]["severity"] == "Personal data" and note["data"]["held"] is False
        # the author's next notification (a reply to the post) is the first: none about the flag came before
        replied = await lead.post(f"/posts/{post['id']}/replies", json={"body": "Thanks, looking at it."})
        assert replied.status_code == 201, replied.text
        await streams["author"].next_is(notification("reply.created"))
    finally:
        for ws in streams.values():
            await ws.close()


async def test_queue_counts_claims_and_notes_reach_the_leads_and_no_one_else(world: World) -> None:
    """The queue's live events (`queue.changed` with the open count, `queue.noted`) go to the network's leads
    alone: a member, an observer and a lead of another network following the same public network receive
    none, live or on replay (docs/design.md §3.6, the `leads` audience)."""
    lead = await world.person()
    slug = await world.network(lead)
    second = await world.member(slug)
    assert (await lead.patch(f"/networks/{slug}/members/{second.id}", json={"role": "lead"})).status_code == 200
    author, member = await world.member(slug), await world.member(slug)
    observer = await world.observer(lead, slug)
    elsewhere = await world.person()
    await world.network(elsewhere)  # they lead a network of their own, not this one
    post = await world.practice(author, slug, title="Flag me")
    people = {"lead": second, "member": member, "observer": observer, "elsewhere": elsewhere}
    watchers = {name: await following(world, client, slug) for name, client in people.items()}
    try:
        flagged = await member.post(f"/posts/{post['id']}/flags", json={"reason": "spam"})
        assert flagged.status_code == 201, flagged.text
        [entry] = (await lead.get(f"/networks/{slug}/queue")).json()
        assert (await lead.post(f"/networks/{slug}/queue/{entry['id']}/claim")).status_code == 200
        noted = await lead.post(f"/networks/{slug}/queue/{entry['id']}/notes", json={"body": "Looks fine"})
        assert noted.status_code == 201, noted.text
        await decide(lead, slug, "post", post["id"], "dismiss", reason="")
        marker = await world.practice(lead, slug, title="After the queue")  # every reader receives this, last

        earlier, _ = await watchers["lead"].until(post_created(marker["id"]))
        queue = [(m["kind"], m["data"]) for m in earlier if m["kind"].startswith("queue.")]
        assert [k for k, _ in queue] == ["queue.changed", "queue.changed", "queue.noted", "queue.changed"]
        assert [d["open_count"] for k, d in queue if k == "queue.changed"] == [1, 1, 0]
        assert queue[1][1]["entry"]["claimed_by"]["id"] == lead.id
        assert queue[2][1]["note"]["body"] == "Looks fine" and queue[2][1]["entry_id"] == entry["id"]
        assert queue[3][1]["entry"]["status"] == "resolved"
        for name in ("member", "observer", "elsewhere"):
            earlier, _ = await watchers[name].until(post_created(marker["id"]))
            kinds = [m["kind"] for m in earlier if m["type"] == "event"]
            assert "decision.logged" in kinds, (name, kinds)  # the log is theirs to read
            assert not [k for k in kinds if k.startswith("queue.")], (name, kinds)
            # nor on replay from the start of the log
            again = await following(world, people[name], slug)
            try:
                await again.send({"type": "subscribe", "network": slug, "after": 0})
                replayed, _ = await again.until(frame("caught_up"))
                assert not [m for m in replayed if m.get("kind", "").startswith("queue.")], name
            finally:
                await again.close()
    finally:
        for ws in watchers.values():
            await ws.close()
