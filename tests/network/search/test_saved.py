"""Saved searches on both databases: what a new post matches (words as the search reads them, every
filter), who is alerted of it (only those who may read it, not its author, not those its own notices
told), once, after it commits, and by email when they are away (docs/design.md §3.11)."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from events.bus import MemoryBus
from events.models import Notification
from network import clock
from network.content import followers, post_notices
from network.models import Person, Post, PostNotice, SavedSearch
from network.search import saved
from server import notice_writer
from server.db import writing
from server.mail.models import OutboundMail
from server.mail.scheduler import notice_pass
from server.notice_writer import NoticeWriter
from tests.conftest import ApiClient, World, make_settings

LATER = timedelta(minutes=6)


async def save(db: async_sessionmaker[AsyncSession], owner: ApiClient, q: str, **chosen: str) -> int:
    async with db() as session:
        person = await session.get(Person, owner.id)
        assert person is not None
        data = saved.SavedSearchInput(q=q, filters=saved.FilterParams(**chosen))
        row = await saved.create(session, person, data)
        await session.commit()
        return row.id


async def matches(db: async_sessionmaker[AsyncSession], post_id: int) -> list[int]:
    async with db() as session:
        post = await session.get(Post, post_id)
        assert post is not None
        return await saved.matching_searches(session, post)


async def eventually(check: Any, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "not within the time allowed"
        await asyncio.sleep(0.05)


async def settled(db: async_sessionmaker[AsyncSession]) -> None:
    """Every notice the posts left is finished (by the server's notice writer)."""

    async def none_waiting() -> bool:
        async with db() as session:
            return (await session.execute(select(func.count()).select_from(PostNotice))).scalar_one() == 0

    await eventually(none_waiting)


async def alerts(db: async_sessionmaker[AsyncSession], post_id: int | None = None) -> dict[int, list[dict[str, Any]]]:
    """Each person's saved-search alerts (of one post)."""
    async with db() as session:
        rows = (await session.execute(select(Notification).where(Notification.kind == saved.KIND))).scalars()
        found: dict[int, list[dict[str, Any]]] = {}
        for note in rows:
            if post_id is None or note.payload["post_id"] == post_id:
                found.setdefault(note.person_id, []).append(dict(note.payload))
        return found


async def kinds_about(db: async_sessionmaker[AsyncSession], person_id: int, post_id: int) -> list[str]:
    async with db() as session:
        rows = await session.execute(
            select(Notification.kind).where(
                Notification.person_id == person_id, Notification.payload["post_id"].as_integer() == post_id
            )
        )
        return sorted(rows.scalars())


# -- what matches


async def test_words_match_as_the_search_reads_them(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    owner = await world.member(slug)
    stem = await save(db, owner, "attending")
    phrase = await save(db, owner, '"peer review"')
    loose = await save(db, owner, "review peer")
    without = await save(db, owner, "review -maths")
    common_phrase = await save(db, owner, '"review of science"')  # a phrase keeps its common words
    other = await save(db, owner, "oracy")

    drive = await world.practice(lead, slug, title="Attendance drive", body="Daily calls home.")
    science = await world.practice(lead, slug, title="Peer review of science", body="A visit.")
    maths = await world.practice(lead, slug, title="Review by a peer", body="In maths.")
    assert await matches(db, drive["id"]) == [stem]
    assert await matches(db, science["id"]) == [phrase, loose, without, common_phrase]
    assert await matches(db, maths["id"]) == [loose]
    assert other not in await matches(db, drive["id"])


async def test_every_filter_narrows_and_dates_do_not(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    elsewhere = await world.network(lead)
    owner = await world.member(slug)  # reads `elsewhere` too: it is public
    author = await world.member(slug, org="Brightwater Learning")
    org = author.person["organisation"]["id"] if author.person else 0
    ids = {
        "none": await save(db, owner, "fluency"),
        "network": await save(db, owner, "fluency", network=slug),
        "other network": await save(db, owner, "fluency", network=elsewhere),
        "practice": await save(db, owner, "fluency", kind="practice"),
        "request": await save(db, owner, "fluency", kind="request"),
        "theme": await save(db, owner, "fluency", theme="  Early   READING "),
        "other theme": await save(db, owner, "fluency", theme="oracy"),
        "phase": await save(db, owner, "fluency", phase="primary"),
        "other phase": await save(db, owner, "fluency", phase="secondary"),
        "evidence": await save(db, owner, "fluency", evidence="internal_data"),
        "other evidence": await save(db, owner, "fluency", evidence="anecdotal"),
        "status": await save(db, owner, "fluency", status="open"),
        "organisation": await save(db, owner, "fluency", organisation=str(org)),
        "other organisation": await save(db, owner, "fluency", organisation=str(org + 1000)),
        "dates": await save(db, owner, "fluency", since="2001-01-01", until="2001-01-02", sort="newest"),
        "all of them": await save(
            db, owner, "fluency", network=slug, kind="practice", theme="early reading", phase="primary"
        ),
    }
    practice = await world.practice(
        author,
        slug,
        title="Reading fluency",
        themes=["Early reading"],
        phases=["primary"],
        evidence_strength="internal_data",
    )
    request = await world.request(author, slug, title="Reading fluency help")
    names = {v: k for k, v in ids.items()}
    assert {names[i] for i in await matches(db, practice["id"])} == {
        "none",
        "network",
        "practice",
        "theme",
        "phase",
        "evidence",
        "organisation",
        "dates",
        "all of them",
    }
    assert {names[i] for i in await matches(db, request["id"])} == {
        "none",
        "network",
        "request",
        "status",
        "organisation",
        "dates",
    }
    in_other = await world.practice(lead, elsewhere, title="Fluency elsewhere")
    assert {names[i] for i in await matches(db, in_other["id"])} == {"none", "other network", "practice", "dates"}


async def test_searches_with_alerts_off_match_nothing(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    owner = await world.member(slug)
    quiet = await save(db, owner, "oracy")
    loud = await save(db, owner, "oracy")
    async with db() as session:
        person = await session.get(Person, owner.id)
        assert person is not None
        await saved.change(session, person, quiet, saved.SavedSearchChange(alerts=False))
        await session.commit()
    post = await world.practice(lead, slug, title="Oracy across the curriculum")
    assert await matches(db, post["id"]) == [loud]


async def test_sqlite_looks_up_a_long_posts_words_in_parts(
    world: World, db: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every word of the post is looked for among the anchors, however many words it has (PostgreSQL
    tests the whole vector in one statement, parts or not)."""
    monkeypatch.setattr(saved, "WORDS_PER_LOOKUP", 3)
    lead = await world.person()
    slug = await world.network(lead)
    owner = await world.member(slug)
    words = [f"word{n}" for n in range(12)]
    mine = [await save(db, owner, w) for w in words[::3]] + [await save(db, owner, f"{words[11]} {words[0]}")]
    await save(db, owner, "absent")
    post = await world.practice(lead, slug, title="Many words", body=" ".join(words))
    assert await matches(db, post["id"]) == mine


# -- who is alerted, once


async def test_a_new_post_alerts_each_owner_once_naming_their_search(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Reading Network")
    owner = await world.member(slug, name="Olu Owner")
    author = await world.member(slug, name="Ada Author")
    first = await save(db, owner, "phonics")
    await save(db, owner, '"phonics checks"')
    await save(db, author, "phonics")  # the author's own search: not told of their own post
    post = await world.practice(author, slug, title="Phonics checks that stick")
    await settled(db)
    told = await alerts(db, post["id"])
    assert list(told) == [owner.id]
    (payload,) = told[owner.id]
    assert payload == {
        "post_id": post["id"],
        "title": "Phonics checks that stick",
        "kind": "practice",
        "by": "Ada Author",
        "network": slug,
        "search_id": first,
        "search_name": "phonics",
        "searches": 2,
    }
    page = await owner.http.get(world.server.url + "/notifications")
    assert "Ada Author shared a new practice in Reading Network" in page.text
    assert f'<a href="/posts/{post["id"]}">Phonics checks that stick</a>' in page.text
    assert "saved search</a> “phonics” (and 1 more of your saved searches)." in page.text
    async with db() as session:
        stamped = (await session.execute(select(SavedSearch.last_alerted_at).where(SavedSearch.id == first))).scalar()
        row = await session.get(Post, post["id"])
        assert row is not None and stamped is not None and stamped == row.alerted_at


async def test_only_those_who_may_read_the_post_are_alerted(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    private = await world.network(lead, visibility="members")
    public = await world.network(lead)
    stays, leaves, suspended = [await world.member(private) for _ in range(3)]
    outsider = await world.person()  # reads public networks without joining them
    suspended_here = await world.member(public)
    for who in (stays, leaves, suspended, outsider, suspended_here):
        await save(db, who, "attendance")
    await save(db, leaves, "attendance", network=private)
    assert (await leaves.post(f"/networks/{private}/leave")).status_code == 204
    for slug, who in ((private, suspended), (public, suspended_here)):
        body = {"target_type": "member", "target_id": who.id, "action": "suspend", "reason": "Cooling off"}
        assert (await lead.post(f"/networks/{slug}/decisions", json=body)).status_code == 201

    in_private = await world.practice(lead, private, title="Attendance in a closed network")
    in_public = await world.practice(lead, public, title="Attendance drive")
    await settled(db)
    assert list(await alerts(db, in_private["id"])) == [stays.id]
    assert sorted(await alerts(db, in_public["id"])) == sorted([stays.id, leaves.id, suspended.id, outsider.id])


async def test_the_posts_own_notices_are_not_doubled(world: World, db: async_sessionmaker[AsyncSession]) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    follower = await world.member(slug, follow="all", name="Fola Follower")
    named = await world.member(slug, follow="mentions", name="Nadia Named")
    searcher = await world.member(slug, follow="mentions")
    for who in (follower, named, searcher):
        await save(db, who, "phonics")
    post = await world.practice(lead, slug, title="Phonics", body="With thanks to @Nadia Named.")
    await settled(db)
    assert list(await alerts(db, post["id"])) == [searcher.id]
    assert await kinds_about(db, follower.id, post["id"]) == ["post.created"]
    assert await kinds_about(db, named.id, post["id"]) == ["mention"]


async def test_a_large_networks_last_chunk_of_followers_is_not_alerted_as_well(
    world: World, db: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(followers, "INLINE_MAX", 2)
    monkeypatch.setattr(post_notices, "CHUNK", 2)
    monkeypatch.setattr(post_notices, "SQLITE_CHUNK", 2)
    lead = await world.person()
    slug = await world.network(lead)
    everyone = [await world.member(slug, follow="all") for _ in range(5)]
    searcher = await world.member(slug, follow="mentions")
    for who in [*everyone, searcher]:
        await save(db, who, "phonics")
    post = await world.practice(lead, slug, title="Phonics")
    await settled(db)
    assert list(await alerts(db, post["id"])) == [searcher.id]
    for who in everyone:
        assert await kinds_about(db, who.id, post["id"]) == ["post.created"]


async def test_a_held_post_alerts_when_approved_and_an_edit_never_alerts_again(
    world: World, db: async_sessionmaker[AsyncSession]
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    assert (await lead.patch(f"/networks/{slug}/settings", json={"premod_posts": 1})).status_code == 200
    author = await world.member(slug)
    owner = await world.member(slug, follow="mentions")
    await save(db, owner, "phonics")
    later = await save(db, owner, "fidelity")
    held = await world.practice(author, slug, title="Phonics checks")
    assert held["state"] == "held"
    await settled(db)
    assert await alerts(db) == {}  # not while it waits for a lead

    decide = {"target_type": "post", "target_id": held["id"], "action": "approve"}
    assert (await lead.post(f"/networks/{slug}/decisions", json=decide)).status_code == 201
    await settled(db)
    assert [a["search_name"] for a in (await alerts(db))[owner.id]] == ["phonics"]

    edited = await author.patch(f"/posts/{held['id']}", json={"body": "Now with fidelity checks."})
    assert edited.status_code == 200, edited.text
    assert later in await matches(db, held["id"])  # it matches another search now, but it is not new
    words = await lead.post(f"/networks/{slug}/watched-words", json={"pattern": "bananas", "action": "hold"})
    assert words.status_code == 201, words.text
    again = await author.patch(f"/posts/{held['id']}", json={"body": "Fidelity checks, and bananas."})
    assert again.json()["state"] == "held"
    assert (await lead.post(f"/networks/{slug}/decisions", json=decide)).status_code == 201  # shown again
    await settled(db)
    assert [a["search_name"] for a in (await alerts(db))[owner.id]] == ["phonics"]


async def test_writers_sharing_the_database_alert_once(
    world: World,
    db: async_sessionmaker[AsyncSession],
    app_db: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(NoticeWriter, "kick", lambda self: None)  # the server's writer finds it on its tick
    lead = await world.person()
    slug = await world.network(lead)
    owner = await world.member(slug, follow="mentions")
    await save(db, owner, "phonics")
    post = await world.practice(lead, slug, title="Phonics")
    writers = [NoticeWriter(app_db, MemoryBus(), 3600) for _ in range(3)]
    await asyncio.gather(*(w.drain() for w in writers))
    await settled(db)
    assert {p: len(a) for p, a in (await alerts(db, post["id"])).items()} == {owner.id: 1}

    async with db() as session:  # a notice for the post again (as if it were shown again): no one is told
        session.add(PostNotice(post_id=post["id"], after_person_id=post_notices.FOLLOWERS_TOLD))
        await session.commit()
    await NoticeWriter(app_db, MemoryBus(), 3600).drain()
    await settled(db)
    assert {p: len(a) for p, a in (await alerts(db, post["id"])).items()} == {owner.id: 1}


async def test_a_step_that_rolls_back_alerts_no_one_and_the_next_alerts_once(
    world: World,
    db: async_sessionmaker[AsyncSession],
    app_db: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def idle(self: NoticeWriter) -> int:
        return 0

    monkeypatch.setattr(NoticeWriter, "drain", idle)  # the server's writer leaves the notices to the test
    lead = await world.person()
    slug = await world.network(lead)
    owner = await world.member(slug, follow="mentions")
    await save(db, owner, "phonics")
    post = await world.practice(lead, slug, title="Phonics")
    async with app_db() as session, writing(session):
        assert await notice_writer.write_next(session)
        await session.flush()
        await session.rollback()  # the step fails: its alerts go with it, and the notice stays
    assert await alerts(db) == {}
    for _ in range(2):  # the next step alerts; one after it finds nothing to do
        async with app_db() as session, writing(session):
            await notice_writer.write_next(session)
            await session.commit()
    assert {p: len(a) for p, a in (await alerts(db, post["id"])).items()} == {owner.id: 1}
    async with db() as session:
        assert (await session.execute(select(func.count()).select_from(PostNotice))).scalar_one() == 0


# -- email when away


async def test_an_alert_is_emailed_when_away_unless_its_kind_is_off(
    world: World, db: async_sessionmaker[AsyncSession], database_url: str, tmp_path: Any
) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Reading Network")
    mailed = await world.member(slug, follow="mentions")
    quiet = await world.member(slug, follow="mentions")
    settings_off = await quiet.patch("/me/mail-settings", json={"email": {"saved_searches": False}})
    assert settings_off.status_code == 200 and settings_off.json()["email"]["saved_searches"] is False
    assert (await mailed.get("/me/mail-settings")).json()["email"]["saved_searches"] is True
    for who in (mailed, quiet):
        await save(db, who, "phonics")
    async with db() as session:
        await session.execute(
            update(Person)
            .where(Person.id.in_([mailed.id, quiet.id]))
            .values(last_seen_at=clock.now() - timedelta(days=1))
        )
        await session.commit()
    post = await world.practice(lead, slug, title="Phonics checks")
    await settled(db)
    assert sorted(await alerts(db, post["id"])) == sorted([mailed.id, quiet.id])
    settings = make_settings(database_url, tmp_path, public_url="https://commons.example.org")
    assert await notice_pass(db, settings, clock.now() + LATER) == 1
    async with db() as session:
        rows = await session.execute(
            select(OutboundMail).where(
                OutboundMail.kind.like("notice.%"), OutboundMail.person_id.in_([mailed.id, quiet.id])
            )
        )
        (mail,) = list(rows.scalars())
    assert mail.person_id == mailed.id and mail.kind == "notice.saved_searches"
    assert "shared a new practice in Reading Network" in mail.subject and "Phonics checks" in mail.subject
    assert f"https://commons.example.org/posts/{post['id']}" in mail.text_body
    assert "saved search" in mail.text_body and "“phonics”" in mail.text_body
    assert "New posts matching my saved searches" in mail.text_body
    assert mail.headers["List-Unsubscribe"].startswith("<https://commons.example.org/unsubscribe?token=")
