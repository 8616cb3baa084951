"""Ending the background tasks each server process runs (the notice writer, the mail sender, the mail
scheduler): cancelled, and waited for, so none outlives the process's stop."""

from __future__ import annotations

import asyncio
import contextlib


async def cancel(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
