"""The JSON API under /api/v1 (docs/design.md §6)."""
