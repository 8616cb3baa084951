"""What readers see: one shape per resource, shared by the JSON API and the event payloads.

An event carries the same view a fresh fetch returns, so a live client that applies events
holds exactly what a reload would show.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

from network import markdown
from network.enums import (
    Affiliation,
    ContentState,
    EvidenceStrength,
    FollowLevel,
    JoinPolicy,
    MemberState,
    NetworkKind,
    OfferStatus,
    OrgKind,
    OrgStatus,
    PostKind,
    Region,
    RequestStatus,
    Role,
    SupportType,
    Urgency,
    Visibility,
)
from network.models import Membership, Network, Offer, Organisation, Person, Post, Reply


class OrganisationView(msgspec.Struct):
    id: int
    name: str
    kind: OrgKind


class OrganisationDetail(msgspec.Struct):
    """An organisation with what the register says of it, and its verified email domains."""

    id: int
    name: str
    kind: OrgKind
    region: Region | None
    status: OrgStatus
    closed_on: date | None
    gias_group_uid: str | None
    gias_group_id: str | None
    companies_house_number: str | None
    ukprn: str | None
    domains: list[str]


class PersonRef(msgspec.Struct):
    id: int
    display_name: str
    organisation: OrganisationView


class MeView(msgspec.Struct):
    id: int
    email: str
    display_name: str
    organisation: OrganisationView
    is_admin: bool
    # whether they may act for the organisation (docs/design.md §3.9), and an approver's reason if not
    affiliation: Affiliation = Affiliation.VERIFIED
    affiliation_reason: str | None = None


class MembershipView(msgspec.Struct):
    role: Role
    state: MemberState
    until: datetime | None
    follow_level: FollowLevel


class NetworkView(msgspec.Struct):
    id: int
    slug: str
    name: str
    kind: NetworkKind
    region: Region | None
    description: str
    visibility: Visibility
    join_policy: JoinPolicy
    member_count: int
    membership: MembershipView | None = None


class MemberView(msgspec.Struct, omit_defaults=True):
    person: PersonRef
    role: Role
    state: MemberState
    until: datetime | None
    joined_at: datetime
    join_answers: list[str] | None = None  # for leads deciding a request to join
    unverified: bool = False  # not (yet) approved to act for their organisation (docs/design.md §3.9)


class ReactionCounts(msgspec.Struct):
    useful: int = 0
    tried_it: int = 0


class PostView(msgspec.Struct):
    id: int
    network: str
    kind: PostKind
    title: str
    body: str
    body_html: str
    author: PersonRef
    state: ContentState
    pinned: bool
    locked: bool
    revision: int
    created_at: datetime
    edited_at: datetime | None
    summary: str
    phases: list[str]
    setting: str
    what_we_did: str
    what_we_stopped: str
    impact: str
    evidence_strength: EvidenceStrength | None
    themes: list[str]
    resources: list[dict[str, str]]
    support_type: SupportType | None
    urgency: Urgency | None
    status: RequestStatus | None
    outcome: str
    closed_at: datetime | None
    reply_count: int = 0
    offer_count: int = 0
    reactions: ReactionCounts = msgspec.field(default_factory=ReactionCounts)


class ReplyView(msgspec.Struct):
    id: int
    post_id: int
    body: str
    body_html: str
    author: PersonRef
    state: ContentState
    created_at: datetime
    edited_at: datetime | None
    deleted: bool = False  # its author deleted it: it keeps its place in the thread, without its text


class ReplyRevisionView(msgspec.Struct):
    """A reply's text before an edit (empty when withheld: a lead's later edit took something out)."""

    revision: int
    editor_id: int | None
    reason: str
    created_at: datetime
    body: str
    body_html: str
    withheld: bool = False


class OfferView(msgspec.Struct):
    id: int
    post_id: int
    message: str
    message_html: str
    author: PersonRef
    organisation: OrganisationView
    status: OfferStatus
    created_at: datetime
    decided_at: datetime | None


class RevisionView(msgspec.Struct):
    revision: int
    editor_id: int | None
    reason: str
    created_at: datetime
    content: dict[str, Any]  # empty when withheld
    # a lead edited the post after this version (to take something out): its text is for the leads only
    withheld: bool = False


class CharterView(msgspec.Struct):
    version: int
    body: str
    body_html: str
    clauses: list[str]
    note: str
    created_at: datetime


class DiffLine(msgspec.Struct):
    op: str  # " " unchanged, "-" removed, "+" added
    text: str


class ClauseChange(msgspec.Struct):
    number: int
    change: str  # added, removed, changed, same
    before: str | None
    after: str | None


class CharterDiff(msgspec.Struct):
    from_version: int
    to_version: int
    lines: list[DiffLine]
    clauses: list[ClauseChange]


class Page(msgspec.Struct):
    """One page of a list; pass `next_cursor` back as `cursor` for the next page."""

    items: list[Any]
    next_cursor: str | None


def organisation_view(org: Organisation) -> OrganisationView:
    return OrganisationView(id=org.id, name=org.name, kind=org.kind)


def organisation_detail(org: Organisation, domains: list[str]) -> OrganisationDetail:
    return OrganisationDetail(
        id=org.id,
        name=org.name,
        kind=org.kind,
        region=org.region,
        status=org.status,
        closed_on=org.closed_on,
        gias_group_uid=org.gias_group_uid,
        gias_group_id=org.gias_group_id,
        companies_house_number=org.companies_house_number,
        ukprn=org.ukprn,
        domains=domains,
    )


FORMER_MEMBER = "A former member"  # a deleted account's stored name (network/people/leaving.py)


def former_member_label(person: Person) -> str:
    return f"{FORMER_MEMBER} of {person.organisation.name}"


def person_ref(person: Person) -> PersonRef:
    """How a person is named to others: a deleted account as a former member of its organisation."""
    name = person.display_name if person.deleted_at is None else former_member_label(person)
    return PersonRef(id=person.id, display_name=name, organisation=organisation_view(person.organisation))


def me_view(person: Person) -> MeView:
    return MeView(
        id=person.id,
        email=person.email,
        display_name=person.display_name,
        organisation=organisation_view(person.organisation),
        is_admin=person.is_admin,
        affiliation=Affiliation(person.affiliation),
        affiliation_reason=person.affiliation_reason,
    )


def membership_view(m: Membership | None) -> MembershipView | None:
    if m is None:
        return None
    return MembershipView(role=m.role, state=m.state, until=m.until, follow_level=m.follow_level)


def network_view(network: Network, member_count: int, membership: Membership | None = None) -> NetworkView:
    return NetworkView(
        id=network.id,
        slug=network.slug,
        name=network.name,
        kind=network.kind,
        region=network.region,
        description=network.description,
        visibility=network.visibility,
        join_policy=network.join_policy,
        member_count=member_count,
        membership=membership_view(membership),
    )


def member_view(m: Membership, *, with_answers: bool = False) -> MemberView:
    return MemberView(
        person=person_ref(m.person),
        role=m.role,
        state=m.state,
        until=m.until,
        joined_at=m.created_at,
        join_answers=list(m.join_answers) if with_answers else None,
        unverified=m.person.affiliation != Affiliation.VERIFIED,
    )


def post_view(
    post: Post,
    network_slug: str,
    *,
    reply_count: int = 0,
    offer_count: int = 0,
    reactions: ReactionCounts | None = None,
) -> PostView:
    return PostView(
        id=post.id,
        network=network_slug,
        kind=post.kind,
        title=post.title,
        body=post.body,
        body_html=markdown.render(post.body),
        author=person_ref(post.author),
        state=post.state,
        pinned=post.pinned,
        locked=post.locked,
        revision=post.revision,
        created_at=post.created_at,
        edited_at=post.edited_at,
        summary=post.summary,
        phases=list(post.phases),
        setting=post.setting,
        what_we_did=post.what_we_did,
        what_we_stopped=post.what_we_stopped,
        impact=post.impact,
        evidence_strength=post.evidence_strength,
        themes=list(post.themes),
        resources=[dict(r) for r in post.resources],
        support_type=post.support_type,
        urgency=post.urgency,
        status=post.status,
        outcome=post.outcome,
        closed_at=post.closed_at,
        reply_count=reply_count,
        offer_count=offer_count,
        reactions=reactions or ReactionCounts(),
    )


def reply_view(reply: Reply) -> ReplyView:
    # removed (often for personal data) or deleted by its author: its text is shown to no one
    gone = reply.state is ContentState.REMOVED or reply.deleted_at is not None
    return ReplyView(
        id=reply.id,
        post_id=reply.post_id,
        body="" if gone else reply.body,
        body_html="" if gone else markdown.render(reply.body),
        author=person_ref(reply.author),
        state=reply.state,
        created_at=reply.created_at,
        edited_at=reply.edited_at,
        deleted=reply.deleted_at is not None,
    )


def offer_view(offer: Offer) -> OfferView:
    return OfferView(
        id=offer.id,
        post_id=offer.post_id,
        message=offer.message,
        message_html=markdown.render(offer.message),
        author=person_ref(offer.author),
        organisation=organisation_view(offer.author.organisation),
        status=offer.status,
        created_at=offer.created_at,
        decided_at=offer.decided_at,
    )


def to_payload(view: msgspec.Struct) -> dict[str, Any]:
    """A view as JSON-ready builtins, for an event or notification payload."""
    data = msgspec.to_builtins(view)
    assert isinstance(data, dict)
    return data
