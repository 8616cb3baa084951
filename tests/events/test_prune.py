"""Retention keeps each network's newest events and drops the rest past the cut-off."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from events.prune import prune_events
from network import clock
from tests.conftest import World
from tests.server.test_cli import commons


async def _age_everything(world: World, days: int) -> None:
    async with world.db() as session:
        old = clock.now() - timedelta(days=days)
        await session.execute(text("UPDATE events SET created_at = :t"), {"t": old})
        await session.execute(text("UPDATE notifications SET created_at = :t, read_at = :t"), {"t": old})
        await session.commit()


async def test_prune_keeps_the_newest_per_network(world: World) -> None:
    lead = await world.person()
    busy = await world.network(lead)
    quiet = await world.network(lead)
    for i in range(6):
        await world.practice(lead, busy, title=f"busy {i}")
    await world.practice(lead, quiet, title="only one")
    await _age_everything(world, 40)
    await world.practice(lead, busy, title="fresh")  # newer than the cut-off: always kept

    async with world.db() as session:
        deleted = await prune_events(session, older_than=clock.now() - timedelta(days=30), keep_per_network=3)
        await session.commit()
    async with world.db() as session:
        rows = await session.execute(
            text("SELECT n.slug, e.seq FROM events e JOIN networks n ON n.id = e.network_id ORDER BY n.slug, e.seq")
        )
        kept: dict[str, list[int]] = {}
        for slug, seq in rows.all():
            kept.setdefault(slug, []).append(seq)
        heads = dict((await session.execute(text("SELECT slug, event_seq FROM networks"))).all())
    assert deleted > 0
    # the newest three survive whatever their age, plus anything younger than the cut-off
    assert kept[busy] == list(range(heads[busy] - 2, heads[busy] + 1))
    assert kept[quiet] == list(range(heads[quiet] - 2, heads[quiet] + 1))


async def test_prune_command_reports_and_old_read_notifications_go(
    database_url: str, tmp_path: Path, world: World
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    for i in range(4):
        await world.practice(lead, slug, title=f"post {i}")
    await _age_everything(world, 60)
    before = await world.count("events")
    result = commons(database_url, tmp_path, "events", "prune", "--older-than", "30d", "--keep", "2")
    assert "Pruned" in result.stdout
    assert await world.count("events") == 2 < before
    assert await world.count("notifications") == 0

    bad = commons(database_url, tmp_path, "events", "prune", "--older-than", "a while", check=False)
    assert bad.returncode == 2
    assert "--older-than" in bad.stderr
