"""Where mail goes: an SMTP server (`SMTP_URL`), or files under var/mail/ when none is set.

The embedded default needs no mail server: each message is written as `var/mail/<id>-<kind>.eml`,
which any mail client opens. With `SMTP_URL` messages are sent with aiosmtplib: STARTTLS when the
server offers it (or required, or off: `?starttls=`), TLS from the start with `smtps://`, and
AUTH when the URL names a user.
"""

from __future__ import annotations

import asyncio
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import aiosmtplib

from server.mail import smtp_url
from server.settings import Settings

SMTP_TIMEOUT = 30.0  # seconds for each step of talking to the server; a sender's lease outlasts a batch of them


class PermanentFailure(Exception):
    """The server refused the message for good (a 5xx reply to the recipient): sending again will not help."""


class Transport(Protocol):
    def describe(self) -> str:
        """Where mail goes, for the start-up log."""
        ...

    async def send(self, message: EmailMessage, *, name: str) -> None:
        """Deliver `message` (`name`: "<id>-<kind>"), or raise."""
        ...


class FileTransport:
    """Writes each message to `<directory>/<name>.eml`: nothing leaves the machine."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def describe(self) -> str:
        return f"written to files under {self.directory}/ (SMTP_URL is not set)"

    def path(self, name: str) -> Path:
        return self.directory / f"{name}.eml"

    async def send(self, message: EmailMessage, *, name: str) -> None:
        await asyncio.to_thread(self._write, message.as_bytes(), self.path(name))

    def _write(self, data: bytes, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".eml.partial")
        partial.write_bytes(data)
        partial.replace(path)  # a reader never sees half a message


class SmtpTransport:
    """Sends through the SMTP server `target` names; `tls_context` (default: the system's trusted
    certificates) checks the server's certificate."""

    def __init__(
        self, target: smtp_url.SmtpTarget, *, tls_context: ssl.SSLContext | None = None, timeout: float = SMTP_TIMEOUT
    ) -> None:
        self.target = target
        self._tls = tls_context
        self._timeout = timeout

    def describe(self) -> str:
        return f"sent through {self.target!r}"

    async def send(self, message: EmailMessage, *, name: str) -> None:
        target = self.target
        start_tls = {"required": True, "opportunistic": None, "off": False}[target.starttls]
        try:
            await aiosmtplib.send(
                message,
                hostname=target.host,
                port=target.port,
                username=target.username,
                password=target.password,
                use_tls=target.implicit_tls,
                start_tls=start_tls,
                tls_context=self._tls,
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            if all(refused.code >= 500 for refused in exc.recipients):
                raise PermanentFailure(str(exc)) from exc
            raise


def build_transport(settings: Settings) -> Transport:
    """SMTP when SMTP_URL is set, files under var/mail/ otherwise."""
    if settings.smtp_url:
        return SmtpTransport(smtp_url.parse(settings.smtp_url))
    return FileTransport(mail_directory(settings))


def mail_directory(settings: Settings) -> Path:
    return settings.var_dir / "mail"


def file_name(mail_id: int, kind: str) -> str:
    return f"{mail_id}-{kind}"
