"""Accounts over HTTP: register, sign in, sign out, /me, disabled accounts, password storage."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from network.enums import OrgKind
from tests.conftest import PASSWORD, ApiClient, World, confirm_directly, direct_account, problem, unique

SESSION_COOKIE = "commons_session"
ME_KEYS = {"id", "email", "display_name", "organisation", "is_admin", "affiliation", "affiliation_reason"}


def registration(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": unique("reg") + "@example.org",
        "password": PASSWORD,
        "display_name": "Ada Lovelace",
        "organisation": {"name": unique("Oakfield Trust "), "kind": "multi_academy_trust"},
    }
    body.update(overrides)
    return body


def session_id(client: ApiClient) -> str | None:
    value = client.http.cookies.get(SESSION_COOKIE)
    return value if value and value != "null" else None


def email_of(client: ApiClient) -> str:
    assert client.person is not None
    return str(client.person["email"])


async def me_with_session(world: World, sid: str) -> httpx.Response:
    """GET /me from a fresh client that only carries this session cookie (a replayed or stolen id)."""
    async with httpx.AsyncClient(base_url=world.server.url + "/api/v1") as raw:
        return await raw.get("/me", headers={"cookie": f"{SESSION_COOKIE}={sid}"})


async def written(world: World) -> tuple[int, int]:
    return await world.count("people"), await world.count("organisations")


# --- register -------------------------------------------------------------------------------------


async def test_register_creates_account_and_organisation_waiting_for_confirmation(world: World) -> None:
    c = world.client()
    body = registration(email="Ada.Lovelace@Example.ORG", display_name="  Ada   Lovelace ")
    body["organisation"] = {"name": "  Oakfield   Learning Trust ", "kind": "multi_academy_trust"}
    response = await c.post("/auth/register", json=body)
    assert response.status_code == 202, response.text
    assert response.json() == {
        "detail": "We have sent a link to ada.lovelace@example.org. "
        "Follow it to confirm your address and finish signing up."
    }
    assert session_id(c) is None, "nobody is signed in until the address is confirmed"
    assert (await c.get("/me")).status_code == 401
    assert await written(world) == (1, 1)
    await confirm_directly(world.db, "ada.lovelace@example.org")
    signed_in = await c.post("/auth/login", json={"email": "ada.lovelace@example.org", "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    me = signed_in.json()
    assert set(me) == ME_KEYS
    assert me["email"] == "ada.lovelace@example.org"
    assert me["display_name"] == "Ada Lovelace"
    assert me["is_admin"] is False
    assert (me["affiliation"], me["affiliation_reason"]) == ("waiting", None)  # until its approver says yes
    assert set(me["organisation"]) == {"id", "name", "kind"}
    assert me["organisation"]["name"] == "Oakfield Learning Trust"
    assert me["organisation"]["kind"] == "multi_academy_trust"
    assert (await c.get("/me")).json() == me


async def organisation_of(world: World, email: str) -> int:
    async with world.db() as session:
        found = await session.execute(text("SELECT organisation_id FROM people WHERE email = :e"), {"e": email})
        return int(found.scalar_one())


async def test_register_joins_existing_organisation_by_name_case_insensitively(world: World) -> None:
    first, second = (
        registration(organisation={"name": "Riverside Academies", "kind": "diocese"}),
        registration(organisation={"name": " RIVERSIDE  academies", "kind": "diocese"}),
    )
    assert (await world.client().post("/auth/register", json=first)).status_code == 202
    assert (await world.client().post("/auth/register", json=second)).status_code == 202
    assert await organisation_of(world, first["email"]) == await organisation_of(world, second["email"])
    assert await world.count("organisations", "name = 'Riverside Academies'") == 1
    assert await written(world) == (2, 1)

    # the same name with another kind is refused, not silently joined or duplicated
    clash = await world.client().post(
        "/auth/register", json=registration(organisation={"name": "riverside academies", "kind": "federation"})
    )
    assert clash.status_code == 409, clash.text
    assert "already registered" in clash.json()["detail"]
    assert "organisation.kind" in clash.json()["errors"]
    assert await written(world) == (2, 1)


@pytest.mark.parametrize(
    "organisation",
    [
        {"name": "Schools Inspection Office", "kind": "regulator"},  # the existing one, by its kind
        {"name": "schools INSPECTION office", "kind": "multi_academy_trust"},  # the existing one, by name
        {"name": "A New Ministry of Schools", "kind": "government"},  # a new one
        {"name": "A New Inspectorate", "kind": "regulator"},
    ],
)
async def test_sign_up_neither_joins_nor_creates_a_regulator_or_government_organisation(
    world: World, organisation: dict[str, str]
) -> None:
    """docs/design.md §5: only a platform admin adds those organisations and makes their people's accounts."""
    await direct_account(world.db, "inspector", "Ines Pector", "Schools Inspection Office", OrgKind.REGULATOR)
    before = await written(world)
    response = await world.client().post("/auth/register", json=registration(organisation=organisation))
    field = "organisation.kind" if organisation["kind"] in {"regulator", "government"} else "organisation.name"
    body = problem(response, 422, "platform admin")
    assert set(body["errors"]) == {field}, body
    assert await written(world) == before


async def test_register_with_a_registered_email_in_any_case_answers_alike_and_makes_nothing(world: World) -> None:
    """The answer does not tell who has an account (docs/design.md §3.8); the owner is mailed instead
    (tests/server/test_api_email_confirmation.py reads that mail)."""
    body = registration(email="grace@example.org")
    first = await world.client().post("/auth/register", json=body)
    assert first.status_code == 202
    for email in ("grace@example.org", "GRACE@Example.Org", "grace@EXAMPLE.org"):
        again = registration(email=email, organisation={"name": "A Different Trust", "kind": "federation"})
        c = world.client()
        response = await c.post("/auth/register", json=again)
        assert response.status_code == 202, response.text
        assert response.json() == first.json()
        assert session_id(c) is None
    # nothing written: neither a second person nor the would-be new organisation
    assert await written(world) == (1, 1)


def _without(key: str) -> dict[str, Any]:
    body = registration()
    del body[key]
    return body


BAD_REGISTRATIONS: dict[str, tuple[Any, int, str]] = {
    "short password": (registration(password="short1234"), 400, "password"),
    "over-long password": (registration(password="x" * 201), 400, "password"),
    "common password": (registration(password="password123"), 422, "password"),
    "password of one repeated character": (registration(password="a" * 12), 422, "password"),
    "password that is the email": (
        registration(email="ada.l@example.org", password="Ada.L@example.org"),
        422,
        "password",
    ),
    "email without @": (registration(email="not-an-email"), 400, "email"),
    "email without domain dot": (registration(email="ada@localhost"), 400, "email"),
    "email with a space": (registration(email="ada lovelace@example.org"), 400, "email"),
    "email padded with spaces": (registration(email=" ada@example.org "), 400, "email"),
    "over-long email": (registration(email="a" * 250 + "@example.org"), 400, "email"),
    "empty display name": (registration(display_name=""), 400, "display_name"),
    "blank display name": (registration(display_name="    "), 422, "display_name"),
    "over-long display name": (registration(display_name="x" * 121), 400, "display_name"),
    "unknown organisation kind": (registration(organisation={"name": "Some Trust", "kind": "academy"}), 400, "kind"),
    "over-long organisation name": (
        registration(organisation={"name": "x" * 201, "kind": "federation"}),
        400,
        "organisation",
    ),
    "blank organisation name": (registration(organisation={"name": "  a  ", "kind": "federation"}), 422, "name"),
    "email of wrong type": (registration(email=12345), 400, "email"),
    "password null": (registration(password=None), 400, "password"),
    "organisation as a string": (registration(organisation="Oakfield Trust"), 400, "organisation"),
    "display name as a list": (registration(display_name=["Ada"]), 400, "display_name"),
    "missing email": (_without("email"), 400, "email"),
    "missing password": (_without("password"), 400, "password"),
    "missing organisation": (_without("organisation"), 400, "organisation"),
    "organisation without kind": (registration(organisation={"name": "Some Trust"}), 400, "kind"),
    # unknown fields are refused, so nobody can slip in `is_admin` or an organisation id
    "unknown field is_admin": (registration(is_admin=True), 400, "is_admin"),
    "unknown organisation field": (
        registration(organisation={"name": "Some Trust", "kind": "federation", "id": 1}),
        400,
        "id",
    ),
    "body is a list": ([registration()], 400, "Expected `object`"),
}


@pytest.mark.parametrize("case", list(BAD_REGISTRATIONS))
async def test_register_refuses_bad_input_and_writes_nothing(world: World, case: str) -> None:
    body, status, mentions = BAD_REGISTRATIONS[case]
    c = world.client()
    response = await c.post("/auth/register", json=body)
    assert response.status_code == status, response.text
    problem = response.json()
    assert problem["status"] == status
    assert mentions in problem["detail"] + str(problem.get("errors", "")), problem
    assert session_id(c) is None
    assert await written(world) == (0, 0)


async def test_register_refuses_a_body_that_is_not_json(world: World) -> None:
    c = world.client()
    response = await c.post(
        "/auth/register", content=b"email=a@b.org&password=x", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["detail"]
    assert await written(world) == (0, 0)


async def test_password_is_stored_as_argon2id_never_in_clear(world: World) -> None:
    person = await world.person()
    async with world.db() as session:
        stored = (
            await session.execute(text("SELECT password_hash FROM people WHERE id = :id"), {"id": person.id})
        ).scalar_one()
    assert stored.startswith("$argon2id$v=19$"), stored
    assert PASSWORD not in stored


# --- sign in, /me, sign out -----------------------------------------------------------------------


async def test_me_is_401_for_anonymous_readers(world: World) -> None:
    response = await world.client().get("/me")
    assert response.status_code == 401
    assert "Sign in" in response.json()["detail"]


async def test_login_sets_a_session_and_me_shows_the_account(world: World) -> None:
    person = await world.person(name="Mary Somerville")
    c = world.client()
    response = await c.post("/auth/login", json={"email": email_of(person).upper(), "password": PASSWORD})
    assert response.status_code == 200, response.text
    me = response.json()
    assert set(me) == ME_KEYS
    assert me["id"] == person.id and me["display_name"] == "Mary Somerville"
    assert session_id(c)
    set_cookie = response.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie
    assert (await c.get("/me")).json() == me


async def test_wrong_password_and_unknown_email_get_the_same_401(world: World) -> None:
    person = await world.person()
    c = world.client()
    wrong = await c.post("/auth/login", json={"email": email_of(person), "password": "not the password"})
    unknown = await c.post("/auth/login", json={"email": "nobody@example.org", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert "Email or password is wrong" in wrong.json()["detail"]
    assert session_id(c) is None
    assert (await c.get("/me")).status_code == 401


@pytest.mark.parametrize(
    "body",
    [{"email": "a@example.org"}, {"email": "a@example.org", "password": ""}, {"email": 1, "password": "x"}, {}],
)
async def test_login_refuses_malformed_bodies(world: World, body: dict[str, Any]) -> None:
    response = await world.client().post("/auth/login", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith("The request is not valid")


async def test_the_session_id_changes_at_sign_in(world: World) -> None:
    victim = await world.person()
    attacker = await world.person()
    attacker_sid = session_id(attacker)
    assert attacker_sid

    # an id planted in the victim's browser (here, one of the attacker's own) does not survive sign-in
    c = world.client()
    await c.get("/networks")
    c.http.cookies.set(SESSION_COOKIE, attacker_sid, domain="127.0.0.1", path="/")
    response = await c.post("/auth/login", json={"email": email_of(victim), "password": PASSWORD})
    assert response.status_code == 200, response.text
    new_sid = session_id(c)
    assert new_sid and new_sid != attacker_sid
    assert (await c.get("/me")).json()["id"] == victim.id
    # the planted id was discarded: it is nobody's session now, certainly not the victim's
    assert (await me_with_session(world, attacker_sid)).status_code == 401

    # a made-up id is not adopted either
    c2 = world.client()
    await c2.get("/networks")
    c2.http.cookies.set(SESSION_COOKIE, "a" * 64, domain="127.0.0.1", path="/")
    response = await c2.post("/auth/login", json={"email": email_of(victim), "password": PASSWORD})
    assert response.status_code == 200
    assert session_id(c2) not in (None, "a" * 64)

    # signing in again from the same browser rotates the id again and ends the old one
    before = session_id(c)
    assert before
    again = await c.post("/auth/login", json={"email": email_of(victim), "password": PASSWORD})
    assert again.status_code == 200
    assert session_id(c) not in (None, before)
    assert (await me_with_session(world, before)).status_code == 401


async def test_logout_revokes_the_server_side_session(world: World) -> None:
    person = await world.person()
    sid = session_id(person)
    assert sid
    assert (await me_with_session(world, sid)).status_code == 200
    response = await person.post("/auth/logout")
    assert response.status_code == 204, response.text
    assert (await person.get("/me")).status_code == 401
    # replaying the cookie captured before sign-out gets nothing
    replay = await me_with_session(world, sid)
    assert replay.status_code == 401
    assert replay.json()["detail"]
    # signing out again, or while anonymous, is harmless
    assert (await person.post("/auth/logout")).status_code == 204


async def test_logout_needs_the_csrf_header(world: World) -> None:
    person = await world.person()
    response = await person.http.post("/auth/logout")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert (await person.get("/me")).status_code == 200


async def test_a_disabled_account_loses_its_session_tokens_and_sign_in(world: World) -> None:
    person = await world.person()
    token = (await person.post("/tokens", json={"name": "script"})).json()["token"]
    bearer = {"authorization": f"Bearer {token}"}
    sid = session_id(person)
    assert sid
    assert (await person.get("/me")).status_code == 200
    assert (await person.http.get("/me", headers=bearer)).status_code == 200

    async with world.db() as session:
        await session.execute(text("UPDATE people SET is_active = false WHERE id = :id"), {"id": person.id})
        await session.commit()

    assert (await me_with_session(world, sid)).status_code == 401
    assert (await person.get("/me")).status_code == 401
    token_response = await world.client().http.get("/me", headers=bearer)
    assert token_response.status_code == 401
    assert "not valid" in token_response.json()["detail"]
    # nor can the account write with its old session or token
    refused = await world.client().http.post("/tokens", json={"name": "again"}, headers=bearer)
    assert refused.status_code == 401
    assert await world.count("api_tokens") == 1
    # and signing in again fails with the usual message
    login = await world.client().post("/auth/login", json={"email": email_of(person), "password": PASSWORD})
    assert login.status_code == 401
    assert "Email or password is wrong" in login.json()["detail"]

    # re-enabling lets the person sign in again, but the old session stays ended
    async with world.db() as session:
        await session.execute(text("UPDATE people SET is_active = true WHERE id = :id"), {"id": person.id})
        await session.commit()
    assert (await me_with_session(world, sid)).status_code == 401
    login = await world.client().post("/auth/login", json={"email": email_of(person), "password": PASSWORD})
    assert login.status_code == 200
