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


async def test_related_posts_over_the_api_and_on_the_page(world: World) -> None:
    lead = await world.person(org="Asker Academies")
    slug = await world.network(lead)
    sharer = await world.member(slug, org="Sharer Schools")
    need = await world.request(lead, slug, title="Reducing persistent absence in year 9")
    practice = await world.practice(
        sharer,
        slug,
        title="Persistent absence in year 9: mentoring",
        themes=["Attendance"],
        evidence_strength="comparison",
    )
    response = await lead.get(f"/posts/{need['id']}/related")
    assert response.status_code == 200, response.text
    [found] = response.json()
    assert found["id"] == practice["id"] and found["url"] == f"/posts/{practice['id']}"
    assert found["organisation"] == "Sharer Schools" and found["evidence_strength"] == "comparison"
    back = (await sharer.get(f"/posts/{practice['id']}/related")).json()
    assert [r["id"] for r in back] == [need["id"]]
    outsider = await world.person()
    closed = await world.network(lead, visibility="members")
    private = await world.request(lead, closed, title="Persistent absence in year 9 again")
    assert (await outsider.get(f"/posts/{private['id']}/related")).status_code == 404
    assert (await outsider.get("/posts/99999999/related")).status_code == 404

    page = await lead.http.get(world.server.url + f"/posts/{need['id']}")
    assert '<h2 id="related-h">Practice that may help</h2>' in page.text
    assert f'<a href="/posts/{practice["id"]}">Persistent absence in year 9: mentoring</a>' in page.text
    other = await sharer.http.get(world.server.url + f"/posts/{practice['id']}")
    assert '<h2 id="related-h">Who needs this: could you offer?</h2>' in other.text
    lonely = await world.practice(sharer, slug, title="Minibus maintenance log")
    nothing = await sharer.http.get(world.server.url + f"/posts/{lonely['id']}")
    assert 'id="related"' not in nothing.text
