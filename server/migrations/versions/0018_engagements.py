"""support engagements: the work two organisations agree on an accepted offer, its plan and revisions,
named people, private thread, check-ins, outcomes, follow-ups and flags; the network's follow-up weeks;
the group an event is for (an engagement's named people)

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from server.migrate import OWN_TABLE_ONLY

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OPEN = sa.text("status = 'open'")


def _json() -> sa.types.TypeEngine[object]:
    return (
        sa.JSON()
        .with_variant(postgresql.JSONB(astext_type=Text()), "cockroachdb")
        .with_variant(advanced_alchemy.types.json.ORA_JSONB(), "oracle")
        .with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")
    )


def upgrade() -> None:
    when = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
    op.create_table(
        "engagements",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("network_id", KEY, nullable=False),
        sa.Column("request_id", KEY, nullable=False),
        sa.Column("offer_id", KEY, nullable=False),
        sa.Column("requesting_organisation_id", KEY, nullable=False),
        sa.Column("offering_organisation_id", KEY, nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("aims", sa.Text(), nullable=False),
        sa.Column("activities", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("expected_end_on", sa.Date(), nullable=True),
        sa.Column("next_check_in_on", sa.Date(), nullable=True),
        sa.Column("check_in_told", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("closed_as", sa.String(length=32), nullable=True),
        sa.Column("stop_reason", sa.Text(), nullable=False),
        sa.Column("activated_at", when, nullable=True),
        sa.Column("closed_at", when, nullable=True),
        sa.Column("requester_unlisted", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("offerer_unlisted", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("requester_agreed_version", sa.Integer(), nullable=True),
        sa.Column("offerer_agreed_version", sa.Integer(), nullable=True),
        sa.Column("follow_up_due_on", sa.Date(), nullable=True),
        sa.Column("follow_up_told", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("updated_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"], ["networks.id"], name=op.f("fk_engagements_network_id_networks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_engagements_offer_id_offers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["offering_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_engagements_offering_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["posts.id"], name=op.f("fk_engagements_request_id_posts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["requesting_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_engagements_requesting_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagements")),
        sa.UniqueConstraint("offer_id", name=op.f("uq_engagements_offer_id")),
    )
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.create_index("ix_engagements_network", ["network_id", "state", "id"], unique=False)
        batch_op.create_index("ix_engagements_request", ["request_id"], unique=False)

    op.create_table(
        "engagement_check_ins",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("engagement_id", KEY, nullable=False),
        sa.Column("author_id", KEY, nullable=False),
        sa.Column("side", sa.String(length=32), nullable=False),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("next_check_in_on", sa.Date(), nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["people.id"], name=op.f("fk_engagement_check_ins_author_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_check_ins_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_check_ins")),
    )
    with op.batch_alter_table("engagement_check_ins", schema=None) as batch_op:
        batch_op.create_index("ix_engagement_check_ins_engagement", ["engagement_id", "id"], unique=False)

    op.create_table(
        "engagement_follow_ups",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("engagement_id", KEY, nullable=False),
        sa.Column("side", sa.String(length=32), nullable=False),
        sa.Column("author_id", KEY, nullable=False),
        sa.Column("lasted", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["people.id"], name=op.f("fk_engagement_follow_ups_author_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_follow_ups_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_follow_ups")),
        sa.UniqueConstraint("engagement_id", "side", name=op.f("uq_engagement_follow_ups_engagement_id")),
    )
    op.create_table(
        "engagement_messages",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("engagement_id", KEY, nullable=False),
        sa.Column("author_id", KEY, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["people.id"], name=op.f("fk_engagement_messages_author_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_messages_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_messages")),
    )
    with op.batch_alter_table("engagement_messages", schema=None) as batch_op:
        batch_op.create_index("ix_engagement_messages_engagement", ["engagement_id", "id"], unique=False)

    op.create_table(
        "engagement_outcomes",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("engagement_id", KEY, nullable=False),
        sa.Column("side", sa.String(length=32), nullable=False),
        sa.Column("author_id", KEY, nullable=False),
        sa.Column("what_changed", sa.Text(), nullable=False),
        sa.Column("for_whom", sa.Text(), nullable=False),
        sa.Column("how_we_know", sa.Text(), nullable=False),
        sa.Column("evidence_strength", sa.String(length=32), nullable=False),
        sa.Column("do_differently", sa.Text(), nullable=False),
        sa.Column("work_together_again", sa.String(length=32), nullable=False),
        sa.Column("practice_id", KEY, nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["people.id"], name=op.f("fk_engagement_outcomes_author_id_people"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_outcomes_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["posts.id"], name=op.f("fk_engagement_outcomes_practice_id_posts"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_outcomes")),
        sa.UniqueConstraint("engagement_id", "side", name=op.f("uq_engagement_outcomes_engagement_id")),
    )
    op.create_table(
        "engagement_people",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("engagement_id", KEY, nullable=False),
        sa.Column("person_id", KEY, nullable=False),
        sa.Column("side", sa.String(length=32), nullable=False),
        sa.Column("added_by_id", KEY, nullable=True),
        sa.Column("created_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["people.id"], name=op.f("fk_engagement_people_added_by_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_people_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_engagement_people_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_people")),
        sa.UniqueConstraint("engagement_id", "person_id", name=op.f("uq_engagement_people_engagement_id")),
    )
    with op.batch_alter_table("engagement_people", schema=None) as batch_op:
        batch_op.create_index("ix_engagement_people_person", ["person_id"], unique=False)

    op.create_table(
        "engagement_revisions",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("engagement_id", KEY, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("editor_id", KEY, nullable=True),
        sa.Column("plan", _json(), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["editor_id"], ["people.id"], name=op.f("fk_engagement_revisions_editor_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_revisions_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_revisions")),
        sa.UniqueConstraint("engagement_id", "version", name=op.f("uq_engagement_revisions_engagement_id")),
    )
    op.create_table(
        "engagement_flags",
        sa.Column("id", KEY, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("engagement_id", KEY, nullable=False),
        sa.Column("message_id", KEY, nullable=False),
        sa.Column("raised_by_id", KEY, nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("decided_by_id", KEY, nullable=True),
        sa.Column("decided_at", when, nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("updated_at", when, nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["people.id"], name=op.f("fk_engagement_flags_decided_by_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_flags_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["engagement_messages.id"],
            name=op.f("fk_engagement_flags_message_id_engagement_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_id"], ["people.id"], name=op.f("fk_engagement_flags_raised_by_id_people"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_flags")),
    )
    with op.batch_alter_table("engagement_flags", schema=None) as batch_op:
        batch_op.create_index("ix_engagement_flags_engagement", ["engagement_id", "status"], unique=False)
        batch_op.create_index(
            "uq_engagement_flags_open",
            ["message_id", "raised_by_id"],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )

    # a nullable column, and one with a constant default: SQLite adds both in place (no rebuild)
    op.add_column("events", sa.Column("audience_group_id", KEY, nullable=True))
    op.add_column(
        "networks", sa.Column("engagement_follow_up_weeks", sa.Integer(), server_default=sa.text("12"), nullable=False)
    )


def downgrade() -> None:
    with op.batch_alter_table("networks", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        batch.drop_column("engagement_follow_up_weeks")
    with op.batch_alter_table("events", reflect_kwargs=OWN_TABLE_ONLY) as batch:
        batch.drop_column("audience_group_id")

    with op.batch_alter_table("engagement_flags", schema=None) as batch_op:
        batch_op.drop_index("uq_engagement_flags_open", sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.drop_index("ix_engagement_flags_engagement")

    op.drop_table("engagement_flags")
    op.drop_table("engagement_revisions")
    with op.batch_alter_table("engagement_people", schema=None) as batch_op:
        batch_op.drop_index("ix_engagement_people_person")

    op.drop_table("engagement_people")
    op.drop_table("engagement_outcomes")
    with op.batch_alter_table("engagement_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_engagement_messages_engagement")

    op.drop_table("engagement_messages")
    op.drop_table("engagement_follow_ups")
    with op.batch_alter_table("engagement_check_ins", schema=None) as batch_op:
        batch_op.drop_index("ix_engagement_check_ins_engagement")

    op.drop_table("engagement_check_ins")
    with op.batch_alter_table("engagements", schema=None) as batch_op:
        batch_op.drop_index("ix_engagements_request")
        batch_op.drop_index("ix_engagements_network")

    op.drop_table("engagements")
