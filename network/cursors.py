"""Opaque cursors for keyset pagination ("items after this one"), kept apart from I/O.

A cursor holds the sort key of the last item of a page: one id for lists ordered by id, or a
tuple such as (pinned, id) for the feed. It is versioned, carries a short checksum and is
base64url-encoded, so clients treat it as opaque, a cursor that was altered or cut short is
refused (400) rather than silently read as another position, and we can change what it holds.

The checksum is not a secret: it protects against accidents, not against a client forging a
position. Forging one gains nothing, because every list applies the reader's permissions to
the rows after the cursor, wherever that is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from network.errors import Invalid

_VERSION = "2"
_MAX_PARTS = 4
# At most 18 digits: every value fits a signed 64-bit column, so a huge number is refused
# here instead of overflowing in the database driver.
_NUMBER = re.compile(r"0|[1-9][0-9]{0,17}")
_MESSAGE = "That cursor is not valid; start again without one."


class BadCursor(Invalid):
    """A cursor we did not issue (garbage, altered, truncated or from an older version)."""

    status = 400

    def __init__(self) -> None:
        super().__init__(_MESSAGE, fields={"cursor": "Malformed; pass back a next_cursor exactly as received."})


def _check(payload: str) -> str:
    return hashlib.blake2s(payload.encode(), digest_size=6, person=b"cursor").hexdigest()


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def encode_key(key: tuple[int, ...]) -> str:
    """A cursor for the position just after the item whose sort key is `key` (non-negative ints)."""
    if not 1 <= len(key) <= _MAX_PARTS or any(isinstance(v, bool) or v < 0 for v in key):
        raise ValueError(f"a cursor key is 1-{_MAX_PARTS} non-negative integers, not {key!r}")
    payload = f"{_VERSION}:{'.'.join(str(int(v)) for v in key)}"
    return _b64(f"{payload}:{_check(payload)}")


def decode_key(cursor: str | None, size: int) -> tuple[int, ...] | None:
    """The key to continue after, or None for the first page; BadCursor for anything we did not issue."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCursor from None
    if _b64(raw) != cursor:
        raise BadCursor  # not the canonical encoding (padding, other alphabet, trailing bits)
    version, _, rest = raw.partition(":")
    body, _, check = rest.rpartition(":")
    if version != _VERSION or check != _check(f"{version}:{body}"):
        raise BadCursor
    parts = body.split(".")
    if len(parts) != size or not all(_NUMBER.fullmatch(p) for p in parts):
        raise BadCursor
    return tuple(int(p) for p in parts)


def encode(last_id: int) -> str:
    """A cursor after the item with id `last_id`, for lists ordered by id."""
    if last_id < 1:
        raise ValueError(f"an id is at least 1, not {last_id!r}")
    return encode_key((last_id,))


def decode(cursor: str | None) -> int | None:
    """The id to continue after, or None for the first page; BadCursor for a cursor we did not issue."""
    key = decode_key(cursor, 1)
    if key is None:
        return None
    if key[0] < 1:
        raise BadCursor
    return key[0]


def next_cursor(ids: list[int], limit: int) -> str | None:
    """A cursor for the page after `ids` if there is one (we fetch limit + 1 rows to know)."""
    return encode(ids[limit - 1]) if len(ids) > limit else None


def next_key_cursor(keys: list[tuple[int, ...]], limit: int) -> str | None:
    """As `next_cursor`, for lists ordered by a compound key."""
    return encode_key(keys[limit - 1]) if len(keys) > limit else None
