"""`commons insight export` as an operator runs it: the files written for a year, and a period or a
threshold it cannot use refused with nothing written (a real process, on each database)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import World
from tests.server.test_cli import commons


async def test_export_writes_each_table_and_the_schema(database_url: str, tmp_path: Path, world: World) -> None:
    slug, _, second = await world.two_members(practices=2)
    out = tmp_path / "out"
    year = _current_year()
    result = commons(
        database_url, tmp_path, "insight", "export", "--period", year, "--out", str(out), "--threshold", "2"
    )
    assert f"{year}: 9 files written" in result.stdout, result.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "adoption_reports.csv",
        "adoption_reports.json",
        "engagements.csv",
        "engagements.json",
        "practices.csv",
        "practices.json",
        "requests.csv",
        "requests.json",
        "schema.json",
    ]
    practices = json.loads((out / "practices.json").read_text())
    assert practices["threshold"] == 2 and practices["total"] == 2
    assert practices["rows"] == [
        {
            "network": slug,
            "theme": "none",
            "phase": "none",
            "evidence_strength": "none",
            "count": 2,
            "suppressed": False,
        }
    ]
    assert json.loads((out / "schema.json").read_text())["period"]["name"] == year
    assert second.person["email"] not in "".join(p.read_text() for p in out.iterdir())


async def test_a_bad_period_or_threshold_is_refused_with_status_2(database_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for args in (("--period", "2026-28"), ("--period", "2026-27", "--threshold", "0")):
        result = commons(database_url, tmp_path, "insight", "export", *args, "--out", str(out), check=False)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Nothing was written" in result.stderr
    assert not out.exists()


def _current_year() -> str:
    from network import clock
    from network.insight.periods import year_of

    return year_of(clock.now().date()).name
