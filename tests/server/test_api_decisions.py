"""Leads' decisions over HTTP: each content action and the state it needs, reasons, clauses and end times,
edits that keep what was there, who still sees hidden and removed content, the events, notifications
and log entries each decision leaves, and sanctions on members."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from tests.conftest import ApiClient, World, event_kinds, problem


@dataclass
class Scene:
    slug: str
    lead: ApiClient
    author: ApiClient
    reader: ApiClient
    post: int


async def scene(world: World, **network: Any) -> Scene:
    """A network with its lead, an author with one practice, and another member reading."""
    lead = await world.person(name="Ada Lead")
    slug = await world.network(lead, **network)
    author, reader = await world.member(slug), await world.member(slug)
    post = await world.practice(author, slug, title="Attendance drive", body="We rang every family.")
    return Scene(slug, lead, author, reader, post["id"])


async def decide(
    client: ApiClient, slug: str, target_type: str, target_id: int, action: str, reason: str = "As logged", **extra: Any
) -> httpx.Response:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": reason} | extra
    return await client.post(f"/networks/{slug}/decisions", json=body)


def done(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return dict(response.json())


async def written(world: World) -> tuple[int, ...]:
    tables = ("decisions", "events", "notifications", "flags", "queue_entries", "post_revisions")
    return tuple([await world.count(t) for t in tables])


async def new_kinds(world: World, before: int) -> list[str]:
    return (await event_kinds(world))[before:]


async def notes_of(client: ApiClient, kind: str) -> list[dict[str, Any]]:
    items = (await client.get("/notifications", params={"limit": 100})).json()["items"]
    return [n["data"] for n in items if n["kind"] == kind]


def later(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).replace(microsecond=0).isoformat()


# --- content actions and their states -----------------------------------------------------


async def test_content_actions_need_their_state(world: World) -> None:
    s = await scene(world)

    async def refused(action: str, status: int, *words: str, target: str = "post", target_id: int = s.post) -> None:
        before = await written(world)
        problem(await decide(s.lead, s.slug, target, target_id, action), status, *words)
        assert await written(world) == before, action

    await refused("approve", 409, "shown", "approve")
    await refused("restore", 409, "shown", "restore")
    await refused("dismiss", 409, "no open flags")
    await refused("unlock", 409, "not locked")
    await refused("unpin", 409, "not pinned")

    seen = len(await event_kinds(world))
    done(await decide(s.lead, s.slug, "post", s.post, "hide"))
    assert await new_kinds(world, seen) == ["post.hidden", "decision.logged"]
    await refused("hide", 409, "hidden")
    await refused("pin", 409, "hidden", "pin")
    await refused("approve", 409, "hidden")

    seen = len(await event_kinds(world))
    done(await decide(s.lead, s.slug, "post", s.post, "restore"))
    assert await new_kinds(world, seen) == ["post.restored", "decision.logged"]
    assert (await s.reader.get(f"/posts/{s.post}")).json()["state"] == "visible"

    seen = len(await event_kinds(world))
    done(await decide(s.lead, s.slug, "post", s.post, "lock"))
    await refused("lock", 409, "already locked")
    done(await decide(s.lead, s.slug, "post", s.post, "pin"))
    await refused("pin", 409, "already pinned")
    assert await new_kinds(world, seen) == ["post.updated", "decision.logged"] * 2
    shown = (await s.reader.get(f"/posts/{s.post}")).json()
    assert shown["locked"] is True and shown["pinned"] is True
    problem(await s.reader.post(f"/posts/{s.post}/replies", json={"body": "Late"}), 403, "locked")
    done(await decide(s.lead, s.slug, "post", s.post, "unlock"))
    done(await decide(s.lead, s.slug, "post", s.post, "unpin"))
    shown = (await s.reader.get(f"/posts/{s.post}")).json()
    assert shown["locked"] is False and shown["pinned"] is False

    reply = (await s.reader.post(f"/posts/{s.post}/replies", json={"body": "Which families?"})).json()
    for action in ("lock", "unlock", "pin", "unpin"):
        await refused(action, 422, "thread", target="reply", target_id=reply["id"])

    seen = len(await event_kinds(world))
    done(await decide(s.lead, s.slug, "post", s.post, "remove"))
    assert await new_kinds(world, seen) == ["post.removed", "decision.logged"]
    for action in ("restore", "hide", "remove", "lock", "approve"):
        await refused(action, 409, "removed")
    await refused("edit", 409, "removed", target="post")


async def test_approve_needs_held_content(world: World) -> None:
    s = await scene(world)
    assert (await s.lead.patch(f"/networks/{s.slug}/settings", json={"premod_posts": 1})).status_code == 200
    newcomer = await world.member(s.slug)
    held = await newcomer.post(f"/networks/{s.slug}/posts", json={"kind": "practice", "title": "T", "body": "B"})
    assert held.json()["state"] == "held"
    seen = len(await event_kinds(world))
    done(await decide(s.lead, s.slug, "post", held.json()["id"], "approve", "Fine"))
    assert await new_kinds(world, seen) == ["post.created", "decision.logged", "queue.changed"]
    problem(await decide(s.lead, s.slug, "post", held.json()["id"], "approve"), 409, "shown")


async def test_what_a_decision_must_say(world: World) -> None:
    s = await scene(world)
    other_slug = await world.network(s.lead)
    before = await written(world)
    problem(await decide(s.lead, s.slug, "post", s.post, "hide", reason=""), 422, "give a reason")
    problem(await decide(s.lead, s.slug, "post", s.post, "hide", reason="  \n "), 422, "give a reason")
    problem(await decide(s.lead, s.slug, "post", s.post, "hide", clause=99), 422, "no clause 99")
    problem(await decide(s.lead, s.slug, "post", s.post, "hide", until=later(days=1)), 422, "end time")
    problem(await decide(s.lead, s.slug, "member", s.author.id, "ban", until=later(days=1)), 422, "end time")
    problem(await decide(s.lead, s.slug, "member", s.author.id, "mute", until=later(days=-1)), 422, "future")
    problem(await decide(s.lead, s.slug, "post", s.post, "hide", edit={"body": "x"}), 422, "only an 'edit'")
    problem(await decide(s.lead, s.slug, "post", s.post, "mute"), 422, "not a decision on content")
    problem(await decide(s.lead, s.slug, "member", s.author.id, "hide"), 422, "muted, suspended")
    problem(await decide(s.lead, s.slug, "member", s.author.id, "set_role"), 422, "roles")
    problem(
        await decide(s.lead, s.slug, "network", s.post, "hide"), 422, "a post, a reply, an adoption record or a member"
    )
    problem(await decide(s.lead, other_slug, "post", s.post, "hide"), 404, "no post")
    problem(await decide(s.lead, s.slug, "reply", 999_999, "hide"), 404, "no reply")
    problem(await decide(s.lead, s.slug, "member", 999_999, "mute"), 404, "not a member")
    assert (await decide(s.lead, s.slug, "post", s.post, "obliterate")).status_code == 400
    assert (await decide(s.lead, s.slug, "post", s.post, "hide", clause=0)).status_code == 400
    assert await written(world) == before

    entry = done(await decide(s.lead, s.slug, "post", s.post, "hide", reason="  Off topic  ", clause=2))["entry"]
    assert (entry["reason"], entry["clause"], entry["until"]) == ("Off topic", 2, None)
    until = later(days=2)
    muted = done(await decide(s.lead, s.slug, "member", s.reader.id, "mute", clause=4, until=until))["entry"]
    assert datetime.fromisoformat(muted["until"]) == datetime.fromisoformat(until)
    assert muted["clause"] == 4


# --- edits --------------------------------------------------------------------------------


async def texts_in_events(world: World) -> set[str]:
    """Every string anywhere in the log's payloads."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    async with world.db() as session:
        for payload in (await session.execute(text("SELECT payload FROM events"))).scalars():
            walk(json.loads(payload) if isinstance(payload, str) else payload)
    return found


async def test_a_leads_edit_of_a_post_keeps_a_revision(world: World) -> None:
    s = await scene(world)
    before = await written(world)
    problem(await decide(s.lead, s.slug, "post", s.post, "edit"), 422, "edited content")
    problem(await decide(s.lead, s.slug, "post", s.post, "edit", edit={}), 422, "edited content")
    same = {"title": "Attendance drive", "body": "We rang every family."}
    problem(await decide(s.lead, s.slug, "post", s.post, "edit", edit=same), 409, "as it stands")
    assert await written(world) == before

    seen = len(await event_kinds(world))
    edit = {"body": "We rang every family. [phone number removed]"}
    made = done(await decide(s.lead, s.slug, "post", s.post, "edit", "Removed a phone number", edit=edit))
    assert made["details"]["before"] == {"body": "We rang every family.", "revision": 1}
    assert await new_kinds(world, seen) == ["post.updated", "decision.logged"]
    shown = (await s.reader.get(f"/posts/{s.post}")).json()
    assert shown["body"] == edit["body"] and shown["revision"] == 2 and shown["state"] == "visible"
    # what the lead took out stays out: members see that a lead edited it, and why, not what it said
    [revision] = (await s.reader.get(f"/posts/{s.post}/revisions")).json()
    assert revision["revision"] == 1
    assert revision["editor_id"] == s.lead.id
    assert revision["reason"] == "Removed a phone number"
    assert revision["withheld"] is True and revision["content"] == {}
    [kept] = (await s.lead.get(f"/posts/{s.post}/revisions")).json()
    assert kept["withheld"] is False and kept["content"]["body"] == "We rang every family."
    # nor does the log's replay carry it: the earlier events hold the edited text
    texts = await texts_in_events(world)
    assert "We rang every family." not in texts
    assert edit["body"] in texts
    [told] = await notes_of(s.author, "decision")
    assert told["action"] == "edit" and told["reason"] == "Removed a phone number" and told["appealable_until"]
    assert await notes_of(s.author, "post.edited_by_lead") == []  # told once, by the decision


async def test_a_leads_edit_of_a_reply_keeps_the_old_text_in_the_log_details(world: World) -> None:
    s = await scene(world)
    reply = (await s.reader.post(f"/posts/{s.post}/replies", json={"body": "Call me on 07700 900123"})).json()
    before = await written(world)
    problem(await decide(s.lead, s.slug, "reply", reply["id"], "edit", edit={"title": "T"}), 422, "no title")
    problem(await decide(s.lead, s.slug, "reply", reply["id"], "edit", edit={"body": "   "}), 422, "blank")
    same = {"body": "Call me on 07700 900123"}
    problem(await decide(s.lead, s.slug, "reply", reply["id"], "edit", edit=same), 409, "as it stands")
    assert await written(world) == before

    seen = len(await event_kinds(world))
    edit = {"body": "Call me (number removed)"}
    made = done(await decide(s.lead, s.slug, "reply", reply["id"], "edit", "No numbers", edit=edit))
    assert made["details"]["before"] == {"body": "Call me on 07700 900123"}
    assert made["entry"]["label"] == f"reply {reply['id']} on practice {s.post}"
    assert await new_kinds(world, seen) == ["reply.updated", "decision.logged"]
    [shown] = (await s.author.get(f"/posts/{s.post}/replies")).json()["items"]
    assert shown["body"] == "Call me (number removed)"
    assert "07700" not in (await s.author.get(f"/networks/{s.slug}/log")).text  # members' log never shows it
    # nor does a replay of the network's events: the reply's earlier event carries the edited text
    texts = await texts_in_events(world)
    assert "Call me on 07700 900123" not in texts and "Call me (number removed)" in texts


# --- hidden and removed content -----------------------------------------------------------


async def test_hidden_content_is_seen_by_its_author_and_the_leads_only(world: World) -> None:
    s = await scene(world)
    other = await world.practice(s.author, s.slug, title="Still shown")
    done(await decide(s.lead, s.slug, "post", s.post, "hide", "Names a family"))

    assert (await s.author.get(f"/posts/{s.post}")).json()["state"] == "hidden"
    problem(await s.reader.get(f"/posts/{s.post}"), 404)
    assert (await s.lead.get(f"/posts/{s.post}")).json()["state"] == "hidden"
    feed = [p["id"] for p in (await s.reader.get(f"/networks/{s.slug}/posts")).json()["items"]]
    assert feed == [other["id"]]
    mine = {p["id"]: p["state"] for p in (await s.author.get(f"/networks/{s.slug}/posts")).json()["items"]}
    assert mine == {other["id"]: "visible", s.post: "hidden"}
    problem(await s.reader.get(f"/posts/{s.post}/replies"), 404)

    done(await decide(s.lead, s.slug, "post", s.post, "remove", "Pupil data"))
    problem(await s.author.get(f"/posts/{s.post}"), 404)
    problem(await s.reader.get(f"/posts/{s.post}"), 404)
    assert (await s.lead.get(f"/posts/{s.post}")).json()["state"] == "removed"
    for client in (s.author, s.reader, s.lead):
        feed = [p["id"] for p in (await client.get(f"/networks/{s.slug}/posts")).json()["items"]]
        assert feed == [other["id"]]


async def test_hidden_and_removed_replies(world: World) -> None:
    s = await scene(world)
    hidden = (await s.reader.post(f"/posts/{s.post}/replies", json={"body": "Hide me"})).json()
    removed = (await s.reader.post(f"/posts/{s.post}/replies", json={"body": "Remove me"})).json()
    kept = (await s.lead.post(f"/posts/{s.post}/replies", json={"body": "Keep me"})).json()

    seen = len(await event_kinds(world))
    done(await decide(s.lead, s.slug, "reply", hidden["id"], "hide"))
    done(await decide(s.lead, s.slug, "reply", removed["id"], "remove"))
    assert await new_kinds(world, seen) == ["reply.hidden", "decision.logged", "reply.removed", "decision.logged"]

    def listed(page: httpx.Response) -> dict[int, str]:
        return {r["id"]: r["state"] for r in page.json()["items"]}

    assert listed(await s.author.get(f"/posts/{s.post}/replies")) == {kept["id"]: "visible"}
    assert listed(await s.reader.get(f"/posts/{s.post}/replies")) == {kept["id"]: "visible", hidden["id"]: "hidden"}
    # a removed reply is gone from the thread for everyone, as from the log's replay (redacted); the
    # leads read what was decided in the log
    assert listed(await s.lead.get(f"/posts/{s.post}/replies")) == {
        kept["id"]: "visible",
        hidden["id"]: "hidden",
    }
    assert (await s.author.get(f"/posts/{s.post}")).json()["reply_count"] == 1

    seen = len(await event_kinds(world))
    done(await decide(s.lead, s.slug, "reply", hidden["id"], "restore"))
    assert await new_kinds(world, seen) == ["reply.restored", "decision.logged"]
    assert (await s.author.get(f"/posts/{s.post}")).json()["reply_count"] == 2


async def test_approving_and_dismissing_need_no_reason_and_every_other_decision_does(world: World) -> None:
    """docs/design.md §5: a reason is needed for every decision but approving held content or dismissing flags,
    which take nothing away; the field may be left out or blank for those two, and for no other."""
    s = await scene(world)
    assert (await s.lead.patch(f"/networks/{s.slug}/settings", json={"premod_posts": 1})).status_code == 200
    newcomer = await world.member(s.slug)
    held = await newcomer.post(f"/networks/{s.slug}/posts", json={"kind": "practice", "title": "Held", "body": "B"})
    assert held.json()["state"] == "held"
    assert (await s.reader.post(f"/posts/{s.post}/flags", json={"reason": "spam"})).status_code == 201
    reply = (await s.reader.post(f"/posts/{s.post}/replies", json={"body": "A reply"})).json()

    def without_reason(target_type: str, target_id: int, action: str, **extra: Any) -> dict[str, Any]:
        return {"target_type": target_type, "target_id": target_id, "action": action} | extra

    before = await written(world)
    for target_type, target_id, action, extra in (
        ("post", s.post, "hide", {}),
        ("post", s.post, "remove", {}),
        ("post", s.post, "lock", {}),
        ("post", s.post, "edit", {"edit": {"body": "Shorter"}}),
        ("reply", reply["id"], "hide", {}),
        ("member", s.author.id, "mute", {}),
        ("member", s.author.id, "suspend", {}),
        ("member", s.author.id, "ban", {}),
    ):
        body = without_reason(target_type, target_id, action, **extra)
        response = await s.lead.post(f"/networks/{s.slug}/decisions", json=body)
        found = problem(response, 422, "give a reason", f"'{action}' decision needs one")
        assert "reason" in found["errors"], found
        problem(await s.lead.post(f"/networks/{s.slug}/decisions", json=body | {"reason": " "}), 422, "reason")
    assert await written(world) == before, "a refused decision wrote something"

    approve = without_reason("post", held.json()["id"], "approve")
    approved = done(await s.lead.post(f"/networks/{s.slug}/decisions", json=approve))
    assert (approved["entry"]["action"], approved["entry"]["reason"]) == ("approve", "")
    assert (await s.reader.get(f"/posts/{held.json()['id']}")).status_code == 200
    dismissed = done(await decide(s.lead, s.slug, "post", s.post, "dismiss", reason=""))
    assert (dismissed["entry"]["action"], dismissed["entry"]["reason"]) == ("dismiss", "")
    assert await world.count("queue_entries", "status = 'open'") == 0
    [told] = await notes_of(s.reader, "flag.decided")
    assert (told["outcome"], told["reason"]) == ("dismissed", "")
    logged = {e["action"]: e["reason"] for e in (await s.reader.get(f"/networks/{s.slug}/log")).json()["items"]}
    assert logged["approve"] == "" and logged["dismiss"] == ""
    # the one-click decisions are still the leads' alone
    problem(await decide(s.reader, s.slug, "post", s.post, "dismiss", reason=""), 403)


# --- who is told --------------------------------------------------------------------------


async def test_reporters_and_authors_are_told(world: World) -> None:
    s = await scene(world)
    second = await world.practice(s.author, s.slug, title="Second")
    bystander = await world.member(s.slug)
    assert (await s.reader.post(f"/posts/{s.post}/flags", json={"reason": "charter", "clause": 4})).status_code == 201
    assert (await bystander.post(f"/posts/{s.post}/flags", json={"reason": "spam"})).status_code == 201
    assert (await s.reader.post(f"/posts/{second['id']}/flags", json={"reason": "spam"})).status_code == 201

    hidden = done(await decide(s.lead, s.slug, "post", s.post, "hide", "Breaks clause 4", clause=4))
    dismissed = done(await decide(s.lead, s.slug, "post", second["id"], "dismiss", "It is on topic"))

    upheld, dropped = sorted(await notes_of(s.reader, "flag.decided"), key=lambda n: n["decision_id"])
    assert (upheld["decision_id"], upheld["outcome"], upheld["action"]) == (hidden["id"], "upheld", "hide")
    assert (upheld["reason"], upheld["clause"], upheld["post_id"]) == ("Breaks clause 4", 4, s.post)
    assert upheld["appealable_until"] is None  # the reporter has nothing to appeal
    assert (dropped["decision_id"], dropped["outcome"], dropped["action"]) == (dismissed["id"], "dismissed", "dismiss")
    assert [n["outcome"] for n in await notes_of(bystander, "flag.decided")] == ["upheld"]

    [told] = await notes_of(s.author, "decision")  # the dismissal is not news to the author
    assert (told["decision_id"], told["action"], told["reason"], told["clause"]) == (
        hidden["id"],
        "hide",
        "Breaks clause 4",
        4,
    )
    assert told["network"] == s.slug and told["title"] == "Attendance drive" and told["post_id"] == s.post
    assert datetime.fromisoformat(told["appealable_until"]) > datetime.now(UTC) + timedelta(days=13)

    done(await decide(s.lead, s.slug, "post", second["id"], "pin", "Useful"))
    pinned = [n for n in await notes_of(s.author, "decision") if n["action"] == "pin"]
    assert pinned[0]["appealable_until"] is None
    assert await world.count("flags", "status = 'open'") == 0


async def test_the_log_shows_each_decision_and_names_the_actor_as_the_network_chooses(world: World) -> None:
    s = await scene(world)
    done(await decide(s.lead, s.slug, "post", s.post, "lock", "Heated", clause=4))
    [entry] = [e for e in (await s.reader.get(f"/networks/{s.slug}/log")).json()["items"] if e["action"] == "lock"]
    assert entry["actor"] == "Ada Lead" and entry["by_admin"] is False
    assert (entry["target_type"], entry["target_id"], entry["label"]) == ("post", s.post, f"practice {s.post}")
    assert (entry["reason"], entry["clause"]) == ("Heated", 4)
    assert entry["subject"]["id"] == s.author.id
    assert entry["appealable_until"] and entry["appeal"] is None

    changed = await s.lead.patch(f"/networks/{s.slug}/settings", json={"name_leads_in_log": False, "reason": "Privacy"})
    assert changed.status_code == 200, changed.text
    items = (await s.reader.get(f"/networks/{s.slug}/log")).json()["items"]
    assert {e["actor"] for e in items if not e["by_admin"]} == {"A network lead"}
    assert {e["actor"] for e in items if e["by_admin"]} == {"Platform Admin (platform admin)"}  # who made the network

    admin = await world.admin()
    by_admin = done(await decide(admin, s.slug, "post", s.post, "unlock", "Calmer now"))
    assert by_admin["entry"]["actor"] == "Platform Admin (platform admin)" and by_admin["entry"]["by_admin"] is True
    newest = (await s.reader.get(f"/networks/{s.slug}/log")).json()["items"][0]
    assert newest["id"] == by_admin["id"] and newest["actor"] == "Platform Admin (platform admin)"
    one = await s.reader.get(f"/decisions/{by_admin['id']}")
    assert one.status_code == 200 and one.json()["actor"] == "Platform Admin (platform admin)"


# --- sanctions on members -----------------------------------------------------------------


async def test_a_muted_member_cannot_post_but_still_reads_and_flags(world: World) -> None:
    s = await scene(world)
    until = later(days=3)
    seen = len(await event_kinds(world))
    made = done(await decide(s.lead, s.slug, "member", s.reader.id, "mute", "Cool off", until=until))
    assert await new_kinds(world, seen) == ["decision.logged", "member.updated"]
    assert made["entry"]["label"] == s.reader.person["display_name"] if s.reader.person else False
    assert made["details"]["state"] == ["active", "muted"]

    before = await written(world)
    post = {"kind": "practice", "title": "T", "body": "B"}
    body = problem(await s.reader.post(f"/networks/{s.slug}/posts", json=post), 403, "muted", "cannot post")
    assert "UTC" in body["detail"]  # says until when
    problem(await s.reader.post(f"/posts/{s.post}/replies", json={"body": "Hello"}), 403, "muted")
    problem(await s.reader.post(f"/posts/{s.post}/reactions", json={"kind": "useful"}), 403, "muted")
    assert await written(world) == before
    assert (await s.reader.get(f"/posts/{s.post}")).status_code == 200
    assert (await s.reader.post(f"/posts/{s.post}/flags", json={"reason": "spam"})).status_code == 201

    [told] = await notes_of(s.reader, "membership.changed")
    assert (told["action"], told["state"], told["reason"], told["decision_id"]) == (
        "mute",
        "muted",
        "Cool off",
        made["id"],
    )
    assert told["appealable_until"] and told["until"]

    problem(await decide(s.lead, s.slug, "member", s.reader.id, "mute", until=until), 409, "already muted")
    done(await decide(s.lead, s.slug, "member", s.reader.id, "lift", "Served"))
    assert (await s.reader.post(f"/networks/{s.slug}/posts", json=post)).status_code == 201
    problem(await decide(s.lead, s.slug, "member", s.reader.id, "lift"), 409, "no sanction to lift")


async def test_suspension_and_ban_shut_a_member_out(world: World) -> None:
    s = await scene(world, visibility="members")
    banned = await world.member(s.slug)
    done(await decide(s.lead, s.slug, "member", s.reader.id, "suspend", "A week out", until=later(days=7)))
    done(await decide(s.lead, s.slug, "member", banned.id, "ban", "Spam account"))
    for person in (s.reader, banned):
        problem(await person.get(f"/networks/{s.slug}/posts"), 404)
        problem(await person.get(f"/posts/{s.post}"), 404)
        problem(await person.get(f"/networks/{s.slug}/log"), 404)
        problem(await person.post(f"/networks/{s.slug}/join"), 403, "cannot rejoin")
    members = {m["person"]["id"] for m in (await s.author.get(f"/networks/{s.slug}/members")).json()}
    assert s.reader.id not in members and banned.id not in members
    done(await decide(s.lead, s.slug, "member", s.reader.id, "lift", "Back early"))
    assert (await s.reader.get(f"/posts/{s.post}")).status_code == 200
    assert [e["action"] for e in (await s.reader.get(f"/networks/{s.slug}/log")).json()["items"][:3]] == [
        "lift",
        "ban",
        "suspend",
    ]


async def test_leads_and_yourself_cannot_be_sanctioned(world: World) -> None:
    s = await scene(world)
    assert (await s.lead.patch(f"/networks/{s.slug}/members/{s.author.id}", json={"role": "lead"})).status_code == 200
    admin = await world.admin()
    before = await written(world)
    for action in ("mute", "suspend", "ban"):
        problem(await decide(s.lead, s.slug, "member", s.author.id, action), 409, "lead cannot be sanctioned")
        problem(await decide(s.lead, s.slug, "member", s.lead.id, action), 409, "yourself")
        problem(await decide(admin, s.slug, "member", s.lead.id, action), 409, "lead cannot be sanctioned")
    problem(await decide(s.reader, s.slug, "member", s.author.id, "mute"), 403, "lead")
    problem(await decide(s.reader, s.slug, "post", s.post, "hide"), 403, "lead")
    assert await written(world) == before


async def test_the_members_patch_is_logged_like_a_decision(world: World) -> None:
    s = await scene(world)
    seen = len(await event_kinds(world))
    change = {"state": "muted", "until": later(days=1), "reason": "Cool off"}
    response = await s.lead.patch(f"/networks/{s.slug}/members/{s.reader.id}", json=change)
    assert response.status_code == 200, response.text
    assert await new_kinds(world, seen) == ["decision.logged", "member.updated"]
    [entry] = (await s.author.get(f"/networks/{s.slug}/log", params={"subject": s.reader.id})).json()["items"]
    assert (entry["action"], entry["reason"], entry["target_type"]) == ("mute", "Cool off", "member")
    assert entry["appealable_until"]
    [told] = await notes_of(s.reader, "membership.changed")
    assert told["decision_id"] == entry["id"] and told["action"] == "mute"


async def test_a_leads_edit_of_held_content_leaves_it_waiting_in_the_queue(world: World) -> None:
    s = await scene(world)
    body = "Our pupil Jayden Smith (UPN B801200005001) read every night."
    held = await s.reader.post(f"/networks/{s.slug}/posts", json={"kind": "practice", "title": "T", "body": body})
    assert held.json()["state"] == "held"
    edit = {"body": "Our pupil [name removed] read every night."}
    done(await decide(s.lead, s.slug, "post", held.json()["id"], "edit", "Took the name out", edit=edit))
    assert (await s.reader.get(f"/posts/{held.json()['id']}")).json()["state"] == "held"  # still not published
    [entry] = (await s.lead.get(f"/networks/{s.slug}/queue")).json()
    assert entry["target_id"] == held.json()["id"] and entry["content"]["body"] == edit["body"]
    done(await decide(s.lead, s.slug, "post", held.json()["id"], "approve", "Fine now"))
    assert (await s.author.get(f"/posts/{held.json()['id']}")).json()["state"] == "visible"


async def test_approving_held_content_tells_its_reporters_their_flags_were_not_upheld(world: World) -> None:
    s = await scene(world)
    assert (await s.reader.post(f"/posts/{s.post}/flags", json={"reason": "off_topic"})).status_code == 201
    pupil = "Our pupil Jayden Smith (UPN B801200005001) rang home every day."
    edited = await s.author.patch(f"/posts/{s.post}", json={"body": pupil})
    assert edited.json()["state"] == "held"  # the edit took it back to the leads, with its flag
    [entry] = (await s.lead.get(f"/networks/{s.slug}/queue")).json()
    assert entry["held"] and [f["reason"] for f in entry["flags"]] == ["off_topic"]
    approved = done(await decide(s.lead, s.slug, "post", s.post, "approve", "Consent is on file"))
    [told] = await notes_of(s.reader, "flag.decided")
    assert (told["decision_id"], told["action"], told["outcome"]) == (approved["id"], "approve", "dismissed")
    assert await world.count("flags", "status = 'dismissed'") == 1


async def test_a_leads_edit_keeps_a_reason_as_long_as_any_decisions(world: World) -> None:
    """A decision's reason may run to 1,000 characters; an edit keeps it with the post's revision."""
    s = await scene(world)
    reason = "Removed a phone number and a pupil's name. " * 23  # 989 characters
    edit = {"body": "We rang every family. [details removed]"}
    done(await decide(s.lead, s.slug, "post", s.post, "edit", reason.strip(), edit=edit))
    [kept] = (await s.lead.get(f"/posts/{s.post}/revisions")).json()
    assert kept["reason"] == reason.strip()
