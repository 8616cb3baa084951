"""one open offer per organisation per request, as a partial unique index

network/content/offers.py checks the rule under the request's row lock; the index keeps it whatever path
writes an offer. Two open offers of one organisation on one request could only have come from
requests that raced before that lock was taken: the later ones are marked withdrawn (as their
authors could have done), so the index can be built, and the earliest stays open.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.execute(
        "UPDATE offers SET status = 'withdrawn', decided_at = CURRENT_TIMESTAMP "
        "WHERE status = 'open' AND EXISTS ("
        " SELECT 1 FROM offers AS earlier"
        " WHERE earlier.post_id = offers.post_id AND earlier.organisation_id = offers.organisation_id"
        " AND earlier.status = 'open' AND earlier.id < offers.id)"
    )
    op.create_index(
        "uq_offers_open",
        "offers",
        ["post_id", "organisation_id"],
        unique=True,
        sqlite_where=_OPEN,
        postgresql_where=_OPEN,
    )


def downgrade() -> None:
    op.drop_index("uq_offers_open", table_name="offers", sqlite_where=_OPEN, postgresql_where=_OPEN)
