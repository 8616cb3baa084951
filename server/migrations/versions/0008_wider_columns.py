"""wider columns: a lead's edit reason as long as a decision's, and ids as wide as what they name

An `edit` decision's reason (up to 1,000 characters) is kept with the post's revision, whose column
held 500: a longer one failed on PostgreSQL. What a flag, a queue entry or a decision is about is a
post's, reply's or person's id, which are 64-bit; those columns were 32-bit. (SQLite's integers are
64-bit whatever the declared type: only the declared length changes there.)

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from server.migrate import OWN_TABLE_ONLY

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TARGETS = ("flags", "queue_entries", "decisions")


def upgrade() -> None:
    with op.batch_alter_table("post_revisions", schema=None, reflect_kwargs=OWN_TABLE_ONLY) as batch_op:
        batch_op.alter_column("reason", type_=sa.String(1000), existing_type=sa.String(500), existing_nullable=False)
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TARGETS:
        op.alter_column(table, "target_id", type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _TARGETS:
            op.alter_column(table, "target_id", type_=sa.Integer(), existing_type=sa.BigInteger())
    with op.batch_alter_table("post_revisions", schema=None, reflect_kwargs=OWN_TABLE_ONLY) as batch_op:
        batch_op.alter_column("reason", type_=sa.String(500), existing_type=sa.String(1000), existing_nullable=False)
