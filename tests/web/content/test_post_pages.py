"""The practice and request page over plain HTTP: what it shows, its forms, refusals and fragments."""

from __future__ import annotations

import re
from typing import Any

import httpx

from network.models import Reply
from tests.conftest import ApiClient, World


class Pages:
    """A browser without JavaScript: the person's session cookie, forms posted with their CSRF field."""

    def __init__(self, world: World, who: ApiClient | None = None) -> None:
        self.base = world.server.url
        self.http = who.http if who is not None else httpx.AsyncClient(timeout=20)
        self._anonymous = who is None

    async def get(self, path: str) -> httpx.Response:
        return await self.http.get(self.base + path)

    async def form(self, path: str, data: dict[str, Any], *, csrf: bool = True) -> httpx.Response:
        if "csrftoken" not in self.http.cookies:
            await self.http.get(self.base + "/api/v1/networks")
        fields = {"_csrf_token": self.http.cookies["csrftoken"]} if csrf else {}
        return await self.http.post(self.base + path, data=fields | data)

    async def aclose(self) -> None:
        if self._anonymous:
            await self.http.aclose()


def main_of(response: httpx.Response) -> str:
    match = re.search(r"<main\b.*?</main>", response.text, re.S)
    assert match, response.text[:500]
    return match.group(0)


def redirected_to(response: httpx.Response, path: str) -> None:
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == path


async def test_a_practice_page_shows_its_sections_people_badge_and_history(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug, org="Northern Lights Trust")
    reader = await world.member(slug)
    practice = await world.practice(
        author,
        slug,
        title="Phonics <b>catch-up</b>",
        summary="Ten minutes a day & checked.",
        body="# Big heading\n\nDaily **ten minutes**.\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1))",
        setting="Eight primaries.",
        phases=["primary", "early_years"],
        what_we_did="Trained *every* TA.",
        what_we_stopped="Afternoon withdrawal groups.",
        impact="Pass rate up 13 points.",
        evidence_strength="internal_data",
        themes=["early reading"],
        resources=[{"title": "Checklist", "url": "https://example.org/check?a=1&b=2"}],
    )
    post_id = practice["id"]
    edit = await author.patch(f"/posts/{post_id}", json={"summary": "Ten minutes a day.", "reason": "shorter"})
    assert edit.status_code == 200, edit.text
    assert (await reader.post(f"/posts/{post_id}/reactions", json={"kind": "useful"})).status_code == 200

    pages = Pages(world, reader)
    response = await pages.get(f"/posts/{post_id}")
    assert response.status_code == 200
    html = main_of(response)
    assert "<title>Phonics &lt;b&gt;catch-up&lt;/b&gt; · Improvement Commons</title>" in response.text
    assert html.count("<h1") == 1 and "Phonics &lt;b&gt;catch-up&lt;/b&gt;" in html
    for heading in ("Summary", "Setting", "The practice", "What we did", "What we stopped doing",
                    "Impact and evidence", "Resources", "Themes", "Reactions", "Edit history"):  # fmt: skip
        assert f">{heading}</h2>" in html, heading
    assert ">Replies (<span data-reply-count>0</span>)</h2>" in html
    assert "Evidence: <strong>internal data</strong>" in html  # the badge says it in words
    assert f'href="/people/{author.id}"' in html
    org_id = author.person["organisation"]["id"] if author.person else 0
    assert f'href="/organisations/{org_id}">Northern Lights Trust</a>' in html
    assert "Phases: primary, early years." in html
    assert '<a href="https://example.org/check?a=1&amp;b=2" rel="nofollow noopener noreferrer">Checklist</a>' in html
    assert f'href="/networks/{slug}?theme=early%20reading"' in html
    assert "<strong>ten minutes</strong>" in html and "<em>every</em>" in html
    assert "<h3>Big heading</h3>" in html  # the body's headings sit under the page's own
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    # edit history: the earlier version, who, why and what changed
    assert "1 earlier version" in html and "<details" in html
    assert "Reason given: “shorter”" in html and "Changed: summary." in html
    assert 'Summary before this edit:</p>\n            <div class="md">Ten minutes a day &amp; checked.</div>' in html
    # reactions: counts, and whether I reacted, in words and state
    assert re.search(
        r'aria-pressed="true">.*?Useful\s*<span class="reaction-count" data-reaction-count="useful">1<', html, re.S
    )
    assert "You marked this “useful”" in html
    assert 'data-reaction-count="tried_it">0<' in html
    # the live wiring
    assert f'data-network="{slug}"' in response.text and f'data-post="{post_id}"' in response.text
    assert '<script src="/static/post.js" defer></script>' in response.text
    assert "style=" not in html and "onclick" not in html


async def test_posts_one_may_not_read_are_a_404_page(world: World) -> None:
    lead = await world.person()
    closed = await world.network(lead, visibility="members", join_policy="request")
    open_net = await world.network(lead)
    secret = await world.practice(lead, closed, title="Members only practice")
    author = await world.member(open_net)
    held = await world.practice(author, open_net, title="Awaiting approval")
    await world.set_post(held["id"], "state = 'held'")
    outsider = await world.person()
    member = await world.member(open_net)

    anonymous = Pages(world)
    for who, post_id in ((anonymous, secret["id"]), (Pages(world, outsider), secret["id"]),
                         (Pages(world, member), held["id"]), (Pages(world, member), 99999)):  # fmt: skip
        response = await who.get(f"/posts/{post_id}")
        assert response.status_code == 404, response.text[:500]
        assert response.headers["content-type"].startswith("text/html")
        assert "<h1>Not found</h1>" in response.text
        assert "Members only practice" not in response.text and "Awaiting approval" not in response.text
    assert "sign in" in (await anonymous.get(f"/posts/{secret['id']}")).text
    # the author and the lead still see the held post, with a notice
    own = await Pages(world, author).get(f"/posts/{held['id']}")
    assert own.status_code == 200 and "waiting for a lead to approve it" in own.text
    await anonymous.aclose()


async def test_reactions_are_forms_that_toggle_and_are_refused_to_observers(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    reader = await world.member(slug)
    observer = await world.observer(lead, slug)
    post_id = (await world.practice(author, slug))["id"]
    pages = Pages(world, reader)

    redirected_to(await pages.form(f"/posts/{post_id}/reactions", {"kind": "tried_it"}), f"/posts/{post_id}#reactions")
    html = main_of(await pages.get(f"/posts/{post_id}"))
    assert 'data-reaction-count="tried_it">1<' in html and '<input type="hidden" name="undo" value="1">' in html
    assert await world.count("reactions") == 1
    redirected_to(
        await pages.form(f"/posts/{post_id}/reactions", {"kind": "tried_it", "undo": "1"}),
        f"/posts/{post_id}#reactions",
    )
    assert await world.count("reactions") == 0

    refused = await pages.form(f"/posts/{post_id}/reactions", {"kind": "tried_it"}, csrf=False)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    unknown = await pages.form(f"/posts/{post_id}/reactions", {"kind": "love"})
    assert unknown.status_code == 422 and "Choose “useful” or “tried it”." in unknown.text

    watching = Pages(world, observer)
    page = main_of(await watching.get(f"/posts/{post_id}"))
    assert 'action="/posts/' not in page  # no reaction, reply or other form for an observer
    assert "Useful: <span" in page
    assert "Only active members" in page
    refused = await watching.form(f"/posts/{post_id}/reactions", {"kind": "useful"})
    assert refused.status_code == 403
    assert "Only active members and leads of this network may post, reply, offer or react." in refused.text
    assert await world.count("reactions") == 0
    anonymous = Pages(world)
    assert (await anonymous.form(f"/posts/{post_id}/reactions", {"kind": "useful"})).status_code == 303
    assert await world.count("reactions") == 0
    await anonymous.aclose()


async def test_replying_through_the_form_and_refusals_keep_the_text(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    reader = await world.member(slug)
    post_id = (await world.practice(author, slug))["id"]
    pages = Pages(world, reader)

    sent = await pages.form(f"/posts/{post_id}/replies", {"body": "We tried it: **worked**. <script>x()</script>"})
    assert sent.status_code == 303 and sent.headers["location"].startswith(f"/posts/{post_id}#reply-")
    html = main_of(await pages.get(f"/posts/{post_id}"))
    assert "<strong>worked</strong>" in html and "<script>x()" not in html
    assert "Replies (<span data-reply-count>1</span>)" in html
    assert await world.count("replies") == 1

    blank = await pages.form(f"/posts/{post_id}/replies", {"body": "   \n  "})
    assert blank.status_code == 422
    page = main_of(blank)
    assert 'role="alert"' in page and "A reply cannot be blank." in page
    assert 'aria-describedby="reply-body-hint reply-body-error" aria-invalid="true">   \n  </textarea>' in page

    long_text = "<b>keep me</b> " + "x" * 40_001
    too_long = await pages.form(f"/posts/{post_id}/replies", {"body": long_text})
    assert too_long.status_code == 422
    assert "Keep this to 40,000 characters or fewer." in too_long.text
    assert "&lt;b&gt;keep me&lt;/b&gt; xxx" in too_long.text and "<b>keep me</b>" not in too_long.text

    await world.set_post(post_id, "locked = true")
    locked_page = main_of(await pages.get(f"/posts/{post_id}"))
    assert 'id="reply-form"' not in locked_page and "locked this thread" in locked_page
    refused = await pages.form(f"/posts/{post_id}/replies", {"body": "Still want to say"})
    assert refused.status_code == 403 and "This thread is locked by a lead; no new replies." in refused.text
    assert await world.count("replies") == 1
    assert (await pages.form(f"/posts/{post_id}/replies", {"body": "No token"}, csrf=False)).status_code == 403
    assert await world.count("replies") == 1


async def test_a_request_page_offers_accept_decline_withdraw_and_close(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    requester = await world.member(slug)
    colleague = await world.member(slug, org=requester.person["organisation"]["name"] if requester.person else None)
    first = await world.member(slug)
    second = await world.member(slug)
    request = await world.request(
        requester, slug, title="KS3 science review", support_type="peer_review", urgency="high"
    )
    post_id = request["id"]
    asking, offering, other = Pages(world, requester), Pages(world, first), Pages(world, second)

    html = main_of(await asking.get(f"/posts/{post_id}"))
    assert 'Status: <strong id="request-status">open</strong>' in html
    assert "Support wanted: <strong>peer review</strong>" in html and "Urgency: <strong>high</strong>" in html
    assert 'id="offer-form"' not in html and 'id="close-form"' in html and "No offers yet." in html

    html = main_of(await offering.get(f"/posts/{post_id}"))
    assert 'id="offer-form"' in html and 'id="close-form"' not in html
    blank = await offering.form(f"/posts/{post_id}/offers", {"message": ""})
    assert blank.status_code == 422 and "Write something first." in blank.text
    made = await offering.form(f"/posts/{post_id}/offers", {"message": "We can *visit* in June."})
    assert made.status_code == 303 and made.headers["location"].startswith(f"/posts/{post_id}#offer-")
    offer_id = int(made.headers["location"].rsplit("-", 1)[1])
    again = await offering.form(f"/posts/{post_id}/offers", {"message": "A second, typed offer"})
    assert again.status_code == 409 and "already has an open offer" in again.text
    assert ">A second, typed offer</textarea>" not in again.text  # the form is gone: their offer is open
    assert await world.count("offers") == 1
    html = main_of(await offering.get(f"/posts/{post_id}"))
    assert f'action="/offers/{offer_id}/withdraw"' in html and f'action="/offers/{offer_id}/accept"' not in html
    assert 'Status: <strong id="request-status">in discussion</strong>' in html

    second_made = await other.form(f"/posts/{post_id}/offers", {"message": "Resources by post."})
    second_id = int(second_made.headers["location"].rsplit("-", 1)[1])

    # only the requesting organisation decides; an offerer cannot accept their own offer
    refused = await offering.form(f"/offers/{offer_id}/accept", {})
    assert (
        refused.status_code == 403 and "Only the requesting organisation may accept or decline offers." in refused.text
    )
    html = main_of(await asking.get(f"/posts/{post_id}"))
    assert f'action="/offers/{offer_id}/accept"' in html and f'action="/offers/{offer_id}/decline"' in html
    assert "<em>visit</em>" in html
    accepted = await Pages(world, colleague).form(f"/offers/{offer_id}/accept", {})  # lands on its engagement
    assert accepted.status_code == 303 and re.fullmatch(r"/engagements/\d+", accepted.headers["location"])
    redirected_to(await asking.form(f"/offers/{second_id}/decline", {}), f"/posts/{post_id}#offer-{second_id}")
    html = main_of(await asking.get(f"/posts/{post_id}"))
    assert 'Status: <strong id="request-status">matched</strong>' in html
    assert '<strong class="pill offer-pill">accepted</strong>' in html
    assert '<strong class="pill offer-pill">declined</strong>' in html
    twice = await asking.form(f"/offers/{second_id}/accept", {})
    assert twice.status_code == 409 and "This offer was already declined." in twice.text
    assert f'id="offer-{second_id}-error"' in twice.text

    third = await world.member(slug)
    third_made = await Pages(world, third).form(f"/posts/{post_id}/offers", {"message": "Later help"})
    third_id = int(third_made.headers["location"].rsplit("-", 1)[1])
    assert (await asking.form(f"/offers/{third_id}/withdraw", {})).status_code == 403
    redirected_to(
        await Pages(world, third).form(f"/offers/{third_id}/withdraw", {}), f"/posts/{post_id}#offer-{third_id}"
    )

    not_mine = await offering.form(f"/posts/{post_id}/close", {"outcome": "Done"})
    assert not_mine.status_code == 403 and "Only the requesting organisation or a lead may close" in not_mine.text
    blank = await asking.form(f"/posts/{post_id}/close", {"outcome": ""})
    assert blank.status_code == 422 and 'id="close-outcome-error"' in blank.text
    redirected_to(
        await asking.form(f"/posts/{post_id}/close", {"outcome": "Visit done; **new** schemes."}),
        f"/posts/{post_id}#request-status",
    )
    html = main_of(await asking.get(f"/posts/{post_id}"))
    assert 'Status: <strong id="request-status">closed</strong>' in html
    assert ">Outcome</h2>" in html and "<strong>new</strong> schemes" in html
    assert 'id="close-form"' not in html and 'id="offer-form"' not in html
    late = await Pages(world, await world.member(slug)).form(f"/posts/{post_id}/offers", {"message": "Too late"})
    assert late.status_code == 409 and "This request is closed." in late.text
    assert await world.count("offers") == 3


async def test_fragments_for_live_updates_follow_the_read_rules(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    closed = await world.network(lead, visibility="members", join_policy="request")
    requester = await world.member(slug)
    helper = await world.member(slug)
    request = await world.request(requester, slug)
    other_post = await world.practice(requester, slug)
    reply = (await helper.post(f"/posts/{request['id']}/replies", json={"body": "Hello *there*"})).json()
    offer = (await helper.post(f"/posts/{request['id']}/offers", json={"message": "Help"})).json()
    secret = await world.request(lead, closed)
    secret_reply = (await lead.post(f"/posts/{secret['id']}/replies", json={"body": "secret"})).json()

    asking = Pages(world, requester)
    item = await asking.get(f"/posts/{request['id']}/replies/{reply['id']}/item")
    assert item.status_code == 200 and item.text.lstrip().startswith(f'<li id="reply-{reply["id"]}"')
    assert "<em>there</em>" in item.text and "<main" not in item.text
    item = await asking.get(f"/posts/{request['id']}/offers/{offer['id']}/item")
    assert item.status_code == 200 and f'action="/offers/{offer["id"]}/accept"' in item.text
    mine = await Pages(world, helper).get(f"/posts/{request['id']}/offers/{offer['id']}/item")
    assert f'action="/offers/{offer["id"]}/withdraw"' in mine.text and "/accept" not in mine.text

    for path in (
        f"/posts/{other_post['id']}/replies/{reply['id']}/item",
        f"/posts/{other_post['id']}/offers/{offer['id']}/item",
        f"/posts/{secret['id']}/replies/{secret_reply['id']}/item",
    ):
        assert (await asking.get(path)).status_code == 404, path
    anonymous = Pages(world)
    assert (await anonymous.get(f"/posts/{request['id']}/replies/{reply['id']}/item")).status_code == 404
    await anonymous.aclose()


async def test_long_threads_are_paged_and_a_bad_cursor_starts_over(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    post_id = (await world.practice(author, slug))["id"]
    async with world.db() as session:
        session.add_all(Reply(post_id=post_id, author_id=author.id, body=f"Reply number {n}.") for n in range(1, 102))
        await session.commit()
    pages = Pages(world, author)

    first = main_of(await pages.get(f"/posts/{post_id}"))
    assert "Reply number 100." in first and "Reply number 101." not in first
    assert 'data-complete="0"' in first  # live replies are not appended to an unfinished list
    later = re.search(r'href="(/posts/\d+\?replies_after=[^"#]+)#replies">Later replies', first)
    assert later, first[-3000:]
    second = main_of(await pages.get(later.group(1)))
    assert "Reply number 101." in second and "Reply number 100." not in second
    assert 'data-complete="1"' in second and "Back to the first replies" in second
    bad = await pages.get(f"/posts/{post_id}?replies_after=garbage")
    assert bad.status_code == 303 and bad.headers["location"] == f"/posts/{post_id}#replies"
