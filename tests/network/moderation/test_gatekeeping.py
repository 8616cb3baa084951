"""Pre-moderation's rule in words, singular and plural."""

from __future__ import annotations

import pytest

from network.moderation.gatekeeping import premod_rule


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "A new member's first post is approved by a lead"),
        (2, "A new member's first 2 posts are approved by a lead"),
        (10, "A new member's first 10 posts are approved by a lead"),
    ],
)
def test_the_rule_counts_its_posts(count: int, words: str) -> None:
    assert premod_rule(count) == words
