"""Email for people who were away (docs/design.md §3.10): what concerns them directly, once, a few
minutes after it came, batched per kind, only while they may still read it, never twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network import clock
from network.models import Person
from network.people import mail_settings
from server.db import writing
from server.mail import notice_mail
from server.mail.models import OutboundMail
from server.mail.scheduler import notice_pass
from tests.conftest import ApiClient, World, make_settings
from tests.server.mail.conftest import suspend_directly
from tests.smtp import SmtpServer

LATER = mail_settings.AWAY + timedelta(seconds=30)


def settings(tmp_path: Any, database_url: str) -> Any:
    return make_settings(database_url, tmp_path, public_url="https://commons.example.org")


async def notice_rows(db: async_sessionmaker[AsyncSession], person_id: int) -> list[OutboundMail]:
    async with db() as session:
        rows = await session.execute(
            select(OutboundMail)
            .where(OutboundMail.person_id == person_id, OutboundMail.kind.like("notice.%"))
            .order_by(OutboundMail.id)
        )
        return list(rows.scalars())


async def away(db: async_sessionmaker[AsyncSession], person_id: int) -> None:
    """The person was last on the site before any of this."""
    async with db() as session:
        await session.execute(
            update(Person).where(Person.id == person_id).values(last_seen_at=clock.now() - timedelta(days=1))
        )
        await session.commit()


async def replied_to(world: World, replies: int = 1) -> tuple[str, ApiClient, ApiClient, int]:
    slug, author, replier = await world.two_members()
    post = await world.request(author, slug, title="Help with persistent absence")
    for n in range(replies):
        response = await replier.post(f"/posts/{post['id']}/replies", json={"body": f"We can help {n}"})
        assert response.status_code == 201, response.text
    await away(world.db, author.id)
    return slug, author, replier, post["id"]


async def run_pass(db: async_sessionmaker[AsyncSession], tmp_path: Any, database_url: str, at: Any) -> int:
    return await notice_pass(db, settings(tmp_path, database_url), at)


async def test_a_reply_to_someone_away_is_emailed_once_after_a_few_minutes(
    world: World, tmp_path: Any, database_url: str
) -> None:
    _, author, _, post_id = await replied_to(world)
    now = clock.now()
    assert await run_pass(world.db, tmp_path, database_url, now) == 0  # too soon: they may yet see it
    assert await notice_rows(world.db, author.id) == []

    assert await run_pass(world.db, tmp_path, database_url, now + LATER) == 1
    (mail,) = await notice_rows(world.db, author.id)
    assert mail.kind == "notice.replies"
    assert "replied to your post" in mail.subject and "Help with persistent absence" in mail.subject
    assert f"https://commons.example.org/posts/{post_id}#reply-" in mail.text_body
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.headers["List-Unsubscribe"].startswith("<https://commons.example.org/unsubscribe?token=")
    assert "https://commons.example.org/account/notifications" in mail.text_body
    assert mail.html_body is not None and '<html lang="en-GB">' in mail.html_body

    assert await run_pass(world.db, tmp_path, database_url, now + 2 * LATER) == 0  # never twice
    assert len(await notice_rows(world.db, author.id)) == 1


async def test_a_busy_thread_sends_one_message_not_one_each(world: World, tmp_path: Any, database_url: str) -> None:
    _, author, _, _ = await replied_to(world, replies=3)
    assert await run_pass(world.db, tmp_path, database_url, clock.now() + LATER) == 1
    (mail,) = await notice_rows(world.db, author.id)
    assert mail.subject.endswith("3 replies to your posts")
    assert mail.text_body.count("replied to your post") == 3


async def test_what_was_seen_on_the_site_or_read_is_not_emailed(world: World, tmp_path: Any, database_url: str) -> None:
    _, author, _, _ = await replied_to(world)
    async with world.db() as session:  # on the site after the reply came
        await session.execute(
            update(Person).where(Person.id == author.id).values(last_seen_at=clock.now() + timedelta(seconds=1))
        )
        await session.commit()
    assert await run_pass(world.db, tmp_path, database_url, clock.now() + LATER) == 0

    _, other, _, _ = await replied_to(world)
    response = await other.post("/notifications/read", json={"all": True})
    assert response.status_code == 200, response.text
    await away(world.db, other.id)
    assert await run_pass(world.db, tmp_path, database_url, clock.now() + LATER) == 0
    assert await notice_rows(world.db, author.id) == [] and await notice_rows(world.db, other.id) == []


async def test_a_kind_turned_off_is_not_emailed_and_others_still_are(
    world: World, tmp_path: Any, database_url: str
) -> None:
    _, author, replier, post_id = await replied_to(world)
    response = await author.patch("/me/mail-settings", json={"email": {"replies": False}})
    assert response.status_code == 200, response.text
    assert response.json()["email"]["replies"] is False and response.json()["email"]["offers"] is True
    offer = await replier.post(f"/posts/{post_id}/offers", json={"message": "We have done this twice."})
    assert offer.status_code == 201, offer.text
    await away(world.db, author.id)
    assert await run_pass(world.db, tmp_path, database_url, clock.now() + LATER) == 1
    assert [m.kind for m in await notice_rows(world.db, author.id)] == ["notice.offers"]


async def test_what_they_may_no_longer_read_is_left_out(world: World, tmp_path: Any, database_url: str) -> None:
    """Suspended from the network after the reply came: the mail (like the stream) leaves it out."""
    slug, author, _, _ = await replied_to(world)
    await suspend_directly(world.db, author.id, slug, days=7)
    assert await run_pass(world.db, tmp_path, database_url, clock.now() + LATER) == 0
    assert await notice_rows(world.db, author.id) == []


async def test_a_hidden_reply_is_not_emailed(world: World, tmp_path: Any, database_url: str) -> None:
    _, author, _, _ = await replied_to(world)
    async with world.db() as session:
        await session.execute(text("UPDATE replies SET state = 'hidden'"))
        await session.commit()
    assert await run_pass(world.db, tmp_path, database_url, clock.now() + LATER) == 0
    assert await notice_rows(world.db, author.id) == []


async def test_two_processes_passing_at_once_send_one_message(world: World, tmp_path: Any, database_url: str) -> None:
    _, author, _, _ = await replied_to(world, replies=2)
    config = settings(tmp_path, database_url)
    at = clock.now() + LATER

    async def one_pass() -> int:
        async with world.db() as session:
            async with writing(session):
                queued = await notice_mail.mail_person(session, config, author.id, at)
                await session.commit()
                return queued

    results = await asyncio.gather(one_pass(), one_pass(), one_pass())
    assert sorted(results) == [0, 0, 1]
    assert len(await notice_rows(world.db, author.id)) == 1


async def test_a_rolled_back_pass_sends_nothing_and_leaves_the_person_for_the_next(
    world: World, tmp_path: Any, database_url: str
) -> None:
    _, author, _, _ = await replied_to(world)
    config = settings(tmp_path, database_url)
    at = clock.now() + LATER
    async with world.db() as session:
        async with writing(session):
            assert await notice_mail.mail_person(session, config, author.id, at) == 1
            await session.rollback()  # the process died before committing
    assert await notice_rows(world.db, author.id) == []
    assert await run_pass(world.db, tmp_path, database_url, at) == 1


async def test_a_running_server_emails_the_away_author_over_smtp_and_not_someone_on_the_site(
    mailing: World, smtp: SmtpServer
) -> None:
    """The whole path in a real server: its presence, its mail tick, its sender, a real SMTP server."""
    world = mailing
    slug, author, replier = await world.two_members()
    watcher = await world.member(slug, follow="all")
    post = await world.request(author, slug, title="Help with attendance")
    watched = await world.request(watcher, slug, title="Help with reading")
    await asyncio.sleep(0.5)  # the presence of their requests is written
    assert (await replier.post(f"/posts/{post['id']}/replies", json={"body": "We can help."})).status_code == 201
    assert (await replier.post(f"/posts/{watched['id']}/replies", json={"body": "So can we."})).status_code == 201
    async with world.db() as session:  # the replies came six minutes ago; the author has not been back since
        past = clock.now() - timedelta(minutes=6)
        await session.execute(text("UPDATE notifications SET created_at = :at"), {"at": past})
        await session.execute(
            update(Person).where(Person.id == author.id).values(last_seen_at=past - timedelta(minutes=1))
        )
        await session.commit()
    assert (await watcher.get("/notifications")).status_code == 200  # the watcher was on the site since
    messages = await smtp.collector.wait_about("replied to your post", count=1, seconds=15)
    assert [m["To"] for m in messages] == [author.person["email"]]
    (message,) = messages
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and "Help with attendance" in body.get_content()
    await asyncio.sleep(1.0)  # more ticks: no second message, and none to the watcher who was on the site
    assert len(smtp.collector.about("replied to your post")) == 1


async def test_a_person_still_given_time_to_see_it_is_not_due(world: World) -> None:
    """The mailer reads before it writes: a person whose mail waits costs no write lock."""
    _, author, _, _ = await replied_to(world)
    async with world.db() as session:
        assert await notice_mail.due(session, author.id, clock.now()) is False
        assert await notice_mail.due(session, author.id, clock.now() + LATER) is True
        assert await notice_mail.due(session, 10**9, clock.now() + LATER) is False  # nobody
