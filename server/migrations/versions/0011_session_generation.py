"""session generation: a person's sessions end for good when their account is disabled

Each session records the person's generation when it began; a request or socket whose session
carries an older one is signed out. Disabling an account, resetting its password or signing out
everywhere else moves the generation on, so re-enabling an account brings no old session back.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from server.migrate import OWN_TABLE_ONLY

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None, reflect_kwargs=OWN_TABLE_ONLY) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default=sa.text("0"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None, reflect_kwargs=OWN_TABLE_ONLY) as batch_op:
        batch_op.drop_column("session_generation")
