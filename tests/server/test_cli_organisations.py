"""`commons organisations` as an operator runs it: the register's extract imported, reported and refused,
and an organisation of any kind added (a real process, on each database)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import World
from tests.server.test_cli import commons

SAMPLE = Path(__file__).resolve().parents[2] / "server" / "data" / "gias_groups_sample.csv"


async def test_import_reports_what_it_did_and_a_second_run_changes_nothing(
    database_url: str, tmp_path: Path, world: World
) -> None:
    first = commons(database_url, tmp_path, "organisations", "import", str(SAMPLE))
    assert "14 added, 0 updated, 0 unchanged, 1 closed, 0 skipped" in first.stdout
    assert await world.count("organisations") == 14
    assert await world.count("organisations", "status = 'closed' AND closed_on IS NOT NULL") == 1

    again = commons(database_url, tmp_path, "organisations", "import", str(SAMPLE))
    assert "0 added, 0 updated, 14 unchanged, 0 closed, 0 skipped" in again.stdout
    assert await world.count("organisations") == 14


async def test_import_lists_skipped_rows_and_exits_0(database_url: str, tmp_path: Path, world: World) -> None:
    file = tmp_path / "groups.csv"
    file.write_text(
        "Group UID,Group Name,Group Type,Group Status\n"
        "501,Northfold Trust,Multi-academy trust,Open\n"
        "502,Southfold Trust,Academy chain,Open\n"
    )
    result = commons(database_url, tmp_path, "organisations", "import", str(file))
    assert "1 added, 0 updated, 0 unchanged, 0 closed, 1 skipped" in result.stdout
    assert "line 3: unknown Group Type 'Academy chain'" in result.stdout
    assert await world.count("organisations") == 1


async def test_a_file_that_is_not_the_extract_is_refused_with_status_2(
    database_url: str, tmp_path: Path, world: World
) -> None:
    file = tmp_path / "people.csv"
    file.write_text("name,email\nAda,ada@example.org\n")
    result = commons(database_url, tmp_path, "organisations", "import", str(file), check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "not the register's groups extract" in result.stderr and "Nothing was written" in result.stderr
    assert await world.count("organisations") == 0


async def test_add_creates_an_organisation_of_any_kind_with_its_domains(
    database_url: str, tmp_path: Path, world: World
) -> None:
    added = commons(
        database_url,
        tmp_path,
        *("organisations", "add", "Schools Inspection Office", "--kind", "regulator", "--region", "london"),
        *("--domain", "inspection.example.gov.uk", "--domain", "@Inspectorate.example.gov.uk"),
    )
    assert "Added organisation" in added.stdout and "Schools Inspection Office" in added.stdout
    assert await world.count("organisations", "kind = 'regulator' AND region = 'london'") == 1
    assert await world.count("organisation_domains") == 2

    public = commons(
        database_url,
        tmp_path,
        *("organisations", "add", "Gmail Trust", "--kind", "federation", "--domain", "gmail.com"),
        check=False,
    )
    assert public.returncode == 1
    assert "public mail provider" in public.stderr
    clash = commons(
        database_url,
        tmp_path,
        *("organisations", "add", "Second Office", "--kind", "government", "--domain", "inspection.example.gov.uk"),
        check=False,
    )
    assert clash.returncode == 1
    assert "Schools Inspection Office" in clash.stderr
    assert await world.count("organisations") == 1
    assert await world.count("organisation_domains") == 2
