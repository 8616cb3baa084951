"""Ending sessions: a disabled account's sessions end for good, and "sign out everywhere else"."""

from __future__ import annotations

from sqlalchemy import select

from network.models import Person
from tests.conftest import PASSWORD, ApiClient, World, problem
from tests.live.client import WsClient, token_for


async def signed_in_again(world: World, email: str) -> ApiClient:
    c = world.client()
    response = await c.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    c.person = response.json()
    return c


async def is_active(world: World, person_id: int) -> bool:
    async with world.db() as session:
        return bool(await session.scalar(select(Person.is_active).where(Person.id == person_id)))


async def test_disabling_ends_sessions_and_enabling_brings_none_back(world: World) -> None:
    person = await world.person()
    admin = await world.admin()
    assert (await person.get("/me")).status_code == 200

    disabled = await admin.post(f"/admin/people/{person.id}/disable")
    assert disabled.status_code == 200, disabled.text
    assert not await is_active(world, person.id)
    problem(await person.get("/me"), 401)
    problem(await person.post("/auth/login", json={"email": person.person["email"], "password": PASSWORD}), 401)

    assert (await admin.post(f"/admin/people/{person.id}/enable")).status_code == 200
    assert await is_active(world, person.id)
    problem(await person.get("/me"), 401)  # the session from before stays ended
    again = await signed_in_again(world, person.person["email"])
    assert (await again.get("/me")).json()["id"] == person.id


async def test_only_platform_admins_disable_accounts_and_not_their_own(world: World) -> None:
    person = await world.person()
    other = await world.person()
    admin = await world.admin()
    problem(await other.post(f"/admin/people/{person.id}/disable"), 403)
    assert await is_active(world, person.id)
    assert (await person.get("/me")).status_code == 200  # nothing ended
    problem(await admin.post(f"/admin/people/{admin.id}/disable"), 409)
    assert await is_active(world, admin.id)
    problem(await admin.post("/admin/people/999999/disable"), 404)
    # disabling twice is what it was after the first time
    assert (await admin.post(f"/admin/people/{person.id}/disable")).status_code == 200
    assert (await admin.post(f"/admin/people/{person.id}/disable")).status_code == 200
    assert not await is_active(world, person.id)


async def test_sign_out_everywhere_else_keeps_this_session_and_the_tokens(world: World) -> None:
    laptop = await world.person()
    token = await token_for(laptop)
    phone = await signed_in_again(world, laptop.person["email"] if laptop.person else "")
    assert (await laptop.get("/me")).status_code == 200

    response = await phone.post("/me/sessions/end-others")
    assert response.status_code == 204, response.text
    problem(await laptop.get("/me"), 401)
    assert (await phone.get("/me")).json()["id"] == laptop.id
    # an API token is not a session: revoked one by one on its own
    with_token = await world.client().get("/me", headers={"Authorization": f"Bearer {token}"})
    assert with_token.status_code == 200
    # and the phone's session goes on ending others (its generation is the new one)
    assert (await phone.post("/me/sessions/end-others")).status_code == 204
    assert (await phone.get("/me")).status_code == 200


async def test_an_ended_sessions_socket_closes_and_cannot_come_back(world: World) -> None:
    laptop = await world.person()
    lead = await world.person()
    slug = await world.network(lead)
    phone = await signed_in_again(world, laptop.person["email"] if laptop.person else "")
    headers = {"Cookie": f"commons_session={laptop.http.cookies['commons_session']}"}
    ws = await WsClient.connect(world.server.url, additional_headers=headers, origin=world.server.url)
    assert (await ws.subscribe(slug))["type"] == "subscribed"
    assert (await phone.post("/me/sessions/end-others")).status_code == 204
    assert await ws.closed_code() == 4001
    again = await WsClient.connect(world.server.url, additional_headers=headers, origin=world.server.url)
    assert (await again.next("error"))["code"] == "unauthenticated"  # the old cookie signs no one in
    assert await again.closed_code() == 4001
    # the phone's own socket is welcome
    phone_headers = {"Cookie": f"commons_session={phone.http.cookies['commons_session']}"}
    own = await WsClient.connect(world.server.url, additional_headers=phone_headers, origin=world.server.url)
    try:
        assert (await own.subscribe(slug))["type"] == "subscribed"
    finally:
        await own.close()
