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


def _message(
    kind: str, subject: str, title: str, intro: list[str], link: str, action: str, after: list[str]
) -> Message:
    text = "\n\n".join([*intro, f"{action}:\n{link}", *after, SITE]) + "\n"
    return Message(kind, f"{SITE}: {subject}", text, _html(title, intro, link, action, after))


def confirm_email(settings: Settings, name: str, raw: str) -> Message:
    """The link that confirms a new account's address (and lets it sign in)."""
    return _message(
        "confirm_email",
        "confirm your email address",
        "Confirm your email address",
        [f"Hello {name},", f"Thank you for signing up to {SITE}. Confirm this is your address to finish."],
        public_link(settings, f"/confirm-email?token={quote(raw)}"),
        "Confirm my address",
        [
            "The link works once, for seven days. Following it signs you in.",
            "If you did not sign up, you need do nothing: without confirmation the account cannot be used.",
        ],
    )


def address_taken(settings: Settings, name: str) -> Message:
    """To an account's owner, when someone signs up with their address (nothing is made)."""
    return _message(
        "address_taken",
        "someone tried to register with your address",
        "Someone tried to register with your address",
        [
            f"Hello {name},",
            f"Someone tried to sign up to {SITE} with this address, which already has an account. "
            "No new account was made and your account is unchanged.",
        ],
        public_link(settings, "/forgot-password"),
        "Reset your password",
        [
            "If it was you, sign in as usual, or reset your password if you have forgotten it.",
            "If it was not you, you need do nothing.",
        ],
    )


def change_email(settings: Settings, name: str, raw: str) -> Message:
    """To the new address a person asked to move their account to."""
    return _message(
        "change_email",
        "confirm your new email address",
        "Confirm your new email address",
        [f"Hello {name},", f"You asked to change the address of your {SITE} account to this one."],
        public_link(settings, f"/change-email?token={quote(raw)}"),
        "Confirm my new address",
        [
            "The link works once, for 24 hours. Until you follow it, your account keeps its old address.",
            "If you did not ask for this, you need do nothing.",
        ],
    )


def email_changing(settings: Settings, name: str, new_email: str) -> Message:
    """To the old address, when its account asks to move to another."""
    return _message(
        "email_changing",
        "your email address is being changed",
        "Your email address is being changed",
        [
            f"Hello {name},",
            f"Someone signed in to your {SITE} account asked to change its address to {new_email}. "
            "We have sent a link to that address; the change happens only when it is followed.",
        ],
        public_link(settings, "/forgot-password"),
        "Reset your password",
        ["If this was you, you need do nothing. If it was not you, reset your password now."],
    )


def address_taken_by_change(settings: Settings, name: str) -> Message:
    """To an account's owner, when another account asks to move to their address (nothing changes)."""
    return _message(
        "address_taken",
        "someone tried to use your address",
        "Someone tried to use your address",
        [
            f"Hello {name},",
            f"Someone asked to move another {SITE} account to this address, which already has an account. "
            "Nothing was changed and your account is as it was.",
        ],
        public_link(settings, "/signin"),
        "Sign in",
        ["If you meant to bring another account of yours to this address, move this account to another address first."],
    )
