"""What the platform holds about a person, for them to download (UK GDPR's right of access).

Everything stored about the person or written by them: the account, memberships, what they
shared, replied, offered and reacted, the adoption records they made and the reports they wrote, the
engagements they are named in with their own words there (messages, check-ins, outcomes, follow-ups;
never another person's), the flags they raised and the appeals they made, the decisions recorded
about them, their notifications, their saved searches and the names of their API tokens.
Never a secret (the password's hash, a token's digest) and never what would name someone the network
keeps unnamed: a decision about them says what was decided and why, not which lead decided it.

The fields are listed one by one, table by table, rather than every column dumped, so that a column
added later is left out until someone decides it belongs here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.models import Notification
from network import clock
from network.adoption.models import Adoption
from network.engagements.models import (
    Engagement,
    EngagementCheckIn,
    EngagementFollowUp,
    EngagementMessage,
    EngagementOutcome,
    EngagementPerson,
)
from network.models import ApiToken, Membership, Network, Offer, Person, Post, Reaction, Reply, SavedSearch
from network.moderation.models import Appeal, DecisionRecord, Flag

FORMAT = "improvement-commons/personal-data/1"

_POST = (
    "id", "network_id", "kind", "title", "body", "state", "created_at", "updated_at", "edited_at", "summary",
    "phases", "setting", "what_we_did", "what_we_stopped", "impact", "evidence_strength", "themes", "resources",
    "support_type", "urgency", "status", "outcome", "closed_at",
)  # fmt: skip
_REPLY = ("id", "post_id", "body", "state", "created_at", "edited_at")
_OFFER = ("id", "post_id", "organisation_id", "message", "status", "created_at", "decided_at")
_REACTION = ("post_id", "kind", "created_at")
_FLAG = ("id", "network_id", "target_type", "target_id", "reason", "clause", "note", "status", "created_at")
_APPEAL = ("id", "decision_id", "network_id", "statement", "status", "outcome_reason", "created_at", "decided_at")
_DECISION = (
    "id",
    "network_id",
    "action",
    "target_type",
    "target_id",
    "label",
    "reason",
    "clause",
    "until",
    "created_at",
)
_ADOPTION = (
    "id", "post_id", "network_id", "organisation_id", "phase", "setting", "size_band", "adapted", "started_on",
    "report_due_on", "state", "created_at", "edited_at",
)  # fmt: skip
_REPORT = ("id", "post_id", "result", "evidence_strength", "how_we_know", "advice", "reported_at")
_ENGAGEMENT = ("id", "network_id", "request_id", "title", "state", "closed_as", "starts_on", "closed_at")
_MESSAGE = ("id", "body", "state", "created_at")
_CHECK_IN = ("id", "side", "progress", "next_check_in_on", "created_at")
_OUTCOME = (
    "side", "what_changed", "for_whom", "how_we_know", "evidence_strength", "do_differently", "work_together_again",
    "practice_id", "created_at",
)  # fmt: skip
_FOLLOW_UP = ("side", "lasted", "note", "created_at")
_NOTIFICATION = ("seq", "kind", "payload", "network_id", "created_at", "read_at")
_TOKEN = ("id", "name", "prefix", "created_at", "last_used_at", "revoked_at")
_SAVED_SEARCH = ("id", "name", "query", "filters", "alerts", "created_at", "last_alerted_at")


def _fields(row: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def _rows(rows: Sequence[Any], names: Iterable[str]) -> list[dict[str, Any]]:
    names = tuple(names)
    return [_fields(row, names) for row in rows]


async def _all(session: AsyncSession, stmt: Any) -> Sequence[Any]:
    return (await session.execute(stmt)).scalars().all()


async def personal_data(session: AsyncSession, person: Person) -> dict[str, Any]:
    """The person's data as one JSON-ready document (datetimes and enums are left to the encoder)."""
    me = person.id
    memberships = (
        await session.execute(
            select(Membership, Network.slug, Network.name)
            .join(Network, Network.id == Membership.network_id)
            .where(Membership.person_id == me)
            .order_by(Membership.id)
        )
    ).all()
    return {
        "format": FORMAT,
        "made_at": clock.now(),
        "account": {
            **_fields(person, ("id", "email", "display_name", "is_admin", "is_active", "created_at", "updated_at")),
            **_fields(person, ("email_confirmed_at", "affiliation", "affiliation_reason", "affiliation_changed_at")),
            "organisation": _fields(person.organisation, ("id", "name", "kind")),
        },
        "memberships": [
            {"network": {"id": m.network_id, "slug": slug, "name": name}}
            | _fields(m, ("role", "state", "until", "follow_level", "join_answers", "created_at"))
            for m, slug, name in memberships
        ],
        "posts": _rows(await _all(session, select(Post).where(Post.author_id == me).order_by(Post.id)), _POST),
        "replies": _rows(await _all(session, select(Reply).where(Reply.author_id == me).order_by(Reply.id)), _REPLY),
        "offers": _rows(await _all(session, select(Offer).where(Offer.author_id == me).order_by(Offer.id)), _OFFER),
        "reactions": _rows(
            await _all(session, select(Reaction).where(Reaction.person_id == me).order_by(Reaction.id)), _REACTION
        ),
        "adoptions": _rows(
            await _all(session, select(Adoption).where(Adoption.person_id == me).order_by(Adoption.id)), _ADOPTION
        ),
        "adoption_reports": _rows(
            await _all(session, select(Adoption).where(Adoption.reported_by_id == me).order_by(Adoption.id)), _REPORT
        ),
        "engagements": await _engagements(session, me),
        "flags_raised": _rows(await _all(session, select(Flag).where(Flag.reporter_id == me).order_by(Flag.id)), _FLAG),
        "appeals": _rows(
            await _all(session, select(Appeal).where(Appeal.appellant_id == me).order_by(Appeal.id)), _APPEAL
        ),
        "decisions_about_me": _rows(
            await _all(
                session, select(DecisionRecord).where(DecisionRecord.subject_id == me).order_by(DecisionRecord.id)
            ),
            _DECISION,
        ),
        "notifications": _rows(
            await _all(session, select(Notification).where(Notification.person_id == me).order_by(Notification.seq)),
            _NOTIFICATION,
        ),
        "api_tokens": _rows(
            await _all(session, select(ApiToken).where(ApiToken.person_id == me).order_by(ApiToken.id)), _TOKEN
        ),
        "saved_searches": _rows(
            await _all(session, select(SavedSearch).where(SavedSearch.person_id == me).order_by(SavedSearch.id)),
            _SAVED_SEARCH,
        ),
    }


async def _engagements(session: AsyncSession, me: int) -> list[dict[str, Any]]:
    """The engagements the person is named in, or wrote in, each with only what they wrote there."""
    named = {
        row.engagement_id: row
        for row in await _all(session, select(EngagementPerson).where(EngagementPerson.person_id == me))
    }
    words: dict[str, tuple[Any, tuple[str, ...]]] = {
        "messages": (EngagementMessage, _MESSAGE),
        "check_ins": (EngagementCheckIn, _CHECK_IN),
        "outcomes": (EngagementOutcome, _OUTCOME),
        "follow_ups": (EngagementFollowUp, _FOLLOW_UP),
    }
    written: dict[str, Sequence[Any]] = {
        key: await _all(session, select(table).where(table.author_id == me).order_by(table.id))
        for key, (table, _) in words.items()
    }
    ids = set(named) | {row.engagement_id for rows in written.values() for row in rows}
    engagements = await _all(session, select(Engagement).where(Engagement.id.in_(ids)).order_by(Engagement.id))
    return [
        _fields(engagement, _ENGAGEMENT)
        | {
            "my_side": named[engagement.id].side if engagement.id in named else None,
            "named_at": named[engagement.id].created_at if engagement.id in named else None,
        }
        | {
            key: _rows([row for row in written[key] if row.engagement_id == engagement.id], names)
            for key, (_, names) in words.items()
        }
        for engagement in engagements
    ]
