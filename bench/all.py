"""Every benchmark in one go: `--quick` is `make bench` (under 5 minutes on 2 cores), `--full` is
`make bench-full`. Each benchmark writes its own JSON and PNG under bench/results/; this writes
bench/results/summary.md with every printed table.

    python -m bench.all --quick
    python -m bench.all --full --only fanout memory
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import sys
import time
from collections.abc import Callable
from typing import Any

from bench import cross, digest, fanout, frames, growth, memory, pages, search, writes
from bench.common import RESULTS, log

QUICK: dict[str, list[str]] = {
    name: command.split()
    for name, command in {
        # like for like, as the targets are set: members at `mentions` get the same frames as the baselines
        # (the full set's `fanout` adds a notification per member per post)
        "fanout_live": "--subscribers 1000 --runs 3 --offered 5000 --seconds 2 --burst 20 --burst-concurrency 4 "
        "--pause 0.5 --follow mentions --name fanout_live",
        "memory": "--subscribers 1000 --runs 3 --settle 0.3",
        "cross": "--subscribers 200 --runs 3 --seconds 2",
        "pages": "--runs 3 --seconds 1 --warmup 1",
        "growth": "--datasets 10000:100 100000:100 10000:10000 --iterations 200",
        "frames": "--sockets 1000 --runs 3",
        "digest": "--people 2000 --networks 20 --posts 20000 --send 200",
        "search": "--pg-sizes 10000 --sqlite-sizes 10000 --runs 15 --warmup 2 --saved 10000 --saved-posts 100",
    }.items()
}
FULL: dict[str, list[str]] = {
    name: command.split()
    for name, command in {
        # 10k followers at `all`: a 40-post burst is 400,000 notifications, which take about 30 s to arrive
        "fanout": "--subscribers 1000 5000 10000 --runs 3 --offered 5000 --seconds 4 --burst 40 --burst-concurrency 4 "
        "--drain-timeout 120",
        # the live path alone: members who follow at `mentions` get no notification rows per post
        "fanout_live": "--subscribers 1000 5000 --runs 3 --offered 5000 --seconds 4 --burst 40 --burst-concurrency 4 "
        "--follow mentions --name fanout_live --targets commons-sqlite commons-postgres bare",
        "memory": "--subscribers 1000 5000 10000 --runs 3",
        "cross": "--subscribers 2000 --runs 5 --seconds 4",
        "pages": "--runs 5 --seconds 5 --warmup 2",
        "growth": "--datasets 10000:100 100000:100 1000000:100 100000:10000 1000000:10000 --iterations 500",
        "writes": "--posts 300 --runs 5",
        "frames": "--sockets 1000 --runs 5",
        "digest": "--people 10000 --networks 20 --posts 100000 --send 1000",
        # loading 1M generated posts takes about 12 minutes of the 20
        "search": "--pg-sizes 10000 100000 1000000 --sqlite-sizes 10000 100000 --runs 30 --saved 10000 "
        "--saved-posts 200",
    }.items()
}
MODULES: dict[str, Any] = {
    "fanout": fanout,
    "fanout_live": fanout,
    "memory": memory,
    "cross": cross,
    "pages": pages,
    "growth": growth,
    "writes": writes,
    "frames": frames,
    "digest": digest,
    "search": search,
}


class Tee(io.TextIOBase):
    def __init__(self, *streams: Any) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="The quick set (the default).")
    size.add_argument("--full", action="store_true", help="The long set: 1k/5k/10k subscribers, 1M posts.")
    parser.add_argument("--only", nargs="+", choices=list(MODULES))
    args = parser.parse_args(argv)
    plan = FULL if args.full else QUICK
    args.only = [name for name in (args.only or plan) if name in plan]
    started = time.monotonic()
    sections = []
    failures = []
    for name in args.only:
        module = MODULES[name]
        argv_for: list[str] = plan[name]
        command = f"python -m bench.{module.__name__.split('.')[-1]} {' '.join(argv_for)}"
        log(f"=== {name}: {command}")
        printed = io.StringIO()
        t0 = time.monotonic()
        try:
            with contextlib.redirect_stdout(Tee(sys.stdout, printed)):  # type: ignore[type-var]
                run: Callable[[argparse.Namespace], Any] = module.run
                asyncio.run(run(module.parser().parse_args(argv_for)))
        except Exception as exc:  # one benchmark failing must not lose the others' results
            failures.append(name)
            log(f"{name} failed: {exc!r}")
            printed.write(f"\nFAILED: {exc!r}\n")
        tables = "\n".join(line for line in printed.getvalue().splitlines() if not line.startswith("["))
        sections.append(f"## {name} ({time.monotonic() - t0:.0f} s)\n\n`{command}`\n\n{tables}\n")
    total = time.monotonic() - started
    RESULTS.mkdir(parents=True, exist_ok=True)
    header = f"# Benchmark summary ({'full' if args.full else 'quick'} set, {total:.0f} s)\n\n"
    (RESULTS / "summary.md").write_text(header + "\n".join(sections))
    log(f"all done in {total:.0f} s; tables in {RESULTS / 'summary.md'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
