"""`GET /api/v1/search` against a real server: the page shape, cursors, filters, refusals, and the
permission table (an anonymous caller, an outsider, an observer, a suspended member)."""

from __future__ import annotations

import httpx

from tests.conftest import ApiClient, World


async def search(c: ApiClient, **params: str) -> httpx.Response:
    return await c.get("/search", params=params)


async def test_shape_cursor_and_filters(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    ids = [(await world.practice(lead, slug, title=f"Mentoring early career teachers {n}"))["id"] for n in range(5)]
    request = await world.request(lead, slug, title="Mentoring help wanted")
    first = await search(lead, q="mentoring", limit="4")
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["total"] == 6 and len(body["items"]) == 4 and body["next_cursor"]
    assert set(body["items"][0]) >= {"match", "url", "post", "network_name", "title_html", "snippet_html", "score"}
    assert body["message"] is None and body["terms"] == ["mentoring"]
    rest = (await search(lead, q="mentoring", limit="4", cursor=body["next_cursor"])).json()
    assert rest["next_cursor"] is None and rest["total"] is None
    found = {i["post"]["id"] for i in body["items"]} | {i["post"]["id"] for i in rest["items"]}
    assert found == {*ids, request["id"]}
    only = (await search(lead, q="mentoring", kind="request")).json()
    assert [i["post"]["id"] for i in only["items"]] == [request["id"]]
    newest = (await search(lead, q="mentoring", sort="newest")).json()
    assert [i["post"]["id"] for i in newest["items"]] == [request["id"], *reversed(ids)]


async def test_bad_input_is_a_clear_4xx_and_bad_queries_a_message(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(lead, slug, title="Attendance")
    bad = await search(lead, q="attendance", kind="poem", since="soon")
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"kind": "Choose practices or requests.", "since": "Give a date as YYYY-MM-DD."}
    assert (await search(lead, q="attendance", cursor="garbage")).status_code == 400
    nul = await search(lead, q="atten\x00dance")
    assert nul.status_code == 422
    for typed in ('"unclosed', "((( OR AND NOT )))", "the of and", "-attendance", "x" * 9000, "\x01\x02"):
        response = await search(lead, q=typed)
        assert response.status_code == 200, (typed, response.text)
    common = (await search(lead, q="the of and")).json()
    assert common["items"] == [] and "too common" in common["message"]


async def test_the_permission_table_on_search(world: World) -> None:
    lead = await world.person()
    members_only = await world.network(lead, visibility="members")
    await world.practice(lead, members_only, title="Moderated curriculum review")
    member = await world.member(members_only)
    outsider = await world.person()
    observer = await world.observer(lead, members_only)

    def titles(response: httpx.Response) -> list[str]:
        return [i["post"]["title"] for i in response.json()["items"]]

    assert titles(await search(member, q="curriculum")) == ["Moderated curriculum review"]
    assert titles(await search(observer, q="curriculum")) == ["Moderated curriculum review"]
    assert titles(await search(outsider, q="curriculum")) == []
    # naming the network is answered exactly as naming one that does not exist
    named = await search(outsider, q="curriculum", network=members_only)
    absent = await search(outsider, q="curriculum", network="no-such-network")
    assert named.status_code == absent.status_code == 422
    assert named.json() == absent.json()
    async with httpx.AsyncClient(base_url=world.server.url + "/api/v1") as anonymous:
        assert (await anonymous.get("/search", params={"q": "curriculum"})).status_code == 401
    await lead.patch(f"/networks/{members_only}/members/{member.id}", json={"state": "suspended"})
    assert titles(await search(member, q="curriculum")) == []
