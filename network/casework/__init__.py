"""Cases that act on content and people: a flag raised, a decision taken, an appeal heard.

The top of `network`: it calls `content` and `people`, and nothing in `network` calls it."""
