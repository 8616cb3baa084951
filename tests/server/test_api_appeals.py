"""Appeals over HTTP: the person concerned appeals once within 14 days; another lead decides, or a platform
admin when the network has no other lead; overturning undoes the decision; outcomes are logged and told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from tests.conftest import ApiClient, World, event_kinds, problem


@dataclass
class Scene:
    slug: str
    lead: ApiClient  # takes the decisions
    deputy: ApiClient | None  # the other lead, when there is one
    author: ApiClient
    reader: ApiClient
    post: int


async def scene(world: World, *, deputy: bool = True, **network: Any) -> Scene:
    lead = await world.person(name="Ada Lead")
    slug = await world.network(lead, **network)
    other = None
    if deputy:
        other = await world.member(slug, name="Bo Deputy")
        response = await lead.patch(f"/networks/{slug}/members/{other.id}", json={"role": "lead"})
        assert response.status_code == 200, response.text
    author, reader = await world.member(slug, name="Cy Author"), await world.member(slug)
    post = await world.practice(author, slug, title="Reading at home")
    return Scene(slug, lead, other, author, reader, post["id"])


async def decide(client: ApiClient, slug: str, target_type: str, target_id: int, action: str, **extra: Any) -> int:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": "As logged"} | extra
    response = await client.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def appeal(client: ApiClient, decision_id: int, statement: str = "Please look again.") -> httpx.Response:
    return await client.post("/appeals", json={"decision_id": decision_id, "statement": statement})


async def rule(client: ApiClient, appeal_id: int, outcome: str, reason: str = "Considered") -> httpx.Response:
    return await client.post(f"/appeals/{appeal_id}/decide", json={"outcome": outcome, "reason": reason})


async def notes_of(client: ApiClient, kind: str) -> list[dict[str, Any]]:
    items = (await client.get("/notifications", params={"limit": 100})).json()["items"]
    return [n["data"] for n in items if n["kind"] == kind]


async def written(world: World) -> tuple[int, ...]:
    return tuple([await world.count(t) for t in ("appeals", "decisions", "events", "notifications")])


async def log(client: ApiClient, slug: str) -> list[dict[str, Any]]:
    response = await client.get(f"/networks/{slug}/log")
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_an_appeal_is_filed_once_and_another_lead_decides(world: World) -> None:
    s = await scene(world)
    assert s.deputy is not None
    hidden = await decide(s.lead, s.slug, "post", s.post, "hide")

    problem(await appeal(s.author, hidden, "   "), 422, "say why")
    seen = len(await event_kinds(world))
    filed = await appeal(s.author, hidden, "  The names were made up.  ")
    assert filed.status_code == 201, filed.text
    view = filed.json()
    assert (view["status"], view["to_admin"], view["network"]) == ("open", False, s.slug)
    assert view["statement"] == "The names were made up."
    assert view["appellant"]["id"] == s.author.id
    assert view["decision"]["id"] == hidden and view["decision"]["action"] == "hide"
    assert view["decided_by"] is None and view["decided_at"] is None
    assert "a lead other than the one who acted" in view["who_decides"].lower()
    assert (await event_kinds(world))[seen:] == ["appeal.filed"]
    [to_deputy] = await notes_of(s.deputy, "appeal.filed")
    assert (to_deputy["appeal_id"], to_deputy["decision_id"], to_deputy["to_admin"]) == (view["id"], hidden, False)
    assert await notes_of(s.lead, "appeal.filed") == []  # not the lead who acted

    before = await written(world)
    problem(await appeal(s.author, hidden), 409, "once")
    problem(await appeal(s.reader, hidden), 404)
    problem(await appeal(s.lead, hidden), 404)
    problem(await appeal(s.author, 999_999), 404)
    assert (await appeal(s.author, hidden, "")).status_code == 400
    problem(await rule(s.lead, view["id"], "overturned"), 403, "cannot decide its appeal")
    problem(await rule(s.author, view["id"], "overturned"), 403, "your own appeal")
    problem(await rule(s.reader, view["id"], "overturned"), 404)
    problem(await rule(s.deputy, view["id"], "open"), 422, "upheld")
    problem(await rule(s.deputy, view["id"], "upheld", "   "), 422, "reason")
    assert await written(world) == before

    [listed] = (await s.deputy.get("/appeals")).json()
    assert listed["id"] == view["id"]
    assert (await s.reader.get("/appeals")).json() == []
    assert (await s.author.get(f"/appeals/{view['id']}")).status_code == 200
    assert (await s.lead.get(f"/appeals/{view['id']}")).status_code == 200
    problem(await s.reader.get(f"/appeals/{view['id']}"), 404)

    upheld = await rule(s.deputy, view["id"], "upheld", "Real names of pupils")
    assert upheld.status_code == 200, upheld.text
    assert upheld.json()["status"] == "upheld" and upheld.json()["decided_by"]["id"] == s.deputy.id
    assert upheld.json()["outcome_reason"] == "Real names of pupils" and upheld.json()["decided_at"]
    problem(await rule(s.deputy, view["id"], "overturned"), 409, "decided already")
    problem(await s.reader.get(f"/posts/{s.post}"), 404)  # the decision stands

    for told in (s.author, s.lead):
        [outcome] = await notes_of(told, "appeal.decided")
        assert (outcome["appeal_id"], outcome["outcome"], outcome["original_decision_id"]) == (
            view["id"],
            "upheld",
            hidden,
        )
        assert outcome["reason"] == "Real names of pupils"
    entries = await log(s.reader, s.slug)
    assert entries[0]["action"] == "appeal_upheld" and entries[0]["subject"]["id"] == s.author.id
    assert entries[0]["reason"] == "Real names of pupils" and entries[0]["actor"] == "Bo Deputy"
    assert next(e for e in entries if e["id"] == hidden)["appeal"] == "upheld"
    assert (await s.deputy.get("/appeals")).json() == []
    assert [a["id"] for a in (await s.deputy.get("/appeals", params={"decided": "true"})).json()] == [view["id"]]


async def test_only_decisions_that_take_something_away_can_be_appealed(world: World) -> None:
    s = await scene(world)
    pinned = await decide(s.lead, s.slug, "post", s.post, "pin")
    assert (await s.reader.post(f"/posts/{s.post}/flags", json={"reason": "spam"})).status_code == 201
    dismissed = await decide(s.lead, s.slug, "post", s.post, "dismiss")
    unpinned = await decide(s.lead, s.slug, "post", s.post, "unpin")
    before = await written(world)
    for decision in (pinned, dismissed, unpinned):
        problem(await appeal(s.author, decision), 403, "cannot be appealed")
    assert await written(world) == before


async def test_appeals_close_after_fourteen_days(world: World) -> None:
    s = await scene(world)
    hidden = await decide(s.lead, s.slug, "post", s.post, "hide")
    locked_post = await world.practice(s.author, s.slug, title="Second")
    locked = await decide(s.lead, s.slug, "post", locked_post["id"], "lock")
    async with world.db() as session:
        now = datetime.now(UTC)
        for decision, age in ((hidden, timedelta(days=14, minutes=1)), (locked, timedelta(days=13, hours=23))):
            await session.execute(
                text("UPDATE decisions SET created_at = :at WHERE id = :id"), {"at": now - age, "id": decision}
            )
        await session.commit()
    before = await written(world)
    problem(await appeal(s.author, hidden), 403, "within 14 days")
    assert await written(world) == before
    assert (await appeal(s.author, locked)).status_code == 201


async def test_with_one_lead_a_platform_admin_decides(world: World) -> None:
    s = await scene(world, deputy=False, visibility="members")
    admin = await world.admin()
    suspended = await decide(s.lead, s.slug, "member", s.reader.id, "suspend")
    problem(await s.reader.get(f"/networks/{s.slug}/posts"), 404)
    assert (await s.reader.get(f"/decisions/{suspended}")).status_code == 200  # it concerns them

    filed = await appeal(s.reader, suspended, "I was quoting the policy.")
    assert filed.status_code == 201, filed.text
    view = filed.json()
    assert view["to_admin"] is True
    assert "platform admin" in view["who_decides"] and "no other lead" in view["who_decides"]
    [told] = await notes_of(admin, "appeal.filed")
    assert told["appeal_id"] == view["id"] and told["to_admin"] is True
    assert await notes_of(s.lead, "appeal.filed") == []
    assert [a["id"] for a in (await admin.get("/appeals")).json()] == [view["id"]]

    late_lead = await world.member(s.slug)
    assert (await s.lead.patch(f"/networks/{s.slug}/members/{late_lead.id}", json={"role": "lead"})).status_code == 200
    before = await written(world)
    problem(await rule(s.lead, view["id"], "overturned"), 403, "cannot decide its appeal")
    problem(await rule(late_lead, view["id"], "overturned"), 403, "platform admin decides")
    assert await written(world) == before

    overturned = await rule(admin, view["id"], "overturned", "Quoting is not breaking")
    assert overturned.status_code == 200, overturned.text
    assert overturned.json()["status"] == "overturned"
    assert (await s.reader.get(f"/networks/{s.slug}/posts")).status_code == 200  # the suspension is lifted
    entries = await log(s.reader, s.slug)
    assert entries[0]["action"] == "appeal_overturned"
    assert entries[0]["actor"] == "Platform Admin (platform admin)" and entries[0]["by_admin"] is True
    assert entries[1]["action"] == "lift"  # the undoing is itself in the log
    [outcome] = await notes_of(s.reader, "appeal.decided")
    assert outcome["outcome"] == "overturned" and outcome["reason"] == "Quoting is not breaking"


async def test_overturning_puts_content_back(world: World) -> None:
    s = await scene(world)
    assert s.deputy is not None
    reply = (await s.author.post(f"/posts/{s.post}/replies", json={"body": "Our reading logs"})).json()
    edited_post = await world.practice(s.author, s.slug, title="Edited", body="The original words.")
    hidden = await decide(s.lead, s.slug, "post", s.post, "hide")
    removed = await decide(s.lead, s.slug, "reply", reply["id"], "remove")
    edited = await decide(s.lead, s.slug, "post", edited_post["id"], "edit", edit={"body": "A lead's words."})
    muted = await decide(s.lead, s.slug, "member", s.author.id, "mute")

    appeals = {}
    for decision in (hidden, removed, edited, muted):
        filed = await appeal(s.author, decision)
        assert filed.status_code == 201, filed.text
        appeals[decision] = filed.json()["id"]

    seen = len(await event_kinds(world))
    assert (await rule(s.deputy, appeals[hidden], "overturned")).status_code == 200
    assert (await event_kinds(world))[seen:] == ["post.restored", "decision.logged"]
    assert (await s.reader.get(f"/posts/{s.post}")).json()["state"] == "visible"

    assert (await rule(s.deputy, appeals[removed], "overturned")).status_code == 200
    replies = (await s.reader.get(f"/posts/{s.post}/replies")).json()["items"]
    assert [(r["id"], r["state"]) for r in replies] == [(reply["id"], "visible")]

    assert (await rule(s.deputy, appeals[edited], "overturned")).status_code == 200
    assert (await s.reader.get(f"/posts/{edited_post['id']}")).json()["body"] == "The original words."

    problem(await s.author.post(f"/posts/{s.post}/replies", json={"body": "Thanks"}), 403, "muted")
    assert (await rule(s.deputy, appeals[muted], "overturned")).status_code == 200
    assert (await s.author.post(f"/posts/{s.post}/replies", json={"body": "Thanks"})).status_code == 201

    outcomes = await notes_of(s.author, "appeal.decided")
    assert sorted(n["appeal_id"] for n in outcomes) == sorted(appeals.values())
    assert {n["outcome"] for n in outcomes} == {"overturned"}
    actions = [e["action"] for e in await log(s.reader, s.slug)]
    assert actions.count("appeal_overturned") == 4
