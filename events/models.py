"""The durable event log's tables (docs/design.md §3.2, §3.4).

`events` holds each network's gap-free sequence of member-visible changes; `notifications`
holds each person's own sequence. `log_epoch` has one row, written when the database is
created: a client whose epoch differs holds cursors from another database and must resync.
The owners of the sequences (networks, people) are referenced by table name only: this
package knows nothing of what they are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from advanced_alchemy.base import IdentityBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column


def counter_owner(counter: InstrumentedAttribute[int]) -> tuple[Table, str]:
    """The table of a stream's owner and its counter column's name (hashable: a key for statements
    built once per counter)."""
    return cast(Table, counter.class_.__table__), counter.key  # type: ignore[attr-defined]


class Event(IdentityBase):
    """One change in a network's log, with who may receive it.

    `audience` and `audience_person_id` are decided by the writer where the event is appended
    (a word such as "readers" or "leads", and one person who also receives it); `subject_id`
    names what the event is about, so a writer can find and re-decide the audience of every event
    about one thing when that thing is hidden or shown again; `audience_group_id` names a group of
    people the audience is (an engagement's named people). This package only stores them: the live
    hub asks the domain what they mean for a subscriber.
    """

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("network_id", "seq"),
        Index("ix_events_created_at", "created_at"),
        Index("ix_events_subject", "network_id", "subject_id"),
    )

    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonB)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    audience: Mapped[str] = mapped_column(String(16), default="readers", server_default="readers")
    audience_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    subject_id: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), default=None)
    # the group of people the event is for, when its audience is one (an engagement's named people):
    # what the group is, and who is in it, is the domain's business
    audience_group_id: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), default=None)


class Notification(IdentityBase):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("person_id", "seq"),
        Index("ix_notifications_unread", "person_id", "read_at"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonB)
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), default=None)
    read_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


class LogEpoch(IdentityBase):
    __tablename__ = "log_epoch"

    epoch: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
