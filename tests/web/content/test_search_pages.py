"""The search page, rendered by the real server: results, safe highlighting, filters, paging, refusals."""

from __future__ import annotations

import re

import httpx

from tests.conftest import ApiClient, World


async def page(world: World, c: ApiClient | None, path: str, **params: str) -> httpx.Response:
    if c is None:
        async with httpx.AsyncClient(base_url=world.server.url) as anon:
            return await anon.get(path, params=params or None)
    return await c.http.get(world.server.url + path, params=params or None)


def result_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<h3 id="result-post-(\d+)">', html)]


async def test_empty_query_shows_help_and_the_form(world: World) -> None:
    reader = await world.person()
    response = await page(world, reader, "/search")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Search</h1>" in html and 'role="search"' in html
    assert '<label for="search-q">' in html and '<label for="search-kind">' in html
    assert "Type a word or two" in html
    assert 'id="results-heading"' not in html
    blank = await page(world, reader, "/search", q="   ")
    assert blank.status_code == 200 and "Type a word or two" in blank.text


async def test_signed_out_visitors_are_asked_to_sign_in(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(lead, slug, title="Public phonics practice")
    response = await page(world, None, "/search", q="phonics")
    assert response.status_code == 200
    assert 'href="/signin?next=/search"' in response.text
    assert "Public phonics practice" not in response.text


async def test_results_highlight_safely_and_respect_reading_rights(world: World) -> None:
    lead = await world.person()
    public = await world.network(lead, name="Open Reading")
    private = await world.network(lead, visibility="members", name="Closed Maths")
    author = await world.member(public, name="Alice Able")
    outsider = await world.person()
    hostile = await world.practice(
        author,
        public,
        title="<script>alert(1)</script> Phonics plan",
        body="Our **phonics** work & <img src=x onerror=alert(2)> results",
        themes=["Early phonics"],
    )
    await world.practice(lead, private, title="Phonics in a closed network")
    removed = await world.practice(author, public, title="Removed phonics")
    await world.set_post(removed["id"], "state = 'removed'")

    response = await page(world, outsider, "/search", q="PHONICS")
    assert response.status_code == 200
    html = response.text
    assert result_ids(html) == [hostile["id"]]
    assert "1 result for “PHONICS”." in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Phonics</mark> plan" in html
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html  # shown as the text it is
    assert "<mark>phonics</mark>" in html  # the body's word, as it was written
    assert 'class="theme" href="/search?q=PHONICS&amp;theme=early+phonics">early phonics</a>' in html  # a filter link
    assert f'href="/posts/{hostile["id"]}"' in html
    assert "Open Reading" in html and "by Alice Able" in html
    assert "Closed network" not in html and "Removed phonics" not in html
    # the network filter lists only networks the reader may read
    assert "Open Reading</option>" in html and "Closed Maths" not in html

    # a query that looks like markup is only words, and shown escaped (PostgreSQL's parser reads
    # "<script>" in the text as a tag, not a word, so only SQLite finds the title by it)
    tricky = await page(world, outsider, "/search", q="<script>")
    assert "“&lt;script&gt;”" in tricky.text and "<script>alert" not in tricky.text
    if result_ids(tricky.text):
        assert "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;" in tricky.text

    member = await page(world, lead, "/search", q="phonics", network=private)
    assert member.status_code == 200 and "<mark>phonics</mark> in a closed network" in member.text.lower()
    assert "Closed Maths</option>" in member.text


async def test_filters_and_refusals_keep_the_input(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    private = await world.network(lead, visibility="members")
    outsider = await world.person()
    await world.practice(lead, slug, title="Visit practice")
    request = await world.request(lead, slug, title="Visit request")

    only_requests = await page(world, outsider, "/search", q="visit", kind="request")
    assert result_ids(only_requests.text) == [request["id"]]
    assert '<option value="request" selected>' in only_requests.text

    bad_kind = await page(world, outsider, "/search", q="visit <b>", kind="poems")
    assert bad_kind.status_code == 422
    html = bad_kind.text
    assert 'role="alert"' in html and "Choose practices or requests." in html
    assert 'aria-invalid="true" aria-describedby="search-kind-error"' in html
    assert 'value="visit &lt;b&gt;"' in html  # what was typed stays, escaped

    unreadable = await page(world, outsider, "/search", q="visit", network=private)
    absent = await page(world, outsider, "/search", q="visit", network="no-such-network")
    assert unreadable.status_code == absent.status_code == 422
    assert "Choose one of the networks you can read." in unreadable.text
    assert result_ids(unreadable.text) == result_ids(absent.text) == []
    assert unreadable.text.replace(private, "X") == absent.text.replace("no-such-network", "X")

    too_long = await page(world, outsider, "/search", q="visit " * 1700)  # 10 kB
    assert too_long.status_code == 200 and "Only the first 500 characters were searched." in too_long.text
    assert len(result_ids(too_long.text)) == 2

    nothing = await page(world, outsider, "/search", q="zebra")
    assert nothing.status_code == 200 and "Nothing matches “zebra”." in nothing.text
    assert "Try fewer words" in nothing.text
    filtered = await page(world, outsider, "/search", q="zebra", kind="practice")
    assert "Nothing matches “zebra” with these filters." in filtered.text
    assert 'href="/search?q=zebra">the same words without filters' in filtered.text

    common = await page(world, outsider, "/search", q="the and")
    assert common.status_code == 200 and "too common to search for" in common.text


async def test_pages_of_results(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    for n in range(23):
        await world.practice(lead, slug, title=f"Reading idea {n}")
    for sort in ("relevance", "newest"):
        first = await page(world, lead, "/search", q="reading", sort=sort)
        assert "23 results for “reading”." in first.text
        assert len(result_ids(first.text)) == 20
        link = re.search(r'<a href="([^"]+)" rel="next">', first.text)
        assert link and "cursor=" in link.group(1) and "First results" not in first.text
        second = await page(world, lead, link.group(1).replace("&amp;", "&"))
        assert len(result_ids(second.text)) == 3 and '<ol class="results" start="21">' in second.text
        assert "Results 21 to 23 for “reading”." in second.text
        assert "First results" in second.text and 'rel="next"' not in second.text
        assert not set(result_ids(first.text)) & set(result_ids(second.text))
    garbage = await page(world, lead, "/search", q="reading", cursor="two")
    assert garbage.status_code == 422 and "start again from the first page" in garbage.text


async def test_filter_links_are_bookmarkable_and_removable(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Coastal Trusts")
    await world.practice(lead, slug, title="Oracy in science", themes=["Oracy"], phases=["secondary"])
    await world.practice(lead, slug, title="Oracy in maths", themes=["Maths"])
    response = await page(world, lead, "/search", q="oracy", theme="Oracy", phase="secondary", sort="newest")
    html = response.text
    assert response.status_code == 200
    assert "<mark>Oracy</mark> in science" in html and "in maths" not in html
    assert '<details class="more-filters" open>' in html
    assert '<option value="secondary" selected>' in html and 'value="Oracy"' in html
    # each filter in use is a link to the same search without it
    assert 'href="/search?q=oracy&amp;phase=secondary&amp;sort=newest">Theme: Oracy' in html
    assert 'href="/search?q=oracy&amp;theme=Oracy&amp;sort=newest">Phase: secondary' in html
    in_network = f"/search?q=oracy&amp;network={slug}&amp;theme=Oracy&amp;phase=secondary&amp;sort=newest"
    assert f'href="{in_network}">Coastal Trusts</a>' in html
    bad = await page(world, lead, "/search", q="oracy", since="last week")
    assert bad.status_code == 422 and "Give a date as YYYY-MM-DD." in bad.text
    assert 'id="search-since"' in bad.text and 'aria-describedby="search-since-error"' in bad.text


async def test_a_network_page_searches_that_network(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Coastal Trusts")
    other = await world.network(lead)
    await world.practice(lead, slug, title="Coastal attendance")
    await world.practice(lead, other, title="Inland attendance")
    network_page = await lead.http.get(world.server.url + f"/networks/{slug}")
    form = re.search(r'<form class="search-row network-search".*?</form>', network_page.text, re.S)
    assert form and f'name="network" value="{slug}"' in form.group(0) and 'action="/search"' in form.group(0)
    response = await page(world, lead, "/search", q="attendance", network=slug)
    assert "Coastal <mark>attendance</mark>" in response.text and "Inland" not in response.text
    async with httpx.AsyncClient(base_url=world.server.url) as anonymous:
        assert "network-search" not in (await anonymous.get(f"/networks/{slug}")).text
