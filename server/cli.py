"""`commons`: serve, migrate, seed the demo, and administer accounts and networks."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

import click
import msgspec
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from network.enums import JoinPolicy, NetworkKind, OrgKind, Region, Visibility
from network.errors import DomainError, NotFound
from network.inputs import NetworkInput, RegisterInput
from network.people import accounts, networks
from server import db, migrate
from server.bus import build_bus
from server.cli_insight import insight
from server.cli_mail import mail as mail_commands
from server.cli_organisations import organisations
from server.settings import Settings
from server.unit_of_work import UnitOfWork

T = TypeVar("T")
BUS_DRAIN_SECONDS = 5.0  # how long a command waits for its wake-ups to go out before it stops

# Also what the tests' live servers use. No permessage-deflate: its zlib contexts cost ~39 KB per
# browser socket, and a frame compressed per socket cannot be framed once for a whole network. No
# protocol pings from uvicorn (a timer per socket): the hub's heartbeat pings every socket already.
WEBSOCKET_OPTIONS: dict[str, Any] = {
    "ws_max_size": 64 * 1024,
    "ws_per_message_deflate": False,
    "ws_ping_interval": None,
}
# uvicorn's websocket protocol, chosen rather than left to uvicorn's "auto": the one the tests' live
# servers run (tests/conftest.py `LiveServer`), and the one server/live/direct.py writes frames
# through. uvicorn's "auto" picks it today, but what runs should not depend on what uvicorn's
# default becomes. The fallback (every frame through ASGI) is tested under "wsproto".
WEBSOCKET_PROTOCOL = "websockets-sansio"


def _run_in_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one writing transaction, committed through the unit of work: the wake-ups it
    leaves go out on the bus at once (on PostgreSQL or Redis; the embedded in-process bus reaches no
    other process, whose slow tick finds the rows), as a request's do."""

    async def go() -> T:
        config = db.database_config(settings)
        maker = config.create_session_maker()
        bus = build_bus(settings)
        await bus.start(listen=False)  # it only tells the servers
        try:
            async with maker() as session:
                await db.begin_write(session)
                result = await work(session)
                await UnitOfWork(maker, bus).commit(session)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(BUS_DRAIN_SECONDS):
                    await bus.drain()
            return result
        finally:
            await bus.stop()
            await config.get_engine().dispose()

    try:
        return asyncio.run(go())
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Improvement Commons: sector-owned collaborative networks for school trusts."""
    ctx.obj = Settings.from_env()


main.add_command(organisations)
main.add_command(insight)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Processes (needs PostgreSQL for >1).")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int) -> None:
    """Serve the platform over HTTP (and the live websocket).

    Only the proxies in TRUSTED_PROXIES (default: loopback) may name the client with
    X-Forwarded-For; sign-in limits count per client address.
    """
    if workers > 1 and settings.is_sqlite:
        raise click.ClickException("Several workers need PostgreSQL (set DATABASE_URL); SQLite serves one process.")
    click.echo(f"Improvement Commons on http://{host}:{port}  (database: {_safe_url(settings.database_url)})")
    uvicorn.run(
        "server.asgi:app",
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=list(settings.trusted_proxies),
        log_level="info",
        ws=WEBSOCKET_PROTOCOL,
        **WEBSOCKET_OPTIONS,
    )


@main.command("migrate")
@click.option("--revision", default="head", show_default=True)
@click.pass_obj
def migrate_command(settings: Settings, revision: str) -> None:
    """Bring the database schema up to date."""
    if settings.is_sqlite:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.database_url, revision)
    click.echo(f"Database at {revision}: {_safe_url(settings.database_url)}")


@main.command()
@click.pass_obj
def demo(settings: Settings) -> None:
    """Load the demo networks, trusts and posts if the database is empty."""
    from server.demo import seed_if_empty

    created = _run_in_session(settings, lambda session: seed_if_empty(session, settings))
    from server.demo_content import DEMO_PASSWORD, PEOPLE, SIGN_INS

    if created:
        click.echo("Demo data loaded.")
    else:
        click.echo("The database already has data; demo data not loaded again.")
    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    people = {p.key: p for p in PEOPLE}
    for key, role in SIGN_INS:
        click.echo(f"  {people[key].email:<30} {people[key].display_name:<18} {role}")


@main.group()
def user() -> None:
    """Accounts."""


@user.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--organisation", required=True)
@click.option("--org-kind", type=click.Choice([k.value for k in OrgKind]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--admin", is_flag=True, help="A platform admin (creates networks).")
@click.pass_obj
def user_create(
    settings: Settings, email: str, name: str, organisation: str, org_kind: str, password: str, admin: bool
) -> None:
    """Create an account."""
    data = _convert(
        RegisterInput,
        {
            "email": email,
            "password": password,
            "display_name": name,
            "organisation": {"name": organisation, "kind": org_kind},
        },
    )

    async def work(session: AsyncSession) -> int:
        person = await accounts.register(session, data, is_admin=admin, by_platform_admin=True)
        return person.id

    person_id = _run_in_session(settings, work)
    click.echo(f"Created {'admin ' if admin else ''}account {person_id}: {email}")


@user.command("disable")
@click.argument("email")
@click.pass_obj
def user_disable(settings: Settings, email: str) -> None:
    """Disable an account: its sessions end for good, its tokens stop working until it is enabled."""
    _set_active(settings, email, False)
    click.echo(f"Disabled {email}; its sessions have ended")


@user.command("enable")
@click.argument("email")
@click.pass_obj
def user_enable(settings: Settings, email: str) -> None:
    """Enable a disabled account; the person signs in again."""
    _set_active(settings, email, True)
    click.echo(f"Enabled {email}")


def _set_active(settings: Settings, email: str, active: bool) -> None:
    async def work(session: AsyncSession) -> None:
        person = await accounts.person_by_email(session, email)
        if person is None:
            raise NotFound(f"No account with the email {email}.")
        await accounts.set_active(session, person, active)

    _run_in_session(settings, work)


@main.group()
def network() -> None:
    """Networks."""


@network.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice([k.value for k in NetworkKind]), required=True)
@click.option("--region", type=click.Choice([r.value for r in Region]))
@click.option("--visibility", type=click.Choice([v.value for v in Visibility]), default="public", show_default=True)
@click.option("--join-policy", type=click.Choice([p.value for p in JoinPolicy]), default="open", show_default=True)
@click.option("--lead-email", required=True, help="The first lead (an existing account).")
@click.option("--admin-email", required=True, help="The platform admin doing this (it is logged).")
@click.option("--description", default="")
@click.pass_obj
def network_create(
    settings: Settings,
    slug: str,
    name: str,
    kind: str,
    region: str | None,
    visibility: str,
    join_policy: str,
    lead_email: str,
    admin_email: str,
    description: str,
) -> None:
    """Create a network and appoint its first lead."""
    data = _convert(
        NetworkInput,
        {
            "slug": slug,
            "name": name,
            "kind": kind,
            "region": region,
            "visibility": visibility,
            "join_policy": join_policy,
            "lead_email": lead_email,
            "description": description,
        },
    )

    async def work(session: AsyncSession) -> int:
        admin = await accounts.person_by_email(session, admin_email)
        if admin is None or not admin.is_admin:
            raise click.ClickException(f"{admin_email} is not a platform admin.")
        created = await networks.create_network(session, admin, data)
        return created.id

    network_id = _run_in_session(settings, work)
    click.echo(f"Created network {network_id}: {slug}")


@main.command()
@click.option("--url", required=True, help="The server's websocket URL, e.g. wss://commons.example.org/ws")
@click.option("--token", required=True, envvar="COMMONS_TOKEN", help="A personal API token (or COMMONS_TOKEN).")
@click.option("--network", "networks", multiple=True, help="A network slug to follow (repeatable).")
@click.option("--notifications", is_flag=True, help="Also follow your own notifications.")
def watch(url: str, token: str, networks: tuple[str, ...], notifications: bool) -> None:
    """Print live events as JSON lines; reconnects and resumes by itself. Ctrl-C stops."""
    from server.watch import Watcher

    if not networks and not notifications:
        raise click.UsageError("Name at least one --network, or --notifications.")
    watcher = Watcher(url=url, token=token, networks=list(networks), notifications=notifications)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(watcher.run())


@main.group()
def events() -> None:
    """The event log."""


@events.command("prune")
@click.option("--older-than", "older_than", default="30d", show_default=True, help="Age: 30d, 12h, 90m.")
@click.option("--keep", default=100, show_default=True, help="Events always kept per network (the newest).")
@click.pass_obj
def events_prune(settings: Settings, older_than: str, keep: int) -> None:
    """Delete old events (and old read notifications), keeping the newest per network."""
    from events.prune import prune_events, prune_read_notifications
    from network import clock

    cutoff = clock.now() - _duration(older_than)

    async def work(session: AsyncSession) -> tuple[int, int]:
        events_deleted = await prune_events(session, older_than=cutoff, keep_per_network=keep)
        notes_deleted = await prune_read_notifications(session, older_than=cutoff)
        return events_deleted, notes_deleted

    events_deleted, notes_deleted = _run_in_session(settings, work)
    click.echo(f"Pruned {events_deleted} events and {notes_deleted} read notifications older than {older_than}.")


def _duration(text: str) -> timedelta:
    units = {"d": "days", "h": "hours", "m": "minutes"}
    number, unit = text[:-1], text[-1:]
    if unit not in units or not number.isdigit():
        raise click.BadParameter(f"{text!r}: use a number and d, h or m (e.g. 30d).", param_hint="--older-than")
    return timedelta(**{units[unit]: int(number)})


def _convert(kind: type[T], raw: dict[str, object]) -> T:
    try:
        return msgspec.convert(raw, kind)
    except msgspec.ValidationError as exc:
        raise click.ClickException(str(exc)) from exc


def _safe_url(url: str) -> str:
    """The URL without a password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return url


main.add_command(mail_commands)

if __name__ == "__main__":
    sys.exit(main())
