"""A network's charter over HTTP: reading it, its history, and leads publishing new versions."""

from __future__ import annotations

from typing import Any

from network.enums import OrgKind
from tests.conftest import World, problem, unique

AMENDED = """Our network's rules, agreed at the spring meeting.

1. Share practice honestly, with the strength of its evidence.
2. No personal data about pupils,
   families or staff.
3. Answer requests in good faith.

Clauses are cited by number in the moderation log.
"""


async def written(world: World) -> tuple[int, int]:
    return await world.count("charter_versions"), await world.count("events")


async def test_members_read_the_charter_and_leads_amend_it(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members", join_policy="request")
    member = await world.person()
    await member.post(f"/networks/{slug}/join")
    await lead.patch(f"/networks/{slug}/members/{member.id}", json={"state": "active"})

    first = await member.get(f"/networks/{slug}/charter")
    assert first.status_code == 200, first.text
    charter = first.json()
    assert charter["version"] == 1
    assert charter["note"] == "First version"
    assert len(charter["clauses"]) == 6
    assert charter["body_html"].startswith("<p>")
    assert "<ol>" in charter["body_html"]

    amended = await lead.put(f"/networks/{slug}/charter", json={"body": AMENDED, "note": "  Spring review  "})
    assert amended.status_code == 200, amended.text
    version = amended.json()
    assert version["version"] == 2
    assert version["note"] == "Spring review"
    assert version["body"] == AMENDED
    assert version["clauses"] == [
        "Share practice honestly, with the strength of its evidence.",
        "No personal data about pupils, families or staff.",
        "Answer requests in good faith.",
    ]
    assert await world.count("events", "kind = 'charter.changed'") == 1

    current = (await member.get(f"/networks/{slug}/charter")).json()
    assert current["version"] == 2
    assert current["clauses"] == version["clauses"]
    history = await member.get(f"/networks/{slug}/charter/versions")
    assert history.status_code == 200, history.text
    assert [v["version"] for v in history.json()] == [2, 1]
    assert history.json()[1]["clauses"] == charter["clauses"]

    third = await lead.put(f"/networks/{slug}/charter", json={"body": AMENDED + "\n4. Be kind.\n"})
    assert third.json()["version"] == 3
    assert third.json()["clauses"][-1] == "Be kind."
    assert [v["version"] for v in (await lead.get(f"/networks/{slug}/charter/versions")).json()] == [3, 2, 1]
    assert await world.count("events", "kind = 'charter.changed'") == 2


async def test_who_may_read_the_charter(world: World) -> None:
    lead = await world.person()
    public = await world.network(lead)
    members_only = await world.network(lead, visibility="members")
    hidden = await world.network(lead, visibility="hidden")
    outsider = await world.person()

    # a public network's rules can be read before joining
    assert (await outsider.get(f"/networks/{public}/charter")).status_code == 200
    for slug in (members_only, hidden):
        for path in ("charter", "charter/versions"):
            body = problem(await outsider.get(f"/networks/{slug}/{path}"), 404)
            assert body["detail"] == f"No network '{slug}'."
    problem(await outsider.get("/networks/no-such-network/charter"), 404)
    assert (await world.client().get(f"/networks/{public}/charter")).status_code == 401


async def test_only_leads_amend_the_charter(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    observer = await world.person(kind=OrgKind.REGULATOR)
    await observer.post(f"/networks/{slug}/join")
    await lead.patch(f"/networks/{slug}/members/{observer.id}", json={"state": "active"})
    outsider = await world.person()
    hidden = await world.network(lead, visibility="hidden")
    before = await written(world)

    for person in (member, observer, outsider):
        body = problem(await person.put(f"/networks/{slug}/charter", json={"body": AMENDED}), 403)
        assert "lead" in body["detail"]
    problem(await outsider.put(f"/networks/{hidden}/charter", json={"body": AMENDED}), 404)
    assert (await world.client().put(f"/networks/{slug}/charter", json={"body": AMENDED})).status_code in (401, 403)
    assert await written(world) == before
    assert (await member.get(f"/networks/{slug}/charter")).json()["version"] == 1


async def test_refused_charters_write_nothing(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    current = (await lead.get(f"/networks/{slug}/charter")).json()
    before = await written(world)

    cases: list[tuple[dict[str, Any], int]] = [
        ({"body": ""}, 400),
        ({}, 400),
        ({"body": "   \n  "}, 422),
        ({"body": "Be nice. No numbered clauses here."}, 422),
        ({"body": "- a bullet\n- not a clause"}, 422),
        ({"body": "1. " + "x" * 20_000}, 400),
        ({"body": AMENDED, "note": "n" * 501}, 400),
        ({"body": AMENDED, "version": 7}, 400),
        ({"body": 12}, 400),
        ({"body": current["body"]}, 409),
    ]
    for change, status in cases:
        body = problem(await lead.put(f"/networks/{slug}/charter", json=change), status)
        assert (
            "body" in (body.get("errors") or {})
            or "body" in body["detail"]
            or "note" in body["detail"]
            or ("version" in body["detail"])
        ), (change, body)
    assert await written(world) == before
    assert (await lead.get(f"/networks/{slug}/charter")).json()["version"] == 1


async def test_a_network_can_start_with_its_own_charter(world: World) -> None:
    admin = await world.admin()
    lead = await world.person()
    slug = unique("net-")
    fields = {
        "slug": slug,
        "name": "Attendance",
        "kind": "national",
        "visibility": "public",
        "join_policy": "open",
        "lead_email": lead.person["email"],
    }
    created = await admin.post("/networks", json=fields | {"charter": AMENDED})
    assert created.status_code == 201, created.text
    charter = (await lead.get(f"/networks/{slug}/charter")).json()
    assert charter["version"] == 1
    assert len(charter["clauses"]) == 3

    # the markdown is stored as written and rendered sanitised
    script = "1. Be open <script>alert(1)</script> [link](javascript:alert(1))\n"
    amended = await lead.put(f"/networks/{slug}/charter", json={"body": script})
    assert amended.status_code == 200, amended.text
    assert amended.json()["body"] == script
    assert "<script" not in amended.json()["body_html"]
    assert 'href="javascript:' not in amended.json()["body_html"]
