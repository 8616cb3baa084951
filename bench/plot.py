"""PNG plots of the reports (matplotlib, no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

LABELS = {
    "commons-sqlite": "ours (SQLite)",
    "commons-postgres": "ours (PostgreSQL)",
    "bare": "bare websockets",
    "sio": "python-socketio",
}


def _cdf(ax: Any, values: Sequence[float], label: str) -> None:
    ordered = sorted(v for v in values if v == v)
    if not ordered:
        return
    n = len(ordered)
    step = max(1, n // 2000)
    xs = [*ordered[::step], ordered[-1]]
    ys = [i / n for i in range(0, n, step)] + [1.0]
    ax.plot(xs, ys, label=label)


def fanout_plot(path: Path, measured: list[dict[str, Any]]) -> str:
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5))
    names, speeds = [], []
    for m in measured:
        label = f"{LABELS.get(m['target'], m['target'])}, N={m['subscribers']}"
        steady = [x for r in m["runs"] if r["phase"] == "steady" for x in r["latencies_ms"]]
        _cdf(left, steady, label)
        burst = sorted(r["deliveries_per_s"] for r in m["runs"] if r["phase"] == "burst")
        if burst:
            names.append(label.replace(", ", "\n"))
            speeds.append(burst[len(burst) // 2])
    left.set_xscale("log")
    left.set_xlabel("commit → receive latency, ms (steady runs, log scale)")
    left.set_ylabel("fraction of deliveries")
    left.set_title("Latency CDF")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)
    right.bar(range(len(speeds)), speeds, color="tab:blue")
    right.set_xticks(range(len(speeds)), names, fontsize=7)
    right.set_ylabel("deliveries/s (median of burst runs)")
    right.set_title("Burst throughput")
    right.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path.name)


def bars(
    path: Path, title: str, groups: list[str], series: dict[str, list[float]], ylabel: str, log: bool = False
) -> str:
    """Grouped bars: one group per label in `groups`, one bar per series."""
    fig, ax = plt.subplots(figsize=(max(7, len(groups) * 1.4), 4.5))
    width = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series.items()):
        ax.bar([g + i * width for g in range(len(groups))], values, width, label=name)
    ax.set_xticks([g + width * (len(series) - 1) / 2 for g in range(len(groups))], groups, fontsize=8)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if log:
        ax.set_yscale("log")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path.name)


def lines(path: Path, title: str, xs: list[float], series: dict[str, list[float]], xlabel: str, ylabel: str) -> str:
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, values in series.items():
        ax.plot(xs, values, marker="o", label=name)
    ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path.name)
