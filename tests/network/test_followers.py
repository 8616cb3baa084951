"""Who a new post or a mention notifies (pure rules)."""

from __future__ import annotations

from network.enums import FollowLevel, PostKind
from network.followers import mentioned, notified_levels

NAMES = {1: "Priya Shah", 2: "Tom", 3: "Tom Byrne", 4: "Ngozi Okafor-Reid"}


def test_mentions_match_whole_display_names_case_insensitively() -> None:
    assert mentioned("Thanks @priya shah, this helped", NAMES) == {1}
    assert mentioned("@Tom Byrne and @Tom: both of you", NAMES) == {2, 3}
    assert mentioned("cc @Ngozi Okafor-Reid.", NAMES) == {4}
    assert mentioned("email priya shah@example.org", NAMES) == set()
    assert mentioned("@Tomas is someone else", NAMES) == set()
    assert mentioned("@Priya Shahid is someone else", NAMES) == set()
    assert mentioned("no at-sign at all", NAMES) == set()


def test_follow_levels_choose_who_hears_of_a_new_post() -> None:
    assert notified_levels(PostKind.PRACTICE) == {FollowLevel.ALL}
    assert notified_levels(PostKind.REQUEST) == {FollowLevel.ALL, FollowLevel.REQUESTS_ONLY}
    assert FollowLevel.MENTIONS not in notified_levels(PostKind.REQUEST)
    assert FollowLevel.MUTED not in notified_levels(PostKind.REQUEST)
