"""affiliation: who may act for their organisation, its approvers and its log; confirmed addresses and
deleted accounts

Accounts that exist when this runs keep acting as before (verified); new sign-ups start waiting.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

from server.migrate import OWN_TABLE_ONLY

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id() -> sa.Column[int]:
    return sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False)


def upgrade() -> None:
    when = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
    with op.batch_alter_table("people", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        batch.add_column(sa.Column("affiliation", sa.String(length=32), server_default="verified", nullable=False))
        batch.add_column(sa.Column("affiliation_reason", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("affiliation_changed_at", when, nullable=True))
        batch.add_column(sa.Column("email_confirmed_at", when, nullable=True))
        batch.add_column(sa.Column("deleted_at", when, nullable=True))
    op.create_table(
        "organisation_approvers",
        _id(),
        sa.Column("organisation_id", KEY, nullable=False),
        sa.Column("person_id", KEY, nullable=False),
        sa.Column("named_by_id", KEY, nullable=True),
        sa.Column("named_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_approvers_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_organisation_approvers_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["named_by_id"],
            ["people.id"],
            name=op.f("fk_organisation_approvers_named_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_approvers")),
        sa.UniqueConstraint("organisation_id", "person_id", name=op.f("uq_organisation_approvers_organisation_id")),
    )
    op.create_index(
        op.f("ix_organisation_approvers_organisation_id"), "organisation_approvers", ["organisation_id"], unique=False
    )
    op.create_index(op.f("ix_organisation_approvers_person_id"), "organisation_approvers", ["person_id"], unique=False)
    op.create_table(
        "organisation_log",
        _id(),
        sa.Column("organisation_id", KEY, nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor_id", KEY, nullable=True),
        sa.Column("person_id", KEY, nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_log_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["people.id"], name=op.f("fk_organisation_log_actor_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_organisation_log_person_id_people"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_log")),
    )
    op.create_index("ix_organisation_log_org", "organisation_log", ["organisation_id", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_organisation_log_org", table_name="organisation_log")
    op.drop_table("organisation_log")
    op.drop_index(op.f("ix_organisation_approvers_person_id"), table_name="organisation_approvers")
    op.drop_index(op.f("ix_organisation_approvers_organisation_id"), table_name="organisation_approvers")
    op.drop_table("organisation_approvers")
    with op.batch_alter_table("people", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        batch.drop_column("deleted_at")
        batch.drop_column("email_confirmed_at")
        batch.drop_column("affiliation_changed_at")
        batch.drop_column("affiliation_reason")
        batch.drop_column("affiliation")
