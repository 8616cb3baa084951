"""Pages for a network's governance: its charter, settings and transparency log."""
