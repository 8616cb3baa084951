"""What the named people, and the network, see of an engagement: one shape per thing, shared by the
API and the event payloads (an event carries what a fresh GET returns)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

from network import markdown
from network.engagements import rules
from network.engagements.models import (
    Engagement,
    EngagementCheckIn,
    EngagementFlag,
    EngagementFollowUp,
    EngagementMessage,
    EngagementOutcome,
    EngagementPerson,
    EngagementRevision,
)
from network.enums import (
    Again,
    ClosedAs,
    ContentState,
    EngagementFlagStatus,
    EngagementState,
    Lasted,
    OutcomeEvidence,
    Side,
)
from network.views import OrganisationView, PersonRef, organisation_view, person_ref


class NamedPerson(msgspec.Struct):
    person: PersonRef
    side: Side


class SideChoices(msgspec.Struct):
    """A value per side: which version each agreed, whether each keeps it unlisted."""

    requester: int | bool | None
    offerer: int | bool | None


class OutcomeView(msgspec.Struct):
    side: Side
    author: PersonRef
    what_changed: str
    for_whom: str
    how_we_know: str
    evidence_strength: OutcomeEvidence
    do_differently: str
    work_together_again: Again
    practice_id: int | None
    created_at: datetime


class FollowUpView(msgspec.Struct):
    side: Side
    author: PersonRef
    lasted: Lasted
    note: str
    created_at: datetime


class Powers(msgspec.Struct):
    """What the asker may do in this engagement now (each is its refusal function answering None)."""

    edit: bool
    agree: bool
    message: bool
    check_in: bool
    write_outcome: bool
    stop: bool
    follow_up: bool
    share: bool  # their side's outcome, as a practice
    flag: bool


class EngagementView(msgspec.Struct, omit_defaults=True):
    id: int
    network: str
    request_id: int
    offer_id: int
    title: str
    summary: str  # the sentence the network sees (or would, were it listed)
    requesting_organisation: OrganisationView
    offering_organisation: OrganisationView
    state: EngagementState
    closed_as: ClosedAs | None
    stop_reason: str
    aims: str
    activities: str
    starts_on: date | None
    expected_end_on: date | None
    next_check_in_on: date | None
    version: int
    agreed: SideChoices
    unlisted: SideChoices
    listed: bool
    people: list[NamedPerson]
    outcomes: list[OutcomeView]
    follow_ups: list[FollowUpView]
    follow_up_due_on: date | None
    created_at: datetime
    closed_at: datetime | None
    # the asker's side and what they may do: in an answer to them, never in an event
    my_side: Side | None = None
    powers: Powers | None = None


class SummaryView(msgspec.Struct):
    """What the network sees of a listed engagement: the two organisations, the title, the state, the dates."""

    id: int
    network: str
    request_id: int
    title: str
    summary: str
    requesting_organisation: OrganisationView
    offering_organisation: OrganisationView
    state: EngagementState
    closed_as: ClosedAs | None
    starts_on: date | None
    expected_end_on: date | None
    closed_at: datetime | None


class MessageView(msgspec.Struct):
    id: int
    engagement_id: int
    body: str
    body_html: str
    author: PersonRef
    removed: bool  # removed by a platform admin deciding a flag: its text is shown to no one
    created_at: datetime


class CheckInView(msgspec.Struct):
    id: int
    engagement_id: int
    side: Side
    author: PersonRef
    progress: str
    progress_html: str
    next_check_in_on: date | None
    created_at: datetime


class RevisionView(msgspec.Struct):
    version: int
    editor_id: int | None
    plan: dict[str, object]  # the plan as this change left it
    created_at: datetime


def summary_sentence(e: Engagement) -> str:
    return rules.summary_sentence(
        e.requesting_organisation.name, e.offering_organisation.name, e.title, e.state, e.closed_as
    )


def outcome_view(o: EngagementOutcome) -> OutcomeView:
    return OutcomeView(
        side=o.side,
        author=person_ref(o.author),
        what_changed=o.what_changed,
        for_whom=o.for_whom,
        how_we_know=o.how_we_know,
        evidence_strength=o.evidence_strength,
        do_differently=o.do_differently,
        work_together_again=o.work_together_again,
        practice_id=o.practice_id,
        created_at=o.created_at,
    )


def follow_up_view(f: EngagementFollowUp) -> FollowUpView:
    return FollowUpView(side=f.side, author=person_ref(f.author), lasted=f.lasted, note=f.note, created_at=f.created_at)


def _shared(e: Engagement, slug: str) -> dict[str, Any]:
    """What the network's summary and the named people's view both say."""
    return {
        "id": e.id,
        "network": slug,
        "request_id": e.request_id,
        "title": e.title,
        "summary": summary_sentence(e),
        "requesting_organisation": organisation_view(e.requesting_organisation),
        "offering_organisation": organisation_view(e.offering_organisation),
        "state": e.state,
        "closed_as": e.closed_as,
        "starts_on": e.starts_on,
        "expected_end_on": e.expected_end_on,
        "closed_at": e.closed_at,
    }


def engagement_view(
    e: Engagement,
    slug: str,
    people: list[EngagementPerson],
    outcomes: list[EngagementOutcome],
    follow_ups: list[EngagementFollowUp],
) -> EngagementView:
    return EngagementView(
        **_shared(e, slug),
        offer_id=e.offer_id,
        stop_reason=e.stop_reason,
        aims=e.aims,
        activities=e.activities,
        next_check_in_on=e.next_check_in_on,
        version=e.version,
        agreed=SideChoices(requester=e.requester_agreed_version, offerer=e.offerer_agreed_version),
        unlisted=SideChoices(requester=e.requester_unlisted, offerer=e.offerer_unlisted),
        listed=rules.listed(e),
        people=[NamedPerson(person=person_ref(p.person), side=p.side) for p in people],
        outcomes=[outcome_view(o) for o in sorted(outcomes, key=lambda o: o.side.value, reverse=True)],
        follow_ups=[follow_up_view(f) for f in sorted(follow_ups, key=lambda f: f.side.value, reverse=True)],
        follow_up_due_on=e.follow_up_due_on,
        created_at=e.created_at,
    )


def summary_view(e: Engagement, slug: str) -> SummaryView:
    return SummaryView(**_shared(e, slug))


def message_view(m: EngagementMessage) -> MessageView:
    removed = m.state is ContentState.REMOVED
    return MessageView(
        id=m.id,
        engagement_id=m.engagement_id,
        body="" if removed else m.body,
        body_html="" if removed else markdown.render(m.body),
        author=person_ref(m.author),
        removed=removed,
        created_at=m.created_at,
    )


def check_in_view(c: EngagementCheckIn) -> CheckInView:
    return CheckInView(
        id=c.id,
        engagement_id=c.engagement_id,
        side=c.side,
        author=person_ref(c.author),
        progress=c.progress,
        progress_html=markdown.render(c.progress),
        next_check_in_on=c.next_check_in_on,
        created_at=c.created_at,
    )


def revision_view(r: EngagementRevision) -> RevisionView:
    return RevisionView(version=r.version, editor_id=r.editor_id, plan=dict(r.plan), created_at=r.created_at)


class EngagementFlagView(msgspec.Struct):
    """A flag raised in an engagement's space, as the platform admins' queue lists it."""

    id: int
    engagement_id: int
    message_id: int
    raised_by_id: int | None
    reason: str
    note: str
    status: EngagementFlagStatus
    created_at: datetime
    decided_at: datetime | None
    decision_reason: str


def flag_view(f: EngagementFlag) -> EngagementFlagView:
    return EngagementFlagView(
        id=f.id,
        engagement_id=f.engagement_id,
        message_id=f.message_id,
        raised_by_id=f.raised_by_id,
        reason=f.reason,
        note=f.note,
        status=f.status,
        created_at=f.created_at,
        decided_at=f.decided_at,
        decision_reason=f.decision_reason,
    )
