"""Closing with outcomes: each side says what changed, and when both have, the engagement is closed as
completed (with its request); weeks later each side says whether the change lasted; an outcome can be
shared with the network as a practice (docs/design.md §3.12).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from network.content import posts
from network.engagements import lifecycle, rules, space
from network.engagements.models import EngagementFollowUp, EngagementOutcome
from network.engagements.space import Space
from network.engagements.views import EngagementView, follow_up_view, outcome_view
from network.enums import ClosedAs, PostKind, Side
from network.errors import Conflict, NotFound, enforce
from network.event_kinds import EventKind
from network.inputs import FollowUpInput, OutcomeInput, PostInput
from network.locking import lock_row
from network.models import Post
from network.views import to_payload

WRITTEN = "Your side has already written its outcome."
ANSWERED = "Your side has already answered the follow-up."


async def _outcome(session: AsyncSession, engagement_id: int, side: Side) -> EngagementOutcome | None:
    found = await session.execute(
        select(EngagementOutcome).where(
            EngagementOutcome.engagement_id == engagement_id, EngagementOutcome.side == side
        )
    )
    return found.scalar_one_or_none()


async def write_outcome(session: AsyncSession, space_: Space, data: OutcomeInput) -> EngagementView:
    """The asker's side's outcome, once; the second side's closes the engagement as completed and its request
    with it. The request, then the engagement, are locked before the check: two outcomes of one side at once
    take turns, and the second is refused."""
    e = space_.engagement
    enforce(rules.outcome_refusal(e, space_.standing, written=False))
    post = await lifecycle.lock_request_then(session, space_)
    side = space_.side
    written = await _outcome(session, e.id, side) is not None
    enforce(rules.outcome_refusal(e, space_.standing, written=written))
    texts = [data.what_changed, data.for_whom, data.how_we_know, data.do_differently]
    await space.screen_texts(session, space_.access, texts)
    actor = space_.person
    outcome = EngagementOutcome(
        engagement_id=e.id,
        side=side,
        author=actor,
        what_changed=data.what_changed.strip(),
        for_whom=data.for_whom.strip(),
        how_we_know=data.how_we_know.strip(),
        evidence_strength=data.evidence_strength,
        do_differently=data.do_differently.strip(),
        work_together_again=data.work_together_again,
        created_at=clock.now(),
    )
    session.add(outcome)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # the unique (engagement, side): a path that did not take the lock
        raise Conflict(WRITTEN) from exc
    payload = {"engagement_id": e.id, "outcome": to_payload(outcome_view(outcome))}
    await space.tell(session, space_.network, e, EventKind.ENGAGEMENT_OUTCOME, payload, actor)
    if await _outcome(session, e.id, side.other) is not None:
        await lifecycle.close(session, space_, post, ClosedAs.COMPLETED)
    else:
        await space.notify_parties(
            session,
            space_.network,
            e,
            "engagement.outcome",
            {"by": actor.display_name},
            actor,
            sides=(side.other,),
        )
    return await space.describe_for(session, space_)


async def answer_follow_up(session: AsyncSession, space_: Space, data: FollowUpInput) -> EngagementView:
    """Whether the change lasted, once per side, once the engagement is closed (the reminder asks when the
    network's weeks have passed; a side may answer before)."""
    e = space_.engagement
    enforce(rules.follow_up_refusal(e, space_.standing, answered=False))
    await space.lock(session, space_)
    side = space_.side
    answered = (
        await session.scalar(
            select(EngagementFollowUp.id).where(
                EngagementFollowUp.engagement_id == e.id, EngagementFollowUp.side == side
            )
        )
        is not None
    )
    enforce(rules.follow_up_refusal(e, space_.standing, answered=answered))
    if data.note:
        await space.screen_texts(session, space_.access, [data.note])
    actor = space_.person
    follow_up = EngagementFollowUp(
        engagement_id=e.id, side=side, author=actor, lasted=data.lasted, note=data.note.strip(), created_at=clock.now()
    )
    session.add(follow_up)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(ANSWERED) from exc
    payload = {"engagement_id": e.id, "follow_up": to_payload(follow_up_view(follow_up))}
    await space.tell(session, space_.network, e, EventKind.ENGAGEMENT_FOLLOW_UP, payload, actor)
    return await space.describe_for(session, space_)


def _practice_input(space_: Space, outcome: EngagementOutcome) -> PostInput:
    e = space_.engagement
    partner = e.offering_organisation if outcome.side is Side.REQUESTER else e.requesting_organisation
    body = "\n\n".join(
        part
        for part in (
            f"What we did with {partner.name}, in response to the request /posts/{e.request_id}.",
            f"**What changed:** {outcome.what_changed}",
            f"**For whom:** {outcome.for_whom}" if outcome.for_whom else "",
            f"**How we know:** {outcome.how_we_know}" if outcome.how_we_know else "",
            f"**What we would do differently:** {outcome.do_differently}" if outcome.do_differently else "",
        )
        if part
    )
    summary = outcome.what_changed.strip().splitlines()[0] if outcome.what_changed.strip() else e.title
    return PostInput(
        kind=PostKind.PRACTICE,
        title=e.title[:200],
        body=body[:40_000],
        summary=summary[:500],
        what_we_did=e.activities[:20_000],
        impact=outcome.what_changed[:20_000],
        evidence_strength=outcome.evidence_strength.for_practice,
    )


async def share(session: AsyncSession, space_: Space, side: Side) -> Post:
    """Share `side`'s outcome with the network as a practice, authored by the asker, through the post
    service (so pre-moderation, the filters and the pupil-data guard apply): once per outcome."""
    e = space_.engagement
    found = await _outcome(session, e.id, side)
    enforce(
        rules.share_refusal(
            e, space_.standing, side, outcome=found is not None, practice_id=found.practice_id if found else None
        )
    )
    assert found is not None
    outcome = await lock_row(session, EngagementOutcome, found.id)
    if outcome is None:
        raise NotFound(f"No engagement {e.id}.")
    enforce(rules.share_refusal(e, space_.standing, side, outcome=True, practice_id=outcome.practice_id))
    practice = await posts.create_post(session, space_.access, _practice_input(space_, outcome))
    outcome.practice_id = practice.id
    await session.flush()
    payload = {"engagement_id": e.id, "outcome": to_payload(outcome_view(outcome))}
    await space.tell(session, space_.network, e, EventKind.ENGAGEMENT_OUTCOME, payload, space_.person)
    return practice
