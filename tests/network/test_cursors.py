"""Cursors are opaque, round-trip exactly, and anything we did not issue is refused with a 400."""

from __future__ import annotations

import base64
import re

import pytest

from network import cursors
from network.cursors import BadCursor
from network.errors import Invalid


def _raw(cursor: str) -> str:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize("last_id", [1, 2, 9, 10, 255, 65_536, 2**31 - 1, 2**31, 10**17, 10**18 - 1])
def test_id_cursor_round_trips(last_id: int) -> None:
    cursor = cursors.encode(last_id)
    assert cursors.decode(cursor) == last_id
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor), "URL-safe without escaping or padding"
    assert cursor != str(last_id) and not cursor.isdigit(), "opaque, not the id itself"


@pytest.mark.parametrize("key", [(0,), (1, 1), (0, 5), (1, 10**17), (3, 0, 7), (1, 2, 3, 4)])
def test_key_cursor_round_trips(key: tuple[int, ...]) -> None:
    assert cursors.decode_key(cursors.encode_key(key), len(key)) == key


def test_no_cursor_means_the_first_page() -> None:
    assert cursors.decode(None) is None
    assert cursors.decode("") is None
    assert cursors.decode_key(None, 2) is None
    assert cursors.decode_key("", 2) is None


def test_cursors_differ_per_position() -> None:
    assert len({cursors.encode(i) for i in range(1, 500)}) == 499
    assert cursors.encode_key((0, 5)) != cursors.encode_key((1, 5)) != cursors.encode(5)


def _tampered() -> list[str]:
    good = cursors.encode(42)
    raw = _raw(good)
    version, body, check = raw.split(":")
    flipped = [good[:i] + ("A" if c != "A" else "B") + good[i + 1 :] for i, c in enumerate(good)]
    return [
        *flipped,  # any one character changed
        good[:-1],  # cut short
        good + "A",  # extended
        good + "==",  # padded (not how we issue them)
        good.replace("_", "/").replace("-", "+") + "/",  # another alphabet
        _b64(f"{version}:43:{check}"),  # another position, old checksum
        _b64(f"1:{body}:{check}"),  # another version
        _b64(f"{version}:{body}"),  # no checksum
        _b64(f"{version}:{body}:{check}:x"),
        _b64(f"{version}:0{body}:{check}"),
    ]


@pytest.mark.parametrize("cursor", _tampered())
def test_tampered_cursors_are_refused(cursor: str) -> None:
    with pytest.raises(BadCursor):
        cursors.decode(cursor)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!!",
        " ",
        "a",
        "====",
        "MTo0Mg",  # the unsigned "1:42" of an older format
        "bm90IGEgY3Vyc29y",  # base64 of "not a cursor"
        "//79/A",  # bytes that are not text
        "é",
        "\x00",
        "A" * 200,
    ],
)
def test_garbage_is_refused(cursor: str) -> None:
    with pytest.raises(BadCursor):
        cursors.decode(cursor)
    with pytest.raises(BadCursor):
        cursors.decode_key(cursor, 2)


def test_a_cursor_of_another_shape_is_refused() -> None:
    with pytest.raises(BadCursor):
        cursors.decode_key(cursors.encode(5), 2)
    with pytest.raises(BadCursor):
        cursors.decode(cursors.encode_key((1, 5)))
    with pytest.raises(BadCursor):
        cursors.decode(cursors.encode_key((0,)))  # ids start at 1


def test_well_formed_but_unissuable_values_are_refused() -> None:
    """Values that would overflow a 64-bit column, signs and leading zeros never reach the database."""
    for body in ("1" + "0" * 18, "-5", "+5", "05", "1_000", " 5", "5,0", "5e3", "", "1..2"):
        payload = f"2:{body}"
        check = cursors._check(payload)
        with pytest.raises(BadCursor):
            cursors.decode_key(_b64(f"{payload}:{check}"), len(body.split(".")) if body else 1)


def test_refusal_is_a_400_with_a_readable_message() -> None:
    with pytest.raises(Invalid) as caught:
        cursors.decode("garbage")
    error = caught.value
    assert error.status == 400
    assert "cursor" in error.message.lower() and "start again" in error.message
    assert "cursor" in error.fields


@pytest.mark.parametrize("key", [(), (-1,), (1, -2), (1, 2, 3, 4, 5), (True,)])
def test_encoding_a_bad_key_is_a_programming_error(key: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="cursor key"):
        cursors.encode_key(key)
    with pytest.raises(ValueError, match="id"):
        cursors.encode(0)


def test_next_cursor_only_when_a_page_is_full_and_more_follow() -> None:
    assert cursors.next_cursor([], 3) is None
    assert cursors.next_cursor([9, 8, 7], 3) is None
    cursor = cursors.next_cursor([9, 8, 7, 6], 3)
    assert cursor is not None and cursors.decode(cursor) == 7
    assert cursors.next_key_cursor([(1, 9), (0, 8)], 2) is None
    key_cursor = cursors.next_key_cursor([(1, 9), (0, 8), (0, 7)], 2)
    assert key_cursor is not None and cursors.decode_key(key_cursor, 2) == (0, 8)
