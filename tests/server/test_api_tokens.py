"""Personal API tokens over HTTP: created once, stored hashed, accepted as a bearer, revocable."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from network import clock
from network.models import ApiToken
from network.people import accounts
from tests.conftest import ApiClient, World


async def new_token(owner: ApiClient, name: str = "my script") -> dict[str, Any]:
    response = await owner.post("/tokens", json={"name": name})
    assert response.status_code == 201, response.text
    return dict(response.json())


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def as_script(world: World, method: str, path: str, token: str, **kw: Any) -> httpx.Response:
    """A request with the token only: no cookies and no CSRF header, as a script would send it."""
    async with httpx.AsyncClient(base_url=world.server.url + "/api/v1") as raw:
        return await raw.request(method, path, headers=bearer(token) | kw.pop("headers", {}), **kw)


async def test_create_token_shows_it_once_and_lists_never_do(world: World) -> None:
    owner = await world.person()
    created = await new_token(owner, "  nightly export ")
    assert set(created) == {"id", "name", "token"}
    token = created["token"]
    assert token.startswith("ic_") and len(token) >= 40

    listed = await owner.get("/tokens")
    assert listed.status_code == 200
    assert token not in listed.text
    [item] = listed.json()
    assert item["id"] == created["id"]
    assert "token" not in item
    assert set(item) == {"id", "name", "prefix", "created_at", "last_used_at"}
    assert token.startswith(item["prefix"]) and len(item["prefix"]) < 16
    assert item["last_used_at"] is None

    # using it is recorded, still without showing it
    assert (await as_script(world, "GET", "/me", token)).status_code == 200
    [item] = (await owner.get("/tokens")).json()
    assert item["last_used_at"] is not None


async def test_concurrent_requests_with_one_token_all_succeed(world: World) -> None:
    # Each of them finds the token's last use stale; recording it must not fail any of them
    # (on SQLite a read transaction that then writes is refused when another wrote first).
    owner = await world.person()
    token = (await new_token(owner))["token"]
    for _ in range(3):
        responses = await asyncio.gather(*(as_script(world, "GET", "/me", token) for _ in range(16)))
        assert [r.status_code for r in responses] == [200] * 16, [r.text for r in responses if r.status_code != 200]
        async with world.db() as session:
            await session.execute(text("UPDATE api_tokens SET last_used_at = NULL"))
            await session.commit()
    assert (await as_script(world, "GET", "/me", token)).status_code == 200
    [item] = (await owner.get("/tokens")).json()
    assert item["last_used_at"] is not None


async def test_a_tokens_last_use_is_kept_to_the_minute(world: World) -> None:
    owner = await world.person()
    token_id = (await new_token(owner))["id"]
    first = clock.now()

    async def stamp(at: datetime) -> datetime | None:
        async with world.db() as session:
            await accounts.record_token_uses(session, {token_id: at})
            await session.commit()
            return (await session.get_one(ApiToken, token_id, populate_existing=True)).last_used_at

    assert await stamp(first) == first
    assert await stamp(first + timedelta(seconds=30)) == first  # within the minute: unchanged
    assert await stamp(first + timedelta(seconds=61)) == first + timedelta(seconds=61)


async def test_tokens_are_stored_hashed(world: World) -> None:
    owner = await world.person()
    token = (await new_token(owner))["token"]
    async with world.db() as session:
        rows = (await session.execute(text("SELECT * FROM api_tokens"))).mappings().all()
    assert len(rows) == 1
    for value in rows[0].values():
        assert token not in str(value)
    assert rows[0]["digest"] != token and len(rows[0]["digest"]) == 64


async def test_bearer_token_authenticates_reads_and_writes_without_csrf(world: World) -> None:
    owner = await world.person()
    token = (await new_token(owner))["token"]

    me = await as_script(world, "GET", "/me", token)
    assert me.status_code == 200
    assert me.json() == (await owner.get("/me")).json()

    # an unsafe request with neither a cookie nor a CSRF header
    second = await as_script(world, "POST", "/tokens", token, json={"name": "from a script"})
    assert second.status_code == 201, second.text
    revoked = await as_script(world, "DELETE", f"/tokens/{second.json()['id']}", token)
    assert revoked.status_code == 204, revoked.text

    # the scheme name is case-insensitive (RFC 9110)
    lower = await as_script(world, "GET", "/me", token, headers={"authorization": f"bearer {token}"})
    assert lower.status_code == 200


async def test_a_network_can_be_used_with_a_token(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    token = (await new_token(lead))["token"]
    response = await as_script(
        world,
        "POST",
        f"/networks/{slug}/posts",
        token,
        json={"kind": "practice", "title": "Scripted practice", "body": "Posted by a script."},
    )
    assert response.status_code == 201, response.text
    assert response.json()["author"]["id"] == lead.id


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer ic_not-a-real-token",
        "Bearer not-even-our-prefix",
        "Bearer " + "ic_" + "x" * 200,
        "Bearer ic_\u00e9t\u00e9",
    ],
)
async def test_unknown_or_malformed_bearer_is_401(world: World, authorization: str) -> None:
    owner = await world.person()
    await new_token(owner)
    async with httpx.AsyncClient(base_url=world.server.url + "/api/v1") as raw:
        headers = {b"authorization": authorization.encode()}
        me = await raw.get("/me", headers=headers)
        assert me.status_code == 401, me.text
        assert "API token is not valid" in me.json()["detail"]
        write = await raw.post("/tokens", json={"name": "sneaky"}, headers=headers)
        assert write.status_code == 401, write.text
        # even where anonymous reading is fine, a bad token is refused rather than ignored
        assert (await raw.get("/networks", headers=headers)).status_code == 401
    assert await world.count("api_tokens") == 1


async def test_a_bad_bearer_does_not_fall_back_to_the_session(world: World) -> None:
    owner = await world.person()
    # the browser's session cookie is there, but the request names a token: the token decides
    response = await owner.get("/me", headers=bearer("ic_wrong"))
    assert response.status_code == 401
    # and skipping CSRF because of an Authorization header never lets the session cookie write
    write = await owner.http.post("/tokens", json={"name": "x"}, headers=bearer("ic_wrong"))
    assert write.status_code == 401
    assert await world.count("api_tokens") == 0


async def test_revoked_token_stops_working(world: World) -> None:
    owner = await world.person()
    created = await new_token(owner)
    assert (await as_script(world, "GET", "/me", created["token"])).status_code == 200
    response = await owner.delete(f"/tokens/{created['id']}")
    assert response.status_code == 204, response.text
    after = await as_script(world, "GET", "/me", created["token"])
    assert after.status_code == 401
    assert "revoked" in after.json()["detail"]
    assert (await owner.get("/tokens")).json() == []
    # revoking again: it is gone
    again = await owner.delete(f"/tokens/{created['id']}")
    assert again.status_code == 404
    assert again.json()["detail"] == "No such token."


async def test_nobody_can_revoke_or_see_another_persons_token(world: World) -> None:
    owner = await world.person()
    other = await world.person()
    created = await new_token(owner)
    response = await other.delete(f"/tokens/{created['id']}")
    assert response.status_code == 404
    assert response.json()["detail"] == "No such token."
    # nor with a token of their own
    other_token = (await new_token(other))["token"]
    assert (await as_script(world, "DELETE", f"/tokens/{created['id']}", other_token)).status_code == 404
    # an id that does not exist at all looks the same
    assert (await other.delete("/tokens/999999")).json() == response.json()
    assert (await as_script(world, "GET", "/me", created["token"])).status_code == 200
    assert await world.count("api_tokens", "revoked_at IS NULL") == 2
    assert [t["id"] for t in (await other.get("/tokens")).json()] != [created["id"]]
    assert created["id"] not in [t["id"] for t in (await other.get("/tokens")).json()]


async def test_tokens_need_a_signed_in_person(world: World) -> None:
    c = world.client()
    response = await c.post("/tokens", json={"name": "anonymous"})
    assert response.status_code == 401
    assert response.json()["detail"]
    assert (await c.get("/tokens")).status_code == 401
    assert (await c.delete("/tokens/1")).status_code == 401
    assert await world.count("api_tokens") == 0


@pytest.mark.parametrize(
    "body",
    [{}, {"name": ""}, {"name": "x" * 81}, {"name": 7}, {"name": "ok", "scopes": ["all"]}, ["name"]],
)
async def test_create_token_refuses_bad_input(world: World, body: Any) -> None:
    owner = await world.person()
    response = await owner.post("/tokens", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith("The request is not valid")
    assert await world.count("api_tokens") == 0


async def test_token_ids_in_paths_must_be_integers(world: World) -> None:
    owner = await world.person()
    response = await owner.delete("/tokens/abc")
    assert response.status_code in (400, 404)
    assert response.json()["detail"]
