"""Leaving: a person deletes their own account (docs/design.md §3.8).

What is personal goes: the name, the address, the password, the API tokens, the notifications, the
emailed links, the saved searches, the memberships and the organisation approver rows; every session
ends. The account's row stays, marked deleted, so what the person shared stays attributed to their
organisation: their posts, replies and offers read "A former member of <organisation>"
(`network.views.person_ref`). The earlier events and notifications that carried the person's name are
given that label too. Asked to, their posts and replies are removed as a lead's removal removes them:
out of every reader's view and redacted from the log, with the removal told live.

A network's last lead cannot leave it, so cannot delete their account until another lead is named.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.log import revoke_after_commit
from events.models import Event, Notification
from events.signals import Revocation
from network import activity, clock
from network.content import replies
from network.enums import ContentState, MemberState
from network.errors import Conflict, Invalid, NotFound
from network.event_kinds import EventKind
from network.locking import lock_row
from network.models import (
    ApiToken,
    EmailLink,
    Membership,
    Network,
    OrganisationApprover,
    Person,
    Post,
    Reply,
    SavedSearch,
)
from network.moderation import redaction
from network.people import accounts, membership
from network.views import FORMER_MEMBER, former_member_label

UNUSABLE_PASSWORD = "!deleted"  # noqa: S105 - not a hash: no password verifies against it


def placeholder_email(person_id: int) -> str:
    """An address no mail reaches (`.invalid` is reserved, RFC 2606), unique per account, so the
    person's own address is free to register again."""
    return f"deleted-{person_id}@invalid"


async def delete_account(session: AsyncSession, person: Person, *, password: str, remove_content: bool) -> None:
    """Delete the person's account; needs their current password. Refused (and nothing written) for
    a wrong password, or while they are the last active lead of a network."""
    if not await asyncio.to_thread(accounts.check_password, person.password_hash, password):
        message = "Your password is not right."
        raise Invalid(message, fields={"password": message})
    if await lock_row(session, Person, person.id) is None or person.deleted_at is not None:
        raise NotFound("No such account.")
    networks = await _leave_networks(session, person)
    if remove_content:
        networks |= await _remove_content(session, person)
    networks |= await _authored_in(session, person)
    old_name = person.display_name
    await _forget(session, person)
    person.display_name = FORMER_MEMBER
    person.email = placeholder_email(person.id)
    person.password_hash = UNUSABLE_PASSWORD
    person.is_active = False
    person.deleted_at = clock.now()
    person.email_confirmed_at = None
    person.affiliation_reason = None
    await session.flush()
    await _relabel(session, person, old_name, networks)
    await accounts.end_sessions(session, person)
    revoke_after_commit(session, Revocation("person", str(person.id)))  # its token sockets too
    await session.flush()


async def _leave_networks(session: AsyncSession, person: Person) -> set[int]:
    """Leave every network (the last-lead rule as for leaving one, checked for all before any goes);
    the networks left."""
    rows = await session.execute(
        select(Network).join(Membership, Membership.network_id == Network.id).where(Membership.person_id == person.id)
    )
    networks = sorted(rows.scalars(), key=lambda n: n.id)
    leaving: list[tuple[Network, Membership]] = []
    for network in networks:
        leads, mine = await membership.lock_leads(session, network.id, person.id)
        if mine is None:
            continue
        if mine in leads and len(leads) <= 1:
            raise Conflict(
                f"You are the last lead of '{network.name}': name another lead there before you delete your account."
            )
        leaving.append((network, mine))
    for network, mine in leaving:
        was_active = mine.state is not MemberState.PENDING
        await session.delete(mine)
        await session.flush()
        left = EventKind.MEMBER_LEFT if was_active else EventKind.MEMBER_REQUEST_CLOSED
        await activity.record(session, network, left, {"person_id": person.id}, None)
    return {n.id for n, _ in leaving}


async def _remove_content(session: AsyncSession, person: Person) -> set[int]:
    """Remove the person's posts and replies as a lead's removal does (events redacted, readers told
    live); the networks they were in. The author's act, so no transparency-log entry."""
    touched: set[int] = set()
    shown = Post.state != ContentState.REMOVED
    for post in (await session.execute(select(Post).where(Post.author_id == person.id, shown))).scalars():
        post.state = ContentState.REMOVED
        await session.flush()
        await redaction.redact_post(session, post.network_id, post.id)
        network = await session.get(Network, post.network_id)
        assert network is not None
        await activity.record(session, network, EventKind.POST_REMOVED, {"post_id": post.id, "state": "removed"}, None)
        touched.add(network.id)
    own = select(Reply, Post).join(Post, Post.id == Reply.post_id)
    rows = await session.execute(own.where(Reply.author_id == person.id, Reply.state != ContentState.REMOVED))
    for reply, post in rows.tuples():
        reply.state = ContentState.REMOVED
        await session.flush()
        await redaction.redact_reply(session, post.network_id, reply.id, post.id)
        network = await session.get(Network, post.network_id)
        assert network is not None
        payload = {"reply_id": reply.id, "post_id": post.id, "reply_count": await replies.reply_count(session, post)}
        await activity.record(session, network, EventKind.REPLY_REMOVED, payload, None)
        touched.add(network.id)
    return touched


async def _authored_in(session: AsyncSession, person: Person) -> set[int]:
    """The networks holding anything the person wrote (whose log may carry their name)."""
    posts = select(Post.network_id).where(Post.author_id == person.id)
    replied = select(Post.network_id).join(Reply, Reply.post_id == Post.id).where(Reply.author_id == person.id)
    return {int(n) for n in (await session.execute(posts.union(replied))).scalars()}


async def _forget(session: AsyncSession, person: Person) -> None:
    for model in (ApiToken, Notification, EmailLink, OrganisationApprover, SavedSearch):
        await session.execute(delete(model).where(model.person_id == person.id))  # type: ignore[attr-defined]


def _relabelled(value: Any, person_id: int, label: str) -> Any:
    """`value` with every reference to the person (a dict with their id and a display name) given `label`."""
    if isinstance(value, dict):
        out = {k: _relabelled(v, person_id, label) for k, v in value.items()}
        if out.get("id") == person_id and "display_name" in out:
            out["display_name"] = label
        return out
    if isinstance(value, list):
        return [_relabelled(v, person_id, label) for v in value]
    return value


async def _relabel(session: AsyncSession, person: Person, old_name: str, networks: Iterable[int]) -> None:
    """The networks' earlier events and notifications that named the person name them no more.
    A notification quotes its author by name only ("by"): one quoting this name there is relabelled."""
    wanted = sorted(set(networks))
    if not wanted:
        return
    label = former_member_label(person)
    for event in (await session.execute(select(Event).where(Event.network_id.in_(wanted)))).scalars():
        payload = _relabelled(event.payload, person.id, label)
        if payload != event.payload:
            event.payload = payload
    for note in (await session.execute(select(Notification).where(Notification.network_id.in_(wanted)))).scalars():
        payload = _relabelled(note.payload, person.id, label)
        if payload.get("by") == old_name:
            payload["by"] = label
        if payload != note.payload:
            note.payload = payload
    await session.flush()
