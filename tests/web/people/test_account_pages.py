"""The account page: name, password, signing out everywhere else, API tokens, one's networks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from network.models import ApiToken, Person
from tests.conftest import PASSWORD, World
from tests.web.people.test_auth_pages import FormClient, field_error


async def signed_in(world: World, email: str) -> FormClient:
    client = FormClient(world.server.url)
    response = await client.submit("/signin", {"email": email, "password": PASSWORD}, page="/signin")
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
async def clients() -> AsyncIterator[list[FormClient]]:
    made: list[FormClient] = []
    yield made
    for client in made:
        await client.aclose()


async def test_signed_out_visitors_sign_in_first(world: World) -> None:
    client = FormClient(world.server.url)
    try:
        response = await client.http.get("/account")
        assert response.status_code == 303
        assert response.headers["location"] == "/signin?next=/account"
    finally:
        await client.aclose()


async def test_the_page_shows_who_one_is_and_the_networks_one_is_in(world: World, clients: list[FormClient]) -> None:
    lead = await world.person(org="Fenwick Vale Trust")
    slug = await world.network(lead)
    assert lead.person
    browser = await signed_in(world, lead.person["email"])
    clients.append(browser)
    page = (await browser.get("/account")).text
    assert lead.person["email"] in page
    assert "Fenwick Vale Trust" in page
    assert f'href="/networks/{slug}"' in page
    assert "lead" in page


async def test_a_name_is_changed_and_a_bad_one_is_shown_with_what_was_typed(
    world: World, clients: list[FormClient]
) -> None:
    person = await world.person()
    assert person.person
    browser = await signed_in(world, person.person["email"])
    clients.append(browser)
    await browser.get("/account")
    changed = await browser.submit("/account/name", {"display_name": "  Ngozi   Okafor "})
    assert changed.status_code == 303
    assert "Your name is changed." in (await browser.get(changed.headers["location"])).text
    assert (await browser.me()).json()["display_name"] == "Ngozi Okafor"

    too_long = "N" * 121
    refused = await browser.submit("/account/name", {"display_name": too_long})
    assert refused.status_code == 422
    assert "120 characters" in field_error(refused.text, "display_name")
    assert f'value="{too_long}"' in refused.text
    assert (await browser.me()).json()["display_name"] == "Ngozi Okafor"


async def test_a_password_change_needs_the_current_one_and_signs_out_everywhere_else(
    world: World, clients: list[FormClient]
) -> None:
    person = await world.person()
    assert person.person
    email = person.person["email"]
    laptop = await signed_in(world, email)
    phone = await signed_in(world, email)
    clients.extend([laptop, phone])
    async with world.db() as session:
        before = await session.scalar(select(Person.password_hash).where(Person.email == email))

    await phone.get("/account")
    wrong = await phone.submit(
        "/account/password", {"current_password": "not it at all", "new_password": "a new long passphrase"}
    )
    assert wrong.status_code == 422
    assert "current password is not right" in field_error(wrong.text, "current_password")
    assert "not it at all" not in wrong.text  # a password is never written back into the page
    weak = await phone.submit("/account/password", {"current_password": PASSWORD, "new_password": "password123"})
    assert weak.status_code == 422
    field_error(weak.text, "new_password")
    async with world.db() as session:
        assert await session.scalar(select(Person.password_hash).where(Person.email == email)) == before
    assert (await laptop.me()).status_code == 200  # nothing ended for a refused change

    done = await phone.submit(
        "/account/password", {"current_password": PASSWORD, "new_password": "a new long passphrase"}
    )
    assert done.status_code == 303
    assert (await phone.me()).status_code == 200  # this session goes on
    assert (await laptop.me()).status_code == 401  # the other has ended
    old = world.client()
    assert (await old.post("/auth/login", json={"email": email, "password": PASSWORD})).status_code == 401
    new = world.client()
    assert (
        await new.post("/auth/login", json={"email": email, "password": "a new long passphrase"})
    ).status_code == 200


async def test_sign_out_everywhere_else_from_the_page(world: World, clients: list[FormClient]) -> None:
    person = await world.person()
    assert person.person
    laptop = await signed_in(world, person.person["email"])
    phone = await signed_in(world, person.person["email"])
    clients.extend([laptop, phone])
    await phone.get("/account")
    response = await phone.submit("/account/sessions/end-others", {})
    assert response.status_code == 303
    assert "signed out everywhere else" in (await phone.get(response.headers["location"])).text
    assert (await phone.me()).status_code == 200
    assert (await laptop.me()).status_code == 401


async def test_a_token_is_shown_once_works_and_is_revoked(world: World, clients: list[FormClient]) -> None:
    person = await world.person()
    assert person.person
    browser = await signed_in(world, person.person["email"])
    clients.append(browser)
    await browser.get("/account")
    unnamed = await browser.submit("/account/tokens", {"name": "   "})
    assert unnamed.status_code == 422
    field_error(unnamed.text, "token_name")
    created = await browser.submit("/account/tokens", {"name": "Trust dashboard"})
    assert created.status_code == 201
    start = created.text.index('<code id="new-token">') + len('<code id="new-token">')
    raw = created.text[start : created.text.index("</code>", start)]
    api = world.client()
    assert (await api.get("/me", headers={"Authorization": f"Bearer {raw}"})).status_code == 200
    listed = (await browser.get("/account")).text
    assert "Trust dashboard" in listed
    assert raw not in listed  # shown once
    async with world.db() as session:
        token_id = await session.scalar(select(ApiToken.id).where(ApiToken.name == "Trust dashboard"))
    other = await world.person()
    assert other.person
    stranger = await signed_in(world, other.person["email"])
    clients.append(stranger)
    await stranger.get("/account")
    assert (await stranger.submit(f"/account/tokens/{token_id}/revoke", {})).status_code == 404
    assert (await api.get("/me", headers={"Authorization": f"Bearer {raw}"})).status_code == 200
    revoked = await browser.submit(f"/account/tokens/{token_id}/revoke", {})
    assert revoked.status_code == 303
    assert (await api.get("/me", headers={"Authorization": f"Bearer {raw}"})).status_code == 401


async def test_the_page_lists_where_one_is_signed_in_and_ends_one(world: World, clients: list[FormClient]) -> None:
    person = await world.person()
    assert person.person
    laptop = await signed_in(world, person.person["email"])
    phone = FormClient(world.server.url)
    phone.http.headers["user-agent"] = "Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile Safari/537.36"
    clients.extend([laptop, phone])
    response = await phone.submit("/signin", {"email": person.person["email"], "password": PASSWORD}, page="/signin")
    assert response.status_code == 303
    page = (await laptop.get("/account")).text
    assert "Chrome on Android" in page and "127.0.0.x" in page
    assert page.count("This session") == 1
    listed = (await laptop.http.get("/api/v1/me/sessions")).json()
    android = next(s for s in listed if s["device"] == "Chrome on Android")

    ended = await laptop.submit(f"/account/sessions/{android['id']}/end", {})
    assert ended.status_code == 303
    assert "That session is ended" in (await laptop.get(ended.headers["location"])).text
    assert (await phone.me()).status_code == 401
    assert (await laptop.me()).status_code == 200
    missing = await laptop.submit(f"/account/sessions/{android['id']}/end", {})
    assert missing.status_code == 404
    assert "No such session" in missing.text

    # ending this very session signs it out
    own = next(s for s in (await laptop.http.get("/api/v1/me/sessions")).json() if s["current"])
    assert (await laptop.submit(f"/account/sessions/{own['id']}/end", {})).status_code == 303
    assert (await laptop.me()).status_code == 401


async def test_deleting_the_account_from_the_page(world: World, clients: list[FormClient]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    person = await world.member(slug, org="Wensum Valley Trust")
    assert person.person and lead.person
    email = person.person["email"]
    browser = await signed_in(world, email)
    other = await signed_in(world, email)
    clients.extend([browser, other])
    practice = await world.practice(person, slug, title="Maths mastery")
    page = (await browser.get("/account")).text
    assert 'action="/account/delete"' in page and "Remove my posts and replies too" in page

    wrong = await browser.submit("/account/delete", {"password": "not it at all", "remove_content": "yes"})
    assert wrong.status_code == 422
    assert "password is not right" in field_error(wrong.text, "delete_password")
    assert "not it at all" not in wrong.text
    assert 'id="remove_content" name="remove_content" value="yes" checked' in wrong.text
    assert (await browser.me()).status_code == 200
    async with world.db() as session:
        assert await session.scalar(select(Person.deleted_at).where(Person.id == person.id)) is None

    lead_browser = await signed_in(world, lead.person["email"])
    clients.append(lead_browser)
    await lead_browser.get("/account")
    refused = await lead_browser.submit("/account/delete", {"password": PASSWORD})
    assert refused.status_code == 409
    assert "last lead" in refused.text
    assert (await lead_browser.me()).status_code == 200

    done = await browser.submit("/account/delete", {"password": PASSWORD})
    assert done.status_code == 303
    assert done.headers["location"] == "/?goodbye=1"
    goodbye = await browser.get(done.headers["location"])
    assert "Your account is deleted" in goodbye.text
    assert (await browser.me()).status_code == 401
    assert (await other.me()).status_code == 401
    post = (await lead.get(f"/posts/{practice['id']}")).json()
    assert post["author"]["display_name"] == "A former member of Wensum Valley Trust"
    shown = (await lead_browser.get(f"/posts/{practice['id']}")).text
    assert "A former member of Wensum Valley Trust</a>" in shown
    assert shown.count("Wensum Valley Trust") == 1  # the organisation is named once, not again after the label
    assert f'href="/people/{person.id}"' not in shown  # no page of a person who is gone
