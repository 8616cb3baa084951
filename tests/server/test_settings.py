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


def test_mail_defaults_write_files_and_name_the_public_host(tmp_path: Path) -> None:
    settings = Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path)})
    assert settings.public_url == "http://127.0.0.1:8000"
    assert settings.smtp_url is None
    assert settings.mail_from == "Improvement Commons <no-reply@127.0.0.1>"
    given = Settings.from_env(
        {
            "COMMONS_VAR_DIR": str(tmp_path),
            "PUBLIC_URL": "https://commons.example.org/",
            "SMTP_URL": "smtp://mailer:p%40ss@smtp.example.org:2525?starttls=required",
        }
    )
    assert given.public_url == "https://commons.example.org"
    assert given.mail_from == "Improvement Commons <no-reply@commons.example.org>"
    assert given.smtp_url == "smtp://mailer:p%40ss@smtp.example.org:2525?starttls=required"
    chosen = Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "MAIL_FROM": "Fenwick Hub <hub@fenwick.org>"})
    assert chosen.mail_from == "Fenwick Hub <hub@fenwick.org>"
    assert settings.send_mail is True  # every serving process sends, unless told to leave it to the others
    assert Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "SEND_MAIL": "0"}).send_mail is False


def test_public_links_start_at_the_public_url_with_its_path(tmp_path: Path) -> None:
    from server.settings import public_link

    root = Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "PUBLIC_URL": "https://commons.example.org/"})
    assert public_link(root, "/reset?token=abc") == "https://commons.example.org/reset?token=abc"
    under = Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), "PUBLIC_URL": "https://example.org/commons"})
    assert public_link(under, "confirm/1") == "https://example.org/commons/confirm/1"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SMTP_URL", "http://smtp.example.org"),
        ("SMTP_URL", "smtp.example.org:25"),
        ("SMTP_URL", "smtp://"),
        ("SMTP_URL", "smtp://smtp.example.org:port"),
        ("SMTP_URL", "smtp://smtp.example.org?starttls=maybe"),
        ("SMTP_URL", "smtp://smtp.example.org?tls=1"),
        ("PUBLIC_URL", "commons.example.org"),
        ("PUBLIC_URL", "https://"),
        ("PUBLIC_URL", "ftp://commons.example.org"),
        ("MAIL_FROM", "no-reply"),
    ],
)
def test_bad_mail_settings_are_refused_naming_the_setting(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({"COMMONS_VAR_DIR": str(tmp_path), name: value})
