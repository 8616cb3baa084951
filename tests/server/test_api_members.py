"""Membership over HTTP: joining under each policy, leaving, the member list, leads' changes, following."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from network.enums import OrgKind
from tests.conftest import ApiClient, World, event_kinds, problem


async def written(world: World) -> tuple[int, int, int, int]:
    return (
        await world.count("memberships"),
        await world.count("events"),
        await world.count("notifications"),
        await world.count("invitations"),
    )


async def members(client: ApiClient, slug: str) -> dict[int, dict[str, Any]]:
    response = await client.get(f"/networks/{slug}/members")
    assert response.status_code == 200, response.text
    return {m["person"]["id"]: m for m in response.json()}


async def membership_row(world: World, slug: str, person_id: int) -> tuple[str, str, Any] | None:
    from sqlalchemy import text

    async with world.db() as session:
        row = (
            await session.execute(
                text(
                    "SELECT m.role, m.state, m.until FROM memberships m JOIN networks n ON n.id = m.network_id "
                    "WHERE n.slug = :slug AND m.person_id = :person"
                ),
                {"slug": slug, "person": person_id},
            )
        ).first()
    return None if row is None else (row[0], row[1], row[2])


# --- joining ------------------------------------------------------------------------------


async def test_open_network_join_is_active_and_twice_is_a_conflict(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    joiner = await world.person()
    response = await joiner.post(f"/networks/{slug}/join")
    assert response.status_code == 200, response.text
    assert response.json() == {"state": "active", "role": "member"}
    assert await world.count("events", "kind = 'member.joined'") == 2  # the first lead, then the joiner
    assert (await joiner.get(f"/networks/{slug}")).json()["member_count"] == 2

    before = await written(world)
    again = problem(await joiner.post(f"/networks/{slug}/join"), 409)
    assert "already a member" in again["detail"]
    assert await written(world) == before

    problem(await joiner.post("/networks/no-such-network/join"), 404)
    assert (await world.client().post(f"/networks/{slug}/join")).status_code == 401
    assert await written(world) == before


async def test_request_network_join_waits_for_a_lead(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members", join_policy="request")
    member = await world.person()
    asking = await world.person()

    events_before = await world.count("events")
    response = await asking.post(f"/networks/{slug}/join")
    assert response.status_code == 200, response.text
    assert response.json() == {"state": "pending", "role": "member"}
    # the request is private: the lead is told, and the leads' own events carry it; no one else's do
    assert await world.count("notifications", f"person_id = {lead.id} AND kind = 'join.requested'") == 1
    assert await world.count("events") == events_before + 1
    assert await world.count("events", "kind = 'member.asked' AND audience = 'leads'") == 1
    again = problem(await asking.post(f"/networks/{slug}/join"), 409)
    assert "waiting" in again["detail"]

    # pending people cannot read a members-only network or its members
    problem(await asking.get(f"/networks/{slug}"), 404)
    problem(await asking.get(f"/networks/{slug}/members"), 404)
    assert asking.id in await members(lead, slug)  # leads see the queue

    # a request is approved, declined or banned: nothing else
    before = await written(world)
    for change in ({"role": "lead"}, {"state": "muted"}, {"state": "suspended"}, {"state": "pending"}):
        body = problem(await lead.patch(f"/networks/{slug}/members/{asking.id}", json=change), 422)
        assert "approve" in body["detail"]
    assert await written(world) == before

    # a lead approves
    approved = await lead.patch(f"/networks/{slug}/members/{asking.id}", json={"state": "active"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "active"
    assert approved.json()["role"] == "member"
    assert await world.count("events", "kind = 'member.joined'") == 2
    assert await world.count("notifications", f"person_id = {asking.id} AND kind = 'membership.approved'") == 1
    assert (await asking.get(f"/networks/{slug}")).json()["membership"]["state"] == "active"

    # a second request, declined by removing it: told privately, logged without naming them
    assert (await member.post(f"/networks/{slug}/join")).json()["state"] == "pending"
    events_before = await world.count("events")
    declined = await lead.delete(f"/networks/{slug}/members/{member.id}", params={"reason": "Trusts only"})
    assert declined.status_code == 204, declined.text
    assert await world.count("notifications", f"person_id = {member.id} AND kind = 'membership.declined'") == 1
    assert await world.count("events") == events_before + 2
    assert (await event_kinds(world))[-2:] == ["decision.logged", "member.request_closed"]
    assert await world.count("events", "kind = 'member.request_closed' AND audience = 'leads'") == 1
    log = (await lead.get(f"/networks/{slug}/log")).json()["items"]
    assert log[0]["action"] == "decline_join" and log[0]["subject"] is None
    assert log[0]["label"] == "a request to join" and log[0]["reason"] == "Trusts only"
    assert await membership_row(world, slug, member.id) is None


async def test_invite_network_needs_an_invitation_for_that_address(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, join_policy="invite")
    guest = await world.person()
    other = await world.person()
    member = await world.person()

    before = await written(world)
    refused = problem(await guest.post(f"/networks/{slug}/join"), 403)
    assert "invitation" in refused["detail"]
    problem(await guest.post(f"/networks/{slug}/join", json={"invitation": "made-up"}), 403)
    problem(await guest.post(f"/networks/{slug}/join", json={"invitation": 5}), 400)
    problem(await guest.post(f"/networks/{slug}/join", json={"invitation": "t" * 101}), 400)
    problem(await guest.post(f"/networks/{slug}/join", json={"token": "x"}), 400)
    assert await written(world) == before

    # only leads invite
    problem(await guest.post(f"/networks/{slug}/invitations", json={"email": guest.person["email"]}), 403)
    problem(await lead.post(f"/networks/{slug}/invitations", json={"email": "not an email"}), 400)
    assert await written(world) == before

    invited = await lead.post(f"/networks/{slug}/invitations", json={"email": guest.person["email"].upper()})
    assert invited.status_code == 201, invited.text
    token = invited.json()["token"]
    assert invited.json()["email"] == guest.person["email"]
    assert await world.count("invitations") == 1

    # the link works only for the address invited, and only once
    problem(await other.post(f"/networks/{slug}/join", json={"invitation": token}), 403)
    joined = await guest.post(f"/networks/{slug}/join", json={"invitation": token})
    assert joined.status_code == 200, joined.text
    assert joined.json() == {"state": "active", "role": "member"}
    assert await world.count("invitations", "used_at IS NOT NULL") == 1
    assert (await guest.post(f"/networks/{slug}/leave")).status_code == 204
    problem(await guest.post(f"/networks/{slug}/join", json={"invitation": token}), 403)

    # a member of an invite-only network cannot invite either
    second = await lead.post(f"/networks/{slug}/invitations", json={"email": member.person["email"]})
    assert (await member.post(f"/networks/{slug}/join", json={"invitation": second.json()["token"]})).status_code == 200
    problem(await member.post(f"/networks/{slug}/invitations", json={"email": other.person["email"]}), 403)


async def test_hidden_network_join_and_leave_do_not_confirm_it_exists(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="hidden", join_policy="open")
    outsider = await world.person()
    before = await written(world)
    for path in ("join", "leave"):
        unknown = problem(await outsider.post(f"/networks/no-such-network/{path}"), 404)
        hidden = problem(await outsider.post(f"/networks/{slug}/{path}"), 404)
        assert hidden["detail"] == unknown["detail"].replace("no-such-network", slug)
    assert await written(world) == before


async def test_regulators_and_government_only_observe(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, join_policy="open")
    member = await world.member(slug)
    regulator = await world.person(kind=OrgKind.REGULATOR)
    official = await world.person(kind=OrgKind.GOVERNMENT)

    # even an open network lets an observer in only with a lead's agreement
    asked = await regulator.post(f"/networks/{slug}/join")
    assert asked.status_code == 200, asked.text
    assert asked.json() == {"state": "pending", "role": "observer"}
    approved = await lead.patch(f"/networks/{slug}/members/{regulator.id}", json={"state": "active"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["role"] == "observer"

    # an invitation lets them in at once, still as an observer
    invitation = await lead.post(f"/networks/{slug}/invitations", json={"email": official.person["email"]})
    joined = await official.post(f"/networks/{slug}/join", json={"invitation": invitation.json()["token"]})
    assert joined.json() == {"state": "active", "role": "observer"}

    # observers are listed to every member
    listed = await members(member, slug)
    assert listed[regulator.id]["role"] == "observer"
    assert listed[official.id]["role"] == "observer"
    assert listed[regulator.id]["person"]["organisation"]["kind"] == "regulator"

    # and never become members or leads
    before = await written(world)
    for role in ("member", "lead"):
        for person in (regulator, official):
            body = problem(await lead.patch(f"/networks/{slug}/members/{person.id}", json={"role": role}), 422)
            assert "observer" in body["detail"]
    assert await written(world) == before
    assert await membership_row(world, slug, regulator.id) == ("observer", "active", None)


# --- leaving ------------------------------------------------------------------------------


async def test_leave_and_the_last_lead_stays(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)

    left = await member.post(f"/networks/{slug}/leave")
    assert left.status_code == 204, left.text
    assert await world.count("events", "kind = 'member.left'") == 1
    assert await membership_row(world, slug, member.id) is None
    before = await written(world)
    problem(await member.post(f"/networks/{slug}/leave"), 404)

    last = problem(await lead.post(f"/networks/{slug}/leave"), 409)
    assert "last lead" in last["detail"]
    assert await written(world) == before

    # with a second lead appointed, the first may go
    second = await world.member(slug)
    appointed = await lead.patch(f"/networks/{slug}/members/{second.id}", json={"role": "lead"})
    assert appointed.status_code == 200, appointed.text
    assert (await lead.post(f"/networks/{slug}/leave")).status_code == 204
    assert await world.count("events", "kind = 'member.left'") == 2
    assert (await second.get(f"/networks/{slug}/members")).json()[0]["role"] == "lead"


async def test_withdrawing_a_request_and_sanctions_cannot_be_left(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, join_policy="request")
    asking = await world.person()
    assert (await asking.post(f"/networks/{slug}/join")).json()["state"] == "pending"
    events_before = await world.count("events")
    assert (await asking.post(f"/networks/{slug}/leave")).status_code == 204
    assert await membership_row(world, slug, asking.id) is None
    # the request leaves the leads' list (their event alone): members never saw it
    assert await world.count("events") == events_before + 1
    assert await world.count("events", "kind = 'member.request_closed' AND audience = 'leads'") == 1

    assert (await asking.post(f"/networks/{slug}/join")).json()["state"] == "pending"
    await lead.patch(f"/networks/{slug}/members/{asking.id}", json={"state": "active"})
    banned = await lead.patch(f"/networks/{slug}/members/{asking.id}", json={"state": "banned", "reason": "Spam"})
    assert banned.status_code == 200, banned.text
    before = await written(world)
    problem(await asking.post(f"/networks/{slug}/leave"), 403)
    rejoin = problem(await asking.post(f"/networks/{slug}/join"), 403)
    assert "banned" in rejoin["detail"]
    assert await written(world) == before


# --- the member list ----------------------------------------------------------------------


async def test_member_list_is_for_members(world: World) -> None:
    lead = await world.person()
    public = await world.network(lead, join_policy="request")
    hidden = await world.network(lead, visibility="hidden")
    member = await world.person()
    assert (await member.post(f"/networks/{public}/join")).json()["state"] == "pending"
    await lead.patch(f"/networks/{public}/members/{member.id}", json={"state": "active"})
    muted = await world.person()
    await muted.post(f"/networks/{public}/join")
    await lead.patch(f"/networks/{public}/members/{muted.id}", json={"state": "active"})
    await lead.patch(f"/networks/{public}/members/{muted.id}", json={"state": "muted"})
    suspended = await world.person()
    await suspended.post(f"/networks/{public}/join")
    await lead.patch(f"/networks/{public}/members/{suspended.id}", json={"state": "active"})
    await lead.patch(f"/networks/{public}/members/{suspended.id}", json={"state": "suspended"})
    pending = await world.person()
    await pending.post(f"/networks/{public}/join")
    outsider = await world.person()

    seen = await members(member, public)
    assert {pid: (m["role"], m["state"]) for pid, m in seen.items()} == {
        lead.id: ("lead", "active"),
        member.id: ("member", "active"),
        muted.id: ("member", "muted"),
    }
    assert set(seen[member.id]) >= {"person", "role", "state", "until", "joined_at"}
    assert set(await members(muted, public)) == set(seen)
    # leads also see the queue and the sanctioned
    assert set(await members(lead, public)) == set(seen) | {suspended.id, pending.id}

    # outsiders, people waiting and the suspended may not see who belongs (not even in a public network)
    for person in (outsider, pending, suspended):
        problem(await person.get(f"/networks/{public}/members"), 404)
    unknown = problem(await outsider.get("/networks/no-such-network/members"), 404)
    hidden_answer = problem(await outsider.get(f"/networks/{hidden}/members"), 404)
    assert hidden_answer["detail"] == unknown["detail"].replace("no-such-network", hidden)
    assert (await world.client().get(f"/networks/{public}/members")).status_code == 401


# --- leads' changes -----------------------------------------------------------------------


async def test_only_leads_change_members(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    other = await world.member(slug)
    outsider = await world.person()
    members_only = await world.network(lead, visibility="members")
    before = await written(world)

    for change in ({"role": "lead"}, {"state": "banned"}):
        body = problem(await member.patch(f"/networks/{slug}/members/{other.id}", json=change), 403)
        assert "lead" in body["detail"]
        problem(await member.patch(f"/networks/{slug}/members/{member.id}", json=change), 403)
        problem(await outsider.patch(f"/networks/{slug}/members/{other.id}", json=change), 403)
        problem(await outsider.patch(f"/networks/{members_only}/members/{lead.id}", json=change), 404)
    problem(await member.delete(f"/networks/{slug}/members/{other.id}"), 403)
    assert (await world.client().patch(f"/networks/{slug}/members/{other.id}", json={"role": "lead"})).status_code in (
        401,
        403,
    )
    assert await written(world) == before
    assert await membership_row(world, slug, other.id) == ("member", "active", None)


async def test_leads_appoint_and_demote_and_keep_one_lead(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)

    before = await written(world)
    for change in ({"role": "member"}, {"state": "banned"}, {"state": "suspended"}, {"state": "muted"}):
        body = problem(await lead.patch(f"/networks/{slug}/members/{lead.id}", json=change), 409)
        assert "lead" in body["detail"]
    body = problem(await lead.delete(f"/networks/{slug}/members/{lead.id}"), 409)
    assert "lead" in body["detail"]
    assert await written(world) == before

    appointed = await lead.patch(
        f"/networks/{slug}/members/{member.id}", json={"role": "lead", "reason": "Runs the reading hub"}
    )
    assert appointed.status_code == 200, appointed.text
    assert appointed.json()["role"] == "lead"
    assert await world.count("events", "kind = 'member.updated'") == 1
    assert await world.count("notifications", f"person_id = {member.id} AND kind = 'membership.changed'") == 1

    # the new lead demotes the first; then the new lead is the last and is kept
    demoted = await member.patch(f"/networks/{slug}/members/{lead.id}", json={"role": "member"})
    assert demoted.status_code == 200, demoted.text
    assert await world.count("events", "kind = 'member.updated'") == 2
    assert (await members(member, slug))[lead.id]["role"] == "member"
    before = await written(world)
    problem(await member.patch(f"/networks/{slug}/members/{member.id}", json={"role": "member"}), 409)
    problem(await lead.patch(f"/networks/{slug}/members/{member.id}", json={"role": "member"}), 403)
    assert await written(world) == before


async def test_member_change_refusals_write_nothing(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    regulator = await world.person(kind=OrgKind.REGULATOR)
    await regulator.post(f"/networks/{slug}/join")
    stranger = await world.person()
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    before = await written(world)

    path = f"/networks/{slug}/members/{member.id}"
    cases: list[tuple[str, dict[str, Any], int, str]] = [
        (path, {"role": "observer"}, 422, "role"),
        (path, {"role": "admin"}, 400, "role"),
        (path, {"state": "deleted"}, 400, "state"),
        (path, {"state": "pending"}, 422, "state"),
        (path, {"role": 1}, 400, "role"),
        (path, {}, 422, "role"),
        (path, {"state": "muted", "until": past}, 422, "until"),
        (path, {"state": "suspended", "until": past}, 422, "until"),
        (path, {"state": "muted", "until": "tomorrow"}, 400, "until"),
        (path, {"state": "banned", "until": future}, 422, "until"),
        (path, {"until": future}, 422, "until"),
        (path, {"state": "muted", "reason": "r" * 1001}, 400, "reason"),
        (path, {"state": "muted", "clause": 2}, 400, "clause"),
        (f"/networks/{slug}/members/{regulator.id}", {"role": "member", "state": "active"}, 422, "role"),
        (f"/networks/{slug}/members/{stranger.id}", {"role": "lead"}, 404, ""),
        (f"/networks/{slug}/members/999999", {"role": "lead"}, 404, ""),
        (f"/networks/{slug}/members/not-a-number", {"role": "lead"}, 404, ""),
        ("/networks/no-such-network/members/1", {"role": "lead"}, 404, ""),
    ]
    for url, change, status, field in cases:
        body = problem(await lead.patch(url, json=change), status)
        if field:
            assert field in (body.get("errors") or {}) or field in body["detail"], (change, body)
    problem(await lead.delete(f"/networks/{slug}/members/{stranger.id}"), 404)
    problem(await lead.delete(f"/networks/{slug}/members/{member.id}", params={"reason": "r" * 1001}), 400)
    assert await written(world) == before
    assert await membership_row(world, slug, member.id) == ("member", "active", None)


async def test_mute_suspend_and_lift(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    path = f"/networks/{slug}/members/{member.id}"
    until = datetime.now(UTC) + timedelta(days=3)

    muted = await lead.patch(path, json={"state": "muted", "until": until.isoformat(), "reason": "Cool off"})
    assert muted.status_code == 200, muted.text
    assert muted.json()["state"] == "muted"
    assert datetime.fromisoformat(muted.json()["until"]) == until
    # a time without a zone is read as UTC
    naive = (until + timedelta(days=1)).replace(tzinfo=None)
    extended = await lead.patch(path, json={"state": "muted", "until": naive.isoformat()})
    assert extended.status_code == 200, extended.text
    assert datetime.fromisoformat(extended.json()["until"]) == naive.replace(tzinfo=UTC)
    # changing only the role keeps the mute's end
    role_only = await lead.patch(path, json={"role": "lead"})
    assert role_only.status_code == 200, role_only.text
    assert role_only.json()["state"] == "muted"
    assert datetime.fromisoformat(role_only.json()["until"]) == naive.replace(tzinfo=UTC)
    # a muted lead is not an active lead: the first lead is still the last one
    problem(await lead.patch(f"/networks/{slug}/members/{lead.id}", json={"role": "member"}), 409)
    # but the muted lead can be removed, as the active lead stays
    events_before = await world.count("events", "kind = 'member.left'")
    removed = await lead.delete(path, params={"reason": "Stepped back"})
    assert removed.status_code == 204, removed.text
    assert await world.count("events", "kind = 'member.left'") == events_before + 1
    assert await world.count("notifications", f"person_id = {member.id} AND kind = 'membership.removed'") == 1

    again = await world.member(slug)
    suspended = await lead.patch(f"/networks/{slug}/members/{again.id}", json={"state": "suspended"})
    assert suspended.json()["until"] is None
    lifted = await lead.patch(f"/networks/{slug}/members/{again.id}", json={"state": "active", "reason": "Appeal"})
    assert lifted.status_code == 200, lifted.text
    assert lifted.json()["state"] == "active"
    assert await world.count("events", "kind = 'member.updated'") >= 5
    # setting what is already set changes nothing and logs nothing
    events_before = await world.count("events")
    same = await lead.patch(f"/networks/{slug}/members/{again.id}", json={"state": "active"})
    assert same.status_code == 200
    assert await world.count("events") == events_before


# --- following ----------------------------------------------------------------------------


async def test_follow_level(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    outsider = await world.person()
    for level in ("requests_only", "mentions", "muted", "all"):
        response = await member.put(f"/networks/{slug}/follow", json={"level": level})
        assert response.status_code == 200, response.text
        assert response.json()["follow_level"] == level
        assert response.json()["role"] == "member"
    await member.put(f"/networks/{slug}/follow", json={"level": "mentions"})
    assert (await member.get(f"/networks/{slug}")).json()["membership"]["follow_level"] == "mentions"

    before = await written(world)
    for bad in ({"level": "everything"}, {"level": ""}, {}, {"level": "all", "extra": 1}):
        problem(await member.put(f"/networks/{slug}/follow", json=bad), 400)
    problem(await outsider.put(f"/networks/{slug}/follow", json={"level": "all"}), 404)
    assert await written(world) == before
    assert (await member.get(f"/networks/{slug}")).json()["membership"]["follow_level"] == "mentions"


async def test_a_platform_admin_acts_in_the_open(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="hidden")
    invitation = await lead.post(f"/networks/{slug}/invitations", json={"email": "later@example.org"})
    assert invitation.status_code == 201
    admin = await world.admin()
    member = await world.person()
    second = await lead.post(f"/networks/{slug}/invitations", json={"email": member.person["email"]})
    await member.post(f"/networks/{slug}/join", json={"invitation": second.json()["token"]})

    # an admin may appoint a lead in any network; the act is logged under the admin's name
    appointed = await admin.patch(
        f"/networks/{slug}/members/{member.id}", json={"role": "lead", "reason": "The first lead is away"}
    )
    assert appointed.status_code == 200, appointed.text
    assert await world.count("events", f"kind = 'member.updated' AND actor_id = {admin.id}") == 1
    assert set(await members(admin, slug)) == {lead.id, member.id}
