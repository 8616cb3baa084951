"""Pages for what members share: a post, the compose and edit forms, search."""
