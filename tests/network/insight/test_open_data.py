"""Open data: hand-counted figures on a small world, suppression below the threshold, the period's
boundaries, hidden networks unnamed, held back content uncounted, and nothing personal in any file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update

from network.enums import Visibility
from network.insight import open_data
from network.insight.periods import academic_year
from network.models import Network, Post
from tests.conftest import World

YEAR = academic_year("2026-27")


async def _dated(world: World, post_id: int, when: datetime) -> None:
    async with world.db() as session:
        await session.execute(update(Post).where(Post.id == post_id).values(created_at=when))
        await session.commit()


async def test_counts_by_category_within_the_period_only(world: World) -> None:
    slug, first, second = await world.two_members()
    inside = datetime(2026, 9, 1, 0, 0, tzinfo=UTC)
    before = datetime(2026, 8, 31, 23, 59, tzinfo=UTC)
    last = datetime(2027, 8, 31, 23, 59, tzinfo=UTC)
    fields = {"themes": ["reading"], "phases": ["primary", "secondary"], "evidence_strength": "comparison"}
    for when in (inside, inside, last, before):
        post = await world.practice(second, slug, **fields)
        await _dated(world, post["id"], when)
    removed = await world.practice(second, slug, **fields)
    await _dated(world, removed["id"], inside)
    await world.set_post(removed["id"], "state = 'removed'")
    hidden = await world.practice(second, slug, **fields)
    await _dated(world, hidden["id"], inside)
    await world.set_post(hidden["id"], "state = 'hidden'")
    bare = await world.practice(first, slug)
    await _dated(world, bare["id"], inside)
    request = await world.request(first, slug, support_type="visit", urgency="low")
    await _dated(world, request["id"], inside)

    async with world.db() as session:
        exact = await open_data.tables(session, YEAR)
    assert exact["practices"] == [
        {"network": slug, "theme": "none", "phase": "none", "evidence_strength": "none", "count": 1},
        {"network": slug, "theme": "reading", "phase": "primary", "evidence_strength": "comparison", "count": 3},
        {"network": slug, "theme": "reading", "phase": "secondary", "evidence_strength": "comparison", "count": 3},
    ]
    assert exact["requests"] == [
        {"network": slug, "support_type": "visit", "status": "open", "with_engagement": False, "count": 1}
    ]
    assert exact["engagements"] == [] and exact["adoption_reports"] == []

    # the year before holds only the practice of 31 August
    async with world.db() as session:
        earlier = await open_data.tables(session, academic_year("2025-26"))
    assert [row["count"] for row in earlier["practices"]] == [1, 1]


async def test_a_hidden_network_is_counted_without_its_name(world: World) -> None:
    slug, _, second = await world.two_members()
    post = await world.practice(second, slug, themes=["maths"])
    await _dated(world, post["id"], datetime(2027, 1, 10, tzinfo=UTC))
    async with world.db() as session:
        await session.execute(update(Network).where(Network.slug == slug).values(visibility=Visibility.HIDDEN))
        await session.commit()
    async with world.db() as session:
        exact = await open_data.tables(session, YEAR)
    assert [row["network"] for row in exact["practices"]] == [open_data.HIDDEN_NETWORK]
    written = b"".join(open_data.files(exact, YEAR).values()).decode()
    assert slug not in written


def test_counts_below_the_threshold_are_withheld_and_a_total_that_would_reveal_one_is_not_published() -> None:
    rows = [{"network": "n", "count": 4}, {"network": "n", "count": 5}, {"network": "n", "count": 9}]
    assert open_data.suppress(rows) == [
        {"network": "n", "count": None, "suppressed": True},
        {"network": "n", "count": 5, "suppressed": False},
        {"network": "n", "count": 9, "suppressed": False},
    ]
    assert open_data.total(rows) is None  # 18 less 14 shown would give the 4 away
    assert open_data.total([*rows, {"network": "n", "count": 2}]) == 20  # 4 + 2 cannot be told apart
    assert open_data.total([{"network": "n", "count": 4}]) is None
    assert open_data.total([{"network": "n", "count": 6}]) == 6
    assert open_data.suppress(rows, threshold=10)[2] == {"network": "n", "count": None, "suppressed": True}
    tagged = [
        {"network": "n", "theme": "wellbeing", "count": 7},
        {"network": "n", "theme": "saltmarsh oracy", "count": 2},
    ]
    assert open_data.suppress(tagged) == [  # a rare tag typed by one trust is not published by its row
        {"network": "n", "theme": "wellbeing", "count": 7, "suppressed": False},
        {"network": "n", "theme": "other", "count": None, "suppressed": True},
    ]


async def test_no_file_holds_anything_personal_or_free_text(world: World) -> None:
    lead = await world.person(org="Bramblewood Learning Trust", name="Priya Quartermaine")
    slug = await world.network(lead)
    author = await world.member(slug, org="Thistledown Academies", name="Oswin Fairweather")
    for _ in range(6):
        post = await world.practice(
            author, slug, title="Zebra crossing phonics", body="Unmistakable body text", themes=["reading"]
        )
        await _dated(world, post["id"], datetime(2026, 10, 1, tzinfo=UTC))
    async with world.db() as session:
        exact = await open_data.tables(session, YEAR)
    written = open_data.files(exact, YEAR)
    assert sorted(written) == sorted(
        ["schema.json"] + [f"{t.name}.{ext}" for t in open_data.TABLES for ext in ("csv", "json")]
    )
    everything = b"".join(written.values()).decode()
    for personal in (
        "Priya",
        "Quartermaine",
        "Oswin",
        "Fairweather",
        "Bramblewood",
        "Thistledown",
        "@example.org",
        "Zebra",
        "Unmistakable",
    ):
        assert personal not in everything
    practices = json.loads(written["practices.json"])
    assert practices["total"] == 6 and practices["rows"][0]["count"] == 6
    assert written["practices.csv"].decode().splitlines()[1] == f"{slug},reading,none,none,6,false"
    assert json.loads(written["schema.json"])["threshold"] == open_data.THRESHOLD


def test_the_documented_schema_is_the_one_the_code_writes() -> None:
    document = (Path(__file__).resolve().parents[3] / "docs" / "open-data.md").read_text()
    for table in open_data.TABLES:
        assert f"### {table.name}\n\n{table.meaning}\n" in document
        for column in (*table.dimensions, open_data.COUNT, open_data.SUPPRESSED):
            assert f"| `{column.name}` | {column.type} | {column.meaning} |" in document, column.name
    for item in open_data.LEFT_OUT:
        assert f"- {item}" in document
