"""adoption records: an organisation trying another's practice, its report, and each edit kept

Also the networks' `adoption_follow_up_weeks`: how many weeks after starting an organisation is asked
how it went. Only existing tables are referenced (posts, networks, organisations, people).

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from server.migrate import OWN_TABLE_ONLY

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    when = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    with op.batch_alter_table("networks", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        batch.add_column(
            sa.Column("adoption_follow_up_weeks", sa.Integer(), server_default=sa.text("8"), nullable=False)
        )
    op.create_table(
        "adoptions",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("post_id", KEY, nullable=False),
        sa.Column("network_id", KEY, nullable=False),
        sa.Column("organisation_id", KEY, nullable=False),
        sa.Column("person_id", KEY, nullable=False),
        sa.Column("phase", sa.String(length=32), nullable=False),
        sa.Column("setting", sa.String(length=500), nullable=False),
        sa.Column("size_band", sa.String(length=32), nullable=False),
        sa.Column("adapted", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("report_due_on", sa.Date(), nullable=False),
        sa.Column("asked_at", when, nullable=True),
        sa.Column("result", sa.String(length=32), nullable=True),
        sa.Column("evidence_strength", sa.String(length=32), nullable=True),
        sa.Column("how_we_know", sa.Text(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=False),
        sa.Column("reported_at", when, nullable=True),
        sa.Column("reported_by_id", KEY, nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("edited_at", when, nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.Column("updated_at", when, nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], name=op.f("fk_adoptions_post_id_posts"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"], name=op.f("fk_adoptions_network_id_networks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_adoptions_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_adoptions_person_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["people.id"], name=op.f("fk_adoptions_reported_by_id_people"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adoptions")),
        sa.UniqueConstraint("post_id", "organisation_id", name=op.f("uq_adoptions_post_id")),
    )
    op.create_index("ix_adoptions_organisation", "adoptions", ["organisation_id", "report_due_on"])
    op.create_index("ix_adoptions_due", "adoptions", ["report_due_on"])
    op.create_index(op.f("ix_adoptions_network_id"), "adoptions", ["network_id"])
    op.create_index(op.f("ix_adoptions_person_id"), "adoptions", ["person_id"])
    op.create_table(
        "adoption_revisions",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("adoption_id", KEY, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("editor_id", KEY, nullable=True),
        sa.Column("content", json, nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["adoption_id"],
            ["adoptions.id"],
            name=op.f("fk_adoption_revisions_adoption_id_adoptions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["editor_id"], ["people.id"], name=op.f("fk_adoption_revisions_editor_id_people"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adoption_revisions")),
        sa.UniqueConstraint("adoption_id", "revision", name=op.f("uq_adoption_revisions_adoption_id")),
    )


def downgrade() -> None:
    op.drop_table("adoption_revisions")
    op.drop_table("adoptions")
    with op.batch_alter_table("networks", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        batch.drop_column("adoption_follow_up_weeks")
