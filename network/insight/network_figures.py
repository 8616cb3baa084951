"""A network's figures for a period: plain counts and median durations, never a score, rank or grade.

What is counted (each over the period's `since`/`until`, only what the network holds, and of posts and
replies only the shown ones, `state = visible`):

- requests posted; answered within the response window (a first reply or offer from an organisation
  other than the requester's within RESPONSE_DAYS); the median days to a first offer and to a match
  (an accepted offer's decision); the requests still waiting (open, with no answer yet) with their age;
- engagements opened in the period and how many of those are active now; engagements closed in the
  period by how they closed; outcomes written in the period by evidence strength; follow-ups by whether
  the change lasted;
- adoption reports made in the period by result;
- active organisations by kind (those with a post, reply or offer in the period);
- themes over time: practices posted per theme per month.

Each figure is one plain query on an indexed column (posts by `network_id, state, id`; replies and
offers by `post_id`; engagements by `network_id`; adoptions by `network_id`), grouped in the database
or, for the durations and JSON themes, counted here.

Who sees what: a network's leads and the platform admins see the full set. Members and observers see a
shorter version: no waiting list (it names requests and how long each has waited) and no median
durations (which leads use to follow requests up); the counts are the same for everyone. Anyone who may
not read the network gets its 404 from `open_network`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, Select, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from network import clock
from network.access import Access
from network.adoption.models import Adoption
from network.engagements.models import Engagement, EngagementFollowUp, EngagementOutcome
from network.enums import ContentState, EngagementState, OfferStatus, PostKind, RequestStatus
from network.errors import Invalid
from network.insight.periods import Period
from network.models import Offer, Organisation, Person, Post, Reply

RESPONSE_DAYS = 7
"""The response window: five school days, taken as seven calendar days. The default until networks set
their own in their charter."""

_DAY = timedelta(days=1)


class Count(msgspec.Struct, frozen=True):
    """How many of one kind: `key` is the value counted (a kind, a result, a way of closing)."""

    key: str
    count: int


class ThemeMonth(msgspec.Struct, frozen=True):
    theme: str
    month: str  # "2026-09"
    practices: int


class WaitingRequest(msgspec.Struct, frozen=True):
    id: int
    title: str
    age_days: int


class NetworkFigures(msgspec.Struct, frozen=True):
    """The figures; `full` says whether this is the leads' full set (else `waiting` and the medians are
    None)."""

    network: str
    period: str
    start: date
    end: date
    full: bool
    response_days: int
    requests_posted: int
    answered_within_window: int
    median_days_to_first_offer: float | None
    median_days_to_match: float | None
    waiting: list[WaitingRequest] | None
    engagements_opened: int
    engagements_active: int
    engagements_closed: list[Count]
    outcomes_by_evidence: list[Count]
    follow_ups_lasted: list[Count]
    adoption_reports: list[Count]
    active_organisations: list[Count]
    themes_by_month: list[ThemeMonth]


class _Request(msgspec.Struct):
    id: int
    title: str
    status: RequestStatus | None
    created_at: datetime
    first_answer: datetime | None = None
    first_offer: datetime | None = None
    matched: datetime | None = None


def _days(start: datetime, end: datetime) -> float:
    return (end - start) / _DAY


def _median_days(values: Iterable[float]) -> float | None:
    found = list(values)
    return round(median(found), 1) if found else None


def _counts(rows: Iterable[tuple[object, int]]) -> list[Count]:
    return sorted((Count(str(key), int(n)) for key, n in rows), key=lambda c: c.key)


def _earliest(*times: datetime | None) -> datetime | None:
    present = [t for t in times if t is not None]
    return min(present) if present else None


async def _requests(session: AsyncSession, network_id: int, period: Period) -> list[_Request]:
    """The shown requests posted in the period, each with its first answer, first offer and match."""
    rows = await session.execute(
        select(Post.id, Post.title, Post.status, Post.created_at).where(
            Post.network_id == network_id,
            Post.state == ContentState.VISIBLE,
            Post.kind == PostKind.REQUEST,
            Post.created_at >= period.since,
            Post.created_at < period.until,
        )
    )
    requests = {row.id: _Request(row.id, row.title, row.status, row.created_at) for row in rows}
    if not requests:
        return []
    ids = list(requests)
    replies = await session.execute(
        select(Reply.post_id, func.min(Reply.created_at))
        .join(Post, Post.id == Reply.post_id)
        .join(Person, Person.id == Reply.author_id)
        .where(
            Reply.post_id.in_(ids),
            Reply.state == ContentState.VISIBLE,
            Reply.deleted_at.is_(None),
            Person.organisation_id != Post.organisation_id,
        )
        .group_by(Reply.post_id)
    )
    first_reply = {post_id: at for post_id, at in replies.tuples()}
    offers = await session.execute(
        select(Offer.post_id, func.min(Offer.created_at))
        .join(Post, Post.id == Offer.post_id)
        .where(Offer.post_id.in_(ids), Offer.organisation_id != Post.organisation_id)
        .group_by(Offer.post_id)
    )
    for post_id, at in offers.tuples():
        requests[post_id].first_offer = at
    matches = await session.execute(
        select(Offer.post_id, func.min(Offer.decided_at))
        .where(Offer.post_id.in_(ids), Offer.status == OfferStatus.ACCEPTED, Offer.decided_at.is_not(None))
        .group_by(Offer.post_id)
    )
    for post_id, decided in matches.tuples():
        requests[post_id].matched = decided
    for request in requests.values():
        request.first_answer = _earliest(first_reply.get(request.id), request.first_offer)
    return sorted(requests.values(), key=lambda r: r.id)


def _answered_in_time(request: _Request) -> bool:
    return request.first_answer is not None and request.first_answer - request.created_at <= RESPONSE_DAYS * _DAY


def _waiting(requests: Sequence[_Request], now: datetime) -> list[WaitingRequest]:
    """Open requests nobody from another organisation has answered yet, the longest waiting first."""
    return [
        WaitingRequest(r.id, r.title, (now - r.created_at).days)
        for r in requests
        if r.status is RequestStatus.OPEN and r.first_answer is None
    ]


def _within(column: InstrumentedAttribute[datetime], period: Period) -> ColumnElement[bool]:
    return (column >= period.since) & (column < period.until)


def _active_in(period: Period, network_id: int) -> Select[tuple[int]]:
    """Organisations with a shown post, a shown reply or an offer in the network in the period."""
    posts = select(Post.organisation_id.label("org")).where(
        Post.network_id == network_id, Post.state == ContentState.VISIBLE, _within(Post.created_at, period)
    )
    replies = (
        select(Person.organisation_id.label("org"))
        .select_from(Reply)
        .join(Post, Post.id == Reply.post_id)
        .join(Person, Person.id == Reply.author_id)
        .where(
            Post.network_id == network_id,
            Post.state == ContentState.VISIBLE,
            Reply.state == ContentState.VISIBLE,
            Reply.deleted_at.is_(None),
            _within(Reply.created_at, period),
        )
    )
    offers = (
        select(Offer.organisation_id.label("org"))
        .join(Post, Post.id == Offer.post_id)
        .where(Post.network_id == network_id, Post.state == ContentState.VISIBLE, _within(Offer.created_at, period))
    )
    orgs = union(posts, replies, offers).subquery()
    return select(orgs.c.org)


async def _organisations_by_kind(session: AsyncSession, network_id: int, period: Period) -> list[Count]:
    active = _active_in(period, network_id).scalar_subquery()
    rows = await session.execute(
        select(Organisation.kind, func.count()).where(Organisation.id.in_(active)).group_by(Organisation.kind)
    )
    return _counts(rows.tuples())


async def _themes(session: AsyncSession, network_id: int, period: Period) -> list[ThemeMonth]:
    rows = await session.execute(
        select(Post.themes, Post.created_at).where(
            Post.network_id == network_id,
            Post.state == ContentState.VISIBLE,
            Post.kind == PostKind.PRACTICE,
            Post.created_at >= period.since,
            Post.created_at < period.until,
        )
    )
    tally: Counter[tuple[str, str]] = Counter()
    for themes, created_at in rows.tuples():
        for theme in set(themes):
            tally[(f"{created_at:%Y-%m}", theme)] += 1
    return [ThemeMonth(theme, month, n) for (month, theme), n in sorted(tally.items())]


async def _engagement_figures(
    session: AsyncSession, network_id: int, period: Period
) -> tuple[int, int, list[Count], list[Count], list[Count]]:
    in_period = (period.since, period.until)
    opened = await session.execute(
        select(Engagement.state, func.count())
        .where(Engagement.network_id == network_id, Engagement.created_at >= in_period[0])
        .where(Engagement.created_at < in_period[1])
        .group_by(Engagement.state)
    )
    by_state = {state: n for state, n in opened.tuples()}
    closed = await session.execute(
        select(Engagement.closed_as, func.count())
        .where(Engagement.network_id == network_id, Engagement.closed_as.is_not(None))
        .where(Engagement.closed_at >= in_period[0], Engagement.closed_at < in_period[1])
        .group_by(Engagement.closed_as)
    )
    outcomes = await _side_answers(session, network_id, period, EngagementOutcome, EngagementOutcome.evidence_strength)
    lasted = await _side_answers(session, network_id, period, EngagementFollowUp, EngagementFollowUp.lasted)
    return (
        sum(by_state.values()),
        by_state.get(EngagementState.ACTIVE, 0),
        _counts(closed.tuples()),
        outcomes,
        lasted,
    )


async def _side_answers(
    session: AsyncSession,
    network_id: int,
    period: Period,
    model: type[EngagementOutcome] | type[EngagementFollowUp],
    column: InstrumentedAttribute[Any],
) -> list[Count]:
    """Outcomes or follow-ups written in the period on the network's engagements, by `column`."""
    rows = await session.execute(
        select(column, func.count())
        .join(Engagement, Engagement.id == model.engagement_id)
        .where(Engagement.network_id == network_id, _within(model.created_at, period))
        .group_by(column)
    )
    return _counts(rows.tuples())


async def _adoption_reports(session: AsyncSession, network_id: int, period: Period) -> list[Count]:
    rows = await session.execute(
        select(Adoption.result, func.count())
        .where(Adoption.network_id == network_id, Adoption.state == ContentState.VISIBLE)
        .where(Adoption.result.is_not(None), Adoption.reported_at >= period.since, Adoption.reported_at < period.until)
        .group_by(Adoption.result)
    )
    return _counts(rows.tuples())


async def figures(session: AsyncSession, access: Access, period: Period) -> NetworkFigures:
    """The network's figures for the period, full for its leads and the platform admins, else short."""
    network_id = access.network.id
    full = access.is_lead
    requests = await _requests(session, network_id, period)
    opened, active, closed, outcomes, lasted = await _engagement_figures(session, network_id, period)
    return NetworkFigures(
        network=access.network.slug,
        period=period.name,
        start=period.start,
        end=period.end,
        full=full,
        response_days=RESPONSE_DAYS,
        requests_posted=len(requests),
        answered_within_window=sum(1 for r in requests if _answered_in_time(r)),
        median_days_to_first_offer=_median_days(
            _days(r.created_at, r.first_offer) for r in requests if r.first_offer is not None
        )
        if full
        else None,
        median_days_to_match=_median_days(_days(r.created_at, r.matched) for r in requests if r.matched is not None)
        if full
        else None,
        waiting=_waiting(requests, clock.now()) if full else None,
        engagements_opened=opened,
        engagements_active=active,
        engagements_closed=closed,
        outcomes_by_evidence=outcomes,
        follow_ups_lasted=lasted,
        adoption_reports=await _adoption_reports(session, network_id, period),
        active_organisations=await _organisations_by_kind(session, network_id, period),
        themes_by_month=await _themes(session, network_id, period),
    )


# -- one figure's rows, for a CSV download -----------------------------------------------------------

_COUNTED = {
    "engagements_closed": "closed_as",
    "outcomes_by_evidence": "evidence_strength",
    "follow_ups_lasted": "lasted",
    "adoption_reports": "result",
    "active_organisations": "kind",
}
FIGURES = ("requests", "waiting", *_COUNTED, "themes_by_month")


def figure_names(full: bool) -> tuple[str, ...]:
    return FIGURES if full else tuple(name for name in FIGURES if name != "waiting")


def figure_rows(found: NetworkFigures, figure: str) -> list[list[object]]:
    """One figure as rows, its header first. A figure the asker does not see is refused as unknown."""
    names = figure_names(found.full)
    if figure not in names:
        raise Invalid(f"No figure '{figure}'. Choose one of: {', '.join(names)}.", fields={"figure": "Unknown."})
    if figure == "requests":
        header: list[object] = ["requests_posted", f"answered_within_{found.response_days}_days"]
        values: list[object] = [found.requests_posted, found.answered_within_window]
        if found.full:
            header += ["median_days_to_first_offer", "median_days_to_match"]
            values += [found.median_days_to_first_offer, found.median_days_to_match]
        header += ["engagements_opened", "engagements_active"]
        values += [found.engagements_opened, found.engagements_active]
        return [header, values]
    if figure == "waiting":
        return [["id", "title", "age_days"], *([w.id, w.title, w.age_days] for w in found.waiting or [])]
    if figure == "themes_by_month":
        return [["month", "theme", "practices"], *([t.month, t.theme, t.practices] for t in found.themes_by_month)]
    counts: list[Count] = getattr(found, figure)
    return [[_COUNTED[figure], "count"], *([c.key, c.count] for c in counts)]
