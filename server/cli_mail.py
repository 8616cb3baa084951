"""`commons mail`: the outbound mail queue, for operators (docs/operations.md, "Mail")."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from html import escape
from typing import TypeVar

import click
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from network.enums import DigestFrequency
from network.people import mail_settings
from server import db
from server.mail import digest_run, queue
from server.mail.compose import compose, text_part
from server.mail.models import OutboundMail
from server.mail.sender import MailSender, worker_name
from server.mail.transport import FileTransport, build_transport, file_name
from server.settings import Settings, public_link
from server.unit_of_work import UnitOfWork

T = TypeVar("T")


def _with_database(settings: Settings, work: Callable[[Callable[[], AsyncSession]], Awaitable[T]]) -> T:
    async def go() -> T:
        config = db.database_config(settings)
        try:
            return await work(config.create_session_maker())
        finally:
            await config.get_engine().dispose()

    return asyncio.run(go())


def _sender(settings: Settings, maker: Callable[[], AsyncSession]) -> MailSender:
    return MailSender(maker, build_transport(settings), sender=settings.mail_from)


async def commit_and_send(
    settings: Settings, maker: Callable[[], AsyncSession], work: Callable[[AsyncSession], Awaitable[T]]
) -> T:
    """Run `work` in one writing transaction committed through the unit of work; if it queued mail,
    run one pass of a sender here, so mail goes out with no server running (the servers' senders
    would find it on their next tick; the leases keep each message to one of them)."""
    queued: list[bool] = []
    async with maker() as session:
        async with db.writing(session):
            result = await work(session)
            await UnitOfWork(maker, None, mail=lambda: queued.append(True)).commit(session)
    if queued:
        await _sender(settings, maker).drain()
    return result


@click.group()
def mail() -> None:
    """Outbound mail: what was queued, sent or given up."""


@mail.command("list")
@click.option("--limit", default=50, show_default=True, help="How many, newest first.")
@click.pass_obj
def mail_list(settings: Settings, limit: int) -> None:
    """Queued, sent and failed mail, newest first."""

    async def read(maker: Callable[[], AsyncSession]) -> list[OutboundMail]:
        async with maker() as session:
            rows = await session.execute(select(OutboundMail).order_by(OutboundMail.id.desc()).limit(limit))
            return list(rows.scalars())

    found = _with_database(settings, read)
    if not found:
        click.echo("No mail.")
    for row in found:
        when = (row.sent_at or row.failed_at or row.created_at).strftime("%Y-%m-%d %H:%M")
        state = f"{row.state} ({row.attempts} attempt{'' if row.attempts == 1 else 's'})"
        click.echo(f"{row.id:>6}  {when}  {row.kind:<20} {row.to_address:<30} {state:<22} {row.subject}")


@mail.command("show")
@click.argument("mail_id", type=int)
@click.pass_obj
def mail_show(settings: Settings, mail_id: int) -> None:
    """One message as it is sent: its headers and its text."""

    async def read(maker: Callable[[], AsyncSession]) -> OutboundMail | None:
        async with maker() as session:
            return await session.get(OutboundMail, mail_id)

    row = _with_database(settings, read)
    if row is None:
        raise click.ClickException(f"No mail {mail_id}.")
    message = compose(row, sender=settings.mail_from)
    for header, value in message.items():
        if header.lower() not in ("content-type", "mime-version"):
            click.echo(f"{header}: {value}")
    click.echo(
        f"State: {row.state}, {row.attempts} attempt(s)" + (f"; last error: {row.last_error}" if row.last_error else "")
    )
    transport = build_transport(settings)
    if isinstance(transport, FileTransport):
        path = transport.path(file_name(row.id, row.kind))
        click.echo(f"File: {path}" + ("" if path.exists() else " (not written yet)"))
    click.echo("")
    click.echo(text_part(message).rstrip("\n"))


@mail.command("send-test")
@click.argument("address")
@click.pass_obj
def mail_send_test(settings: Settings, address: str) -> None:
    """Queue a test message to ADDRESS through the same path as all mail, and send it now."""
    text = (
        "This is a test message from Improvement Commons.\n\n"
        f"If you can read it, mail from {settings.public_url} reaches you.\n"
        f"{public_link(settings, '/')}\n"
    )
    link = escape(public_link(settings, "/"))
    html = (
        "<p>This is a test message from Improvement Commons.</p>"
        f'<p>If you can read it, mail from <a href="{link}">{escape(settings.public_url)}</a> reaches you.</p>'
    )

    async def work(session: AsyncSession) -> int:
        row = await queue.enqueue(
            session,
            to=address,
            subject="Improvement Commons: a test message",
            text=text,
            html=html,
            kind="test",
            host=settings.public_host,
        )
        return row.id

    async def go(maker: Callable[[], AsyncSession]) -> OutboundMail | None:
        mail_id = await commit_and_send(settings, maker, work)
        async with maker() as session:
            return await session.get(OutboundMail, mail_id)

    row = _with_database(settings, go)
    assert row is not None
    if row.state == "sent":
        click.echo(f"Sent test message {row.id} to {address}.")
    else:
        click.echo(f"Test message {row.id} to {address} is {row.state}: {row.last_error}")


@mail.command("digests")
@click.option("--now", "now_", is_flag=True, help="Build this period's digests now, before their usual hour.")
@click.option(
    "--frequency",
    type=click.Choice(["daily", "weekly", "both"]),
    default="both",
    show_default=True,
    help="Which digests.",
)
@click.pass_obj
def mail_digests(settings: Settings, now_: bool, frequency: str) -> None:
    """Build the digests of the current period (for cron-style deployments), and send them.

    Each person gets at most one per period, however often this runs and whatever servers run beside it."""

    async def go(maker: Callable[[], AsyncSession]) -> list[digest_run.RunResult]:
        at = clock.now()
        worker = worker_name()
        both = [DigestFrequency.DAILY, DigestFrequency.WEEKLY]
        wanted = both if frequency == "both" else [DigestFrequency(frequency)]
        results = []
        for each in wanted:
            if now_ or mail_settings.digest_due(each, at):
                results.append(await digest_run.build(maker, settings, each, at, worker))
        if any(result.queued for result in results):
            await _sender(settings, maker).drain()
        return results

    results = _with_database(settings, go)
    if not results:
        click.echo("No digest is due yet (they are built from 06:00 UTC; --now builds them at once).")
    for result in results:
        if result.ran:
            click.echo(f"{result.period}: {result.people} people, {result.queued} digests queued.")
        else:
            click.echo(f"{result.period}: already built, or being built by another process.")
