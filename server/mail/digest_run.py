"""Building one period's digests (daily or weekly) for everyone who asked for them, once.

A run is named by its period ("digest:weekly:2026-W50") and leased (server/mail/runs.py), so one
process works it at a time and another takes it over if it dies. It goes through the people in
chunks, by id; each chunk is one transaction that marks the chunk's people as done for the period
(a conditional UPDATE: only those not yet marked come back), queues their digests and records the
run's progress. A person is therefore marked and mailed together or not at all, and never twice,
whatever processes start, stop or overlap.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from network.enums import DigestFrequency, MemberState
from network.models import Membership, Person
from network.people import mail_settings
from server.db import writing
from server.mail import digest, queue, runs, unsubscribe
from server.mail.letters import letter
from server.mail.messages import Message
from server.settings import Settings

log = logging.getLogger("commons.mail")

CHUNK = 500
_MEMBER_STATES = (MemberState.ACTIVE, MemberState.MUTED, MemberState.SUSPENDED)  # `allowed` decides


@dataclass(frozen=True, slots=True)
class RunResult:
    period: str
    ran: bool  # False: done already, or another process holds it
    people: int = 0
    queued: int = 0


async def build(
    maker: Callable[[], AsyncSession],
    settings: Settings,
    frequency: DigestFrequency,
    now: datetime,
    worker: str,
    *,
    chunk: int = CHUNK,
) -> RunResult:
    period = mail_settings.period_of(frequency, now)
    if period is None:
        return RunResult("", False)
    name = f"digest:{period}"
    async with maker() as session:
        if await runs.is_done(session, name):
            return RunResult(period, False)
    async with maker() as session:
        async with writing(session):
            run = await runs.claim(session, name, worker, now)
            await session.commit()
    if run is None:
        return RunResult(period, False)
    async with maker() as session:
        content = await digest.gather(session, now - mail_settings.span(frequency), now)
    after, people, queued = run.after_person_id, 0, 0
    cache = digest.RunCache(settings)
    while True:
        async with maker() as session:
            async with writing(session):
                ids = await _next_people(session, frequency, period, after, chunk)
                done = len(ids) < chunk
                sent = await _chunk(session, settings, frequency, period, ids, content, cache, now) if ids else 0
                last = ids[-1] if ids else after
                if not await runs.renew(session, run.id, worker, now, after_person_id=last, queued=sent, done=done):
                    await session.rollback()
                    log.warning("digest run %s was taken over; leaving it to its new holder", name)
                    return RunResult(period, True, people, queued)
                await session.commit()
        people, queued, after = people + len(ids), queued + sent, last
        if done:
            log.info("digests for %s: %d people, %d queued", period, people, queued)
            return RunResult(period, True, people, queued)


async def _next_people(
    session: AsyncSession, frequency: DigestFrequency, period: str, after: int, limit: int
) -> list[int]:
    rows = await session.execute(
        select(Person.id)
        .where(
            Person.id > after,
            Person.digest == frequency,
            or_(Person.digest_period.is_(None), Person.digest_period != period),
            Person.is_active.is_(True),
            Person.deleted_at.is_(None),
            Person.email_confirmed_at.is_not(None),
        )
        .order_by(Person.id)
        .limit(limit)
    )
    return list(rows.scalars())


async def _chunk(
    session: AsyncSession,
    settings: Settings,
    frequency: DigestFrequency,
    period: str,
    ids: list[int],
    content: dict[int, digest.NetworkContent],
    cache: digest.RunCache,
    now: datetime,
) -> int:
    """Mark these people done for the period and queue the digests of those this transaction marked."""
    loaded = await session.execute(
        select(Person)
        .where(Person.id.in_(ids))
        .options(selectinload(Person.organisation))
        .execution_options(populate_existing=True)
    )
    people = {person.id: person for person in loaded.scalars()}
    previous = {person_id: person.digest_built_at for person_id, person in people.items()}  # before marking
    marked = await session.execute(
        update(Person)
        .where(
            Person.id.in_(ids),
            or_(Person.digest_period.is_(None), Person.digest_period != period),
            Person.digest == frequency,
        )
        .values(digest_period=period, digest_built_at=now)
        .returning(Person.id)
        .execution_options(synchronize_session=False)
    )
    mine = sorted(int(person_id) for person_id in marked.scalars())
    if not mine:
        return 0
    found = await session.execute(
        select(Membership)
        .where(Membership.person_id.in_(mine), Membership.state.in_(_MEMBER_STATES))
        .execution_options(populate_existing=True)
    )
    by_person: dict[int, list[Membership]] = defaultdict(list)
    for membership in found.scalars():
        by_person[membership.person_id].append(membership)
    messages: list[tuple[Message, str, int, dict[str, str]]] = []
    for person in (people[person_id] for person_id in mine):
        since = mail_settings.since(frequency, previous[person.id], now)
        sections = digest.choose(person, by_person[person.id], content, since, now, cache)
        if any(section.news for section in sections):
            message = letter(
                settings,
                kind=f"digest.{frequency.value}",
                subject=f"Your {frequency.value} digest: what is new in your networks",
                greeting=f"Hello {person.display_name}, here is what is new in the networks you follow.",
                sections=sections,
                why=f"You get this {frequency.value} digest because you asked for it in your email settings.",
                stop_label="Stop these digests",
                stop_link=unsubscribe.link(settings, person.id, mail_settings.DIGEST),
            )
            headers = unsubscribe.headers(settings, person.id, mail_settings.DIGEST)
            messages.append((message, person.email, person.id, headers))
    await queue.enqueue_many(session, settings, messages)
    return len(messages)
