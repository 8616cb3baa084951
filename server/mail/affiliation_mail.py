"""The mail of docs/design.md §3.9: a request to act for an organisation reaches its deciders (its
approvers, or the platform admins while it has none), and each decision reaches the person.

Queued in the caller's transaction beside the notification `network/people/affiliation.py` writes, so
a refused or rolled-back change mails no one. The pages and the API both call these after the service.
They go at once rather than when the person is away (docs/design.md §3.10): a person waiting cannot act
until someone decides. Each still follows its group's setting and carries its one-click unsubscribe.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network.enums import Affiliation
from network.models import Person
from network.people import affiliation, mail_settings
from server.mail import queue, unsubscribe
from server.mail.letters import with_stop
from server.mail.messages import SITE, Message, _html
from server.settings import Settings, public_link

APPROVALS, MEMBERSHIP = "approvals", "membership"


def request_message(settings: Settings, decider: Person, person: Person) -> Message:
    org = person.organisation
    link = public_link(settings, f"/organisations/{org.id}/people")
    title = f"{person.display_name} asks to act for {org.name}"
    intro = [
        f"Hello {decider.display_name},",
        f"{person.display_name} ({person.email}) has signed up to {SITE} and asks to act for {org.name}.",
        "Until someone approves them they can read, but not post, offer help or accept offers for it.",
    ]
    after = ["If you do not know them, decline with a reason: they read it."]
    text = "\n\n".join([*intro, f"Approve or decline here:\n{link}", *after, SITE]) + "\n"
    return Message(
        "affiliation_request", f"{SITE}: {title}", text, _html(title, intro, link, "Approve or decline", after)
    )


def decision_message(settings: Settings, person: Person) -> Message:
    org = person.organisation.name
    reason = person.affiliation_reason or ""
    match Affiliation(person.affiliation):
        case Affiliation.VERIFIED:
            title = f"{org} approved you"
            intro = [f"Hello {person.display_name},", f"You can now post, reply and offer help for {org}."]
        case Affiliation.DECLINED:
            title = f"{org} declined your request"
            intro = [f"Hello {person.display_name},", f"{org} declined your request to act for it: “{reason}”."]
        case _:
            title = f"{org} removed you from its people"
            intro = [f"Hello {person.display_name},", f"{org} removed you from its people: “{reason}”."]
    link = public_link(settings, "/account")
    text = "\n\n".join([*intro, f"Your account:\n{link}", SITE]) + "\n"
    return Message("affiliation_decision", f"{SITE}: {title}", text, _html(title, intro, link, "Your account", []))


async def mail_request(session: AsyncSession, settings: Settings, person: Person) -> None:
    """Mail each decider of the person's organisation that they wait (a platform admin's own
    accounts, made verified, ask no one)."""
    if Affiliation(person.affiliation) is not Affiliation.WAITING:
        return
    ids = await affiliation.deciders(session, person.organisation_id)
    deciders = (await session.execute(select(Person).where(Person.id.in_(ids)).order_by(Person.id))).scalars()
    for decider in deciders:
        await _send(session, settings, decider, request_message(settings, decider, person), APPROVALS)


async def mail_decision(session: AsyncSession, settings: Settings, person: Person) -> None:
    await _send(session, settings, person, decision_message(settings, person), MEMBERSHIP)


async def _send(session: AsyncSession, settings: Settings, to: Person, message: Message, group: str) -> None:
    """Mailed with the change, not when away (`mail_settings.MAILED_AT_ONCE`), unless its group is off;
    with the one-click unsubscribe every notice has."""
    if not mail_settings.emails_group(to, group):
        return
    label = mail_settings.GROUPS[group].label
    await queue.enqueue_message(
        session,
        settings,
        with_stop(settings, message, to.id, group, label),
        to=to.email,
        person_id=to.id,
        headers=unsubscribe.headers(settings, to.id, group),
    )
