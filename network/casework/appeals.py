"""Appeals: the person a decision concerns asks, once and within 14 days, for another lead to look again.

The lead who acted never decides. When the network has no other active lead, the appeal goes
to the platform's admins, and the appellant is told so. Overturning undoes the decision
(content shown again as it was, a sanction lifted) and, like upholding, is logged and told.

Deciding locks the appeal's row before it checks that the appeal is open, then the content it
undoes (the post before its reply) or the memberships (network/people/membership.py): two leads deciding
at once take turns, and the second is told how the first decided.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock
from network.access import Access, access_to, lead_ids
from network.adoption import service as adoption_service
from network.adoption.models import Adoption
from network.casework.decisions import SANCTION_STATES, announce, tell
from network.content import posts
from network.enums import AppealStatus, ContentState, Decision, MemberState, Role, TargetType
from network.errors import Conflict, Forbidden, Invalid, NotFound, Refusal, enforce
from network.event_kinds import EventKind
from network.governance import transparency
from network.inputs import AppealDecisionInput, AppealInput, MemberChange, PostEdit
from network.locking import lock_row
from network.models import Membership, Network, Person, Post, Reply
from network.moderation.models import Appeal, DecisionRecord
from network.moderation.policy import appeal_decider_refusal, appeal_refusal
from network.moderation.views import AppealView, appeal_view
from network.people import membership
from network.views import person_ref


async def _admin_ids(session: AsyncSession) -> list[int]:
    result = await session.execute(select(Person.id).where(Person.is_admin.is_(True), Person.is_active.is_(True)))
    return list(result.scalars())


async def file(session: AsyncSession, person: Person, data: AppealInput) -> Appeal:
    entry = await session.get(DecisionRecord, data.decision_id)
    if entry is None or entry.subject_id != person.id:
        # a decision about someone else is not confirmed to exist to a non-member
        raise NotFound(f"No decision {data.decision_id} concerning you.")
    network = await session.get(Network, entry.network_id)
    assert network is not None
    already = await session.scalar(select(Appeal.id).where(Appeal.decision_id == entry.id))
    enforce(file_refusal(person, entry, already_appealed=already is not None, now=clock.now()))
    if not data.statement.strip():
        raise Invalid("Say why the decision should change.", fields={"statement": "Required."})
    others = [i for i in await lead_ids(session, network.id) if i not in (entry.actor_id, person.id)]
    appeal = Appeal(
        decision_id=entry.id,
        network_id=network.id,
        appellant=person,
        statement=data.statement.strip(),
        to_admin=not others,
    )
    appeal.decision = entry
    session.add(appeal)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("This decision has already been appealed; each decision can be appealed once.") from exc
    deciders = await _admin_ids(session) if appeal.to_admin else others
    summary = {
        "network": network.slug,
        "appeal_id": appeal.id,
        "decision_id": entry.id,
        "action": entry.action.value,
        "label": entry.label,
        "by": person.display_name,
        "to_admin": appeal.to_admin,
    }
    for decider in deciders:
        await activity.notify(session, decider, "appeal.filed", summary, network=network, actor=person)
    await activity.record(
        session, network, EventKind.APPEAL_FILED, {"decision_id": entry.id, "appeal_id": appeal.id}, person
    )
    return appeal


def file_refusal(person: Person, entry: DecisionRecord, *, already_appealed: bool, now: datetime) -> Refusal:
    """Whether the person may appeal the decision now: the person it concerns, once, within the window,
    a decision that takes something away (`moderation_policy.appeal_refusal`)."""
    problem = appeal_refusal(
        action=entry.action,
        subject_id=entry.subject_id,
        person_id=person.id,
        decided_at=entry.created_at,
        now=now,
        already_appealed=already_appealed,
    )
    if problem is None:
        return None
    return Conflict(problem) if already_appealed else Forbidden(problem)


async def appeal_on(session: AsyncSession, decision_id: int) -> Appeal | None:
    """The appeal against a decision, if there is one (each decision can be appealed once)."""
    result = await session.execute(select(Appeal).where(Appeal.decision_id == decision_id))
    return result.scalar_one_or_none()


async def _load(session: AsyncSession, appeal_id: int, *, lock: bool = False) -> tuple[Appeal, Network]:
    appeal = await lock_row(session, Appeal, appeal_id) if lock else await session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(f"No appeal {appeal_id}.")
    network = await session.get(Network, appeal.network_id)
    assert network is not None
    return appeal, network


def _refusal(appeal: Appeal, access: Access) -> str | None:
    person = access.person
    assert person is not None
    if person.id == appeal.appellant_id:
        return "You cannot decide your own appeal."
    return appeal_decider_refusal(
        person_id=person.id,
        is_lead=_is_active_lead(access.membership),
        is_admin=person.is_admin,
        acted_by=appeal.decision.actor_id,
        to_admin=appeal.to_admin,
    )


def _is_active_lead(m: Membership | None) -> bool:
    return m is not None and m.role.value == "lead" and m.state is MemberState.ACTIVE


async def get(session: AsyncSession, person: Person, appeal_id: int) -> AppealView:
    """The appellant, the network's leads and platform admins may read an appeal."""
    appeal, network = await _load(session, appeal_id)
    access = await access_to(session, network, person)
    if person.id != appeal.appellant_id and not (person.is_admin or _is_active_lead(access.membership)):
        raise NotFound(f"No appeal {appeal_id}.")
    return await describe(session, appeal, network)


async def describe(session: AsyncSession, appeal: Appeal, network: Network) -> AppealView:
    decider = await session.get(Person, appeal.decided_by_id) if appeal.decided_by_id else None
    return appeal_view(appeal, network, person_ref(decider) if decider else None)


async def list_for(session: AsyncSession, person: Person, *, open_only: bool = True) -> list[AppealView]:
    """Appeals this person may decide (open ones, in networks they lead or, for admins, sent to admins),
    and their own appeals."""
    led = select(Membership.network_id).where(
        Membership.person_id == person.id, Membership.role == Role.LEAD, Membership.state == MemberState.ACTIVE
    )
    mine = Appeal.appellant_id == person.id
    theirs: ColumnElement[bool] = Appeal.network_id.in_(led)
    if person.is_admin:
        theirs = or_(theirs, Appeal.to_admin.is_(True))
    decidable = theirs & (Appeal.status == AppealStatus.OPEN) if open_only else theirs
    rows = (
        await session.execute(select(Appeal).where(or_(mine, decidable)).order_by(Appeal.id.desc()).limit(200))
    ).scalars()
    views = []
    for appeal in rows:
        network = await session.get(Network, appeal.network_id)
        assert network is not None
        views.append(await describe(session, appeal, network))
    return views


async def decide(session: AsyncSession, person: Person, appeal_id: int, data: AppealDecisionInput) -> Appeal:
    appeal, network = await _load(session, appeal_id, lock=True)
    access = await access_to(session, network, person)
    if person.id != appeal.appellant_id and not (person.is_admin or _is_active_lead(access.membership)):
        raise NotFound(f"No appeal {appeal_id}.")
    problem = _refusal(appeal, access)
    if problem:
        raise Forbidden(problem)
    if appeal.status is not AppealStatus.OPEN:
        raise Conflict(f"This appeal has been decided already ({appeal.status.value}).")
    if data.outcome is AppealStatus.OPEN:
        raise Invalid(
            "Decide the appeal: 'upheld' (the decision stands) or 'overturned'.",
            fields={"outcome": "upheld or overturned."},
        )
    if not data.reason.strip():
        raise Invalid("Give the reason for the outcome.", fields={"reason": "Required."})
    original = appeal.decision
    if data.outcome is AppealStatus.OVERTURNED:
        await _undo(session, access, original)
    appeal.status = data.outcome
    appeal.decided_by_id = person.id
    appeal.outcome_reason = data.reason.strip()
    appeal.decided_at = clock.now()
    await session.flush()
    action = Decision.APPEAL_OVERTURNED if data.outcome is AppealStatus.OVERTURNED else Decision.APPEAL_UPHELD
    entry = await transparency.record(
        session,
        access,
        action,
        TargetType.APPEAL,
        target_id=appeal.id,
        subject=appeal.appellant,
        label=f"appeal against decision {original.id} ({original.action.value} of {original.label})",
        reason=data.reason,
        details={"decision_id": original.id},
    )
    outcome = {"appeal_id": appeal.id, "outcome": data.outcome.value, "original_decision_id": original.id}
    await tell(session, access, entry, appeal.appellant_id, "appeal.decided", None, **outcome)
    if original.actor_id is not None:
        await tell(session, access, entry, original.actor_id, "appeal.decided", None, **outcome)
    return appeal


async def _undo(session: AsyncSession, access: Access, original: DecisionRecord) -> None:
    """Put back what the decision took away."""
    action = original.action
    if original.target_type is TargetType.MEMBER:
        m = await session.scalar(
            select(Membership).where(
                Membership.network_id == access.network.id, Membership.person_id == original.target_id
            )
        )
        if m is not None and action is not Decision.LIFT and m.state is SANCTION_STATES.get(action):
            await membership.apply_change(
                session,
                access,
                m.person_id,
                MemberChange(state=MemberState.ACTIVE, reason="Appeal overturned the decision."),
            )
        return
    post: Post | None
    reply: Reply | None = None
    target_id = original.target_id
    if target_id is None:
        return
    if original.target_type is TargetType.ADOPTION:
        await _undo_on_adoption(session, access, original, target_id)
        return
    if original.target_type is TargetType.REPLY:
        found = await session.get(Reply, target_id)
        post = await lock_row(session, Post, found.post_id) if found else None  # the post before its reply
        reply = await lock_row(session, Reply, target_id) if post else None
        if reply is None:
            return
    else:
        post = await lock_row(session, Post, target_id)
    if post is None:
        return
    item: Post | Reply = reply if reply is not None else post
    if action in (Decision.HIDE, Decision.REMOVE) and item.state in (ContentState.HIDDEN, ContentState.REMOVED):
        item.state = ContentState(original.details.get("from_state", ContentState.VISIBLE.value))
        if item.state is ContentState.HELD:
            item.state = ContentState.VISIBLE  # the appeal decides it may be shown
        await session.flush()
        await announce(session, access, Decision.RESTORE, post, reply)
    elif action is Decision.LOCK and post.locked:
        post.locked = False
        await session.flush()
        await announce(session, access, Decision.UNLOCK, post, None)
    elif action is Decision.EDIT:
        before = original.details.get("before", {})
        if reply is not None and "body" in before:
            reply.body = str(before["body"])
            await session.flush()
            await announce(session, access, Decision.EDIT, post, reply)
        elif reply is None:
            restored = {k: before[k] for k in ("title", "body") if k in before}
            if restored:
                await posts.edit_post(
                    session,
                    access,
                    post,
                    PostEdit(**restored, reason="Appeal overturned the edit."),
                    notify_author=False,
                )


async def _undo_on_adoption(session: AsyncSession, access: Access, original: DecisionRecord, target_id: int) -> None:
    """Show again an adoption record a lead hid or removed (the practice locked first, then the record)."""
    found = await session.get(Adoption, target_id)
    post = await lock_row(session, Post, found.post_id) if found else None
    adoption = await lock_row(session, Adoption, target_id) if post else None
    if post is None or adoption is None or adoption.state not in (ContentState.HIDDEN, ContentState.REMOVED):
        return
    adoption.state = ContentState.VISIBLE
    await session.flush()
    await adoption_service.announce_decision(session, access, post, adoption, Decision.RESTORE)


async def decider_refusal(session: AsyncSession, person: Person, appeal_id: int) -> str | None:
    """Why this person may not decide this appeal (as `decide` would refuse), or None: for pages that
    show the form only to those who may use it."""
    appeal, network = await _load(session, appeal_id)
    return _refusal(appeal, await access_to(session, network, person))


async def decider_refusals(session: AsyncSession, person: Person, appeal_ids: list[int]) -> dict[int, str | None]:
    """`decider_refusal` for each of the appeals (a list of them, as `list_for` gives), by appeal id."""
    found: dict[int, str | None] = {}
    accesses: dict[int, Access] = {}
    for appeal_id in appeal_ids:
        appeal, network = await _load(session, appeal_id)
        if network.id not in accesses:
            accesses[network.id] = await access_to(session, network, person)
        found[appeal_id] = _refusal(appeal, accesses[network.id])
    return found
