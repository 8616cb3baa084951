"""Digests at scale: building and queueing a weekly digest for every member, then sending them.

Generated data, written directly: `--people` people (confirmed, weekly digests) in 200 organisations,
`--networks` networks, each person a member of three at a mix of follow levels (40% all, 50% requests
only, 10% mentions), `--posts` posts over the last 90 days (60% practices, 40% requests, half of
them still open, a third of those with an offer), and useful reactions on the week's practices.

For each database it times one whole run of `server.mail.digest_run.build` (reading the period's
content once, choosing per person, queueing in chunks of 500) in a fresh child process, and reports
that process's peak resident memory beside its resident memory just before the run (the interpreter
and libraries). Then a mail sender (`server.mail.sender.MailSender`, as each server runs it) sends
`--send` of the queued digests to an SMTP sink on loopback (aiosmtpd, accepting and counting).

    python -m bench.digest --people 10000 --networks 20 --posts 100000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from bench import seed
from bench.common import PG_URL, Report, log, table
from network import clock
from network.enums import (
    ContentState,
    DigestFrequency,
    FollowLevel,
    JoinPolicy,
    MemberState,
    NetworkKind,
    OfferStatus,
    OrgKind,
    PostKind,
    ReactionKind,
    RequestStatus,
    Role,
    Visibility,
)
from network.models import Membership, Network, Offer, Organisation, Person, Post, Reaction
from server.mail import digest_run
from server.mail.models import OutboundMail
from server.mail.sender import MailSender
from server.mail.transport import build_transport
from server.settings import Settings

ORGANISATIONS = 200
NETWORKS_EACH = 3
TARGET_SECONDS = 60
TARGET_MB = 300


async def generate(url: str, people: int, networks: int, posts: int, seed_value: int = 7) -> dict[str, int]:
    rng = random.Random(seed_value)
    engine = seed.engine_for(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    now = clock.now()
    try:
        async with maker() as session:
            await session.execute(
                insert(Organisation),
                [{"name": f"Digest Trust {i}", "kind": OrgKind.MULTI_ACADEMY_TRUST} for i in range(ORGANISATIONS)],
            )
            orgs = list((await session.execute(select(Organisation.id).order_by(Organisation.id))).scalars())
            await session.execute(
                insert(Network),
                [
                    {
                        "slug": f"digest-{n}",
                        "name": f"Digest Network {n}",
                        "kind": NetworkKind.THEMATIC,
                        "visibility": Visibility.PUBLIC if n % 2 else Visibility.MEMBERS,
                        "join_policy": JoinPolicy.OPEN,
                    }
                    for n in range(networks)
                ],
            )
            nets = list((await session.execute(select(Network.id).order_by(Network.id))).scalars())
            rows = [
                {
                    "email": f"digest-{i}@bench.example",
                    "display_name": f"Digest Reader {i}",
                    "password_hash": "x",
                    "organisation_id": orgs[i % len(orgs)],
                    "email_confirmed_at": now,
                    "digest": DigestFrequency.WEEKLY,
                }
                for i in range(people)
            ]
            for start in range(0, people, 2000):
                await session.execute(insert(Person), rows[start : start + 2000])
            ids = list((await session.execute(select(Person.id).order_by(Person.id))).scalars())
            levels = [FollowLevel.ALL] * 4 + [FollowLevel.REQUESTS_ONLY] * 5 + [FollowLevel.MENTIONS]
            members = [
                {
                    "network_id": net,
                    "person_id": pid,
                    "role": Role.MEMBER,
                    "state": MemberState.ACTIVE,
                    "follow_level": rng.choice(levels),
                }
                for pid in ids
                for net in rng.sample(nets, min(NETWORKS_EACH, len(nets)))
            ]
            for start in range(0, len(members), 5000):
                await session.execute(insert(Membership), members[start : start + 5000])
            post_rows = []
            for n in range(posts):
                practice = rng.random() < 0.6
                author = rng.choice(ids)
                post_rows.append(
                    {
                        "network_id": rng.choice(nets),
                        "author_id": author,
                        "organisation_id": orgs[(author - ids[0]) % len(orgs)],
                        "kind": PostKind.PRACTICE if practice else PostKind.REQUEST,
                        "title": f"{'Practice' if practice else 'Request'} {n} on attendance and reading",
                        "body": "What we did, for whom, and how we know it worked. " * 4,
                        "state": ContentState.VISIBLE,
                        "status": None
                        if practice
                        else (RequestStatus.OPEN if rng.random() < 0.5 else RequestStatus.MATCHED),
                        "created_at": now - timedelta(days=rng.uniform(0, 90)),
                        "updated_at": now,
                    }
                )
            for start in range(0, posts, 5000):
                await session.execute(insert(Post), post_rows[start : start + 5000])
            week = now - timedelta(days=7)
            fresh = list(
                (
                    await session.execute(
                        select(Post.id).where(Post.kind == PostKind.PRACTICE, Post.created_at >= week)
                    )
                ).scalars()
            )
            reactions = {(rng.choice(fresh), rng.choice(ids)) for _ in range(min(len(fresh) * 3, 20000))}
            await session.execute(
                insert(Reaction),
                [
                    {"post_id": p, "person_id": q, "kind": ReactionKind.USEFUL, "created_at": now}
                    for p, q in sorted(reactions)
                ],
            )
            open_requests = list(
                (await session.execute(select(Post.id).where(Post.status == RequestStatus.OPEN))).scalars()
            )
            offered = rng.sample(open_requests, len(open_requests) // 3)
            for start in range(0, len(offered), 5000):
                await session.execute(
                    insert(Offer),
                    [
                        {
                            "post_id": p,
                            "organisation_id": orgs[0],
                            "author_id": ids[0],
                            "message": "We can help.",
                            "status": OfferStatus.OPEN,
                        }
                        for p in offered[start : start + 5000]
                    ],
                )
            await session.commit()
            return {"memberships": len(members), "reactions": len(reactions), "offers": len(offered)}
    finally:
        await engine.dispose()


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _rss_mb() -> float:
    """Resident memory now (Linux's /proc), the baseline the run's peak is compared with."""
    for entry in Path("/proc/self/status").read_text().splitlines():
        if entry.startswith("VmRSS:"):
            return int(entry.split()[1]) / 1024
    return _peak_rss_mb()


async def build_once(url: str, workdir: Path) -> dict[str, Any]:
    """One digest run, as a server's scheduler makes it (run in a child process: its own peak memory)."""
    settings = Settings(
        database_url=url, secret_key="bench" * 10, var_dir=workdir, public_url="https://commons.example.org"
    )
    engine = seed.engine_for(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        before = _rss_mb()
        t0 = time.perf_counter()
        result = await digest_run.build(maker, settings, DigestFrequency.WEEKLY, clock.now(), "bench")
        seconds = time.perf_counter() - t0
        return {
            "seconds": seconds,
            "people": result.people,
            "queued": result.queued,
            "rss_before_mb": before,
            "peak_rss_mb": _peak_rss_mb(),
        }
    finally:
        await engine.dispose()


class Sink:
    """An SMTP server that accepts and counts."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


async def send(url: str, workdir: Path, count: int) -> dict[str, Any]:
    sink = Sink()
    port = seed_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings = Settings(
        database_url=url,
        secret_key="bench" * 10,
        var_dir=workdir,
        public_url="https://commons.example.org",
        smtp_url=f"smtp://127.0.0.1:{port}?starttls=off",
    )
    engine = seed.engine_for(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with maker() as session:
            keep = select(OutboundMail.id).order_by(OutboundMail.id).limit(count).scalar_subquery()
            await session.execute(update(OutboundMail).where(OutboundMail.id.not_in(keep)).values(sent_at=clock.now()))
            await session.commit()
        sender = MailSender(maker, build_transport(settings), sender=settings.mail_from, batch=50)
        t0 = time.perf_counter()
        sent = await sender.drain()
        seconds = time.perf_counter() - t0
        async with maker() as session:
            size = (await session.execute(select(func.avg(func.length(OutboundMail.text_body))))).scalar_one()
        return {
            "sent": sent,
            "received": sink.count,
            "seconds": seconds,
            "per_second": sent / seconds,
            "avg_text_bytes": size,
        }
    finally:
        controller.stop()
        await engine.dispose()


def seed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def run(args: argparse.Namespace) -> Report:
    report = Report("digest", vars(args))
    for backend in args.backends:
        work = seed.workdir()
        try:
            url = await asyncio.to_thread(seed.fresh_database, backend, work, args.database_url)
            log(f"{backend}: generating {args.people:,} people, {args.networks} networks, {args.posts:,} posts")
            t0 = time.perf_counter()
            made = await generate(url, args.people, args.networks, args.posts)
            log(f"{backend}: generated in {time.perf_counter() - t0:.0f} s ({made})")
            child = subprocess.run(
                [sys.executable, "-m", "bench.digest", "--build-only", url, "--workdir", str(work)],
                capture_output=True,
                text=True,
                check=True,
            )
            built = json.loads(child.stdout.strip().splitlines()[-1])
            log(
                f"{backend}: built {built['queued']:,} digests for {built['people']:,} people, {built['seconds']:.1f} s"
            )
            sent = await send(url, work, args.send)
            report.rows.append(
                {
                    "backend": backend,
                    "people": built["people"],
                    "digests_queued": built["queued"],
                    "build_s": built["seconds"],
                    "people_per_s": built["people"] / built["seconds"],
                    "rss_before_mb": built["rss_before_mb"],
                    "peak_rss_mb": built["peak_rss_mb"],
                    "within_target": built["seconds"] < TARGET_SECONDS and built["peak_rss_mb"] < TARGET_MB,
                    "smtp_sent": sent["sent"],
                    "smtp_received": sent["received"],
                    "smtp_per_s": sent["per_second"],
                    "avg_text_bytes": sent["avg_text_bytes"],
                }
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(
        table(
            [
                "database",
                "people",
                "digests",
                "build s",
                "people/s",
                "RSS before MB",
                "peak RSS MB",
                "< 60 s, < 300 MB",
                "SMTP msgs/s",
            ],
            [
                [
                    r["backend"],
                    r["people"],
                    r["digests_queued"],
                    r["build_s"],
                    r["people_per_s"],
                    r["rss_before_mb"],
                    r["peak_rss_mb"],
                    "yes" if r["within_target"] else "no",
                    r["smtp_per_s"],
                ]
                for r in report.rows
            ],
        )
    )
    print(f"\nSMTP: {args.send} digests sent by one sender to a loopback sink (aiosmtpd), one connection per message.")
    log(f"report: {report.write()}")
    return report


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--people", type=int, default=10_000)
    p.add_argument("--networks", type=int, default=20)
    p.add_argument("--posts", type=int, default=100_000)
    p.add_argument("--send", type=int, default=1000, help="How many of the queued digests to send to the sink.")
    p.add_argument("--backends", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    p.add_argument("--database-url", default=PG_URL)
    p.add_argument("--build-only", metavar="URL", help=argparse.SUPPRESS)
    p.add_argument("--workdir", help=argparse.SUPPRESS)
    return p


if __name__ == "__main__":
    parsed = parser().parse_args()
    if parsed.build_only:
        print(json.dumps(asyncio.run(build_once(parsed.build_only, Path(parsed.workdir)))))
    else:
        asyncio.run(run(parsed))
