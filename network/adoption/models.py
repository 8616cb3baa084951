"""Adoption records: an organisation trying another's practice, and later its report (docs/design.md §3.13)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from advanced_alchemy.base import IdentityAuditBase, IdentityBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from network.adoption.rules import AdoptionResult, ReportEvidence, SizeBand
from network.enums import ContentState, Phase
from network.models import Organisation, Person, str_enum


class Adoption(IdentityAuditBase):
    """One organisation's record of trying one practice (one per organisation per practice), then its
    report: did it work, how do they know, what would they tell the next trust."""

    __tablename__ = "adoptions"
    __table_args__ = (
        # one record per organisation per practice (the service also checks, under the practice's lock)
        UniqueConstraint("post_id", "organisation_id"),
        Index("ix_adoptions_organisation", "organisation_id", "report_due_on"),
        # the follow-up pass: records not yet asked about, by the day they are due
        Index("ix_adoptions_due", "report_due_on"),
    )

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    # the context it was tried in
    phase: Mapped[Phase] = mapped_column(str_enum(Phase))
    setting: Mapped[str] = mapped_column(String(500), default="")
    size_band: Mapped[SizeBand] = mapped_column(str_enum(SizeBand))
    adapted: Mapped[str] = mapped_column(Text, default="")
    started_on: Mapped[date] = mapped_column(Date)
    report_due_on: Mapped[date] = mapped_column(Date)
    asked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    # the report
    result: Mapped[AdoptionResult | None] = mapped_column(str_enum(AdoptionResult), default=None)
    evidence_strength: Mapped[ReportEvidence | None] = mapped_column(str_enum(ReportEvidence), default=None)
    how_we_know: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    reported_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    # moderation, as a reply's
    state: Mapped[ContentState] = mapped_column(str_enum(ContentState), default=ContentState.VISIBLE)
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    edited_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)

    person: Mapped[Person] = relationship(lazy="joined", innerjoin=True, foreign_keys=[person_id])
    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)


class AdoptionRevision(IdentityBase):
    """A record (and its report) as it was before an edit; the current one lives on the record."""

    __tablename__ = "adoption_revisions"
    __table_args__ = (UniqueConstraint("adoption_id", "revision"),)

    adoption_id: Mapped[int] = mapped_column(ForeignKey("adoptions.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    content: Mapped[dict[str, Any]] = mapped_column(JsonB)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
