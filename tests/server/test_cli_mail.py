"""`commons mail` as an operator runs it: send-test queues through the same path as all mail and
sends it at once (with no server running), `list` and `show` read the queue back."""

from __future__ import annotations

import os
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

from tests.server.mail.conftest import PUBLIC_URL, SmtpServer


def commons(database_url: str, var_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "COMMONS_VAR_DIR": str(var_dir),
        "SECRET_KEY": "x" * 40,
        "PUBLIC_URL": PUBLIC_URL,
    }
    for name in ("REDIS_URL", "SMTP_URL", "MAIL_FROM"):
        environment.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result


def test_send_test_in_file_mode_writes_the_message_and_list_and_show_read_it(database_url: str, tmp_path: Path) -> None:
    sent = commons(database_url, tmp_path, "mail", "send-test", "ops@example.org")
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.strip() == "Sent test message 1 to ops@example.org."
    eml = tmp_path / "mail" / "1-test.eml"
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["To"] == "ops@example.org"
    assert message["From"] == "Improvement Commons <no-reply@commons.example.org>"

    listed = commons(database_url, tmp_path, "mail", "list")
    assert listed.returncode == 0, listed.stderr
    (line,) = listed.stdout.splitlines()
    assert line.split()[0] == "1"
    assert "test" in line and "ops@example.org" in line and "sent (1 attempt)" in line
    assert "Improvement Commons: a test message" in line

    shown = commons(database_url, tmp_path, "mail", "show", "1")
    assert shown.returncode == 0, shown.stderr
    assert f"Message-ID: {message['Message-ID']}" in shown.stdout
    assert "Subject: Improvement Commons: a test message" in shown.stdout
    assert "Auto-Submitted: auto-generated" in shown.stdout
    assert "State: sent, 1 attempt(s)" in shown.stdout
    assert f"File: {eml}" in shown.stdout
    assert f"{PUBLIC_URL}/" in shown.stdout.split("\n\n", 1)[1]  # the text part, after the headers

    missing = commons(database_url, tmp_path, "mail", "show", "99")
    assert missing.returncode != 0 and "No mail 99" in missing.stderr


def test_send_test_over_smtp_and_a_server_that_is_down(database_url: str, tmp_path: Path) -> None:
    server = SmtpServer().start()
    try:
        sent = commons(database_url, tmp_path, "mail", "send-test", "ops@example.org", SMTP_URL=server.url())
        assert sent.returncode == 0, sent.stderr
        assert sent.stdout.strip() == "Sent test message 1 to ops@example.org."
        (message,) = server.collector.messages
        assert message["To"] == "ops@example.org" and message["Subject"] == "Improvement Commons: a test message"
    finally:
        server.stop()

    down = SmtpServer()  # nothing listens on its port
    failed = commons(database_url, tmp_path, "mail", "send-test", "ops@example.org", SMTP_URL=down.url())
    assert failed.returncode == 0, failed.stderr
    assert failed.stdout.startswith("Test message 2 to ops@example.org is queued: ")
    listed = commons(database_url, tmp_path, "mail", "list", SMTP_URL=down.url()).stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["2", "1"]  # newest first
    assert "queued (1 attempt)" in listed[0] and "sent (1 attempt)" in listed[1]
    assert not (tmp_path / "mail").exists()  # nothing written to files while SMTP_URL is set
