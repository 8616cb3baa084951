"""Where mail goes: a parseable .eml under var/mail/ with no SMTP_URL; an SMTP server that asks for
AUTH gets the URL's user and password, decoded; over STARTTLS when the server offers it."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import ssl
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy.ext.asyncio import AsyncSession

from server.mail.sender import MailSender
from server.mail.smtp_url import parse
from server.mail.transport import FileTransport, SmtpTransport, build_transport
from tests.server.mail.conftest import PUBLIC_URL, SmtpServer, mail_settings, parts, queue_mail, rows

Maker = Callable[[], AsyncSession]


def authenticator(user: str, password: str) -> Callable[..., AuthResult]:
    def check(server: object, session: object, envelope: object, mechanism: str, auth_data: object) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            user.encode(),
            password.encode(),
        )
        return AuthResult(success=ok, handled=False)

    return check


async def test_without_smtp_url_mail_is_a_parseable_eml_under_var_mail(
    app_db: Maker, database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = mail_settings(database_url, tmp_path)
    transport = build_transport(settings)
    assert isinstance(transport, FileTransport)
    sender = MailSender(app_db, transport, sender=settings.mail_from)
    with caplog.at_level(logging.INFO, logger="commons.mail"):
        await sender.start()
        await sender.stop()
    assert [r.getMessage() for r in caplog.records if "mail:" in r.getMessage()] == [
        f"mail: written to files under {tmp_path / 'mail'}/ (SMTP_URL is not set)"
    ]
    (mail_id,) = await queue_mail(app_db, settings)

    assert await sender.drain() == 1

    files = sorted((tmp_path / "mail").iterdir())
    assert [f.name for f in files] == [f"{mail_id}-email_confirmation.eml"]
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    (row,) = await rows(app_db)
    assert message["Message-ID"] == row.message_id and row.state == "sent"
    assert message["To"] == "ada@example.org" and message["From"] == settings.mail_from
    assert f"{PUBLIC_URL}/confirm?token=t0" in parts(message)["text/plain"]
    assert "text/html" in parts(message)


async def test_auth_sends_the_url_s_decoded_user_and_password(app_db: Maker, database_url: str, tmp_path: Path) -> None:
    server = SmtpServer(authenticator=authenticator("mail+bot", "p@ss:w/rd"), auth_require_tls=False).start()
    try:
        settings = mail_settings(database_url, tmp_path)
        await queue_mail(app_db, settings)
        wrong = SmtpTransport(parse(server.url(credentials="mail%2Bbot:wrong@")), timeout=5)
        assert await MailSender(app_db, wrong, sender=settings.mail_from).drain() == 0
        (row,) = await rows(app_db)
        assert row.state == "queued" and row.last_error and "535" in row.last_error

        right = SmtpTransport(parse(server.url(credentials="mail%2Bbot:p%40ss%3Aw%2Frd@")), timeout=5)
        await right.send(row_message(row.message_id), name="x")
        assert [m["Message-ID"] for m in await server.collector.wait_for(1)] == [row.message_id]
    finally:
        server.stop()


def row_message(message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.org", "b@example.org", "Hello"
    message["Message-ID"] = message_id
    message.set_content("Hello")
    return message


def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made here (cryptography)."""
    x509 = pytest.importorskip(
        "cryptography.x509", reason="STARTTLS needs a certificate: cryptography is not installed"
    )
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


async def test_auth_over_starttls_when_the_server_requires_it(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    server = SmtpServer(
        tls_context=server_tls, require_starttls=True, authenticator=authenticator("mailer", "s3cret")
    ).start()
    try:
        client_tls = ssl.create_default_context(cafile=str(cert))
        for query in ("", "?starttls=required"):  # opportunistic (the default) takes what the server offers
            url = f"smtp://mailer:s3cret@127.0.0.1:{server.port}{query}"
            await SmtpTransport(parse(url), tls_context=client_tls, timeout=5).send(
                row_message(f"<{len(query)}@example.org>"), name="x"
            )
        received = await server.collector.wait_for(2)
        assert [m["Message-ID"] for m in received] == ["<0@example.org>", "<18@example.org>"]
        with pytest.raises(Exception, match=r"STARTTLS|530|Must issue"):  # refused in the clear
            await SmtpTransport(parse(server.url("?starttls=off", "mailer:s3cret@")), timeout=5).send(
                row_message("<off@example.org>"), name="x"
            )
        assert len(server.collector.received) == 2
    finally:
        server.stop()
