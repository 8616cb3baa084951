"""Practices and requests over HTTP: create, list (filters, cursors), read, edit with revisions, close."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

from sqlalchemy import text

from network import cursors
from tests.conftest import ApiClient, World, event_kinds, problem, unique


async def written(world: World) -> tuple[int, int, int, int]:
    """What a refused request must leave unchanged."""
    return (
        await world.count("posts"),
        await world.count("post_revisions"),
        await world.count("events"),
        await world.count("notifications"),
    )


class Tags(HTMLParser):
    """The tags and attributes a browser would build from some HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, attrs))


async def walk(client: ApiClient, path: str, limit: int, **params: Any) -> list[list[dict[str, Any]]]:
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    while True:
        query = {"limit": limit, **params} | ({"cursor": cursor} if cursor else {})
        response = await client.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) == {"items", "next_cursor"}
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 50, "pagination does not end"


# --- creating -------------------------------------------------------------------------------------


async def test_create_needs_only_kind_title_and_body(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    earlier = await event_kinds(world)

    response = await author.post(f"/networks/{slug}/posts", json={"kind": "practice", "title": "T", "body": "B"})
    assert response.status_code == 201, response.text
    practice = response.json()
    assert practice["kind"] == "practice" and practice["title"] == "T" and practice["body"] == "B"
    assert practice["network"] == slug
    assert practice["author"]["id"] == author.id
    assert practice["author"]["organisation"]["id"] == author.person["organisation"]["id"]  # type: ignore[index]
    assert practice["status"] is None and practice["outcome"] == "" and practice["closed_at"] is None
    assert practice["themes"] == [] and practice["phases"] == [] and practice["resources"] == []
    assert practice["evidence_strength"] is None and practice["support_type"] is None
    assert practice["state"] == "visible" and practice["pinned"] is False and practice["locked"] is False
    assert practice["revision"] == 1 and practice["edited_at"] is None
    assert practice["reply_count"] == 0 and practice["offer_count"] == 0
    assert practice["reactions"] == {"useful": 0, "tried_it": 0}

    response = await author.post(f"/networks/{slug}/posts", json={"kind": "request", "title": "Help", "body": "B"})
    assert response.status_code == 201, response.text
    request = response.json()
    assert request["status"] == "open" and request["urgency"] is None and request["support_type"] is None

    assert (await author.get(f"/posts/{practice['id']}")).json() == practice
    assert await event_kinds(world) == [*earlier, "post.created", "post.created"]
    async with world.db() as session:
        payloads = (await session.execute(text("SELECT payload FROM events WHERE kind = 'post.created'"))).scalars()
        told = [(p if isinstance(p, dict) else json.loads(p))["post"] for p in payloads]
    posted = {post["id"]: post for post in told}
    assert sorted(posted) == sorted([practice["id"], request["id"]])
    assert posted[practice["id"]] == practice  # the event tells members what the author was answered


async def test_practice_and_request_fields_are_stored_and_normalised(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    practice = await world.practice(
        author,
        slug,
        title="  Reading fluency in Year 7  ",
        summary="Short daily fluency practice.",
        phases=["secondary", "primary", "secondary"],
        setting="Eight secondary academies, urban and coastal",
        what_we_did="Paired reading, **ten minutes** a day.",
        what_we_stopped="Stopped whole-class round-robin reading.",
        impact="Reading ages rose.",
        evidence_strength="internal_data",
        themes=["Early   Reading", "early reading", "Attendance", "KS3-transition"],
        resources=[{"title": " Guide ", "url": "https://example.org/guide.pdf"}],
    )
    assert practice["title"] == "Reading fluency in Year 7"
    assert practice["summary"] == "Short daily fluency practice."
    assert practice["phases"] == ["secondary", "primary"]
    assert practice["setting"] == "Eight secondary academies, urban and coastal"
    assert practice["what_we_did"] == "Paired reading, **ten minutes** a day."
    assert practice["what_we_stopped"] == "Stopped whole-class round-robin reading."
    assert practice["impact"] == "Reading ages rose."
    assert practice["evidence_strength"] == "internal_data"
    assert practice["themes"] == ["early reading", "attendance", "ks3-transition"]
    assert practice["resources"] == [{"title": "Guide", "url": "https://example.org/guide.pdf"}]

    request = await world.request(author, slug, support_type="peer_review", urgency="high")
    assert request["support_type"] == "peer_review" and request["urgency"] == "high"
    assert request["status"] == "open"

    fetched = (await lead.get(f"/posts/{practice['id']}")).json()
    assert {k: fetched[k] for k in ("themes", "phases", "evidence_strength", "resources")} == {
        k: practice[k] for k in ("themes", "phases", "evidence_strength", "resources")
    }


async def test_bad_posts_are_refused_and_write_nothing(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    before = await written(world)
    path = f"/networks/{slug}/posts"
    ok: dict[str, Any] = {"kind": "practice", "title": "A title", "body": "A body"}
    request: dict[str, Any] = ok | {"kind": "request"}
    cases: list[tuple[Any, int, tuple[str, ...]]] = [
        ({"kind": "practice", "body": "B"}, 400, ("title",)),
        ({"kind": "practice", "title": "T"}, 400, ("body",)),
        ({"title": "T", "body": "B"}, 400, ("kind",)),
        (ok | {"title": ""}, 400, ("title",)),
        (ok | {"body": ""}, 400, ("body",)),
        (ok | {"title": "   "}, 422, ("title", "blank")),
        (ok | {"body": " \n\t "}, 422, ("body", "blank")),
        (ok | {"title": "x" * 201}, 400, ("title",)),
        (ok | {"body": "x" * 40_001}, 400, ("body",)),
        (ok | {"summary": "x" * 501}, 400, ("summary",)),
        (ok | {"kind": "essay"}, 400, ("kind",)),
        (ok | {"evidence_strength": "strong"}, 400, ("evidence_strength",)),
        (ok | {"phases": ["university"]}, 400, ("phases",)),
        (ok | {"phases": "primary"}, 400, ("phases",)),
        (ok | {"themes": "reading"}, 400, ("themes",)),
        (ok | {"themes": ["<b>bold</b>"]}, 400, ("themes",)),
        (ok | {"themes": [f"theme {i}" for i in range(9)]}, 400, ("themes",)),
        (ok | {"themes": ["x" * 41]}, 400, ("themes",)),
        (ok | {"resources": [{"title": "Evil", "url": "javascript:alert(1)"}]}, 400, ("url",)),
        (ok | {"resources": [{"title": "No url"}]}, 400, ("url",)),
        (ok | {"title": 123}, 400, ("title",)),
        (ok | {"body": ["B"]}, 400, ("body",)),
        (ok | {"colour": "blue"}, 400, ("colour",)),
        (ok | {"support_type": "visit"}, 422, ("support_type", "practice")),
        (ok | {"urgency": "high"}, 422, ("urgency",)),
        (request | {"evidence_strength": "comparison"}, 422, ("evidence_strength", "request")),
        (request | {"themes": ["reading"], "impact": "Big"}, 422, ("themes", "impact")),
        (request | {"support_type": "money"}, 400, ("support_type",)),
        (request | {"urgency": "yesterday"}, 400, ("urgency",)),
        ([ok], 400, ()),
        ("not an object", 400, ()),
    ]
    for body, status, words in cases:
        problem(await author.post(path, json=body), status, *words)
    response = await author.post(path, content=b"{not json", headers={"content-type": "application/json"})
    problem(response, 400)
    # unsafe requests need the CSRF header when signed in by cookie
    response = await author.http.post(path, json=ok)
    problem(response, 403, "csrf")
    assert await written(world) == before


async def test_who_may_post(world: World) -> None:
    lead = await world.person()
    public = await world.network(lead, join_policy="request")
    private = await world.network(lead, visibility="members", join_policy="request")
    member = await world.person()
    for slug in (public, private):
        assert (await member.post(f"/networks/{slug}/join")).json()["state"] == "pending"
        response = await lead.patch(f"/networks/{slug}/members/{member.id}", json={"state": "active"})
        assert response.status_code == 200, response.text
    pending = await world.person()
    for slug in (public, private):
        assert (await pending.post(f"/networks/{slug}/join")).json()["state"] == "pending"
    outsider = await world.person()
    watcher = await world.observer(lead, public)
    muted = await world.person()
    assert (await muted.post(f"/networks/{public}/join")).status_code == 200
    await lead.patch(f"/networks/{public}/members/{muted.id}", json={"state": "active"})
    response = await lead.patch(
        f"/networks/{public}/members/{muted.id}", json={"state": "muted", "until": "2999-01-01T00:00:00Z"}
    )
    assert response.status_code == 200, response.text
    anonymous = world.client()
    body = {"kind": "practice", "title": "T", "body": "B"}
    before = await written(world)

    # a public network may be read by anyone signed in, so a refusal to post there is a 403
    problem(await outsider.post(f"/networks/{public}/posts", json=body), 403, "members")
    problem(await pending.post(f"/networks/{public}/posts", json=body), 403, "members")
    problem(await watcher.post(f"/networks/{public}/posts", json=body), 403)
    problem(await muted.post(f"/networks/{public}/posts", json=body), 403, "muted")
    # a members-only network is not confirmed to exist to those who may not read it
    problem(await outsider.post(f"/networks/{private}/posts", json=body), 404)
    problem(await pending.post(f"/networks/{private}/posts", json=body), 404)
    problem(await outsider.get(f"/networks/{private}/posts"), 404)
    problem(await outsider.post("/networks/no-such-network/posts", json=body), 404)
    assert (await anonymous.post(f"/networks/{public}/posts", json=body)).status_code == 401
    assert (await anonymous.get(f"/networks/{public}/posts")).status_code == 401
    assert await written(world) == before

    # the observer reads what they may not write
    assert (await watcher.get(f"/networks/{public}/posts")).status_code == 200
    for client, slug in ((member, public), (member, private), (lead, private)):
        response = await client.post(f"/networks/{slug}/posts", json=body)
        assert response.status_code == 201, response.text
    assert await world.count("posts") == 3


async def test_markdown_is_stored_as_written_and_rendered_sanitised(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    body = (
        "We used **paired reading**.\n\n"
        "<script>alert('x')</script>\n\n"
        "[click me](javascript:alert(1)) and [our guide](https://example.org/guide)\n\n"
        '<img src=x onerror="alert(2)">'
    )
    post = await world.practice(author, slug, body=body)
    assert post["body"] == body
    html = post["body_html"]
    assert "<strong>paired reading</strong>" in html
    assert 'href="https://example.org/guide"' in html
    tags = Tags()
    tags.feed(html)
    assert {t for t, _ in tags.seen} <= {"p", "strong", "a"}, html
    for _, attrs in tags.seen:
        for name, value in attrs:
            assert name in ("href", "rel"), html
            assert not (value or "").strip().lower().startswith("javascript"), html
    assert [dict(attrs)["href"] for t, attrs in tags.seen if t == "a"] == ["https://example.org/guide"]
    assert "<script" not in html and "<img" not in html
    async with world.db() as session:
        stored = (await session.execute(text("SELECT body FROM posts WHERE id = :id"), {"id": post["id"]})).scalar()
    assert stored == body
    listed = (await lead.get(f"/networks/{slug}/posts")).json()["items"][0]
    assert listed["body"] == body and listed["body_html"] == html
    assert (await lead.get(f"/posts/{post['id']}")).json()["body_html"] == html


# --- listing --------------------------------------------------------------------------------------


async def test_feed_pages_cover_every_post_once_newest_first_with_pinned_on_top(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    ids = [(await world.practice(author, slug, title=f"Practice {i}"))["id"] for i in range(7)]
    path = f"/networks/{slug}/posts"

    pages = await walk(author, path, 3)
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [p["id"] for page in pages for p in page] == sorted(ids, reverse=True)

    exact = await walk(author, path, 7)
    assert [len(p) for p in exact] == [7]  # a full last page has no next cursor
    assert [len(p) for p in await walk(author, path, 100)] == [7]

    # a new post arriving mid-walk neither shifts nor repeats what follows the cursor
    first = (await author.get(path, params={"limit": 3})).json()
    await world.practice(author, slug, title="Arrived later")
    rest = await walk(author, path, 3, cursor=first["next_cursor"])
    seen = [p["id"] for p in first["items"]] + [p["id"] for page in rest for p in page]
    assert seen == sorted(ids, reverse=True)

    # pinned posts come first (newest pinned first), then the rest newest first
    newest = (await author.get(path, params={"limit": 1})).json()["items"][0]["id"]
    for pinned in (ids[1], ids[4]):
        body = {"target_type": "post", "target_id": pinned, "action": "pin", "reason": "Start here"}
        assert (await lead.post(f"/networks/{slug}/decisions", json=body)).status_code == 201
    everything = sorted(ids, reverse=True)
    expected = [ids[4], ids[1], newest] + [i for i in everything if i not in (ids[1], ids[4])]
    for limit in (1, 2, 3):
        pages = await walk(author, path, limit)
        assert [p["id"] for page in pages for p in page] == expected, limit
    assert (await author.get(path)).json()["items"][0]["pinned"] is True


async def test_feed_filters(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    reading = await world.practice(author, slug, themes=["Reading"], phases=["primary"], evidence_strength="comparison")
    early = await world.practice(
        author, slug, themes=["Early  Reading", "SEND"], phases=["early_years"], evidence_strength="anecdotal"
    )
    plain = await world.practice(author, slug)
    open_request = await world.request(author, slug)
    closed_request = await world.request(author, slug)
    response = await author.post(f"/posts/{closed_request['id']}/close", json={"outcome": "Solved in-house."})
    assert response.status_code == 200, response.text
    path = f"/networks/{slug}/posts"

    async def ids(**params: Any) -> list[int]:
        response = await author.get(path, params=params)
        assert response.status_code == 200, response.text
        return [p["id"] for p in response.json()["items"]]

    assert await ids(kind="practice") == [plain["id"], early["id"], reading["id"]]
    assert await ids(kind="request") == [closed_request["id"], open_request["id"]]
    assert await ids(theme="reading") == [reading["id"]]
    assert await ids(theme="READING") == [reading["id"]]
    assert await ids(theme="early   reading") == [early["id"]]
    assert await ids(theme="read") == []
    assert await ids(theme="send") == [early["id"]]
    assert await ids(phase="primary") == [reading["id"]]
    assert await ids(phase="early_years") == [early["id"]]
    assert await ids(evidence_strength="comparison") == [reading["id"]]
    assert await ids(evidence_strength="external_evaluation") == []
    assert await ids(status="open") == [open_request["id"]]
    assert await ids(status="closed") == [closed_request["id"]]
    assert await ids(kind="practice", theme="send", phase="early_years") == [early["id"]]
    assert await ids(kind="request", theme="reading") == []
    pages = await walk(author, path, 1, kind="practice")
    assert [p["id"] for page in pages for p in page] == [plain["id"], early["id"], reading["id"]]

    for params in (
        {"kind": "essay"},
        {"phase": "university"},
        {"evidence_strength": "strong"},
        {"status": "pending"},
        {"theme": "x" * 41},
    ):
        problem(await author.get(path, params=params), 400, next(iter(params)))


async def test_feed_refuses_bad_cursors_and_limits(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    for i in range(3):
        await world.practice(author, slug, title=f"P{i}")
    path = f"/networks/{slug}/posts"
    good = (await author.get(path, params={"limit": 1})).json()["next_cursor"]
    assert good
    tampered = good[:-2] + ("AA" if good[-2:] != "AA" else "BB")
    for cursor in (
        "garbage",
        "!!!",
        "1:5",
        tampered,
        good[:-3],
        good + "A",
        cursors.encode(5),  # a one-part cursor from an id-ordered list
        cursors.encode_key((2, 5)),
        "x" * 201,
    ):
        problem(await author.get(path, params={"cursor": cursor}), 400, "cursor")
    # a well-formed cursor beyond every row is just an empty page, never a database error
    response = await author.get(path, params={"cursor": cursors.encode_key((0, 10**17))})
    assert response.status_code == 200 and len(response.json()["items"]) == 3
    response = await author.get(path, params={"cursor": cursors.encode_key((0, 1))})
    assert response.json() == {"items": [], "next_cursor": None}
    for limit in ("0", "-1", "101", "abc", "1.5"):
        problem(await author.get(path, params={"limit": limit}), 400, "limit")
    assert len((await author.get(path, params={"limit": 100})).json()["items"]) == 3
    assert (await author.get(path, params={"cursor": ""})).status_code == 200


# --- reading --------------------------------------------------------------------------------------


async def test_members_only_posts_are_not_found_for_outsiders(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members", join_policy="request")
    member = await world.person()
    await member.post(f"/networks/{slug}/join")
    await lead.patch(f"/networks/{slug}/members/{member.id}", json={"state": "active"})
    requester = await world.person()
    await requester.post(f"/networks/{slug}/join")
    await lead.patch(f"/networks/{slug}/members/{requester.id}", json={"state": "active"})
    request = await world.request(requester, slug)
    practice = await world.practice(member, slug)
    offer = await member.post(f"/posts/{request['id']}/offers", json={"message": "We can visit."})
    assert offer.status_code == 201, offer.text
    offer_id = offer.json()["id"]
    assert (await member.get(f"/posts/{practice['id']}")).json()["title"] == practice["title"]
    assert (await lead.get(f"/posts/{request['id']}")).status_code == 200

    outsider = await world.person()
    pending = await world.person()
    assert (await pending.post(f"/networks/{slug}/join")).json()["state"] == "pending"
    before = await written(world)
    missing = 10**9
    for client in (outsider, pending):
        for post_id in (request["id"], practice["id"], missing):
            body = problem(await client.get(f"/posts/{post_id}"), 404)
            assert body["detail"] == f"No post {post_id}."  # the same words whether it exists or not
            problem(await client.get(f"/posts/{post_id}/replies"), 404)
            problem(await client.get(f"/posts/{post_id}/offers"), 404)
            problem(await client.get(f"/posts/{post_id}/revisions"), 404)
            problem(await client.post(f"/posts/{post_id}/replies", json={"body": "Hi"}), 404)
            problem(await client.post(f"/posts/{post_id}/reactions", json={"kind": "useful"}), 404)
            problem(await client.delete(f"/posts/{post_id}/reactions/useful"), 404)
            problem(await client.post(f"/posts/{post_id}/offers", json={"message": "Us"}), 404)
            problem(await client.patch(f"/posts/{post_id}", json={"title": "Mine now"}), 404)
            problem(await client.post(f"/posts/{post_id}/close", json={"outcome": "Done"}), 404)
        for action in ("accept", "decline", "withdraw"):
            problem(await client.post(f"/offers/{offer_id}/{action}"), 404)
            problem(await client.post(f"/offers/{missing}/{action}"), 404)
    anonymous = world.client()
    assert (await anonymous.get(f"/posts/{practice['id']}")).status_code == 401
    problem(await member.get("/posts/not-a-number"), 404)
    assert await written(world) == before

    # content a lead hid is shown to its author and leads, and not found for other members
    body = {"target_type": "post", "target_id": practice["id"], "action": "hide", "reason": "Names a pupil"}
    assert (await lead.post(f"/networks/{slug}/decisions", json=body)).status_code == 201
    assert (await member.get(f"/posts/{practice['id']}")).status_code == 200
    assert (await lead.get(f"/posts/{practice['id']}")).status_code == 200
    problem(await requester.get(f"/posts/{practice['id']}"), 404)
    assert practice["id"] not in [p["id"] for p in (await requester.get(f"/networks/{slug}/posts")).json()["items"]]


# --- editing --------------------------------------------------------------------------------------


async def test_author_edits_and_the_previous_version_is_kept(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    colleague = await world.member(slug, org=author.person["organisation"]["name"])  # type: ignore[index]
    other = await world.member(slug)
    post = await world.practice(author, slug, title="First title", themes=["Reading"], evidence_strength="anecdotal")
    assert (await author.get(f"/posts/{post['id']}/revisions")).json() == []

    response = await author.patch(
        f"/posts/{post['id']}",
        json={"title": "Better title", "themes": ["Reading", "Oracy"], "evidence_strength": "comparison"},
    )
    assert response.status_code == 200, response.text
    edited = response.json()
    assert edited["title"] == "Better title" and edited["themes"] == ["reading", "oracy"]
    assert edited["evidence_strength"] == "comparison" and edited["body"] == post["body"]
    assert edited["revision"] == 2 and edited["edited_at"] is not None
    revisions = (await other.get(f"/posts/{post['id']}/revisions")).json()
    assert len(revisions) == 1
    assert revisions[0]["revision"] == 1 and revisions[0]["editor_id"] == author.id
    assert revisions[0]["content"]["title"] == "First title"
    assert revisions[0]["content"]["themes"] == ["reading"]
    assert revisions[0]["content"]["evidence_strength"] == "anecdotal"
    assert (await world.count("events", "kind = 'post.updated'")) == 1

    # an edit that changes nothing keeps no revision and tells nobody
    before = await written(world)
    response = await author.patch(f"/posts/{post['id']}", json={"title": "Better title"})
    assert response.status_code == 200 and response.json()["revision"] == 2
    assert await written(world) == before

    # refusals write nothing: no revision, no event, the post unchanged
    for client, body, status, words in (
        (other, {"title": "Hijacked"}, 403, ("author",)),
        (colleague, {"title": "Hijacked"}, 403, ("author",)),
        (author, {"title": ""}, 400, ("title",)),
        (author, {"title": "   "}, 422, ("title",)),
        (author, {"body": "x" * 40_001}, 400, ("body",)),
        (author, {"title": "x" * 201}, 400, ("title",)),
        (author, {"evidence_strength": "strong"}, 400, ("evidence_strength",)),
        (author, {"support_type": "visit"}, 422, ("support_type",)),
        (author, {"kind": "request"}, 400, ("kind",)),
        (author, {"title": 7}, 400, ("title",)),
        (author, {"title": "Fine", "themes": ["<i>"]}, 400, ("themes",)),
        (lead, {"title": "Lead wording"}, 422, ("reason",)),
    ):
        problem(await client.patch(f"/posts/{post['id']}", json=body), status, *words)
    assert await written(world) == before
    assert (await author.get(f"/posts/{post['id']}")).json() == edited

    # a lead may edit with a reason; the author is told
    response = await lead.patch(f"/posts/{post['id']}", json={"title": "Lead wording", "reason": "Clause 3: names"})
    assert response.status_code == 200, response.text
    assert response.json()["revision"] == 3
    revisions = (await author.get(f"/posts/{post['id']}/revisions")).json()
    assert [r["revision"] for r in revisions] == [2, 1]
    assert revisions[0]["reason"] == "Clause 3: names" and revisions[0]["editor_id"] == lead.id
    assert await world.count("notifications", f"person_id = {author.id} AND kind = 'post.edited_by_lead'") == 1

    # a request's own fields can be edited on a request
    request = await world.request(author, slug)
    response = await author.patch(f"/posts/{request['id']}", json={"urgency": "low", "support_type": "visit"})
    assert response.status_code == 200 and response.json()["urgency"] == "low"


async def test_close_request_with_outcome(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    org = unique("Requesting Trust ")
    requester = await world.member(slug, org=org)
    colleague = await world.member(slug, org=org)
    other = await world.member(slug)
    request = await world.request(requester, slug)
    practice = await world.practice(requester, slug)
    before = await written(world)

    problem(await other.post(f"/posts/{request['id']}/close", json={"outcome": "Done"}), 403, "organisation")
    problem(await requester.post(f"/posts/{practice['id']}/close", json={"outcome": "Done"}), 422, "request")
    problem(await requester.post(f"/posts/{request['id']}/close", json={"outcome": ""}), 400, "outcome")
    problem(await requester.post(f"/posts/{request['id']}/close", json={"outcome": "  "}), 422, "outcome")
    problem(await requester.post(f"/posts/{request['id']}/close", json={"outcome": "x" * 10_001}), 400, "outcome")
    problem(await requester.post(f"/posts/{request['id']}/close", json={}), 400, "outcome")
    assert await written(world) == before

    response = await colleague.post(f"/posts/{request['id']}/close", json={"outcome": " Matched with a local trust. "})
    assert response.status_code == 200, response.text
    closed = response.json()
    assert closed["status"] == "closed" and closed["outcome"] == "Matched with a local trust."
    assert closed["closed_at"] is not None
    assert (await event_kinds(world))[before[2] :] == ["post.updated"]

    before = await written(world)
    problem(await requester.post(f"/posts/{request['id']}/close", json={"outcome": "Again"}), 409, "closed")
    assert await written(world) == before

    # a lead may close any request
    another = await world.request(requester, slug)
    response = await lead.post(f"/posts/{another['id']}/close", json={"outcome": "Stale for a term."})
    assert response.status_code == 200 and response.json()["status"] == "closed"

    # a requester who may no longer take part (here: muted) cannot close it either
    third = await world.request(requester, slug)
    response = await lead.patch(
        f"/networks/{slug}/members/{requester.id}", json={"state": "muted", "until": "2999-01-01T00:00:00Z"}
    )
    assert response.status_code == 200, response.text
    before = await written(world)
    problem(await requester.post(f"/posts/{third['id']}/close", json={"outcome": "Done"}), 403, "muted")
    assert await written(world) == before
    assert (await colleague.post(f"/posts/{third['id']}/close", json={"outcome": "Done"})).status_code == 200
