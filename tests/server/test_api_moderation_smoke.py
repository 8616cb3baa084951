"""The moderation loop end to end over HTTP: flag → queue → decision → log → appeal → outcome."""

from __future__ import annotations

from tests.conftest import World, event_kinds, problem


async def test_flag_queue_decide_log_appeal(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    second_lead = await world.member(slug)
    assert (await lead.patch(f"/networks/{slug}/members/{second_lead.id}", json={"role": "lead"})).status_code == 200
    author, reporter = await world.member(slug), await world.member(slug)
    post = await world.practice(author, slug, title="Attendance drive")

    flagged = await reporter.post(f"/posts/{post['id']}/flags", json={"reason": "charter", "clause": 4, "note": "Rude"})
    assert flagged.status_code == 201, flagged.text
    again = await reporter.post(f"/posts/{post['id']}/flags", json={"reason": "spam"})
    problem(again, 409, "already flagged")

    queue = (await lead.get(f"/networks/{slug}/queue")).json()
    assert [e["target_id"] for e in queue] == [post["id"]]
    assert queue[0]["flags"][0]["clause"] == 4
    problem(await author.get(f"/networks/{slug}/queue"), 403, "lead")

    decided = await lead.post(
        f"/networks/{slug}/decisions",
        json={
            "target_type": "post",
            "target_id": post["id"],
            "action": "hide",
            "reason": "Breaks clause 4",
            "clause": 4,
        },
    )
    assert decided.status_code == 201, decided.text
    decision_id = decided.json()["id"]
    assert (await lead.get(f"/networks/{slug}/queue")).json() == []
    assert "post.hidden" in await event_kinds(world)
    assert (await reporter.get(f"/posts/{post['id']}")).status_code == 404
    assert (await author.get(f"/posts/{post['id']}")).json()["state"] == "hidden"

    log = (await reporter.get(f"/networks/{slug}/log")).json()["items"]
    assert log[0]["action"] == "hide" and log[0]["clause"] == 4 and log[0]["reason"] == "Breaks clause 4"

    kinds = [n["kind"] for n in (await reporter.get("/notifications")).json()["items"]]
    assert "flag.decided" in kinds
    kinds = [n["kind"] for n in (await author.get("/notifications")).json()["items"]]
    assert "decision" in kinds

    appeal = await author.post("/appeals", json={"decision_id": decision_id, "statement": "It was not rude."})
    assert appeal.status_code == 201, appeal.text
    appeal_id = appeal.json()["id"]
    assert appeal.json()["to_admin"] is False
    problem(await author.post("/appeals", json={"decision_id": decision_id, "statement": "Again"}), 409, "once")
    problem(
        await lead.post(f"/appeals/{appeal_id}/decide", json={"outcome": "overturned", "reason": "Mine"}),
        403,
        "another lead",
    )
    overturned = await second_lead.post(
        f"/appeals/{appeal_id}/decide", json={"outcome": "overturned", "reason": "Robust, not rude."}
    )
    assert overturned.status_code == 200, overturned.text
    assert (await reporter.get(f"/posts/{post['id']}")).json()["state"] == "visible"
    assert (await reporter.get(f"/networks/{slug}/log")).json()["items"][0]["action"] == "appeal_overturned"


async def test_personal_data_is_held_and_approved(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    other = await world.member(slug)
    body = "We supported pupil Jayden Smith (UPN P207000016049) through a reading plan."
    held = await member.post(f"/networks/{slug}/posts", json={"kind": "practice", "title": "Reading", "body": body})
    assert held.status_code == 201, held.text
    assert held.json()["state"] == "held"
    assert "post.created" not in await event_kinds(world)
    assert (await other.get(f"/posts/{held.json()['id']}")).status_code == 404
    [entry] = (await lead.get(f"/networks/{slug}/queue")).json()
    assert entry["held"] and entry["severity"] == 0
    approved = await lead.post(
        f"/networks/{slug}/decisions",
        json={"target_type": "post", "target_id": held.json()["id"], "action": "approve", "reason": "Consent held"},
    )
    assert approved.status_code == 201, approved.text
    assert (await other.get(f"/posts/{held.json()['id']}")).json()["state"] == "visible"
    assert "post.created" in await event_kinds(world)


async def test_muted_member_is_refused_and_export_works(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    muted = await lead.post(
        f"/networks/{slug}/decisions",
        json={"target_type": "member", "target_id": member.id, "action": "mute", "reason": "Cool off"},
    )
    assert muted.status_code == 201, muted.text
    refused = await member.post(f"/networks/{slug}/posts", json={"kind": "practice", "title": "T", "body": "B"})
    problem(refused, 403, "muted")
    exported = await lead.get(f"/networks/{slug}/export")
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"] == "application/zip"
    problem(await member.get(f"/networks/{slug}/export"), 403, "lead")
