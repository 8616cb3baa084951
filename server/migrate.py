"""Running Alembic from code (the CLI, `make demo`, tests) against a given database URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advanced_alchemy.types import GUID
from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

# What a batch operation that rebuilds a SQLite table reflects: that table alone. By default it also
# reflects every table its foreign keys lead to (memberships → people → organisations), which a rebuild
# does not need, and SQLite cannot reflect the organisations' unique index on lower(name): SQLAlchemy
# would warn on every fresh `commons migrate`. The rebuilt table keeps its foreign keys either way.
OWN_TABLE_ONLY: dict[str, Any] = {"resolve_fks": False}


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Autogenerate compares the models with the database, less the search index's own objects (FTS5
    tables and their shadow tables on SQLite, generated columns on PostgreSQL), which no model maps."""
    from network.search import schema

    if type_ == "table" and name is not None:
        return not any(name == n or name.startswith(n + "_") for n in schema.NAMES)
    if type_ == "column":
        return name not in schema.COLUMNS
    if type_ == "index":
        return name not in schema.INDEXES
    return True


def compare_type(context: Any, inspected: Any, metadata: Any, inspected_type: Any, metadata_type: Any) -> bool | None:
    """Autogenerate's type comparison, minus one false alarm: SQLite reflects a GUID column as NUMERIC."""
    if isinstance(metadata_type, GUID) and context.dialect.name == "sqlite":
        return False
    return None  # alembic's default comparison
