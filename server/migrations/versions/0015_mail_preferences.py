"""mail preferences: what each person is emailed, when they were last on the site, their digests; headers
on queued mail (one-click unsubscribe); the lease each mail run holds

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from server.migrate import OWN_TABLE_ONLY

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _json() -> sa.types.TypeEngine[object]:
    return (
        sa.JSON()
        .with_variant(postgresql.JSONB(astext_type=Text()), "cockroachdb")
        .with_variant(advanced_alchemy.types.json.ORA_JSONB(), "oracle")
        .with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")
    )


def upgrade() -> None:
    when = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
    with op.batch_alter_table("people", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        batch.add_column(sa.Column("last_seen_at", when, nullable=True))
        batch.add_column(sa.Column("mail_off", _json(), server_default=sa.text("'[]'"), nullable=False))
        batch.add_column(sa.Column("notice_mail_seq", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch.add_column(sa.Column("notice_mailed_at", when, nullable=True))
        batch.add_column(sa.Column("digest", sa.String(length=32), server_default="weekly", nullable=False))
        batch.add_column(sa.Column("digest_period", sa.String(length=24), nullable=True))
        batch.add_column(sa.Column("digest_built_at", when, nullable=True))
        batch.add_column(sa.Column("interest_phases", _json(), server_default=sa.text("'[]'"), nullable=False))
        batch.add_column(sa.Column("interest_themes", _json(), server_default=sa.text("'[]'"), nullable=False))
    with op.batch_alter_table("outbound_mail", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        batch.add_column(sa.Column("headers", _json(), server_default=sa.text("'{}'"), nullable=False))
    op.create_table(
        "mail_runs",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("started_at", when, nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_until", when, nullable=True),
        sa.Column("after_person_id", KEY, server_default=sa.text("0"), nullable=False),
        sa.Column("queued", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("done_at", when, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_runs")),
        sa.UniqueConstraint("name", name=op.f("uq_mail_runs_name")),
    )


def downgrade() -> None:
    op.drop_table("mail_runs")
    with op.batch_alter_table("outbound_mail", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        batch.drop_column("headers")
    with op.batch_alter_table("people", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        for column in (
            "interest_themes",
            "interest_phases",
            "digest_built_at",
            "digest_period",
            "digest",
            "notice_mailed_at",
            "notice_mail_seq",
            "mail_off",
            "last_seen_at",
        ):
            batch.drop_column(column)
