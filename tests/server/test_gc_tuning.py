"""The serving process's entry point freezes what start-up built and collects young objects less often."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter, as a plain Python process ("plain") or as the serving process ("served",
# which imports the ASGI entry point): how the collector treats what exists, and young objects made after.
PROBE = """
import gc, json, sys
app = None
if sys.argv[1] == "served":
    import server.asgi
    app = server.asgi.app
walked = gc.get_objects()  # what the collector walks (frozen objects are not among them)
at_start = len(walked)
app_walked = any(o is app or o is getattr(app, "asgi_router", None) for o in walked) if app else None
del walked
before = gc.get_stats()[0]["collections"]
young = [[] for _ in range(100_000)]  # containers that live past a young collection
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "walked_at_start": at_start,
    "app_walked": app_walked,
    "young_collections": gc.get_stats()[0]["collections"] - before,
}))
"""


def probe(kind: str, tmp_path: Path) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'commons.db'}"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, kind], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_the_serving_process_freezes_what_start_up_built_and_collects_young_objects_less_often(
    tmp_path: Path,
) -> None:
    plain, served = probe("plain", tmp_path), probe("served", tmp_path)
    assert plain["frozen"] == 0
    # what start-up built (the app, its routes, models and libraries) is frozen: never walked again
    assert served["app_walked"] is False
    assert served["walked_at_start"] < served["frozen"]
    # the same young objects cost fewer collections than under the interpreter's defaults
    assert served["young_collections"] < plain["young_collections"]


def test_building_an_app_alone_leaves_the_collector_as_it_was(tmp_path: Path) -> None:
    # Tests build many apps in one process: freezing there would keep every one of them alive.
    from server.app import create_app
    from server.settings import Settings

    before = gc.get_threshold(), gc.get_freeze_count()
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'commons.db'}"
    create_app(Settings.from_env({"DATABASE_URL": database_url, "SECRET_KEY": "x" * 40}))
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
