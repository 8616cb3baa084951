"""Who may act for an organisation (docs/design.md §3.9): a sign-up waits until one of its approvers
(or, while it has none, a platform admin) approves them; until then they read and ask to join, and
every act is refused in words that say why, writing nothing. Approvers decline and remove with a
reason, name approvers and add domains; the organisation's log keeps each step; anyone else is
answered as if the organisation had no people to manage."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from sqlalchemy import text

from tests.conftest import ApiClient, World, problem, unique
from tests.smtp import SmtpServer


async def written(world: World) -> tuple[int, ...]:
    """What a refused act must leave unchanged."""
    return tuple([await world.count(t) for t in ("posts", "replies", "offers", "reactions", "flags", "events")])


async def notifications_of(world: World, person_id: int) -> list[tuple[str, dict[str, Any]]]:
    async with world.db() as session:
        rows = (
            await session.execute(
                text("SELECT kind, payload FROM notifications WHERE person_id = :p ORDER BY id"), {"p": person_id}
            )
        ).all()
    return [(str(r[0]), r[1] if isinstance(r[1], dict) else json.loads(r[1])) for r in rows]


async def org_of(client: ApiClient) -> int:
    assert client.person is not None
    return int(client.person["organisation"]["id"])


async def approver_for(world: World, org: str) -> tuple[ApiClient, ApiClient]:
    """A verified person of `org` whom a platform admin names its approver; returns (approver, admin)."""
    approver = await world.person(org=org)
    admin = await world.admin()
    named = await admin.post(f"/organisations/{await org_of(approver)}/approvers", json={"person_id": approver.id})
    assert named.status_code == 200, named.text
    assert named.json()["approver"] is True
    return approver, admin


async def test_a_waiting_person_reads_and_asks_to_join_but_every_act_is_refused_and_writes_nothing(
    world: World,
) -> None:
    org = unique("Hollinbrook Schools Trust ")
    colleague = await world.person(org=org)  # verified: the organisation's request is theirs
    lead = await world.person()
    slug = await world.network(lead)
    assert (await colleague.post(f"/networks/{slug}/join")).json()["state"] == "active"
    request = await world.request(colleague, slug)
    helper = await world.member(slug)
    offer = (await helper.post(f"/posts/{request['id']}/offers", json={"message": "We can help."})).json()
    practice = await world.practice(helper, slug)

    claimer = await world.person(org=org, verified=False)
    me = (await claimer.get("/me")).json()
    assert me["affiliation"] == "waiting" and me["organisation"]["name"] == org
    assert (await claimer.get(f"/networks/{slug}/posts")).status_code == 200  # reads as anyone signed in
    joined = await claimer.post(f"/networks/{slug}/join")
    assert joined.status_code == 200 and joined.json()["state"] == "active"  # asks and joins
    listed = {m["person"]["id"]: m for m in (await lead.get(f"/networks/{slug}/members")).json()}
    assert listed[claimer.id]["unverified"] is True and "unverified" not in listed[colleague.id]

    before = await written(world)
    refusals = [
        await claimer.post(f"/networks/{slug}/posts", json={"kind": "practice", "title": "Mine", "body": "x"}),
        await claimer.post(f"/posts/{practice['id']}/replies", json={"body": "Agreed"}),
        await claimer.post(f"/posts/{practice['id']}/reactions", json={"kind": "tried_it"}),
        await claimer.post(f"/posts/{practice['id']}/flags", json={"reason": "spam"}),
        await claimer.post(f"/posts/{practice['id']}/offers", json={"message": "x"}),
        await claimer.post(f"/offers/{offer['id']}/accept"),  # the unchecked claim: their "own" trust's request
        await claimer.post(f"/offers/{offer['id']}/decline"),
        await claimer.post(f"/posts/{request['id']}/close", json={"outcome": "Sorted, thank you."}),
    ]
    for refused in refusals:
        problem(refused, 403, "waiting for", org.lower(), "approve")
    assert await written(world) == before
    listed = (await colleague.get(f"/posts/{request['id']}/offers")).json()
    assert [o["status"] for o in listed] == ["open"]


async def test_an_approver_is_told_of_a_request_approves_it_and_the_person_may_act(world: World) -> None:
    org = unique("Kestrel Learning Partnership ")
    approver, _ = await approver_for(world, org)
    claimer = await world.person(org=org, verified=False)
    slug = await world.network(await world.person())
    assert (await claimer.post(f"/networks/{slug}/join")).status_code == 200

    notes = await notifications_of(world, approver.id)
    assert [kind for kind, _ in notes] == ["affiliation.requested"]
    assert notes[0][1]["person"] == {"id": claimer.id, "display_name": claimer.person["display_name"]}  # type: ignore[index]

    waiting = (await approver.get(f"/organisations/{await org_of(approver)}/people?status=waiting")).json()
    assert [p["id"] for p in waiting["people"]] == [claimer.id]
    assert waiting["people"][0]["affiliation"] == "waiting"

    approved = await approver.post(f"/organisations/{await org_of(approver)}/people/{claimer.id}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["affiliation"] == "verified"
    assert (await claimer.get("/me")).json()["affiliation"] == "verified"
    assert [k for k, _ in await notifications_of(world, claimer.id)] == ["affiliation.decided"]
    await world.practice(claimer, slug)  # acts now
    problem(await approver.post(f"/organisations/{await org_of(approver)}/people/{claimer.id}/approve"), 409)

    log = (await approver.get(f"/organisations/{await org_of(approver)}/log")).json()
    assert [(e["action"], e["person_id"]) for e in log][:2] == [("approved", claimer.id), ("requested", claimer.id)]
    assert log[0]["actor_id"] == approver.id


async def test_a_request_to_an_organisation_without_approvers_goes_to_the_platform_admins(world: World) -> None:
    admin = await world.admin()
    claimer = await world.person(verified=False)  # a new organisation: nobody approves for it yet
    assert [k for k, _ in await notifications_of(world, admin.id)] == ["affiliation.requested"]
    org_id = await org_of(claimer)
    approved = await admin.post(f"/organisations/{org_id}/people/{claimer.id}/approve")
    assert approved.status_code == 200, approved.text
    named = await admin.post(f"/organisations/{org_id}/approvers", json={"person_id": claimer.id})
    assert named.json()["approver"] is True
    admin_notes = len(await notifications_of(world, admin.id))
    newcomer = await world.person(org=claimer.person["organisation"]["name"], verified=False)  # type: ignore[index]
    notes = await notifications_of(world, claimer.id)  # the new approver is told now, the admins no longer
    assert (notes[-1][0], notes[-1][1]["person"]["id"]) == ("affiliation.requested", newcomer.id)
    assert len(await notifications_of(world, admin.id)) == admin_notes


async def test_declining_and_removing_need_a_reason_and_leave_past_posts_attributed(world: World) -> None:
    org = unique("Cobalt Vale Academies ")
    approver, _ = await approver_for(world, org)
    org_id = await org_of(approver)
    waiting = await world.person(org=org, verified=False)
    leaver = await world.person(org=org)
    slug = await world.network(await world.person())
    assert (await leaver.post(f"/networks/{slug}/join")).status_code == 200
    post = await world.practice(leaver, slug)

    before = await world.count("organisation_log")
    problem(await approver.post(f"/organisations/{org_id}/people/{waiting.id}/decline", json={"reason": " "}), 422)
    problem(await approver.post(f"/organisations/{org_id}/people/{waiting.id}/decline", json={}), 400)
    assert await world.count("organisation_log") == before
    assert (await waiting.get("/me")).json()["affiliation"] == "waiting"

    declined = await approver.post(
        f"/organisations/{org_id}/people/{waiting.id}/decline", json={"reason": "We have no one of this name."}
    )
    assert declined.json()["affiliation"] == "declined"
    me = (await waiting.get("/me")).json()
    assert (me["affiliation"], me["affiliation_reason"]) == ("declined", "We have no one of this name.")
    assert (await waiting.post(f"/networks/{slug}/join")).status_code == 200
    problem(await waiting.post(f"/posts/{post['id']}/replies", json={"body": "x"}), 403, "declined")

    problem(await approver.post(f"/organisations/{org_id}/people/{approver.id}/remove", json={"reason": "x"}), 403)
    removed = await approver.post(
        f"/organisations/{org_id}/people/{leaver.id}/remove", json={"reason": "Left the trust in July."}
    )
    assert removed.json()["affiliation"] == "removed"
    problem(await leaver.post(f"/posts/{post['id']}/replies", json={"body": "x"}), 403, "removed")
    shown = (await approver.get(f"/posts/{post['id']}")).json()
    assert shown["author"]["id"] == leaver.id and shown["author"]["organisation"]["name"] == org

    log = [e["action"] for e in (await approver.get(f"/organisations/{org_id}/log")).json()]
    assert log[:2] == ["removed", "declined"]


async def test_only_approvers_and_admins_manage_the_people_and_others_find_nothing(world: World) -> None:
    org = unique("Brightwater Learning Partnership ")
    approver, admin = await approver_for(world, org)
    org_id = await org_of(approver)
    waiting = await world.person(org=org, verified=False)
    colleague = await world.person(org=org)  # verified but no approver
    stranger = await world.person()
    other_approver, _ = await approver_for(world, unique("Other Trust "))

    before = await world.count("organisation_log")
    for outsider in (colleague, stranger, other_approver, waiting):
        problem(await outsider.get(f"/organisations/{org_id}/people"), 404)
        problem(await outsider.get(f"/organisations/{org_id}/log"), 404)
        problem(await outsider.post(f"/organisations/{org_id}/people/{waiting.id}/approve"), 404)
        problem(await outsider.post(f"/organisations/{org_id}/domains", json={"domain": "brightwater.org.uk"}), 404)
    # a person of another organisation is not found through this one, even by its approver
    problem(await approver.post(f"/organisations/{org_id}/people/{stranger.id}/approve"), 404)
    assert await world.count("organisation_log") == before
    assert (await waiting.get("/me")).json()["affiliation"] == "waiting"

    # approvers add a domain (a public mail provider's is refused) and name another approver
    problem(await approver.post(f"/organisations/{org_id}/domains", json={"domain": "gmail.com"}), 422)
    added = await approver.post(f"/organisations/{org_id}/domains", json={"domain": "Brightwater.org.uk"})
    assert added.status_code == 201 and added.json() == ["brightwater.org.uk"]
    problem(await approver.post(f"/organisations/{org_id}/approvers", json={"person_id": waiting.id}), 409)
    named = await approver.post(f"/organisations/{org_id}/approvers", json={"person_id": colleague.id})
    assert named.json()["approver"] is True
    assert (await colleague.get(f"/organisations/{org_id}/people")).status_code == 200
    assert (await colleague.delete(f"/organisations/{org_id}/approvers/{colleague.id}")).status_code == 204
    problem(await approver.delete(f"/organisations/{org_id}/approvers/{approver.id}"), 409, "last approver")
    assert (await admin.get(f"/organisations/{org_id}/log")).status_code == 200
    actions = [e["action"] for e in (await admin.get(f"/organisations/{org_id}/log")).json()]
    assert actions[:3] == ["approver_dropped", "approver_named", "domain_added"]


async def test_the_deciders_are_mailed_the_request_and_the_person_each_decision(
    mailing: World, smtp: SmtpServer
) -> None:
    def about(word: str) -> list[EmailMessage]:
        return [m for m in smtp.collector.messages if word in m["Subject"]]

    org = unique("Fenwick Vale Trust ")
    approver, _ = await approver_for(mailing, org)
    assert approver.person
    waiting = await mailing.person(org=org, verified=False, name="Maya Mailed")  # confirms by the mailed link
    assert waiting.person
    await smtp.collector.wait_for(2)  # the two sign-ups' confirmations, then the request
    asked = await until(lambda: about("asks to act for"))
    assert [m["To"] for m in asked] == [approver.person["email"]]
    assert asked[0]["Subject"].strip() == f"Improvement Commons: Maya Mailed asks to act for {org}"  # long: folded
    body = asked[0].get_body(preferencelist=("plain",))
    assert body is not None
    org_id = await org_of(approver)
    assert f"{mailing.server.url}/organisations/{org_id}/people" in body.get_content()

    problem(await approver.post(f"/organisations/{org_id}/people/{waiting.id}/decline", json={"reason": ""}), 400)
    assert (await approver.post(f"/organisations/{org_id}/people/{waiting.id}/approve")).status_code == 200
    approved = await until(lambda: about("approved you"))
    assert [(m["To"], m["Subject"].strip()) for m in approved] == [
        (waiting.person["email"], f"Improvement Commons: {org} approved you")
    ]
    assert about("declined") == []  # the refused decline mailed no one
    # each carries the one-click unsubscribe of its group (docs/design.md §3.10)
    assert asked[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/unsubscribe?token={approver.id}.approvals." in asked[0]["List-Unsubscribe"]
    assert f"/unsubscribe?token={waiting.id}.membership." in approved[0]["List-Unsubscribe"]


async def test_an_approver_who_turned_approvals_off_is_not_mailed_the_request(mailing: World, smtp: SmtpServer) -> None:
    org = unique("Quiet Vale Trust ")
    approver, _ = await approver_for(mailing, org)
    off = await approver.patch("/me/mail-settings", json={"email": {"approvals": False}})
    assert off.status_code == 200, off.text
    waiting = await mailing.person(org=org, verified=False, name="Quinn Quiet")
    assert waiting.person
    notes = (await approver.get("/notifications")).json()["items"]
    assert [n["kind"] for n in notes][:1] == ["affiliation.requested"]  # still told on the site
    await asyncio.sleep(1.0)
    assert [m for m in smtp.collector.messages if "asks to act for" in m["Subject"]] == []


async def until(found: Callable[[], list[EmailMessage]], seconds: float = 10) -> list[EmailMessage]:
    """What `found` gives once it gives something (mail is sent after the change commits)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not found() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)
    return found()


async def test_steps_fired_at_once_leave_one_approver_and_no_double_naming(world: World) -> None:
    """Two approvers dropping each other at the same moment: one wins, and the other, no approver any
    more, is refused; two naming the same person at once: one names, the other is told it is done. The
    organisation's row is locked before each step checks (network/people/affiliation.py `_subject`)."""
    for _ in range(6):
        org = unique("Racing Trust ")
        first, admin = await approver_for(world, org)
        second = await world.person(org=org)
        org_id = await org_of(first)
        assert (
            await admin.post(f"/organisations/{org_id}/approvers", json={"person_id": second.id})
        ).status_code == 200

        dropped = await asyncio.gather(
            first.delete(f"/organisations/{org_id}/approvers/{second.id}"),
            second.delete(f"/organisations/{org_id}/approvers/{first.id}"),
        )
        # the loser is no approver any more (404), or the last one (409): never both dropped
        assert sorted(r.status_code for r in dropped) in ([204, 404], [204, 409]), [r.text for r in dropped]
        assert await world.count("organisation_approvers", f"organisation_id = {org_id}") == 1
        assert await world.count("organisation_log", f"organisation_id = {org_id} AND action = 'approver_dropped'") == 1

        third = await world.person(org=org)
        (left,) = [c for c in (first, second) if c.id in await approvers_now(world, org_id)]
        named = await asyncio.gather(
            left.post(f"/organisations/{org_id}/approvers", json={"person_id": third.id}),
            admin.post(f"/organisations/{org_id}/approvers", json={"person_id": third.id}),
        )
        assert sorted(r.status_code for r in named) == [200, 409], [r.text for r in named]
        assert await world.count("organisation_approvers", f"person_id = {third.id}") == 1


async def approvers_now(world: World, org_id: int) -> list[int]:
    async with world.db() as session:
        rows = await session.execute(
            text("SELECT person_id FROM organisation_approvers WHERE organisation_id = :o"), {"o": org_id}
        )
        return [int(r[0]) for r in rows]
