"""2. Across processes: two server processes sharing PostgreSQL, signalling over a bus.

Half the subscribers connect to server A, half to server B; posts go through A's API at a fixed
open-loop rate. Both servers hear the wake-up from the bus (PostgreSQL LISTEN/NOTIFY, then
Redis pub/sub; A does not short-cut its own) and read the rows themselves. The reference is one
server on the in-process bus with all the subscribers: the bus's cost is B's percentile minus
the reference's, and B−A shows whether the other server lags the publishing one. Medians of
the runs are reported.

    python -m bench.cross --subscribers 400 --runs 3
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
from typing import Any

from bench import seed
from bench.common import PG_URL, REDIS_URL, Report, log, median, raise_nofile, summary, table
from bench.fleet import Fleet
from bench.plot import bars
from bench.publish import ApiPublisher
from bench.servers import CpuMeter, Server, commons_env

BUSES = ["memory", "postgres", "redis"]


async def measure_bus(bus: str, seeded: seed.Seeded, args: argparse.Namespace) -> dict[str, Any]:
    env = commons_env(seeded.database_url, bus, REDIS_URL if bus == "redis" else None)
    half = args.subscribers // 2
    a = await Server("commons", seeded.workdir, env).start()
    # the in-process bus is the reference: one server, both halves on it, no hop at all
    b = a if bus == "memory" else await Server("commons", seeded.workdir, env).start()
    fleets: list[Fleet] = []
    publisher = ApiPublisher(a.url, seeded.lead_token, seeded.slug)
    try:
        for i, (server, offset) in enumerate(((a, 0), (b, half))):
            fleet = Fleet(
                "commons",
                server.port,
                half,
                args.client_procs,
                seeded.workdir,
                tokens_file=seeded.tokens_file,
                token_offset=offset,
                ip_base=2 + i * 100,
                name=f"{bus}-{'ab'[i]}",
            )
            fleets.append(await fleet.start())
        log(f"{bus}: {fleets[0].ready} subscribers on A, {fleets[1].ready} on B")
        await publisher.steady(10, 3)  # warm-up
        head = await seed.event_head(seeded.database_url, seeded.slug)
        await asyncio.gather(*(f.wait_for(head, 20) for f in fleets))
        ranges, cpu = [], []
        count = max(5, round(args.rate * args.seconds))
        for i in range(args.runs):
            first = head + 1
            meter = CpuMeter([p for p in {a.ps, b.ps} if p])
            out = await publisher.steady(args.rate, count)
            head = await seed.event_head(seeded.database_url, seeded.slug)
            behind = await asyncio.gather(*(f.wait_for(head, args.drain_timeout) for f in fleets))
            cpu.append(meter.percent())
            ranges.append((first, head))
            log(f"{bus} run {i + 1}: seqs {first}-{head}, behind {behind}, {out.failures} failed posts")
            await asyncio.sleep(0.5)
        side_a, side_b = await fleets[0].collect(ranges), await fleets[1].collect(ranges)
        runs = []
        for ra, rb in zip(side_a, side_b, strict=True):
            sa, sb = summary(ra.latencies_ms), summary(rb.latencies_ms)
            runs.append(
                {
                    "a": sa,
                    "b": sb,
                    "hop_p50_ms": sb["p50"] - sa["p50"],
                    "hop_p95_ms": sb["p95"] - sa["p95"],
                    "hop_p99_ms": sb["p99"] - sa["p99"],
                    "lost": ra.lost + rb.lost,
                    "duplicated": ra.duplicated + rb.duplicated,
                    "delivered": ra.delivered + rb.delivered,
                }
            )
        return {
            "bus": bus,
            "subscribers": sum(f.ready for f in fleets),
            "rate": args.rate,
            "a_p50_ms": median(r["a"]["p50"] for r in runs),
            "a_p99_ms": median(r["a"]["p99"] for r in runs),
            "b_p50_ms": median(r["b"]["p50"] for r in runs),
            "b_p99_ms": median(r["b"]["p99"] for r in runs),
            "hop_p50_ms": median(r["hop_p50_ms"] for r in runs),
            "hop_p95_ms": median(r["hop_p95_ms"] for r in runs),
            "hop_p99_ms": median(r["hop_p99_ms"] for r in runs),
            "lost": sum(r["lost"] for r in runs),
            "duplicated": sum(r["duplicated"] for r in runs),
            "delivered": sum(r["delivered"] for r in runs),
            "servers_cpu_pct": median(cpu),
            "runs": runs,
        }
    finally:
        await publisher.close()
        for fleet in fleets:
            await fleet.stop()
        await a.stop()
        if b is not a:
            await b.stop()


async def run(args: argparse.Namespace) -> Report:
    raise_nofile()
    report = Report("cross", vars(args))
    work = seed.workdir()
    try:
        url = await asyncio.to_thread(seed.fresh_database, "postgres", work, PG_URL)
        seeded = await seed.seed_network(url, work, args.subscribers)
        for bus in args.buses:
            log(f"across processes: {bus}")
            report.rows.append(await measure_bus(bus, seeded, args))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    reference = next((r for r in report.rows if r["bus"] == "memory"), None)
    for row in report.rows:
        # every server, the publishing one too, hears its wake-ups back from the bus: what the bus
        # costs is the difference from the in-process bus of a single server
        for q in ("p50", "p99"):
            row[f"bus_{q}_ms"] = row[f"b_{q}_ms"] - reference[f"b_{q}_ms"] if reference else float("nan")
    report.extra["plot"] = bars(
        report.path(".png"),
        "Commit → receive latency: clients on the publishing server (A) and on the other (B)",
        [r["bus"] for r in report.rows],
        {
            "A p50": [r["a_p50_ms"] for r in report.rows],
            "B p50": [r["b_p50_ms"] for r in report.rows],
            "A p99": [r["a_p99_ms"] for r in report.rows],
            "B p99": [r["b_p99_ms"] for r in report.rows],
        },
        "ms (median of runs)",
    )
    report.write()
    print(
        table(
            [
                "bus",
                "servers",
                "subscribers",
                "posts/s",
                "A p50 ms",
                "B p50 ms",
                "A p99 ms",
                "B p99 ms",
                "B−A p50 ms",
                "B−A p99 ms",
                "bus cost p50 ms",
                "bus cost p99 ms",
                "lost",
                "dup",
                "servers CPU%",
            ],
            [
                [
                    r["bus"],
                    1 if r["bus"] == "memory" else 2,
                    r["subscribers"],
                    r["rate"],
                    r["a_p50_ms"],
                    r["b_p50_ms"],
                    r["a_p99_ms"],
                    r["b_p99_ms"],
                    r["hop_p50_ms"],
                    r["hop_p99_ms"],
                    r["bus_p50_ms"],
                    r["bus_p99_ms"],
                    r["lost"],
                    r["duplicated"],
                    r["servers_cpu_pct"],
                ]
                for r in report.rows
            ],
        )
    )
    return report


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--subscribers", type=int, default=400, help="In all, half on each server.")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--rate", type=float, default=5.0, help="Posts per second through server A.")
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--buses", nargs="+", choices=BUSES, default=BUSES)
    p.add_argument("--client-procs", type=int, default=2, help="Load-generator processes per server.")
    p.add_argument("--drain-timeout", type=float, default=30)
    return p


if __name__ == "__main__":
    asyncio.run(run(parser().parse_args()))
