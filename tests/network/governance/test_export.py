"""A network's export on a plain session: the leads' zip of JSON and CSV, without removed content or
members' email addresses, and refused to anyone else."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.access import Access, open_network
from network.errors import Forbidden
from network.governance import export
from network.models import Person
from tests.conftest import ApiClient, World

TABLES = ("posts", "replies", "offers", "members", "log", "charter_versions")


async def as_(session: AsyncSession, client: ApiClient, slug: str) -> Access:
    """What `client` may do in the network, as a service is handed it."""
    return await open_network(session, slug, await session.get(Person, client.id))


async def ok(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json())


async def decide(lead: ApiClient, slug: str, target_type: str, target_id: int, action: str) -> None:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": "Test"}
    await ok(await lead.post(f"/networks/{slug}/decisions", json=body))


def opened(archive: bytes) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], dict[str, list[dict[str, str]]]]:
    """README.json, each table as JSON and as CSV rows."""
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        assert sorted(z.namelist()) == sorted(
            ["README.json", *(f"{t}.json" for t in TABLES), *(f"{t}.csv" for t in TABLES)]
        )
        about = json.loads(z.read("README.json"))
        tables = {t: json.loads(z.read(f"{t}.json")) for t in TABLES}
        sheets = {t: list(csv.DictReader(io.StringIO(z.read(f"{t}.csv").decode()))) for t in TABLES}
        text = "".join(z.read(name).decode() for name in z.namelist())
    return about | {"_text": text}, tables, sheets


async def test_a_lead_exports_what_the_network_holds_but_removed_content_and_emails(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead)
    alice, bob = await world.member(slug, name="Alice Author"), await world.member(slug, name="Bob Replier")
    shown = await world.practice(alice, slug, title="Shown", themes=["phonics", "reading"])
    hidden = await world.practice(alice, slug, title="Hidden")
    removed = await world.practice(alice, slug, title="Removed: names a pupil")
    wanted = await world.request(bob, slug, title="Help wanted")
    kept_reply = await ok(await bob.post(f"/posts/{shown['id']}/replies", json={"body": "Kept reply"}))
    gone_reply = await ok(await bob.post(f"/posts/{shown['id']}/replies", json={"body": "Removed reply"}))
    await ok(await bob.post(f"/posts/{removed['id']}/replies", json={"body": "On a removed post"}))
    the_offer = await ok(await alice.post(f"/posts/{wanted['id']}/offers", json={"message": "We can help."}))
    await ok(await lead.put(f"/networks/{slug}/charter", json={"body": "1. Be kind.\n", "note": "Short"}), 200)
    await ok(await lead.patch(f"/networks/{slug}/settings", json={"premod_posts": 1}), 200)
    newcomer = await world.member(slug, name="Nia Newcomer")
    held = await world.practice(newcomer, slug, title="Held for a lead")
    assert held["state"] == "held"
    await decide(lead, slug, "post", hidden["id"], "hide")
    await decide(lead, slug, "post", removed["id"], "remove")
    await decide(lead, slug, "reply", gone_reply["id"], "remove")

    async with db() as session:
        archive = await export.build(session, await as_(session, lead, slug))
    about, tables, sheets = opened(archive)

    assert about["network"]["slug"] == slug and about["exported_by"] == "Lena Lead"
    assert about["files"] == {t: len(rows) for t, rows in tables.items()}
    assert "Removed" in about["left_out"] and "email" in about["left_out"]

    posts = {p["id"]: p for p in tables["posts"]}
    assert sorted(posts) == sorted([shown["id"], hidden["id"], wanted["id"], held["id"]])  # not the removed one
    assert (posts[hidden["id"]]["state"], posts[held["id"]]["state"]) == ("hidden", "held")
    assert posts[shown["id"]]["author"] == "Alice Author" and posts[shown["id"]]["themes"] == ["phonics", "reading"]
    assert [r["id"] for r in tables["replies"]] == [kept_reply["id"]]  # not removed, nor on a removed post
    (offered,) = tables["offers"]
    assert (offered["id"], offered["post_id"], offered["author"]) == (the_offer["id"], wanted["id"], "Alice Author")
    assert offered["organisation"] == alice.person["organisation"]["name"]  # type: ignore[index]
    members = {m["person_id"]: m for m in tables["members"]}
    assert set(members) == {lead.id, alice.id, bob.id, newcomer.id}
    assert members[lead.id]["role"] == "lead" and members[alice.id]["display_name"] == "Alice Author"
    assert [v["version"] for v in tables["charter_versions"]] == [1, 2]
    assert tables["charter_versions"][-1]["body"] == "1. Be kind.\n"
    actions = [e["action"] for e in tables["log"]]
    assert {"charter", "settings", "hide", "remove"} <= set(actions)
    assert {e["actor"] for e in tables["log"] if e["action"] == "hide"} == {"Lena Lead"}  # the network names its leads

    text = about["_text"]
    for person in (lead, alice, bob, newcomer):  # the platform holds addresses; the network does not hand them on
        assert person.person["email"] not in text  # type: ignore[index]
    assert "names a pupil" not in text and "On a removed post" not in text and "Removed reply" not in text

    # each CSV holds the same rows as its JSON, lists written as JSON
    for table, rows in tables.items():
        assert len(sheets[table]) == len(rows), table
    shown_row = next(r for r in sheets["posts"] if r["id"] == str(shown["id"]))
    assert json.loads(shown_row["themes"]) == ["phonics", "reading"] and shown_row["title"] == "Shown"
    assert set(sheets["posts"][0]) == set(tables["posts"][0])


async def test_a_log_that_does_not_name_leads_is_exported_so_and_empty_tables_keep_headers(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead)
    await ok(await lead.patch(f"/networks/{slug}/settings", json={"name_leads_in_log": False}), 200)
    async with db() as session:
        archive = await export.build(session, await as_(session, lead, slug))
    _, tables, _ = opened(archive)
    actors = {e["action"]: e["actor"] for e in tables["log"]}
    assert actors["settings"] == "A network lead"
    assert actors["set_role"].endswith("(platform admin)")  # the admin who made the network is always named
    assert tables["posts"] == tables["replies"] == tables["offers"] == []
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        for table in ("posts", "replies", "offers"):
            header, *rows = z.read(f"{table}.csv").decode().splitlines()
            assert "id" in header.split(",") and rows == [], table


async def test_only_a_lead_exports(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    observer = await world.observer(lead, slug)
    async with db() as session:
        for client in (member, observer):
            with pytest.raises(Forbidden) as refused:
                await export.build(session, await as_(session, client, slug))
            assert "lead" in refused.value.message
