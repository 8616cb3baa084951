"""The feed cache's pure parts: least-recently-used order, and which pages may be kept."""

from __future__ import annotations

from datetime import UTC, datetime

from network.content.feed_cache import Entry, FeedCache, entry_for
from network.enums import ContentState, OrgKind, PostKind
from network.views import OrganisationView, Page, PersonRef, PostView


def entry(name: str) -> Entry:
    return Entry(name.encode(), (1,), b"[]")


def post(post_id: int, author_id: int, state: ContentState = ContentState.VISIBLE, name: str = "Ann") -> PostView:
    return PostView(
        id=post_id,
        network="n",
        kind=PostKind.PRACTICE,
        title="t",
        body="b",
        body_html="<p>b</p>",
        author=PersonRef(author_id, name, OrganisationView(7, "Trust", OrgKind.MULTI_ACADEMY_TRUST)),
        state=state,
        pinned=False,
        locked=False,
        revision=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        edited_at=None,
        summary="",
        phases=[],
        setting="",
        what_we_did="",
        what_we_stopped="",
        impact="",
        evidence_strength=None,
        themes=[],
        resources=[],
        support_type=None,
        urgency=None,
        status=None,
        outcome="",
        closed_at=None,
    )


def test_the_least_recently_used_page_goes_first() -> None:
    cache = FeedCache(size=2)
    cache.put("a", entry("a"))
    cache.put("b", entry("b"))
    assert cache.get("a") == entry("a")  # "a" is now the most recent
    cache.put("c", entry("c"))
    assert len(cache) == 2
    assert cache.get("b") is None
    assert cache.get("a") == entry("a")
    assert cache.get("c") == entry("c")
    cache.put("c", entry("c2"))  # replacing keeps one entry per key
    assert len(cache) == 2 and cache.get("c") == entry("c2")
    cache.clear()
    assert len(cache) == 0 and cache.get("a") is None


def test_only_pages_of_visible_posts_are_kept() -> None:
    kept = entry_for(Page(items=[post(3, 20), post(2, 10), post(1, 20)], next_cursor=None), b"page")
    assert kept is not None
    assert kept.page == b"page"
    assert kept.authors == (10, 20)  # each author once, in id order
    for state in (ContentState.HELD, ContentState.HIDDEN):
        assert entry_for(Page(items=[post(2, 10), post(1, 20, state)], next_cursor=None), b"page") is None
    assert entry_for(Page(items=[], next_cursor=None), b"page") is None


def test_the_names_kept_are_those_shown() -> None:
    before = entry_for(Page(items=[post(1, 10, name="Ann")], next_cursor=None), b"page")
    after = entry_for(Page(items=[post(1, 10, name="Dr Ann")], next_cursor=None), b"page")
    assert before is not None and after is not None
    assert before.names != after.names
    assert b"Ann" in before.names
