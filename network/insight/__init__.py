"""Insight without grades: what the platform's evidence says about networks and organisations, in
words and counts, never a score, rank or grade (docs/design.md)."""
