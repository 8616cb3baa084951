"""4. Pages and API: requests/s and p99 latency with `wrk`, against a trivial endpoint of the same app.

On SQLite and PostgreSQL: one server process (`commons serve`), a public network with 60 posts,
every request signed in with an API token. Endpoints: `/health` (the ceiling: one `SELECT 1`),
the JSON feed (30 posts), a JSON post, and the HTML feed and post pages when the app has them.
Each endpoint gets a warm-up and then `--runs` measured runs; medians are reported.
Target: the JSON feed at ≥ 30% of `/health`'s rate.

    python -m bench.pages --runs 3 --seconds 3
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
from typing import Any

import httpx

from bench import seed
from bench.common import PG_URL, Report, log, median, raise_nofile, ratio, table
from bench.plot import bars
from bench.publish import BODY
from bench.servers import Server, commons_env

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}
ENDPOINTS = ("health", "feed_json", "post_json", "feed_html", "post_html")  # health first: the ceiling


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def parse_wrk(output: str) -> dict[str, float]:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(rps.group(1)) if rps else float("nan"),
        "p50_ms": float(p50.group(1)) * UNITS[p50.group(2)] if p50 else float("nan"),
        "p99_ms": float(p99.group(1)) * UNITS[p99.group(2)] if p99 else float("nan"),
        "non_2xx": float(errors.group(1)) if errors else 0.0,
        "socket_errors": float(sum(int(x) for x in socket_errors.groups())) if socket_errors else 0.0,
    }


async def wrk(url: str, token: str, seconds: float, connections: int) -> dict[str, float]:
    process = await asyncio.create_subprocess_exec(
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "10s",
        "-H",
        f"Authorization: Bearer {token}",
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await process.communicate()
    return parse_wrk(out.decode())


async def prepare(server: Server, seeded: seed.Seeded, posts: int) -> dict[str, str]:
    """Posts through the API; which endpoints exist (HTML pages are optional)."""
    headers = {"Authorization": f"Bearer {seeded.lead_token}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=60) as client:
        last = 0
        for i in range(posts):
            body = {"kind": "practice", "title": f"Practice {i}", "body": BODY, "themes": ["reading", "ks3"]}
            response = await client.post(f"/api/v1/networks/{seeded.slug}/posts", json=body)
            response.raise_for_status()
            last = response.json()["id"]
        endpoints = {
            "health": "/health",
            "feed_json": f"/api/v1/networks/{seeded.slug}/posts",
            "post_json": f"/api/v1/posts/{last}",
            "feed_html": f"/networks/{seeded.slug}",
            "post_html": f"/posts/{last}",
        }
        found = {}
        for name, path in endpoints.items():
            response = await client.get(path)
            if response.status_code == 200:
                found[name] = path
                if name == "feed_json":
                    assert len(response.json()["items"]) == 30, "the feed should hold 30 posts"
            else:
                log(f"{path}: {response.status_code}, not measured")
        return found


async def measure_database(database: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    work = seed.workdir()
    server: Server | None = None
    rows = []
    try:
        url = await asyncio.to_thread(seed.fresh_database, database, work, PG_URL)
        seeded = await seed.seed_network(url, work, 10)
        server = await Server("commons", work, commons_env(url)).start()
        endpoints = await prepare(server, seeded, args.posts)
        token = seeded.tokens[0]  # a member, signed in with a token
        names = [name for name in ENDPOINTS if name in endpoints]
        for name in names:
            await wrk(server.url + endpoints[name], token, args.warmup, args.connections)
        # Round-robin: run i of every endpoint before run i + 1 of any, so a drift of the machine
        # during the measurement hits the ceiling and the pages alike.
        measured: dict[str, list[dict[str, float]]] = {name: [] for name in names}
        for _ in range(args.runs):
            for name in names:
                measured[name].append(await wrk(server.url + endpoints[name], token, args.seconds, args.connections))
        for name in ENDPOINTS:
            if name not in endpoints:
                rows.append({"database": database, "endpoint": name, "path": None, "missing": True})
                continue
            runs = measured[name]
            row = {
                "database": database,
                "endpoint": name,
                "path": endpoints[name],
                "rps": median(r["rps"] for r in runs),
                "p50_ms": median(r["p50_ms"] for r in runs),
                "p99_ms": median(r["p99_ms"] for r in runs),
                "non_2xx": sum(r["non_2xx"] for r in runs),
                "socket_errors": sum(r["socket_errors"] for r in runs),
                "runs": runs,
            }
            rows.append(row)
            log(f"{database} {name}: {row['rps']:.0f} req/s, p99 {row['p99_ms']:.1f} ms")
        for row in rows:
            if not row.get("missing"):  # the median of the rounds' own ratios
                pairs = zip(row["runs"], measured["health"], strict=True)
                row["vs_health"] = median(ratio(run["rps"], health["rps"]) for run, health in pairs)
        return rows
    finally:
        if server:
            await server.stop()
        shutil.rmtree(work, ignore_errors=True)


async def run(args: argparse.Namespace) -> Report:
    raise_nofile()
    report = Report("pages", vars(args))
    if not wrk_available():
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    for database in args.databases:
        log(f"pages: {database}")
        report.rows += await measure_database(database, args)
    measured = [r for r in report.rows if not r.get("missing")]
    report.extra["missing"] = [f"{r['database']} {r['endpoint']}" for r in report.rows if r.get("missing")]
    report.extra["checks"] = [
        {"database": r["database"], "feed_vs_health": r["vs_health"], "ok": r["vs_health"] >= 0.3}
        for r in measured
        if r["endpoint"] == "feed_json"
    ]
    names = [n for n in ENDPOINTS if any(r["endpoint"] == n for r in measured)]
    report.extra["plot"] = bars(
        report.path(".png"),
        "Requests/s, one server process (median of runs)",
        names,
        {
            db: [next((r["rps"] for r in measured if r["database"] == db and r["endpoint"] == n), 0.0) for n in names]
            for db in args.databases
        },
        "requests/s",
    )
    report.write()
    print(
        table(
            ["database", "endpoint", "req/s", "p50 ms", "p99 ms", "÷ /health", "non-2xx"],
            [
                [r["database"], r["endpoint"], r["rps"], r["p50_ms"], r["p99_ms"], r["vs_health"], r["non_2xx"]]
                for r in measured
            ],
        )
    )
    if report.extra["missing"]:
        print("not in the app yet:", ", ".join(report.extra["missing"]))
    return report


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--seconds", type=float, default=3)
    p.add_argument("--warmup", type=float, default=1)
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--posts", type=int, default=60)
    return p


if __name__ == "__main__":
    asyncio.run(run(parser().parse_args()))
