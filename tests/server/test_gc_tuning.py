"""The serving process's entry point freezes what start-up built and collects young objects less often."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from server import gc_tuning

ROOT = Path(__file__).resolve().parents[2]


def test_the_asgi_entry_point_freezes_the_built_app(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'commons.db'}"}
    probe = "import gc, json, server.asgi; print(json.dumps([gc.get_freeze_count(), gc.get_threshold()]))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    frozen, thresholds = json.loads(out.stdout.strip().splitlines()[-1])
    assert frozen > 50_000  # the app, its routes, models and libraries
    assert tuple(thresholds) == gc_tuning.THRESHOLDS


def test_building_an_app_alone_leaves_the_collector_as_it_was(tmp_path: Path) -> None:
    # Tests build many apps in one process: freezing there would keep every one of them alive.
    from server.app import create_app
    from server.settings import Settings

    before = gc.get_threshold(), gc.get_freeze_count()
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'commons.db'}"
    create_app(Settings.from_env({"DATABASE_URL": database_url, "SECRET_KEY": "x" * 40}))
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
