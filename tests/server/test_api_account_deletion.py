"""Deleting one's account (DELETE /me) and the list of where one is signed in (GET /me/sessions)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import select, text

from network.models import Person
from tests.conftest import PASSWORD, ApiClient, World, problem
from tests.live.client import WsClient, token_for


async def delete_me(client: ApiClient, password: str = PASSWORD, **extra: Any) -> httpx.Response:
    body = {"password": password} | extra
    return await client.http.request("DELETE", "/me", json=body, headers=await client._csrf())


async def signed_in(world: World, email: str, agent: str = "") -> ApiClient:
    c = world.client()
    if agent:
        c.http.headers["user-agent"] = agent
    response = await c.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    c.person = response.json()
    return c


async def person_row(world: World, person_id: int) -> Person:
    async with world.db() as session:
        found = await session.scalar(select(Person).where(Person.id == person_id))
        assert found is not None
        return found


async def personal_rows(world: World, person_id: int) -> tuple[int, ...]:
    where = f"person_id = {person_id}"
    tables = ("api_tokens", "notifications", "memberships")
    return tuple([await world.count(t, where) for t in tables])


async def test_a_wrong_password_is_refused_and_nothing_changes(world: World) -> None:
    _, _, author = await world.two_members(practices=1)
    await token_for(author)
    before = await person_row(world, author.id)
    rows, events = await personal_rows(world, author.id), await world.count("events")

    problem(await delete_me(author, "not my password"), 422, "password")
    problem(await delete_me(author, ""), 400)
    after = await person_row(world, author.id)
    assert (after.email, after.display_name, after.password_hash, after.deleted_at, after.is_active) == (
        before.email,
        before.display_name,
        before.password_hash,
        None,
        True,
    )
    assert await personal_rows(world, author.id) == rows and await world.count("events") == events
    assert (await author.get("/me")).status_code == 200


async def test_deletion_signs_out_everywhere_and_keeps_posts_as_a_former_members(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    reader = await world.member(slug)
    author = await world.member(slug, org="Harbour Lights Trust", name="Ngozi Okafor")
    email = author.person["email"] if author.person else ""
    practice = await world.practice(author, slug, title="Reading buddies")
    reply = (await author.post(f"/posts/{practice['id']}/replies", json={"body": "An update."})).json()
    request = await world.request(reader, slug)
    offer = await author.post(f"/posts/{request['id']}/offers", json={"message": "We can visit."})
    assert offer.status_code == 201, offer.text
    token = await token_for(author)
    phone = await signed_in(world, email)
    headers = {"Cookie": f"commons_session={phone.http.cookies['commons_session']}"}
    ws = await WsClient.connect(world.server.url, additional_headers=headers, origin=world.server.url)
    assert (await ws.subscribe(slug))["type"] == "subscribed"

    response = await delete_me(author)
    assert response.status_code == 204, response.text
    assert "commons_session=" in response.headers.get("set-cookie", "")
    problem(await author.get("/me"), 401)
    problem(await phone.get("/me"), 401)
    assert await ws.closed_code(skip_messages=True) == 4001
    problem(await world.client().get("/me", headers={"Authorization": f"Bearer {token}"}), 401)
    problem(await world.client().post("/auth/login", json={"email": email, "password": PASSWORD}), 401)

    former = "A former member of Harbour Lights Trust"
    shown = (await reader.get(f"/posts/{practice['id']}")).json()
    assert shown["author"]["display_name"] == former and shown["state"] == "visible"
    feed = (await reader.get(f"/networks/{slug}/posts")).json()["items"]
    assert [p["author"]["display_name"] for p in feed if p["id"] == practice["id"]] == [former]
    replies = (await reader.get(f"/posts/{practice['id']}/replies")).json()["items"]
    assert [r["author"]["display_name"] for r in replies if r["id"] == reply["id"]] == [former]
    offers = (await reader.get(f"/posts/{request['id']}/offers")).json()
    assert offers[0]["organisation"]["name"] == "Harbour Lights Trust"
    assert offers[0]["author"]["display_name"] == former
    members = (await lead.get(f"/networks/{slug}/members")).json()
    assert author.id not in [m["person"]["id"] for m in members]

    row = await person_row(world, author.id)
    assert row.deleted_at is not None and not row.is_active
    assert row.email.endswith("@invalid") and row.display_name == "A former member"
    assert await personal_rows(world, author.id) == (0, 0, 0)
    async with world.db() as session:
        payloads = (await session.execute(text("SELECT payload FROM events"))).scalars().all()
    assert not any("Ngozi Okafor" in (p if isinstance(p, str) else json.dumps(p)) for p in payloads)

    # the address is free to register again: a new account, not the old one
    again = await world.client().post(
        "/auth/register",
        json={
            "email": email,
            "password": PASSWORD,
            "display_name": "Ngozi Okafor",
            "organisation": {"name": "Harbour Lights Trust", "kind": "multi_academy_trust"},
        },
    )
    assert again.status_code == 202, again.text
    assert await world.count("people", f"email = '{email.lower()}' AND id <> {author.id}") == 1


async def test_removing_content_too_takes_posts_and_replies_out_of_view(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    reader = await world.member(slug)
    author = await world.member(slug)
    practice = await world.practice(author, slug)
    other = await world.practice(reader, slug)
    reply = (await author.post(f"/posts/{other['id']}/replies", json={"body": "Ours too."})).json()
    headers = {"Cookie": f"commons_session={reader.http.cookies['commons_session']}"}
    ws = await WsClient.connect(world.server.url, additional_headers=headers, origin=world.server.url)
    try:
        assert (await ws.subscribe(slug))["type"] == "subscribed"
        assert (await delete_me(author, remove_content=True)).status_code == 204
        kinds = set()
        while not {"post.removed", "reply.removed"} <= kinds:
            kinds.add((await ws.next("event"))["kind"])
    finally:
        await ws.close()
    problem(await reader.get(f"/posts/{practice['id']}"), 404)
    feed = (await reader.get(f"/networks/{slug}/posts")).json()["items"]
    assert [p["id"] for p in feed] == [other["id"]]
    assert (await reader.get(f"/posts/{other['id']}/replies")).json()["items"] == []
    assert reply["id"]
    assert (await reader.get(f"/posts/{other['id']}")).json()["reply_count"] == 0


async def test_a_networks_last_lead_is_refused_until_another_is_named(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    rows = await personal_rows(world, lead.id)
    problem(await delete_me(lead), 409, "last lead", "another lead")
    assert (await lead.get("/me")).status_code == 200
    assert await personal_rows(world, lead.id) == rows
    assert (await person_row(world, lead.id)).deleted_at is None

    promoted = await lead.patch(f"/networks/{slug}/members/{member.id}", json={"role": "lead"})
    assert promoted.status_code == 200, promoted.text
    assert (await delete_me(lead)).status_code == 204
    problem(await lead.get("/me"), 401)

    # a platform admin sees the account existed, and cannot bring it back
    admin = await world.admin()
    problem(await admin.post(f"/admin/people/{lead.id}/enable"), 409, "deleted")
    assert not (await person_row(world, lead.id)).is_active


async def test_sessions_are_listed_and_one_can_be_ended(world: World) -> None:
    first = await world.person()
    email = first.person["email"] if first.person else ""
    laptop = await signed_in(world, email, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko Firefox/128.0")
    phone = await signed_in(
        world, email, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Mobile Safari/604.1"
    )
    assert (await laptop.get("/me")).status_code == 200

    listed = (await phone.get("/me/sessions")).json()
    devices = {s["device"]: s for s in listed}
    assert {"Firefox on Windows", "Safari on iOS"} <= set(devices)
    assert devices["Safari on iOS"]["current"] and not devices["Firefox on Windows"]["current"]
    assert devices["Firefox on Windows"]["address"] == "127.0.0.x"
    assert len(listed) == 3  # the sign-up's session too

    ended = await phone.post(f"/me/sessions/{devices['Firefox on Windows']['id']}/end")
    assert ended.status_code == 204, ended.text
    problem(await laptop.get("/me"), 401)
    assert (await phone.get("/me")).status_code == 200
    assert (await first.get("/me")).status_code == 200
    assert "Firefox on Windows" not in {s["device"] for s in (await phone.get("/me/sessions")).json()}
    problem(await phone.post(f"/me/sessions/{devices['Firefox on Windows']['id']}/end"), 404)

    # another person's session is not there to end
    stranger = await world.person()
    problem(await stranger.post(f"/me/sessions/{devices['Safari on iOS']['id']}/end"), 404)
    assert (await phone.get("/me")).status_code == 200

    # signing out everywhere else leaves only this session listed
    assert (await phone.post("/me/sessions/end-others")).status_code == 204
    assert [s["current"] for s in (await phone.get("/me/sessions")).json()] == [True]
    problem(await first.get("/me"), 401)
