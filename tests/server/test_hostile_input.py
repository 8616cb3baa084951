"""Hostile input is refused where it enters, on both databases, and writes nothing.

Integers beyond 64 bits, JSON nested past any use, and NUL characters once reached the
database driver (a 500 on SQLite and PostgreSQL alike, or NULs stored on SQLite). Now a path
id out of range is a thing that does not exist (404), a number out of range or a NUL in text is
a 422 naming the field, and JSON nested too deeply is a 400.
"""

from __future__ import annotations

import httpx

from tests.conftest import ApiClient, World, problem, unique
from tests.web.content.test_post_pages import Pages

TOO_BIG = 2**63  # one past the largest signed 64-bit integer
NUL = "\u0000"


async def written(world: World) -> dict[str, int]:
    """What a refused request must leave unchanged."""
    tables = ("people", "organisations", "networks", "posts", "replies", "events", "notifications", "api_tokens")
    return {table: await world.count(table) for table in tables}


async def bearer(client: ApiClient) -> httpx.AsyncClient:
    """The person's API as a script sees it: a personal token, no cookie, no CSRF header."""
    response = await client.post("/tokens", json={"name": "hostile input"})
    assert response.status_code == 201, response.text
    http = httpx.AsyncClient(
        base_url=client.http.base_url, headers={"Authorization": f"Bearer {response.json()['token']}"}, timeout=20
    )
    return http


async def test_ids_beyond_64_bits_in_paths_are_things_that_do_not_exist(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    await world.practice(member, slug)
    async with await bearer(lead) as api:
        before = await written(world)
        for big in (TOO_BIG, 2**64 + 7, 10**40):
            asks = [
                api.get(f"/posts/{big}"),
                api.get(f"/posts/{big}/revisions"),
                api.post(f"/posts/{big}/replies", json={"body": "Hello"}),
                api.post(f"/posts/{big}/flags", json={"reason": "spam"}),
                api.post(f"/offers/{big}/accept"),
                api.patch(f"/networks/{slug}/members/{big}", json={"role": "lead"}),
                api.post(f"/networks/{slug}/queue/{big}/claim"),
                api.delete(f"/networks/{slug}/watched-words/{big}"),
                api.get(f"/appeals/{big}"),
                api.get(f"/organisations/{big}"),
                api.delete(f"/tokens/{big}"),
            ]
            for ask in asks:
                problem(await ask, 404, "no ")
        # An id out of range is answered as a missing one is: it is simply not there.
        missing = await api.get("/posts/999999")
        huge = await api.get(f"/posts/{TOO_BIG}")
        assert missing.status_code == huge.status_code == 404
        assert await written(world) == before


async def test_numbers_beyond_64_bits_in_queries_and_bodies_are_refused_naming_the_field(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug, follow="all")  # told of the practice below
    post = await world.practice(lead, slug)
    async with await bearer(lead) as api, await bearer(member) as member_api:
        before = await written(world)
        body = problem(await api.get(f"/networks/{slug}/log", params={"subject": TOO_BIG}), 422, "subject")
        assert "subject" in body["errors"]
        body = problem(await api.get(f"/networks/{slug}/charter/diff", params={"from": TOO_BIG}), 422, "from")
        assert "from" in body["errors"]
        problem(await api.get(f"/networks/{slug}/charter/diff", params={"from": 1, "to": -TOO_BIG - 1}), 422, "to")
        # Versions are 32-bit columns on PostgreSQL: a larger one is beyond the documented maximum.
        problem(await api.get(f"/networks/{slug}/charter/diff", params={"from": 2**40}), 400, "from")
        problem(await member_api.post("/notifications/read", json={"ids": [TOO_BIG]}), 422, "ids")
        problem(await member_api.post("/notifications/read", json={"ids": [1, 10**30]}), 422, "ids")
        appeal = {"decision_id": TOO_BIG, "statement": "Unfair"}
        problem(await member_api.post("/appeals", json=appeal), 422, "decision_id")
        decision = {"target_type": "post", "target_id": TOO_BIG, "action": "hide", "reason": "Off topic"}
        problem(await api.post(f"/networks/{slug}/decisions", json=decision), 422, "target_id")
        flag = await member_api.post(f"/posts/{post['id']}/flags", json={"reason": "spam", "clause": TOO_BIG})
        assert flag.status_code == 400, flag.text  # a clause is 1-999 anyway: ordinary validation
        assert (await member_api.get("/notifications/unread-count")).json()["unread"] >= 1  # still unread
        assert await written(world) == before


async def test_json_nested_beyond_use_is_a_bad_request_and_the_server_carries_on(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    before = await written(world)
    async with await bearer(lead) as api:
        headers = {"content-type": "application/json"}
        for depth in (1_000, 100_000):
            deep_list = "[" * depth + "]" * depth
            deep_object = '{"a":' * depth + "1" + "}" * depth
            for raw in (deep_list, deep_object, '{"kind": "practice", "title": ' + deep_list + "}"):
                response = await api.post(f"/networks/{slug}/posts", content=raw, headers=headers)
                problem(response, 400, "nested")
        response = await api.post("/notifications/read", content="[" * 5_000 + "]" * 5_000, headers=headers)
        problem(response, 400, "nested")
        still = await api.post(f"/networks/{slug}/posts", json={"kind": "practice", "title": "Fine", "body": "Yes"})
    assert still.status_code == 201, still.text
    after = await written(world)
    assert after["posts"] == before["posts"] + 1


async def test_nul_characters_in_json_bodies_are_refused_and_nothing_is_stored(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    post = await world.practice(member, slug)
    admin = await world.admin()
    member_api, admin_api = await bearer(member), await bearer(admin)
    before = await written(world)
    anonymous = world.client()
    registration = {
        "email": unique("nul") + "@example.org",
        "password": "correct horse battery",
        "display_name": "Someone",
        "organisation": {"name": "A Trust", "kind": "multi_academy_trust"},
    }
    for field, value in (("display_name", f"Some{NUL}one"), ("email", f"a{NUL}b@example.org")):
        problem(await anonymous.post("/auth/register", json=registration | {field: value}), 422, field)
    nested = registration | {"organisation": {"name": f"A{NUL}Trust", "kind": "multi_academy_trust"}}
    problem(await anonymous.post("/auth/register", json=nested), 422, "name")
    async with member_api as api:
        new = {"kind": "practice", "title": "Fine", "body": "Fine"}
        problem(await api.post(f"/networks/{slug}/posts", json=new | {"title": f"Bad{NUL}"}), 422, "title")
        problem(await api.post(f"/networks/{slug}/posts", json=new | {"body": f"{NUL}"}), 422, "body")
        themes = await api.post(f"/networks/{slug}/posts", json=new | {"themes": ["Fine", f"a{NUL}"]})
        problem(themes, 400, "themes")  # a theme's pattern (letters, digits, spaces, hyphens) refuses it first
        resource = {"title": f"x{NUL}", "url": "https://example.org/"}
        problem(await api.post(f"/networks/{slug}/posts", json=new | {"resources": [resource]}), 422, "title")
        problem(await api.patch(f"/posts/{post['id']}", json={"title": f"Bad{NUL}"}), 422, "title")
        problem(await api.post(f"/posts/{post['id']}/replies", json={"body": f"Hi{NUL}"}), 422, "body")
        problem(await api.post("/tokens", json={"name": f"t{NUL}"}), 422, "name")
    async with admin_api as api:
        network = {
            "slug": "nul-net",
            "name": f"Nul{NUL}Net",
            "kind": "thematic",
            "visibility": "public",
            "join_policy": "open",
            "lead_email": lead.person["email"] if lead.person else "",
        }
        problem(await api.post("/networks", json=network), 422, "name")
    assert await written(world) == before


async def test_nul_characters_in_paths_and_queries_are_refused(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    async with await bearer(lead) as api:
        problem(await api.get("/organisations", params={"q": f"Trust{NUL}"}), 422, "q")
        problem(await api.get(f"/networks/{slug}/posts", params={"theme": f"a{NUL}"}), 422, "theme")
        problem(await api.get(f"/networks/{slug}/posts", params={"cursor": NUL}), 422, "cursor")
        problem(await api.get("/networks/net%00work"), 422, "slug")
        problem(await api.post("/networks/net%00work/join"), 422, "slug")
    # A cookie is looked up in the session store (a database table in production) before any handler.
    async with httpx.AsyncClient(base_url=world.server.url) as http:
        for cookie in ("commons_session=abc%00def", "csrftoken=%00"):
            problem(await http.get("/api/v1/networks", headers={"cookie": cookie}), 422, cookie.split("=")[0])
        assert (await http.get("/api/v1/networks", headers={"cookie": "commons_session=abcdef"})).status_code == 200
    pages = Pages(world, lead)
    response = await pages.get("/search?q=phonics%00")
    problem(response, 422, "q")
    assert (await pages.get("/search?q=phonics")).status_code == 200


async def test_nul_characters_in_form_posts_are_refused_and_nothing_is_stored(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    before = await written(world)
    pages = Pages(world, author)
    form = {"kind": "practice", "title": f"Phonics{NUL}", "body": "We did this."}
    problem(await pages.form(f"/networks/{slug}/new", form), 422, "title")
    signup = {
        "email": unique("nulform") + "@example.org",
        "password": "correct horse battery",
        "display_name": f"Some{NUL}one",
        "organisation_choice": "new",
        "organisation_name": "A Trust",
        "organisation_kind": "multi_academy_trust",
    }
    stranger = Pages(world)
    problem(await stranger.form("/signup", signup), 422, "display_name")
    await stranger.aclose()
    assert await written(world) == before
    fine = await pages.form(f"/networks/{slug}/new", form | {"title": "Phonics"})
    assert fine.status_code == 303, fine.text[:500]
