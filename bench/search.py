"""Search at 10k, 100k and 1M posts (issue 27): p50/p95 of `network.search.service.search` per query class.

Generated posts of realistic length (bench/search_corpus.py: 300–1,500 words of Markdown, practices with
their sections, themes and phases, requests with their status, a reply for every three posts, a Zipf-like
vocabulary with a handful of planted rare words) are loaded into a freshly migrated database at each
size, PostgreSQL by COPY and SQLite by executemany; the migration's own index (a generated tsvector with
GIN, FTS5 tables filled by triggers) indexes them as they land.

The reader is a signed-in member of six of the 20 networks (three public, two members-only, one hidden),
so the permission clause is the one a real member's search carries: 15 readable networks of 20. Each
query class runs `--warmup` times, then `--runs` times interleaved with the others (run i of every class
before run i + 1 of any), each in a session of its own as a request has; the time is the whole
`search()` call: the reader's scope, the ranked page, the posts' views and the highlighted snippets.

Then, per class, the service's own statements (captured as it runs them) are explained: on PostgreSQL
`EXPLAIN (ANALYZE, BUFFERS)`, recording whether the plan reads `ix_posts_search` and the database's own
execution time; on SQLite `EXPLAIN QUERY PLAN`, recording whether it reads the FTS5 table.

Related practice: `--related` posts the reader may read (half requests, half practices) have their
related posts found as a post's page finds them (`network.search.related.related`), each timed twice.

Saved searches: `--saved` rows (a realistic mix of queries, some narrowed to a network or a kind) are
written for the authors, then `network.search.saved.matching_searches` is timed for `--saved-posts` new
posts, each written and flushed first as the post's own transaction does (at the largest PostgreSQL size
and the smallest SQLite one).

Targets: p95 under 100 ms at 1M posts on PostgreSQL, growth from 100k to 1M far below linear (10×), and
saved-search matching at 10,000 saved searches under 20 ms at p95.

    python -m bench.search --pg-sizes 10000 --sqlite-sizes 10000
    python -m bench.search --pg-sizes 10000 100000 1000000 --sqlite-sizes 10000 100000
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench import seed
from bench.common import PG_URL, ROOT, Report, log, ratio, summary, table
from bench.search_corpus import (
    RARE,
    READER_EMAIL,
    TAIL_WORDS,
    THEMES,
    Corpus,
    Loaded,
    load_postgres,
    load_sqlite,
    loaded_from_json,
    loaded_to_json,
)
from network.enums import PostKind
from network.models import Person, Post, SavedSearch
from network.people import accounts
from network.search import related, saved
from network.search.filters import SearchFilters, Sort
from network.search.query import parse
from network.search.scope import reading_scope
from network.search.service import SearchPage, search
from server import migrate
from server.db import database_config, writing
from server.settings import Settings

matplotlib.use("Agg")
import matplotlib.pyplot as plt

TARGET_P95_MS = 100.0
TARGET_SAVED_P95_MS = 20.0
MIN_RUNS = 10  # timed runs of a query class, however slow
FAR_BELOW_LINEAR = 3.0  # p95 at 1M within 3× of 100k's, where linear would be 10×


@dataclass(frozen=True)
class Case:
    name: str
    q: str
    filters: SearchFilters = field(default_factory=SearchFilters)


def cases(corpus: Corpus, network_slug: str) -> list[Case]:
    """The query mix: common, middling and rare terms, a phrase, an exclusion, filters and the newest sort."""
    middling = corpus.word_near_share(0.01)
    return [
        Case("common word", "pupils"),
        Case("two common words", "attendance families"),
        Case("middling word (~1%)", middling),
        Case("rare word", RARE[0]),
        Case("phrase", '"persistent absence"'),
        Case("word -exclusion", "reading -phonics"),
        Case("common + network", "pupils", SearchFilters(network=network_slug)),
        Case("common + theme", "pupils", SearchFilters(theme="reading")),
        Case("rare + kind", RARE[1], SearchFilters(kind=PostKind.PRACTICE)),
        Case("common, newest", "pupils", SearchFilters(sort=Sort.NEWEST)),
        Case("rare, newest", RARE[2], SearchFilters(sort=Sort.NEWEST)),
    ]


class Recorder:
    """The statements the service sends, to explain them afterwards."""

    def __init__(self) -> None:
        self.on = False
        self.statements: list[tuple[str, Any]] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if self.on:
            self.statements.append((statement, parameters))


def app_engine(url: str, work: Path) -> AsyncEngine:
    """The engine as the server makes it (pool, pragmas, `jit` off on PostgreSQL)."""
    settings = Settings(database_url=url, secret_key="bench" * 10, var_dir=work)
    return database_config(settings).get_engine()


async def reader(maker: async_sessionmaker[AsyncSession]) -> Person:
    """The signed-in reader, loaded once (a request has its person already, from its session)."""
    async with maker() as session:
        person = (await session.execute(select(Person).where(Person.email == READER_EMAIL))).scalar_one()
        session.expunge(person)
        return person


async def time_cases(
    maker: async_sessionmaker[AsyncSession], person: Person, mix: list[Case], args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """Warm-up, then `args.runs` rounds of every case; per case the times (ms), and the first page's
    total and number of hits. A case whose timed runs have taken `args.budget` seconds stops once it has
    `MIN_RUNS` (a query of seconds has shown what it costs; the report gives each case's count)."""
    out: dict[str, dict[str, Any]] = {c.name: {"times": [], "total": None, "hits": 0} for c in mix}

    async def once(case: Case) -> tuple[float, SearchPage]:
        async with maker() as session:
            started = time.perf_counter()
            page = await search(session, person, case.q, case.filters)
            return (time.perf_counter() - started) * 1000, page

    for case in mix:
        for _ in range(args.warmup):
            await once(case)
    spent = dict.fromkeys(out, 0.0)
    for _ in range(args.runs):
        for case in mix:
            if spent[case.name] > args.budget and len(out[case.name]["times"]) >= MIN_RUNS:
                continue
            ms, page = await once(case)
            spent[case.name] += ms / 1000
            out[case.name]["times"].append(ms)
            out[case.name]["total"] = page.total
            out[case.name]["hits"] = len(page.items)
    return out


async def matching_posts(maker: async_sessionmaker[AsyncSession], dialect: str, case: Case) -> int:
    """How many posts in the whole corpus (every network, every state) match the query's words (not
    timed; filters aside)."""
    query = parse(case.q)
    async with maker() as session:
        if dialect == "postgresql":
            stmt = text(
                "SELECT count(*) FROM posts WHERE search_vector @@ websearch_to_tsquery('english'::regconfig, :q)"
            )
            return int((await session.execute(stmt, {"q": query.websearch()})).scalar_one())
        stmt = text("SELECT count(*) FROM post_search WHERE post_search MATCH :q")
        return int((await session.execute(stmt, {"q": query.fts5()})).scalar_one())


async def explain(
    engine: AsyncEngine, maker: async_sessionmaker[AsyncSession], person: Person, case: Case
) -> list[dict[str, Any]]:
    """The service's statements for one search, each with its plan (PostgreSQL: EXPLAIN ANALYZE, BUFFERS;
    SQLite: EXPLAIN QUERY PLAN). Only those that read the index (match or snippet) are kept."""
    recorder = Recorder()
    event.listen(engine.sync_engine, "before_cursor_execute", recorder)
    try:
        async with maker() as session:
            recorder.on = True
            await search(session, person, case.q, case.filters)
            recorder.on = False
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", recorder)
    dialect = engine.dialect.name
    plans = []
    async with maker() as session:
        conn = await session.connection()
        for statement, parameters in recorder.statements:
            if statement.lstrip().upper().startswith("SET "):  # the service's own settings (SET LOCAL …)
                await conn.exec_driver_sql(statement, parameters)
                continue
            reads_index = re.search(r"@@|ts_headline|\bMATCH\b", statement)
            if not reads_index:
                continue
            generic = None
            if dialect == "postgresql":
                # the app runs its statements prepared (asyncpg): after five runs on a connection PostgreSQL
                # may keep a generic plan, chosen without the parameters' values; both are explained
                plan = await _pg_explain(conn, statement, parameters, "force_custom_plan")
                generic = await _pg_explain(conn, statement, parameters, "force_generic_plan")
            else:
                result = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
                plan = "\n".join(str(r[-1]) for r in result.all())
                ran = []
                for _ in range(5):  # SQLite has no EXPLAIN ANALYZE: the statement's own time, median of 5
                    t0 = time.perf_counter()
                    await conn.exec_driver_sql(statement, parameters)
                    ran.append((time.perf_counter() - t0) * 1000)
                plan += f"\nExecution Time: {sorted(ran)[2]:.3f} ms"
            plans.append(
                {
                    "role": "snippets" if re.search(r"ts_headline|highlight\(|snippet\(", statement) else "match",
                    "sql": statement,
                    "parameters": [str(p) for p in (parameters or ())],
                    "plan": plan,
                    "execution_ms": _execution_ms(plan),
                    "uses_index": _uses_index(plan, dialect),
                    "generic_plan": generic,
                    "generic_execution_ms": _execution_ms(generic) if generic else math.nan,
                    "generic_uses_index": _uses_index(generic, dialect) if generic else None,
                }
            )
    return plans


async def _pg_explain(conn: Any, statement: str, parameters: Any, mode: str) -> str:
    """The plan PostgreSQL runs for the statement prepared, as the app runs it (asyncpg prepares every
    statement), under `plan_cache_mode` `mode`: EXPLAIN EXECUTE of a named prepared statement (an EXPLAIN
    of the statement with its parameters would plan it for their values whatever the mode)."""
    await conn.exec_driver_sql(f"PREPARE bench_search AS {statement}")
    try:
        await conn.exec_driver_sql(f"SET plan_cache_mode = {mode}")
        values = ", ".join(_literal(v) for v in parameters or ())
        result = await conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_search({values})")
        return "\n".join(r[0] for r in result.all())
    finally:
        await conn.exec_driver_sql("RESET plan_cache_mode")
        await conn.exec_driver_sql("DEALLOCATE bench_search")


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        value = value.isoformat()
    return "'" + str(value).replace("'", "''") + "'"


def _execution_ms(plan: str) -> float:
    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return float(found.group(1)) if found else math.nan


def reads(plan: str, dialect: str) -> str:
    """What a plan reads, in order, once each: indexes (↓ walked backwards) and scanned tables."""
    found: list[str] = []
    if dialect == "postgresql":
        for kind, name in re.findall(
            r"(Bitmap Index Scan|Index Scan Backward|Index Only Scan Backward|"
            r"Index Scan|Index Only Scan|Seq Scan) (?:using|on) (\w+)",
            plan,
        ):
            found.append(f"seq {name}" if kind == "Seq Scan" else name + (" ↓" if "Backward" in kind else ""))
    else:
        for name, rest in re.findall(r"^(?:SCAN|SEARCH) (\w+)(.*)$", plan, re.MULTILINE):
            if name in ("post_search", "reply_search"):
                found.append(f"{name} (FTS5)")
            elif name in ("posts", "replies") and "USING INTEGER PRIMARY KEY" not in rest:
                found.append(f"{name} {rest.strip()}" if rest.strip() else f"scan {name}")
    return ", ".join(dict.fromkeys(found))


def _uses_index(plan: str, dialect: str) -> bool:
    if dialect == "postgresql":
        return "ix_posts_search" in plan
    return re.search(r"post_search VIRTUAL TABLE INDEX", plan) is not None


async def measure(
    backend: str, size: int, args: argparse.Namespace, corpus: Corpus, work: Path
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    loaded = await reusable(args, size) if backend == "postgres" and args.reuse else None
    if loaded is not None:
        url = args.database_url
        log(f"{backend} {size:,}: reusing the corpus already loaded (loaded in {loaded.seconds:.0f} s)")
    else:
        url = await asyncio.to_thread(seed.fresh_database, backend, work, args.database_url)
        log(f"{backend} {size:,}: loading")
        password_hash = accounts.hash_password(seed.PASSWORD)
        now = datetime.now(UTC)
        loader = load_postgres if backend == "postgres" else load_sqlite
        loaded = await loader(url, corpus, size, password_hash, now)
        if backend == "postgres":
            await remember(url, loaded, args.seed)
    log(
        f"{backend} {size:,}: {loaded.dataset.posts:,} posts, {loaded.dataset.replies:,} replies in "
        f"{loaded.seconds:.0f} s (indexes, VACUUM ANALYZE {loaded.index_seconds:.0f} s); sizes {loaded.sizes}"
    )
    engine = app_engine(url, work)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        person = await reader(maker)
        network = biggest_readable(loaded)
        load_before = os.getloadavg()[0]  # the machine's other work, beside the figures
        mix = cases(corpus, network["slug"])
        timed = await time_cases(maker, person, mix, args)
        rows = []
        for case in mix:
            stats = summary(timed[case.name]["times"])
            rows.append(
                {
                    "backend": backend,
                    "posts": size,
                    "case": case.name,
                    "q": case.q,
                    "filters": case.filters.params(),
                    "matching_posts": await matching_posts(maker, engine.dialect.name, case),
                    "first_page_total": timed[case.name]["total"],
                    "hits": timed[case.name]["hits"],
                    "p50_ms": stats["p50"],
                    "p95_ms": stats["p95"],
                    "max_ms": stats["max"],
                    "runs": stats["n"],
                }
            )
        every = [t for c in mix for t in timed[c.name]["times"]]
        overall = summary(every)
        rows.append(
            {
                "backend": backend,
                "posts": size,
                "case": "overall",
                "p50_ms": overall["p50"],
                "p95_ms": overall["p95"],
                "max_ms": overall["max"],
                "runs": overall["n"],
            }
        )
        plans = {}
        for case in mix:
            plans[case.name] = await explain(engine, maker, person, case)
        for row in rows:
            match = [p for p in plans.get(row["case"], []) if p["role"] == "match"]
            snippets = [p for p in plans.get(row["case"], []) if p["role"] == "snippets"]
            if match:
                row["sql_match_ms"] = sum(p["execution_ms"] for p in match)
                row["uses_index"] = any(p["uses_index"] for p in match)
                row["sql_snippets_ms"] = sum(p["execution_ms"] for p in snippets)
                row["reads"] = "; ".join(reads(p["plan"], engine.dialect.name) for p in match)
                if engine.dialect.name == "postgresql":
                    row["sql_match_generic_ms"] = sum(p["generic_execution_ms"] for p in match)
                    row["uses_index_generic"] = any(p["generic_uses_index"] for p in match)
                    row["reads_generic"] = "; ".join(reads(p["generic_plan"], "postgresql") for p in match)
        related_times = await time_related(maker, person, args) if args.related else None
        saved = None
        if args.saved and (
            size == max(args.pg_sizes or [0]) if backend == "postgres" else size == min(args.sqlite_sizes)
        ):
            saved = await time_saved(maker, corpus, loaded, args)
        detail = {
            "load_seconds": loaded.seconds,
            "index_seconds": loaded.index_seconds,
            "sizes": loaded.sizes,
            "posts": loaded.dataset.posts,
            "replies": loaded.dataset.replies,
            "reader_networks": loaded.dataset.reader_networks,
            "network_filter": network["slug"],
            "load_average": [load_before, os.getloadavg()[0]],
            "plans": plans,
            "saved": saved,
            "related": related_times,
        }
        return rows, detail
    finally:
        await engine.dispose()


async def reusable(args: argparse.Namespace, size: int) -> Loaded | None:
    """The corpus in the PostgreSQL database, if it is this seed's at this size (`--reuse`), its saved
    searches cleared; None otherwise."""
    engine = seed.engine_for(args.database_url)
    try:
        async with engine.begin() as conn:
            raw = (await conn.execute(text("SELECT obj_description(to_regclass('posts'), 'pg_class')"))).scalar()
            found = loaded_from_json(raw, args.seed, size)
    except Exception:  # no database yet, or not ours
        return None
    finally:
        await engine.dispose()
    if found is None:
        return None
    await asyncio.to_thread(migrate.upgrade, args.database_url)  # as a deployment would, data and all
    engine = seed.engine_for(args.database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM saved_searches"))
    finally:
        await engine.dispose()
    return found


async def remember(url: str, loaded: Loaded, seed_value: int) -> None:
    engine = seed.engine_for(url)
    try:
        async with engine.begin() as conn:
            note = loaded_to_json(loaded, seed_value).replace("'", "''")
            await conn.execute(text(f"COMMENT ON TABLE posts IS '{note}'"))
    finally:
        await engine.dispose()


def biggest_readable(loaded: Loaded) -> dict[str, Any]:
    """The busiest network the reader may read (public or theirs): the network filter's heaviest case."""
    readable = [
        n for n in loaded.dataset.networks if n["visibility"] == "public" or n["id"] in loaded.dataset.reader_networks
    ]
    counts = loaded.dataset.posts_per_network
    return max(readable, key=lambda n: counts.get(n["id"], 0))


def saved_queries(rng: random.Random, count: int, corpus: Corpus) -> list[str]:
    """What members keep as saved searches: mostly a theme's word or phrase, or two of them; some
    quoted phrases, exclusions, and words of the tail (rarer things people watch for)."""
    topical = [w for words in THEMES.values() for w in words]
    single = [w for w in topical if " " not in w]
    phrases = [w for w in topical if " " in w]
    tail = corpus.vocabulary[-TAIL_WORDS:]
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.35:
            out.append(rng.choice(single))
        elif roll < 0.6:
            out.append(f"{rng.choice(single)} {rng.choice(single)}")
        elif roll < 0.75:
            out.append(f'"{rng.choice(phrases)}"')
        elif roll < 0.85:
            out.append(f"{rng.choice(single)} -{rng.choice(single)}")
        else:
            out.append(rng.choice(tail[: TAIL_WORDS // 3]) if rng.random() < 0.7 else rng.choice(RARE))
    return out


async def time_saved(
    maker: async_sessionmaker[AsyncSession], corpus: Corpus, loaded: Loaded, args: argparse.Namespace
) -> dict[str, Any]:
    """`args.saved` saved searches of the authors, then `saved.matching_searches` for `args.saved_posts`
    new posts, each added and flushed in its own writing transaction (rolled back afterwards)."""
    rng = random.Random(args.seed + 9)
    dataset = loaded.dataset
    people = sorted({p for members in dataset.authors.values() for p, _ in members})
    networks_of: dict[int, list[int]] = {}
    for member_of, members in dataset.authors.items():
        for person, _ in members:
            networks_of.setdefault(person, []).append(member_of)
    slugs = {n["id"]: n["slug"] for n in dataset.networks}
    now = datetime.now(UTC)
    rows = []
    for i, q in enumerate(saved_queries(rng, args.saved, corpus)):
        person = rng.choice(people)
        network_id: int | None = rng.choice(networks_of[person]) if rng.random() < 0.3 else None
        kind = rng.choice(list(PostKind)) if rng.random() < 0.2 else None
        theme = rng.choice(list(THEMES)) if kind is not PostKind.REQUEST and rng.random() < 0.1 else None
        filters = SearchFilters(network=slugs[network_id] if network_id else None, kind=kind, theme=theme)
        query = parse(q)
        rows.append(
            {
                "person_id": person,
                "name": f"Saved {i + 1}",
                "query": q,
                "filters": filters.params(),
                "network_id": network_id,
                "kind": kind.value if kind else None,
                "search_text": query.websearch(),
                "anchor": query.longest_word(),
                "alerts": True,
                "created_at": now,
                "updated_at": now,
            }
        )
    started = time.perf_counter()
    async with maker() as session:
        for chunk in range(0, len(rows), 2000):
            await session.execute(insert(SavedSearch), rows[chunk : chunk + 2000])
        await session.commit()
    log(f"  {len(rows):,} saved searches written in {time.perf_counter() - started:.1f} s")
    times, matched = [], []
    for values in corpus.new_posts(args.saved_posts, dataset, now):
        async with maker() as session:
            async with writing(session):
                post = Post(**values)
                session.add(post)
                await session.flush()
                t0 = time.perf_counter()
                found = await saved.matching_searches(session, post)
                times.append((time.perf_counter() - t0) * 1000)
                matched.append(len(found))
                await session.rollback()
    stats = summary(times)
    return {
        "saved_searches": len(rows),
        "posts": len(times),
        "matched_mean": sum(matched) / len(matched) if matched else math.nan,
        "matched_max": max(matched, default=0),
        "p50_ms": stats["p50"],
        "p95_ms": stats["p95"],
        "max_ms": stats["max"],
    }


async def time_related(
    maker: async_sessionmaker[AsyncSession], person: Person, args: argparse.Namespace
) -> dict[str, Any]:
    """Related practice as a post's page asks for it: `args.related` posts the reader may read, half
    requests (practice that may help) and half practices (open requests they could answer), chosen at
    random across the corpus; each timed twice (after a warm-up of the first few), the post already
    loaded as the page has it."""
    async with maker() as session:
        scope = await reading_scope(session, person)
        chosen: list[int] = []
        for kind in (PostKind.REQUEST, PostKind.PRACTICE):
            found = await session.execute(
                select(Post.id)
                .where(Post.network_id.in_(list(scope.networks)), Post.kind == kind)
                .order_by(func.random())
                .limit(args.related // 2)
            )
            chosen += list(found.scalars())
    if not chosen:
        return {}

    async def once(post_id: int) -> tuple[float, int]:
        async with maker() as session:
            post = await session.get(Post, post_id)
            assert post is not None
            started = time.perf_counter()
            shown = await related.related(session, person, post)
            return (time.perf_counter() - started) * 1000, len(shown)

    for post_id in chosen[: args.warmup]:
        await once(post_id)
    times, shown = [], []
    for _ in range(2):
        for post_id in chosen:
            ms, n = await once(post_id)
            times.append(ms)
            shown.append(n)
    stats = summary(times)
    return {
        "posts": len(chosen),
        "shown_mean": sum(shown) / len(shown),
        "with_any": sum(1 for n in shown if n) / len(shown),
        "p50_ms": stats["p50"],
        "p95_ms": stats["p95"],
        "max_ms": stats["max"],
    }


def p95_plot(path: Path, rows: list[dict[str, Any]]) -> str:
    """p95 against corpus size per database (log x): overall thick, each query class thin."""
    fig, ax = plt.subplots(figsize=(8, 5))
    colours = {"postgres": "tab:blue", "sqlite": "tab:orange"}
    for backend in ("postgres", "sqlite"):
        mine = [r for r in rows if r["backend"] == backend]
        if not mine:
            continue
        for name in dict.fromkeys(r["case"] for r in mine):
            series = sorted((r["posts"], r["p95_ms"]) for r in mine if r["case"] == name)
            overall = name == "overall"
            ax.plot(
                [s for s, _ in series],
                [v for _, v in series],
                marker="o" if overall else None,
                linewidth=2.5 if overall else 0.7,
                alpha=1.0 if overall else 0.45,
                color=colours[backend],
                label=f"{'PostgreSQL' if backend == 'postgres' else 'SQLite'}, all queries" if overall else None,
            )
    ax.axhline(TARGET_P95_MS, color="tab:red", linestyle="--", linewidth=1, label=f"target {TARGET_P95_MS:.0f} ms")
    ax.set_xscale("log")
    ax.set_xlabel("posts (log scale)")
    ax.set_ylabel("search p95, ms (thin: each query class)")
    ax.set_title("Search p95 as the corpus grows")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path.name)


def checks(rows: list[dict[str, Any]], details: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    pg = sorted({r["posts"] for r in rows if r["backend"] == "postgres"})
    if pg:
        largest = pg[-1]
        worst = max(
            (r for r in rows if r["backend"] == "postgres" and r["posts"] == largest), key=lambda r: r["p95_ms"]
        )
        overall = next(
            r for r in rows if r["backend"] == "postgres" and r["posts"] == largest and r["case"] == "overall"
        )
        out.append(
            {
                "check": f"PostgreSQL p95 at {largest:,} posts < {TARGET_P95_MS:.0f} ms",
                "value": f"overall {overall['p95_ms']:.1f} ms; slowest class {worst['case']} {worst['p95_ms']:.1f} ms",
                "met": worst["p95_ms"] < TARGET_P95_MS,
            }
        )
    for backend in ("postgres", "sqlite"):
        sizes = sorted({r["posts"] for r in rows if r["backend"] == backend})
        if len(sizes) < 2:
            continue
        low, high = sizes[-2], sizes[-1]
        by = {(r["posts"], r["case"]): r["p95_ms"] for r in rows if r["backend"] == backend}
        growth = ratio(by[(high, "overall")], by[(low, "overall")])
        worst_case = max(
            (c for (s, c) in by if s == high), key=lambda c: ratio(by[(high, c)], by.get((low, c), math.nan))
        )
        out.append(
            {
                "check": f"{backend}: p95 growth {low:,} → {high:,} posts ({high // low}× the posts) far below linear",
                "value": f"overall {growth:.2f}×; most grown {worst_case} "
                f"{ratio(by[(high, worst_case)], by[(low, worst_case)]):.2f}×",
                "met": growth < FAR_BELOW_LINEAR,
            }
        )
    for key, detail in details.items():
        near = detail.get("related")
        if near:
            out.append(
                {
                    "check": f"{key}: related practice on a post's page, p95 < {TARGET_P95_MS:.0f} ms",
                    "value": f"p95 {near['p95_ms']:.1f} ms over {near['posts']} posts",
                    "met": near["p95_ms"] < TARGET_P95_MS,
                }
            )
        saved = detail.get("saved")
        if saved:
            out.append(
                {
                    "check": f"{key}: saved-search matching at {saved['saved_searches']:,} saved searches, "
                    f"p95 < {TARGET_SAVED_P95_MS:.0f} ms",
                    "value": f"p95 {saved['p95_ms']:.1f} ms",
                    "met": saved["p95_ms"] < TARGET_SAVED_P95_MS,
                }
            )
    return out


async def run(args: argparse.Namespace) -> Report:
    report = Report(args.name, {**vars(args), "commit": commit()})
    corpus = Corpus(args.seed)
    details: dict[str, Any] = {}
    plan = [("postgres", s) for s in sorted(args.pg_sizes)] + [("sqlite", s) for s in sorted(args.sqlite_sizes)]
    for backend, size in plan:
        work = seed.workdir()
        try:
            rows, detail = await measure(backend, size, args, corpus, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        report.rows += rows
        details[f"{backend}:{size}"] = detail
        print_rows(rows)
    report.extra["datasets"] = {k: {n: v for n, v in d.items() if n != "plans"} for k, d in details.items()}
    report.extra["explain"] = {k: d["plans"] for k, d in details.items()}
    report.extra["checks"] = checks(report.rows, details)
    report.extra["plot"] = p95_plot(report.path(".png"), report.rows)
    log(f"report: {report.write()}")
    print()
    print_summary(report.rows, details, report.extra["checks"])
    return report


def commit() -> str:
    """The code measured: the checkout's commit (and whether it had changes)."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "network", "server"], capture_output=True, text=True, cwd=ROOT
        )
    except OSError:
        return "unknown"
    return head.stdout.strip() + (" (with changes)" if dirty.stdout.strip() else "")


def print_rows(rows: Sequence[dict[str, Any]]) -> None:
    print(
        table(
            ["database", "posts", "query", "q", "matching posts", "p50 ms", "p95 ms", "max ms"],
            [
                [
                    r["backend"],
                    r["posts"],
                    r["case"],
                    r.get("q", ""),
                    r.get("matching_posts", ""),
                    r["p50_ms"],
                    r["p95_ms"],
                    r["max_ms"],
                ]
                for r in rows
            ],
        )
    )
    print()
    explained = [r for r in rows if "reads" in r]
    if explained and explained[0]["backend"] == "postgres":
        print(
            table(
                [
                    "query",
                    "match SQL ms",
                    "snippets SQL ms",
                    "ix_posts_search",
                    "plan reads",
                    "generic plan: SQL ms",
                    "ix_posts_search",
                    "generic plan reads",
                ],
                [
                    [
                        r["case"],
                        r["sql_match_ms"],
                        r["sql_snippets_ms"],
                        _yes_no(r["uses_index"]),
                        r["reads"],
                        r["sql_match_generic_ms"],
                        _yes_no(r["uses_index_generic"]),
                        r["reads_generic"],
                    ]
                    for r in explained
                ],
            )
        )
    elif explained:
        print(
            table(
                ["query", "match SQL ms", "snippets SQL ms", "post_search (FTS5)", "plan reads"],
                [
                    [r["case"], r["sql_match_ms"], r["sql_snippets_ms"], _yes_no(r["uses_index"]), r["reads"]]
                    for r in explained
                ],
            )
        )


def growth_table(rows: Sequence[dict[str, Any]]) -> str:
    """p95 per query class at each size, and how much it grew over the last step (posts ×10 → p95 ×?)."""
    headers = ["query"]
    columns: list[tuple[str, int]] = []
    for backend in ("postgres", "sqlite"):
        sizes = sorted({r["posts"] for r in rows if r["backend"] == backend})
        columns += [(backend, size) for size in sizes]
        headers += [f"{'PG' if backend == 'postgres' else 'SQLite'} {size:,} p95 ms" for size in sizes]
        if len(sizes) >= 2:
            headers.append(f"{'PG' if backend == 'postgres' else 'SQLite'} growth {sizes[-2]:,} → {sizes[-1]:,}")
            columns.append((backend, -1))
    p95 = {(r["backend"], r["posts"], r["case"]): r["p95_ms"] for r in rows}
    body = []
    for case in dict.fromkeys(r["case"] for r in rows):
        line: list[Any] = [case]
        for backend, size in columns:
            if size == -1:
                sizes = sorted({r["posts"] for r in rows if r["backend"] == backend})
                grown = ratio(
                    p95.get((backend, sizes[-1], case), math.nan), p95.get((backend, sizes[-2], case), math.nan)
                )
                line.append(f"{grown:.2f}×")
            else:
                line.append(p95.get((backend, size, case), math.nan))
        body.append(line)
    return table(headers, body)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "NO"


def print_summary(rows: Sequence[dict[str, Any]], details: dict[str, Any], found: list[dict[str, Any]]) -> None:
    overall = [r for r in rows if r["case"] == "overall"]
    print(
        table(
            ["database", "posts", "load s", "search index MB", "p50 ms", "p95 ms", "max ms"],
            [
                [
                    r["backend"],
                    r["posts"],
                    details[f"{r['backend']}:{r['posts']}"]["load_seconds"],
                    details[f"{r['backend']}:{r['posts']}"]["sizes"].get("ix_posts_search", math.nan) / 2**20,
                    r["p50_ms"],
                    r["p95_ms"],
                    r["max_ms"],
                ]
                for r in overall
            ],
        )
    )
    print()
    print(growth_table(rows))
    saved = [(k, d["saved"]) for k, d in details.items() if d.get("saved")]
    if saved:
        print()
        print(
            table(
                ["dataset", "saved searches", "new posts", "matched per post", "p50 ms", "p95 ms", "max ms"],
                [
                    [k, s["saved_searches"], s["posts"], s["matched_mean"], s["p50_ms"], s["p95_ms"], s["max_ms"]]
                    for k, s in saved
                ],
            )
        )
    near = [(k, d["related"]) for k, d in details.items() if d.get("related")]
    if near:
        print()
        print(
            table(
                ["dataset", "posts", "shown per post", "share with any", "p50 ms", "p95 ms", "max ms"],
                [
                    [k, r["posts"], r["shown_mean"], r["with_any"], r["p50_ms"], r["p95_ms"], r["max_ms"]]
                    for k, r in near
                ],
            )
        )
    print()
    print(table(["check", "value", "met"], [[c["check"], c["value"], "yes" if c["met"] else "NO"] for c in found]))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pg-sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    p.add_argument("--sqlite-sizes", nargs="*", type=int, default=[10_000, 100_000])
    p.add_argument("--runs", type=int, default=30, help="Timed runs of each query class per size.")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument(
        "--budget",
        type=float,
        default=120.0,
        help=f"Seconds of timed runs per query class and size after which it stops (once it has {MIN_RUNS}).",
    )
    p.add_argument("--saved", type=int, default=10_000, help="Saved searches (0: skip that part).")
    p.add_argument("--saved-posts", type=int, default=200, help="New posts matched against the saved searches.")
    p.add_argument("--related", type=int, default=30, help="Posts whose related practice is timed (0: skip).")
    p.add_argument("--seed", type=int, default=27)
    p.add_argument("--database-url", default=PG_URL)
    p.add_argument("--name", default="search")
    p.add_argument(
        "--reuse",
        action="store_true",
        help="On PostgreSQL, measure the corpus already loaded when it is this seed's at this size (the "
        "largest size only makes sense alone: loading another replaces it).",
    )
    return p


if __name__ == "__main__":
    asyncio.run(run(parser().parse_args()))
