"""The domain's tables (docs/design.md §1).

Plain SQLAlchemy 2 declarative models on advanced-alchemy's identity base types, which share
one metadata (with a naming convention) that Alembic migrates. Enums are stored as their
string values in VARCHAR columns, so adding a value never needs a type migration.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from advanced_alchemy.base import IdentityAuditBase, IdentityBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.enums import (
    Affiliation,
    ContentState,
    DigestFrequency,
    EvidenceStrength,
    FollowLevel,
    JoinPolicy,
    MemberState,
    NetworkKind,
    OfferStatus,
    OrgKind,
    OrgStatus,
    PostKind,
    ReactionKind,
    Region,
    RequestStatus,
    Role,
    SupportType,
    Urgency,
    Visibility,
)


def str_enum(enum: type[StrEnum]) -> SAEnum:
    return SAEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Organisation(IdentityAuditBase):
    """A group that runs or oversees schools (docs/design.md §1). The register identifiers come from
    Get Information about Schools (`network.people.register`); a sign-up's organisation has none until
    the register's import adopts it by name."""

    __tablename__ = "organisations"
    __table_args__ = (
        Index("uq_organisations_name_lower", text("lower(name)"), unique=True),
        # unique where present: both databases let any number of rows leave it NULL
        Index("uq_organisations_gias_group_uid", "gias_group_uid", unique=True),
    )

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrgKind] = mapped_column(str_enum(OrgKind))
    region: Mapped[Region | None] = mapped_column(str_enum(Region), default=None)
    gias_group_uid: Mapped[str | None] = mapped_column(String(20), default=None)
    gias_group_id: Mapped[str | None] = mapped_column(String(20), default=None)
    companies_house_number: Mapped[str | None] = mapped_column(String(8), default=None)
    ukprn: Mapped[str | None] = mapped_column(String(8), default=None)
    status: Mapped[OrgStatus] = mapped_column(str_enum(OrgStatus), default=OrgStatus.OPEN, server_default="open")
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)


class OrganisationDomain(IdentityAuditBase):
    """A verified email domain of an organisation: stored lower-cased, held by one organisation only."""

    __tablename__ = "organisation_domains"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)


class Person(IdentityAuditBase):
    """An account: one person, in one organisation."""

    __tablename__ = "people"

    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    # per-person notification sequence, allocated like a network's event_seq
    notification_seq: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # a session is good only while it carries this number (server/auth.py); ending every session of
    # the person (disabling the account, "sign out everywhere else") moves it on
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # whether they may act for their organisation (network/people/affiliation.py). Sign-up sets
    # "waiting"; accounts an operator makes (a platform admin, the demo, the migration that added
    # this for the accounts before it) are vouched for
    affiliation: Mapped[Affiliation] = mapped_column(
        str_enum(Affiliation), default=Affiliation.VERIFIED, server_default="verified"
    )
    affiliation_reason: Mapped[str | None] = mapped_column(String(500), default=None)  # a decline's or removal's
    affiliation_changed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    # the account was deleted: its personal data is gone and its posts read "a former member of <org>"
    deleted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    # what they are emailed (network/people/mail_settings.py, docs/design.md §3.10): the notice groups
    # they turned off, their digest's frequency, and the phases and themes of the open requests it shows
    mail_off: Mapped[list[str]] = mapped_column(JsonB, default=list, server_default=text("'[]'"))
    digest: Mapped[DigestFrequency] = mapped_column(
        str_enum(DigestFrequency), default=DigestFrequency.WEEKLY, server_default="weekly"
    )
    interest_phases: Mapped[list[str]] = mapped_column(JsonB, default=list, server_default=text("'[]'"))
    interest_themes: Mapped[list[str]] = mapped_column(JsonB, default=list, server_default=text("'[]'"))
    # when they were last on the site (a page, a call or an open socket; server/presence.py)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    # the notice mailer's progress: notifications up to this seq are emailed or passed over
    notice_mail_seq: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    notice_mailed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    # the last period a digest was built for them ("weekly:2026-W49"), and when: each period once
    digest_period: Mapped[str | None] = mapped_column(String(24), default=None)
    digest_built_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)

    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)


class OrganisationApprover(IdentityBase):
    """A person who approves who may act for their organisation (the first named by a platform admin)."""

    __tablename__ = "organisation_approvers"
    __table_args__ = (UniqueConstraint("organisation_id", "person_id"),)

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    named_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    named_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class OrganisationLogEntry(IdentityBase):
    """One approval, refusal, removal, approver or domain change, kept for the organisation's approvers
    and platform admins."""

    __tablename__ = "organisation_log"
    __table_args__ = (Index("ix_organisation_log_org", "organisation_id", "id"),)

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    detail: Mapped[str] = mapped_column(String(500), default="")  # a reason, or the domain
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class ApiToken(IdentityAuditBase):
    """A personal API token; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)


class Network(IdentityAuditBase):
    __tablename__ = "networks"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[NetworkKind] = mapped_column(str_enum(NetworkKind))
    region: Mapped[Region | None] = mapped_column(str_enum(Region), default=None)
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[Visibility] = mapped_column(str_enum(Visibility))
    join_policy: Mapped[JoinPolicy] = mapped_column(str_enum(JoinPolicy))
    # last allocated event sequence number (docs/design.md §3.2); bumped in the writer's transaction
    event_seq: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # leads' settings (network.governance.settings)
    premod_posts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    slow_mode_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    guard_personal_data: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    name_leads_in_log: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    join_questions: Mapped[list[str]] = mapped_column(JsonB, default=list, server_default=text("'[]'"))
    # how long after an engagement closes its sides are asked whether the change lasted (docs/design.md §3.12)
    engagement_follow_up_weeks: Mapped[int] = mapped_column(Integer, default=12, server_default=text("12"))
    # how many weeks after an organisation started trying a practice it is asked how it went (network/adoption/)
    adoption_follow_up_weeks: Mapped[int] = mapped_column(Integer, default=8, server_default=text("8"))


class CharterVersion(IdentityBase):
    """One version of a network's charter: markdown whose top-level numbered list is its clauses."""

    __tablename__ = "charter_versions"
    __table_args__ = (UniqueConstraint("network_id", "version"),)

    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class Membership(IdentityAuditBase):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("network_id", "person_id"),
        Index("ix_memberships_person", "person_id"),
    )

    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    state: Mapped[MemberState] = mapped_column(str_enum(MemberState))
    until: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    # new members follow at "requests only" (docs/design.md §3.10: a new-post notice for every practice floods)
    follow_level: Mapped[FollowLevel] = mapped_column(str_enum(FollowLevel), default=FollowLevel.REQUESTS_ONLY)
    # answers to the network's join questions, for the leads who approve or decline
    join_answers: Mapped[list[str]] = mapped_column(JsonB, default=list, server_default=text("'[]'"))

    person: Mapped[Person] = relationship(lazy="joined", innerjoin=True)


class Invitation(IdentityAuditBase):
    """A single-use, expiring invitation to join a network; only the token's digest is stored."""

    __tablename__ = "invitations"

    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)


class Post(IdentityAuditBase):
    """A practice or a request. Practice fields and request fields are both nullable columns."""

    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_network_feed", "network_id", "state", "id"),
        # the feed's order (pinned first, newest first) read backwards: a page costs the same at any size
        Index("ix_posts_network_pinned", "network_id", "pinned", "id"),
        Index("ix_posts_created_at", "created_at"),  # search's "newest first"
    )

    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[PostKind] = mapped_column(str_enum(PostKind))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[ContentState] = mapped_column(str_enum(ContentState), default=ContentState.VISIBLE)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    edited_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    # practice
    summary: Mapped[str] = mapped_column(String(500), default="")
    phases: Mapped[list[str]] = mapped_column(JsonB, default=list)
    setting: Mapped[str] = mapped_column(String(500), default="")
    what_we_did: Mapped[str] = mapped_column(Text, default="")
    what_we_stopped: Mapped[str] = mapped_column(Text, default="")
    impact: Mapped[str] = mapped_column(Text, default="")
    evidence_strength: Mapped[EvidenceStrength | None] = mapped_column(str_enum(EvidenceStrength), default=None)
    themes: Mapped[list[str]] = mapped_column(JsonB, default=list)
    resources: Mapped[list[dict[str, str]]] = mapped_column(JsonB, default=list)
    # request
    support_type: Mapped[SupportType | None] = mapped_column(str_enum(SupportType), default=None)
    urgency: Mapped[Urgency | None] = mapped_column(str_enum(Urgency), default=None)
    status: Mapped[RequestStatus | None] = mapped_column(str_enum(RequestStatus), default=None)
    outcome: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    # when the saved searches were matched against it, once, as its first showing's notices finished
    # (network/search/saved.py): shown again after an edit held it, it alerts no one again
    alerted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)

    author: Mapped[Person] = relationship(lazy="joined", innerjoin=True)


class PostNotice(IdentityBase):
    """A new post whose followers are still to be told: a large network's notices are written
    after the post commits, a chunk of followers at a time (network/content/post_notices.py)."""

    __tablename__ = "post_notices"

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    after_person_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), default=0, server_default=text("0")
    )


class PostRevision(IdentityBase):
    """The content of a post as it was before an edit (the current content lives on the post)."""

    __tablename__ = "post_revisions"
    __table_args__ = (UniqueConstraint("post_id", "revision"),)

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    content: Mapped[dict[str, Any]] = mapped_column(JsonB)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class Reply(IdentityAuditBase):
    __tablename__ = "replies"
    __table_args__ = (Index("ix_replies_post", "post_id", "id"), Index("ix_replies_created_at", "created_at"))

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[ContentState] = mapped_column(str_enum(ContentState), default=ContentState.VISIBLE)
    edited_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    # its author deleted it: the text is gone (body emptied, earlier versions dropped), its place stays
    deleted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)

    author: Mapped[Person] = relationship(lazy="joined", innerjoin=True)


class ReplyRevision(IdentityBase):
    """The text of a reply as it was before an edit (the current text lives on the reply)."""

    __tablename__ = "reply_revisions"
    __table_args__ = (UniqueConstraint("reply_id", "revision"),)

    reply_id: Mapped[int] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class Reaction(IdentityBase):
    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("post_id", "person_id", "kind"),)

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReactionKind] = mapped_column(str_enum(ReactionKind))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class Offer(IdentityAuditBase):
    """An organisation's offer of help on a request."""

    __tablename__ = "offers"
    __table_args__ = (
        Index("ix_offers_post", "post_id", "id"),
        # one open offer per organisation per request (network/content/offers.py also checks, under the request's lock)
        Index(
            "uq_offers_open",
            "post_id",
            "organisation_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[OfferStatus] = mapped_column(str_enum(OfferStatus), default=OfferStatus.OPEN)
    decided_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)

    author: Mapped[Person] = relationship(lazy="joined", innerjoin=True, foreign_keys=[author_id])


class EmailLink(IdentityBase):
    """A link sent by email (a password reset, an address to confirm): single-use and expiring.

    Only the SHA-256 digest of the link's secret is stored, as for API tokens: a copy of the database
    opens no one's account."""

    __tablename__ = "email_links"
    __table_args__ = (Index("ix_email_links_person", "person_id", "purpose"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(32))
    email: Mapped[str] = mapped_column(String(254))  # the address the link was sent to
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)


class SavedSearch(IdentityAuditBase):
    """A query with its filters that a member keeps, and is told about when a new post matches it
    (network/search/saved.py). `search_text` is the query as the index reads it; `anchor` its longest
    word (how SQLite finds the saved searches a post might match); PostgreSQL adds a generated
    `match_query` tsquery (network/search/schema.py)."""

    __tablename__ = "saved_searches"
    __table_args__ = (
        Index("ix_saved_searches_person", "person_id", "id"),
        Index("ix_saved_searches_network", "network_id"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    query: Mapped[str] = mapped_column(String(500))
    filters: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict, server_default=text("'{}'"))
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), default=None)
    kind: Mapped[str | None] = mapped_column(String(32), default=None)
    search_text: Mapped[str] = mapped_column(String(600))
    anchor: Mapped[str] = mapped_column(String(60))
    alerts: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    last_alerted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
