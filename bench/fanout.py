"""1. Fan-out: N subscribers of one network on one server process, side by side with the baselines.

For each target (ours on SQLite, ours on PostgreSQL, a bare `websockets` broadcast server,
python-socketio on uvicorn) and each N: start the server, connect N subscribers from separate
load-generator processes (spread over 127.0.0.x), then

- steady runs: publish at a fixed open-loop rate (posts through our API; `publish` messages to
  the baselines) and record commit→receive latency from each event's `data.at`;
- burst runs: publish a batch as fast as the server takes it; deliveries/s is every frame
  received divided by the time from the first publish to the last receive.

Every run counts lost, duplicated and out-of-order events per socket (all must be zero), server
CPU and RSS, and the load generators' CPU (a saturated client shows as ~100% per process).

Our subscribers also follow their notifications, as every page of the web app does (unless
`--no-notifications`): with `--follow all` each post notifies every one of them, so a run lasts
until those have arrived too, and their count and latency are reported beside the events'.

    python -m bench.fanout --subscribers 1000 --runs 3
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import Report, log, median, notifications_option, raise_nofile, ratio, summary, table
from bench.fleet import Fleet, RunResult
from bench.plot import fanout_plot
from bench.publish import Published
from bench.seed import workdir
from bench.servers import CpuMeter
from bench.targets import LABELS, Target

ALL_TARGETS = ["commons-sqlite", "commons-postgres", "bare", "sio"]


def client_procs(subscribers: int) -> int:
    return min(8, max(2, math.ceil(subscribers / 250)))


class RssPeak:
    """Samples a process's RSS every 0.25 s while running."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.peak = 0
        self.task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        assert self.target.server is not None
        while True:
            with contextlib.suppress(Exception):
                self.peak = max(self.peak, self.target.server.rss())
            await asyncio.sleep(0.25)

    def __enter__(self) -> RssPeak:
        self.task = asyncio.create_task(self._run())
        return self

    def __exit__(self, *_: object) -> None:
        if self.task:
            self.task.cancel()


async def measure_target(label: str, n: int, args: argparse.Namespace, frame_bytes: int) -> dict[str, Any]:
    """Every run of one target at one size: its raw per-run figures."""
    work = workdir()
    target = Target(label, work, n, frame_bytes=frame_bytes, follow=args.follow)
    fleet: Fleet | None = None
    runs: list[dict[str, Any]] = []
    try:
        await target.start()
        assert target.server is not None
        rss_idle = target.server.rss()
        fleet = Fleet(
            target.mode,
            target.server.port,
            n,
            args.client_procs or client_procs(n),
            work,
            tokens_file=target.tokens_file,
            name=label,
            notifications=args.notifications and target.mode == "commons",
            notes_per_event=1 if args.follow == "all" else 0,
        )
        t0 = time.monotonic()
        await fleet.start()
        connect_s = time.monotonic() - t0
        log(f"{label}: {fleet.ready} of {n} subscribed in {connect_s:.1f}s ({fleet.failed} failed)")
        if fleet.failed:
            log(f"  first failure: {fleet.errors[:1]}")
        rss_connected = target.server.rss()
        # warm-up: a few events through the whole path before measuring
        await target.steady(10, 3)
        await fleet.wait_for(await target.head(), 20)
        rate = args.offered / n if args.rate is None else args.rate
        count = max(args.min_posts, round(rate * args.seconds))
        plan = [("steady", i) for i in range(args.runs)] + [("burst", i) for i in range(args.runs)]
        ranges: list[tuple[int, int]] = []
        spy = start_profiler(args.profile, label, target)
        for phase, i in plan:
            first = await target.head() + 1
            server_cpu = CpuMeter([target.server.ps]) if target.server.ps else None
            client_cpu = CpuMeter(fleet.processes)
            with RssPeak(target) as rss:
                if phase == "steady":
                    published: Published = await target.steady(rate, count)
                else:
                    published = await target.burst(args.burst, args.burst_concurrency)
                last = await target.head()
                behind = await fleet.wait_for(last, args.drain_timeout)
            drained = time.time()
            ranges.append((first, last))
            runs.append(
                {
                    "phase": phase,
                    "run": i,
                    "rate": rate if phase == "steady" else None,
                    "published": len(published.sent),
                    "publish_failures": published.failures,
                    "first_sent": published.first,
                    "api_p50_ms": summary(published.took)["p50"] * 1000 if published.took else None,
                    "api_p99_ms": summary(published.took)["p99"] * 1000 if published.took else None,
                    "server_cpu_pct": server_cpu.percent() if server_cpu else None,
                    "client_cpu_pct": client_cpu.percent(),
                    "server_rss_mb": rss.peak / 2**20,
                    "behind_after_drain": behind,
                    "drained_at": drained,
                }
            )
            log(f"{label} {phase} run {i + 1}: seqs {first}-{last}, {behind} sockets behind after drain")
            await asyncio.sleep(args.pause)
        if spy:
            spy.send_signal(signal.SIGINT)
            spy.wait(30)
        results: list[RunResult] = await fleet.collect(ranges)
        for run, result in zip(runs, results, strict=True):
            span = max(result.last_recv - run["first_sent"], 1e-9) if result.delivered else math.nan
            lat = summary(result.latencies_ms)
            if fleet.notifications:
                run.update(notes(fleet, run))
            run.update(
                expected=(result.last - result.first + 1) * fleet.ready,
                delivered=result.delivered,
                lost=result.lost,
                duplicated=result.duplicated,
                out_of_order=result.out_of_order,
                deliveries_per_s=result.delivered / span if result.delivered else 0.0,
                frames_per_s=frames_per_s(run, result.delivered, result.last_recv),
                p50_ms=lat["p50"],
                p95_ms=lat["p95"],
                p99_ms=lat["p99"],
                max_ms=lat["max"],
                latencies_ms=result.latencies_ms,
            )
        return {
            "target": label,
            "subscribers": n,
            "connected": fleet.ready,
            "connect_failures": fleet.failed,
            "connect_s": connect_s,
            "closed_during_runs": fleet.closed,
            "close_codes": fleet.close_codes,
            "frame_bytes": fleet.frame_bytes,
            "client_processes": fleet.procs,
            "server_rss_idle_mb": rss_idle / 2**20,
            "server_rss_connected_mb": rss_connected / 2**20,
            "runs": runs,
        }
    finally:
        if fleet:
            await fleet.stop()
        await target.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept {work}")


def frames_per_s(run: dict[str, Any], events: int, last_event: float) -> float:
    """Every frame the subscribers received, events and notifications, ÷ (the last of either's
    receive − first publish): what the server wrote, where `deliveries_per_s` counts the events."""
    frames = events + run.get("notes_delivered", 0)
    last = max(last_event if events else 0.0, run.get("notes_last_recv", 0.0))
    return frames / max(last - run["first_sent"], 1e-9) if frames else 0.0


def notes(fleet: Fleet, run: dict[str, Any]) -> dict[str, Any]:
    """The notifications that arrived during one run (runs wait for them, so windows do not
    overlap): how many against how many were due, and their commit→receive latency."""
    inside = [(recv, lat) for recv, lat in fleet.notes if run["first_sent"] <= recv <= run["drained_at"]]
    window = [lat for _, lat in inside]
    lat = summary(window) if window else {"p50": math.nan, "p99": math.nan}
    return {
        "notes_expected": run["published"] * fleet.notes_per_event * fleet.ready,
        "notes_delivered": len(window),
        "notes_last_recv": max((recv for recv, _ in inside), default=0.0),
        "note_p50_ms": lat["p50"],
        "note_p99_ms": lat["p99"],
    }


def start_profiler(path: str, label: str, target: Target) -> subprocess.Popen[bytes] | None:
    """py-spy on the server for the measured runs (ours only), in py-spy's raw (collapsed) format.

    Only the thread holding the GIL is sampled (`--gil`): aiosqlite's worker threads wait for work
    inside C, where py-spy cannot tell them idle, and would otherwise fill the profile."""
    if not path or target.server is None or target.server.proc is None or target.mode != "commons":
        return None
    out = f"{path}.{label}.txt"
    command = [
        str(Path(sys.executable).parent / "py-spy"),
        "record",
        "-p",
        str(target.server.proc.pid),
        "-f",
        "raw",
        "-r",
        "100",
        "--gil",
        "-o",
        out,
    ]
    log(f"profiling {label} into {out}")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def condense(measured: dict[str, Any]) -> list[dict[str, Any]]:
    """Medians over the runs of each phase."""
    rows = []
    for phase in ("steady", "burst"):
        runs = [r for r in measured["runs"] if r["phase"] == phase]
        if not runs:
            continue
        row: dict[str, Any] = {"target": measured["target"], "subscribers": measured["subscribers"], "phase": phase}
        for key in (
            "deliveries_per_s",
            "frames_per_s",
            "p50_ms",
            "p95_ms",
            "p99_ms",
            "max_ms",
            "server_cpu_pct",
            "client_cpu_pct",
            "server_rss_mb",
            "api_p50_ms",
            "api_p99_ms",
            "note_p50_ms",
            "note_p99_ms",
        ):
            row[key] = median(r.get(key) for r in runs)
        for key in ("lost", "duplicated", "out_of_order", "publish_failures", "delivered", "expected"):
            row[key] = sum(r[key] for r in runs)
        for key in ("notes_expected", "notes_delivered"):
            row[key] = sum(r[key] for r in runs) if key in runs[0] else None
        row["runs"] = len(runs)
        row["rate"] = runs[0]["rate"]
        row["closed"] = measured["closed_during_runs"]
        row["connect_s"] = measured["connect_s"]
        rows.append(row)
    return rows


def verdicts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The issue's targets, as ratios against the baselines measured in the same invocation."""
    out = []
    by = {(r["target"], r["subscribers"], r["phase"]): r for r in rows}
    for n in sorted({r["subscribers"] for r in rows}):
        for ours in ("commons-sqlite", "commons-postgres"):
            burst, steady = by.get((ours, n, "burst")), by.get((ours, n, "steady"))
            bare_b, sio_b = by.get(("bare", n, "burst")), by.get(("sio", n, "burst"))
            bare_s = by.get(("bare", n, "steady"))
            if not burst or not steady:
                continue
            v: dict[str, Any] = {"target": ours, "subscribers": n}
            v["zero_loss"] = all(
                by[(ours, n, p)]["lost"] + by[(ours, n, p)]["duplicated"] == 0
                and by[(ours, n, p)].get("notes_delivered") == by[(ours, n, p)].get("notes_expected")
                for p in ("steady", "burst")
            )
            if bare_b:
                v["deliveries_vs_bare"] = ratio(burst["deliveries_per_s"], bare_b["deliveries_per_s"])
                v["deliveries_vs_bare_ok"] = v["deliveries_vs_bare"] >= 0.5
                v["frames_vs_bare"] = ratio(burst["frames_per_s"], bare_b["frames_per_s"])
            if sio_b:
                v["deliveries_vs_sio"] = ratio(burst["deliveries_per_s"], sio_b["deliveries_per_s"])
                v["deliveries_vs_sio_ok"] = v["deliveries_vs_sio"] > 1.0
            if bare_s:
                v["p99_vs_bare"] = ratio(steady["p99_ms"], bare_s["p99_ms"])
                v["p99_vs_bare_ok"] = v["p99_vs_bare"] <= 1.5
            out.append(v)
    return out


def print_tables(rows: list[dict[str, Any]], checks: list[dict[str, Any]]) -> None:
    headers = [
        "target",
        "N",
        "phase",
        "deliv/s",
        "frames/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "lost",
        "dup",
        "srv CPU%",
        "cli CPU%",
        "srv RSS MB",
        "API p50 ms",
        "notes",
        "note p99 ms",
        "connect s",
    ]
    print(
        table(
            headers,
            [
                [
                    LABELS[r["target"]],
                    r["subscribers"],
                    r["phase"],
                    r["deliveries_per_s"],
                    r["frames_per_s"],
                    r["p50_ms"],
                    r["p95_ms"],
                    r["p99_ms"],
                    r["max_ms"],
                    r["lost"],
                    r["duplicated"],
                    r["server_cpu_pct"],
                    r["client_cpu_pct"],
                    r["server_rss_mb"],
                    r["api_p50_ms"],
                    f"{r['notes_delivered']}/{r['notes_expected']}" if r.get("notes_expected") is not None else "",
                    r["note_p99_ms"],
                    r["connect_s"] if r["phase"] == "steady" else "",
                ]
                for r in rows
            ],
        )
    )
    if checks:
        print()
        print(
            table(
                [
                    "target",
                    "N",
                    "zero loss",
                    "deliv/s ÷ bare (≥0.5)",
                    "frames/s ÷ bare",
                    "deliv/s ÷ socketio (>1)",
                    "p99 ÷ bare (≤1.5)",
                ],
                [
                    [
                        LABELS[c["target"]],
                        c["subscribers"],
                        "yes" if c["zero_loss"] else "NO",
                        c.get("deliveries_vs_bare", math.nan),
                        c.get("frames_vs_bare", math.nan),
                        c.get("deliveries_vs_sio", math.nan),
                        c.get("p99_vs_bare", math.nan),
                    ]
                    for c in checks
                ],
            )
        )


async def run(args: argparse.Namespace) -> Report:
    raise_nofile()
    report = Report(args.name, vars(args))
    measured: list[dict[str, Any]] = []
    for n in args.subscribers:
        frame_bytes = 1500
        for label in args.targets:
            log(f"fan-out: {LABELS[label]} with {n} subscribers")
            result = await measure_target(label, n, args, frame_bytes)
            if result["target"].startswith("commons") and result["frame_bytes"]:
                frame_bytes = result["frame_bytes"]  # the baselines send frames of the size ours sent
            measured.append(result)
    rows = [row for m in measured for row in condense(m)]
    checks = verdicts(rows)
    report.rows = rows
    report.extra["checks"] = checks
    report.extra["measured"] = [
        {**m, "runs": [{k: v for k, v in r.items() if k != "latencies_ms"} for r in m["runs"]]} for m in measured
    ]
    report.extra["plot"] = fanout_plot(report.path(".png"), measured)
    report.write()
    print_tables(rows, checks)
    return report


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--subscribers", type=int, nargs="+", default=[1000])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--targets", nargs="+", choices=ALL_TARGETS, default=ALL_TARGETS)
    p.add_argument("--offered", type=float, default=10_000, help="Steady load in deliveries/s (rate = offered / N).")
    p.add_argument("--rate", type=float, default=None, help="Posts per second (overrides --offered).")
    p.add_argument("--seconds", type=float, default=4, help="Length of a steady run.")
    p.add_argument("--min-posts", type=int, default=8, help="At least this many posts per steady run.")
    p.add_argument("--burst", type=int, default=40, help="Posts per burst run.")
    p.add_argument("--burst-concurrency", type=int, default=8, help="API requests in flight in a burst.")
    p.add_argument("--drain-timeout", type=float, default=30)
    p.add_argument("--pause", type=float, default=1.0, help="Seconds between runs.")
    p.add_argument("--client-procs", type=int, default=0, help="Load-generator processes (default: N/250, 2–8).")
    p.add_argument(
        "--follow",
        choices=["all", "mentions"],
        default="all",
        help="Subscribers' follow level: all (each post also notifies every one of them) or mentions.",
    )
    notifications_option(p)
    p.add_argument("--name", default="fanout", help="Report name (bench/results/NAME.json and .png).")
    p.add_argument("--profile", default="", help="Record the server with py-spy into this file (raw format).")
    p.add_argument("--keep", action="store_true", help="Keep the working directory (logs, database).")
    return p


if __name__ == "__main__":
    asyncio.run(run(parser().parse_args()))
