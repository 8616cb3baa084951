"""Each network's review queue: one open entry per flagged or held item, for its leads.

An entry gathers every open flag on its item; a lead may claim it (so two leads do not work
the same item) and leave notes for the others. A decision on the item resolves the entry.
New entries reach the leads live, as personal notifications (the queue is theirs alone, so
it does not travel on the network's stream that every member follows).

A claim locks the entry before it checks who holds it, so of two leads claiming at once one
gets it and the other is told who did; a decision resolves the entry by a compare-and-set
(UPDATE … WHERE status = 'open'), under the lock of the content decided on.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import distinct, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock, markdown, withholding
from network.access import Access, lead_ids
from network.enums import ContentState, FlagReason, MemberState, TargetType
from network.errors import Conflict, Invalid, NotFound
from network.event_kinds import EventKind
from network.locking import lock_row
from network.models import Membership, Network, Person, Post, Reply
from network.moderation.models import DecisionRecord, Flag, QueueEntry, QueueNote
from network.moderation.policy import SEVERITY_LABELS, severity
from network.moderation.screening import Hit, hit_record
from network.moderation.views import (
    AuthorHistory,
    QueueContent,
    QueueEntryView,
    flag_view,
    note_view,
)
from network.permissions import Action
from network.views import person_ref, to_payload


async def open_entry_for(session: AsyncSession, target_type: TargetType, target_id: int) -> QueueEntry | None:
    result = await session.execute(
        select(QueueEntry).where(
            QueueEntry.target_type == target_type, QueueEntry.target_id == target_id, QueueEntry.status == "open"
        )
    )
    return result.scalar_one_or_none()


async def enqueue(
    session: AsyncSession,
    network: Network,
    *,
    target_type: TargetType,
    target_id: int,
    post: Post,
    author_id: int,
    title: str,
    reasons: Sequence[FlagReason] = (),
    held: bool = False,
    hold_reason: str = "",
    hits: Sequence[dict[str, str]] = (),
    actor: Person | None = None,
) -> QueueEntry:
    """Open (or add to) the item's entry; the leads hear of a new one."""
    personal = any(h.get("source") == "personal_data" for h in hits)
    rank = severity(reasons, held=held, personal_data_hold=personal)
    entry = await open_entry_for(session, target_type, target_id)
    if entry is not None:
        entry.severity = min(entry.severity, rank)
        entry.held = entry.held or held
        if hold_reason:
            entry.hold_reason = hold_reason
        if hits:
            entry.hits = [*entry.hits, *(h for h in hits if h not in entry.hits)]  # an edit re-screens the same text
        await session.flush()
        await _tell_leads(session, network, entry)
        return entry
    entry = QueueEntry(
        network_id=network.id,
        target_type=target_type,
        target_id=target_id,
        post_id=post.id,
        author_id=author_id,
        held=held,
        hold_reason=hold_reason,
        hits=list(hits),
        severity=rank,
    )
    session.add(entry)
    await session.flush()
    summary = {
        "network": network.slug,
        "entry_id": entry.id,
        "target_type": target_type.value,
        "target_id": target_id,
        "post_id": post.id,
        "title": title,
        "held": held,
        "severity": SEVERITY_LABELS[rank],
    }
    for lead_id in await lead_ids(session, network.id):
        await activity.notify(session, lead_id, "queue.added", summary, network=network, actor=actor)
    await _tell_leads(session, network, entry)
    return entry


async def _tell_leads(session: AsyncSession, network: Network, entry: QueueEntry, actor: Person | None = None) -> None:
    """The leads' own live event for a queue entry that opened, changed, was claimed or was resolved:
    what their queue pages show of it, and how many entries are open now."""
    await session.refresh(entry, ["claimed_by"])
    summary = {
        "id": entry.id,
        "status": entry.status,
        "target_type": entry.target_type.value,
        "target_id": entry.target_id,
        "post_id": entry.post_id,
        "held": entry.held,
        "severity_label": SEVERITY_LABELS[entry.severity],
        "claimed_by": to_payload(person_ref(entry.claimed_by)) if entry.claimed_by else None,
    }
    count = await open_count(session, network.id)
    await activity.record(session, network, EventKind.QUEUE_CHANGED, {"entry": summary, "open_count": count}, actor)


async def resolve(session: AsyncSession, target_type: TargetType, target_id: int, decision: DecisionRecord) -> bool:
    """Resolve the item's open entry, if it has one: open → resolved only if it is still open."""
    resolved = await session.execute(
        update(QueueEntry)
        .where(QueueEntry.target_type == target_type, QueueEntry.target_id == target_id, QueueEntry.status == "open")
        .values(status="resolved", resolved_at=clock.now(), decision_id=decision.id)
        .returning(QueueEntry.id)
    )
    row = resolved.first()
    if row is None:
        return False
    entry = await session.get(QueueEntry, row[0], populate_existing=True)
    network = await session.get(Network, decision.network_id)
    if entry is not None and network is not None:
        await _tell_leads(session, network, entry, decision.actor)
    return True


async def _entry(session: AsyncSession, access: Access, entry_id: int, *, lock: bool = False) -> QueueEntry:
    access.require(Action.MODERATE)
    entry = await lock_row(session, QueueEntry, entry_id) if lock else await session.get(QueueEntry, entry_id)
    if entry is None or entry.network_id != access.network.id:
        raise NotFound(f"No queue entry {entry_id} in this network.")
    return entry


async def entry_to_decide(session: AsyncSession, access: Access, entry_id: int) -> QueueEntry:
    """An open entry of this network's queue, for a lead to decide on its item; Conflict once another
    lead has decided it."""
    entry = await _entry(session, access, entry_id)
    if entry.status != "open":
        raise Conflict("Another lead has decided this already: see “Recently decided”.")
    return entry


async def deciding_records(session: AsyncSession, entry_ids: list[int]) -> dict[int, DecisionRecord]:
    """The decision that resolved each of the (resolved) entries, by entry id."""
    if not entry_ids:
        return {}
    rows = await session.execute(
        select(QueueEntry.id, DecisionRecord)
        .join(DecisionRecord, DecisionRecord.id == QueueEntry.decision_id)
        .where(QueueEntry.id.in_(entry_ids))
    )
    return {entry_id: record for entry_id, record in rows.tuples()}


async def claim(session: AsyncSession, access: Access, entry_id: int, *, release: bool = False) -> QueueEntry:
    """A lead takes an entry (or lets it go), so others know it is being looked at."""
    entry = await _entry(session, access, entry_id, lock=True)
    assert access.person is not None
    if entry.status != "open":
        raise Conflict("This entry has been decided already.")
    held_by = entry.claimed_by_id
    if release:
        if entry.claimed_by_id not in (None, access.person.id):
            raise Conflict("Another lead has claimed this entry; only they can release it.")
        entry.claimed_by_id, entry.claimed_at = None, None
    else:
        if entry.claimed_by_id not in (None, access.person.id):
            name = entry.claimed_by.display_name if entry.claimed_by else "another lead"
            raise Conflict(f"{name} has already claimed this entry.")
        entry.claimed_by_id, entry.claimed_at = access.person.id, clock.now()
    await session.flush()
    await session.refresh(entry, ["claimed_by"])
    if entry.claimed_by_id != held_by:  # the other leads see who took it, live
        await _tell_leads(session, access.network, entry, access.person)
    return entry


async def add_note(session: AsyncSession, access: Access, entry_id: int, body: str) -> QueueNote:
    entry = await _entry(session, access, entry_id)
    assert access.person is not None
    if not body.strip():
        raise Invalid("A note cannot be blank.", fields={"body": "Required."})
    note = QueueNote(entry_id=entry.id, author=access.person, body=body.strip(), created_at=clock.now())
    session.add(note)
    await session.flush()
    notes = await session.scalar(select(func.count()).where(QueueNote.entry_id == entry.id))
    noted = {"entry_id": entry.id, "notes": int(notes or 0), "note": to_payload(note_view(note))}
    await activity.record(session, access.network, EventKind.QUEUE_NOTED, noted, access.person)
    return note


async def _history(session: AsyncSession, network_id: int, person_id: int) -> AuthorHistory:
    membership = (
        await session.execute(
            select(Membership).where(Membership.network_id == network_id, Membership.person_id == person_id)
        )
    ).scalar_one_or_none()
    posts = await session.scalar(select(func.count()).where(Post.network_id == network_id, Post.author_id == person_id))
    replies = await session.scalar(
        select(func.count())
        .select_from(Reply)
        .join(Post, Post.id == Reply.post_id)
        .where(Post.network_id == network_id, Reply.author_id == person_id)
    )
    upheld = await session.scalar(
        select(func.count(distinct(Flag.id)))  # an item queued more than once joins each of its entries
        .select_from(Flag)
        .join(QueueEntry, (QueueEntry.target_type == Flag.target_type) & (QueueEntry.target_id == Flag.target_id))
        .where(Flag.network_id == network_id, Flag.status == "upheld", QueueEntry.author_id == person_id)
    )
    decisions = await session.scalar(
        select(func.count()).where(DecisionRecord.network_id == network_id, DecisionRecord.subject_id == person_id)
    )
    return AuthorHistory(
        role=membership.role.value if membership else None,
        state=membership.state.value if membership else None,
        joined_at=membership.created_at if membership else None,
        posts=int(posts or 0),
        replies=int(replies or 0),
        upheld_flags=int(upheld or 0),
        decisions=int(decisions or 0),
    )


async def _adoption_text(session: AsyncSession, adoption_id: int) -> tuple[str, ContentState, Person]:
    """An adoption record's words as one text for the lead (its table is read by name: see network/withholding.py)."""
    table = withholding.ADOPTIONS
    row = (await session.execute(select(table).where(table.c.id == adoption_id))).one()
    parts = [("Setting", row.setting), ("What we adapted", row.adapted), ("How we know", row.how_we_know)]
    parts.append(("What we would tell the next trust", row.advice))
    body = "\n\n".join(f"**{name}:** {text}" for name, text in parts if text)
    author = await session.get(Person, row.person_id)
    assert author is not None
    return body, ContentState(row.state), author


async def _content(session: AsyncSession, entry: QueueEntry) -> tuple[QueueContent, Person]:
    post = await session.get(Post, entry.post_id)
    assert post is not None
    if entry.target_type is TargetType.ADOPTION:
        body, state, author = await _adoption_text(session, entry.target_id)
        title = None
    elif entry.target_type is TargetType.REPLY:
        reply = await session.get(Reply, entry.target_id)
        assert reply is not None
        body, state, author = reply.body, reply.state, reply.author
        title = None
    else:
        body, state, author, title = post.body, post.state, post.author, post.title
    html = markdown.render(body) if state is not ContentState.REMOVED else ""
    return QueueContent(
        title=title,
        body=body if state is not ContentState.REMOVED else "",
        body_html=html,
        state=state,
        locked=post.locked,
        pinned=post.pinned,
    ), author


async def describe(
    session: AsyncSession, entry: QueueEntry, histories: dict[int, AuthorHistory] | None = None
) -> QueueEntryView:
    """The entry as a lead needs it; `histories` shares each author's record across one queue listing."""
    flags = (
        await session.execute(
            select(Flag)
            .where(Flag.target_type == entry.target_type, Flag.target_id == entry.target_id, Flag.status == "open")
            .order_by(Flag.id)
        )
    ).scalars()
    notes = (
        await session.execute(select(QueueNote).where(QueueNote.entry_id == entry.id).order_by(QueueNote.id))
    ).scalars()
    content, author = await _content(session, entry)
    histories = {} if histories is None else histories
    history = histories.get(author.id) or await _history(session, entry.network_id, author.id)
    histories[author.id] = history
    return QueueEntryView(
        id=entry.id,
        target_type=entry.target_type,
        target_id=entry.target_id,
        post_id=entry.post_id,
        severity=entry.severity,
        severity_label=SEVERITY_LABELS[entry.severity],
        held=entry.held,
        hold_reason=entry.hold_reason,
        hits=list(entry.hits),
        content=content,
        author=person_ref(author),
        history=history,
        flags=[flag_view(f) for f in flags],
        notes=[note_view(n) for n in notes],
        claimed_by=person_ref(entry.claimed_by) if entry.claimed_by else None,
        claimed_at=entry.claimed_at,
        status=entry.status,
        created_at=entry.created_at,
    )


async def list_queue(session: AsyncSession, access: Access, *, resolved: bool = False) -> list[QueueEntryView]:
    """Open entries, most severe first, then oldest first (or the 50 most recently resolved)."""
    access.require(Action.MODERATE)
    stmt = select(QueueEntry).where(QueueEntry.network_id == access.network.id)
    if resolved:
        stmt = stmt.where(QueueEntry.status == "resolved").order_by(QueueEntry.resolved_at.desc()).limit(50)
    else:
        stmt = stmt.where(QueueEntry.status == "open").order_by(QueueEntry.severity, QueueEntry.id).limit(200)
    entries = list((await session.execute(stmt)).scalars())
    histories: dict[int, AuthorHistory] = {}
    return [await describe(session, e, histories) for e in entries]


async def open_count(session: AsyncSession, network_id: int) -> int:
    result = await session.scalar(
        select(func.count()).where(QueueEntry.network_id == network_id, QueueEntry.status == "open")
    )
    return int(result or 0)


async def pending_joins(session: AsyncSession, access: Access) -> list[Membership]:
    access.require(Action.MODERATE)
    result = await session.execute(
        select(Membership)
        .where(Membership.network_id == access.network.id, Membership.state == MemberState.PENDING)
        .order_by(Membership.id)
    )
    return list(result.scalars())


async def raise_filter_flags(
    session: AsyncSession,
    network: Network,
    *,
    target_type: TargetType,
    target_id: int,
    post: Post,
    author_id: int,
    hits: list[Hit],
) -> None:
    """The network's `flag` words matched: publish, but put the item before the leads."""
    if not hits:
        return
    note = "; ".join(dict.fromkeys(h.label for h in hits))
    session.add(
        Flag(
            network_id=network.id,
            target_type=target_type,
            target_id=target_id,
            post_id=post.id,
            reporter_id=None,
            reason=FlagReason.WATCHED_WORD,
            note=f"Matched {note}",
        )
    )
    await session.flush()
    await enqueue(
        session,
        network,
        target_type=target_type,
        target_id=target_id,
        post=post,
        author_id=author_id,
        title=post.title,
        reasons=[FlagReason.WATCHED_WORD],
        hits=[hit_record(h) for h in hits],
    )
