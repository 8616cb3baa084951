"""The JSON API under /api/v1 (DESIGN §6)."""
