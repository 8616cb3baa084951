"""The notifications page, rendered by the real server: sentences, links, paging, marking read."""

from __future__ import annotations

import html as htmllib
import re

import httpx

from tests.conftest import ApiClient, World


async def page(world: World, c: ApiClient | None, path: str) -> httpx.Response:
    if c is None:
        async with httpx.AsyncClient(base_url=world.server.url) as anon:
            return await anon.get(path)
    return await c.http.get(world.server.url + path)


async def form_post(world: World, c: ApiClient, path: str, **fields: str) -> httpx.Response:
    """A browser's form POST: the CSRF token travels as the `_csrf_token` field."""
    await c._csrf()
    data = {"_csrf_token": c.http.cookies["csrftoken"]} | fields
    return await c.http.post(world.server.url + path, data=data)


def badge(html: str) -> int:
    match = re.search(r'id="unread-badge".*?<span data-unread>(\d+)</span>', html, re.S)
    assert match, "no unread badge in the header"
    return int(match.group(1))


def items(html: str) -> list[str]:
    """The list items' text, tags dropped, in page order."""
    found = re.findall(r'<li class="notification[^"]*"[^>]*>(.*?)</li>', html, re.S)
    return [" ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", f)).split()) for f in found]


async def test_signed_out_is_sent_to_sign_in(world: World) -> None:
    async with httpx.AsyncClient(base_url=world.server.url) as anon:
        response = await anon.get("/notifications")
        assert response.status_code == 303
        assert response.headers["location"] == "/signin?next=/notifications"
        latest = await anon.get("/notifications/latest?after=0")
        assert latest.status_code == 401
        await anon.get("/api/v1/networks")  # a csrftoken cookie, as a browser would have
        token = anon.cookies["csrftoken"]
        marked = await anon.post("/notifications/read", data={"_csrf_token": token})
        assert marked.status_code == 303
        assert marked.headers["location"].startswith("/signin")


async def test_every_kind_reads_as_a_sentence_with_a_link(world: World) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead, name="Reading <Network>")
    alice = await world.member(slug, name="Alice Able", follow="all")
    bob = await world.member(slug, name="Bob Bright", org="Bright <Trust>")
    carol = await world.member(slug, name="Carol Crisp")
    request = await world.request(alice, slug, title="Help with <b>KS3</b> science")
    assert (await bob.post(f"/posts/{request['id']}/replies", json={"body": "Happy to help @Alice Able"})).is_success
    offer = (await bob.post(f"/posts/{request['id']}/offers", json={"message": "We can visit"})).json()
    other = (await carol.post(f"/posts/{request['id']}/offers", json={"message": "Resources"})).json()
    assert (await alice.post(f"/offers/{offer['id']}/accept")).is_success
    assert (await alice.post(f"/offers/{other['id']}/decline")).is_success
    practice = await world.practice(bob, slug, title="Phonics fidelity")
    thanks = {"body": "Thanks @Bob Bright"}
    assert (await alice.post(f"/posts/{request['id']}/replies", json=thanks)).is_success

    response = await page(world, alice, "/notifications")
    assert response.status_code == 200
    html = response.text
    texts = items(html)
    # newest first: the practice Bob shared is Alice's newest notification
    assert texts[0].startswith("Unread Bob Bright shared a new practice in Reading <Network>: “Phonics fidelity”.")
    assert any("Bob Bright replied to your post “Help with <b>KS3</b> science”." in t for t in texts)
    assert any("Bright <Trust> offered help with your request “Help with <b>KS3</b> science”." in t for t in texts)
    assert "Help with &lt;b&gt;KS3&lt;/b&gt; science" in html and "<b>KS3</b>" not in html
    assert "Bright &lt;Trust&gt;" in html and "Reading &lt;Network&gt;" in html
    assert f'href="/posts/{request["id"]}#reply-' in html
    assert f'href="/posts/{practice["id"]}"' in html
    assert badge(html) == len(texts) == 4  # reply, offer.made, offer (carol), post.created

    bob_html = (await page(world, bob, "/notifications")).text
    assert any("Your offer on “Help with <b>KS3</b> science” was accepted." in t for t in items(bob_html))
    assert any("Alice Able mentioned you in “Help with <b>KS3</b> science”." in t for t in items(bob_html))
    carol_html = (await page(world, carol, "/notifications")).text
    assert any("Your offer on “Help with <b>KS3</b> science” was declined." in t for t in items(carol_html))
    lead_html = (await page(world, lead, "/notifications")).text
    assert any(t.startswith("Unread You are now a lead of Reading <Network>.") for t in items(lead_html))
    assert f'href="/networks/{slug}"' in lead_html

    # withdrawing tells the requester
    third = (await carol.post(f"/posts/{request['id']}/offers", json={"message": "Again"})).json()
    assert (await carol.post(f"/offers/{third['id']}/withdraw")).is_success
    texts = items((await page(world, alice, "/notifications")).text)
    assert texts[0].startswith("Unread Trust")  # Carol's organisation is named
    assert "withdrew its offer on your request “Help with <b>KS3</b> science”." in texts[0]


async def test_membership_notifications_read_as_sentences(world: World) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead, join_policy="request", name="Maths Hub")
    erin = await world.person(name="Erin Early")
    frank = await world.person(name="Frank Fair")
    for who in (erin, frank):
        assert (await who.post(f"/networks/{slug}/join")).json()["state"] == "pending"
    lead_texts = items((await page(world, lead, "/notifications")).text)
    assert any("Erin Early asked to join Maths Hub." in t for t in lead_texts)
    assert (await lead.patch(f"/networks/{slug}/members/{erin.id}", json={"state": "active"})).is_success
    change = {"state": "muted", "until": "2099-01-01T00:00:00Z", "reason": "Off-topic <posts>"}
    assert (await lead.patch(f"/networks/{slug}/members/{erin.id}", json=change)).is_success
    assert (await lead.delete(f"/networks/{slug}/members/{erin.id}", params={"reason": "Repeated"})).status_code == 204
    refused = await lead.delete(f"/networks/{slug}/members/{frank.id}")  # a decline says why
    assert refused.status_code == 422, refused.text
    assert (await lead.delete(f"/networks/{slug}/members/{frank.id}", params={"reason": "Trusts only"})).is_success

    html = (await page(world, erin, "/notifications")).text
    texts = items(html)
    assert texts[0].startswith("Unread You were removed from Maths Hub. Reason given: Repeated.")
    assert texts[1].startswith("Unread A lead of Maths Hub muted you until 01 January 2099 00:00 UTC.")
    assert "Reason given: Off-topic <posts>." in texts[1] and "Off-topic &lt;posts&gt;" in html
    assert "Appeal this decision" in texts[1]
    assert texts[2].startswith("Unread Your request to join Maths Hub was approved")
    assert 'href="/networks"' in html
    frank_texts = items((await page(world, frank, "/notifications")).text)
    assert frank_texts[0].startswith("Unread Your request to join Maths Hub was declined. Reason given: Trusts only.")


async def test_moderation_notifications_read_as_sentences_with_their_links(world: World) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead, name="Maths Hub")
    other_lead = await world.member(slug, name="Olu Other")
    assert (await lead.patch(f"/networks/{slug}/members/{other_lead.id}", json={"role": "lead"})).is_success
    author, reporter = await world.member(slug, name="Ann Author"), await world.member(slug, name="Rex Reporter")
    post = await world.practice(author, slug, title="Times tables <b>daily</b>")
    flagged = await reporter.post(f"/posts/{post['id']}/flags", json={"reason": "spam"})
    assert flagged.status_code == 201, flagged.text
    lead_html = (await page(world, lead, "/notifications")).text
    assert any(
        t.startswith("Unread A flagged post, “Times tables <b>daily</b>” is waiting in the Maths Hub review queue")
        for t in items(lead_html)
    )
    assert f'href="/networks/{slug}/queue"' in lead_html and "&lt;b&gt;daily" in lead_html

    body = {"target_type": "post", "target_id": post["id"], "action": "hide", "reason": "An advert", "clause": 3}
    decided = await lead.post(f"/networks/{slug}/decisions", json=body)
    assert decided.status_code == 201, decided.text
    author_html = (await page(world, author, "/notifications")).text
    first = items(author_html)[0]
    assert first.startswith("Unread A lead hid your post “Times tables <b>daily</b>”. Reason given: An advert.")
    assert "(charter clause 3)" in first and "Appeal this decision" in first
    assert f'href="/decisions/{decided.json()["id"]}/appeal"' in author_html
    assert f'href="/networks/{slug}/charter#clause-3"' in author_html
    reporter_first = items((await page(world, reporter, "/notifications")).text)[0]
    assert reporter_first.startswith("Unread The leads of Maths Hub looked at your flag on “Times tables")
    assert "they acted on it" in reporter_first

    appeal = await author.post("/appeals", json={"decision_id": decided.json()["id"], "statement": "Not an advert."})
    assert appeal.status_code == 201, appeal.text
    decider_first = items((await page(world, other_lead, "/notifications")).text)[0]
    assert decider_first.startswith("Unread Ann Author appealed a decision in Maths Hub. Read and decide it.")
    outcome = {"outcome": "overturned", "reason": "It is practice, with a product named"}
    assert (await other_lead.post(f"/appeals/{appeal.json()['id']}/decide", json=outcome)).is_success
    author_first = items((await page(world, author, "/notifications")).text)[0]
    assert author_first.startswith("Unread The appeal in Maths Hub was overturned: the decision is undone.")


async def test_mark_one_and_all_read_with_post_redirect_get(world: World) -> None:
    slug, alice, bob = await world.two_members(practices=3)
    await world.follow(bob, slug, "all")
    await world.practice(alice, slug, title="Alice's own")  # tells Bob, not Alice
    html = (await page(world, alice, "/notifications")).text
    assert badge(html) == 3
    ids = [int(i) for i in re.findall(r'action="/notifications/(\d+)/read"', html)]
    assert len(ids) == 3
    assert html.count('name="_csrf_token"') >= 5  # sign-out, mark all, three items

    # without the CSRF token: refused, nothing marked
    await alice._csrf()
    refused = await alice.http.post(world.server.url + f"/notifications/{ids[0]}/read", data={"next": "/notifications"})
    assert refused.status_code == 403
    assert await world.count("notifications", "read_at IS NOT NULL") == 0

    # one item: 303 back to where the form said (only this page), badge down
    marked = await form_post(world, alice, f"/notifications/{ids[0]}/read", next="/notifications?unread=1")
    assert marked.status_code == 303 and marked.headers["location"] == "/notifications?unread=1"
    assert await world.count("notifications", f"id = {ids[0]} AND read_at IS NOT NULL") == 1
    html = (await page(world, alice, "/notifications")).text
    assert badge(html) == 2
    assert f'action="/notifications/{ids[0]}/read"' not in html  # no button on a read item
    unread_only = (await page(world, alice, "/notifications?unread=1")).text
    assert len(items(unread_only)) == 2 and all(t.startswith("Unread") for t in items(unread_only))

    # a foreign target is not followed
    elsewhere = await form_post(world, alice, f"/notifications/{ids[1]}/read", next="https://evil.example/")
    assert elsewhere.headers["location"] == "/notifications"

    # someone else's notification: nothing happens to it
    bob_ids = [
        int(i) for i in re.findall(r'/notifications/(\d+)/read"', (await page(world, bob, "/notifications")).text)
    ]
    assert bob_ids
    await form_post(world, alice, f"/notifications/{bob_ids[0]}/read")
    assert await world.count("notifications", f"id = {bob_ids[0]} AND read_at IS NULL") == 1

    # with JavaScript the page asks for JSON and gets the new count back
    await bob._csrf()
    as_json = await bob.http.post(
        world.server.url + f"/notifications/{bob_ids[0]}/read",
        data={"_csrf_token": bob.http.cookies["csrftoken"]},
        headers={"accept": "application/json"},
    )
    assert as_json.status_code == 200
    assert as_json.json() == {"marked": 1, "unread": len(bob_ids) - 1}

    # mark all
    done = await form_post(world, alice, "/notifications/read", next="/notifications")
    assert done.status_code == 303 and done.headers["location"] == "/notifications"
    html = (await page(world, alice, "/notifications")).text
    assert badge(html) == 0
    assert "Unread" not in " ".join(items(html))
    assert await world.count("notifications", f"person_id = {alice.id} AND read_at IS NULL") == 0
    assert await world.count("notifications", f"person_id = {bob.id} AND read_at IS NULL") == len(bob_ids) - 1


async def test_pages_older_notifications_with_a_cursor(world: World) -> None:
    _, reader, _ = await world.two_members(practices=32, title="Practice number")
    first = await page(world, reader, "/notifications")
    texts = items(first.text)
    assert len(texts) == 30
    assert "“Practice number 31”" in texts[0] and "“Practice number 2”" in texts[-1]
    more = re.search(r'href="(/notifications\?cursor=[^"]+)" rel="next"', first.text)
    assert more, "no link to older notifications"
    second = await page(world, reader, more.group(1).replace("&amp;", "&"))
    texts = items(second.text)
    assert [t.split("“")[1].split("”")[0] for t in texts] == ["Practice number 1", "Practice number 0"]
    assert 'rel="next"' not in second.text
    assert 'data-live="1"' in first.text and 'data-live="1"' not in second.text  # live arrivals only on top

    bad = await page(world, reader, "/notifications?cursor=not-a-cursor")
    assert bad.status_code == 400
    assert 'role="alert"' in bad.text and "cursor is not valid" in bad.text


async def test_latest_items_are_only_the_readers_newer_ones(world: World) -> None:
    slug, reader, author = await world.two_members()
    await world.practice(author, slug, title="Older")
    html = (await page(world, reader, "/notifications")).text
    top = int(re.search(r'data-top-seq="(\d+)"', html).group(1))  # type: ignore[union-attr]
    assert top >= 1
    await world.practice(author, slug, title="Newer <i>one</i>")
    latest = await page(world, reader, f"/notifications/latest?after={top}")
    assert latest.status_code == 200
    texts = items(latest.text)
    assert len(texts) == 1 and "“Newer <i>one</i>”" in texts[0]
    assert "<i>one</i>" not in latest.text
    assert "<html" not in latest.text  # a fragment, for the live list
    assert items((await page(world, author, f"/notifications/latest?after={top}")).text) == []
