"""All configuration, read from the environment in one place and passed into the app factory.

Nothing reads the environment anywhere else; tests build a `Settings` directly.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from server.mail import smtp_url

BusBackend = Literal["memory", "postgres", "redis"]
StoreBackend = Literal["memory", "file", "database", "redis"]
LOOPBACK = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    var_dir: Path = Path("var")
    allowed_origins: tuple[str, ...] = ()
    bus: BusBackend = "memory"
    session_store: StoreBackend = "file"
    redis_url: str | None = None
    secure_cookies: bool = False
    debug: bool = False
    login_attempts_per_minute: int = 10  # per client address
    login_failures_per_account: int = 10  # failed sign-ins on one account in 15 minutes before it is slowed
    login_failures_per_address: int = 5  # failed sign-ins on one account from one address before it is refused
    trusted_proxies: tuple[str, ...] = LOOPBACK  # whose X-Forwarded-For names the client
    session_max_age: int = 14 * 24 * 3600
    sql_echo: bool = False
    live_queue_size: int = 1000  # frames waiting for one websocket before it is closed as too slow
    live_ping_seconds: float = 25.0  # heartbeat; a peer silent for 2.5 intervals is closed
    live_tick_seconds: float = 5.0  # the slow re-read that makes a lost wake-up cost latency only
    public_url: str = "http://127.0.0.1:8000"  # where people reach the site: every link in mail starts here
    smtp_url: str | None = None  # unset: mail is written to var/mail/ (server/mail/transport.py)
    mail_from: str = ""  # unset: "Improvement Commons <no-reply@{host of public_url}>"
    send_mail: bool = True  # SEND_MAIL=0: this process queues mail and leaves sending it to the others
    mail_tick_seconds: float = 30.0  # how often the notice mail and digests are looked at (server/mail/scheduler.py)
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.mail_from:
            object.__setattr__(self, "mail_from", f"Improvement Commons <no-reply@{self.public_host}>")

    @property
    def public_host(self) -> str:
        return urlsplit(self.public_url).hostname or "localhost"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        var_dir = Path(env.get("COMMONS_VAR_DIR", "var"))
        database_url = env.get("DATABASE_URL") or f"sqlite+aiosqlite:///{var_dir / 'commons.db'}"
        database_url = normalise_database_url(database_url)
        is_sqlite = database_url.startswith("sqlite")
        redis_url = env.get("REDIS_URL") or None
        default_bus: BusBackend = "redis" if redis_url else ("memory" if is_sqlite else "postgres")
        default_store: StoreBackend = "redis" if redis_url else ("file" if is_sqlite else "database")
        origins = tuple(o.strip().rstrip("/") for o in env.get("ALLOWED_ORIGINS", "").split(",") if o.strip())
        return cls(
            database_url=database_url,
            secret_key=env.get("SECRET_KEY") or development_secret(var_dir),
            var_dir=var_dir,
            allowed_origins=origins,
            bus=_choice("BUS_BACKEND", env.get("BUS_BACKEND"), ("memory", "postgres", "redis"), default_bus),  # type: ignore[arg-type]
            session_store=_choice(  # type: ignore[arg-type]
                "SESSION_STORE", env.get("SESSION_STORE"), ("memory", "file", "database", "redis"), default_store
            ),
            redis_url=redis_url,
            secure_cookies=env.get("SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
            debug=env.get("DEBUG", "").lower() in ("1", "true", "yes"),
            live_tick_seconds=_number("LIVE_TICK_SECONDS", env.get("LIVE_TICK_SECONDS"), 5.0),
            live_ping_seconds=_number("LIVE_PING_SECONDS", env.get("LIVE_PING_SECONDS"), 25.0),
            trusted_proxies=_networks("TRUSTED_PROXIES", env.get("TRUSTED_PROXIES")),
            public_url=_public_url(env.get("PUBLIC_URL")),
            smtp_url=_smtp_url(env.get("SMTP_URL")),
            mail_from=_mail_from(env.get("MAIL_FROM")),
            send_mail=env.get("SEND_MAIL", "1").lower() not in ("0", "false", "no", "off"),
            mail_tick_seconds=_number("MAIL_TICK_SECONDS", env.get("MAIL_TICK_SECONDS"), 30.0),
        )


def public_link(settings: Settings, path: str) -> str:
    """An absolute link to `path` on the site, as people reach it (PUBLIC_URL, which may end in a path)."""
    return f"{settings.public_url}/{path.lstrip('/')}"


def normalise_database_url(url: str) -> str:
    """Accept the URLs operators have (postgres://, postgresql://) and pick the async drivers."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    return url


def development_secret(var_dir: Path) -> str:
    """A secret generated once and kept under var/, so sessions survive restarts in development."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret)
    path.chmod(0o600)
    return secret


def _choice(name: str, value: str | None, allowed: tuple[str, ...], default: str) -> str:
    if not value:
        return default
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _number(name: str, value: str | None, default: float) -> float:
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {value!r}") from None
    if number <= 0:
        raise ValueError(f"{name} must be more than 0")
    return number


def _public_url(value: str | None) -> str:
    if not value:
        return "http://127.0.0.1:8000"
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"PUBLIC_URL must be the site's address with http:// or https:// and a host, not {value!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"PUBLIC_URL takes no ?query or #fragment, not {value!r}")
    return value.strip().rstrip("/")


def _smtp_url(value: str | None) -> str | None:
    if not value:
        return None
    smtp_url.parse(value)  # a ValueError naming SMTP_URL
    return value


def _mail_from(value: str | None) -> str:
    """An address, with or without a display name; empty: derived from PUBLIC_URL."""
    if not value:
        return ""
    _, address = parseaddr(value)
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        address = ""
    if "@" not in address:
        raise ValueError(
            f"MAIL_FROM must be an address like 'Improvement Commons <no-reply@example.org>', not {value!r}"
        )
    return value.strip()


def _networks(name: str, value: str | None) -> tuple[str, ...]:
    """Comma-separated addresses or networks (172.28.0.0/24); unset, loopback only. Never "*":
    trusting every peer would let any client name its own address past the sign-in limits."""
    entries = tuple(e.strip() for e in (value or "").split(",") if e.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry)  # an address is a network of one
        except ValueError:
            raise ValueError(
                f"{name} takes the proxies' IP addresses or networks, like 172.28.0.10 or 172.28.0.0/24, not {entry!r}"
            ) from None
    return entries or LOOPBACK
