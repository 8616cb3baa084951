"""Who may open a socket and follow what; access that ends stops delivery at once."""

from __future__ import annotations

import httpx
import pytest
import websockets
from sqlalchemy import text
from websockets.exceptions import InvalidStatus

from network.enums import OrgKind
from server.live.socket import origin_allowed
from tests.conftest import PASSWORD, ApiClient, World
from tests.live.client import WsClient, frame, post_created, token_for


async def test_no_credentials_or_a_bad_token_is_closed_unauthenticated(world: World) -> None:
    anonymous = await WsClient.connect(world.server.url)
    error = await anonymous.next("error")
    assert error["code"] == "unauthenticated"
    assert await anonymous.closed_code() == 4001

    forged = await WsClient.connect(world.server.url, "ic_not-a-real-token")
    assert (await forged.next("error"))["code"] == "unauthenticated"
    assert await forged.closed_code() == 4001


async def test_foreign_origin_is_refused_at_the_handshake(world: World) -> None:
    member = await world.person()
    token = await token_for(member)
    with pytest.raises(InvalidStatus) as refused:
        await WsClient.connect(world.server.url, token, origin="https://evil.example")
    assert refused.value.response.status_code == 403
    same_site = await WsClient.connect(world.server.url, token, origin=world.server.url)
    await same_site.close()


async def test_session_cookie_authenticates_and_sign_out_closes_the_socket(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    browser = world.client()
    signed_in = await browser.post("/auth/login", json={"email": lead.person["email"], "password": PASSWORD})
    assert signed_in.status_code == 200
    cookie = browser.http.cookies["commons_session"]
    ws = await _connect_with_cookie(world.server.url, cookie)
    assert (await ws.subscribe(slug))["type"] == "subscribed"
    assert (await browser.post("/auth/logout")).status_code == 204
    assert await ws.closed_code() == 4001
    # The other session of the same person (the token client) is untouched.
    other = await WsClient.connect(world.server.url, await token_for(lead))
    assert (await other.subscribe(slug))["type"] == "subscribed"
    await other.close()


async def _connect_with_cookie(base_url: str, cookie: str) -> WsClient:
    """As a browser does: the session cookie and this site's Origin."""
    return await WsClient.connect(base_url, additional_headers={"Cookie": f"commons_session={cookie}"}, origin=base_url)


async def test_non_member_cannot_follow_a_members_only_network(world: World) -> None:
    lead = await world.person()
    private = await world.network(lead, visibility="members")
    outsider = await world.person()
    ws = await WsClient.connect(world.server.url, await token_for(outsider))
    witness = await following(world, lead, private)
    try:
        answer = await ws.subscribe(private)
        assert answer["type"] == "error"
        assert answer["code"] == "not_found"
        unknown = await ws.subscribe("no-such-network")
        assert unknown["code"] == "not_found"
        post = await world.practice(lead, private, title="Members only")
        await nothing_more(ws, witness, post["id"], private)
    finally:
        await ws.close()
        await witness.close()


async def following(world: World, client: ApiClient, slug: str) -> WsClient:
    """A socket of `client` following `slug`: a witness that the hub has handed out an event."""
    ws = await WsClient.connect(world.server.url, await token_for(client))
    assert (await ws.subscribe(slug))["type"] == "subscribed"
    return ws


async def nothing_more(ws: WsClient, witness: WsClient, post_id: int, slug: str) -> None:
    """`ws` was sent nothing of the post `witness` follows: the hub hands an event to all of a network's
    subscribers at once, so once the witness has it, anything for `ws` was queued before the answer to a
    message `ws` sends now. That answer (a refusal: `ws` may not follow `slug`) must come first."""
    await witness.until(post_created(post_id))
    await ws.send({"type": "subscribe", "network": slug, "after": None})
    answer = await ws.next_is(frame("error"))
    assert answer["code"] == "not_found", answer


async def test_removed_member_gets_nothing_after_removal(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members")
    member = await world.member(slug)
    ws = await WsClient.connect(world.server.url, await token_for(member))
    witness = await following(world, lead, slug)
    try:
        await ws.subscribe(slug)
        await world.practice(lead, slug, title="Before")
        (before,) = await ws.events(1)
        assert before["data"]["post"]["title"] == "Before"
        removed = await lead.delete(f"/networks/{slug}/members/{member.id}")
        assert removed.status_code == 204, removed.text
        error = await ws.next("error")
        assert error["code"] == "forbidden"
        after = await world.practice(lead, slug, title="After")
        await nothing_more(ws, witness, after["id"], slug)
    finally:
        await ws.close()
        await witness.close()


async def test_banned_member_stops_receiving(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    ws = await WsClient.connect(world.server.url, await token_for(member))
    witness = await following(world, lead, slug)
    try:
        await ws.subscribe(slug)
        banned = await lead.patch(f"/networks/{slug}/members/{member.id}", json={"state": "banned", "reason": "spam"})
        assert banned.status_code == 200, banned.text
        assert (await ws.next("error"))["code"] == "forbidden"
        after = await world.practice(lead, slug, title="After the ban")
        # a ban removes them from every channel of the network, public or not: to them it is not there
        await nothing_more(ws, witness, after["id"], slug)
    finally:
        await ws.close()
        await witness.close()


async def test_observer_receives_but_cannot_publish(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members")
    observer = await world.person(kind=OrgKind.REGULATOR)
    joined = await observer.post(f"/networks/{slug}/join")
    assert joined.json()["state"] == "pending"  # observers join only with a lead's agreement
    approved = await lead.patch(f"/networks/{slug}/members/{observer.id}", json={"state": "active"})
    assert approved.json()["role"] == "observer"
    ws = await WsClient.connect(world.server.url, await token_for(observer))
    try:
        assert (await ws.subscribe(slug))["type"] == "subscribed"
        await world.practice(lead, slug, title="Observed")
        (event,) = await ws.events(1)
        assert event["data"]["post"]["title"] == "Observed"
        refused = await observer.post(f"/networks/{slug}/posts", json={"kind": "practice", "title": "x", "body": "y"})
        assert refused.status_code == 403
    finally:
        await ws.close()


async def test_revoked_token_and_disabled_account_close_their_sockets(world: World) -> None:
    member = await world.person()
    created = await member.post("/tokens", json={"name": "watcher"})
    token, token_id = created.json()["token"], created.json()["id"]
    ws = await WsClient.connect(world.server.url, token)
    await ws.send({"type": "subscribe", "stream": "notifications", "after": None})
    await ws.next("subscribed")
    assert (await member.delete(f"/tokens/{token_id}")).status_code == 204
    assert await ws.closed_code() == 4001

    ws2 = await WsClient.connect(world.server.url, await token_for(member))
    await ws2.send({"type": "subscribe", "stream": "notifications", "after": None})
    await ws2.next("subscribed")
    async with world.db() as session:  # disabled by an operator, outside any request of this server
        await session.execute(text("UPDATE people SET is_active = false WHERE id = :id"), {"id": member.id})
        await session.commit()
    assert await ws2.closed_code() == 4001
    async with httpx.AsyncClient(base_url=world.server.url) as http:
        assert (await http.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})).status_code == 401


async def test_token_in_the_query_string_for_clients_without_headers(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    token = await token_for(lead)

    async with websockets.connect(world.server.url.replace("http", "ws") + f"/ws?token={token}") as raw:
        ws = WsClient(raw)
        assert (await ws.subscribe(slug))["type"] == "subscribed"


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "allowed", "expected"),
    [
        (None, "commons.example.org", "wss", (), True),  # not a browser: authenticated by its token
        ("https://commons.example.org", "commons.example.org", "wss", (), True),
        ("https://commons.example.org:443", "commons.example.org", "wss", (), True),
        ("https://Commons.Example.org/", "commons.example.org:443", "wss", (), True),
        ("http://commons.example.org", "commons.example.org", "wss", (), False),  # http page, https site
        ("https://commons.example.org", "commons.example.org", "ws", (), False),  # and the reverse
        ("http://commons.example.org:80", "commons.example.org", "ws", (), True),
        ("http://commons.example.org:8080", "commons.example.org", "ws", (), False),  # another port
        ("https://commons.example.org:8443", "commons.example.org:443", "wss", (), False),
        ("https://commons.example.org.evil.test", "commons.example.org", "wss", (), False),
        ("https://evil.test@commons.example.org", "commons.example.org", "wss", (), False),
        ("https://commons.example.org/page", "commons.example.org", "wss", (), False),
        ("https://commons.example.org:port", "commons.example.org", "wss", (), False),
        ("null", "commons.example.org", "wss", (), False),
        ("https://commons.example.org", None, "wss", (), False),
        ("https://app.example.org", "commons.example.org", "wss", ("https://app.example.org",), True),
        ("https://app.example.org:443", "commons.example.org", "wss", ("https://app.example.org",), True),
        ("https://app.example.org", "commons.example.org", "wss", ("https://app.example.org:443",), True),
        ("http://app.example.org", "commons.example.org", "wss", ("https://app.example.org",), False),
        ("https://app.example.org:444", "commons.example.org", "wss", ("https://app.example.org",), False),
        ("http://localhost:8080", "localhost", "ws", ("http://localhost:8080",), True),
        ("http://localhost", "localhost", "ws", ("http://localhost:8080",), True),  # the site itself
        ("http://localhost:8081", "localhost", "ws", ("http://localhost:8080",), False),
    ],
)
def test_origin_must_match_scheme_host_and_port(
    origin: str | None, host: str | None, scheme: str, allowed: tuple[str, ...], expected: bool
) -> None:
    assert origin_allowed(origin, host, allowed, scheme) is expected


async def test_an_origin_of_another_scheme_or_port_is_refused_at_the_handshake(world: World) -> None:
    member = await world.person()
    token = await token_for(member)
    site = world.server.url  # http://127.0.0.1:port, so the socket is ws://
    port = int(site.rsplit(":", 1)[1])
    for origin in (site.replace("http://", "https://"), f"http://127.0.0.1:{port + 1}", "http://127.0.0.1"):
        with pytest.raises(InvalidStatus) as refused:
            await WsClient.connect(site, token, origin=origin)
        assert refused.value.response.status_code == 403, origin
    # behind a proxy (loopback is trusted) that says the browser came over HTTPS, the https origin is this site's
    behind_tls = {"X-Forwarded-Proto": "https"}
    secure = await WsClient.connect(
        site, token, origin=site.replace("http://", "https://"), additional_headers=behind_tls
    )
    assert (await secure.subscribe("no-such-network"))["type"] == "error"
    await secure.close()
    with pytest.raises(InvalidStatus) as downgraded:
        await WsClient.connect(site, token, origin=site, additional_headers=behind_tls)
    assert downgraded.value.response.status_code == 403
