"""Who may act for an organisation (docs/design.md §3.9), after DfE Sign-in's approvers.

A person signs up *for* an organisation and waits. They become verified when they confirm an address
at one of its verified domains (`confirmed_address`), or when one of its approvers approves them; an
organisation with no approver yet has its requests decided by the platform admins, who also name its
first approver. Approvers decline (with a reason), remove people who no longer act for it (their past
posts stay theirs) and name or drop other approvers. Every such step is written to the organisation's
log, which its approvers and the platform admins read.

Until verified, a person reads what any signed-in person may and asks to join networks; the
permission table refuses them every act (`Viewer.unverified`), with `waiting_refusal`'s words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock
from network.enums import Affiliation
from network.errors import Conflict, Forbidden, Invalid, NotFound, Refusal, enforce
from network.locking import lock_row
from network.models import Organisation, OrganisationApprover, OrganisationDomain, OrganisationLogEntry, Person
from network.people import organisations

REQUESTED = "affiliation.requested"  # the notification an approver (or platform admin) receives
DECIDED = "affiliation.decided"  # the one the person receives


class LogAction(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    VERIFIED_BY_DOMAIN = "verified_by_domain"
    DECLINED = "declined"
    REMOVED = "removed"
    APPROVER_NAMED = "approver_named"
    APPROVER_DROPPED = "approver_dropped"
    DOMAIN_ADDED = "domain_added"
    DOMAIN_REMOVED = "domain_removed"


def no_such_person(person_id: int) -> NotFound:
    return NotFound(f"No person {person_id} in this organisation.")


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


async def log(
    session: AsyncSession,
    organisation_id: int,
    action: LogAction,
    *,
    actor: Person | None,
    person_id: int | None,
    detail: str = "",
    now: datetime | None = None,
) -> None:
    session.add(
        OrganisationLogEntry(
            organisation_id=organisation_id,
            action=action.value,
            actor_id=actor.id if actor is not None else None,
            person_id=person_id,
            detail=detail[:500],
            created_at=now or clock.now(),
        )
    )


async def approver_ids(session: AsyncSession, organisation_id: int) -> list[int]:
    """The organisation's approvers whose accounts still act for it."""
    result = await session.execute(
        select(OrganisationApprover.person_id)
        .join(Person, Person.id == OrganisationApprover.person_id)
        .where(
            OrganisationApprover.organisation_id == organisation_id,
            Person.is_active.is_(True),
            Person.deleted_at.is_(None),
            Person.affiliation == Affiliation.VERIFIED,
            Person.organisation_id == organisation_id,
        )
        .order_by(OrganisationApprover.person_id)
    )
    return list(result.scalars())


async def deciders(session: AsyncSession, organisation_id: int) -> list[int]:
    """Who decides the organisation's requests: its approvers, or the platform admins while it has none."""
    found = await approver_ids(session, organisation_id)
    if found:
        return found
    admins = await session.execute(
        select(Person.id).where(Person.is_admin.is_(True), Person.is_active.is_(True)).order_by(Person.id)
    )
    return list(admins.scalars())


async def is_approver(session: AsyncSession, person: Person, organisation_id: int) -> bool:
    return person.id in await approver_ids(session, organisation_id)


async def manage_refusal(session: AsyncSession, actor: Person, organisation_id: int) -> Refusal:
    """Whether `actor` may decide who acts for the organisation: its approvers and the platform admins.
    Anyone else is told nothing of its people (404, as for what does not exist)."""
    if actor.is_admin or await is_approver(session, actor, organisation_id):
        return None
    return NotFound("No such organisation's people to manage.")


async def person_of(session: AsyncSession, actor: Person, organisation_id: int, person_id: int) -> int:
    """`person_id`, if the actor manages the organisation and the person is one of its people (else
    404, whoever asks: its people are not confirmed to anyone else)."""
    enforce(await manage_refusal(session, actor, organisation_id))
    found = await session.get(Person, person_id)
    if found is None or found.organisation_id != organisation_id or found.deleted_at is not None:
        raise no_such_person(person_id)
    return person_id


async def request(session: AsyncSession, person: Person, *, actor: Person | None = None) -> None:
    """The person asks to act for their organisation: waiting, logged, and its deciders told."""
    person.affiliation = Affiliation.WAITING
    person.affiliation_reason = None
    person.affiliation_changed_at = clock.now()
    await session.flush()
    await log(session, person.organisation_id, LogAction.REQUESTED, actor=actor or person, person_id=person.id)
    payload = {
        "organisation_id": person.organisation_id,
        "organisation": person.organisation.name,
        "person": {"id": person.id, "display_name": person.display_name},
    }
    for decider in await deciders(session, person.organisation_id):
        await activity.notify(session, decider, REQUESTED, payload, actor=person)


async def confirmed_address(session: AsyncSession, person: Person) -> str | None:
    """The person has just confirmed their address. Waiting, they are verified at once if it is at one
    of their organisation's verified domains ("verified"); else, the first time, its deciders are asked
    ("requested": the caller mails them). An approver's refusal or removal stands (None)."""
    if Affiliation(person.affiliation) is not Affiliation.WAITING or person.email_confirmed_at is None:
        return None
    domain = email_domain(person.email)
    held = await session.scalar(
        select(OrganisationDomain.id).where(
            OrganisationDomain.organisation_id == person.organisation_id, OrganisationDomain.domain == domain
        )
    )
    if held is not None:
        _set(person, Affiliation.VERIFIED, None)
        await log(
            session,
            person.organisation_id,
            LogAction.VERIFIED_BY_DOMAIN,
            actor=None,
            person_id=person.id,
            detail=domain,
        )
        await session.flush()
        return "verified"
    asked = await session.scalar(
        select(OrganisationLogEntry.id).where(
            OrganisationLogEntry.person_id == person.id,
            OrganisationLogEntry.organisation_id == person.organisation_id,
            OrganisationLogEntry.action == LogAction.REQUESTED.value,
        )
    )
    if asked is not None:
        return None
    await request(session, person)  # a real address, not at one of its domains: its approvers decide
    return "requested"


def _set(person: Person, state: Affiliation, reason: str | None) -> None:
    person.affiliation = state
    person.affiliation_reason = reason
    person.affiliation_changed_at = clock.now()


async def _subject(session: AsyncSession, actor: Person, organisation_id: int, person_id: int) -> Person:
    """The person an approver acts on, locked, if they are of the organisation the actor manages. The
    organisation's row is locked first: its steps run one at a time, so two approvers dropping each
    other cannot both pass the last-approver check, nor two namings both pass "not yet one"."""
    await person_of(session, actor, organisation_id, person_id)
    await lock_row(session, Organisation, organisation_id)
    person = await lock_row(session, Person, person_id)
    if person is None or person.organisation_id != organisation_id or person.deleted_at is not None:
        raise no_such_person(person_id)
    return person


def _reason(reason: str, what: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise Invalid(f"Say why you {what}: the person reads it.", fields={"reason": "Required."})
    if len(text) > 500:
        raise Invalid("Keep the reason to 500 characters.", fields={"reason": "Too long."})
    return text


async def _tell(session: AsyncSession, actor: Person, person: Person) -> None:
    payload = {
        "organisation_id": person.organisation_id,
        "organisation": person.organisation.name,
        "state": Affiliation(person.affiliation).value,
        "reason": person.affiliation_reason or "",
    }
    await activity.notify(session, person.id, DECIDED, payload, actor=actor)


async def approve(session: AsyncSession, actor: Person, organisation_id: int, person_id: int) -> Person:
    """An approver (or platform admin) approves a waiting or declined person: they may act for it now."""
    person = await _subject(session, actor, organisation_id, person_id)
    if Affiliation(person.affiliation) is Affiliation.VERIFIED:
        raise Conflict(f"{person.display_name} is already verified for {person.organisation.name}.")
    _set(person, Affiliation.VERIFIED, None)
    await log(session, person.organisation_id, LogAction.APPROVED, actor=actor, person_id=person.id)
    await _tell(session, actor, person)
    await session.flush()
    return person


async def decline(session: AsyncSession, actor: Person, organisation_id: int, person_id: int, reason: str) -> Person:
    """Refuse a waiting person's request, saying why; they may correct it and ask again."""
    text = _reason(reason, "decline")
    person = await _subject(session, actor, organisation_id, person_id)
    if Affiliation(person.affiliation) is not Affiliation.WAITING:
        raise Conflict(f"{person.display_name} is not waiting for approval.")
    _set(person, Affiliation.DECLINED, text)
    await log(session, person.organisation_id, LogAction.DECLINED, actor=actor, person_id=person.id, detail=text)
    await _tell(session, actor, person)
    await session.flush()
    return person


async def remove(session: AsyncSession, actor: Person, organisation_id: int, person_id: int, reason: str) -> Person:
    """Remove a verified person from the organisation's people: they may no longer act for it (their
    past posts stay attributed) and stop being an approver."""
    text = _reason(reason, "remove them")
    person = await _subject(session, actor, organisation_id, person_id)
    if Affiliation(person.affiliation) is not Affiliation.VERIFIED:
        raise Conflict(f"{person.display_name} does not act for {person.organisation.name}.")
    if person.id == actor.id:
        raise Forbidden("You cannot remove yourself; another approver or a platform admin can.")
    _set(person, Affiliation.REMOVED, text)
    await session.execute(delete(OrganisationApprover).where(OrganisationApprover.person_id == person.id))
    await log(session, person.organisation_id, LogAction.REMOVED, actor=actor, person_id=person.id, detail=text)
    await _tell(session, actor, person)
    await session.flush()
    return person


async def name_approver(session: AsyncSession, actor: Person, organisation_id: int, person_id: int) -> Person:
    """Make a person of the organisation one of its approvers. A platform admin names the first one,
    and the person they name is verified by it."""
    person = await _subject(session, actor, organisation_id, person_id)
    if Affiliation(person.affiliation) is not Affiliation.VERIFIED:
        if not actor.is_admin:
            raise Conflict(f"Approve {person.display_name} before naming them an approver.")
        _set(person, Affiliation.VERIFIED, None)
        await log(session, person.organisation_id, LogAction.APPROVED, actor=actor, person_id=person.id)
    if await is_approver(session, person, person.organisation_id):
        raise Conflict(f"{person.display_name} is already an approver.")
    session.add(
        OrganisationApprover(
            organisation_id=person.organisation_id, person_id=person.id, named_by_id=actor.id, named_at=clock.now()
        )
    )
    await log(session, person.organisation_id, LogAction.APPROVER_NAMED, actor=actor, person_id=person.id)
    await session.flush()
    return person


async def drop_approver(session: AsyncSession, actor: Person, organisation_id: int, person_id: int) -> Person:
    """Stop a person being an approver (they stay verified). The last approver stays unless a platform
    admin drops them: an organisation is not left with no one to approve its people by accident."""
    person = await _subject(session, actor, organisation_id, person_id)
    ids = await approver_ids(session, person.organisation_id)
    if person.id not in ids:
        raise Conflict(f"{person.display_name} is not an approver.")
    if ids == [person.id] and not actor.is_admin:
        raise Conflict("This is the organisation's last approver; name another first.")
    await session.execute(
        delete(OrganisationApprover).where(
            OrganisationApprover.person_id == person.id,
            OrganisationApprover.organisation_id == person.organisation_id,
        )
    )
    await log(session, person.organisation_id, LogAction.APPROVER_DROPPED, actor=actor, person_id=person.id)
    await session.flush()
    return person


async def add_domain(session: AsyncSession, actor: Person, organisation_id: int, raw: str) -> str:
    """An approver (or platform admin) adds a verified email domain: people who confirm an address there
    are verified without waiting."""
    enforce(await manage_refusal(session, actor, organisation_id))
    org = await organisation(session, organisation_id)
    row = await organisations.record_domain(session, actor, org, raw)
    await log(session, org.id, LogAction.DOMAIN_ADDED, actor=actor, person_id=None, detail=row.domain)
    await session.flush()
    return row.domain


async def remove_domain(session: AsyncSession, actor: Person, organisation_id: int, raw: str) -> None:
    enforce(await manage_refusal(session, actor, organisation_id))
    org = await organisation(session, organisation_id)
    await organisations.drop_domain(session, org, raw)
    domain = organisations.normalise_domain(raw)
    await log(session, org.id, LogAction.DOMAIN_REMOVED, actor=actor, person_id=None, detail=domain)
    await session.flush()


async def people_of(session: AsyncSession, organisation_id: int, states: Sequence[Affiliation]) -> list[Person]:
    """The organisation's people in the given states (approvers' page), oldest request first."""
    result = await session.execute(
        select(Person)
        .where(
            Person.organisation_id == organisation_id,
            Person.affiliation.in_(list(states)),
            Person.deleted_at.is_(None),
        )
        .order_by(Person.affiliation_changed_at, Person.id)
    )
    return list(result.scalars())


async def log_of(session: AsyncSession, organisation_id: int, *, limit: int = 200) -> list[OrganisationLogEntry]:
    result = await session.execute(
        select(OrganisationLogEntry)
        .where(OrganisationLogEntry.organisation_id == organisation_id)
        .order_by(OrganisationLogEntry.id.desc())
        .limit(limit)
    )
    return list(result.scalars())


async def organisation(session: AsyncSession, organisation_id: int) -> Organisation:
    org = await session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(f"No organisation {organisation_id}.")
    return org
