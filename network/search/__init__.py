"""Finding practice: ranked full-text search over what a reader may read, related practice, saved searches."""
