"""`commons organisations`: load organisations from the register, and add one as a platform operator.

Both run on the command line, which only the platform's operators reach, so both act as a platform admin
would (a regulator or government organisation may be added here). Each commits through the unit of work
in one transaction, as the other commands do.
"""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network.enums import OrgKind, Region
from network.inputs import NewOrganisationInput
from network.models import Person
from network.people import organisations as organisation_service
from network.people import register
from server.settings import Settings

REFUSED = 2  # the exit status of a file that is not the extract (nothing written)


@click.group("organisations")
def organisations() -> None:
    """Organisations: the register's groups, and those a platform operator adds."""


@organisations.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def import_command(settings: Settings, file: Path) -> None:
    """Load or update organisations from the register's groups extract (a CSV from Get Information about
    Schools). Rows it cannot read are listed and skipped; the rest are written together."""
    from server.cli import _run_in_session  # on use: server.cli imports this module

    try:
        extract = register.parse_extract(register.decode(file.read_bytes()))
    except register.NotAnExtract as exc:
        click.echo(f"Refused: {exc.message} Nothing was written.", err=True)
        raise SystemExit(REFUSED) from exc

    async def work(session: AsyncSession) -> register.ImportReport:
        return await register.apply_extract(session, extract)

    report = _run_in_session(settings, work)
    click.echo(f"{file.name}: {report.summary()}.")
    for line, why in report.skipped:
        click.echo(f"  line {line}: {why}")


@organisations.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice([k.value for k in OrgKind]), required=True)
@click.option("--region", type=click.Choice([r.value for r in Region]))
@click.option("--domain", "domains", multiple=True, help="A verified email domain (repeatable).")
@click.pass_obj
def add_command(settings: Settings, name: str, kind: str, region: str | None, domains: tuple[str, ...]) -> None:
    """Add an organisation of any kind (regulators and government are added only so)."""
    from server.cli import _convert, _run_in_session  # on use: server.cli imports this module

    data = _convert(NewOrganisationInput, {"name": name, "kind": kind, "region": region, "domains": list(domains)})

    async def work(session: AsyncSession) -> tuple[int, str]:
        org = await organisation_service.create_organisation(session, await _operator(session), data)
        return org.id, org.name

    org_id, org_name = _run_in_session(settings, work)
    click.echo(f"Added organisation {org_id}: {org_name}")


async def _operator(session: AsyncSession) -> Person:
    """The command line acts as a platform admin: the first one when there is one (domains record who added
    them), else an unsaved stand-in, so a new platform can be given its organisations before any account."""
    found = await session.execute(select(Person).where(Person.is_admin.is_(True)).order_by(Person.id).limit(1))
    admin = found.scalar_one_or_none()
    if admin is not None:
        return admin
    return Person(email="", display_name="platform operator", password_hash="", is_admin=True)
