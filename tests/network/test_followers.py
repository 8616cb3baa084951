"""Who a new post or a mention notifies (pure rules)."""

from __future__ import annotations

from network.enums import FollowLevel, PostKind
from network.followers import mentioned, post_recipients

NAMES = {1: "Priya Shah", 2: "Tom", 3: "Tom Byrne", 4: "Ngozi Okafor-Reid"}


def test_mentions_match_whole_display_names_case_insensitively() -> None:
    assert mentioned("Thanks @priya shah, this helped", NAMES) == {1}
    assert mentioned("@Tom Byrne and @Tom: both of you", NAMES) == {2, 3}
    assert mentioned("cc @Ngozi Okafor-Reid.", NAMES) == {4}
    assert mentioned("email priya shah@example.org", NAMES) == set()
    assert mentioned("@Tomas is someone else", NAMES) == set()
    assert mentioned("@Priya Shahid is someone else", NAMES) == set()
    assert mentioned("no at-sign at all", NAMES) == set()


def test_follow_levels_choose_new_post_recipients() -> None:
    levels = {
        1: FollowLevel.ALL,
        2: FollowLevel.REQUESTS_ONLY,
        3: FollowLevel.MENTIONS,
        4: FollowLevel.MUTED,
    }
    assert post_recipients(PostKind.PRACTICE, levels) == {1}
    assert post_recipients(PostKind.REQUEST, levels) == {1, 2}
