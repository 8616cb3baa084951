"""organisations from the register: region, register identifiers, status, verified email domains

Organisations gain what Get Information about Schools says of a group (its UID, ID, Companies House
number and UKPRN), a region, and whether it is open or closed (and since when). The Group UID is
unique where present: any number of organisations typed in at sign-up have none. A new table holds
each organisation's verified email domains, each domain held by one organisation only.

The columns are added and dropped in place (no table is rebuilt), so on SQLite the organisations
table that people, posts and offers point at is never copied.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_REGIONS = (
    "north_east",
    "north_west",
    "yorkshire_and_the_humber",
    "east_midlands",
    "west_midlands",
    "east_of_england",
    "london",
    "south_east",
    "south_west",
)
_COLUMNS = ("region", "gias_group_uid", "gias_group_id", "companies_house_number", "ukprn", "status", "closed_on")


def upgrade() -> None:
    op.add_column(
        "organisations",
        sa.Column("region", sa.Enum(*_REGIONS, name="region", native_enum=False, length=32), nullable=True),
    )
    op.add_column("organisations", sa.Column("gias_group_uid", sa.String(length=20), nullable=True))
    op.add_column("organisations", sa.Column("gias_group_id", sa.String(length=20), nullable=True))
    op.add_column("organisations", sa.Column("companies_house_number", sa.String(length=8), nullable=True))
    op.add_column("organisations", sa.Column("ukprn", sa.String(length=8), nullable=True))
    op.add_column(
        "organisations",
        sa.Column(
            "status",
            sa.Enum("open", "closed", name="orgstatus", native_enum=False, length=32),
            server_default="open",
            nullable=False,
        ),
    )
    op.add_column("organisations", sa.Column("closed_on", sa.Date(), nullable=True))
    op.create_index("uq_organisations_gias_group_uid", "organisations", ["gias_group_uid"], unique=True)

    op.create_table(
        "organisation_domains",
        sa.Column("id", _ID, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("organisation_id", _ID, nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("added_by_id", _ID, nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["people.id"], name=op.f("fk_organisation_domains_added_by_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_domains_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_domains")),
        sa.UniqueConstraint("domain", name=op.f("uq_organisation_domains_domain")),
    )
    op.create_index(
        op.f("ix_organisation_domains_organisation_id"), "organisation_domains", ["organisation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_organisation_domains_organisation_id"), table_name="organisation_domains")
    op.drop_table("organisation_domains")
    op.drop_index("uq_organisations_gias_group_uid", table_name="organisations")
    for column in reversed(_COLUMNS):
        op.drop_column("organisations", column)
