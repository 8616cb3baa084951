"""moderation: flags, review queue, decisions (the transparency log), appeals, watched words, settings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:25:33.091700
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from server.migrate import OWN_TABLE_ONLY

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=1, increment=1),
            nullable=False,
        ),
        sa.Column("network_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("actor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("by_admin", sa.Boolean(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "dismiss",
                "approve",
                "hide",
                "restore",
                "remove",
                "edit",
                "lock",
                "unlock",
                "pin",
                "unpin",
                "mute",
                "suspend",
                "ban",
                "lift",
                "approve_join",
                "decline_join",
                "remove_member",
                "set_role",
                "settings",
                "watch_word",
                "unwatch_word",
                "charter",
                "invite",
                "appeal_upheld",
                "appeal_overturned",
                name="decision",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "target_type",
            sa.Enum("post", "reply", "member", "network", "appeal", name="targettype", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("clause", sa.Integer(), nullable=True),
        sa.Column("until", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
        sa.Column(
            "details",
            sa.JSON()
            .with_variant(postgresql.JSONB(astext_type=Text()), "cockroachdb")
            .with_variant(advanced_alchemy.types.json.ORA_JSONB(), "oracle")
            .with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["people.id"], name=op.f("fk_decisions_actor_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"], name=op.f("fk_decisions_network_id_networks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["people.id"], name=op.f("fk_decisions_subject_id_people"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index("ix_decisions_network", ["network_id", "id"], unique=False)
        batch_op.create_index("ix_decisions_subject", ["subject_id"], unique=False)

    op.create_table(
        "watched_words",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=1, increment=1),
            nullable=False,
        ),
        sa.Column("network_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("pattern", sa.String(length=200), nullable=False),
        sa.Column("is_regex", sa.Boolean(), nullable=False),
        sa.Column(
            "action",
            sa.Enum("block", "hold", "flag", name="screenaction", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("created_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["people.id"], name=op.f("fk_watched_words_created_by_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"], name=op.f("fk_watched_words_network_id_networks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watched_words")),
    )
    with op.batch_alter_table("watched_words", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watched_words_network_id"), ["network_id"], unique=False)

    op.create_table(
        "appeals",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=1, increment=1),
            nullable=False,
        ),
        sa.Column("decision_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("network_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("appellant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "upheld", "overturned", name="appealstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("to_admin", sa.Boolean(), nullable=False),
        sa.Column("decided_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=False),
        sa.Column("decided_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["appellant_id"], ["people.id"], name=op.f("fk_appeals_appellant_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["people.id"], name=op.f("fk_appeals_decided_by_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_appeals_decision_id_decisions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"], name=op.f("fk_appeals_network_id_networks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_appeals_decision_id")),
    )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeals_appellant_id"), ["appellant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appeals_network_id"), ["network_id"], unique=False)

    op.create_table(
        "flags",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=1, increment=1),
            nullable=False,
        ),
        sa.Column("network_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "target_type",
            sa.Enum("post", "reply", "member", "network", "appeal", name="targettype", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reporter_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "reason",
            sa.Enum(
                "personal_data",
                "charter",
                "inappropriate",
                "spam",
                "off_topic",
                "other",
                "watched_word",
                name="flagreason",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("clause", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decision_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_flags_decision_id_decisions"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"], name=op.f("fk_flags_network_id_networks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], name=op.f("fk_flags_post_id_posts"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["people.id"], name=op.f("fk_flags_reporter_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flags")),
    )
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flags_network_id"), ["network_id"], unique=False)
        batch_op.create_index("ix_flags_target", ["target_type", "target_id"], unique=False)
        batch_op.create_index(
            "uq_flags_open",
            ["reporter_id", "target_type", "target_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "queue_entries",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=1, increment=1),
            nullable=False,
        ),
        sa.Column("network_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "target_type",
            sa.Enum("post", "reply", "member", "network", "appeal", name="targettype", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("author_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("hold_reason", sa.String(length=500), nullable=False),
        sa.Column(
            "hits",
            sa.JSON()
            .with_variant(postgresql.JSONB(astext_type=Text()), "cockroachdb")
            .with_variant(advanced_alchemy.types.json.ORA_JSONB(), "oracle")
            .with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("claimed_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("resolved_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("decision_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["people.id"], name=op.f("fk_queue_entries_author_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["claimed_by_id"], ["people.id"], name=op.f("fk_queue_entries_claimed_by_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_queue_entries_decision_id_decisions"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"], name=op.f("fk_queue_entries_network_id_networks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_queue_entries_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_entries")),
    )
    with op.batch_alter_table("queue_entries", schema=None) as batch_op:
        batch_op.create_index("ix_queue_network_status", ["network_id", "status", "severity", "id"], unique=False)
        batch_op.create_index(
            "uq_queue_open_target",
            ["target_type", "target_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "queue_notes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False, start=1, increment=1),
            nullable=False,
        ),
        sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("author_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["people.id"], name=op.f("fk_queue_notes_author_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["queue_entries.id"], name=op.f("fk_queue_notes_entry_id_queue_entries"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_notes")),
    )
    with op.batch_alter_table("queue_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_queue_notes_entry_id"), ["entry_id"], unique=False)

    with op.batch_alter_table("memberships", schema=None, reflect_kwargs=OWN_TABLE_ONLY) as batch_op:
        batch_op.add_column(
            sa.Column(
                "join_answers",
                sa.JSON()
                .with_variant(postgresql.JSONB(astext_type=Text()), "cockroachdb")
                .with_variant(advanced_alchemy.types.json.ORA_JSONB(), "oracle")
                .with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
                server_default=sa.text("'[]'"),
                nullable=False,
            )
        )

    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("premod_posts", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.add_column(sa.Column("slow_mode_seconds", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.add_column(
            sa.Column("guard_personal_data", sa.Boolean(), server_default=sa.text("true"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("name_leads_in_log", sa.Boolean(), server_default=sa.text("true"), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "join_questions",
                sa.JSON()
                .with_variant(postgresql.JSONB(astext_type=Text()), "cockroachdb")
                .with_variant(advanced_alchemy.types.json.ORA_JSONB(), "oracle")
                .with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
                server_default=sa.text("'[]'"),
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.drop_column("join_questions")
        batch_op.drop_column("name_leads_in_log")
        batch_op.drop_column("guard_personal_data")
        batch_op.drop_column("slow_mode_seconds")
        batch_op.drop_column("premod_posts")

    with op.batch_alter_table("memberships", schema=None, reflect_kwargs=OWN_TABLE_ONLY) as batch_op:
        batch_op.drop_column("join_answers")

    with op.batch_alter_table("queue_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_queue_notes_entry_id"))

    op.drop_table("queue_notes")
    with op.batch_alter_table("queue_entries", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_queue_open_target", sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'")
        )
        batch_op.drop_index("ix_queue_network_status")

    op.drop_table("queue_entries")
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_flags_open", sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'")
        )
        batch_op.drop_index("ix_flags_target")
        batch_op.drop_index(batch_op.f("ix_flags_network_id"))

    op.drop_table("flags")
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appeals_network_id"))
        batch_op.drop_index(batch_op.f("ix_appeals_appellant_id"))

    op.drop_table("appeals")
    with op.batch_alter_table("watched_words", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watched_words_network_id"))

    op.drop_table("watched_words")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_decisions_subject")
        batch_op.drop_index("ix_decisions_network")

    op.drop_table("decisions")
