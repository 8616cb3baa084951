"""Placeholder: filled in by the moderation pages."""

from __future__ import annotations

from typing import Any

handlers: list[Any] = []
