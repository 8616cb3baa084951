"""saved-search alerts: when the saved searches were matched against a post (once per post)

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

from network.search import schema as search_schema
from server.migrate import OWN_TABLE_ONLY

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a nullable column without a default: SQLite adds it in place (no rebuild, the search triggers stay)
    op.add_column("posts", sa.Column("alerted_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)))
    # the posts already shown were new before anyone could save a search: only those still held alert,
    # when a lead approves them
    op.execute("UPDATE posts SET alerted_at = created_at WHERE state <> 'held'")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("posts", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        batch.drop_column("alerted_at")
    if dialect == "sqlite":  # the rebuild dropped the triggers that keep the search index current
        for statement in search_schema.sqlite_triggers():
            op.execute(statement)
