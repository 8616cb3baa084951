"""The outbound mail table: one row per message, queued with the change that causes it.

A row is queued (`send_after` is when it may go), claimed by one sender for a while (`claimed_by`,
`claimed_until`: a lease), then sent (`sent_at`) or given up (`failed_at`). server/mail/queue.py
moves it between these states.
"""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.base import IdentityBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
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
