"""Organisations over HTTP: the directory shows what the register says of each; only platform admins add
organisations (of any kind) and change their verified domains; a refusal writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World, problem

DETAIL_KEYS = {
    "id",
    "name",
    "kind",
    "region",
    "status",
    "closed_on",
    "gias_group_uid",
    "gias_group_id",
    "companies_house_number",
    "ukprn",
    "domains",
}


def inspectorate(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Schools Inspection Office",
        "kind": "regulator",
        "region": "london",
        "domains": ["@Inspection.Example.gov.uk"],
    } | overrides


async def written(world: World) -> tuple[int, int]:
    return await world.count("organisations"), await world.count("organisation_domains")


async def test_a_platform_admin_adds_an_organisation_of_any_kind_and_the_directory_shows_it(world: World) -> None:
    admin = await world.admin()
    body = inspectorate(
        name="Fenmoor Learning Trust",
        kind="multi_academy_trust",
        region="north_east",
        gias_group_uid="7001",
        gias_group_id="TR7001",
        companies_house_number="09907001",
        ukprn="10007001",
        domains=["Fenmoor.example.org.uk", "@fenmoor.example.org.uk"],
    )
    created = await admin.post("/admin/organisations", json=body)
    assert created.status_code == 201, created.text
    org = created.json()
    assert set(org) == DETAIL_KEYS
    assert org["status"] == "open" and org["closed_on"] is None
    assert (org["gias_group_uid"], org["ukprn"], org["region"]) == ("7001", "10007001", "north_east")
    assert org["domains"] == ["fenmoor.example.org.uk"]

    regulator = await admin.post("/admin/organisations", json=inspectorate())
    assert regulator.status_code == 201, regulator.text
    assert regulator.json()["kind"] == "regulator"

    listed = (await world.client().get("/organisations", params={"q": "fenmoor"})).json()
    assert listed == [org]
    one = (await world.client().get(f"/organisations/{regulator.json()['id']}")).json()
    assert one["domains"] == ["inspection.example.gov.uk"]


async def test_only_a_platform_admin_adds_organisations(world: World) -> None:
    member = await world.person()
    before = await written(world)
    problem(await member.post("/admin/organisations", json=inspectorate()), 403, "platform admin")
    problem(await world.client().post("/admin/organisations", json=inspectorate()), 401)
    assert await written(world) == before


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"name": "Hill Trust"}, 409, "name"),  # taken, case aside
        ({"gias_group_uid": "7100"}, 409, "gias_group_uid"),  # another organisation's UID
        ({"domains": ["hill.example.org.uk"]}, 409, "domain"),  # another organisation's domain
        ({"domains": ["gmail.com"]}, 422, "domains"),
        ({"domains": ["not a domain"]}, 422, "domains"),
        ({"ukprn": "123"}, 400, "ukprn"),
        ({"kind": "castle"}, 400, "kind"),
    ],
)
async def test_a_refused_organisation_writes_nothing(
    world: World, overrides: dict[str, Any], status: int, field: str
) -> None:
    admin = await world.admin()
    hill = await admin.post(
        "/admin/organisations",
        json=inspectorate(name="HILL TRUST", kind="federation", gias_group_uid="7100", domains=["hill.example.org.uk"]),
    )
    assert hill.status_code == 201, hill.text
    before = await written(world)
    body = problem(await admin.post("/admin/organisations", json=inspectorate(**overrides)), status)
    assert field in str(body.get("errors", "")) + body["detail"], body
    if status == 409 and field == "domain":
        assert "HILL TRUST" in body["detail"]
    assert await written(world) == before


async def test_verified_domains_are_added_and_removed_by_platform_admins_only(world: World) -> None:
    admin = await world.admin()
    colleague = await world.person(org="Brook Federation")
    brook = colleague.person["organisation"]["id"] if colleague.person else 0
    other = (await admin.post("/admin/organisations", json=inspectorate())).json()

    added = await admin.post(f"/admin/organisations/{brook}/domains", json={"domain": "@Brook.Example.org.uk"})
    assert added.status_code == 201, added.text
    assert added.json()["domains"] == ["brook.example.org.uk"]

    before = await written(world)
    taken = await admin.post(f"/admin/organisations/{other['id']}/domains", json={"domain": "brook.example.org.uk"})
    problem(taken, 409, "Brook Federation")
    problem(await admin.post(f"/admin/organisations/{brook}/domains", json={"domain": "outlook.com"}), 422, "public")
    problem(await admin.post("/admin/organisations/999999/domains", json={"domain": "x.example.org"}), 404)
    problem(await colleague.post(f"/admin/organisations/{brook}/domains", json={"domain": "b.example.org"}), 403)
    problem(await colleague.delete(f"/admin/organisations/{brook}/domains/brook.example.org.uk"), 403)
    problem(await admin.delete(f"/admin/organisations/{other['id']}/domains/brook.example.org.uk"), 404)
    assert await written(world) == before

    removed = await admin.delete(f"/admin/organisations/{brook}/domains/BROOK.example.org.uk")
    assert removed.status_code == 204, removed.text
    assert await world.count("organisation_domains") == before[1] - 1
