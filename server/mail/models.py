"""The outbound mail table: one row per message, queued with the change that causes it.

A row is queued (`send_after` is when it may go), claimed by one sender for a while (`claimed_by`,
`claimed_until`: a lease), then sent (`sent_at`) or given up (`failed_at`). server/mail/queue.py
moves it between these states.
"""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.base import IdentityBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

import network.models  # noqa: F401  (the people table its foreign key names)


class OutboundMail(IdentityBase):
    __tablename__ = "outbound_mail"
    __table_args__ = (Index("ix_outbound_mail_due", "sent_at", "failed_at", "send_after"),)

    kind: Mapped[str] = mapped_column(String(40))  # "email_confirmation", "password_reset", "test", …
    to_address: Mapped[str] = mapped_column(String(254))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text, default=None)
    # extra headers: a notice's or digest's List-Unsubscribe (server/mail/unsubscribe.py)
    headers: Mapped[dict[str, str]] = mapped_column(JsonB, default=dict, server_default=text("'{}'"))
    message_id: Mapped[str] = mapped_column(String(255), unique=True)  # made once: a resend keeps it
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    send_after: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(100), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    failed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)

    @property
    def state(self) -> str:
        if self.sent_at is not None:
            return "sent"
        return "failed" if self.failed_at is not None else "queued"


class MailRun(IdentityBase):
    """One run of a periodic mail job ("digest:weekly:2026-W49"), made once across every server process.

    Whoever runs it holds a lease (`claimed_by`, `claimed_until`) and records its progress through the
    people (`after_person_id`) with each chunk it commits; a process that dies mid-run lets its lease
    run out, and another takes the run over from there (server/mail/runs.py)."""

    __tablename__ = "mail_runs"

    name: Mapped[str] = mapped_column(String(80), unique=True)
    started_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(100), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    after_person_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), default=0, server_default=text("0")
    )
    queued: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    done_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
