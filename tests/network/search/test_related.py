"""Related practice on both databases: what may help a request, the open requests a practice could
answer, ranked by words, themes and evidence; only what the viewer may read; nothing when nothing fits."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.models import Person, Post
from network.search import related
from tests.conftest import ApiClient, World


async def related_to(db: async_sessionmaker[AsyncSession], viewer: ApiClient, post_id: int) -> list[str]:
    async with db() as session:
        person = await session.get(Person, viewer.id)
        post = await session.get(Post, post_id)
        assert post is not None
        return [r.title for r in await related.related(session, person, post)]


async def test_a_request_meets_practice_ranked_by_words_themes_and_evidence(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person(org="Asker Trust")
    slug = await world.network(lead)
    sharer = await world.member(slug, org="Sharer Trust")
    need = await world.request(lead, slug, title="Improving attendance of persistently absent pupils")
    await world.practice(
        sharer,
        slug,
        title="Attendance: persistently absent pupils back in class",
        themes=["Attendance"],
        evidence_strength="comparison",
    )
    await world.practice(sharer, slug, title="Attending to absent pupils", evidence_strength="anecdotal")
    await world.practice(sharer, slug, title="Attendance dashboards", themes=["Attendance"])
    await world.practice(sharer, slug, title="Phonics catch-up", themes=["Early reading"])  # shares nothing
    await world.practice(sharer, slug, title="Improving pupils handwriting")  # one common word, no theme
    await world.practice(lead, slug, title="Our own attendance work on absent pupils")  # the asker's own

    found = await related_to(db, lead, need["id"])
    assert found == [
        "Attendance: persistently absent pupils back in class",
        "Attending to absent pupils",
        "Attendance dashboards",
    ]


async def test_a_practice_meets_open_requests_it_could_answer(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person(org="Lead Trust")
    slug = await world.network(lead)
    sharer = await world.member(slug, org="Sharer Trust")
    asker = await world.member(slug, org="Asker Trust")
    practice = await world.practice(sharer, slug, title="Oracy curriculum in secondary science", themes=["Oracy"])
    wanted = await world.request(asker, slug, title="Help building an oracy curriculum")
    matched = await world.request(asker, slug, title="Oracy curriculum review done")
    await world.set_post(matched["id"], "status = 'matched'")  # no longer waiting
    await world.request(sharer, slug, title="Our oracy curriculum questions")  # own organisation
    await world.request(asker, slug, title="Timetabling help")
    assert await related_to(db, sharer, practice["id"]) == ["Help building an oracy curriculum"]
    assert wanted["status"] == "open"


async def test_only_from_networks_the_viewer_may_read_and_nothing_when_nothing_fits(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    open_net = await world.network(lead)
    closed = await world.network(lead, visibility="members")
    asker = await world.member(open_net)
    need = await world.request(asker, open_net, title="Science practical assessment moderation")
    await world.practice(lead, closed, title="Science practical assessment moderation that worked")
    hidden = await world.practice(lead, open_net, title="Moderation of science practical assessment")
    await world.set_post(hidden["id"], "state = 'hidden'")
    assert await related_to(db, asker, need["id"]) == []  # closed network, hidden post: neither
    assert sorted(await related_to(db, lead, need["id"])) == [  # the lead reads both
        "Moderation of science practical assessment",
        "Science practical assessment moderation that worked",
    ]
    lonely = await world.request(asker, open_net, title="Minibus insurance")
    assert await related_to(db, asker, lonely["id"]) == []
