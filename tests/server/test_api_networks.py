"""The networks API over HTTP: the directory, creating a network (admins), one network's details."""

from __future__ import annotations

from typing import Any

import httpx

from network.enums import OrgKind
from tests.conftest import ApiClient, World, problem, unique


async def create(admin: ApiClient, lead: ApiClient, **fields: Any) -> httpx.Response:
    slug = unique("net-")
    body = {
        "slug": slug,
        "name": f"Network {slug}",
        "kind": "thematic",
        "visibility": "public",
        "join_policy": "open",
        "lead_email": lead.person["email"] if lead.person else "",
    } | fields
    return await admin.post("/networks", json=body)


async def written(world: World) -> tuple[int, int, int, int, int]:
    return (
        await world.count("networks"),
        await world.count("memberships"),
        await world.count("events"),
        await world.count("notifications"),
        await world.count("charter_versions"),
    )


def by_slug(listing: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {n["slug"]: n for n in listing}


async def test_directory_shows_what_each_viewer_may_list(world: World) -> None:
    admin = await world.admin()
    lead = await world.person()
    slugs: dict[str, str] = {}
    for visibility in ("public", "members", "hidden"):
        response = await create(admin, lead, visibility=visibility, join_policy="invite")
        assert response.status_code == 201, response.text
        slugs[visibility] = response.json()["slug"]
    hidden = slugs["hidden"]

    # a member of the hidden network, by invitation
    insider = await world.person()
    invitation = await lead.post(f"/networks/{hidden}/invitations", json={"email": insider.person["email"]})
    assert invitation.status_code == 201, invitation.text
    joined = await insider.post(f"/networks/{hidden}/join", json={"invitation": invitation.json()["token"]})
    assert joined.json() == {"state": "active", "role": "member"}

    anonymous = world.client()
    listing = await anonymous.get("/networks")
    assert listing.status_code == 200
    seen = by_slug(listing.json())
    # anonymous visitors see the directory of public and members-only networks (bodies need sign-in),
    # never a hidden one (permissions.can_list_network)
    assert set(seen) == {slugs["public"], slugs["members"]}
    assert all(n["membership"] is None for n in seen.values())
    assert seen[slugs["public"]]["member_count"] == 1

    outsider = await world.person()
    seen = by_slug((await outsider.get("/networks")).json())
    assert set(seen) == {slugs["public"], slugs["members"]}
    assert seen[slugs["members"]]["membership"] is None

    seen = by_slug((await insider.get("/networks")).json())
    assert set(seen) == set(slugs.values())
    assert seen[hidden]["member_count"] == 2
    assert seen[hidden]["membership"]["role"] == "member"
    assert seen[hidden]["membership"]["state"] == "active"
    assert seen[hidden]["membership"]["follow_level"] == "requests_only"  # new members' default
    assert seen[slugs["public"]]["membership"] is None

    seen = by_slug((await lead.get("/networks")).json())
    assert set(seen) == set(slugs.values())
    assert {n["membership"]["role"] for n in seen.values()} == {"lead"}

    # the platform's operators see every network
    assert set(by_slug((await admin.get("/networks")).json())) == set(slugs.values())

    # a suspended member no longer sees the hidden network, and is not counted
    suspended = await lead.patch(f"/networks/{hidden}/members/{insider.id}", json={"state": "suspended"})
    assert suspended.status_code == 200, suspended.text
    assert hidden not in by_slug((await insider.get("/networks")).json())
    assert by_slug((await lead.get("/networks")).json())[hidden]["member_count"] == 1


async def test_directory_counts_active_and_muted_not_pending(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, join_policy="request")
    asking = await world.person()
    assert (await asking.post(f"/networks/{slug}/join")).json()["state"] == "pending"
    entry = by_slug((await asking.get("/networks")).json())[slug]
    assert entry["member_count"] == 1
    assert entry["membership"]["state"] == "pending"
    assert entry["membership"]["role"] == "member"


async def test_only_an_admin_creates_a_network(world: World) -> None:
    lead = await world.person()
    before = await written(world)
    refused = problem(await create(lead, lead), 403)
    assert "admin" in refused["detail"]
    assert await written(world) == before

    anonymous = world.client()
    assert (await create(anonymous, lead)).status_code == 401
    assert await written(world) == before


async def test_admin_creates_a_network_with_its_first_lead(world: World) -> None:
    admin = await world.admin()
    lead = await world.person()
    response = await create(
        admin,
        lead,
        slug="north-west-reading",
        name="  North West reading  ",
        kind="regional",
        region="north_west",
        visibility="members",
        join_policy="request",
        description="Reading leads across the North West.",
    )
    assert response.status_code == 201, response.text
    network = response.json()
    assert network["slug"] == "north-west-reading"
    assert network["name"] == "North West reading"
    assert network["kind"] == "regional"
    assert network["region"] == "north_west"
    assert network["visibility"] == "members"
    assert network["join_policy"] == "request"
    assert network["member_count"] == 1
    assert network["description"] == "Reading leads across the North West."

    detail = await lead.get("/networks/north-west-reading")
    assert detail.status_code == 200, detail.text
    assert detail.json()["membership"]["role"] == "lead"
    assert detail.json()["membership"]["state"] == "active"
    members = (await lead.get("/networks/north-west-reading/members")).json()
    assert [(m["person"]["id"], m["role"], m["state"]) for m in members] == [(lead.id, "lead", "active")]

    # the admin's act is in the network's log, and the lead is told
    assert await world.count("events", "kind = 'network.created'") == 1
    assert await world.count("events", "kind = 'member.joined'") == 1
    assert await world.count("notifications", f"person_id = {lead.id} AND kind = 'role.changed'") == 1
    assert await world.count("charter_versions") == 1


async def test_lead_email_is_matched_whatever_its_case(world: World) -> None:
    admin = await world.admin()
    lead = await world.person()
    response = await create(admin, lead, lead_email=lead.person["email"].upper())
    assert response.status_code == 201, response.text
    slug = response.json()["slug"]
    assert (await lead.get(f"/networks/{slug}")).json()["membership"]["role"] == "lead"


async def test_refused_networks_write_nothing(world: World) -> None:
    admin = await world.admin()
    lead = await world.person()
    regulator = await world.person(kind=OrgKind.REGULATOR)
    government = await world.person(kind=OrgKind.GOVERNMENT)
    taken = await create(admin, lead, slug="attendance")
    assert taken.status_code == 201
    before = await written(world)

    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"slug": "attendance"}, 409, "slug"),
        ({"slug": "Attendance"}, 400, "slug"),
        ({"slug": "ATTENDANCE"}, 400, "slug"),
        ({"slug": "attendance_2"}, 400, "slug"),
        ({"slug": "has space"}, 400, "slug"),
        ({"slug": "-leading"}, 400, "slug"),
        ({"slug": "a"}, 400, "slug"),
        ({"slug": "x" * 65}, 400, "slug"),
        ({"slug": "caf\u00e9"}, 400, "slug"),
        ({"kind": "county"}, 400, "kind"),
        ({"visibility": "secret"}, 400, "visibility"),
        ({"join_policy": "anyone"}, 400, "join_policy"),
        ({"kind": "regional"}, 422, "region"),
        ({"kind": "regional", "region": "wessex"}, 400, "region"),
        ({"kind": "regional", "region": None}, 422, "region"),
        ({"kind": "thematic", "region": "london"}, 422, "region"),
        ({"lead_email": "nobody@example.org"}, 422, "lead_email"),
        ({"lead_email": "not-an-email"}, 400, "lead_email"),
        ({"lead_email": regulator.person["email"]}, 422, "lead_email"),
        ({"lead_email": government.person["email"]}, 422, "lead_email"),
        ({"name": ""}, 400, "name"),
        ({"name": "   "}, 422, "name"),
        ({"name": "n" * 121}, 400, "name"),
        ({"description": "d" * 2001}, 400, "description"),
        ({"charter": "No numbered clauses at all."}, 422, "body"),
        ({"owner": "someone"}, 400, "owner"),
    ]
    for fields, status, field in cases:
        body = problem(await create(admin, lead, **fields), status)
        assert field in (body.get("errors") or {}) or field in body["detail"], (fields, body)
    for missing in ("slug", "name", "kind", "visibility", "join_policy", "lead_email"):
        full = {
            "slug": unique("net-"),
            "name": "Missing field",
            "kind": "thematic",
            "visibility": "public",
            "join_policy": "open",
            "lead_email": lead.person["email"],
        }
        del full[missing]
        body = problem(await admin.post("/networks", json=full), 400)
        assert missing in body["detail"], body
    problem(await admin.post("/networks", content=b"{not json", headers={"content-type": "application/json"}), 400)
    assert await written(world) == before


async def test_a_network_you_may_not_read_is_not_found(world: World) -> None:
    lead = await world.person()
    public = await world.network(lead)
    members = await world.network(lead, visibility="members")
    hidden = await world.network(lead, visibility="hidden")
    outsider = await world.person()
    anonymous = world.client()

    unknown = problem(await outsider.get("/networks/no-such-network"), 404)
    for slug in (members, hidden):
        body = problem(await outsider.get(f"/networks/{slug}"), 404)
        assert body["detail"] == unknown["detail"].replace("no-such-network", slug)

    # anonymous visitors are told to sign in, except where that would confirm a hidden network exists
    anon_unknown = problem(await anonymous.get("/networks/no-such-network"), 404)
    anon_hidden = problem(await anonymous.get(f"/networks/{hidden}"), 404)
    assert anon_hidden["detail"] == anon_unknown["detail"].replace("no-such-network", hidden)
    assert "sign" in problem(await anonymous.get(f"/networks/{public}"), 404)["detail"]

    seen = await outsider.get(f"/networks/{public}")
    assert seen.status_code == 200
    assert seen.json()["membership"] is None
    assert seen.json()["member_count"] == 1
    assert (await lead.get(f"/networks/{hidden}")).status_code == 200


async def test_regulators_and_government_read_only_as_listed_observers(world: World) -> None:
    """docs/design.md §4.2: a person of a regulator or government organisation reads a network, public ones
    included, only as its listed observer; until a lead admits them it is not there for them."""
    lead = await world.person()
    slug = await world.network(lead)
    post = await world.practice(lead, slug, title="Shared openly")
    for kind in (OrgKind.REGULATOR, OrgKind.GOVERNMENT):
        person = await world.person(kind=kind)
        for path in (f"/networks/{slug}/posts", f"/posts/{post['id']}", f"/networks/{slug}/log"):
            problem(await person.get(path), 404)
        assert (await person.post(f"/networks/{slug}/join")).json()["state"] == "pending"
        problem(await person.get(f"/networks/{slug}/posts"), 404)  # asking is not being listed
        admitted = await lead.patch(f"/networks/{slug}/members/{person.id}", json={"state": "active"})
        assert admitted.status_code == 200, admitted.text
        listed = await person.get(f"/networks/{slug}/posts")
        assert listed.status_code == 200 and [p["id"] for p in listed.json()["items"]] == [post["id"]]
    observers = [m for m in (await lead.get(f"/networks/{slug}/members")).json() if m["role"] == "observer"]
    assert len(observers) == 2
