"""How a network governs itself in the open: its charter, its settings, the transparency log and the leads' export."""
