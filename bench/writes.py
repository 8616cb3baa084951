"""6. The write path: practices created through the API, as fast as one server process takes them.

For each database: a network of N members (following at `mentions`, so a post writes no
notification rows and the figure is the POST itself), then runs of `--posts` POSTs with
`--concurrency` in flight, from a client in this process. Reports posts/s, the server's CPU per
POST (all its threads; the event loop's thread apart) and the API's p50/p99, median of the runs.
No live subscribers: `bench.fanout` measures POSTs under fan-out load.

    python -m bench.writes --posts 300 --runs 3
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import time
from typing import Any

from bench.common import Report, log, median, summary, table
from bench.plot import bars
from bench.seed import workdir
from bench.targets import LABELS, Target

DATABASES = {"sqlite": "commons-sqlite", "postgres": "commons-postgres"}


def _loop_cpu(target: Target) -> float:
    """CPU seconds of the server's event loop, which runs on the process's first thread (id = pid)."""
    assert target.server is not None and target.server.ps is not None
    ps = target.server.ps
    return next(t.user_time + t.system_time for t in ps.threads() if t.id == ps.pid)


async def measure_database(database: str, args: argparse.Namespace) -> dict[str, Any]:
    label = DATABASES[database]
    work = workdir()
    target = Target(label, work, args.members, frame_bytes=0, follow="mentions")
    try:
        await target.start()
        assert target.server is not None
        await target.burst(args.warmup, args.concurrency)
        runs = []
        for i in range(args.runs):
            loop_before, cpu_before, started = _loop_cpu(target), target.server.cpu(), time.monotonic()
            published = await target.burst(args.posts, args.concurrency)
            seconds, cpu = time.monotonic() - started, target.server.cpu() - cpu_before
            loop_cpu = _loop_cpu(target) - loop_before
            posts = len(published.sent)
            took = summary(published.took)
            run = {
                "posts": posts,
                "failures": published.failures,
                "posts_per_s": posts / seconds,
                "cpu_ms_per_post": cpu / posts * 1000,
                "loop_cpu_ms_per_post": loop_cpu / posts * 1000,
                "api_p50_ms": took["p50"] * 1000,
                "api_p99_ms": took["p99"] * 1000,
            }
            runs.append(run)
            log(
                f"{label} run {i + 1}: {run['posts_per_s']:.0f} posts/s, {run['cpu_ms_per_post']:.1f} ms CPU per POST"
                f" ({run['loop_cpu_ms_per_post']:.1f} on the loop), {run['failures']} failed"
            )
        row: dict[str, Any] = {"target": label, "members": args.members, "concurrency": args.concurrency}
        for key in ("posts_per_s", "cpu_ms_per_post", "loop_cpu_ms_per_post", "api_p50_ms", "api_p99_ms"):
            row[key] = median(r[key] for r in runs)
        row["failures"] = sum(r["failures"] for r in runs)
        row["runs"] = runs
        return row
    finally:
        await target.stop()
        shutil.rmtree(work, ignore_errors=True)


async def run(args: argparse.Namespace) -> Report:
    report = Report(args.name, vars(args))
    for database in args.databases:
        log(f"writes: {database}, {args.members} members, {args.posts} posts x {args.runs}")
        report.rows.append(await measure_database(database, args))
    report.extra["plot"] = bars(
        report.path(".png"),
        "Practices created per second, one server process (median of runs)",
        [LABELS[r["target"]] for r in report.rows],
        {"posts/s": [r["posts_per_s"] for r in report.rows]},
        "posts/s",
    )
    report.write()
    print(
        table(
            [
                "target",
                "members",
                "in flight",
                "posts/s",
                "CPU ms/POST",
                "loop CPU ms/POST",
                "API p50 ms",
                "p99 ms",
                "failed",
            ],
            [
                [
                    LABELS[r["target"]],
                    r["members"],
                    r["concurrency"],
                    r["posts_per_s"],
                    r["cpu_ms_per_post"],
                    r["loop_cpu_ms_per_post"],
                    r["api_p50_ms"],
                    r["api_p99_ms"],
                    r["failures"],
                ]
                for r in report.rows
            ],
        )
    )
    return report


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--databases", nargs="+", choices=list(DATABASES), default=list(DATABASES))
    p.add_argument("--members", type=int, default=1000)
    p.add_argument("--posts", type=int, default=300, help="POSTs per run.")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--concurrency", type=int, default=8, help="POSTs in flight.")
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--name", default="writes", help="Report name (bench/results/NAME.json and .png).")
    return p


if __name__ == "__main__":
    asyncio.run(run(parser().parse_args()))
