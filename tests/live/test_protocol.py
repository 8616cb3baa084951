"""Parsing client messages (pure)."""

from __future__ import annotations

import json

import pytest

from server.live import protocol as p


def test_subscriptions_parse() -> None:
    assert p.parse('{"type": "subscribe", "network": "North-West", "after": 5, "epoch": "e1"}') == p.SubscribeNetwork(
        "north-west", 5, "e1"
    )
    assert p.parse(b'{"type": "subscribe", "network": "x", "after": null}') == p.SubscribeNetwork("x", None, None)
    assert p.parse('{"type": "subscribe", "stream": "notifications", "after": 0}') == p.SubscribeNotifications(0, None)
    assert p.parse('{"type": "unsubscribe", "network": "x"}') == p.Unsubscribe("x")
    assert p.parse('{"type": "pong"}') == p.Pong()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "bad_json"),
        ("[]", "bad_json"),
        ('"subscribe"', "bad_json"),
        ('{"type": "shout"}', "unknown_type"),
        ("{}", "unknown_type"),
        ('{"type": "subscribe", "network": "x", "after": true}', "bad_cursor"),
        ('{"type": "subscribe", "network": "x", "after": 1.5}', "bad_cursor"),
        ('{"type": "subscribe", "network": "x", "after": -3}', "bad_cursor"),
        ('{"type": "subscribe", "network": "x", "epoch": 7}', "bad_epoch"),
        ('{"type": "subscribe", "network": ""}', "bad_subscribe"),
        ('{"type": "subscribe", "network": 12}', "bad_subscribe"),
        ('{"type": "unsubscribe"}', "bad_unsubscribe"),
        (json.dumps({"type": "subscribe", "network": "x" * (p.MAX_MESSAGE_BYTES + 1)}), "too_large"),
    ],
)
def test_bad_messages_name_the_problem(raw: str, code: str) -> None:
    parsed = p.parse(raw)
    assert isinstance(parsed, p.BadMessage)
    assert parsed.code == code
    assert parsed.message


def test_frames_are_the_documented_shapes() -> None:
    assert json.loads(p.subscribed("x", 3, "e")) == {"type": "subscribed", "network": "x", "seq": 3, "epoch": "e"}
    assert json.loads(p.event("x", 4, "post.created", {"a": 1})) == {
        "type": "event",
        "network": "x",
        "seq": 4,
        "kind": "post.created",
        "data": {"a": 1},
    }
    assert json.loads(p.resync("cursor_expired")) == {
        "type": "resync",
        "stream": "notifications",
        "reason": "cursor_expired",
    }
    assert json.loads(p.PING) == {"type": "ping"}


@pytest.mark.parametrize(
    "data",
    [
        {"post_id": 7, "title": 'A "quoted" title, ünïcode', "at": "2026-12-03T07:30:00+00:00", "read": False},
        {"id": 999, "by": "a payload's own id gives way to the notification's"},
        {},
    ],
)
def test_a_notification_joined_from_parts_is_the_whole_frame(data: dict[str, object]) -> None:
    parts = p.notification_parts("post.created", data)
    for seq, note_id in ((1, 10), (12345, 67890)):
        whole = {"type": "notification", "seq": seq, "kind": "post.created", "data": {**data, "id": note_id}}
        assert json.loads(p.joined(seq, note_id, parts)) == whole
