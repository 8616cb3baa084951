"""The network directory and a network's home, rendered by the real server and read as HTML."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from network.enums import OrgKind
from tests.conftest import PASSWORD, ApiClient, World
from tests.web.people.test_auth_pages import FormClient, field_error

REGIONS = [
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
]


@pytest.fixture
async def clients(world: World) -> AsyncIterator[list[FormClient]]:
    made: list[FormClient] = []
    yield made
    for c in made:
        await c.aclose()


async def signed_in(world: World, clients: list[FormClient], who: ApiClient) -> FormClient:
    """A form-submitting client signed in through the sign-in page as `who`."""
    client = FormClient(world.server.url)
    clients.append(client)
    assert who.person
    response = await client.submit("/signin", {"email": who.person["email"], "password": PASSWORD}, page="/signin")
    assert response.status_code == 303, response.text
    return client


def card(page: str, slug: str) -> str:
    """The directory's entry for one network."""
    found = re.search(rf'<li class="[a-z -]*network-card" id="network-{slug}">(.*?)</li>', page, re.S)
    assert found, f"{slug} not listed"
    return found.group(1)


def titles(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'class="post-title"><a href="/posts/\d+">([^<]+)</a>', page)]


async def test_directory_groups_the_nine_regions_then_thematic_networks(
    world: World, clients: list[FormClient]
) -> None:
    lead = await world.person()
    regional = await world.network(lead, kind="regional", region="north_west", name="North West <Trusts>")
    thematic = await world.network(lead, description="Reading & phonics across phases")
    by_request = await world.network(lead, join_policy="request")
    by_invite = await world.network(lead, join_policy="invite")
    hidden = await world.network(lead, visibility="hidden")
    anonymous = FormClient(world.server.url)
    clients.append(anonymous)
    response = await anonymous.get("/networks")
    assert response.status_code == 200
    page = response.text
    assert page.count("<h1>") == 1 and "<h1>Networks</h1>" in page
    positions = [page.index(f">{name}</h3>") for name in REGIONS]
    assert positions == sorted(positions), "the nine regions in order"
    assert page.index(f'id="network-{regional}"') > page.index(">North West</h3>")
    assert page.index(f'id="network-{regional}"') < page.index(">Yorkshire and the Humber</h3>")
    assert page.index(f'id="network-{thematic}"') > page.index("Thematic and national networks")
    assert "North West &lt;Trusts&gt;" in page and "<Trusts>" not in page
    assert "Reading &amp; phonics across phases" in card(page, thematic)
    assert "1 member" in card(page, thematic)
    assert '/signin?next=/networks"' in card(page, thematic) and "Sign in to join" in card(page, thematic)
    assert "By invitation only" in card(page, by_invite) and "Sign in to join" not in card(page, by_invite)
    assert "Leads approve new members" in card(page, by_request)
    assert f'id="network-{hidden}"' not in page
    assert "No network for this region yet." in page

    outsider = await signed_in(world, clients, await world.person())
    page = (await outsider.get("/networks")).text
    assert ">Join<span" in card(page, thematic)
    assert ">Request to join<span" in card(page, by_request)
    assert "ask one of its leads" in card(page, by_invite) and "<button" not in card(page, by_invite)
    lead_page = (await (await signed_in(world, clients, lead)).get("/networks")).text
    assert "You lead this network" in card(lead_page, thematic)
    assert "Unlisted" in card(lead_page, hidden)  # leads see their hidden network


async def test_joining_from_the_directory_follows_each_policy(world: World, clients: list[FormClient]) -> None:
    lead = await world.person()
    open_net = await world.network(lead, name="Attendance")
    request_net = await world.network(lead, join_policy="request", name="SEND leaders")
    invite_net = await world.network(lead, join_policy="invite")
    hidden_net = await world.network(lead, visibility="hidden", join_policy="open")
    person = await world.person()
    browser = await signed_in(world, clients, person)
    await browser.get("/networks")

    refused = await browser.submit(f"/networks/{open_net}/join", {"back": "directory"}, csrf=False)
    assert refused.status_code == 403
    assert await world.count("memberships", f"person_id = {person.id}") == 0

    joined = await browser.submit(f"/networks/{open_net}/join", {"back": "directory"})
    assert joined.status_code == 303
    assert joined.headers["location"] == f"/networks/{open_net}?joined=1"  # joined: into the network
    page = (await browser.get(joined.headers["location"])).text
    assert "You joined Attendance." in page and "You are a member" in page
    assert await world.count("memberships", f"person_id = {person.id} AND state = 'active'") == 1

    asked = await browser.submit(f"/networks/{request_net}/join", {"back": "directory"})
    assert asked.status_code == 303 and asked.headers["location"] == f"/networks/{request_net}?joined=1"
    page = (await browser.get(asked.headers["location"])).text
    assert "Your request to join SEND leaders was sent to its leads" in page
    assert "Your request to join is waiting for a lead" in page
    # a members-only network is not theirs to read until approved: the directory says it was sent
    private = await world.network(lead, visibility="members", join_policy="request", name="Quiet Room")
    private_ask = await browser.submit(f"/networks/{private}/join", {"back": "network"})
    assert private_ask.headers["location"] == f"/networks?joined={private}#network-{private}"
    page = (await browser.get(private_ask.headers["location"])).text
    assert "Your request to join Quiet Room was sent to its leads" in page
    assert "waiting for a lead" in card(page, private)
    assert await world.count("memberships", f"person_id = {person.id} AND state = 'pending'") == 2

    before = await world.count("memberships")
    events = await world.count("events")
    invite = await browser.submit(f"/networks/{invite_net}/join", {"back": "directory"})
    assert invite.status_code == 403
    assert "by invitation only" in invite.text and 'role="alert"' in invite.text
    again = await browser.submit(f"/networks/{open_net}/join", {"back": "directory"})
    assert again.status_code == 409
    assert "already a member" in again.text
    secret = await browser.submit(f"/networks/{hidden_net}/join", {"back": "directory"})
    assert secret.status_code == 404
    assert "<h1>Not found</h1>" in secret.text
    assert await world.count("memberships") == before
    assert await world.count("events") == events

    government = await signed_in(world, clients, await world.person(kind=OrgKind.GOVERNMENT))
    page = (await government.get("/networks")).text
    assert ">Ask to observe<span" in card(page, open_net)
    observing = await government.submit(f"/networks/{open_net}/join", {"back": "directory"})
    assert observing.status_code == 303
    page = (await government.get(observing.headers["location"])).text
    assert "Your request to observe is waiting for a lead" in card(page, open_net)

    anonymous = FormClient(world.server.url)
    clients.append(anonymous)
    await anonymous.get("/signin")  # for a form token
    bounced = await anonymous.submit(f"/networks/{open_net}/join", {"back": "network"})
    assert bounced.status_code == 303
    assert bounced.headers["location"] == f"/signin?next=/networks/{open_net}"


async def test_joining_from_a_networks_home_comes_back_to_it(world: World, clients: list[FormClient]) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Curriculum")
    browser = await signed_in(world, clients, await world.person())
    page = (await browser.get(f"/networks/{slug}")).text
    assert 'name="back" value="network"' in page and ">Join<span" in page
    assert "New practice" not in page  # not a member yet
    joined = await browser.submit(f"/networks/{slug}/join", {"back": "network"})
    assert joined.status_code == 303
    assert joined.headers["location"] == f"/networks/{slug}?joined=1"
    page = (await browser.get(joined.headers["location"])).text
    assert "You joined Curriculum." in page
    assert f'href="/networks/{slug}/new?kind=practice"' in page
    assert f'href="/networks/{slug}/new?kind=request"' in page


async def test_network_home_shows_charter_people_and_the_feed_pinned_first(
    world: World, clients: list[FormClient]
) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead, name="Reading Network")
    member = await world.member(slug, name="Mo Member")
    observer = await world.observer(lead, slug)
    author = await world.member(slug)
    older = await world.practice(author, slug, title="Older <script>alert(1)</script> practice")
    pinned_request = await world.request(lead, slug, title="Pinned request")
    newest = await world.practice(member, slug, title="Newest practice", summary="Short **summary**")
    await world.set_post(pinned_request["id"], "pinned = true")
    await world.set_post(older["id"], "state = 'hidden'")
    await lead.post(f"/posts/{newest['id']}/replies", json={"body": "Thanks"})

    browser = await signed_in(world, clients, member)
    response = await browser.get(f"/networks/{slug}")
    assert response.status_code == 200
    page = response.text
    assert page.count("<h1>") == 1 and "<h1>Reading Network</h1>" in page
    # live: the network and the seq the page was rendered at, for feed.js
    async with world.db() as session:
        query = text("SELECT event_seq FROM networks WHERE slug = :slug")
        seq = (await session.execute(query, {"slug": slug})).scalar_one()
    assert f'data-network="{slug}" data-seq="{seq}"' in page
    assert '<script src="/static/feed.js" defer></script>' in page
    assert 'id="feed-news" class="feed-news" role="status"' in page
    # charter: the first clauses, and the whole text further down the same page
    summary = re.search(r'<ol class="charter-summary">(.*?)</ol>', page, re.S)
    assert summary and summary.group(1).count("<li>") == 3
    assert "Share practice honestly" in summary.group(1)
    assert 'href="#charter"' in page and 'id="charter"' in page
    assert "Regulators and government may observe" in page[page.index('id="charter"') :]
    # people
    assert f'<a href="/people/{lead.id}">Lena Lead</a>' in page
    assert f'<a href="/people/{observer.id}">' in page
    assert "Mo Member</a> <span" not in page  # members are not listed as leads
    # feed: pinned first, then newest first; the hidden post is not shown to a member
    assert titles(page) == ["Pinned request", "Newest practice"]
    assert "Pinned</span>" in page
    assert "Short **summary**" in page  # the summary is plain text
    assert "1 reply</span>" in page
    assert "Older &lt;script&gt;" not in page
    assert f'href="/networks/{slug}/new?kind=practice"' in page
    # a lead also sees the hidden post, marked, with its title escaped
    lead_page = (await (await signed_in(world, clients, lead)).get(f"/networks/{slug}")).text
    assert "Older <script>alert(1)</script> practice" in titles(lead_page)
    assert "<script>alert(1)" not in lead_page
    assert "Hidden by a lead" in lead_page
    # its author sees it too, marked
    own = (await (await signed_in(world, clients, author)).get(f"/networks/{slug}")).text
    assert "Hidden by a lead" in own and len(titles(own)) == 3
    # an observer reads, but is offered no compose links
    watcher = (await (await signed_in(world, clients, observer)).get(f"/networks/{slug}")).text
    assert "You observe this network" in watcher and "New practice" not in watcher


async def test_network_home_is_a_404_page_for_readers_who_may_not_read_it(
    world: World, clients: list[FormClient]
) -> None:
    lead = await world.person()
    public = await world.network(lead)
    members_only = await world.network(lead, visibility="members")
    hidden = await world.network(lead, visibility="hidden")
    outsider = await signed_in(world, clients, await world.person())
    anonymous = FormClient(world.server.url)
    clients.append(anonymous)
    cases = [
        (outsider, "/networks/no-such-network"),
        (outsider, f"/networks/{members_only}"),
        (outsider, f"/networks/{hidden}"),
        (anonymous, f"/networks/{hidden}"),
        (anonymous, "/networks/no-such-network"),
        (anonymous, f"/networks/{hidden}/feed"),
    ]
    for client, path in cases:
        response = await client.get(path, headers={"hx-request": "true"} if path.endswith("/feed") else {})
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert "<h1>Not found</h1>" in response.text
        assert "No network" in response.text
    assert (await outsider.get(f"/networks/{public}")).status_code == 200


async def test_signed_out_a_listed_network_asks_to_sign_in_and_comes_back(
    world: World, clients: list[FormClient]
) -> None:
    lead = await world.person()
    public = await world.network(lead, name="Open Door")
    members_only = await world.network(lead, visibility="members", name="Back Room")
    member = await world.person()
    assert (await member.post(f"/networks/{members_only}/join")).status_code == 200
    anonymous = FormClient(world.server.url)
    clients.append(anonymous)
    for slug in (public, members_only):
        bounced = await anonymous.get(f"/networks/{slug}")
        assert bounced.status_code == 303, slug
        assert bounced.headers["location"] == f"/signin?next=/networks/{slug}"
    signin = await anonymous.get(f"/signin?next=/networks/{members_only}")
    assert f'name="next" value="/networks/{members_only}"' in signin.text
    assert member.person
    credentials = {"email": member.person["email"], "password": PASSWORD}
    back = await anonymous.submit("/signin", credentials | {"next": f"/networks/{members_only}"})
    assert back.status_code == 303 and back.headers["location"] == f"/networks/{members_only}"
    assert "<h1>Back Room" in (await anonymous.get(back.headers["location"])).text
    # only a path on this site: anything else lands where signing in usually does
    again = FormClient(world.server.url)
    clients.append(again)
    elsewhere = await again.submit("/signin", credentials | {"next": "https://evil.example/x"}, page="/signin")
    assert elsewhere.status_code == 303 and elsewhere.headers["location"] == "/networks"


async def test_home_page_links_each_network(world: World, clients: list[FormClient]) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Linked Trusts")
    anonymous = FormClient(world.server.url)
    clients.append(anonymous)
    home = (await anonymous.get("/")).text
    assert f'<a href="/networks/{slug}"><strong>Linked Trusts</strong></a>' in home


async def test_feed_filters_are_a_get_form_and_pages_go_back_with_older_posts(
    world: World, clients: list[FormClient]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(
        lead,
        slug,
        title="Phonics fidelity",
        themes=["Early Reading"],
        phases=["primary"],
        evidence_strength="comparison",
    )
    await world.practice(lead, slug, title="Attendance calls", themes=["attendance"], phases=["secondary"])
    request = await world.request(lead, slug, title="KS3 science review")
    await world.request(lead, slug, title="Closed request")
    closed = (await lead.get(f"/networks/{slug}/posts", params={"kind": "request"})).json()["items"][0]
    assert (await lead.post(f"/posts/{closed['id']}/close", json={"outcome": "Done"})).status_code in (200, 201)
    browser = await signed_in(world, clients, lead)

    async def shown(**params: str) -> list[str]:
        response = await browser.get(f"/networks/{slug}", params=params)
        assert response.status_code == 200, response.text
        return titles(response.text)

    assert await shown(kind="request") == ["Closed request", "KS3 science review"]
    assert await shown(kind="practice") == ["Attendance calls", "Phonics fidelity"]
    assert await shown(theme="early  reading") == ["Phonics fidelity"]
    assert await shown(phase="secondary") == ["Attendance calls"]
    assert await shown(evidence_strength="comparison") == ["Phonics fidelity"]
    assert await shown(status="open") == ["KS3 science review"]
    assert await shown(status="closed") == ["Closed request"]
    page = (await browser.get(f"/networks/{slug}", params={"kind": "request", "status": "open"})).text
    assert '<option value="request" selected>' in page and '<option value="open" selected>' in page
    assert "Clear filters" in page
    none = (await browser.get(f"/networks/{slug}", params={"theme": "governance"})).text
    assert "No posts match these filters." in none
    assert request["id"]

    for n in range(20):
        await world.practice(lead, slug, title=f"Bulk practice {n:02d}")
    first = (await browser.get(f"/networks/{slug}", params={"kind": "practice"})).text
    assert len(titles(first)) == 20 and titles(first)[0] == "Bulk practice 19"
    older = re.search(r'<a href="([^"]+)" rel="next">Older posts</a>', first)
    assert older
    link = html.unescape(older.group(1))
    assert "kind=practice" in link and "cursor=" in link
    second = (await browser.get(link)).text
    assert titles(first)[-1] == "Bulk practice 00"
    assert titles(second) == ["Attendance calls", "Phonics fidelity"]
    assert "Older posts" not in second and "Newest posts" in second


async def test_unusable_filters_and_cursors_are_explained_beside_the_form(
    world: World, clients: list[FormClient]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(lead, slug, title="Still listed")
    browser = await signed_in(world, clients, lead)
    bad = await browser.get(f"/networks/{slug}", params={"kind": "castle", "theme": "<script>"})
    assert bad.status_code == 400
    assert "practices, requests, or both" in field_error(bad.text, "filter-kind")
    assert "letters, digits" in field_error(bad.text, "filter-theme")
    assert "<script>" not in bad.text
    assert titles(bad.text) == ["Still listed"]
    cursor = await browser.get(f"/networks/{slug}", params={"cursor": "not-a-cursor"})
    assert cursor.status_code == 400
    assert "here are the newest" in cursor.text
    assert titles(cursor.text) == ["Still listed"]


async def test_the_feed_fragment_is_for_htmx_and_sends_people_to_the_page(
    world: World, clients: list[FormClient]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(lead, slug, title="Fragment post")
    browser = await signed_in(world, clients, lead)
    fragment = await browser.get(f"/networks/{slug}/feed", params={"kind": "practice"}, headers={"hx-request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="feed"')
    assert "<html" not in fragment.text
    assert titles(fragment.text) == ["Fragment post"]
    assert 'data-kind="practice"' in fragment.text
    plain = await browser.get(f"/networks/{slug}/feed", params={"kind": "practice"})
    assert plain.status_code == 303
    assert plain.headers["location"] == f"/networks/{slug}?kind=practice"
