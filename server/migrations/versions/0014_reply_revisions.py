"""reply revisions: a reply's earlier versions, and replies their authors deleted

Each edit of a reply keeps the text it replaced, as a post's edits do. A reply its author deletes keeps
its place in the thread (`deleted_at`), without its text.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

from server.migrate import OWN_TABLE_ONLY

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    when = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
    with op.batch_alter_table("replies", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        batch.add_column(sa.Column("deleted_at", when, nullable=True))
    op.create_table(
        "reply_revisions",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("reply_id", KEY, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("editor_id", KEY, nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["reply_id"], ["replies.id"], name=op.f("fk_reply_revisions_reply_id_replies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["editor_id"], ["people.id"], name=op.f("fk_reply_revisions_editor_id_people"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_revisions")),
        sa.UniqueConstraint("reply_id", "revision", name=op.f("uq_reply_revisions_reply_id")),
    )


def downgrade() -> None:
    op.drop_table("reply_revisions")
    with op.batch_alter_table("replies", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        batch.drop_column("deleted_at")
