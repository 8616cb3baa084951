"""`commons insight export`: a period's open data for research, written to a folder (docs/open-data.md)."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.ext.asyncio import AsyncSession

from network.errors import Invalid
from network.insight import open_data
from network.insight.periods import academic_year
from server.settings import Settings

REFUSED = 2  # a period that is not an academic year, or a threshold below 1 (nothing written)


@click.group("insight")
def insight() -> None:
    """Insight: aggregate counts of what was shared, never a score, rank or grade."""


@insight.command("export")
@click.option("--period", required=True, help="An academic year, as 2026-27.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("open-data"))
@click.option("--threshold", type=int, default=open_data.THRESHOLD, show_default=True)
@click.pass_obj
def export_command(settings: Settings, period: str, out: Path, threshold: int) -> None:
    """Write one CSV and one JSON file per table, and schema.json, for the period's aggregate counts
    (counts below the threshold withheld)."""
    from server.cli import _run_in_session  # on use: server.cli imports this module

    try:
        year = academic_year(period)
    except Invalid as exc:
        click.echo(f"Refused: {exc.message} Nothing was written.", err=True)
        raise SystemExit(REFUSED) from exc
    if threshold < 1:
        click.echo("Refused: the threshold is at least 1. Nothing was written.", err=True)
        raise SystemExit(REFUSED)

    async def work(session: AsyncSession) -> dict[str, list[open_data.Row]]:
        return await open_data.tables(session, year)

    written = open_data.files(_run_in_session(settings, work), year, threshold)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in written.items():
        (out / name).write_bytes(content)
    click.echo(f"{year.name}: {len(written)} files written to {out} (threshold {threshold}).")
