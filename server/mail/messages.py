"""What each mail says: its subject, a plain-text part and an accessible HTML part.

Every link is built from PUBLIC_URL (`public_link`). The HTML part is a small document with its
language, a heading and the link written out as text too, so it reads the same in a screen reader,
a text-only client and a client that blocks links.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from server.settings import Settings, public_link

SITE = "Improvement Commons"


@dataclass(frozen=True, slots=True)
class Message:
    kind: str
    subject: str
    text: str
    html: str


def _html(title: str, paragraphs: list[str], link: str, action: str, after: list[str]) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    tail = "".join(f"<p>{escape(p)}</p>" for p in after)
    href = escape(link, quote=True)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>"
        f"<h1>{escape(title)}</h1>{body}"
        f'<p><a href="{href}">{escape(action)}</a></p>'
        f"<p>If the link does not open, copy this address into your browser: {escape(link)}</p>"
        f"{tail}<p>{SITE}</p></body></html>"
    )


def password_reset(settings: Settings, name: str, raw: str) -> Message:
    link = public_link(settings, f"/reset-password?token={quote(raw)}")
    title = "Reset your password"
    intro = [f"Hello {name},", f"Someone asked to reset the password of your {SITE} account."]
    after = [
        "The link works once, for one hour. Using it signs you out everywhere.",
        "If you did not ask for this, you need do nothing: your password stays as it is.",
    ]
    text = "\n\n".join([*intro, f"Choose a new password here:\n{link}", *after, SITE]) + "\n"
    return Message(
        "password_reset",
        f"{SITE}: reset your password",
        text,
        _html(title, intro, link, "Choose a new password", after),
    )
