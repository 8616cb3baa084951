"""An engagement's tables: the plan and its revisions, the named people, the private thread,
check-ins, each side's outcome and follow-up, and flags raised in the space (docs/design.md §3.12).

Enums are stored as their values in VARCHAR columns, as every table of the domain stores them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from advanced_alchemy.base import IdentityAuditBase, IdentityBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
from network.models import Organisation, Person, str_enum

OPEN_ONLY = text("status = 'open'")


class Engagement(IdentityAuditBase):
    """The work two organisations agreed on an accepted offer: one per offer."""

    __tablename__ = "engagements"
    __table_args__ = (
        Index("ix_engagements_network", "network_id", "state", "id"),
        Index("ix_engagements_request", "request_id"),
    )

    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), unique=True)
    requesting_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    offering_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    aims: Mapped[str] = mapped_column(Text, default="")  # what success would look like
    activities: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None] = mapped_column(Date, default=None)
    expected_end_on: Mapped[date | None] = mapped_column(Date, default=None)
    next_check_in_on: Mapped[date | None] = mapped_column(Date, default=None)
    # the named people were reminded of `next_check_in_on` (set once, by a conditional UPDATE; a new
    # check-in date clears it)
    check_in_told: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    state: Mapped[EngagementState] = mapped_column(str_enum(EngagementState), default=EngagementState.PROPOSED)
    closed_as: Mapped[ClosedAs | None] = mapped_column(str_enum(ClosedAs), default=None)
    stop_reason: Mapped[str] = mapped_column(Text, default="")
    activated_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    requester_unlisted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    offerer_unlisted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # the plan's version: every change of it adds one (and keeps a revision); each side agrees a version
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    requester_agreed_version: Mapped[int | None] = mapped_column(Integer, default=None)
    offerer_agreed_version: Mapped[int | None] = mapped_column(Integer, default=None)
    follow_up_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    follow_up_told: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    requesting_organisation: Mapped[Organisation] = relationship(
        lazy="joined", innerjoin=True, foreign_keys=[requesting_organisation_id]
    )
    offering_organisation: Mapped[Organisation] = relationship(
        lazy="joined", innerjoin=True, foreign_keys=[offering_organisation_id]
    )

    def organisation_of(self, side: Side) -> int:
        return self.requesting_organisation_id if side is Side.REQUESTER else self.offering_organisation_id


class EngagementPerson(IdentityBase):
    """A named person of one side: who reads and writes the space."""

    __tablename__ = "engagement_people"
    __table_args__ = (
        UniqueConstraint("engagement_id", "person_id"),
        Index("ix_engagement_people_person", "person_id"),
    )

    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    side: Mapped[Side] = mapped_column(str_enum(Side))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))

    person: Mapped[Person] = relationship(lazy="joined", innerjoin=True, foreign_keys=[person_id])


class EngagementRevision(IdentityBase):
    """The plan as one change left it (version 1: as it was opened), who changed it and when."""

    __tablename__ = "engagement_revisions"
    __table_args__ = (UniqueConstraint("engagement_id", "version"),)

    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    plan: Mapped[dict[str, Any]] = mapped_column(JsonB)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class EngagementMessage(IdentityBase):
    """A message of the engagement's private thread."""

    __tablename__ = "engagement_messages"
    __table_args__ = (Index("ix_engagement_messages_engagement", "engagement_id", "id"),)

    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    body: Mapped[str] = mapped_column(Text)
    # visible, or removed by a platform admin deciding a flag (its text is then shown to no one)
    state: Mapped[ContentState] = mapped_column(str_enum(ContentState), default=ContentState.VISIBLE)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))

    author: Mapped[Person] = relationship(lazy="joined", innerjoin=True)


class EngagementCheckIn(IdentityBase):
    """Progress one side recorded against the aims."""

    __tablename__ = "engagement_check_ins"
    __table_args__ = (Index("ix_engagement_check_ins_engagement", "engagement_id", "id"),)

    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    side: Mapped[Side] = mapped_column(str_enum(Side))
    progress: Mapped[str] = mapped_column(Text)
    next_check_in_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))

    author: Mapped[Person] = relationship(lazy="joined", innerjoin=True)


class EngagementOutcome(IdentityBase):
    """What one side says came of the engagement: one per side."""

    __tablename__ = "engagement_outcomes"
    __table_args__ = (UniqueConstraint("engagement_id", "side"),)

    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    side: Mapped[Side] = mapped_column(str_enum(Side))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    what_changed: Mapped[str] = mapped_column(Text)
    for_whom: Mapped[str] = mapped_column(Text, default="")
    how_we_know: Mapped[str] = mapped_column(Text, default="")
    evidence_strength: Mapped[OutcomeEvidence] = mapped_column(str_enum(OutcomeEvidence))
    do_differently: Mapped[str] = mapped_column(Text, default="")
    work_together_again: Mapped[Again] = mapped_column(str_enum(Again))
    # the practice it was shared as (once)
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))

    author: Mapped[Person] = relationship(lazy="joined", innerjoin=True)


class EngagementFollowUp(IdentityBase):
    """One side's answer, weeks after closing, to whether the change lasted: one per side."""

    __tablename__ = "engagement_follow_ups"
    __table_args__ = (UniqueConstraint("engagement_id", "side"),)

    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    side: Mapped[Side] = mapped_column(str_enum(Side))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    lasted: Mapped[Lasted] = mapped_column(str_enum(Lasted))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))

    author: Mapped[Person] = relationship(lazy="joined", innerjoin=True)


class EngagementFlag(IdentityAuditBase):
    """A named person's report of a message in the space (or the network's watched words' own), for the
    platform admins: the network's leads cannot read the space. While one is open, the platform admins
    read the space."""

    __tablename__ = "engagement_flags"
    __table_args__ = (
        Index("ix_engagement_flags_engagement", "engagement_id", "status"),
        # one open flag per person per message
        Index(
            "uq_engagement_flags_open",
            "message_id",
            "raised_by_id",
            unique=True,
            sqlite_where=OPEN_ONLY,
            postgresql_where=OPEN_ONLY,
        ),
    )

    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(ForeignKey("engagement_messages.id", ondelete="CASCADE"))
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[EngagementFlagStatus] = mapped_column(
        str_enum(EngagementFlagStatus), default=EngagementFlagStatus.OPEN
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
