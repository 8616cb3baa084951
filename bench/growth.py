"""5. Growth: do the hot reads stay flat as the data grows? (PostgreSQL, generated data.)

Each dataset is generated with `INSERT … SELECT generate_series` (not the API): N networks,
1,000 people, P posts spread evenly over the networks with their `post.created` events, and
P notifications spread over the people (all read but each person's newest 20, as people do
read them). Then the app's own service functions run with random networks and people:

- feed: `open_network` + `posts.list_posts` (30 posts, as `GET …/posts` does);
- notifications: `notifications.list_notifications` (30, newest first);
- unread: `notifications.unread_count`;
- live resume: `events.reader.events_after` (what the hub reads after a wake-up);
- live notifications: `events.reader.notifications_after` for all 1,000 people, one new
  notification each (what the hub reads after a post to a network they all follow).

p50/p95/p99 per query and dataset, and `EXPLAIN (ANALYZE, BUFFERS)` of each statement per
dataset. Flat means the highest p95 within 2× (or 2 ms) of the lowest, and the database's own
execution time (from EXPLAIN ANALYZE) within 3× (or 1 ms). Beside them, the pages each query's
statements touch (shared buffers hit or read, from EXPLAIN): an index-backed read touches about
as many at every size, a scan more as the data grows. Time can grow without them when the data
outgrows PostgreSQL's shared buffers and the same pages come from the OS instead. Each query is
judged among the datasets where it returns as many rows as it does at its most: a network of
10 posts has a feed of 10, which is less work at any size, not a sign of flatness.

    python -m bench.growth --datasets 10000:100 100000:100 100000:10000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import shutil
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bench import seed
from bench.common import PG_URL_GROWTH, Report, log, median, raise_nofile, ratio, summary, table
from bench.plot import lines
from events import reader
from network.access import open_network
from network.content import posts
from network.models import Network, Person
from network.people import accounts, notifications
from network.views import Page
from server.db import POSTGRES_CONNECT_ARGS

PEOPLE = 1000
UNREAD_PER_PERSON = 20
CHECK_COLUMNS = (
    "query",
    "p95_max_over_min",
    "p95_spread_ms",
    "sql_exec_max_over_min",
    "sql_exec_spread_ms",
    "pages_max_over_min",
    "compared",
)
QUERIES = ["feed", "notifications", "unread", "live_resume", "live_notifications"]

GENERATE = [
    "TRUNCATE notifications, events, posts, memberships, networks, people, organisations RESTART IDENTITY CASCADE",
    "INSERT INTO organisations (name, kind, created_at, updated_at) "
    "VALUES ('Growth Trust', 'multi_academy_trust', now(), now())",
    "INSERT INTO people (email, display_name, password_hash, organisation_id, is_admin, is_active, notification_seq, "
    "created_at, updated_at) SELECT 'g' || i || '@bench.example', 'Growth Person ' || i, :hash, 1, false, true, 0, "
    "now(), now() FROM generate_series(1, :people) AS i",
    "INSERT INTO networks (slug, name, kind, region, description, visibility, join_policy, event_seq, created_at, "
    "updated_at) SELECT 'g-' || i, 'Growth network ' || i, 'thematic', NULL, '', 'public', 'open', 0, now(), now() "
    "FROM generate_series(1, :networks) AS i",
    # person 1 reads every network as a member; the authors are members of theirs
    "INSERT INTO memberships (network_id, person_id, role, state, follow_level, created_at, updated_at) "
    "SELECT n, 1, 'member', 'active', 'all', now(), now() FROM generate_series(1, :networks) AS n",
    "INSERT INTO posts (network_id, author_id, organisation_id, kind, title, body, state, pinned, locked, revision, "
    "summary, phases, setting, what_we_did, what_we_stopped, impact, themes, resources, outcome, created_at, "
    "updated_at) SELECT 1 + g % :networks, 2 + g % (:people - 1), 1, "
    "CASE WHEN g % 5 = 0 THEN 'request' ELSE 'practice' END, 'Generated post ' || g, :body, "
    "CASE WHEN g % 97 = 0 THEN 'hidden' ELSE 'visible' END, g % 1000 = 0, false, 1, '', '[\"primary\"]'::jsonb, '', "
    "'', '', '', '[\"reading\"]'::jsonb, '[]'::jsonb, '', now() - g * interval '1 second', "
    "now() - g * interval '1 second' FROM generate_series(1, :posts) AS g",
    "INSERT INTO events (network_id, seq, kind, payload, actor_id, created_at) "
    "SELECT network_id, row_number() OVER (PARTITION BY network_id ORDER BY id), 'post.created', "
    "jsonb_build_object('post', jsonb_build_object('id', id, 'title', title)), author_id, created_at FROM posts",
    "UPDATE networks SET event_seq = c.n FROM (SELECT network_id, max(seq) AS n FROM events GROUP BY network_id) c "
    "WHERE networks.id = c.network_id",
    "INSERT INTO notifications (person_id, seq, kind, payload, network_id, read_at, created_at) "
    "SELECT 1 + g % :people, 1 + g / :people, 'post.created', jsonb_build_object('post_id', g), 1 + g % :networks, "
    "now(), now() - g * interval '1 second' FROM generate_series(0, :posts - 1) AS g",
    "UPDATE people SET notification_seq = c.n FROM (SELECT person_id, max(seq) AS n FROM notifications "
    "GROUP BY person_id) c WHERE people.id = c.person_id",
    "UPDATE notifications SET read_at = NULL FROM people WHERE people.id = notifications.person_id "
    "AND notifications.seq > people.notification_seq - :unread",
]


async def generate(maker: async_sessionmaker[AsyncSession], posts_count: int, networks: int) -> float:
    started = time.monotonic()
    params = {
        "people": PEOPLE,
        "networks": networks,
        "posts": posts_count,
        "hash": accounts.hash_password(seed.PASSWORD),
        "body": "We tried a whole-class fluency routine. " * 8,
        "unread": UNREAD_PER_PERSON,
    }
    async with maker() as session:
        for statement in GENERATE:
            names = {k: v for k, v in params.items() if f":{k}" in statement}
            await session.execute(text(statement), names)
        await session.commit()
    async with maker() as session:
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        await session.execute(text("VACUUM ANALYZE"))
    return time.monotonic() - started


class Recorder:
    """Collects the SQL the app's functions send, to EXPLAIN it afterwards."""

    def __init__(self) -> None:
        self.on = False
        self.statements: list[tuple[str, Any]] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if self.on:
            self.statements.append((statement, parameters))


async def queries(session: AsyncSession, rng: random.Random, networks: int) -> dict[str, Callable[[], Awaitable[Any]]]:
    """The app's own read functions, each picking a random network or person (loaded beforehand:
    the request has its person already, from its token)."""
    viewer = await session.get(Person, 1)
    assert viewer is not None
    people = list((await session.execute(select(Person).order_by(Person.id))).scalars())

    async def feed() -> Any:
        access = await open_network(session, f"g-{rng.randint(1, networks)}", viewer)
        return await posts.list_posts(session, access, cursor=None, limit=30)

    async def note_list() -> Any:
        person = rng.choice(people)
        return await notifications.list_notifications(session, person, unread_only=False, cursor=None, limit=30)

    async def unread() -> Any:
        return await notifications.unread_count(session, rng.choice(people))

    async def live_resume() -> Any:
        network_id = rng.randint(1, networks)
        head = (await reader.heads(session, Network.event_seq, [network_id])).get(network_id, 0)
        return await reader.events_after(session, network_id, max(0, head - 5), 500)

    async def live_notifications() -> Any:
        return await reader.notifications_after(session, {p.id: p.notification_seq - 1 for p in people}, 2000)

    return {
        "feed": feed,
        "notifications": note_list,
        "unread": unread,
        "live_resume": live_resume,
        "live_notifications": live_notifications,
    }


async def measure(
    url: str, posts_count: int, networks: int, args: argparse.Namespace
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    engine = create_async_engine(url, connect_args=POSTGRES_CONNECT_ARGS)  # as the app connects
    recorder = Recorder()
    event.listen(engine.sync_engine, "before_cursor_execute", recorder)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    rows, explains = [], {}
    try:
        log(f"growth: generating {posts_count:,} posts in {networks:,} networks")
        seconds = await generate(maker, posts_count, networks)
        log(f"  generated in {seconds:.1f}s")
        rng = random.Random(42)
        async with maker() as session:
            calls = await queries(session, rng, networks)
            for name, call in calls.items():
                for _ in range(args.warmup):
                    await call()
                    session.expunge_all()
                times, returned = [], []
                for _ in range(args.iterations):
                    started = time.perf_counter()
                    result = await call()
                    times.append((time.perf_counter() - started) * 1000)
                    returned.append(_rows(result))
                    session.expunge_all()  # no identity-map help between calls
                stats = summary(times)
                rows.append(
                    {
                        "posts": posts_count,
                        "networks": networks,
                        "query": name,
                        **stats,
                        "p50_ms": stats["p50"],
                        "p95_ms": stats["p95"],
                        "p99_ms": stats["p99"],
                        "rows": round(median(returned)),
                    }
                )
                recorder.statements, recorder.on = [], True
                await call()
                recorder.on = False
                explains[name] = list(recorder.statements)
            plans: dict[str, list[dict[str, Any]]] = {}
            for name, statements in explains.items():
                plans[name] = []
                for statement, parameters in statements:
                    conn = await session.connection()
                    result = await conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    plans[name].append({"sql": statement, "plan": "\n".join(r[0] for r in result.all())})
            for row in rows:  # the database's own time for the query's statements (EXPLAIN ANALYZE)
                row["sql_exec_ms"] = sum(_execution_ms(p["plan"]) for p in plans[row["query"]])
                row["pages"] = sum(_pages(p["plan"]) for p in plans[row["query"]])
        size = await table_sizes(maker)
        return rows, {"plans": plans, "sizes": size, "generate_seconds": seconds}
    finally:
        await engine.dispose()


def _yes(value: bool) -> str:
    return "yes" if value else "NO"


def _rows(result: Any) -> int:
    """How many rows a query returned: a page's items, a sequence's length, or one count."""
    if isinstance(result, Page):
        return len(result.items)
    if isinstance(result, int):
        return 1
    return len(result)


def _pages(plan: str) -> int:
    """Shared buffers the statement touched (hit or read): the top node's, which include its
    children's; the planner's own come after "Planning:"."""
    executed = plan.split("\nPlanning:")[0]
    found = re.search(r"Buffers: shared ([^\n]*)", executed)
    if not found:
        return 0
    return sum(int(n) for n in re.findall(r"(?:hit|read)=(\d+)", found.group(1)))


def _execution_ms(plan: str) -> float:
    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return float(found.group(1)) if found else 0.0


async def table_sizes(maker: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    async with maker() as session:
        result = await session.execute(
            text(
                "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class "
                "WHERE relname IN ('posts', 'events', 'notifications') ORDER BY relname"
            )
        )
        return {name: size for name, size in result.tuples()}


async def run(args: argparse.Namespace) -> Report:
    raise_nofile()
    report = Report("growth", vars(args))
    datasets = [tuple(int(x) for x in d.split(":")) for d in args.datasets]
    work = seed.workdir()
    await asyncio.to_thread(seed.fresh_database, "postgres", work, args.database_url)
    shutil.rmtree(work, ignore_errors=True)
    details = {}
    for posts_count, networks in datasets:
        rows, detail = await measure(args.database_url, posts_count, networks, args)
        report.rows += rows
        details[f"{posts_count}:{networks}"] = detail
    report.extra["explain"] = {key: d["plans"] for key, d in details.items()}
    report.extra["sizes"] = {key: d["sizes"] for key, d in details.items()}
    checks = []
    for name in QUERIES:
        every = [r for r in report.rows if r["query"] == name]
        most = max(r["rows"] for r in every)
        series = [r for r in every if r["rows"] == most]  # the same work at every size compared
        high, low = max(r["p95_ms"] for r in series), min(r["p95_ms"] for r in series)
        sql_high, sql_low = max(r["sql_exec_ms"] for r in series), min(r["sql_exec_ms"] for r in series)
        # sub-millisecond jitter is not growth: flat is the app's p95 within 2× (or 2 ms) and the
        # database's own execution time within 3× (or 1 ms), so a scan hidden by Python overhead shows
        checks.append(
            {
                "query": name,
                "p95_max_over_min": ratio(high, low),
                "p95_spread_ms": high - low,
                "sql_exec_max_over_min": ratio(sql_high, sql_low),
                "sql_exec_spread_ms": sql_high - sql_low,
                "pages_max_over_min": ratio(max(r["pages"] for r in series), min(r["pages"] for r in series)),
                "compared": f"{len(series)} of {len(every)} ({most} row{'' if most == 1 else 's'})",
                "flat": (ratio(high, low) <= 2.0 or high - low <= 2.0)
                and (ratio(sql_high, sql_low) <= 3.0 or sql_high - sql_low <= 1.0),
            }
        )
    report.extra["checks"] = checks
    labels = [f"{p:,} posts / {n:,} nets" for p, n in datasets]
    report.extra["plot"] = lines(
        report.path(".png"),
        "p95 of the hot reads as the data grows (PostgreSQL)",
        list(range(1, len(datasets) + 1)),
        {q: [r["p95_ms"] for r in report.rows if r["query"] == q] for q in QUERIES},
        "dataset: " + "  |  ".join(f"{i + 1}={label}" for i, label in enumerate(labels)),
        "p95 ms",
    )
    report.write()
    print(
        table(
            ["posts", "networks", "query", "rows", "p50 ms", "p95 ms", "p99 ms", "max ms", "SQL exec ms", "pages"],
            [
                [
                    r["posts"],
                    r["networks"],
                    r["query"],
                    r["rows"],
                    r["p50_ms"],
                    r["p95_ms"],
                    r["p99_ms"],
                    r["max"],
                    r["sql_exec_ms"],
                    r["pages"],
                ]
                for r in report.rows
            ],
        )
    )
    print()
    print(
        table(
            [
                "query",
                "p95 max ÷ min",
                "p95 max − min ms",
                "SQL exec max ÷ min",
                "SQL exec max − min ms",
                "pages max ÷ min",
                "datasets compared",
                "flat",
            ],
            [[*(c[k] for k in CHECK_COLUMNS), _yes(c["flat"])] for c in checks],
        )
    )
    return report


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "--datasets",
        nargs="+",
        default=["10000:100", "100000:100", "100000:10000"],
        help="POSTS:NETWORKS, smallest first.",
    )
    p.add_argument("--iterations", type=int, default=200)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--database-url", default=PG_URL_GROWTH)
    return p


if __name__ == "__main__":
    asyncio.run(run(parser().parse_args()))
