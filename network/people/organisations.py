"""Organisations as a platform admin keeps them: creating one of any kind, and its verified email domains.

Only a platform admin creates a regulator or government organisation (sign-up cannot:
`accounts.find_or_create_organisation`), and for now only a platform admin adds or removes a verified
domain. A domain is held by one organisation at most, and a public mail provider's never is: anyone
can have an address there, so it says nothing of where a person works.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network.enums import OrgKind, OrgStatus
from network.errors import Conflict, Forbidden, Invalid, NotFound, Refusal, enforce
from network.inputs import NewOrganisationInput
from network.models import Organisation, OrganisationDomain, Person

# Mail services anyone may sign up to: their domains are never an organisation's.
PUBLIC_MAIL_PROVIDERS = frozenset(
    {
        "aol.com",
        "btinternet.com",
        "gmail.com",
        "gmx.com",
        "googlemail.com",
        "hotmail.co.uk",
        "hotmail.com",
        "icloud.com",
        "live.co.uk",
        "live.com",
        "mac.com",
        "mail.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "sky.com",
        "talktalk.net",
        "virginmedia.com",
        "yahoo.co.uk",
        "yahoo.com",
        "ymail.com",
        "zoho.com",
    }
)
# a host name with at least one dot: labels of letters, digits and inner hyphens; a top level not all digits
_HOSTNAME = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def manage_refusal(actor: Person) -> Refusal:
    """Whether `actor` may create organisations and change their verified domains: platform admins only."""
    if not actor.is_admin:
        return Forbidden("Only a platform admin may add organisations or change their verified domains.")
    return None


def normalise_domain(raw: str, field: str = "domain") -> str:
    """The domain as stored (lower-case, no leading '@'), or a refusal naming `field`."""
    domain = raw.strip().lower().removeprefix("@").rstrip(".")
    if not _HOSTNAME.match(domain):
        problem = "Give a domain name like trust.org.uk: letters, digits and hyphens, with at least one dot."
        raise Invalid(f"'{raw.strip()[:100]}' is not a domain name. {problem}", fields={field: problem})
    if domain in PUBLIC_MAIL_PROVIDERS:
        problem = "A public mail provider's domain cannot be an organisation's: anyone may have an address there."
        raise Invalid(f"'{domain}': {problem}", fields={field: problem})
    return domain


async def create_organisation(session: AsyncSession, actor: Person, data: NewOrganisationInput) -> Organisation:
    """A platform admin adds an organisation of any kind, with its region, identifiers and domains."""
    enforce(manage_refusal(actor))
    name = " ".join(data.name.split())
    if len(name) < 2:
        raise Invalid("Give the organisation's name.", fields={"name": "Required."})
    domains = [normalise_domain(raw, "domains") for raw in data.domains]  # all refused before anything is written
    named = await _by_name(session, name)
    if named is not None:
        raise Conflict(f"'{named.name}' is already registered.", fields={"name": "Already registered."})
    if data.gias_group_uid is not None:
        holder = await _by_uid(session, data.gias_group_uid)
        if holder is not None:
            message = f"Group UID {data.gias_group_uid} is already '{holder.name}''s."
            raise Conflict(message, fields={"gias_group_uid": message})
    org = Organisation(
        name=name,
        kind=data.kind,
        region=data.region,
        gias_group_uid=data.gias_group_uid,
        gias_group_id=data.gias_group_id,
        companies_house_number=data.companies_house_number,
        ukprn=data.ukprn,
    )
    session.add(org)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # a concurrent creation of the same name or UID
        raise Conflict(f"'{name}' was registered at the same moment; look it up instead.") from exc
    for domain in dict.fromkeys(domains):
        await _add(session, actor, org, domain)
    return org


async def add_domain(session: AsyncSession, actor: Person, org: Organisation, raw: str) -> OrganisationDomain:
    """A platform admin records `raw` as a verified domain of `org`. Adding one it holds changes nothing."""
    enforce(manage_refusal(actor))
    return await record_domain(session, actor, org, raw)


async def remove_domain(session: AsyncSession, actor: Person, org: Organisation, raw: str) -> None:
    enforce(manage_refusal(actor))
    await drop_domain(session, org, raw)


async def record_domain(session: AsyncSession, actor: Person, org: Organisation, raw: str) -> OrganisationDomain:
    """Record the domain for whoever the caller has let change them (a platform admin, or an approver
    of `org`: network/people/affiliation.py)."""
    return await _add(session, actor, org, normalise_domain(raw))


async def drop_domain(session: AsyncSession, org: Organisation, raw: str) -> None:
    """Remove the domain, for whoever the caller has let change them (as `record_domain`)."""
    domain = normalise_domain(raw)
    row = await _domain_row(session, domain)
    if row is None or row.organisation_id != org.id:
        raise NotFound(f"'{domain}' is not a verified domain of '{org.name}'.")
    await session.delete(row)
    await session.flush()


async def domains_of(session: AsyncSession, organisation_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each organisation's verified domains, alphabetically (an organisation without any is absent)."""
    ids = list(set(organisation_ids))
    found: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return found
    rows = await session.execute(
        select(OrganisationDomain.organisation_id, OrganisationDomain.domain)
        .where(OrganisationDomain.organisation_id.in_(ids))
        .order_by(OrganisationDomain.domain)
    )
    for organisation_id, domain in rows:
        found[organisation_id].append(domain)
    return found


PICKER_LIMIT = 300  # up to this many open organisations, sign-up lists them all; beyond, it asks for a search


async def signup_choices(session: AsyncSession, query: str = "", limit: int = 20) -> tuple[list[Organisation], int]:
    """Open organisations a person may sign up for (no regulator, government or closed one), and how
    many there are. With `query`: those whose name holds it, or whose register identifier (Group UID or
    ID, UKPRN, Companies House number) it is, best first; without, all of them up to PICKER_LIMIT."""
    eligible = and_(
        Organisation.kind.not_in([k for k in OrgKind if k.observer_only]), Organisation.status == OrgStatus.OPEN
    )
    total = int(await session.scalar(select(func.count()).select_from(Organisation).where(eligible)) or 0)
    text = " ".join(query.split())[:100]
    stmt = select(Organisation).where(eligible)
    if text:
        needle = text.lower()
        ids = or_(
            Organisation.gias_group_uid == text,
            func.lower(Organisation.gias_group_id) == needle,
            Organisation.ukprn == text,
            func.upper(Organisation.companies_house_number) == text.upper().zfill(8),
        )
        named = func.lower(Organisation.name).contains(needle, autoescape=True)
        starts = case((func.lower(Organisation.name).startswith(needle, autoescape=True), 0), else_=1)
        stmt = stmt.where(or_(named, ids)).order_by(starts, Organisation.name).limit(limit)
    elif total <= PICKER_LIMIT:
        stmt = stmt.order_by(Organisation.name).limit(PICKER_LIMIT)
    else:
        return [], total
    return list((await session.execute(stmt)).scalars()), total


async def _add(session: AsyncSession, actor: Person, org: Organisation, domain: str) -> OrganisationDomain:
    held = await _domain_row(session, domain)
    if held is not None:
        if held.organisation_id == org.id:
            return held
        holder = await session.get(Organisation, held.organisation_id)
        message = f"'{domain}' is already a verified domain of '{holder.name if holder else 'another organisation'}'."
        raise Conflict(message, fields={"domain": message})
    row = OrganisationDomain(organisation_id=org.id, domain=domain, added_by_id=actor.id)
    session.add(row)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # another organisation took it at the same moment
        raise Conflict(f"'{domain}' was just added to another organisation.", fields={"domain": "Taken."}) from exc
    return row


async def _domain_row(session: AsyncSession, domain: str) -> OrganisationDomain | None:
    found = await session.execute(select(OrganisationDomain).where(OrganisationDomain.domain == domain))
    return found.scalar_one_or_none()


async def _by_name(session: AsyncSession, name: str) -> Organisation | None:
    found = await session.execute(select(Organisation).where(func.lower(Organisation.name) == name.lower()))
    return found.scalar_one_or_none()


async def _by_uid(session: AsyncSession, uid: str) -> Organisation | None:
    found = await session.execute(select(Organisation).where(Organisation.gias_group_uid == uid))
    return found.scalar_one_or_none()
