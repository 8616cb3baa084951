"""The search service on both databases: stemming, ranking, phrases, filters, cursors, replies, snippets,
bad queries, and never past what the reader may read now (docs/design.md §3.11, §4)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network import clock
from network.cursors import BadCursor
from network.enums import EvidenceStrength, Phase, PostKind, RequestStatus
from network.errors import Invalid
from network.models import Person
from network.search import service
from network.search.filters import SearchFilters, Sort
from tests.conftest import ApiClient, World


async def find(db: async_sessionmaker[AsyncSession], reader: ApiClient | None, q: str, **kw: Any) -> service.SearchPage:
    cursor = kw.pop("cursor", None)
    limit = kw.pop("limit", 20)
    async with db() as session:
        person = await session.get(Person, reader.id) if reader else None
        return await service.search(session, person, q, SearchFilters(**kw), cursor=cursor, limit=limit)


def titles(found: service.SearchPage) -> list[str]:
    return [hit.post.title for hit in found.items]


async def test_stemming_meets_attend_attending_and_attendance(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(lead, slug, title="Attendance drive", body="Daily calls home.")
    await world.practice(lead, slug, title="Breakfast club", body="Pupils attending before school.")
    await world.practice(lead, slug, title="Maths mastery", summary="Those who attend every session gain most.")
    await world.practice(lead, slug, title="Unrelated", body="Nothing here.")
    for q in ("attend", "attendance", "ATTENDING"):
        assert set(titles(await find(db, lead, q))) == {"Attendance drive", "Breakfast club", "Maths mastery"}, q
    assert (await find(db, lead, "attendance")).total == 3


async def test_title_outranks_summary_outranks_body_and_newest_sorts_by_time(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(lead, slug, title="Body only", body="A long note that mentions oracy once among many words.")
    await world.practice(lead, slug, title="Oracy across the curriculum", body="How we taught talk.")
    await world.practice(lead, slug, title="Summary only", summary="Oracy in every lesson.")
    assert titles(await find(db, lead, "oracy")) == ["Oracy across the curriculum", "Summary only", "Body only"]
    newest = await find(db, lead, "oracy", sort=Sort.NEWEST)
    assert titles(newest) == ["Summary only", "Oracy across the curriculum", "Body only"]
    assert all(hit.score is None for hit in newest.items)
    assert all(hit.score is not None for hit in (await find(db, lead, "oracy")).items)


async def test_phrases_and_exclusions(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(lead, slug, title="Peer review of science", body="A peer review visit.")
    await world.practice(lead, slug, title="Review by a peer", body="Science and maths.")
    await world.practice(lead, slug, title="Peer review of maths", body="A peer review in maths.")
    assert set(titles(await find(db, lead, '"peer review"'))) == {"Peer review of science", "Peer review of maths"}
    assert titles(await find(db, lead, '"peer review" -maths')) == ["Peer review of science"]
    assert set(titles(await find(db, lead, "peer review"))) == {
        "Peer review of science",
        "Review by a peer",
        "Peer review of maths",
    }
    assert titles(await find(db, lead, 'review -"peer review"')) == ["Review by a peer"]


async def test_filters_each_narrow_and_combine(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    other = await world.network(lead)
    member = await world.member(slug, org="Brightwater Learning")
    a = await world.practice(
        lead,
        slug,
        title="Reading fluency A",
        themes=["Early reading"],
        phases=["primary"],
        evidence_strength="internal_data",
    )
    await world.practice(
        member, slug, title="Reading fluency B", themes=["Oracy"], phases=["secondary"], evidence_strength="anecdotal"
    )
    await world.request(lead, slug, title="Reading fluency help")
    await world.practice(lead, other, title="Reading fluency elsewhere")

    def only(found: service.SearchPage) -> list[str]:
        return sorted(titles(found))

    assert len((await find(db, lead, "fluency")).items) == 4
    assert only(await find(db, lead, "fluency", network=other)) == ["Reading fluency elsewhere"]
    assert only(await find(db, lead, "fluency", kind=PostKind.REQUEST)) == ["Reading fluency help"]
    assert only(await find(db, lead, "fluency", theme="early READING")) == ["Reading fluency A"]
    assert only(await find(db, lead, "fluency", phase=Phase.SECONDARY)) == ["Reading fluency B"]
    assert only(await find(db, lead, "fluency", evidence=EvidenceStrength.INTERNAL_DATA)) == ["Reading fluency A"]
    assert only(await find(db, lead, "fluency", status=RequestStatus.OPEN)) == ["Reading fluency help"]
    org_b = member.person["organisation"]["id"] if member.person else 0
    assert only(await find(db, lead, "fluency", organisation=org_b)) == ["Reading fluency B"]
    today = clock.now().date()
    assert len((await find(db, lead, "fluency", since=today, until=today)).items) == 4
    assert (await find(db, lead, "fluency", until=today - timedelta(days=1))).items == []
    assert (await find(db, lead, "fluency", since=today + timedelta(days=1))).items == []
    both = await find(db, lead, "fluency", network=slug, kind=PostKind.PRACTICE, phase=Phase.PRIMARY)
    assert [h.post.id for h in both.items] == [a["id"]]


async def test_cursor_pages_cover_every_hit_once_in_both_sorts(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    for n in range(7):
        post = await world.practice(lead, slug, title=f"Coaching cycle {n}", body="coaching " * (n + 1))
        if n % 3 == 0:
            assert (
                await lead.post(f"/posts/{post['id']}/replies", json={"body": "More on coaching."})
            ).status_code == 201
    for sort in (Sort.RELEVANCE, Sort.NEWEST):
        seen: list[tuple[str, int]] = []
        cursor = None
        first = await find(db, lead, "coaching", sort=sort, limit=3)
        assert first.total == 10
        page = first
        while True:
            seen += [(h.match, h.reply.id if h.reply else h.post.id) for h in page.items]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
            page = await find(db, lead, "coaching", sort=sort, limit=3, cursor=cursor)
        assert len(seen) == len(set(seen)) == 10, sort
        assert sum(1 for m, _ in seen if m == "reply") == 3
    newest_cursor = first.next_cursor  # the last loop's first page: newest first
    relevance_cursor = (await find(db, lead, "coaching", limit=3)).next_cursor
    with pytest.raises(BadCursor):  # a cursor of one sort is refused by the other
        await find(db, lead, "coaching", sort=Sort.NEWEST, cursor=relevance_cursor)
    with pytest.raises(BadCursor):
        await find(db, lead, "coaching", cursor=newest_cursor)


async def test_replies_are_found_and_linked_and_follow_the_thread_rule(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    reader = await world.member(slug)
    post = await world.request(lead, slug, title="Help with timetabling")
    reply = (await author.post(f"/posts/{post['id']}/replies", json={"body": "We used a carousel timetable."})).json()
    found = await find(db, reader, "carousel")
    assert [(h.match, h.url) for h in found.items] == [("reply", f"/posts/{post['id']}#reply-{reply['id']}")]
    assert found.items[0].reply is not None and found.items[0].reply.author.id == author.id
    assert "<mark>carousel</mark>" in found.items[0].snippet_html
    assert found.items[0].post.title == "Help with timetabling"

    await world.set_reply(reply["id"], "state = 'hidden'")
    assert (await find(db, reader, "carousel")).items == []  # hidden: not for other readers
    assert len((await find(db, author, "carousel")).items) == 1  # its author still finds it
    assert len((await find(db, lead, "carousel")).items) == 1  # and the lead
    await world.set_reply(reply["id"], "state = 'visible'")
    assert (await author.delete(f"/posts/{post['id']}/replies/{reply['id']}")).status_code in (200, 204)
    assert (await find(db, lead, "carousel")).items == []  # deleted by its author: the text is gone


async def test_an_edit_a_hide_and_a_removal_show_at_once(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    reader = await world.member(slug)
    post = await world.practice(author, slug, title="Retrieval practice quizzes", body="Weekly quizzes.")
    assert titles(await find(db, reader, "retrieval")) == ["Retrieval practice quizzes"]
    edited = await author.patch(f"/posts/{post['id']}", json={"title": "Spaced practice quizzes"})
    assert edited.status_code == 200, edited.text
    assert (await find(db, reader, "retrieval")).items == []
    assert titles(await find(db, reader, "spaced")) == ["Spaced practice quizzes"]
    await world.set_post(post["id"], "state = 'hidden'")
    assert (await find(db, reader, "spaced")).items == []
    assert titles(await find(db, author, "spaced")) == ["Spaced practice quizzes"]
    await world.set_post(post["id"], "state = 'removed'")
    assert (await find(db, author, "spaced")).items == [] and (await find(db, lead, "spaced")).items == []


async def test_never_past_what_the_reader_may_read_now(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    public = await world.network(lead)
    private = await world.network(lead, visibility="members")
    hidden_net = await world.network(lead, visibility="hidden")
    author = await world.member(public)
    outsider = await world.person()
    assert (await author.post(f"/networks/{private}/join")).json()["state"] == "active"
    await world.practice(author, public, title="Findme in public")
    await world.practice(author, private, title="Findme in members-only")
    await world.practice(lead, hidden_net, title="Findme in hidden network")
    held = await world.practice(author, public, title="Findme held")
    await world.set_post(held["id"], "state = 'held'")

    assert titles(await find(db, outsider, "findme")) == ["Findme in public"]
    assert titles(await find(db, None, "findme")) == []  # bodies need sign-in
    assert set(titles(await find(db, author, "findme"))) == {
        "Findme in public",
        "Findme in members-only",
        "Findme held",
    }
    assert set(titles(await find(db, lead, "findme"))) == {
        "Findme in public",
        "Findme in members-only",
        "Findme in hidden network",
        "Findme held",
    }
    with pytest.raises(Invalid) as unreadable:
        await find(db, outsider, "findme", network=private)
    with pytest.raises(Invalid) as absent:
        await find(db, outsider, "findme", network="no-such-network")
    assert unreadable.value.message == absent.value.message
    assert unreadable.value.fields == absent.value.fields == {"network": "Not one of your networks."}
    # left: gone at once
    assert (await author.post(f"/networks/{private}/leave")).status_code == 204
    assert "Findme in members-only" not in titles(await find(db, author, "findme"))
    # suspended from a members-only network: gone
    member = await world.member(private)
    assert "Findme in members-only" in titles(await find(db, member, "findme"))
    suspended = await lead.patch(f"/networks/{private}/members/{member.id}", json={"state": "suspended"})
    assert suspended.status_code == 200, suspended.text
    assert "Findme in members-only" not in titles(await find(db, member, "findme"))


async def test_snippets_are_safe_html_with_only_marks(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(
        lead,
        slug,
        title="<script>alert(1)</script> Phonics plan",
        body="Our **phonics** work & <img src=x onerror=alert(2)> results [link](https://example.org/x)",
    )
    hit = (await find(db, lead, "phonics")).items[0]
    assert hit.title_html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Phonics</mark> plan"
    assert "<mark>phonics</mark>" in hit.snippet_html
    assert "<img" not in hit.snippet_html and "<script" not in hit.snippet_html
    assert "**" not in hit.snippet_html and "https://example.org" not in hit.snippet_html
    stripped = hit.snippet_html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped


async def test_a_snippet_finds_the_match_deep_in_a_long_post(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    filler = "Termly planning with every department and a long account of it. " * 120  # ~8,000 characters
    await world.practice(lead, slug, title="A long write-up", body=filler + "Then we tried lesson study in pairs.")
    hit = (await find(db, lead, "study")).items[0]
    assert "<mark>study</mark>" in hit.snippet_html and len(hit.snippet_html) < 600
    reply_text = filler[:4000] + "We used coaching triads too."
    assert (await lead.post(f"/posts/{hit.post.id}/replies", json={"body": reply_text})).status_code == 201
    [reply_hit] = (await find(db, lead, "triads")).items
    assert reply_hit.match == "reply" and "<mark>triads</mark>" in reply_hit.snippet_html


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ('"unbalanced quote', None),
        ("AND OR NOT ( ) * ^ NEAR(", None),
        ("word " * 2100, "Only the first 500 characters were searched."),
        ("the of and", "“the of and” are too common to search for on its own: add a more particular word."),
        ("phon\x00ics \x01\x1f", None),
        ("-only -excluded", "Add a word to look for as well as the words to leave out."),
        ("", None),
    ],
)
async def test_bad_queries_answer_with_a_message_never_an_error(
    world: World, db: async_sessionmaker[AsyncSession], typed: str, message: str | None
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(lead, slug, title="Unbalanced quote handling word phon ics")
    found = await find(db, lead, typed)
    assert found.message == message
    assert isinstance(found.items, list)


async def test_filters_read_from_parameters_refuse_bad_values_with_sentences() -> None:
    from network.search import filters

    got = filters.read({"kind": "practice", "since": "2026-09-01", "sort": "newest", "theme": " Oracy "})
    assert got == SearchFilters(kind=PostKind.PRACTICE, since=date(2026, 9, 1), sort=Sort.NEWEST, theme="Oracy")
    assert got.params() == {"kind": "practice", "theme": "Oracy", "since": "2026-09-01", "sort": "newest"}
    with pytest.raises(Invalid) as bad:
        filters.read({"kind": "essay", "since": "yesterday", "organisation": "x", "until": "2026-01-01"})
    assert bad.value.fields == {
        "kind": "Choose practices or requests.",
        "since": "Give a date as YYYY-MM-DD.",
        "organisation": "Choose an organisation from the results.",
    }
    with pytest.raises(Invalid) as backwards:
        filters.read({"since": "2026-09-02", "until": "2026-09-01"})
    assert backwards.value.fields == {"until": "The end date comes before the start date."}


async def test_when_more_match_than_are_ranked_the_page_says_so(
    world: World, db: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    for n in range(5):
        await world.practice(lead, slug, title=f"Lesson study round {n}")
    monkeypatch.setattr(service, "WINDOW", 3)
    monkeypatch.setattr(service, "REPLY_WINDOW", 3)
    for sort in (Sort.RELEVANCE, Sort.NEWEST):
        found = await find(db, lead, "lesson", sort=sort)
        assert found.more and found.total == 3, sort
    ranked = await find(db, lead, "lesson")
    assert [h.post.title for h in ranked.items] == [f"Lesson study round {n}" for n in (4, 3, 2)]  # the newest 3
    monkeypatch.setattr(service, "WINDOW", 5)
    exact = await find(db, lead, "lesson")
    assert exact.total == 5 and exact.more  # a full window may hide more: it says so
    monkeypatch.setattr(service, "WINDOW", 6)
    assert (await find(db, lead, "lesson")).more is False
