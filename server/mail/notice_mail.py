"""Email for people who were away: what concerns them directly, a few minutes after it came, if they
have not seen it on the site (docs/design.md §3.10).

Each person's `notice_mail_seq` is how far through their notifications the mailer has gone. A
notification is emailed when it is in a group the person has not turned off, is still unread, and
they have not been on the site since it came (`last_seen_at`, server/presence.py). The mailer waits
until the oldest such notification is `AWAY` old (and `NOTICE_GAP` has passed since their last
notice mail), then sends all that have come meanwhile, one message per group: a busy thread sends
one message, not ten, and each message's one-click unsubscribe stops exactly its kind.

The message is queued in the same transaction that moves `notice_mail_seq` on, and only if it moves
it from where this pass read it (a conditional UPDATE): two processes passing over the same person
send one message between them, and a pass that dies sends none and leaves the person for the next.
What the person may no longer read when the mail is made (they were suspended, the post was hidden)
is left out, as every other channel leaves it out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from events.models import Notification
from network import activity
from network.engagements import space
from network.enums import ContentState
from network.models import Network, Person, Post, Reply
from network.people import mail_settings, networks
from network.people.notifications import notification_view
from server.mail import queue, unsubscribe
from server.mail.letters import Section, letter, line
from server.mail.messages import Message
from server.settings import Settings
from web.people.notification_sentences import sentence

PEOPLE_PER_READ = 200


async def waiting_people(session: AsyncSession, after: int, limit: int = PEOPLE_PER_READ) -> list[int]:
    """People (by id, after `after`) with notifications the mailer has not yet passed over."""
    rows = await session.execute(
        select(Person.id)
        .where(
            Person.id > after,
            Person.notification_seq > Person.notice_mail_seq,
            Person.is_active.is_(True),
            Person.deleted_at.is_(None),
        )
        .order_by(Person.id)
        .limit(limit)
    )
    return list(rows.scalars())


def _emailable(person: Person, note: Notification) -> str | None:
    """The note's group, if it is one to email this person now (unread, unseen, its group on)."""
    group = mail_settings.mailed_when_away(note.kind)
    if group is None or not mail_settings.emails_group(person, group) or note.read_at is not None:
        return None
    if person.last_seen_at is not None and person.last_seen_at >= note.created_at:
        return None  # they were on the site after it came: they saw it there
    return group


async def _still_readable(session: AsyncSession, person: Person, note: Notification) -> bool:
    """Whether the person may still read what the note is about (as when it was written)."""
    if note.network_id is not None and note.kind not in activity.ABOUT_THEM:
        network = await session.get(Network, note.network_id)
        if network is None or not await activity.may_read(session, network, person.id):
            return False
    engagement_id = note.payload.get("engagement_id")
    if isinstance(engagement_id, int) and not await space.still_named(session, engagement_id, person):
        return False  # no longer named in it (or no longer of that side's organisation)
    post_id, reply_id = note.payload.get("post_id"), note.payload.get("reply_id")
    if isinstance(post_id, int) and note.kind not in activity.ABOUT_THEM:
        post = await session.get(Post, post_id)
        if post is None or (post.state is not ContentState.VISIBLE and post.author_id != person.id):
            return False
        if isinstance(reply_id, int):
            reply = await session.get(Reply, reply_id)
            if reply is None or (reply.state is not ContentState.VISIBLE and reply.author_id != person.id):
                return False
    return True


@dataclass(frozen=True, slots=True)
class _Pass:
    """What a pass over one person found: their notifications after the watermark, those to email."""

    person: Person
    notes: list[Notification]
    waiting: list[tuple[Notification, str]]


async def _look(session: AsyncSession, person_id: int, now: datetime) -> _Pass | None:
    """The person's new notifications, or None when there is nothing to do yet (none, or what is to
    be emailed is still giving them time to see it on the site)."""
    person = await session.get(Person, person_id, populate_existing=True)
    if person is None:
        return None
    notes = list(
        (
            await session.execute(
                select(Notification)
                .where(Notification.person_id == person.id, Notification.seq > person.notice_mail_seq)
                .order_by(Notification.seq)
            )
        ).scalars()
    )
    if not notes:
        return None
    waiting = [(note, group) for note in notes if (group := _emailable(person, note)) is not None]
    if waiting:
        oldest = waiting[0][0].created_at
        if oldest > now - mail_settings.AWAY:
            return None  # give them a few minutes to see it on the site; what comes meanwhile joins it
        if person.notice_mailed_at is not None and person.notice_mailed_at > now - mail_settings.NOTICE_GAP:
            return None
    return _Pass(person, notes, waiting)


async def due(session: AsyncSession, person_id: int, now: datetime) -> bool:
    """Whether a pass over this person would do anything now: a read, so that a person whose mail is
    still waiting costs the mailer no write (on SQLite, no turn of the one write lock)."""
    return await _look(session, person_id, now) is not None


async def mail_person(session: AsyncSession, settings: Settings, person_id: int, now: datetime) -> int:
    """Pass over one person's new notifications: queue their notice mail if it is due; how many
    messages. The caller commits (on SQLite holding the write lock: `server.db.writing`)."""
    found = await _look(session, person_id, now)
    if found is None:
        return 0
    person, notes, waiting = found.person, found.notes, found.waiting
    start = person.notice_mail_seq
    groups: dict[str, list[Notification]] = defaultdict(list)
    for note, group in waiting:
        if person.email_confirmed_at is not None and await _still_readable(session, person, note):
            groups[group].append(note)
    moved = await session.execute(
        update(Person)
        .where(Person.id == person.id, Person.notice_mail_seq == start)
        .values(notice_mail_seq=notes[-1].seq, notice_mailed_at=now if groups else Person.notice_mailed_at)
        .returning(Person.id)
        .execution_options(synchronize_session=False)
    )
    if moved.first() is None:
        return 0  # another process passed over them first: it sent what was due
    names = await networks.names_by_id(session, {n.network_id for ns in groups.values() for n in ns if n.network_id})
    for group, group_notes in groups.items():
        message = _message(settings, person, group, [sentence(notification_view(n), names) for n in group_notes])
        await queue.enqueue_message(
            session,
            settings,
            message,
            to=person.email,
            person_id=person.id,
            headers=unsubscribe.headers(settings, person.id, group),
        )
    return len(groups)


def _message(settings: Settings, person: Person, group: str, sentences: list[Markup]) -> Message:
    about = mail_settings.GROUPS[group]
    subject = _subject_line(sentences[0]) if len(sentences) == 1 else about.many.format(n=len(sentences)).capitalize()
    return letter(
        settings,
        kind=f"notice.{group}",
        subject=subject,
        greeting=f"Hello {person.display_name}, this came for you while you were away from Improvement Commons.",
        sections=[Section(about.label, [line(settings, s) for s in sentences])],
        why=f"We email you about “{about.label.lower()}” when you have not seen it on the site for a few minutes.",
        stop_label=f"Stop emails about {about.label.lower()}",
        stop_link=unsubscribe.link(settings, person.id, group),
    )


def _subject_line(sentence_markup: Markup) -> str:
    text = " ".join(sentence_markup.striptags().split()).rstrip(".")
    return text if len(text) <= 120 else text[:117].rstrip() + "…"
