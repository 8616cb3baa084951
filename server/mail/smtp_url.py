"""`SMTP_URL`, read once: where the SMTP server is and how to talk to it.

`smtp://user:pass@host:port?starttls=required|opportunistic|off` (STARTTLS when the server offers it,
by default) or `smtps://…` (TLS from the first byte). The user and password are URL-decoded, so a
password may hold any character as its %-escape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

StartTls = Literal["required", "opportunistic", "off"]
_STARTTLS: tuple[StartTls, ...] = ("required", "opportunistic", "off")


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    implicit_tls: bool
    starttls: StartTls
    username: str | None
    password: str | None

    def __repr__(self) -> str:  # never the password
        who = f"{self.username}@" if self.username else ""
        scheme = "smtps" if self.implicit_tls else "smtp"
        return f"{scheme}://{who}{self.host}:{self.port} (STARTTLS {self.starttls})"


def parse(url: str) -> SmtpTarget:
    """The target `url` names; a ValueError naming SMTP_URL if it is not one."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(
            f"SMTP_URL must start with smtp:// or smtps://, not {parts.scheme + '://' if parts.scheme else url!r}"
        )
    try:
        port = parts.port
    except ValueError:
        raise ValueError("SMTP_URL has a port that is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise ValueError("SMTP_URL names no host (smtp://user:password@host:port)")
    query = parse_qs(parts.query)
    unknown = sorted(set(query) - {"starttls"})
    if unknown:
        raise ValueError(f"SMTP_URL takes only ?starttls=…, not {', '.join(unknown)}")
    starttls = query.get("starttls", ["opportunistic"])[-1]
    if starttls not in _STARTTLS:
        raise ValueError(f"SMTP_URL's starttls must be one of {', '.join(_STARTTLS)}, not {starttls!r}")
    implicit = parts.scheme == "smtps"
    if implicit and "starttls" in query and starttls != "off":
        raise ValueError("SMTP_URL: smtps:// is TLS from the start; leave out ?starttls=")
    return SmtpTarget(
        host=parts.hostname,
        port=port or (465 if implicit else 587),
        implicit_tls=implicit,
        starttls="off" if implicit else starttls,  # type: ignore[arg-type]
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )
