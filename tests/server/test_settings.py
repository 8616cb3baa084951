"""Settings come from the environment in one place; nothing else reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.settings import Settings


def test_defaults_are_an_embedded_sqlite_under_var(tmp_path: Path) -> None:
    settings = Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'commons.db'}"
    assert settings.is_sqlite
    assert settings.bus == "memory"
    assert settings.session_store == "file"
    assert not settings.secure_cookies


def test_development_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path)})
    second = Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path)})
    assert len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "SECRET_KEY": "given"}).secret_key == "given"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/commons", "postgresql+asyncpg://u:p@db:5432/commons"),
        ("postgresql://u@db/commons", "postgresql+asyncpg://u@db/commons"),
        ("postgresql+asyncpg://u@db/commons", "postgresql+asyncpg://u@db/commons"),
        ("sqlite:///var/x.db", "sqlite+aiosqlite:///var/x.db"),
    ],
)
def test_operator_database_urls_pick_the_async_drivers(tmp_path: Path, given: str, expected: str) -> None:
    settings = Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "DATABASE_URL": given})
    assert settings.database_url == expected


def test_postgresql_and_redis_choose_their_own_defaults(tmp_path: Path) -> None:
    pg = Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgresql://db/c"})
    assert (pg.bus, pg.session_store, pg.is_sqlite) == ("postgres", "database", False)
    redis = Settings.from_env(
        {"COMMONS_VAR_DIR": str(tmp_path), "DATABASE_URL": "postgresql://db/c", "REDIS_URL": "redis://r:6379/0"}
    )
    assert (redis.bus, redis.session_store, redis.redis_url) == ("redis", "redis", "redis://r:6379/0")
    chosen = Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "BUS_BACKEND": "postgres", "SECURE_COOKIES": "1"})
    assert chosen.bus == "postgres"
    assert chosen.secure_cookies


def test_allowed_origins_are_a_comma_list(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"COMMONS_VAR_DIR": str(tmp_path), "ALLOWED_ORIGINS": "https://commons.example.org/, http://localhost:8000"}
    )
    assert settings.allowed_origins == ("https://commons.example.org", "http://localhost:8000")


def test_an_unknown_choice_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="BUS_BACKEND must be one of memory, postgres, redis"):
        Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "BUS_BACKEND": "kafka"})
    with pytest.raises(ValueError, match="SESSION_STORE"):
        Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "SESSION_STORE": "cookies"})


def test_live_timings_are_seconds(tmp_path: Path) -> None:
    settings = Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "LIVE_TICK_SECONDS": "0.5"})
    assert settings.live_tick_seconds == 0.5
    assert settings.live_ping_seconds == 25.0
    with pytest.raises(ValueError, match="LIVE_PING_SECONDS must be a number"):
        Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "LIVE_PING_SECONDS": "soon"})
    with pytest.raises(ValueError, match="more than 0"):
        Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "LIVE_TICK_SECONDS": "0"})
