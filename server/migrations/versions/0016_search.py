"""search: a full-text index of posts and replies, current in the same transaction as every write

PostgreSQL keeps a weighted `tsvector` as a stored generated column of `posts` (title A; summary and
themes B; body, structured sections and outcome C) and of `replies` (C), each with a GIN index. SQLite
keeps FTS5 tables (`post_search`, `reply_search`; porter stemming; rowid = the post's or reply's id)
that triggers on `posts` and `replies` keep current. Both move with the row in the writing
transaction: an edit, a hide or a removal is reflected at once (network/search/index.py).

Saved searches, and an index each on when posts and replies were written (newest first).

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from network.search import schema as search_schema

revision: str = "0016"
down_revision: str | None = "0015"
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
    op.create_index("ix_posts_created_at", "posts", ["created_at"])
    op.create_index("ix_replies_created_at", "replies", ["created_at"])
    for statement in search_schema.create(op.get_bind().dialect.name):
        op.execute(statement)
    op.create_table(
        "saved_searches",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("person_id", KEY, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("query", sa.String(length=500), nullable=False),
        sa.Column("filters", _json(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("network_id", KEY, nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("search_text", sa.String(length=600), nullable=False),
        sa.Column("anchor", sa.String(length=60), nullable=False),
        sa.Column("alerts", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("last_alerted_at", when, nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.Column("updated_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_saved_searches_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"], name=op.f("fk_saved_searches_network_id_networks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_searches")),
    )
    op.create_index("ix_saved_searches_person", "saved_searches", ["person_id", "id"])
    op.create_index("ix_saved_searches_network", "saved_searches", ["network_id"])
    for statement in search_schema.create_saved(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in search_schema.drop_saved(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index("ix_saved_searches_network", table_name="saved_searches")
    op.drop_index("ix_saved_searches_person", table_name="saved_searches")
    op.drop_table("saved_searches")
    for statement in search_schema.drop(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index("ix_replies_created_at", table_name="replies")
    op.drop_index("ix_posts_created_at", table_name="posts")
