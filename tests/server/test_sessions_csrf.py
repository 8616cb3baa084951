"""CSRF for cookie-authenticated unsafe requests (cookie `csrftoken`, header `x-csrftoken`)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import PASSWORD, ApiClient, World, confirm_directly

CSRF_MESSAGE = "CSRF token missing or wrong"


def assert_csrf_refusal(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    problem = response.json()
    assert problem["status"] == 403
    assert CSRF_MESSAGE in problem["detail"]
    assert "x-csrftoken" in problem["detail"]


def email_of(client: ApiClient) -> str:
    assert client.person is not None
    return str(client.person["email"])


async def test_safe_methods_need_no_csrf_and_hand_out_the_cookie(world: World) -> None:
    person = await world.person()
    fresh = httpx.AsyncClient(base_url=world.server.url + "/api/v1")
    try:
        response = await fresh.get("/networks")
        assert response.status_code == 200
        assert fresh.cookies.get("csrftoken")
        assert (await fresh.head("/networks")).status_code in (200, 405)
    finally:
        await fresh.aclose()
    # a signed-in reader's GETs carry no header at all
    assert (await person.http.get("/me")).status_code == 200
    assert (await person.http.get("/tokens")).status_code == 200


@pytest.mark.parametrize("header", [None, "", "wrong", "forged.value"])
async def test_cookie_post_without_or_with_a_wrong_header_is_403_and_writes_nothing(
    world: World, header: str | None
) -> None:
    person = await world.person()
    headers = {} if header is None else {"x-csrftoken": header}
    response = await person.http.post("/tokens", json={"name": "csrf"}, headers=headers)
    assert_csrf_refusal(response)
    assert await world.count("api_tokens") == 0

    # another browser's valid token does not fit this browser's cookie
    other = await world.person()
    other_token = other.http.cookies["csrftoken"]
    assert other_token != person.http.cookies["csrftoken"]
    response = await person.http.post("/tokens", json={"name": "csrf"}, headers={"x-csrftoken": other_token})
    assert_csrf_refusal(response)
    assert await world.count("api_tokens") == 0

    # with the header copied from its own cookie it works
    ok = await person.http.post(
        "/tokens", json={"name": "csrf"}, headers={"x-csrftoken": person.http.cookies["csrftoken"]}
    )
    assert ok.status_code == 201, ok.text
    assert await world.count("api_tokens") == 1


async def test_csrf_guards_patch_put_and_delete(world: World) -> None:
    author = await world.person()
    slug = await world.network(author)
    post = await world.practice(author, slug, title="Original title")
    token = (await author.post("/tokens", json={"name": "kept"})).json()

    patch = await author.http.patch(f"/posts/{post['id']}", json={"title": "Changed"})
    assert_csrf_refusal(patch)
    put = await author.http.put(f"/networks/{slug}/follow", json={"level": "all"})
    assert_csrf_refusal(put)
    delete = await author.http.delete(f"/tokens/{token['id']}", headers={"x-csrftoken": "nope"})
    assert_csrf_refusal(delete)

    assert (await author.get(f"/posts/{post['id']}")).json()["title"] == "Original title"
    assert await world.count("post_revisions") == 0
    assert await world.count("api_tokens", "revoked_at IS NULL") == 1

    ok = await author.patch(f"/posts/{post['id']}", json={"title": "Changed"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["title"] == "Changed"
    assert (await author.delete(f"/tokens/{token['id']}")).status_code == 204


async def test_a_forged_cookie_and_header_pair_is_refused(world: World) -> None:
    """The token is signed with the server's secret, so matching a made-up cookie is not enough."""
    person = await world.person()
    person.http.cookies.set("csrftoken", "made-up", domain="127.0.0.1", path="/")
    response = await person.http.post("/tokens", json={"name": "x"}, headers={"x-csrftoken": "made-up"})
    assert_csrf_refusal(response)
    assert await world.count("api_tokens") == 0


async def test_sign_in_and_register_need_the_csrf_header_too(world: World) -> None:
    """Login CSRF (signing a victim into the attacker's account) is refused like any other."""
    person = await world.person()
    c = world.client()
    await c.get("/networks")
    login = await c.http.post("/auth/login", json={"email": email_of(person), "password": PASSWORD})
    assert_csrf_refusal(login)
    assert (await c.get("/me")).status_code == 401

    body: dict[str, Any] = {
        "email": "csrf-victim@example.org",
        "password": PASSWORD,
        "display_name": "Victim",
        "organisation": {"name": "Csrf Trust", "kind": "federation"},
    }
    register = await c.http.post("/auth/register", json=body)
    assert_csrf_refusal(register)
    assert await world.count("people", "email = 'csrf-victim@example.org'") == 0
    assert await world.count("organisations", "name = 'Csrf Trust'") == 0


async def test_bearer_requests_need_no_csrf(world: World) -> None:
    person = await world.person()
    token = (await person.post("/tokens", json={"name": "script"})).json()["token"]
    async with httpx.AsyncClient(base_url=world.server.url + "/api/v1") as script:
        response = await script.post(
            "/tokens", json={"name": "made by script"}, headers={"authorization": f"Bearer {token}"}
        )
    assert response.status_code == 201, response.text
    assert await world.count("api_tokens") == 2


async def test_an_authorization_header_that_is_not_a_bearer_token_does_not_skip_csrf(world: World) -> None:
    """Only a request authenticated by its token skips CSRF; the session cookie never rides along."""
    person = await world.person()
    basic = await person.http.post("/tokens", json={"name": "x"}, headers={"authorization": "Basic dXNlcjpwYXNz"})
    assert_csrf_refusal(basic)
    empty = await person.http.post("/tokens", json={"name": "x"}, headers={"authorization": "Bearer"})
    assert_csrf_refusal(empty)
    # two Authorization headers: the first decides, for the CSRF check and for who is asking alike
    two = [("authorization", "Basic dXNlcjpwYXNz"), ("authorization", "Bearer ic_whatever")]
    smuggled = await person.http.post("/tokens", json={"name": "x"}, headers=two)
    assert_csrf_refusal(smuggled)
    reversed_pair = await person.http.post("/tokens", json={"name": "x"}, headers=list(reversed(two)))
    assert reversed_pair.status_code == 401, reversed_pair.text
    assert await world.count("api_tokens") == 0


async def test_anonymous_readers_get_no_session(world: World) -> None:
    """No session is stored for a reader who has not signed in, and a made-up id is not adopted."""
    async with httpx.AsyncClient(base_url=world.server.url + "/api/v1") as reader:
        response = await reader.get("/networks")
        assert response.status_code == 200
        assert "commons_session" not in reader.cookies
        planted = await reader.get("/networks", headers={"cookie": "commons_session=" + "b" * 64})
        assert planted.status_code == 200
        # the browser is told to drop the unknown id at once
        [set_cookie] = [v for v in planted.headers.get_list("set-cookie") if v.startswith("commons_session=")]
        assert "Max-Age=0" in set_cookie


async def test_session_cookie_is_httponly_and_samesite(world: World) -> None:
    person = world.client()
    await person.get("/networks")
    response = await person.post(
        "/auth/register",
        json={
            "email": "cookie@example.org",
            "password": PASSWORD,
            "display_name": "Cookie",
            "organisation": {"name": "Cookie Trust", "kind": "federation"},
        },
    )
    assert response.status_code == 202
    assert "commons_session" not in response.headers.get("set-cookie", "")  # no session before confirmation
    await confirm_directly(world.db, "cookie@example.org")
    response = await person.post("/auth/login", json={"email": "cookie@example.org", "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("commons_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
