"""An organisation's people, for its approvers and the platform admins (docs/design.md §3.9): who waits
to act for it, who does, approving, declining, removing, naming approvers, its domains and its log.
Anyone else is answered 404, as for an organisation whose people do not exist."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from network.enums import Affiliation
from network.errors import enforce
from network.inputs import Input
from network.models import OrganisationLogEntry, Person
from network.people import affiliation, organisations
from server.deps import AppSettings, Db, Me
from server.mail import affiliation_mail

Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class ReasonInput(Input):
    reason: Reason


class ApproverInput(Input):
    person_id: int


class DomainInput(Input):
    domain: Annotated[str, msgspec.Meta(min_length=1, max_length=253)]


class AffiliatedPerson(msgspec.Struct):
    id: int
    display_name: str
    email: str
    affiliation: Affiliation
    reason: str | None
    since: datetime | None
    approver: bool


class OrganisationPeople(msgspec.Struct):
    organisation_id: int
    name: str
    domains: list[str]
    people: list[AffiliatedPerson]


class LogEntryView(msgspec.Struct):
    id: int
    action: str
    actor_id: int | None
    person_id: int | None
    detail: str
    created_at: datetime


def _person(person: Person, approvers: list[int]) -> AffiliatedPerson:
    return AffiliatedPerson(
        id=person.id,
        display_name=person.display_name,
        email=person.email,
        affiliation=Affiliation(person.affiliation),
        reason=person.affiliation_reason,
        since=person.affiliation_changed_at,
        approver=person.id in approvers,
    )


def _entry(entry: OrganisationLogEntry) -> LogEntryView:
    return LogEntryView(
        id=entry.id,
        action=entry.action,
        actor_id=entry.actor_id,
        person_id=entry.person_id,
        detail=entry.detail,
        created_at=entry.created_at,
    )


class OrganisationPeopleController(Controller):
    path = "/organisations/{organisation_id:int}"
    tags = ["organisations"]

    @get("/people", summary="The organisation's people by state (its approvers and platform admins)")
    async def people(
        self,
        db: Db,
        person: Me,
        organisation_id: FromPath[int],
        status: Annotated[list[Affiliation] | None, QueryParameter(description="Only people in these states")] = None,
    ) -> OrganisationPeople:
        """Waiting first in the page; here, each state asked for (default: all), oldest change first."""
        enforce(await affiliation.manage_refusal(db, person, organisation_id))
        org = await affiliation.organisation(db, organisation_id)
        found = await affiliation.people_of(db, organisation_id, status or list(Affiliation))
        approvers = await affiliation.approver_ids(db, organisation_id)
        domains = (await organisations.domains_of(db, [organisation_id])).get(organisation_id, [])
        return OrganisationPeople(org.id, org.name, domains, [_person(p, approvers) for p in found])

    @post("/people/{person_id:int}/approve", status_code=200, summary="Approve a person to act for the organisation")
    async def approve(
        self, db: Db, person: Me, settings: AppSettings, organisation_id: FromPath[int], person_id: FromPath[int]
    ) -> AffiliatedPerson:
        subject = await affiliation.approve(db, person, organisation_id, person_id)
        await affiliation_mail.mail_decision(db, settings, subject)
        return _person(subject, await affiliation.approver_ids(db, organisation_id))

    @post("/people/{person_id:int}/decline", status_code=200, summary="Decline a person's request, saying why")
    async def decline(
        self,
        db: Db,
        person: Me,
        settings: AppSettings,
        organisation_id: FromPath[int],
        person_id: FromPath[int],
        data: JSONBody[ReasonInput],
    ) -> AffiliatedPerson:
        subject = await affiliation.decline(db, person, organisation_id, person_id, data.reason)
        await affiliation_mail.mail_decision(db, settings, subject)
        return _person(subject, [])

    @post("/people/{person_id:int}/remove", status_code=200, summary="Remove a person: they no longer act for it")
    async def remove(
        self,
        db: Db,
        person: Me,
        settings: AppSettings,
        organisation_id: FromPath[int],
        person_id: FromPath[int],
        data: JSONBody[ReasonInput],
    ) -> AffiliatedPerson:
        subject = await affiliation.remove(db, person, organisation_id, person_id, data.reason)
        await affiliation_mail.mail_decision(db, settings, subject)
        return _person(subject, [])

    @post("/approvers", status_code=200, summary="Name one of the organisation's people an approver")
    async def name_approver(
        self, db: Db, person: Me, organisation_id: FromPath[int], data: JSONBody[ApproverInput]
    ) -> AffiliatedPerson:
        subject = await affiliation.name_approver(db, person, organisation_id, data.person_id)
        return _person(subject, await affiliation.approver_ids(db, organisation_id))

    @delete("/approvers/{person_id:int}", status_code=204, summary="Stop a person being an approver")
    async def drop_approver(self, db: Db, person: Me, organisation_id: FromPath[int], person_id: FromPath[int]) -> None:
        await affiliation.drop_approver(db, person, organisation_id, person_id)

    @post("/domains", status_code=201, summary="Add a verified email domain (approvers and platform admins)")
    async def add_domain(
        self, db: Db, person: Me, organisation_id: FromPath[int], data: JSONBody[DomainInput]
    ) -> list[str]:
        await affiliation.add_domain(db, person, organisation_id, data.domain)
        return (await organisations.domains_of(db, [organisation_id])).get(organisation_id, [])

    @delete("/domains/{domain:str}", status_code=204, summary="Remove a verified email domain")
    async def remove_domain(self, db: Db, person: Me, organisation_id: FromPath[int], domain: FromPath[str]) -> None:
        await affiliation.remove_domain(db, person, organisation_id, domain)

    @get("/log", summary="Every approval, refusal, removal, approver and domain change, newest first")
    async def log(self, db: Db, person: Me, organisation_id: FromPath[int]) -> list[LogEntryView]:
        enforce(await affiliation.manage_refusal(db, person, organisation_id))
        return [_entry(entry) for entry in await affiliation.log_of(db, organisation_id)]
