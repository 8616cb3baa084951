"""What crosses between server processes: small signals, never content.

A wake-up says "stream S of owner O has reached seq N"; every server reads the rows itself,
so a lost signal costs latency, never data. A revocation says "stop serving this session /
person's sessions / person / token now". Both travel as short strings so every bus carries them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Stream = Literal["network", "person"]
Revoked = Literal["session", "sessions", "person", "token"]  # "sessions": every session of a person


@dataclass(frozen=True, slots=True)
class Wakeup:
    stream: Stream
    owner_id: int
    seq: int


@dataclass(frozen=True, slots=True)
class Revocation:
    kind: Revoked
    key: str  # a person or token id, or the digest of a session id


@dataclass(frozen=True, slots=True)
class CatchUp:
    """Local only: the bus was down for a while, so re-read every stream (signals may have been missed)."""


Signal = Wakeup | Revocation | CatchUp

_STREAM_CODES: dict[str, Stream] = {"n": "network", "p": "person"}
_REVOKE_CODES: dict[str, Revoked] = {"s": "session", "a": "sessions", "u": "person", "t": "token"}


def encode(signal: Wakeup | Revocation) -> str:
    if isinstance(signal, Wakeup):
        return f"{signal.stream[0]}:{signal.owner_id}:{signal.seq}"
    code = {kind: code for code, kind in _REVOKE_CODES.items()}[signal.kind]
    return f"x:{code}:{signal.key}"


def decode(text: str) -> Wakeup | Revocation | None:
    """Parse a signal; None for anything malformed (a bus is shared, so be strict and quiet)."""
    parts = text.split(":")
    if len(parts) != 3:
        return None
    head, a, b = parts
    if head in _STREAM_CODES and a.isdigit() and b.isdigit():
        return Wakeup(_STREAM_CODES[head], int(a), int(b))
    if head == "x" and a in _REVOKE_CODES and b and len(b) <= 128:
        return Revocation(_REVOKE_CODES[a], b)
    return None


PACK_LIMIT = 7000  # characters per bus message (PostgreSQL's NOTIFY payload stops at 8000 bytes)


def pack(signals: list[Wakeup | Revocation], limit: int = PACK_LIMIT) -> list[str]:
    """Signals joined by spaces into as few bus messages as fit: a post to a network of thousands
    wakes thousands of notification streams, and one NOTIFY or PUBLISH each would cost more than
    the post."""
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for signal in signals:
        text = encode(signal)
        if current and size + len(text) + 1 > limit:
            messages.append(" ".join(current))
            current, size = [], 0
        current.append(text)
        size += len(text) + 1
    if current:
        messages.append(" ".join(current))
    return messages


def unpack(message: str) -> list[Wakeup | Revocation]:
    """The signals in one bus message; malformed parts are skipped."""
    return [signal for part in message.split(" ") if (signal := decode(part)) is not None]


def coalesce(wakeups: list[Wakeup]) -> list[Wakeup]:
    """One wake-up per stream, at its highest seq: a reader fetches everything up to it anyway."""
    latest: dict[tuple[str, int], Wakeup] = {}
    for w in wakeups:
        key = (w.stream, w.owner_id)
        if key not in latest or latest[key].seq < w.seq:
            latest[key] = w
    return list(latest.values())
