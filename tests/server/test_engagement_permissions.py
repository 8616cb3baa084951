"""The permission table's row for an engagement's space (docs/design.md §4.1, notes 4 and 5), column by
column and channel by channel (§4.4): the API's reads and writes, the live stream (live and replayed from
the start of the log), notifications and search. Only the named people of either side read the space;
everyone else, the network's leads included, is answered as if it did not exist; a platform admin reads it
only while a flag raised in it is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from network.enums import OrgKind
from tests.conftest import ApiClient, World, problem
from tests.live.client import WsClient, post_created, token_for
from tests.server.engagement_world import Engaged, activate, colleague, engaged, ok, ok_list

SPACE = ("", "/messages", "/check-ins", "/revisions")
# the columns, and what each may do with the space: read it, write in it
READS = {"requester", "offerer", "muted_named"}
WRITES = {"requester", "offerer"}


@dataclass
class Cast:
    e: Engaged
    people: dict[str, ApiClient]


async def decide(lead: ApiClient, slug: str, person: ApiClient, action: str, **extra: Any) -> None:
    body = {"target_type": "member", "target_id": person.id, "action": action, "reason": "For the table"}
    ok(await lead.post(f"/networks/{slug}/decisions", json=body | extra), 201)


async def cast(world: World) -> Cast:
    e = await engaged(world)
    people = {"requester": e.requester, "offerer": e.offerer, "lead": e.lead}
    people["colleague"] = await colleague(world, e.slug, e.requester)  # same organisation, not named
    people["member"] = await world.member(e.slug)
    people["observer"] = await world.observer(e.lead, e.slug, OrgKind.REGULATOR)
    people["outsider"] = await world.person()  # reads the public network, is no member
    people["admin"] = await world.admin()
    # two more named people of the offering side: one then suspended, one then muted
    people["suspended_named"] = await colleague(world, e.slug, e.offerer)
    people["muted_named"] = await colleague(world, e.slug, e.offerer)
    named = [people["suspended_named"].id, people["muted_named"].id]
    ok(await e.offerer.patch(f"/engagements/{e.id}", json={"version": 1, "add_people": named}))
    until = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0).isoformat()
    await decide(e.lead, e.slug, people["suspended_named"], "suspend", until=until)
    await decide(e.lead, e.slug, people["muted_named"], "mute", until=until)
    e.engagement = ok(await e.requester.get(f"/engagements/{e.id}"))
    return Cast(e, people)


async def test_the_api_answers_each_column_as_the_table_says(world: World, backend: str) -> None:
    c = await cast(world)
    e = c.e
    await activate(world, e)
    message = ok(await e.requester.post(f"/engagements/{e.id}/messages", json={"body": "Our first visit"}), 201)
    for column, client in c.people.items():
        for path in SPACE:
            answer = await client.get(f"/engagements/{e.id}{path}")
            if column in READS:
                assert answer.status_code == 200, (column, path, answer.text)
            else:  # exactly as a missing engagement
                missing = await client.get(f"/engagements/999999{path}")
                assert problem(answer, 404)["detail"] == f"No engagement {e.id}.", (column, path)
                assert problem(missing, 404)["detail"] == "No engagement 999999.", (column, path)
        wrote = await client.post(f"/engagements/{e.id}/messages", json={"body": f"From the {column}"})
        if column in WRITES:
            assert wrote.status_code == 201, (column, wrote.text)
        elif column in READS:
            problem(wrote, 403, "named person")
        else:
            problem(wrote, 404, f"No engagement {e.id}.")
        for path, body in (("/agree", None), ("/stop", {"reason": "No"}), ("/check-ins", {"progress": "x"})):
            if column not in READS:
                problem(await client.post(f"/engagements/{e.id}{path}", json=body), 404)
        listed = await client.get(f"/networks/{e.slug}/engagements")
        assert listed.status_code == (404 if column == "suspended_named" else 200), (column, listed.text)
    # mine: the named people, and only while they read the space
    for column, client in c.people.items():
        mine = [m["id"] for m in ok_list(await client.get("/me/engagements"))]
        assert mine == ([e.id] if column in READS else []), column

    # a platform admin reads the space while a flag raised in it is open, and writes nothing there
    admin = c.people["admin"]
    problem(await admin.get(f"/engagements/{e.id}/messages"), 404, f"No engagement {e.id}.")
    problem(await e.lead.get("/admin/engagement-flags"), 403, "platform admin")
    flagged = ok(
        await e.offerer.post(f"/engagements/{e.id}/messages/{message['id']}/flags", json={"reason": "inappropriate"}),
        201,
    )
    problem(
        await e.offerer.post(f"/engagements/{e.id}/messages/{message['id']}/flags", json={"reason": "spam"}),
        409,
        "already flagged",
    )
    queue = await admin.get("/admin/engagement-flags")
    assert [f["id"] for f in queue.json()] == [flagged["id"]]
    for path in SPACE:
        assert (await admin.get(f"/engagements/{e.id}{path}")).status_code == 200, path
    problem(await admin.post(f"/engagements/{e.id}/messages", json={"body": "Admin"}), 403, "platform admin")
    problem(await e.lead.get(f"/engagements/{e.id}"), 404)  # the leads still cannot
    decided = ok(
        await admin.post(f"/admin/engagement-flags/{flagged['id']}/decide", json={"remove": True, "reason": "Rude"})
    )
    assert decided["status"] == "removed"
    shown = ok(await e.requester.get(f"/engagements/{e.id}/messages"))["items"]
    assert [m["body"] for m in shown if m["id"] == message["id"]] == [""]
    assert "decision" in {n["kind"] for n in ok(await e.requester.get("/notifications"))["items"]}
    problem(await admin.get(f"/engagements/{e.id}"), 404)  # no flag open: no more


async def test_notifications_and_search_follow_the_space(world: World, backend: str) -> None:
    c = await cast(world)
    e = c.e
    before = {col: len(ok(await cl.get("/notifications"))["items"]) for col, cl in c.people.items()}
    ok(await e.requester.post(f"/engagements/{e.id}/messages", json={"body": "Quincunx timetable draft"}), 201)
    for column, client in c.people.items():
        if column == "suspended_named":
            continue  # a suspended member's notifications of the network stop (docs/design.md §7.9)
        items = ok(await client.get("/notifications"))["items"]
        new = [n["kind"] for n in items[: len(items) - before[column]]]
        expected = ["engagement.message"] if column in READS - {"requester"} else []
        assert new == expected, column
    for column, client in c.people.items():
        found = await client.get("/search", params={"q": "Quincunx"})
        if found.status_code == 200:
            assert found.json()["items"] == [], column


@pytest.mark.parametrize("replay", [False, True])
async def test_the_live_stream_sends_the_space_to_its_named_people_alone(
    world: World, backend: str, replay: bool
) -> None:
    c = await cast(world)
    e = c.e
    sockets: dict[str, WsClient] = {}
    try:
        if not replay:  # following live from now
            for column, client in c.people.items():
                ws = await WsClient.connect(world.server.url, await token_for(client))
                answer = await ws.subscribe(e.slug)
                if column == "suspended_named":
                    assert answer["type"] == "error", answer
                    await ws.close()
                    continue
                assert answer["type"] == "subscribed", (column, answer)
                sockets[column] = ws
        await activate(world, e)
        ok(await e.offerer.post(f"/engagements/{e.id}/messages", json={"body": "See you Tuesday"}), 201)
        ok(await e.requester.post(f"/engagements/{e.id}/check-ins", json={"progress": "Visit one done"}), 201)
        marker = await world.practice(e.lead, e.slug, title="A marker every reader receives")
        if replay:  # a new socket from the start of the log
            for column, client in c.people.items():
                if column == "suspended_named":
                    continue
                ws = await WsClient.connect(world.server.url, await token_for(client))
                assert (await ws.subscribe(e.slug, after=0))["type"] == "subscribed", column
                sockets[column] = ws
        for column, ws in sockets.items():
            earlier, _ = await ws.until(post_created(marker["id"]))
            kinds = [m["kind"] for m in earlier if m["type"] == "event" and m["kind"].startswith("engagement.")]
            space_kinds = [k for k in kinds if k != "engagement.listed"]
            if column in READS:
                expected = ["engagement.updated", "engagement.updated", "engagement.message", "engagement.check_in"]
                if replay:  # from the start: its opening, and the people named since
                    expected = ["engagement.opened", "engagement.updated", *expected]
                assert space_kinds == expected, column
                messages = [m for m in earlier if m.get("kind") == "engagement.message"]
                assert messages[0]["data"]["message"]["body"] == "See you Tuesday"
            else:
                assert space_kinds == [], column
            assert kinds.count("engagement.listed") == 1, column  # every reader sees the summary line
    finally:
        for ws in sockets.values():
            await ws.close()


async def test_a_person_named_later_receives_the_space_from_then_and_one_dropped_no_more(
    world: World, backend: str
) -> None:
    e = await engaged(world)
    mate = await colleague(world, e.slug, e.requester)
    ws = await WsClient.connect(world.server.url, await token_for(mate))
    try:
        assert (await ws.subscribe(e.slug))["type"] == "subscribed"
        ok(await e.requester.patch(f"/engagements/{e.id}", json={"version": 1, "add_people": [mate.id]}))
        ok(await e.offerer.post(f"/engagements/{e.id}/messages", json={"body": "Welcome"}), 201)
        first = await world.practice(e.lead, e.slug, title="First marker")
        earlier, _ = await ws.until(post_created(first["id"]))
        assert [m["kind"] for m in earlier if m["type"] == "event"] == ["engagement.updated", "engagement.message"]
        ok(await e.requester.patch(f"/engagements/{e.id}", json={"version": 2, "drop_people": [mate.id]}))
        ok(await e.offerer.post(f"/engagements/{e.id}/messages", json={"body": "Just us now"}), 201)
        second = await world.practice(e.lead, e.slug, title="Second marker")
        earlier, _ = await ws.until(post_created(second["id"]))
        assert [m["kind"] for m in earlier if m["type"] == "event"] == []
    finally:
        await ws.close()
