"""Accounts: registration, password checks, personal API tokens.

Passwords are hashed with argon2id (argon2-cffi's defaults follow RFC 9106's recommended
profile), in a worker thread so a sign-in does not stall every other request while it hashes.
Besides the length limit in `network.inputs`, a password may not be one of the commonest
choices, nearly a single repeated character, or the account's own email or name.

API tokens are random and high-entropy, so a fast SHA-256 digest is enough to
store them: only the digest is kept and the token is shown once.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from events import effects
from events.log import revoke_after_commit
from events.signals import Revocation
from network import clock
from network.enums import Affiliation, OrgKind, OrgStatus
from network.errors import Conflict, Forbidden, Invalid, NotFound
from network.inputs import NameChange, OrganisationInput, PasswordChange, RegisterInput
from network.locking import lock_row
from network.models import ApiToken, Organisation, Person
from network.people import affiliation, email_links

_hasher = PasswordHasher()
# verified against when the email is unknown, so a miss costs as long as a wrong password
_DUMMY_HASH = _hasher.hash("not-a-real-password")
TOKEN_PREFIX = "ic_"
# the commonest passwords that pass the length limit (from public breach lists' top entries)
_COMMON_PASSWORDS = frozenset(
    {
        "0123456789",
        "1234567890",
        "12345678910",
        "123456789a",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "abc1234567",
        "abcdefghij",
        "changeme123",
        "iloveyou12",
        "letmein123",
        "password1!",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "qwerty1234",
        "qwerty123456",
        "qwertyuiop",
        "welcome123",
    }
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, *, email: str, display_name: str) -> str | None:
    """Why this password is too easy to guess, or None. (Length is checked by the input struct.)"""
    folded = password.casefold().strip()
    if folded in _COMMON_PASSWORDS:
        return "This password is one of the most commonly used; choose another."
    if len(set(folded)) < 4:
        return "This password repeats too few characters; choose a longer mix."
    email = normalise_email(email)
    if folded in {email, email.split("@")[0], " ".join(display_name.split()).casefold()}:
        return "Your password must not be your email address or name."
    return None


OBSERVER_ONLY_BY_ADMIN = (
    "Regulator and government organisations are added by a platform admin, who also makes their "
    "people's accounts; sign-up can neither create nor join one."
)


def _observer_only_refusal(org_kind: OrgKind, field: str, name: str | None = None) -> Invalid:
    label = org_kind.value.replace("_", " ")
    message = f"'{name}' is a {label} organisation. {OBSERVER_ONLY_BY_ADMIN}" if name else OBSERVER_ONLY_BY_ADMIN
    return Invalid(message, fields={field: f"A {label} organisation is added by a platform admin."})


async def find_organisation(
    session: AsyncSession, data: OrganisationInput, *, by_platform_admin: bool = False
) -> tuple[str, Organisation | None]:
    """The organisation's tidied name and the registered one of that name, if any; refuses what sign-up
    may neither make nor join (docs/design.md §5). Nothing is written."""
    name = " ".join(data.name.split())
    if len(name) < 2:
        raise Invalid("Give your organisation's name.", fields={"organisation.name": "Required."})
    if data.kind.observer_only and not by_platform_admin:
        raise _observer_only_refusal(data.kind, "organisation.kind")
    found = await session.execute(select(Organisation).where(func.lower(Organisation.name) == name.lower()))
    org = found.scalar_one_or_none()
    if org is not None:
        if org.status is OrgStatus.CLOSED and not by_platform_admin:
            message = f"The register marks '{org.name}' as closed: choose the organisation you work for now."
            raise Invalid(message, fields={"organisation.name": "This organisation has closed."})
        if OrgKind(org.kind).observer_only and not by_platform_admin:
            raise _observer_only_refusal(OrgKind(org.kind), "organisation.name", org.name)
        if org.kind != data.kind:
            raise Conflict(
                f"'{org.name}' is already registered as a {org.kind.value.replace('_', ' ')}.",
                fields={"organisation.kind": f"Must be {org.kind.value} for this organisation."},
            )
    return name, org


async def find_or_create_organisation(
    session: AsyncSession, data: OrganisationInput, *, by_platform_admin: bool = False
) -> Organisation:
    """The organisation of this name, made if new. A regulator or government organisation is neither
    made nor joined this way unless a platform admin is acting (docs/design.md §5)."""
    name, org = await find_organisation(session, data, by_platform_admin=by_platform_admin)
    if org is not None:
        return org
    org = Organisation(name=name, kind=data.kind)
    session.add(org)
    await session.flush()
    return org


TAKEN = "An account with this email address already exists."


class AddressTaken(Conflict):
    """An account already has this address (said only to a platform admin: sign-up answers alike)."""


def check_registration(data: RegisterInput) -> tuple[str, str]:
    """The tidied address and name of a registration, once its name and password pass."""
    email = normalise_email(data.email)
    display_name = " ".join(data.display_name.split())
    if not display_name:
        raise Invalid("Give your name.", fields={"display_name": "Required."})
    weak = password_problem(data.password, email=email, display_name=display_name)
    if weak:
        raise Invalid(weak, fields={"password": weak})
    return email, display_name


async def register(
    session: AsyncSession, data: RegisterInput, *, is_admin: bool = False, by_platform_admin: bool = False
) -> Person:
    """A new account (`is_admin`: a platform admin's). `by_platform_admin`: a platform admin is making it,
    so its organisation may be a regulator or government one, and its address counts as confirmed (the
    admin vouches for it); an account made by sign-up confirms its address through a mailed link
    (`network/people/confirmation.py`). An address that has an account is refused (`AddressTaken`)."""
    email, display_name = check_registration(data)
    if await person_by_email(session, email) is not None:
        raise AddressTaken(TAKEN, fields={"email": "Already registered."})
    org = await find_or_create_organisation(session, data.organisation, by_platform_admin=by_platform_admin)
    person = Person(
        email=email,
        display_name=display_name,
        password_hash=await asyncio.to_thread(hash_password, data.password),
        organisation=org,
        organisation_id=org.id,
        is_admin=is_admin,
        # a platform admin vouches for the accounts they make; anyone else waits for their organisation
        affiliation=Affiliation.VERIFIED if by_platform_admin else Affiliation.WAITING,
        email_confirmed_at=clock.now() if by_platform_admin else None,
    )
    session.add(person)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # a concurrent registration with the same email
        raise AddressTaken(TAKEN) from exc
    return person


async def person_by_email(session: AsyncSession, email: str) -> Person | None:
    result = await session.execute(select(Person).where(Person.email == normalise_email(email)))
    return result.scalar_one_or_none()


async def authenticate(session: AsyncSession, email: str, password: str) -> Person | None:
    """The active person with this email and password, else None (same cost either way)."""
    person = await person_by_email(session, email)
    if person is None:
        await asyncio.to_thread(check_password, _DUMMY_HASH, password)
        return None
    if not await asyncio.to_thread(check_password, person.password_hash, password) or not person.is_active:
        return None
    if _hasher.check_needs_rehash(person.password_hash):
        person.password_hash = await asyncio.to_thread(hash_password, password)
    return person


async def set_active(session: AsyncSession, person: Person, active: bool) -> None:
    """Disable or re-enable an account. A disabled account's sessions end for good (re-enabling it
    brings none back) and its tokens stop working until it is enabled again."""
    person.is_active = active
    if not active:
        await end_sessions(session, person)
        revoke_after_commit(session, Revocation("person", str(person.id)))  # its token sockets too
    await session.flush()


async def change_active(session: AsyncSession, actor: Person, person_id: int, active: bool) -> Person:
    """A platform admin disables or re-enables someone's account (disabling one's own is refused: it
    would leave no one able to undo it from inside). Doing what is already so changes nothing."""
    if not actor.is_admin:
        raise Forbidden("Only a platform admin may disable or enable accounts.")
    person = await lock_row(session, Person, person_id)
    if person is None:
        raise NotFound("No such person.")
    if person.id == actor.id and not active:
        raise Conflict("You cannot disable your own account.")
    if person.deleted_at is not None:
        raise Conflict("This account was deleted by its owner: there is nothing to disable or enable.")
    if person.is_active != active:
        await set_active(session, person, active)
    return person


async def change_password(session: AsyncSession, person: Person, data: PasswordChange) -> None:
    """Change one's password, which needs the current one. Every other session ends (the caller keeps
    its own: it proved the password)."""
    if not await asyncio.to_thread(check_password, person.password_hash, data.current_password):
        message = "Your current password is not right."
        raise Invalid(message, fields={"current_password": message})
    weak = password_problem(data.new_password, email=person.email, display_name=person.display_name)
    if weak:
        raise Invalid(weak, fields={"new_password": weak})
    person.password_hash = await asyncio.to_thread(hash_password, data.new_password)
    await end_sessions(session, person)
    await session.flush()


async def start_password_reset(session: AsyncSession, email: str) -> tuple[Person, str] | None:
    """The person this address belongs to and a reset link's secret, or None when no active account
    has it. The caller answers the same either way, so the answer says nothing of who has an account."""
    person = await person_by_email(session, email)
    if person is None or not person.is_active:
        return None
    return person, await email_links.issue(session, person, email_links.PASSWORD_RESET)


async def reset_password(session: AsyncSession, raw: str, new_password: str) -> Person:
    """Set a new password through a reset link (used up by this); every session of the person ends."""
    link = await email_links.find(session, raw, email_links.PASSWORD_RESET)
    person = await session.get(Person, link.person_id)
    if person is None or not person.is_active:
        raise email_links.LinkNotValid("This link has expired or has been used. Ask for a new one.")
    weak = password_problem(new_password, email=person.email, display_name=person.display_name)
    if weak:
        raise Invalid(weak, fields={"new_password": weak})
    await email_links.redeem(session, raw, email_links.PASSWORD_RESET)
    person.password_hash = await asyncio.to_thread(hash_password, new_password)
    if person.email_confirmed_at is None and link.email == person.email:  # the link reached this address
        person.email_confirmed_at = clock.now()
        await affiliation.confirmed_address(session, person)
    await end_sessions(session, person)
    await session.flush()
    return person


async def rename(session: AsyncSession, person: Person, data: NameChange) -> Person:
    """Change the name others see on one's posts and in member lists."""
    name = " ".join(data.display_name.split())
    if not name:
        raise Invalid("Give your name.", fields={"display_name": "Required."})
    person.display_name = name
    await session.flush()
    return person


async def end_sessions(session: AsyncSession, person: Person) -> int:
    """End every session the person has: each one carries the generation it began in, and a request
    or socket with an older one is signed out (server/auth.py). The sockets they opened close once
    this commits (not those opened with an API token: tokens are ended one by one). Returns the new
    generation, for a session that should go on (its own)."""
    generation: int = (
        await session.execute(
            update(Person)
            .where(Person.id == person.id)
            .values(session_generation=Person.session_generation + 1)
            .returning(Person.session_generation)
        )
    ).scalar_one()
    set_committed_value(person, "session_generation", generation)
    revoke_after_commit(session, Revocation("sessions", str(person.id)))
    return generation


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(session: AsyncSession, person: Person, name: str) -> tuple[ApiToken, str]:
    """A new token; the clear text is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(person_id=person.id, name=name.strip() or "token", digest=_digest(raw), prefix=raw[:10])
    session.add(token)
    await session.flush()
    return token, raw


async def person_for_token(session: AsyncSession, raw: str) -> Person | None:
    found = await token_and_person(session, raw)
    return found[1] if found else None


TOKEN_USE_GRAIN = timedelta(seconds=60)  # a token's last use is kept to the minute


# Built once, with bound parameters: every request signed in with a token runs it, and a statement
# built per call costs more in building and in computing its cache key than in the database.
_LIVE_TOKEN = (
    select(ApiToken, Person)
    .join(Person, Person.id == ApiToken.person_id)
    .where(ApiToken.digest == bindparam("digest"), ApiToken.revoked_at.is_(None), Person.is_active.is_(True))
)


async def token_and_person(session: AsyncSession, raw: str) -> tuple[ApiToken, Person] | None:
    """The live token with this value and its active owner, else None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    result = await session.execute(_LIVE_TOKEN, {"digest": _digest(raw)})
    row = result.one_or_none()
    if row is None:
        return None
    token: ApiToken = row[0]
    person: Person = row[1]
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_GRAIN:
        effects.after_commit(session, TokenUsed(token.id, now))
    return token, person


@dataclass(frozen=True, slots=True)
class TokenUsed:
    """After-commit effect: stamp a token's last use. It is written apart, by `record_token_uses` in
    a transaction of its own: a request that only reads must not turn into one that writes just to
    stamp its token."""

    token_id: int
    at: datetime


async def record_token_uses(session: AsyncSession, uses: Mapping[int, datetime]) -> None:
    """Stamp each token's last use unless another request did within the grain (so of many
    concurrent requests with one token, one writes)."""
    for token_id, at in uses.items():
        await session.execute(
            update(ApiToken)
            .where(
                ApiToken.id == token_id,
                or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < at - TOKEN_USE_GRAIN),
            )
            .values(last_used_at=at)
        )


async def list_tokens(session: AsyncSession, person: Person) -> list[ApiToken]:
    result = await session.execute(
        select(ApiToken).where(ApiToken.person_id == person.id, ApiToken.revoked_at.is_(None)).order_by(ApiToken.id)
    )
    return list(result.scalars())


async def revoke_token(session: AsyncSession, person: Person, token_id: int) -> None:
    token = await session.get(ApiToken, token_id)
    if token is None or token.person_id != person.id or token.revoked_at is not None:
        raise NotFound("No such token.")
    token.revoked_at = clock.now()
    await session.flush()


async def get_organisation(session: AsyncSession, organisation_id: int) -> Organisation:
    org = await session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound("No such organisation.")
    return org


async def list_organisations(
    session: AsyncSession, query: str = "", limit: int = 50, *, observer_only: bool = True
) -> list[Organisation]:
    """Organisations by name; `observer_only=False` leaves out regulators and government (sign-up's picker)."""
    stmt = select(Organisation).order_by(Organisation.name).limit(limit)
    if not observer_only:
        stmt = stmt.where(Organisation.kind.not_in([k for k in OrgKind if k.observer_only]))
    if query.strip():
        stmt = stmt.where(func.lower(Organisation.name).contains(query.strip().lower(), autoescape=True))
    return list((await session.execute(stmt)).scalars())


def observer_only(person: Person) -> bool:
    return OrgKind(person.organisation.kind).observer_only
