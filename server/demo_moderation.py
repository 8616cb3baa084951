"""Moderation in the demo: a queue with work in it, a log with history, an open appeal, join questions.

Everything goes through the domain services, as a lead's or member's requests would, so the
log, events and notifications are what the real actions write. The people are fictional;
the "pupil" in the held post is too.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from network.access import access_to
from network.casework import appeals, decisions, flags
from network.content import posts
from network.enums import ContentState, Decision, FlagReason, PostKind, ScreenAction, TargetType
from network.governance import charter, settings
from network.inputs import (
    AppealInput,
    DecisionInput,
    FlagInput,
    PostInput,
    SettingsInput,
    WatchedWordInput,
)
from network.models import Network, Person, Post, Reply
from network.people import membership

HELD_BODY = """We are planning support for a Year 5 pupil, Jayden Smith (date of birth 14/03/2015), \
who joined us mid-year with gaps in early reading. Has anyone run a 1:1 phonics catch-up \
alongside whole-class reading, and how did you fit it into the timetable?"""


async def _post_not_by(session: AsyncSession, network: Network, person: Person) -> Post | None:
    stmt = select(Post).where(
        Post.network_id == network.id, Post.state == ContentState.VISIBLE, Post.author_id != person.id
    )
    return (await session.execute(stmt.order_by(Post.id.desc()))).scalars().first()


async def _reply_by(session: AsyncSession, network: Network, person: Person) -> Reply | None:
    stmt = (
        select(Reply)
        .join(Post, Post.id == Reply.post_id)
        .where(Post.network_id == network.id, Reply.author_id == person.id)
    )
    return (await session.execute(stmt.order_by(Reply.id))).scalars().first()


async def seed(session: AsyncSession, nets: dict[str, Network], people: dict[str, Person]) -> None:
    north_west, send, reading = nets["north-west"], nets["send"], nets["reading"]
    demo_lead = await access_to(session, north_west, people["demo"])
    other_lead = await access_to(session, north_west, people["tbyrne"])

    # settings and filters, as a lead sets them up
    await settings.update_settings(
        session, demo_lead, SettingsInput(premod_posts=1, reason="New members' first post is checked.")
    )
    await settings.add_word(
        session,
        demo_lead,
        WatchedWordInput(
            pattern="essay mill",
            action=ScreenAction.BLOCK,
            message="Links to essay-writing services are not allowed here (charter clause 4).",
        ),
    )
    await settings.add_word(session, demo_lead, WatchedWordInput(pattern="free trial", action=ScreenAction.FLAG))

    # a member's post that looks like pupil data waits for a lead
    writer = await access_to(session, north_west, people["gwalters"])
    await posts.create_post(
        session,
        writer,
        PostInput(kind=PostKind.REQUEST, title="Fitting 1:1 phonics catch-up into a Year 5 timetable", body=HELD_BODY),
    )

    # a flag waiting in the queue
    target = await _post_not_by(session, north_west, people["shussain"])
    if target is not None:
        await flags.flag(
            session,
            people["shussain"],
            TargetType.POST,
            target.id,
            FlagInput(reason=FlagReason.OFF_TOPIC, note="This reads more like an advert for a product than practice."),
        )

    # a reply hidden by one lead, appealed by its author, for the other lead to decide
    hidden = await _reply_by(session, north_west, people["yasante"])
    if hidden is not None:
        entry = await decisions.decide(
            session,
            other_lead,
            DecisionInput(
                target_type=TargetType.REPLY,
                target_id=hidden.id,
                action=Decision.HIDE,
                reason="Names a member of staff at another school in a way they could not answer.",
                clause=4,
            ),
        )
        await appeals.file(
            session,
            people["yasante"],
            AppealInput(
                decision_id=entry.id,
                statement="I named the school, not the person, and the point was about the approach. "
                "Happy to edit it if that helps.",
            ),
        )

    # a short mute, logged
    await decisions.decide(
        session,
        other_lead,
        DecisionInput(
            target_type=TargetType.MEMBER,
            target_id=people["lfenwick"].id,
            action=Decision.MUTE,
            reason="Three promotional posts in a day after a reminder of clause 3.",
            clause=3,
            until=clock.now() + timedelta(days=2),
        ),
    )

    # a request-to-join network asks questions; one request waits with its answers
    send_lead = await access_to(session, send, people["smorrow"])
    await settings.update_settings(
        session,
        send_lead,
        SettingsInput(
            join_questions=[
                "Which trust or group do you work for, and in what role?",
                "What would you like to share or learn about SEND?",
            ],
            reason="So leads can welcome people properly.",
        ),
    )
    await membership.join(
        session,
        send,
        people["hgrant"],
        answers=[
            "Deputy CEO, a trust of eleven primary schools.",
            "How other trusts run their resourced provisions and share specialist staff.",
        ],
    )

    # a charter amendment, so the history and diff have something to show
    reading_lead = await access_to(session, reading, people["nokafor"])
    current = await charter.current_charter(session, reading.id)
    if current is not None:
        body = current.body.rstrip() + (
            "\n99. Share decodable-text lists and assessment tools freely; credit their authors.\n"
        )
        body = body.replace("\n99. ", f"\n{len(charter.parse_clauses(current.body)) + 1}. ")
        await charter.amend(
            session, reading_lead, body, "Added a clause on sharing resources, agreed at the autumn meeting."
        )
