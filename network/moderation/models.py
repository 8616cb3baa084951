"""Moderation's tables: flags, the review queue, decisions (the transparency log), appeals, filters.

A `Decision` row is one entry of a network's transparency log: every moderation, role,
settings and charter action, with its actor, reason and clause. Appeals point at one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from advanced_alchemy.base import IdentityAuditBase, IdentityBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.enums import AppealStatus, Decision, FlagReason, ScreenAction, TargetType
from network.models import Person, str_enum

OPEN_ONLY = text("status = 'open'")
# what a flag, a queue entry or a decision is about: a post's, reply's or person's id, as wide as theirs
ID = BigInteger().with_variant(Integer(), "sqlite")


class Flag(IdentityAuditBase):
    """A member's report of a post or reply (or the network's filters' own, with no reporter)."""

    __tablename__ = "flags"
    __table_args__ = (
        # one open flag per person per item
        Index(
            "uq_flags_open",
            "reporter_id",
            "target_type",
            "target_id",
            unique=True,
            sqlite_where=OPEN_ONLY,
            postgresql_where=OPEN_ONLY,
        ),
        Index("ix_flags_target", "target_type", "target_id"),
    )

    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    target_type: Mapped[TargetType] = mapped_column(str_enum(TargetType))
    target_id: Mapped[int] = mapped_column(ID)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), default=None)
    reason: Mapped[FlagReason] = mapped_column(str_enum(FlagReason))
    clause: Mapped[int | None] = mapped_column(Integer, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open → upheld | dismissed
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="SET NULL"), default=None)

    reporter: Mapped[Person | None] = relationship(lazy="joined")


class QueueEntry(IdentityAuditBase):
    """One item waiting for a lead: flagged content, or content held by pre-moderation or a filter."""

    __tablename__ = "queue_entries"
    __table_args__ = (
        Index(
            "uq_queue_open_target",
            "target_type",
            "target_id",
            unique=True,
            sqlite_where=OPEN_ONLY,
            postgresql_where=OPEN_ONLY,
        ),
        Index("ix_queue_network_status", "network_id", "status", "severity", "id"),
    )

    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    target_type: Mapped[TargetType] = mapped_column(str_enum(TargetType))
    target_id: Mapped[int] = mapped_column(ID)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    hold_reason: Mapped[str] = mapped_column(String(500), default="")  # why the filters held it
    hits: Mapped[list[dict[str, str]]] = mapped_column(JsonB, default=list)  # what the filters matched
    severity: Mapped[int] = mapped_column(Integer, default=0)  # lower is more urgent (moderation_policy)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open → resolved
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="SET NULL"), default=None)

    claimed_by: Mapped[Person | None] = relationship(lazy="joined", foreign_keys=[claimed_by_id])


class QueueNote(IdentityBase):
    """A lead's note on a queue entry, for the other leads."""

    __tablename__ = "queue_notes"

    entry_id: Mapped[int] = mapped_column(ForeignKey("queue_entries.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))

    author: Mapped[Person] = relationship(lazy="joined", innerjoin=True)


class DecisionRecord(IdentityBase):
    """One entry of the transparency log."""

    __tablename__ = "decisions"
    __table_args__ = (
        Index("ix_decisions_network", "network_id", "id"),
        Index("ix_decisions_subject", "subject_id"),
    )

    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    by_admin: Mapped[bool] = mapped_column(Boolean, default=False)  # a platform admin, not one of its leads
    action: Mapped[Decision] = mapped_column(str_enum(Decision))
    target_type: Mapped[TargetType] = mapped_column(str_enum(TargetType))
    target_id: Mapped[int | None] = mapped_column(ID, default=None)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    label: Mapped[str] = mapped_column(String(200), default="")  # what it concerned, as the log shows it
    reason: Mapped[str] = mapped_column(Text, default="")
    clause: Mapped[int | None] = mapped_column(Integer, default=None)
    until: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    # what undoing it needs (the state before) and what changed; leads' eyes only
    details: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))

    actor: Mapped[Person | None] = relationship(lazy="joined", foreign_keys=[actor_id])
    subject: Mapped[Person | None] = relationship(lazy="joined", foreign_keys=[subject_id])


class Appeal(IdentityAuditBase):
    """The subject's one appeal against a decision; another lead (or a platform admin) decides it."""

    __tablename__ = "appeals"

    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), unique=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    appellant_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    status: Mapped[AppealStatus] = mapped_column(str_enum(AppealStatus), default=AppealStatus.OPEN)
    to_admin: Mapped[bool] = mapped_column(Boolean, default=False)  # the network had no other lead to decide it
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)

    appellant: Mapped[Person] = relationship(lazy="joined", innerjoin=True, foreign_keys=[appellant_id])
    decision: Mapped[DecisionRecord] = relationship(lazy="joined", innerjoin=True)


class WatchedWord(IdentityBase):
    """A word, phrase or pattern a network's leads watch for, and what happens on a match."""

    __tablename__ = "watched_words"

    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    pattern: Mapped[str] = mapped_column(String(200))
    is_regex: Mapped[bool] = mapped_column(Boolean, default=False)
    action: Mapped[ScreenAction] = mapped_column(str_enum(ScreenAction))
    message: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
