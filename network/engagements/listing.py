"""What is seen of engagements outside their space: the network's summary lines, a request's, the
engagements one is named in, and the leads' export (docs/design.md §3.12). Never the thread, the
check-ins or an engagement both sides keep unlisted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from network import cursors
from network.access import Access, access_to
from network.content import posts
from network.engagements import rules, space
from network.engagements.models import Engagement, EngagementOutcome, EngagementPerson
from network.engagements.views import EngagementView, SummaryView, summary_view
from network.enums import EngagementState
from network.models import Network, Person, Post
from network.permissions import Action
from network.views import Page


def _listed() -> Any:
    """The SQL of `rules.listed`: once active, unless both sides keep it unlisted."""
    return and_(
        Engagement.activated_at.is_not(None),
        Engagement.state != EngagementState.PROPOSED,
        not_(and_(Engagement.requester_unlisted, Engagement.offerer_unlisted)),
    )


def _network_listed(network_id: int) -> Select[tuple[Engagement]]:
    return select(Engagement).where(Engagement.network_id == network_id, _listed())


async def network_summaries(session: AsyncSession, access: Access, *, cursor: str | None, limit: int) -> Page:
    """The network's listed engagements, newest first, for anyone who may read it (the caller opened it)."""
    stmt = _network_listed(access.network.id)
    after = cursors.decode(cursor)
    if after is not None:
        stmt = stmt.where(Engagement.id < after)
    rows = list((await session.execute(stmt.order_by(Engagement.id.desc()).limit(limit + 1))).scalars())
    return Page(
        items=[summary_view(e, access.network.slug) for e in rows[:limit]],
        next_cursor=cursors.next_cursor([e.id for e in rows], limit),
    )


async def request_summaries(session: AsyncSession, access: Access, post: Post) -> list[SummaryView]:
    """The listed engagements of a request (the caller opened the post: its readers), oldest first."""
    rows = await session.execute(
        select(Engagement).where(Engagement.request_id == post.id, _listed()).order_by(Engagement.id)
    )
    return [summary_view(e, access.network.slug) for e in rows.scalars()]


async def on_request(session: AsyncSession, access: Access, post: Post) -> list[tuple[SummaryView, bool]]:
    """A request's engagements as its reader sees them (the caller opened the post), oldest first: the
    listed ones, and those whose space the reader reads as a named person (with True: they may open it)."""
    rows = await session.execute(select(Engagement).where(Engagement.request_id == post.id).order_by(Engagement.id))
    found = []
    for engagement in rows.scalars():
        named = await space.named_side(session, engagement, access) is not None
        if named or rules.listed(engagement):
            found.append((summary_view(engagement, access.network.slug), named))
    return found


async def mine(session: AsyncSession, person: Person) -> list[EngagementView]:
    """The engagements whose space the person reads as a named person, newest first."""
    rows = await session.execute(
        select(Engagement)
        .join(EngagementPerson, EngagementPerson.engagement_id == Engagement.id)
        .where(EngagementPerson.person_id == person.id)
        .order_by(Engagement.id.desc())
    )
    found = []
    for engagement in rows.scalars():
        network = await session.get(Network, engagement.network_id)
        assert network is not None
        access = await access_to(session, network, person)
        if await space.named_side(session, engagement, access) is None:
            continue
        found.append(
            await space.describe_for(
                session, space.Space(access, engagement, await space.standing_of(session, engagement, access))
            )
        )
    return found


async def export_rows(session: AsyncSession, access: Access) -> list[dict[str, Any]]:
    """The leads' export: each listed engagement's summary and its outcomes' evidence strengths."""
    access.require(Action.EXPORT)
    rows = list((await session.execute(_network_listed(access.network.id).order_by(Engagement.id))).scalars())
    strengths: dict[int, dict[str, str]] = {}
    if rows:
        found = await session.execute(
            select(EngagementOutcome.engagement_id, EngagementOutcome.side, EngagementOutcome.evidence_strength)
            .join(Engagement, Engagement.id == EngagementOutcome.engagement_id)
            .where(Engagement.network_id == access.network.id)
        )
        for engagement_id, side, strength in found.tuples():
            strengths.setdefault(engagement_id, {})[str(side)] = str(strength)
    titles = await posts.titles(session, {e.request_id for e in rows})
    return [
        {
            "id": e.id,
            "request_id": e.request_id,
            "request_title": titles.get(e.request_id, ""),
            "title": e.title,
            "summary": rules.summary_sentence(
                e.requesting_organisation.name, e.offering_organisation.name, e.title, e.state, e.closed_as
            ),
            "requesting_organisation": e.requesting_organisation.name,
            "offering_organisation": e.offering_organisation.name,
            "state": e.state.value,
            "closed_as": e.closed_as.value if e.closed_as else None,
            "starts_on": e.starts_on.isoformat() if e.starts_on else None,
            "expected_end_on": e.expected_end_on.isoformat() if e.expected_end_on else None,
            "closed_at": e.closed_at.isoformat() if e.closed_at else None,
            "requester_evidence": strengths.get(e.id, {}).get("requester"),
            "offerer_evidence": strengths.get(e.id, {}).get("offerer"),
        }
        for e in rows
    ]


EXPORT_COLUMNS = (
    "id", "request_id", "request_title", "title", "summary", "requesting_organisation", "offering_organisation",
    "state", "closed_as", "starts_on", "expected_end_on", "closed_at", "requester_evidence", "offerer_evidence",
)  # fmt: skip
