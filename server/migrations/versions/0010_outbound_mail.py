"""outbound mail: messages queued with the change that causes them, sent after the commit

One row per message; a sender in each server process claims due rows with a lease, sends them and
marks them sent, or retries with backoff and in the end gives up (server/mail/).

Revision ID: 0010 (its parent is `down_revision`, the one line that names it)
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    when = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
    op.create_table(
        "outbound_mail",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=1, increment=1),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("send_after", when, nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_until", when, nullable=True),
        sa.Column("sent_at", when, nullable=True),
        sa.Column("failed_at", when, nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_outbound_mail_person_id_people"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_mail")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outbound_mail_message_id")),
    )
    op.create_index("ix_outbound_mail_due", "outbound_mail", ["sent_at", "failed_at", "send_after"])
    op.create_index(op.f("ix_outbound_mail_person_id"), "outbound_mail", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_outbound_mail_person_id"), table_name="outbound_mail")
    op.drop_index("ix_outbound_mail_due", table_name="outbound_mail")
    op.drop_table("outbound_mail")
