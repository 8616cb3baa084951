"""Confirming an address by email: at sign-up, and when a person moves their account to a new address.

Sign-up answers alike whether or not the address has an account (docs/design.md §3.8): a new address
gets an account that waits for its confirmation link (and cannot sign in until it is followed); an
address that has an account gets nothing made, and its owner is told that someone tried. Changing
one's address needs the current password and answers alike too: the link goes to the new address,
a notice to the old one, and the switch happens only when the link is followed. Confirming an
address at one of the organisation's verified domains verifies a waiting person (`affiliation`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from network.errors import Conflict, Forbidden, Invalid
from network.inputs import EmailChange, RegisterInput
from network.models import EmailLink, Person
from network.people import accounts, affiliation, email_links

SPENT = "This link has expired or has been used. Ask for a new one."
UNCONFIRMED = "Confirm your email address first: we sent you a link when you signed up. Ask us to send it again."


@dataclass(frozen=True, slots=True)
class SignUp:
    """What a sign-up did. `raw` is the new account's confirmation link (to mail to `person`); without
    it, `person` (if any) is the address's existing owner, to be told someone tried."""

    email: str
    person: Person | None
    raw: str | None


def _reachable(person: Person | None) -> Person | None:
    return person if person is not None and person.is_active and person.deleted_at is None else None


async def sign_up(session: AsyncSession, data: RegisterInput) -> SignUp:
    """Register a new address (unconfirmed, with a link to confirm it), or, for an address that has an
    account, make nothing. Every check that does not depend on the address runs either way, and the
    password is hashed either way, so neither the answer nor its time tells the two apart."""
    email, _ = accounts.check_registration(data)
    await accounts.find_organisation(session, data.organisation)
    owner = await accounts.person_by_email(session, email)
    if owner is None:
        try:
            async with session.begin_nested():  # a lost race leaves no organisation behind either
                person = await accounts.register(session, data)
        except accounts.AddressTaken:
            owner = await accounts.person_by_email(session, email)
        else:
            return SignUp(email, person, await email_links.issue(session, person, email_links.CONFIRM_EMAIL))
    else:
        await asyncio.to_thread(accounts.hash_password, data.password)
    return SignUp(email, _reachable(owner), None)


async def awaiting(session: AsyncSession, person: Person) -> bool:
    """Whether the account signed up and has not confirmed its address yet (it may not sign in). Accounts
    made before sign-up asked for confirmation have no such link, and sign in as they always did."""
    if person.email_confirmed_at is not None:
        return False
    link = await session.scalar(
        select(EmailLink.id)
        .where(EmailLink.person_id == person.id, EmailLink.purpose == email_links.CONFIRM_EMAIL)
        .limit(1)
    )
    return link is not None


def refuse_unconfirmed() -> Forbidden:
    return Forbidden(UNCONFIRMED)


async def resend(session: AsyncSession, email: str) -> tuple[Person, str] | None:
    """A fresh confirmation link for an account still waiting for one (the earlier link stops working),
    or None for any other address: the caller answers the same either way."""
    person = _reachable(await accounts.person_by_email(session, email))
    if person is None or not await awaiting(session, person):
        return None
    return person, await email_links.issue(session, person, email_links.CONFIRM_EMAIL)


async def _linked_person(session: AsyncSession, link: EmailLink) -> Person:
    person = _reachable(await session.get(Person, link.person_id))
    if person is None:
        raise email_links.LinkNotValid(SPENT)
    return person


async def check_link(session: AsyncSession, raw: str, purpose: str) -> EmailLink:
    """The link, if it may still be used (for the page that offers to use it); not used up by looking."""
    link = await email_links.find(session, raw, purpose)
    await _linked_person(session, link)
    return link


async def confirm(session: AsyncSession, raw: str) -> tuple[Person, str | None]:
    """Follow a sign-up's link: the address is confirmed (once), and the person may sign in. With it,
    what `affiliation.confirmed_address` did ("verified", "requested": mail the deciders, or None)."""
    link = await email_links.find(session, raw, email_links.CONFIRM_EMAIL)
    person = await _linked_person(session, link)
    if link.email != person.email:  # the account has moved to another address since
        raise email_links.LinkNotValid(SPENT)
    await email_links.redeem(session, raw, email_links.CONFIRM_EMAIL)
    if person.email_confirmed_at is None:
        person.email_confirmed_at = clock.now()
        await session.flush()
        return person, await affiliation.confirmed_address(session, person)
    return person, None


@dataclass(frozen=True, slots=True)
class ChangeStart:
    """A change of address asked for: `raw` is the link for `new_email` (None when that address has an
    account, whose `owner` is told instead); `old_email` is told either way."""

    old_email: str
    new_email: str
    raw: str | None
    owner: Person | None


async def start_change(session: AsyncSession, person: Person, data: EmailChange) -> ChangeStart:
    """Ask to move the account to another address, proving it is you with the current password."""
    if not await asyncio.to_thread(accounts.check_password, person.password_hash, data.current_password):
        message = "Your current password is not right."
        raise Invalid(message, fields={"current_password": message})
    new_email = accounts.normalise_email(data.new_email)
    if new_email == person.email:
        message = "That is already your address."
        raise Invalid(message, fields={"new_email": message})
    owner = await accounts.person_by_email(session, new_email)
    if owner is not None:
        return ChangeStart(person.email, new_email, None, _reachable(owner))
    raw = await email_links.issue(session, person, email_links.CHANGE_EMAIL, email=new_email)
    return ChangeStart(person.email, new_email, raw, None)


async def pending_change(session: AsyncSession, person: Person) -> EmailLink | None:
    """The address the person asked to move to and has not confirmed yet (the newest link still good)."""
    link: EmailLink | None = await session.scalar(
        select(EmailLink)
        .where(
            EmailLink.person_id == person.id,
            EmailLink.purpose == email_links.CHANGE_EMAIL,
            EmailLink.used_at.is_(None),
            EmailLink.expires_at > clock.now(),
        )
        .order_by(EmailLink.id.desc())
        .limit(1)
    )
    return link


TAKEN_SINCE = "An account has been made with this address since you asked: the address was not changed."


async def complete_change(session: AsyncSession, raw: str) -> Person:
    """Follow a change's link: the account moves to the new address, now confirmed."""
    link = await email_links.find(session, raw, email_links.CHANGE_EMAIL)
    person = await _linked_person(session, link)
    if await accounts.person_by_email(session, link.email) is not None:
        raise Conflict(TAKEN_SINCE)
    await email_links.redeem(session, raw, email_links.CHANGE_EMAIL)
    person.email = link.email
    person.email_confirmed_at = clock.now()
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # another account took the address at the same moment
        raise Conflict(TAKEN_SINCE) from exc
    await affiliation.confirmed_address(session, person)
    return person
