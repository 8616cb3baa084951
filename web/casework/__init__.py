"""Pages for casework: flags and decisions on the post page, the review queue, appeals."""
