"""Opaque cursors for keyset pagination ("items after this one"), kept apart from I/O.

A cursor is the last id of a page, versioned and base64url-encoded so clients treat it as
opaque and we can change what it holds. Lists are ordered by id descending (newest first).
"""

from __future__ import annotations

import base64
import binascii

from network.errors import Invalid

_VERSION = "1"


def encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_VERSION}:{last_id}".encode()).decode().rstrip("=")


def decode(cursor: str | None) -> int | None:
    """The id to continue below, or None for the first page; Invalid for a malformed cursor."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, _, value = raw.partition(":")
        last_id = int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Invalid("That cursor is not valid; start again without one.", fields={"cursor": "Malformed."}) from None
    if version != _VERSION or last_id < 1:
        raise Invalid("That cursor is not valid; start again without one.", fields={"cursor": "Malformed."})
    return last_id


def next_cursor(ids: list[int], limit: int) -> str | None:
    """A cursor for the page after `ids` if the page was full (we fetch limit + 1 to know)."""
    return encode(ids[limit - 1]) if len(ids) > limit else None
