"""The `commons` command as an operator runs it: a real process, on each database."""

from __future__ import annotations

import contextlib
import inspect
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from server.cli import WEBSOCKET_PROTOCOL
from tests.conftest import PASSWORD, LiveServer, World, free_port, problem

ADMIN = "steward@example.org"


def commons(
    database_url: str, var_dir: Path, *args: str, check: bool = True, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"DATABASE_URL": database_url, "COMMONS_VAR_DIR": str(var_dir), "SECRET_KEY": "x" * 40}
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def create_admin(database_url: str, var_dir: Path) -> None:
    commons(
        database_url,
        var_dir,
        *("user", "create", ADMIN, "--name", "Sam Steward", "--organisation", "Commons Stewards"),
        *("--org-kind", "other_group", "--password", "a long enough password", "--admin"),
    )


async def test_user_and_network_create(database_url: str, tmp_path: Path, world: World) -> None:
    create_admin(database_url, tmp_path)
    result = commons(
        database_url,
        tmp_path,
        *("user", "create", "lead@example.org", "--name", "Lee Lead", "--organisation", "Fenwick Trust"),
        *("--org-kind", "multi_academy_trust", "--password", "a long enough password"),
    )
    assert "lead@example.org" in result.stdout
    assert await world.count("people", "is_admin") == 1

    created = commons(
        database_url,
        tmp_path,
        *("network", "create", "maths-hubs", "--name", "Maths hubs", "--kind", "thematic"),
        *("--lead-email", "lead@example.org", "--admin-email", ADMIN),
    )
    assert "maths-hubs" in created.stdout
    assert await world.count("memberships", "role = 'lead' AND state = 'active'") == 1

    # An operator can sign in with what the CLI created.
    client = world.client()
    credentials = {"email": "lead@example.org", "password": "a long enough password"}
    signed_in = await client.post("/auth/login", json=credentials)
    assert signed_in.status_code == 200
    assert (await client.get("/networks/maths-hubs")).json()["name"] == "Maths hubs"


async def test_cli_refusals_say_why_and_write_nothing(database_url: str, tmp_path: Path, world: World) -> None:
    create_admin(database_url, tmp_path)
    duplicate = commons(
        database_url,
        tmp_path,
        *("user", "create", ADMIN.upper(), "--name", "Again", "--organisation", "Commons Stewards"),
        *("--org-kind", "other_group", "--password", "a long enough password"),
        check=False,
    )
    assert duplicate.returncode != 0
    assert "already" in duplicate.stderr.lower()

    not_admin = commons(
        database_url,
        tmp_path,
        *("network", "create", "reading", "--name", "Reading", "--kind", "thematic"),
        *("--lead-email", ADMIN, "--admin-email", "nobody@example.org"),
        check=False,
    )
    assert not_admin.returncode != 0
    assert "not a platform admin" in not_admin.stderr

    bad_kind = commons(
        database_url,
        tmp_path,
        *("network", "create", "reading", "--name", "Reading", "--kind", "galaxy"),
        *("--lead-email", ADMIN, "--admin-email", ADMIN),
        check=False,
    )
    assert bad_kind.returncode == 2
    assert "galaxy" in bad_kind.stderr

    assert await world.count("people") == 1
    assert await world.count("networks") == 0


async def test_demo_seeds_once_and_prints_sign_ins(database_url: str, tmp_path: Path, world: World) -> None:
    first = commons(database_url, tmp_path, "demo", timeout=300)
    assert "Demo data loaded" in first.stdout
    for email in ("admin@example.org", "demo@example.org", "helen.marsh@example.org"):
        assert email in first.stdout
    posts = await world.count("posts")
    networks = await world.count("networks")
    assert posts >= 55
    assert networks >= 14
    # the demo's trusts and federations carry the register sample's identifiers; two have verified domains
    trusts = "kind IN ('multi_academy_trust', 'single_academy_trust', 'federation')"
    assert await world.count("organisations", f"{trusts} AND gias_group_uid IS NULL") == 0
    assert await world.count("organisations", "kind IN ('regulator', 'government') AND gias_group_uid IS NULL") == 2
    assert await world.count("organisations", "status = 'closed'") == 1
    assert await world.count("organisation_domains", "domain LIKE '%.example.org.uk'") == 2
    # approvers, and one person waiting for theirs: told by notification and mail (`commons mail list`)
    assert await world.count("organisation_approvers") == 4
    assert await world.count("people", "affiliation = 'waiting' AND email = 'jo.waite@example.org'") == 1
    assert await world.count("people", "affiliation <> 'verified'") == 1
    assert await world.count("notifications", "kind = 'affiliation.requested'") == 2
    # one practice tried by five organisations, four of them reported (its author told of each report)
    assert await world.count("adoptions", "state = 'visible'") == 5
    assert await world.count("adoptions", "reported_at IS NOT NULL") == 4
    assert await world.count("notifications", "kind = 'adoption.reported'") == 4
    listed = commons(database_url, tmp_path, "mail", "list").stdout
    assert listed.count("Jo Waite asks to act for Brightwater Learning Partnership") == 2

    # two active engagements, and one closed with both outcomes, its request closed, the change lasted
    # on both sides and one outcome shared as a practice (docs/design.md §3.12)
    assert await world.count("engagements", "state = 'active'") == 2
    closed = "engagement_id IN (SELECT id FROM engagements WHERE state = 'closed' AND closed_as = 'completed')"
    assert await world.count("engagements", "state = 'closed' AND closed_as = 'completed'") == 1
    # requests closed by hand before a plan was needed: their engagements stopped before they began
    assert (
        await world.count(
            "engagements", "state = 'proposed' AND request_id IN (SELECT id FROM posts WHERE status = 'closed')"
        )
        == 0
    )
    assert await world.count("engagement_outcomes", closed) == 2
    assert await world.count("engagement_follow_ups", f"{closed} AND lasted = 'yes'") == 2
    assert await world.count("engagement_outcomes", f"{closed} AND practice_id IS NOT NULL") == 1
    assert (
        await world.count(
            "posts", "status = 'closed' AND id IN (SELECT request_id FROM engagements WHERE closed_as = 'completed')"
        )
        == 1
    )
    assert (
        await world.count("engagement_messages", "engagement_id IN (SELECT id FROM engagements WHERE state = 'active')")
        >= 4
    )
    assert (
        await world.count(
            "engagement_check_ins", "engagement_id IN (SELECT id FROM engagements WHERE state = 'active')"
        )
        >= 2
    )

    again = commons(database_url, tmp_path, "demo", timeout=300)
    assert "not loaded again" in again.stdout
    assert await world.count("posts") == posts
    assert await world.count("networks") == networks


def test_serve_answers_health_and_stops_on_interrupt(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}"
    commons(url, tmp_path, "migrate")
    port = free_port()
    env = os.environ | {"DATABASE_URL": url, "COMMONS_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("server did not start")
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.json()["database"] == "ok"
        for _ in range(2):  # sockets (refused, unauthenticated): the first says which way live frames go
            with contextlib.suppress(WebSocketException), connect(f"ws://127.0.0.1:{port}/ws", open_timeout=5) as ws:
                ws.recv(timeout=5)
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, out
    # Each path logged once, at INFO: the database's at start-up, the live frames' at the first socket.
    assert out.count("database: SQLite through aiosqlite, one trip to its thread per statement") == 1, out
    assert out.count("live delivery: direct writes through uvicorn's websockets-sansio protocol") == 1, out
    # With SECRET_KEY unset, a development secret was generated and kept for the next start.
    secret = (tmp_path / "secret_key").read_text()
    assert len(secret) >= 32
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_serve_runs_the_websocket_protocol_the_tests_run() -> None:
    """The live tests' servers and `commons serve` choose the same uvicorn websocket protocol, so the path
    the tests cover (direct writes, server/live/direct.py) is the one that serves."""
    assert inspect.signature(LiveServer).parameters["ws"].default == WEBSOCKET_PROTOCOL == "websockets-sansio"


def test_several_workers_need_postgresql(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}"
    result = commons(url, tmp_path, "serve", "--workers", "2", check=False)
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


async def test_user_disable_ends_sessions_and_enable_lets_them_sign_in(
    database_url: str, tmp_path: Path, world: World
) -> None:
    person = await world.person()
    email = person.person["email"] if person.person else ""
    result = commons(database_url, tmp_path, "user", "disable", email)
    assert f"Disabled {email}" in result.stdout
    problem(await person.get("/me"), 401)
    commons(database_url, tmp_path, "user", "enable", email)
    problem(await person.get("/me"), 401)  # no session from before comes back
    signed_in = await world.client().post("/auth/login", json={"email": email, "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    missing = commons(database_url, tmp_path, "user", "disable", "nobody@example.org", check=False)
    assert missing.returncode != 0
    assert "No account with the email nobody@example.org" in missing.stderr
