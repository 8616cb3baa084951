"""Leads' decisions on content and members (POST /networks/{slug}/decisions).

Each decision changes what it concerns, resolves the item's queue entry and flags, appends
the member-visible events, writes its transparency-log entry and tells the people it
concerns (the author or member, and each reporter) what was decided and why. Sanctions on
members go through `network.people.membership.change_member`, the same service as the members PATCH.

A decision on content locks the post (then the reply) before it computes the move, so it is
computed from the state it really changes: two leads deciding on one item take turns, and the
second decides on what the first left (a removal after a hide is a removal from hidden; a second
dismissal finds no open flags). Its queue entry is resolved by a compare-and-set.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock, withholding
from network.access import Access
from network.adoption import service as adoption_service
from network.adoption.models import Adoption
from network.casework.flags import check_clause
from network.content import posts, replies, reply_edits
from network.enums import ContentState, Decision, MemberState, TargetType
from network.errors import Conflict, Invalid, NotFound, Refusal, enforce
from network.event_kinds import EventKind
from network.governance import transparency
from network.inputs import DecisionInput, MemberChange, PostEdit
from network.locking import lock_row
from network.models import Post, Reply
from network.moderation import redaction, review_queue
from network.moderation.models import DecisionRecord, Flag
from network.moderation.policy import (
    APPEAL_WINDOW,
    APPEALABLE,
    SANCTIONS,
    TIMED_SANCTIONS,
    content_move,
    decision_fits,
    reason_refusal,
    thread_move,
)
from network.people import membership
from network.permissions import Action
from network.views import reply_view, to_payload

SANCTION_STATES = {
    Decision.MUTE: MemberState.MUTED,
    Decision.SUSPEND: MemberState.SUSPENDED,
    Decision.BAN: MemberState.BANNED,
    Decision.LIFT: MemberState.ACTIVE,
}
# decisions that settle the flags and the queue entry of their item
_RESOLVING = frozenset(
    {Decision.DISMISS, Decision.APPROVE, Decision.HIDE, Decision.REMOVE, Decision.EDIT, Decision.LOCK}
)


def content_label(post: Post, reply: Reply | None) -> str:
    if reply is not None:
        return f"reply {reply.id} on {post.kind.value} {post.id}"
    return f"{post.kind.value} {post.id}"


def decision_refusal(
    access: Access,
    action: Decision,
    target_type: TargetType,
    *,
    state: ContentState | None = None,
    locked: bool = False,
    pinned: bool = False,
    open_flags: bool = False,
) -> Refusal:
    """Whether the asker may take `action` on a target in the network: a lead, a decision that fits the
    target and, on content (its `state`, its thread `locked` or `pinned`), one that changes something;
    a dismissal needs `open_flags`."""
    refusal = access.read_refusal() or access.refusal(Action.MODERATE)
    if refusal is not None:
        return refusal
    problem = decision_fits(action, target_type)
    if problem:
        return Invalid(problem, fields={"action": problem})
    if state is None:  # a member: what the sanction finds is membership's business
        return None
    try:
        content_move(action, state)
    except ValueError as exc:
        return Conflict(str(exc))
    problem = thread_move(action, locked=locked, pinned=pinned)
    if problem:
        return Conflict(problem)
    if action is Decision.DISMISS and not open_flags:
        return Conflict("There are no open flags on this to dismiss.")
    return None


def fitting(
    access: Access,
    actions: list[Decision],
    target_type: TargetType,
    *,
    state: ContentState,
    locked: bool = False,
    pinned: bool = False,
    open_flags: bool = False,
) -> list[Decision]:
    """Of `actions`, those the asker may take on the content now (for a page to offer only these)."""
    return [
        action
        for action in actions
        if decision_refusal(
            access, action, target_type, state=state, locked=locked, pinned=pinned, open_flags=open_flags
        )
        is None
    ]


async def decide(session: AsyncSession, access: Access, data: DecisionInput) -> DecisionRecord:
    enforce(decision_refusal(access, data.action, data.target_type))  # the content is checked once it is locked
    problem = reason_refusal(data.action, data.reason)
    if problem:
        raise Invalid(problem, fields={"reason": "Required."})
    await check_clause(session, access.network.id, data.clause)
    if data.until is not None and data.action not in TIMED_SANCTIONS:
        raise Invalid("Only a mute or a suspension has an end time.", fields={"until": "Leave empty."})
    if data.edit is not None and data.action is not Decision.EDIT:
        raise Invalid("Only an 'edit' decision carries new content.", fields={"edit": "Leave empty."})
    if data.action in SANCTIONS:
        return await _sanction(session, access, data)
    return await _on_content(session, access, data)


async def _sanction(session: AsyncSession, access: Access, data: DecisionInput) -> DecisionRecord:
    change = MemberChange(state=SANCTION_STATES[data.action], until=data.until, reason=data.reason)
    _, entry = await membership.apply_change(
        session, access, data.target_id, change, clause=data.clause, action=data.action
    )
    assert entry is not None
    return entry


async def _post_in(session: AsyncSession, access: Access, post_id: int | None, missing: NotFound) -> Post:
    """The post of a reply or adoption record decided on, in this network, locked first."""
    post = await session.get(Post, post_id) if post_id is not None else None
    if post is None or post.network_id != access.network.id or await lock_row(session, Post, post.id) is None:
        raise missing
    return post


async def _target(
    session: AsyncSession, access: Access, data: DecisionInput
) -> tuple[Post, Reply | None, Adoption | None]:
    """The post (and reply, or adoption record) decided on, locked in that order and read as they are now."""
    missing = NotFound(f"No {data.target_type.value} {data.target_id} in this network.")
    if data.target_type is TargetType.REPLY:
        reply = await session.get(Reply, data.target_id)
        post = await _post_in(session, access, reply.post_id if reply else None, missing)
        if reply is None or await lock_row(session, Reply, reply.id) is None:
            raise missing
        return post, reply, None
    if data.target_type is TargetType.ADOPTION:
        adoption = await session.get(Adoption, data.target_id)
        post = await _post_in(session, access, adoption.post_id if adoption else None, missing)
        if adoption is None or await lock_row(session, Adoption, adoption.id) is None:
            raise missing
        return post, None, adoption
    return await _post_in(session, access, data.target_id, missing), None, None


async def _open_flags(session: AsyncSession, target_type: TargetType, target_id: int) -> list[Flag]:
    result = await session.execute(
        select(Flag).where(Flag.target_type == target_type, Flag.target_id == target_id, Flag.status == "open")
    )
    return list(result.scalars())


async def _on_content(session: AsyncSession, access: Access, data: DecisionInput) -> DecisionRecord:
    post, reply, adoption = await _target(session, access, data)
    item: Post | Reply | Adoption = adoption or reply or post
    action = data.action
    flags = await _open_flags(session, data.target_type, data.target_id)
    enforce(
        decision_refusal(
            access,
            action,
            data.target_type,
            state=item.state,
            locked=post.locked,
            pinned=post.pinned,
            open_flags=bool(flags),
        )
    )
    new_state = content_move(action, item.state)
    author = item.person if isinstance(item, Adoption) else item.author
    details: dict[str, Any] = {"from_state": item.state.value}
    if action is Decision.EDIT:
        details["before"] = await _edit(session, access, post, reply, data)
    elif new_state is not None:
        item.state = new_state
        details["to_state"] = new_state.value
    elif action in (Decision.LOCK, Decision.UNLOCK):
        post.locked = action is Decision.LOCK
    elif action in (Decision.PIN, Decision.UNPIN):
        post.pinned = action is Decision.PIN
    await session.flush()
    if adoption is not None:  # its service redacts a removed record's words and tells the readers
        await adoption_service.announce_decision(session, access, post, adoption, action)
    elif action is Decision.REMOVE:
        if reply is not None:
            await redaction.redact_reply(session, access.network.id, reply.id, post.id)
        else:
            await redaction.redact_post(session, access.network.id, post.id)
    if adoption is None:
        await announce(session, access, action, post, reply)
    entry = await transparency.record(
        session,
        access,
        action,
        data.target_type,
        target_id=data.target_id,
        subject=author,
        label=f"adoption record {adoption.id} on practice {post.id}" if adoption else content_label(post, reply),
        reason=data.reason,
        clause=data.clause,
        details=details,
    )
    # an edit of held content leaves it held, so it stays in the queue until a lead approves it or takes it down
    if action in _RESOLVING and not (action is Decision.EDIT and item.state is ContentState.HELD):
        # approving publishes the content as it is: its flags were not upheld
        outcome = "dismissed" if action in (Decision.DISMISS, Decision.APPROVE) else "upheld"
        for f in flags:
            f.status, f.decision_id = outcome, entry.id
        await session.flush()
        await review_queue.resolve(session, data.target_type, data.target_id, entry)
        for reporter_id in {f.reporter_id for f in flags if f.reporter_id is not None}:
            await tell(session, access, entry, reporter_id, "flag.decided", post, outcome=outcome)
    if action is not Decision.DISMISS:
        await tell(session, access, entry, author.id, "decision", post)
    return entry


async def _edit(
    session: AsyncSession, access: Access, post: Post, reply: Reply | None, data: DecisionInput
) -> dict[str, Any]:
    """A lead's edit with a reason: a post and a reply keep their revision history (a reply's old text also
    stays in the log's details)."""
    edit = data.edit
    if edit is None or (edit.title is None and edit.body is None):
        raise Invalid("Give the edited content.", fields={"edit": "Give a new title or body."})
    if reply is not None:
        if edit.title is not None:
            raise Invalid("A reply has no title.", fields={"edit.title": "Leave empty."})
        assert edit.body is not None
        if not edit.body.strip():
            raise Invalid("A reply cannot be blank.", fields={"edit.body": "Required."})
        if edit.body == reply.body:
            raise Conflict("That is the reply as it stands.")
        old = {"body": reply.body}
        await reply_edits.keep_revision(session, reply, access.person, data.reason)
        reply.body, reply.edited_at = edit.body, clock.now()
        await session.flush()  # what the lead took out leaves the log's earlier events too
        await withholding.rewrite_reply(session, access.network.id, post.id, reply.id, to_payload(reply_view(reply)))
        return old
    changes: dict[str, Any] = {k: v for k, v in (("title", edit.title), ("body", edit.body)) if v is not None}
    if all(getattr(post, k) == v for k, v in changes.items()):
        raise Conflict("That is the post as it stands.")
    before: dict[str, Any] = {k: getattr(post, k) for k in changes}
    before["revision"] = post.revision
    await posts.edit_post(session, access, post, PostEdit(**changes, reason=data.reason), notify_author=False)
    return before


async def latest_hides(
    session: AsyncSession, network_id: int, target_type: TargetType, target_ids: list[int]
) -> dict[int, DecisionRecord]:
    """The latest 'hide' decision on each of the posts or replies (none for one never hidden)."""
    if not target_ids:
        return {}
    rows = await session.execute(
        select(DecisionRecord)
        .where(
            DecisionRecord.network_id == network_id,
            DecisionRecord.target_type == target_type,
            DecisionRecord.target_id.in_(target_ids),
            DecisionRecord.action == Decision.HIDE,
        )
        .order_by(DecisionRecord.id.desc())
    )
    latest: dict[int, DecisionRecord] = {}
    for record in rows.scalars():
        latest.setdefault(int(record.target_id or 0), record)
    return latest


async def announce(session: AsyncSession, access: Access, action: Decision, post: Post, reply: Reply | None) -> None:
    """The member-visible events for a decision on content."""
    network, actor = access.network, access.person
    if reply is not None:
        count = await replies.reply_count(session, post)
        if action is Decision.APPROVE:
            await replies.publish(session, access, post, reply)
        elif action is Decision.RESTORE or (action is Decision.EDIT and reply.state is not ContentState.REMOVED):
            kind = EventKind.REPLY_RESTORED if action is Decision.RESTORE else EventKind.REPLY_UPDATED
            payload = {"reply": to_payload(reply_view(reply)), "reply_count": count}
            await activity.record(session, network, kind, payload, actor)
        elif action in (Decision.HIDE, Decision.REMOVE):
            payload = {"reply_id": reply.id, "post_id": post.id, "reply_count": count}
            gone = EventKind.REPLY_HIDDEN if action is Decision.HIDE else EventKind.REPLY_REMOVED
            await activity.record(session, network, gone, payload, actor)
        return
    if action is Decision.APPROVE:
        await posts.publish(session, access, post)
    elif action in (Decision.HIDE, Decision.REMOVE):
        kind = EventKind.POST_HIDDEN if action is Decision.HIDE else EventKind.POST_REMOVED
        await activity.record(session, network, kind, {"post_id": post.id, "state": post.state.value}, actor)
    elif action is Decision.RESTORE:
        view = await posts.describe_post(session, post, network.slug)
        await activity.record(session, network, EventKind.POST_RESTORED, {"post": to_payload(view)}, actor)
    elif action is not Decision.EDIT and action is not Decision.DISMISS and post.state is ContentState.VISIBLE:
        view = await posts.describe_post(session, post, network.slug)  # lock, unlock, pin, unpin
        await activity.record(session, network, EventKind.POST_UPDATED, {"post": to_payload(view)}, actor)


async def tell(
    session: AsyncSession,
    access: Access,
    entry: DecisionRecord,
    person_id: int,
    kind: str,
    post: Post | None = None,
    **extra: Any,
) -> None:
    """A decision's notification: what, why, which clause, and until when it can be appealed."""
    appealable = entry.action in APPEALABLE and person_id == entry.subject_id
    payload: dict[str, Any] = {
        "network": access.network.slug,
        "decision_id": entry.id,
        "action": entry.action.value,
        "target_type": entry.target_type.value,
        "target_id": entry.target_id,
        "label": entry.label,
        "reason": entry.reason,
        "clause": entry.clause,
        "until": entry.until.isoformat() if entry.until else None,
        "appealable_until": (entry.created_at + APPEAL_WINDOW).isoformat() if appealable else None,
    }
    if post is not None:
        removed = entry.action is Decision.REMOVE and entry.target_type is TargetType.POST
        payload |= {"post_id": post.id, "title": redaction.REMOVED_TITLE if removed else post.title}
    await activity.notify(session, person_id, kind, payload | extra, network=access.network, actor=access.person)
