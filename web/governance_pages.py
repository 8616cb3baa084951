"""The governance pages, in one list for the page router: the transparency log, a network's settings,
its charter with history and diffs, appeals, and joining by invitation or with answers (each in its own module)."""

from __future__ import annotations

from typing import Any

from web import appeal_pages, charter_pages, join_pages, log_pages, settings_pages

handlers: list[Any] = [
    *log_pages.handlers,
    *settings_pages.handlers,
    *charter_pages.handlers,
    *appeal_pages.handlers,
    *join_pages.handlers,
]
