"""One-click unsubscribe (RFC 8058): a signed link per person and kind of mail, and its headers.

The link names the person and the group (`network.people.mail_settings`) and carries an HMAC of both
under SECRET_KEY, so it works without signing in (a mail client POSTs to it on the reader's behalf)
and cannot be made for anyone else. It does not expire: an old message's link must still work.
Our own few lines rather than a signing library: the stdlib's `hmac` is all it takes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import quote

from server.settings import Settings, public_link


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    person_id: int
    group: str


def _signature(settings: Settings, person_id: int, group: str) -> str:
    mac = hmac.new(settings.secret_key.encode(), f"unsubscribe:{person_id}:{group}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:18]).decode()


def token(settings: Settings, person_id: int, group: str) -> str:
    return f"{person_id}.{group}.{_signature(settings, person_id, group)}"


def read(settings: Settings, raw: str) -> Unsubscribe | None:
    """The person and group a token names, or None when it is not one we signed."""
    parts = raw.strip().split(".")
    if len(parts) != 3 or not parts[0].isdigit() or len(parts[0]) > 18:
        return None
    person_id, group, signature = int(parts[0]), parts[1], parts[2]
    if not hmac.compare_digest(signature, _signature(settings, person_id, group)):
        return None
    return Unsubscribe(person_id, group)


def link(settings: Settings, person_id: int, group: str) -> str:
    return public_link(settings, f"/unsubscribe?token={quote(token(settings, person_id, group))}")


def headers(settings: Settings, person_id: int, group: str) -> dict[str, str]:
    """List-Unsubscribe with its one-click POST (RFC 8058), so mail clients offer "Unsubscribe"."""
    return {
        "List-Unsubscribe": f"<{link(settings, person_id, group)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
