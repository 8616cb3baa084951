"""Digests (docs/design.md §3.10): what is new in the networks a person follows, at their follow level,
only what they may read when it is built, once per person per period across processes and restarts."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network import clock
from network.enums import DigestFrequency
from network.models import Person
from server.db import writing
from server.mail import digest_run, runs
from server.mail.models import MailRun, OutboundMail
from server.mail.sender import MailSender
from server.mail.transport import build_transport
from tests.conftest import World, make_settings
from tests.server.mail.conftest import suspend_directly
from tests.smtp import SmtpServer

WEEKLY = DigestFrequency.WEEKLY


def settings(tmp_path: Any, database_url: str, **extra: Any) -> Any:
    return make_settings(database_url, tmp_path, public_url="https://commons.example.org", **extra)


async def digests(db: async_sessionmaker[AsyncSession], person_id: int | None = None) -> list[OutboundMail]:
    async with db() as session:
        stmt = select(OutboundMail).where(OutboundMail.kind.like("digest.%")).order_by(OutboundMail.id)
        if person_id is not None:
            stmt = stmt.where(OutboundMail.person_id == person_id)
        return list((await session.execute(stmt)).scalars())


async def build(world: World, tmp_path: Any, database_url: str, worker: str = "w1", **kw: Any) -> Any:
    at = kw.pop("at", clock.now() + timedelta(seconds=1))
    return await digest_run.build(world.db, settings(tmp_path, database_url), WEEKLY, at, worker, **kw)


async def test_a_weekly_digest_tells_what_is_new_at_the_follow_level_and_is_made_once(
    world: World, tmp_path: Any, database_url: str
) -> None:
    slug, everything, author = await world.two_members()  # the first follows everything
    reader = await world.member(slug)  # new members follow at "requests only"
    await world.practice(author, slug, title="Attendance calls that worked")
    await world.request(author, slug, title="Help with Year 9 reading")

    result = await build(world, tmp_path, database_url)
    assert result.ran and result.queued >= 2
    (mail,) = await digests(world.db, reader.id)
    assert "Help with Year 9 reading" in mail.text_body
    assert "Attendance calls that worked" not in mail.text_body
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (full,) = await digests(world.db, everything.id)
    assert "Attendance calls that worked" in full.text_body and "Help with Year 9 reading" in full.text_body
    assert await digests(world.db, author.id) == []  # their own posts are not news to them

    again = await build(world, tmp_path, database_url, worker="w2")
    assert not again.ran
    assert len(await digests(world.db, reader.id)) == 1


async def test_nothing_new_sends_nothing(world: World, tmp_path: Any, database_url: str) -> None:
    _, reader, _ = await world.two_members()
    result = await build(world, tmp_path, database_url)
    assert result.ran and result.queued == 0
    assert await digests(world.db) == []
    async with world.db() as session:
        marked = await session.get(Person, reader.id)
        assert marked is not None and marked.digest_period is not None  # done for the period all the same


async def test_a_digest_holds_only_what_the_person_may_read_when_it_is_built(
    world: World, tmp_path: Any, database_url: str
) -> None:
    """Suspended the day before, left another network, a post hidden: none of it is in the digest."""
    slug, reader, author = await world.two_members()
    await world.request(author, slug, title="Request in the network they are suspended from")
    other_slug = await world.network(await world.person())
    other_author = await world.member(other_slug)
    join = await reader.post(f"/networks/{other_slug}/join")
    assert join.status_code == 200, join.text
    await world.request(other_author, other_slug, title="Request in the network they left")
    third = await world.network(await world.person())
    third_author = await world.member(third)
    joined = await reader.post(f"/networks/{third}/join")
    assert joined.status_code == 200, joined.text
    hidden = await world.request(third_author, third, title="A request hidden since")
    await world.request(third_author, third, title="A request they may read")

    await suspend_directly(world.db, reader.id, slug)
    left = await reader.post(f"/networks/{other_slug}/leave")
    assert left.status_code == 204, left.text
    await world.set_post(hidden["id"], "state = 'hidden'")

    await build(world, tmp_path, database_url)
    (mail,) = await digests(world.db, reader.id)
    assert "A request they may read" in mail.text_body
    for absent in ("suspended from", "they left", "hidden since"):
        assert absent not in mail.text_body and absent not in (mail.html_body or "")


async def test_open_requests_waiting_follow_the_persons_phases(world: World, tmp_path: Any, database_url: str) -> None:
    slug, reader, author = await world.two_members()
    await world.request(author, slug, title="Primary request", body="Our primary schools need help.")
    await world.request(author, slug, title="Key stage 4 request", body="For our secondary academies.")
    response = await reader.patch("/me/mail-settings", json={"phases": ["secondary"]})
    assert response.status_code == 200, response.text
    async with world.db() as session:  # the requests came before this period: now they are only waiting
        await session.execute(text("UPDATE posts SET created_at = :at"), {"at": clock.now() - timedelta(days=30)})
        await session.commit()
    practice = await world.practice(author, slug, title="New this week")
    assert practice["id"]

    await build(world, tmp_path, database_url)
    (mail,) = await digests(world.db, reader.id)
    assert "still waiting for an offer" in mail.text_body
    assert "Key stage 4 request" in mail.text_body and "Primary request" not in mail.text_body


async def test_requests_waiting_alone_are_no_digest(world: World, tmp_path: Any, database_url: str) -> None:
    slug, reader, author = await world.two_members()
    await world.request(author, slug, title="An old request")
    async with world.db() as session:
        await session.execute(text("UPDATE posts SET created_at = :at"), {"at": clock.now() - timedelta(days=30)})
        await session.commit()
    await build(world, tmp_path, database_url)
    assert await digests(world.db, reader.id) == []


async def test_two_processes_building_at_once_give_each_person_one(
    world: World, tmp_path: Any, database_url: str
) -> None:
    slug, _, author = await world.two_members()
    members = [await world.member(slug) for _ in range(4)]
    await world.request(author, slug, title="Help wanted")
    at = clock.now() + timedelta(seconds=1)
    results = await asyncio.gather(
        *(build(world, tmp_path, database_url, worker=f"w{n}", at=at, chunk=2) for n in range(3))
    )
    assert sum(r.queued for r in results) == len(await digests(world.db))
    for member in members:
        assert len(await digests(world.db, member.id)) == 1


async def test_a_run_whose_holder_died_is_taken_over_where_it_stopped(
    world: World, tmp_path: Any, database_url: str
) -> None:
    slug, first, author = await world.two_members()
    second = await world.member(slug)
    await world.request(author, slug, title="Help wanted")
    at = clock.now() + timedelta(seconds=1)
    year, week, _ = at.isocalendar()
    name = f"digest:weekly:{year}-W{week:02d}"
    async with world.db() as session:  # a process claimed the run, did the first person, and died
        async with writing(session):
            run = await runs.claim(session, name, "dead", at)
            assert run is not None
            await session.commit()
    async with world.db() as session:
        await session.execute(
            update(Person).where(Person.id == first.id).values(digest_period=name.removeprefix("digest:"))
        )
        await session.execute(update(MailRun).values(after_person_id=first.id))
        await session.commit()

    held = await build(world, tmp_path, database_url, worker="alive", at=at)
    assert not held.ran  # the lease has not run out yet
    taken = await build(world, tmp_path, database_url, worker="alive", at=at + runs.LEASE + timedelta(seconds=1))
    assert taken.ran
    assert await digests(world.db, first.id) == []  # done before it died: not again
    assert len(await digests(world.db, second.id)) == 1
    async with world.db() as session:
        done = (await session.execute(select(MailRun).where(MailRun.name == name))).scalar_one()
        assert done.done_at is not None and done.claimed_by == "alive"


async def test_a_digest_goes_over_smtp_with_text_html_and_one_click_unsubscribe(
    world: World, tmp_path: Any, database_url: str, smtp: SmtpServer
) -> None:
    slug, reader, author = await world.two_members()
    await world.request(author, slug, title="Help with <b>reading</b> & spelling")
    # the day before, a lead of another network of theirs suspended them there: none of it reaches them
    other_lead = await world.person()
    other = await world.network(other_lead)
    assert (await reader.post(f"/networks/{other}/join")).status_code == 200
    await world.request(await world.member(other), other, title="Request in the network they were suspended from")
    suspended = await other_lead.post(
        f"/networks/{other}/decisions",
        json={"target_type": "member", "target_id": reader.id, "action": "suspend", "reason": "Test"},
    )
    assert suspended.status_code == 201, suspended.text
    async with world.db() as session:
        await session.execute(text("UPDATE decisions SET created_at = :at"), {"at": clock.now() - timedelta(days=1)})
        await session.commit()
    config = settings(tmp_path, database_url, smtp_url=smtp.url())
    await digest_run.build(world.db, config, WEEKLY, clock.now() + timedelta(seconds=1), "w1")
    sender = MailSender(world.db, build_transport(config), sender=config.mail_from)
    assert await sender.drain() >= 1
    (message,) = [m for m in smtp.collector.about("weekly digest") if m["To"] == reader.person["email"]]
    assert str(message["List-Unsubscribe"]).startswith("<https://commons.example.org/unsubscribe?token=")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and "Help with <b>reading</b> & spelling" in plain.get_content()
    assert html is not None and "Help with &lt;b&gt;reading&lt;/b&gt; &amp; spelling" in html.get_content()
    assert "suspended from" not in plain.get_content() and "suspended from" not in html.get_content()
