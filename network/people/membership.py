"""Joining, leaving and leads' changes to members (roles, approval, states).

Sector-run rules live here, not in the UI: a network always keeps an active lead; people of
regulator or government organisations can only ever observe, and only they may observe.

A change locks the memberships it is about before it checks them: the network's active leads
and the member concerned, in id order (network/locking.py). Two leads demoting or removing each
other at once take turns, and the second finds one lead left. The network's own row is not
locked here: it holds the event counter, taken at commit, last (docs/integrity.md).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, timedelta

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock
from network.access import Access, lead_ids, membership_of
from network.enums import Decision, FollowLevel, JoinPolicy, MemberState, Role, TargetType, Visibility
from network.errors import Conflict, Forbidden, Invalid, NotFound
from network.event_kinds import EventKind
from network.governance import transparency
from network.inputs import MemberChange
from network.locking import lock_row, lock_rows
from network.models import Invitation, Membership, Network, Person
from network.moderation.models import DecisionRecord
from network.moderation.policy import APPEAL_WINDOW, APPEALABLE
from network.people import accounts
from network.permissions import Action, allowed, effective_state
from network.views import member_view, to_payload

INVITATION_LIFETIME = timedelta(days=14)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def invite(session: AsyncSession, access: Access, email: str) -> tuple[Invitation, str]:
    """A lead invites an email address; the returned token is shown once (it is the link)."""
    access.require(Action.MODERATE)
    raw = secrets.token_urlsafe(24)
    invitation = Invitation(
        network_id=access.network.id,
        email=accounts.normalise_email(email),
        digest=_digest(raw),
        invited_by_id=access.person.id if access.person else None,
        expires_at=clock.now() + INVITATION_LIFETIME,
    )
    session.add(invitation)
    await session.flush()
    expires = f"{invitation.expires_at:%d %B %Y}"
    await transparency.record(
        session, access, Decision.INVITE, TargetType.NETWORK, label=f"an invitation, valid until {expires}"
    )
    return invitation, raw


async def _invitation(session: AsyncSession, network: Network, token: str) -> Invitation | None:
    result = await session.execute(
        select(Invitation).where(Invitation.network_id == network.id, Invitation.digest == _digest(token))
    )
    return result.scalar_one_or_none()


def _invitation_refusal(invitation: Invitation | None, person: Person) -> str | None:
    if invitation is None:
        return "This invitation link is not valid: check that you copied all of it, or ask the lead for a new one."
    if invitation.used_at is not None:
        return "This invitation has been used already; each invitation works once. Ask the lead for a new one."
    if invitation.expires_at <= clock.now():
        return f"This invitation expired on {invitation.expires_at:%d %B %Y}. Ask the lead for a new one."
    if invitation.email != person.email:
        return "This invitation was made for another email address: sign in with the address it was sent to."
    return None


async def invitation_problem(
    session: AsyncSession, network: Network, person: Person, token: str
) -> tuple[bool, str | None]:
    """Whether the token is one of this network's invitations at all, and None when it lets this person
    join, else why not. Only reads: `join` takes the invitation."""
    invitation = await _invitation(session, network, token)
    return invitation is not None, _invitation_refusal(invitation, person)


async def _take_invitation(session: AsyncSession, network: Network, person: Person, token: str) -> bool:
    """Use the invitation, once: its row is locked before it is checked, so of two joins with one
    link the second finds it used (and then finds the membership the first made)."""
    invitation = await _invitation(session, network, token)
    if invitation is None or await lock_row(session, Invitation, invitation.id) is None:
        return False
    if _invitation_refusal(invitation, person) is not None:
        return False
    invitation.used_at = clock.now()
    return True


def _check_answers(network: Network, answers: list[str]) -> list[str]:
    """A request to join answers each of the network's questions."""
    questions = list(network.join_questions)
    cleaned = [a.strip() for a in answers]
    if len(cleaned) > len(questions):
        raise Invalid("There are more answers than questions.", fields={"answers": f"Give {len(questions)}."})
    missing = [n for n in range(len(questions)) if n >= len(cleaned) or not cleaned[n]]
    if missing:
        raise Invalid(
            "Answer each of the network's questions: " + "; ".join(questions[n] for n in missing),
            fields={f"answers.{n}": "Required." for n in missing},
        )
    return cleaned


async def join(
    session: AsyncSession,
    network: Network,
    person: Person,
    invitation: str | None = None,
    answers: list[str] | None = None,
) -> Membership:
    """Join under the network's policy: open → active, request → pending, invite → needs a valid invitation.

    A request to join (or an observer's) answers the network's questions, for the leads who decide it.
    Two joins at once make one membership (the unique constraint decides; the other is refused as
    a second join is)."""
    invited = bool(invitation) and await _take_invitation(session, network, person, invitation or "")
    existing = await membership_of(session, network.id, person.id)
    if existing is None and network.visibility is Visibility.HIDDEN and not invited:
        raise NotFound(f"No network '{network.slug}'.")
    if existing is not None:
        _refuse_rejoining(existing)
    if network.join_policy is JoinPolicy.INVITE and not invited:
        raise Forbidden("This network is by invitation only; ask one of its leads for an invitation.")
    observer = accounts.observer_only(person)
    if observer:
        # regulators and government observe only, and only with a lead's agreement
        state = MemberState.ACTIVE if invited else MemberState.PENDING
    elif network.join_policy is JoinPolicy.OPEN or invited:
        state = MemberState.ACTIVE
    else:
        state = MemberState.PENDING
    given = _check_answers(network, answers or []) if state is MemberState.PENDING else []
    membership = Membership(
        network_id=network.id,
        person=person,
        role=Role.OBSERVER if observer else Role.MEMBER,
        state=state,
        follow_level=FollowLevel.REQUESTS_ONLY,  # docs/design.md §3.10
        join_answers=given,
    )
    session.add(membership)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        if membership in session:
            session.expunge(membership)
        made = await membership_of(session, network.id, person.id)  # by a join that committed meanwhile
        if made is None:
            raise
        _refuse_rejoining(made)
    if state is MemberState.ACTIVE:
        await activity.record(
            session, network, EventKind.MEMBER_JOINED, {"member": to_payload(member_view(membership))}, person
        )
    else:  # the leads see who is asking, live, with their answers
        asked = to_payload(member_view(membership, with_answers=True))
        await activity.record(session, network, EventKind.MEMBER_ASKED, {"member": asked}, person)
        for lead_id in await lead_ids(session, network.id):
            await activity.notify(
                session,
                lead_id,
                "join.requested",
                {"network": network.slug, "person": {"id": person.id, "display_name": person.display_name}},
                network=network,
                actor=person,
            )
    return membership


def _refuse_rejoining(existing: Membership) -> None:
    if existing.state in (MemberState.BANNED, MemberState.SUSPENDED):
        raise Forbidden(f"You are {existing.state.value} from this network and cannot rejoin.")
    if existing.state is MemberState.PENDING:
        raise Conflict("Your request to join is already waiting for a lead.")
    raise Conflict("You are already a member of this network.")


async def leave(session: AsyncSession, access: Access) -> None:
    """Leave a network (or withdraw a join request). The last lead cannot leave."""
    membership, person = access.membership, access.person
    if membership is None or person is None:
        if not access.can(Action.READ):
            raise NotFound(f"No network '{access.network.slug}'.")  # never confirm a hidden network exists
        raise NotFound("You are not a member of this network.")
    leads, mine = await _lock_leads(session, access.network.id, person.id)
    if mine is None:
        raise NotFound("You are not a member of this network.")  # removed a moment ago
    if mine.state in (MemberState.BANNED, MemberState.SUSPENDED):
        raise Forbidden("A sanction cannot be ended by leaving; ask a lead or appeal.")
    if mine in leads and len(leads) <= 1:
        raise Conflict("You are this network's last lead: appoint another lead before you leave.")
    was_active = mine.state is not MemberState.PENDING
    await session.delete(mine)
    await session.flush()
    # a withdrawn request: the leads' event alone
    left = EventKind.MEMBER_LEFT if was_active else EventKind.MEMBER_REQUEST_CLOSED
    await activity.record(session, access.network, left, {"person_id": person.id}, person)


async def _lock_leads(
    session: AsyncSession, network_id: int, person_id: int
) -> tuple[list[Membership], Membership | None]:
    """Lock the network's active leads' memberships and `person_id`'s, in id order; return the active
    leads and that person's membership (None if there is none) as they are once locked.

    A lead demoted or removed by a transaction this one waited for is left out (READ COMMITTED checks
    a waited-for row again), so the leads counted are the leads there are: of two leads demoting each
    other at once, the second finds one. The network's row is not locked: it is the event counter."""
    is_lead = and_(Membership.role == Role.LEAD, Membership.state == MemberState.ACTIVE)
    locked = await lock_rows(
        session, Membership, Membership.network_id == network_id, or_(is_lead, Membership.person_id == person_id)
    )
    leads = [m for m in locked if m.role is Role.LEAD and m.state is MemberState.ACTIVE]
    return leads, next((m for m in locked if m.person_id == person_id), None)


lock_leads = _lock_leads  # for deleting an account (network/people/leaving.py), which leaves every network


def _still_leads(access: Access, leads: list[Membership]) -> None:
    """The acting lead is one still (a platform admin acts without being one)."""
    actor = access.person
    assert actor is not None
    if not actor.is_admin and all(m.person_id != actor.id for m in leads):
        raise Forbidden("Only a lead of this network may do that; you are no longer one.")


async def list_members(session: AsyncSession, access: Access) -> list[Membership]:
    """Active members, leads and observers (observers are always listed); leads also see pending and sanctioned.

    Only those who could read a members-only network see the list, even of a public network: who
    belongs where is for the network's own members (people waiting or sanctioned do not see it).
    """
    if not allowed(Action.READ, Visibility.MEMBERS, access.viewer, access.now):
        raise NotFound("Only members of this network can see who belongs to it.")
    stmt = select(Membership).where(Membership.network_id == access.network.id)
    if not access.is_lead:
        stmt = stmt.where(Membership.state.in_((MemberState.ACTIVE, MemberState.MUTED)))
    stmt = stmt.order_by(Membership.role, Membership.id)
    return list((await session.execute(stmt)).scalars())


async def change_member(session: AsyncSession, access: Access, person_id: int, change: MemberChange) -> Membership:
    """A lead sets a member's role or state: approve a join, appoint or remove a lead, mute, suspend, ban."""
    target, _ = await apply_change(session, access, person_id, change)
    return target


def _decision_for(before_role: Role, before_state: MemberState, role: Role, state: MemberState) -> Decision:
    """How the transparency log names a change of role or state."""
    if before_state is MemberState.PENDING:
        return Decision.APPROVE_JOIN if state is MemberState.ACTIVE else Decision.BAN
    if state != before_state or role == before_role:
        return {
            MemberState.MUTED: Decision.MUTE,
            MemberState.SUSPENDED: Decision.SUSPEND,
            MemberState.BANNED: Decision.BAN,
        }.get(state, Decision.LIFT)
    return Decision.SET_ROLE


async def apply_change(
    session: AsyncSession,
    access: Access,
    person_id: int,
    change: MemberChange,
    *,
    clause: int | None = None,
    action: Decision | None = None,
) -> tuple[Membership, DecisionRecord | None]:
    """Change a member's role or state, log it as a decision and tell them; the one service for both
    the members PATCH and sanctions decided through POST /decisions (`action` names the sanction)."""
    access.require(Action.MODERATE)
    actor = access.person
    assert actor is not None
    network = access.network
    leads, target = await _lock_leads(session, network.id, person_id)
    if target is None:
        raise NotFound("That person is not a member of this network.")
    if change.role is None and change.state is None and change.until is None:
        raise Invalid("Say what to change: a role, a state or when a mute or suspension ends.", fields={})
    if action is not None:
        _check_sanction(target, actor, action, access)
    new_role = change.role or target.role
    new_state = change.state or target.state
    until = change.until
    if until is not None and until.tzinfo is None:
        until = until.replace(tzinfo=UTC)  # a time without a zone is read as UTC, as every time here is
    observer_only = accounts.observer_only(target.person)
    if observer_only and new_role is not Role.OBSERVER:
        raise Invalid(
            "People from regulator or government organisations can only ever be observers.",
            fields={"role": "Must stay observer."},
        )
    if not observer_only and new_role is Role.OBSERVER:
        raise Invalid(
            "Only people from regulator or government organisations observe; members of the sector take part.",
            fields={"role": "Observers come only from regulator or government organisations."},
        )
    timed = new_state in (MemberState.MUTED, MemberState.SUSPENDED)
    if timed:
        if until is not None and until <= clock.now():
            raise Invalid("The end of a mute or suspension must be in the future.", fields={"until": "In the past."})
        if until is None and change.state is None:
            until = target.until  # a change of role alone keeps the sanction's end
    elif until is not None:
        raise Invalid("Only a mute or suspension has an end time.", fields={"until": "Leave empty."})
    if new_state is MemberState.PENDING and target.state is not MemberState.PENDING:
        raise Invalid("A member cannot be moved back to pending.", fields={"state": "Not allowed."})
    if target.state is MemberState.PENDING and new_state not in (MemberState.ACTIVE, MemberState.BANNED):
        raise Invalid(
            "This person is still asking to join: approve them (state 'active'), decline (remove) or ban them.",
            fields={"state": "Approve, decline or ban a join request."},
        )
    losing_lead = (
        target.role is Role.LEAD
        and target.state is MemberState.ACTIVE
        and (new_role is not Role.LEAD or new_state is not MemberState.ACTIVE)
    )
    if losing_lead and len(leads) <= 1:
        raise Conflict("A network always keeps at least one lead: appoint another lead first.")
    _still_leads(access, leads)
    approved = target.state is MemberState.PENDING and new_state is MemberState.ACTIVE
    before = (target.role, target.state, target.until)
    if before == (new_role, new_state, until if timed else None):
        if action is not None:
            raise Conflict(f"This member is already {new_state.value}.")
        return target, None
    decision = action or _decision_for(target.role, target.state, new_role, new_state)
    target.role, target.state = new_role, new_state
    target.until = until if timed else None
    await session.flush()
    entry = await transparency.record(
        session,
        access,
        decision,
        TargetType.MEMBER,
        target_id=target.person_id,
        subject=target.person,
        label=target.person.display_name,
        reason=change.reason,
        clause=clause,
        until=target.until,
        details={
            "role": [before[0].value, new_role.value],
            "state": [before[1].value, new_state.value],
        },
    )
    payload = to_payload(member_view(target)) | {"reason": change.reason}
    if approved:
        await activity.record(session, network, EventKind.MEMBER_JOINED, {"member": payload}, actor)
        await activity.notify(
            session,
            target.person_id,
            "membership.approved",
            {"network": network.slug, "reason": change.reason},
            network=network,
            actor=actor,
        )
    else:
        await activity.record(session, network, EventKind.MEMBER_UPDATED, {"member": payload}, actor)
        appealable = decision in APPEALABLE
        await activity.notify(
            session,
            target.person_id,
            "membership.changed",
            {
                "network": network.slug,
                "role": new_role.value,
                "state": new_state.value,
                "until": target.until.isoformat() if target.until else None,
                "reason": change.reason,
                "clause": clause,
                "decision_id": entry.id,
                "action": decision.value,
                "appealable_until": (entry.created_at + APPEAL_WINDOW).isoformat() if appealable else None,
            },
            network=network,
            actor=actor,
        )
    return target, entry


def _check_sanction(target: Membership, actor: Person, action: Decision, access: Access) -> None:
    if target.person_id == actor.id:
        raise Conflict("You cannot sanction yourself.")
    if target.role is Role.LEAD and action is not Decision.LIFT:
        raise Conflict("A lead cannot be sanctioned; remove their lead role first (members PATCH, role 'member').")
    if target.state is MemberState.PENDING and action is not Decision.BAN:
        raise Conflict("This person is still asking to join: approve or decline them first, or ban them.")
    state = effective_state(target.state, target.until, access.now)
    if action is Decision.LIFT and state not in (MemberState.MUTED, MemberState.SUSPENDED, MemberState.BANNED):
        raise Conflict("This member has no sanction to lift.")


async def remove_member(session: AsyncSession, access: Access, person_id: int, reason: str = "") -> None:
    """A lead removes a member or declines a join request."""
    access.require(Action.MODERATE)
    network = access.network
    leads, target = await _lock_leads(session, network.id, person_id)
    if target is None:
        raise NotFound("That person is not a member of this network.")
    if target in leads and len(leads) <= 1:
        raise Conflict("A network always keeps at least one lead: appoint another lead first.")
    _still_leads(access, leads)
    was_pending = target.state is MemberState.PENDING
    if was_pending and not reason.strip():
        raise Invalid("Say why you are declining: the person is told.", fields={"reason": "Required."})
    subject = target.person
    await session.execute(delete(Membership).where(Membership.id == target.id))
    session.expunge(target)
    kind = "membership.declined" if was_pending else "membership.removed"
    # a declined request is logged without the name: they never joined, so the network need not know them
    await transparency.record(
        session,
        access,
        Decision.DECLINE_JOIN if was_pending else Decision.REMOVE_MEMBER,
        TargetType.MEMBER,
        target_id=None if was_pending else person_id,
        subject=None if was_pending else subject,
        label="a request to join" if was_pending else subject.display_name,
        reason=reason,
    )
    # a declined request leaves the leads' list (they alone saw it); a member leaves everyone's
    left = EventKind.MEMBER_REQUEST_CLOSED if was_pending else EventKind.MEMBER_LEFT
    await activity.record(session, network, left, {"person_id": person_id, "reason": reason}, access.person)
    await activity.notify(
        session,
        person_id,
        kind,
        {"network": network.slug, "reason": reason},
        network=network,
        actor=access.person,
    )


async def set_follow_level(session: AsyncSession, access: Access, level: FollowLevel) -> Membership:
    if access.membership is None:
        raise NotFound("You are not a member of this network.")
    access.membership.follow_level = level
    await session.flush()
    return access.membership


async def pending_count(session: AsyncSession, network_id: int) -> int:
    result = await session.execute(
        select(func.count()).where(Membership.network_id == network_id, Membership.state == MemberState.PENDING)
    )
    return int(result.scalar_one())
