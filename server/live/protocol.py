"""The websocket protocol's messages (docs/protocol.md), parsed and encoded; no I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec

# Close codes (documented in docs/protocol.md).
CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_POLICY = 1008  # foreign Origin (refused before the handshake completes)
CLOSE_TOO_BIG = 1009
CLOSE_UNAUTHENTICATED = 4001  # no valid session or token, signed out, account disabled, token revoked
CLOSE_SLOW_CONSUMER = 4008  # the send queue overflowed: reconnect and resume from your cursors
CLOSE_HEARTBEAT = 4009  # no pong (or anything) within the heartbeat timeout
CLOSE_FLOOD = 4029  # too many messages too fast

MAX_MESSAGE_BYTES = 64 * 1024
SLUG_MAX = 64
CURSOR_MAX = 2**63 - 1  # what the databases hold; a larger cursor could only fail there
NUL = "\x00"  # PostgreSQL cannot store or compare text holding it


@dataclass(frozen=True, slots=True)
class SubscribeNetwork:
    network: str
    after: int | None
    epoch: str | None


@dataclass(frozen=True, slots=True)
class SubscribeNotifications:
    after: int | None
    epoch: str | None


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    network: str


@dataclass(frozen=True, slots=True)
class Pong:
    pass


@dataclass(frozen=True, slots=True)
class BadMessage:
    code: str
    message: str


ClientMessage = SubscribeNetwork | SubscribeNotifications | Unsubscribe | Pong | BadMessage

_decoder = msgspec.json.Decoder()
_encoder = msgspec.json.Encoder()


def _cursor(value: Any) -> int | BadMessage | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= CURSOR_MAX:
        return BadMessage("bad_cursor", f"'after' must be a sequence number (an integer 0-{CURSOR_MAX}) or null.")
    return value


def _epoch(value: Any) -> str | BadMessage | None:
    if value is None or (isinstance(value, str) and 0 < len(value) <= 64):
        return value
    return BadMessage("bad_epoch", "'epoch' must be the string the server sent in 'subscribed'.")


def _nul_in(data: dict[Any, Any]) -> str | None:
    """The first field whose text holds a NUL character (the fields read are flat strings), else None."""
    return next((str(k) for k, v in data.items() if isinstance(v, str) and NUL in v), None)


def parse(raw: str | bytes) -> ClientMessage:
    if len(raw) > MAX_MESSAGE_BYTES:
        return BadMessage("too_large", f"Messages are limited to {MAX_MESSAGE_BYTES} bytes.")
    try:
        data = _decoder.decode(raw)
    except msgspec.DecodeError:
        return BadMessage("bad_json", "Messages must be JSON objects.")
    except RecursionError:  # the decoder stops at the interpreter's recursion limit
        return BadMessage("too_deep", "Messages must be flat JSON objects; this one is nested too deeply to read.")
    if not isinstance(data, dict):
        return BadMessage("bad_json", "Messages must be JSON objects.")
    if (field := _nul_in(data)) is not None:
        return BadMessage("bad_text", f"'{field}' holds a NUL character (\\u0000); text may not contain one.")
    kind = data.get("type")
    if kind == "pong":
        return Pong()
    if kind == "subscribe":
        after = _cursor(data.get("after"))
        if isinstance(after, BadMessage):
            return after
        epoch = _epoch(data.get("epoch"))
        if isinstance(epoch, BadMessage):
            return epoch
        if data.get("stream") == "notifications":
            return SubscribeNotifications(after, epoch)
        network = data.get("network")
        if isinstance(network, str) and 0 < len(network) <= SLUG_MAX:
            return SubscribeNetwork(network.lower(), after, epoch)
        return BadMessage("bad_subscribe", "Subscribe to {'network': SLUG} or {'stream': 'notifications'}.")
    if kind == "unsubscribe":
        network = data.get("network")
        if isinstance(network, str) and 0 < len(network) <= SLUG_MAX:
            return Unsubscribe(network.lower())
        return BadMessage("bad_unsubscribe", "Unsubscribe needs {'network': SLUG}.")
    return BadMessage("unknown_type", "Unknown message type; expected subscribe, unsubscribe or pong.")


def encode(message: dict[str, Any]) -> str:
    return _encoder.encode(message).decode()


def subscribed(network: str, seq: int, epoch: str) -> str:
    return encode({"type": "subscribed", "network": network, "seq": seq, "epoch": epoch})


def subscribed_notifications(seq: int, epoch: str) -> str:
    return encode({"type": "subscribed", "stream": "notifications", "seq": seq, "epoch": epoch})


def unsubscribed(network: str) -> str:
    return encode({"type": "unsubscribed", "network": network})


def event(network: str, seq: int, kind: str, data: dict[str, Any]) -> str:
    return encode({"type": "event", "network": network, "seq": seq, "kind": kind, "data": data})


def notification_parts(kind: str, data: dict[str, Any]) -> tuple[str, str]:
    """A notification frame cut where its seq and the notification's id go, for `joined`: a post
    notifies thousands of people with the same kind and data, so those are encoded once."""
    rest = encode({k: v for k, v in data.items() if k != "id"})
    head = ',"kind":' + _encoder.encode(kind).decode() + ',"data":{"id":'
    return head, ("}" if rest == "{}" else "," + rest[1:]) + "}"


def joined(seq: int, note_id: int, parts: tuple[str, str]) -> str:
    """`{"type": "notification", "seq": seq, "kind": kind, "data": {"id": note_id, **data}}`, from its parts."""
    return '{"type":"notification","seq":' + str(seq) + parts[0] + str(note_id) + parts[1]


def caught_up(seq: int, network: str | None = None) -> str:
    """A replay reached the head the stream had when it was subscribed: what follows is live. `seq`
    is where the subscriber's cursor now is (the events at its end may have been for others)."""
    if network is None:
        return encode({"type": "caught_up", "stream": "notifications", "seq": seq})
    return encode({"type": "caught_up", "network": network, "seq": seq})


def resync(reason: str, network: str | None = None) -> str:
    if network is None:
        return encode({"type": "resync", "stream": "notifications", "reason": reason})
    return encode({"type": "resync", "network": network, "reason": reason})


def error(code: str, message: str, **extra: Any) -> str:
    return encode({"type": "error", "code": code, "message": message, **extra})


PING = encode({"type": "ping"})
