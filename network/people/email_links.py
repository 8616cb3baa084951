"""Links sent by email: single-use and expiring (a password reset, an address to confirm).

A link carries a random secret (`secrets.token_urlsafe`); only its digest is stored. Opening it
(`redeem`) marks it used in one conditional UPDATE, so two clicks, or two tabs, use it once. Issuing a
new link for the same purpose retires the person's earlier unused ones: only the newest mail works.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from network.errors import DomainError
from network.models import EmailLink, Person

PASSWORD_RESET = "password_reset"  # noqa: S105 - the name of a purpose, not a secret
CONFIRM_EMAIL = "confirm_email"  # the address an account signed up with
CHANGE_EMAIL = "change_email"  # the new address a person asked to move their account to
LIFETIMES = {
    PASSWORD_RESET: timedelta(hours=1),
    CONFIRM_EMAIL: timedelta(days=7),
    CHANGE_EMAIL: timedelta(hours=24),
}


class LinkNotValid(DomainError):
    """The link is unknown, already used, or expired: the same answer for each, so a guess learns nothing."""

    status = 410


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


async def issue(
    session: AsyncSession, person: Person, purpose: str, *, email: str | None = None, now: datetime | None = None
) -> str:
    """A new link's secret (to put in the mail); the person's earlier unused links of this purpose stop working.
    `email` is the address the link goes to (and, for an address to confirm, the one it confirms):
    the person's own unless given."""
    at = now or clock.now()
    await session.execute(
        update(EmailLink)
        .where(EmailLink.person_id == person.id, EmailLink.purpose == purpose, EmailLink.used_at.is_(None))
        .values(expires_at=at)
    )
    raw = secrets.token_urlsafe(32)
    session.add(
        EmailLink(
            person_id=person.id,
            purpose=purpose,
            email=email or person.email,
            digest=_digest(raw),
            created_at=at,
            expires_at=at + LIFETIMES[purpose],
        )
    )
    await session.flush()
    return raw


async def find(session: AsyncSession, raw: str, purpose: str, *, now: datetime | None = None) -> EmailLink:
    """The link, if it may still be used (to show its form); it is not used up by looking."""
    link = await session.scalar(select(EmailLink).where(EmailLink.digest == _digest(raw[:200])))
    at = now or clock.now()
    if link is None or link.purpose != purpose or link.used_at is not None or link.expires_at <= at:
        raise LinkNotValid("This link has expired or has been used. Ask for a new one.")
    return link


async def redeem(session: AsyncSession, raw: str, purpose: str, *, now: datetime | None = None) -> EmailLink:
    """Use the link up (once only, even when two requests race) and return it."""
    at = now or clock.now()
    link = await find(session, raw, purpose, now=at)
    used = await session.execute(
        update(EmailLink)
        .where(EmailLink.id == link.id, EmailLink.used_at.is_(None), EmailLink.expires_at > at)
        .values(used_at=at)
        .returning(EmailLink.id)
    )
    if used.scalar_one_or_none() is None:
        raise LinkNotValid("This link has expired or has been used. Ask for a new one.")
    return link
