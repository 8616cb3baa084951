"""Engagements in the demo: what became of the accepted offers that `demo_content.toml` follows further.

Each goes through the services as its named people's requests would (the plan, both sides agreeing, the
thread, check-ins, outcomes, follow-ups, sharing an outcome as a practice), so the events, notifications,
the request's closing and the shared practice are what the real actions write. Then their times are moved
back to the weeks the content says, as `demo.py` spreads the posts over past weeks.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TypeVar

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from network.engagements import lifecycle, outcomes, space, thread
from network.engagements.models import (
    Engagement,
    EngagementCheckIn,
    EngagementFollowUp,
    EngagementMessage,
    EngagementOutcome,
    EngagementRevision,
)
from network.inputs import CheckInInput, EngagementMessageInput, FollowUpInput, OutcomeInput, PlanEdit
from network.models import Network, Offer, Person, Post, Reply
from server.demo_content import POSTS, DemoEngagement, DemoPost


async def seed(session: AsyncSession, nets: dict[str, Network], people: dict[str, Person]) -> None:
    for d in POSTS:
        if d.engagement is not None:
            await _seed_one(session, nets[d.network], people, d, d.engagement)


async def _seed_one(
    session: AsyncSession, network: Network, people: dict[str, Person], d: DemoPost, plan: DemoEngagement
) -> None:
    post = (
        await session.execute(select(Post).where(Post.network_id == network.id, Post.title == d.title))
    ).scalar_one()
    engagement = (await session.execute(select(Engagement).where(Engagement.request_id == post.id))).scalar_one()
    offerer = next(o.author for o in d.offers if o.accepted)
    start = clock.now().date() - timedelta(weeks=plan.started_weeks_ago)

    async def as_(key: str) -> space.Space:
        return await space.open_engagement(session, engagement.id, people[key])

    # the requesting side writes the plan and names its colleagues; the offering side names its own
    for key in (d.author, offerer):
        opened = await as_(key)
        colleagues = [people[k].id for k in plan.named if people[k].organisation_id == people[key].organisation_id]
        edit = PlanEdit(version=engagement.version, add_people=colleagues)
        if key == d.author:
            edit = PlanEdit(
                version=engagement.version,
                title=plan.title or msgspec.UNSET,
                aims=plan.aims.strip(),
                activities=plan.activities.strip(),
                starts_on=start,
                expected_end_on=start + timedelta(weeks=plan.runs_weeks),
                next_check_in_on=None if plan.closed else clock.now().date() + timedelta(weeks=2),
                add_people=colleagues,
            )
        if key == d.author or colleagues:
            await lifecycle.edit_plan(session, opened, edit, if_match=None)
    await lifecycle.agree(session, await as_(d.author))
    await lifecycle.agree(session, await as_(offerer))
    for m in plan.messages:
        await thread.add_message(session, await as_(m.author), EngagementMessageInput(body=m.body.strip()))
    for c in plan.check_ins:
        await thread.add_check_in(session, await as_(c.author), CheckInInput(progress=c.body.strip()))
    for o in plan.outcomes:
        data = OutcomeInput(
            what_changed=o.what_changed.strip(),
            evidence_strength=o.evidence_strength,
            work_together_again=o.work_together_again,
            for_whom=o.for_whom.strip(),
            how_we_know=o.how_we_know.strip(),
            do_differently=o.do_differently.strip(),
        )
        await outcomes.write_outcome(session, await as_(o.author), data)
    for f in plan.follow_ups:
        await outcomes.answer_follow_up(session, await as_(f.author), FollowUpInput(lasted=f.lasted, note=f.note))
    practice = None
    if plan.shared_by:
        sharing = await as_(plan.shared_by)
        practice = await outcomes.share(session, sharing, sharing.side)
    await session.flush()
    await _backdate(session, network, post, engagement, plan, practice)


def _at(day: object, hours: int = 9) -> datetime:
    return datetime.combine(day, time(hours), tzinfo=UTC)  # type: ignore[arg-type]


def _spread(first: datetime, last: datetime, count: int) -> list[datetime]:
    """`count` moments between `first` and `last`, evenly."""
    step = (last - first) / (count + 1)
    return [first + step * (n + 1) for n in range(count)]


Row = TypeVar("Row", EngagementMessage, EngagementCheckIn, EngagementOutcome, EngagementRevision, EngagementFollowUp)


async def _rows(session: AsyncSession, model: type[Row], engagement_id: int) -> list[Row]:
    found = await session.execute(select(model).where(model.engagement_id == engagement_id).order_by(model.id))
    return list(found.scalars())


async def _backdate(
    session: AsyncSession,
    network: Network,
    post: Post,
    engagement: Engagement,
    plan: DemoEngagement,
    practice: Post | None,
) -> None:
    """Move the engagement's times (and its request's, when the engagement began before it was posted)
    back to the weeks the content says: agreed a week before it started, the thread and check-ins spread
    over its weeks, closed and followed up when it says."""
    now = clock.now()
    started = _at(engagement.starts_on)
    opened = started - timedelta(days=7)
    if post.created_at > opened - timedelta(days=7):  # the request came some days before the offer's acceptance
        shift = opened - timedelta(days=7) - post.created_at
        for moved in [post, *(await _children(session, post.id))]:
            moved.created_at += shift
            moved.updated_at += shift
    for offer in (await session.execute(select(Offer).where(Offer.post_id == post.id))).scalars():
        if offer.decided_at is not None:
            offer.decided_at = opened
    engagement.created_at = engagement.updated_at = opened
    engagement.activated_at = started
    closed = now - timedelta(weeks=plan.closed_weeks_ago) if plan.closed else None
    until = closed or now
    for n, revision in enumerate(await _rows(session, EngagementRevision, engagement.id)):
        revision.created_at = opened + timedelta(hours=2 * n)
    messages = await _rows(session, EngagementMessage, engagement.id)
    for message, moment in zip(messages, _spread(started, until, len(messages)), strict=True):
        message.created_at = moment
    check_ins = await _rows(session, EngagementCheckIn, engagement.id)
    for check_in, moment in zip(check_ins, _spread(started, until, len(check_ins)), strict=True):
        check_in.created_at = moment
    if closed is None:
        return
    engagement.closed_at = post.closed_at = closed
    for n, outcome in enumerate(reversed(await _rows(session, EngagementOutcome, engagement.id))):
        outcome.created_at = closed - timedelta(days=2 * n)
    due = closed.date() + timedelta(weeks=network.engagement_follow_up_weeks)
    engagement.follow_up_due_on = due
    engagement.follow_up_told = due <= now.date()
    for n, answer in enumerate(await _rows(session, EngagementFollowUp, engagement.id)):
        answer.created_at = min(now, _at(due, 10 + n))
    if practice is not None:
        practice.created_at = practice.updated_at = closed + timedelta(days=3)
        practice.edited_at = None
    await session.flush()


async def _children(session: AsyncSession, post_id: int) -> list[Reply | Offer]:
    replies = (await session.execute(select(Reply).where(Reply.post_id == post_id))).scalars()
    offers = (await session.execute(select(Offer).where(Offer.post_id == post_id))).scalars()
    return [*replies, *offers]
