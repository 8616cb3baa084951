"""3. Memory per idle authenticated subscriber: server RSS growth divided by the sockets added.

Per target and run: start the server, connect a warm-up group (so one-time costs such as the
first websocket's imports are not charged to the subscribers), take the RSS, then add
subscribers up to each N (each authenticated with its own token and subscribed to the
network on ours, and to its own notifications as every page of the web app is, unless
`--no-notifications`), let them sit idle, and take the RSS again. Target: ≤ 50 KB per subscriber.

    python -m bench.memory --subscribers 1000 5000 10000 --runs 3
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import shutil
from typing import Any

from bench import seed
from bench.common import Report, log, median, notifications_option, raise_nofile, table
from bench.fleet import Fleet
from bench.plot import lines
from bench.servers import Server, commons_env
from bench.targets import LABELS

WARM = 20
TARGETS = ["commons-sqlite", "bare", "sio"]


async def one_run(
    label: str, seeded: seed.Seeded | None, sizes: list[int], args: argparse.Namespace
) -> list[dict[str, Any]]:
    work = seed.workdir()
    mode = "commons" if label.startswith("commons") else label
    server = Server(mode, work, commons_env(seeded.database_url) if seeded else {})
    fleets: list[Fleet] = []
    rows = []
    try:
        await server.start()
        tokens = seeded.tokens_file if seeded else None
        notes = args.notifications and mode == "commons"
        warm = await Fleet(
            mode, server.port, WARM, 1, work, tokens_file=tokens, name="warm", notifications=notes
        ).start()
        fleets.append(warm)
        await asyncio.sleep(args.settle)
        base = server.rss()
        connected = 0
        for n in sizes:
            procs = min(8, max(1, (n - connected) // 1250 + 1))
            fleet = Fleet(
                mode,
                server.port,
                n - connected,
                procs,
                work,
                tokens_file=tokens,
                token_offset=WARM + connected,
                ip_base=2 + len(fleets) * 20,
                name=f"mem-{n}",
                notifications=notes,
            )
            fleets.append(await fleet.start())
            connected += fleet.ready
            gc.collect()
            await asyncio.sleep(args.settle)
            rss = server.rss()
            rows.append(
                {
                    "target": label,
                    "subscribers": n,
                    "connected": connected,
                    "failed": fleet.failed,
                    "rss_base_mb": base / 2**20,
                    "rss_mb": rss / 2**20,
                    "kb_per_subscriber": (rss - base) / max(connected, 1) / 1024,
                }
            )
            log(
                f"{label}: {connected} idle subscribers, RSS {rss / 2**20:.1f} MB, "
                f"{rows[-1]['kb_per_subscriber']:.1f} KB each"
            )
        return rows
    finally:
        for fleet in fleets:
            await fleet.stop()
        await server.stop()
        shutil.rmtree(work, ignore_errors=True)


async def run(args: argparse.Namespace) -> Report:
    raise_nofile()
    report = Report("memory", vars(args))
    sizes = sorted(args.subscribers)
    work = seed.workdir()
    measured: list[dict[str, Any]] = []
    try:
        seeded = None
        if any(t.startswith("commons") for t in args.targets):
            url = await asyncio.to_thread(seed.fresh_database, "sqlite", work, "")
            log(f"seeding {sizes[-1] + WARM} subscribers")
            seeded = await seed.seed_network(url, work, sizes[-1] + WARM)
        for label in args.targets:
            for i in range(args.runs):
                log(f"memory: {LABELS[label]}, run {i + 1}")
                for row in await one_run(label, seeded if label.startswith("commons") else None, sizes, args):
                    measured.append(row | {"run": i})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for label in args.targets:
        for n in sizes:
            runs = [m for m in measured if m["target"] == label and m["subscribers"] == n]
            report.rows.append(
                {
                    "target": label,
                    "subscribers": n,
                    "kb_per_subscriber": median(r["kb_per_subscriber"] for r in runs),
                    "rss_mb": median(r["rss_mb"] for r in runs),
                    "rss_base_mb": median(r["rss_base_mb"] for r in runs),
                    "failed": sum(r["failed"] for r in runs),
                    "runs": len(runs),
                    "target_ok": None,
                }
            )
    for row in report.rows:
        if row["target"].startswith("commons"):
            row["target_ok"] = row["kb_per_subscriber"] <= 50
    report.extra["measured"] = measured
    report.extra["plot"] = lines(
        report.path(".png"),
        "Server memory per idle subscriber",
        [float(n) for n in sizes],
        {LABELS[t]: [r["kb_per_subscriber"] for r in report.rows if r["target"] == t] for t in args.targets},
        "idle subscribers",
        "KB of RSS per subscriber (median of runs)",
    )
    report.write()
    print(
        table(
            ["target", "subscribers", "KB / subscriber", "RSS MB", "base RSS MB", "≤ 50 KB", "failed"],
            [
                [
                    LABELS[r["target"]],
                    r["subscribers"],
                    r["kb_per_subscriber"],
                    r["rss_mb"],
                    r["rss_base_mb"],
                    "" if r["target_ok"] is None else ("yes" if r["target_ok"] else "NO"),
                    r["failed"],
                ]
                for r in report.rows
            ],
        )
    )
    return report


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--subscribers", type=int, nargs="+", default=[1000])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--targets", nargs="+", choices=TARGETS, default=TARGETS)
    p.add_argument("--settle", type=float, default=1.0, help="Seconds idle before reading the RSS.")
    notifications_option(p)
    return p


if __name__ == "__main__":
    asyncio.run(run(parser().parse_args()))
