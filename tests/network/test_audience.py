"""Who receives an event (network/audience.py), as pure rules: content follows its state, every other
kind its table row, and the check against a subscriber is the table of docs/design.md §4.1."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from network import audience
from network.audience import LEADS, READERS, WITHHELD, Audience, Shown, for_content, may_receive, of_kind
from network.enums import ContentState, MemberState, Role, Visibility
from network.permissions import Viewer

NOW = datetime(2026, 12, 1, tzinfo=UTC)
AUTHOR, REPLIER = 7, 8
VISIBLE, HIDDEN, HELD, REMOVED = ContentState.VISIBLE, ContentState.HIDDEN, ContentState.HELD, ContentState.REMOVED


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([Shown(VISIBLE, AUTHOR)], Audience(READERS)),
        ([Shown(VISIBLE, AUTHOR), Shown(VISIBLE, REPLIER)], Audience(READERS)),
        ([Shown(HIDDEN, AUTHOR)], Audience(WITHHELD, AUTHOR)),
        ([Shown(HELD, AUTHOR)], Audience(WITHHELD, AUTHOR)),
        ([Shown(REMOVED, AUTHOR)], Audience(LEADS)),
        # a hidden reply of a shown post: its author still sees it; a hidden post's replies: its author
        ([Shown(VISIBLE, AUTHOR), Shown(HIDDEN, REPLIER)], Audience(WITHHELD, REPLIER)),
        ([Shown(HIDDEN, AUTHOR), Shown(VISIBLE, REPLIER)], Audience(WITHHELD, AUTHOR)),
        # both out of view, by different people: no one but the leads sees both
        ([Shown(HIDDEN, AUTHOR), Shown(HIDDEN, REPLIER)], Audience(LEADS)),
        ([Shown(HIDDEN, AUTHOR), Shown(HELD, AUTHOR)], Audience(WITHHELD, AUTHOR)),
        ([Shown(VISIBLE, AUTHOR), Shown(REMOVED, REPLIER)], Audience(LEADS)),
    ],
)
def test_content_events_follow_the_content(items: list[Shown], expected: Audience) -> None:
    assert for_content(items) == expected


def test_a_kind_nobody_decided_goes_to_the_leads_alone() -> None:
    assert of_kind("something.new") == Audience(LEADS)
    assert of_kind("decision.logged") == Audience(READERS)
    assert of_kind("member.joined") == Audience(audience.MEMBERS)
    assert of_kind("network.updated") == Audience(LEADS)


def test_the_tables_do_not_overlap() -> None:
    assert not audience.CONTENT_KINDS & set(audience.AUDIENCES)
    assert not audience.HELD_KINDS & (audience.CONTENT_KINDS | set(audience.AUDIENCES))


def test_subject_and_reply_are_read_from_any_payload_shape() -> None:
    assert audience.subject_of({"post": {"id": 3}}) == 3
    assert audience.subject_of({"reply": {"id": 9, "post_id": 3}, "reply_count": 1}) == 3
    assert audience.subject_of({"offer": {"id": 5, "post_id": 3}}) == 3
    assert audience.subject_of({"post_id": 3, "reactions": {}}) == 3
    assert audience.subject_of({"entry": {"id": 1}}) is None
    assert audience.reply_of({"reply": {"id": 9, "post_id": 3}}) == 9
    assert audience.reply_of({"reply_id": 9, "post_id": 3}) == 9
    assert audience.reply_of({"post": {"id": 3}}) is None


MEMBER = Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.ACTIVE)
LEAD = Viewer(signed_in=True, role=Role.LEAD, state=MemberState.ACTIVE)
OUTSIDER = Viewer(signed_in=True)
SUSPENDED = Viewer(signed_in=True, role=Role.MEMBER, state=MemberState.SUSPENDED)
OBSERVER = Viewer(signed_in=True, role=Role.OBSERVER, state=MemberState.ACTIVE, observer_only=True)
ADMIN = Viewer(signed_in=True, is_admin=True)


@pytest.mark.parametrize(
    ("to", "person", "who", "viewer", "visibility", "expected"),
    [
        (READERS, None, 1, OUTSIDER, Visibility.PUBLIC, True),
        (READERS, None, 1, OUTSIDER, Visibility.MEMBERS, False),
        (READERS, None, 1, SUSPENDED, Visibility.PUBLIC, False),
        (audience.MEMBERS, None, 1, OUTSIDER, Visibility.PUBLIC, False),
        (audience.MEMBERS, None, 1, OBSERVER, Visibility.PUBLIC, True),
        (audience.MEMBERS, None, 1, MEMBER, Visibility.HIDDEN, True),
        (LEADS, None, 1, MEMBER, Visibility.PUBLIC, False),
        (LEADS, None, 1, LEAD, Visibility.PUBLIC, True),
        (LEADS, None, 1, ADMIN, Visibility.HIDDEN, True),
        (WITHHELD, AUTHOR, AUTHOR, MEMBER, Visibility.MEMBERS, True),
        (WITHHELD, AUTHOR, REPLIER, MEMBER, Visibility.MEMBERS, False),
        (WITHHELD, AUTHOR, REPLIER, LEAD, Visibility.MEMBERS, True),
        # the one person named still receives it only while they may read the network
        (WITHHELD, AUTHOR, AUTHOR, SUSPENDED, Visibility.PUBLIC, False),
        (LEADS, AUTHOR, AUTHOR, MEMBER, Visibility.PUBLIC, True),
        (audience.PERSON, AUTHOR, REPLIER, LEAD, Visibility.PUBLIC, False),
    ],
)
def test_who_receives_an_event(
    to: str, person: int | None, who: int, viewer: Viewer, visibility: Visibility, expected: bool
) -> None:
    assert may_receive(to, person, who, viewer, visibility, NOW) is expected
