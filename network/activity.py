"""The domain's side of the event log: what it records for members and tells to people.

Each function hands its event or notification to the unit of work (`events.outbox`): written in the
caller's transaction as it commits, never for one that rolls back. Here each event's audience is
decided (`network.audience`), and a notification reaches a person only while they may read the
network it comes from (docs/design.md §4.4: a suspension or ban removes them from every channel of it),
unless it is about their own standing there (a decision about them, their membership, their appeal).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from events import outbox
from network import audience, clock, event_kinds, withholding
from network.enums import OrgKind
from network.event_kinds import EventKind
from network.models import Membership, Network, Organisation, Person, Post, Reply
from network.permissions import Action, Viewer, allowed

# notifications about the person's own standing: they reach them even where they may no longer read
ABOUT_THEM = frozenset(
    {
        "membership.approved",
        "membership.declined",
        "membership.removed",
        "membership.changed",
        "role.changed",
        "decision",
        "flag.decided",
        "appeal.decided",
    }
)


async def record(
    session: AsyncSession,
    network: Network,
    kind: EventKind,
    payload: dict[str, Any],
    actor: Person | None,
    *,
    group_id: int | None = None,
) -> None:
    """Append a network event with its audience. An event saying content left or came back to the
    readers' view first re-decides the audience of the earlier events about it. `group_id`: the
    engagement whose named people a `parties` kind is for."""
    lacking = event_kinds.missing(kind, payload)
    if lacking:  # a mistake in the code: a client applying the event would find the key missing
        raise ValueError(f"a {kind} event must carry {lacking}")
    if (event_kinds.SPECS[kind].audience == event_kinds.PARTIES) != (group_id is not None):
        raise ValueError(f"a {kind} event names the engagement it is for exactly when its audience is its parties")
    subject = audience.subject_of(payload)
    if kind in audience.MOVES and subject is not None:
        await withholding.refresh(session, network.id, subject)
    decided = await _audience(session, kind, payload, subject)
    outbox.event(
        session,
        counter=Network.event_seq,
        network_id=network.id,
        kind=kind,
        payload=payload,
        actor_id=actor.id if actor else None,
        audience=decided.to,
        audience_person_id=decided.person_id,
        subject_id=subject,
        audience_group_id=group_id,
    )


async def _audience(
    session: AsyncSession, kind: str, payload: dict[str, Any], subject: int | None
) -> audience.Audience:
    if kind in audience.HELD_KINDS:
        item = payload.get("post") or payload.get("reply") or {}
        author = item.get("author", {}).get("id") if isinstance(item, dict) else None
        return audience.Audience(audience.LEADS, author if isinstance(author, int) else None)
    if kind not in audience.CONTENT_KINDS or subject is None:
        return audience.of_kind(kind)
    items = await shown(session, subject, audience.reply_of(payload))
    adoption_id = audience.adoption_of(payload)
    if adoption_id is not None:
        items += (await withholding.adoptions(session, [adoption_id])).values()
    return audience.for_content(items)


async def shown(session: AsyncSession, post_id: int, reply_id: int | None) -> list[audience.Shown]:
    """The state and author of a post (and a reply of it): usually already in the session, so no query."""
    items = []
    post = await session.get(Post, post_id)
    if post is not None:
        items.append(audience.Shown(post.state, post.author_id))
    reply = await session.get(Reply, reply_id) if reply_id is not None else None
    if reply is not None:
        items.append(audience.Shown(reply.state, reply.author_id))
    return items


async def notify(
    session: AsyncSession,
    person_id: int,
    kind: str,
    payload: dict[str, Any],
    *,
    network: Network | None = None,
    actor: Person | None = None,
) -> None:
    """A personal notification, unless the person caused it themselves or may not read the network."""
    if actor is not None and actor.id == person_id:
        return
    if network is not None and kind not in ABOUT_THEM and not await may_read(session, network, person_id):
        return
    outbox.notify(
        session,
        counter=Person.notification_seq,
        kinds={person_id: kind},
        payload=payload,
        network_id=network.id if network else None,
    )


def notify_many(session: AsyncSession, network_id: int, kinds: dict[int, str], payload: dict[str, Any]) -> None:
    """The same notification for many people (person id → kind): a new post's followers, the people
    it names. The callers choose them among the network's active and muted members, who may read it."""
    outbox.notify(session, counter=Person.notification_seq, kinds=kinds, payload=payload, network_id=network_id)


def _readers(who: ColumnElement[bool]) -> Select[Any]:
    """Each person's standing in a network (bound as `network_id`), for the permission table."""
    return (
        select(
            Person.id,
            Person.is_active,
            Person.is_admin,
            Organisation.kind,
            Membership.role,
            Membership.state,
            Membership.until,
        )
        .select_from(Person)
        .join(Organisation, Organisation.id == Person.organisation_id)
        .outerjoin(
            Membership, and_(Membership.person_id == Person.id, Membership.network_id == bindparam("network_id"))
        )
        .where(who)
    )


# Built once, with bound parameters (see network/people/accounts.py's _LIVE_TOKEN): every reply and offer runs it.
_READER = _readers(Person.id == bindparam("person_id"))
_READERS = _readers(Person.id.in_(bindparam("people", expanding=True)))


def _reads(network: Network, row: Any, now: datetime) -> bool:
    if not row.is_active:
        return False
    viewer = Viewer(
        signed_in=True,
        is_admin=row.is_admin,
        role=row.role,
        state=row.state,
        until=row.until,
        observer_only=OrgKind(row.kind).observer_only,
    )
    return allowed(Action.READ, network.visibility, viewer, now)


async def may_read(session: AsyncSession, network: Network, person_id: int) -> bool:
    """Whether this person may read this network now (docs/design.md §4.1), for what is sent to them."""
    row = (await session.execute(_READER, {"network_id": network.id, "person_id": person_id})).one_or_none()
    return row is not None and _reads(network, row, clock.now())


async def readers_among(session: AsyncSession, network: Network, person_ids: Iterable[int]) -> set[int]:
    """Those of these people who may read this network now: `may_read` for many, in one statement."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return set()
    rows = await session.execute(_READERS, {"network_id": network.id, "people": wanted})
    now = clock.now()
    return {int(row.id) for row in rows if _reads(network, row, now)}
