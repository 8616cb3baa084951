"""The search service on both databases: matching, order, paging, and never past what the reader may read."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.content import search
from network.enums import PostKind
from network.errors import Invalid
from network.models import Person
from tests.conftest import ApiClient, World


async def find(
    db: async_sessionmaker[AsyncSession], reader: ApiClient | None, query: str, **kw: object
) -> search.SearchResults:
    async with db() as session:
        person = await session.get(Person, reader.id) if reader else None
        return await search.search_posts(session, person, query, **kw)  # type: ignore[arg-type]


def titles(found: search.SearchResults) -> list[str]:
    return [hit.post.title for hit in found.items]


def test_terms_split_dedupe_and_cap() -> None:
    assert search.terms('  Phonics "early  reading" PHONICS ') == ["Phonics", "early", "reading"]
    assert search.terms("") == [] and search.terms("   ") == []
    assert len(search.terms(" ".join(f"w{n}" for n in range(20)))) == search.MAX_TERMS


async def test_matches_every_word_case_insensitively_in_title_body_summary_themes(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    await world.practice(author, slug, title="PHONICS catch-up", body="Daily sessions.")
    await world.practice(author, slug, title="Attendance drive", body="We tracked phonics groups weekly.")
    await world.practice(author, slug, title="Maths mastery", summary="Phonics-style drills for number")
    await world.practice(author, slug, title="Curriculum review", themes=["Early Phonics"])
    await world.practice(author, slug, title="Unrelated", body="Nothing to see.")

    found = await find(db, author, "phonics")
    assert found.total == 4
    assert set(titles(found)) == {"PHONICS catch-up", "Attendance drive", "Maths mastery", "Curriculum review"}
    assert titles(await find(db, author, "phonics WEEKLY")) == ["Attendance drive"]  # every word must match
    assert (await find(db, author, "phonics nowhere")).total == 0
    assert titles(await find(db, lead, "early phonics")) == ["Curriculum review"]


async def test_like_wildcards_are_literal(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(lead, slug, title="Raised to 100% attendance")
    await world.practice(lead, slug, title="Raised to 1000 pupils")
    await world.practice(lead, slug, title="snake_case names")
    await world.practice(lead, slug, title="snakeXcase names")
    await world.practice(lead, slug, title="Back\\slash")
    assert titles(await find(db, lead, "100%")) == ["Raised to 100% attendance"]
    assert titles(await find(db, lead, "snake_case")) == ["snake_case names"]
    assert titles(await find(db, lead, "%")) == ["Raised to 100% attendance"]
    assert titles(await find(db, lead, "_")) == ["snake_case names"]
    assert titles(await find(db, lead, "back\\slash")) == ["Back\\slash"]


async def test_title_matches_first_then_newest(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    await world.practice(lead, slug, title="Oldest with reading in title")
    await world.practice(lead, slug, title="Body only, old", body="all about reading")
    await world.practice(lead, slug, title="Newer reading title")
    await world.practice(lead, slug, title="Body only, new", body="more reading")
    await world.practice(lead, slug, title="Reading in title, body too", body="Two words: reading fluency")
    found = await find(db, lead, "reading fluency")
    # both words in the title beat one word in the title, which beats none
    assert titles(found) == ["Reading in title, body too"]
    assert titles(await find(db, lead, "reading")) == [
        "Reading in title, body too",
        "Newer reading title",
        "Oldest with reading in title",
        "Body only, new",
        "Body only, old",
    ]


async def test_never_past_what_the_reader_may_read(world: World, db: async_sessionmaker[AsyncSession]) -> None:
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
    hidden = await world.practice(author, public, title="Findme hidden")
    removed = await world.practice(author, public, title="Findme removed")
    await world.set_post(held["id"], "state = 'held'")
    await world.set_post(hidden["id"], "state = 'hidden'")
    await world.set_post(removed["id"], "state = 'removed'")

    assert titles(await find(db, outsider, "findme")) == ["Findme in public"]
    assert titles(await find(db, None, "findme")) == []  # bodies need sign-in
    assert set(titles(await find(db, author, "findme"))) == {
        "Findme in public",
        "Findme in members-only",
        "Findme held",
        "Findme hidden",
    }
    assert set(titles(await find(db, lead, "findme"))) == {
        "Findme in public",
        "Findme in members-only",
        "Findme in hidden network",
        "Findme held",
        "Findme hidden",
    }
    # a filter naming a network the reader may not read is refused exactly like one that does not exist
    with pytest.raises(Invalid) as unreadable:
        await find(db, outsider, "findme", network=private)
    with pytest.raises(Invalid) as absent:
        await find(db, outsider, "findme", network="no-such-network")
    assert unreadable.value.message == absent.value.message
    assert unreadable.value.fields == absent.value.fields == {"network": "Not one of your networks."}
    found = await find(db, author, "findme", network=private)
    assert titles(found) == ["Findme in members-only"]
    assert found.items[0].network_name.startswith("Network ")


async def test_kind_filter_and_pages(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    for n in range(5):
        await world.practice(lead, slug, title=f"Shared practice {n}")
    await world.request(lead, slug, title="Shared request")
    assert titles(await find(db, lead, "shared", kind=PostKind.REQUEST)) == ["Shared request"]
    assert (await find(db, lead, "shared", kind=PostKind.PRACTICE)).total == 5
    first = await find(db, lead, "shared", per_page=4)
    assert first.total == 6 and first.pages == 2 and len(first.items) == 4
    second = await find(db, lead, "shared", per_page=4, page=2)
    assert len(second.items) == 2
    assert not set(titles(first)) & set(titles(second))
    with pytest.raises(Invalid):
        await find(db, lead, "shared", page=0)
    with pytest.raises(Invalid):
        await find(db, lead, "x" * (search.MAX_QUERY + 1))
    hit = first.items[0].post
    assert hit.network == slug and hit.author.id == lead.id
