"""`commons mail` as an operator runs it: send-test queues through the same path as all mail and
sends it at once (with no server running), `list` and `show` read the queue back."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

from tests.conftest import World
from tests.server.mail.conftest import PUBLIC_URL, SmtpServer


def environment(database_url: str, var_dir: Path) -> dict[str, str]:
    """The command's settings: this test's database and var directory, no SMTP server or Redis."""
    values = os.environ | {
        "DATABASE_URL": database_url,
        "COMMONS_VAR_DIR": str(var_dir),
        "SECRET_KEY": "x" * 40,
        "PUBLIC_URL": PUBLIC_URL,
    }
    for name in ("REDIS_URL", "SMTP_URL", "MAIL_FROM"):
        values.pop(name, None)
    return values


def commons(database_url: str, var_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=environment(database_url, var_dir) | env,
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


async def test_digests_now_run_by_two_processes_at_once_give_each_person_one(
    world: World, database_url: str, tmp_path: Path
) -> None:
    """Two `commons mail digests --now` started together (a cron entry on two hosts): one digest each."""
    slug, _, author = await world.two_members()
    readers = [await world.member(slug) for _ in range(5)]
    await world.request(author, slug, title="Help with transition to Year 7")
    runs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "server.cli",
            "mail",
            "digests",
            "--now",
            "--frequency",
            "weekly",
            env=environment(database_url, tmp_path),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [await asyncio.wait_for(run.communicate(), 120) for run in runs]
    assert all(run.returncode == 0 for run in runs), [err.decode() for _, err in outputs]
    said = " ".join(out.decode() for out, _ in outputs)
    assert "digests queued" in said
    for reader in readers:
        assert await world.count("outbound_mail", f"person_id = {reader.id} AND kind = 'digest.weekly'") == 1
    written = sorted(p.name for p in (tmp_path / "mail").glob("*-digest.weekly.eml"))
    assert len(written) == await world.count("outbound_mail", "kind = 'digest.weekly'") >= len(readers)

    again = commons(database_url, tmp_path, "mail", "digests", "--now", "--frequency", "weekly")
    assert again.returncode == 0, again.stderr
    assert "already built" in again.stdout
