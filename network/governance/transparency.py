"""The transparency log: every moderation, role, settings and charter action, open to the network's readers.

`record` writes one entry in the caller's transaction and appends a `decision.logged` event, so
members watching the log see it arrive live. Entries never carry the content they concern (a
post removed for holding pupil data must not reappear here): they name it ("practice 12") and
the person it concerns. Its title is told per reader when the log is read (`network.casework.log_titles`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network import activity, clock, cursors
from network.access import Access
from network.enums import AppealStatus, Decision, MemberState, Role, TargetType
from network.errors import NotFound
from network.event_kinds import EventKind
from network.models import Network, Person
from network.moderation.models import Appeal, DecisionRecord
from network.moderation.views import log_entry_view
from network.permissions import Action
from network.views import Page, to_payload


def acting_as_admin(access: Access) -> bool:
    """A platform admin acting in a network they do not lead: always named in its log."""
    person, m = access.person, access.membership
    if person is None or not person.is_admin:
        return False
    return not (m is not None and m.role is Role.LEAD and m.state is MemberState.ACTIVE)


async def record(
    session: AsyncSession,
    access: Access,
    action: Decision,
    target_type: TargetType,
    *,
    target_id: int | None = None,
    subject: Person | None = None,
    label: str = "",
    reason: str = "",
    clause: int | None = None,
    until: Any = None,
    details: dict[str, Any] | None = None,
) -> DecisionRecord:
    entry = DecisionRecord(
        network_id=access.network.id,
        actor=access.person,
        by_admin=acting_as_admin(access),
        action=action,
        target_type=target_type,
        target_id=target_id,
        subject=subject,
        label=label[:200],
        reason=reason.strip(),
        clause=clause,
        until=until,
        details=details or {},
        created_at=clock.now(),
    )
    session.add(entry)
    await session.flush()
    view = log_entry_view(entry, access.network)
    await activity.record(
        session, access.network, EventKind.DECISION_LOGGED, {"entry": to_payload(view)}, access.person
    )
    return entry


def may_read_log(access: Access) -> bool:
    """Whoever may read the network's posts (docs/design.md §4.1: moderation in the open, so a public network's
    log is open to every signed-in reader of it)."""
    return access.can(Action.READ)


async def list_log(
    session: AsyncSession, access: Access, *, cursor: str | None, limit: int, subject_id: int | None = None
) -> Page:
    """Newest first, keyset on id."""
    if not may_read_log(access):
        raise NotFound(f"No network '{access.network.slug}'.")
    stmt = select(DecisionRecord).where(DecisionRecord.network_id == access.network.id)
    if subject_id is not None:
        stmt = stmt.where(DecisionRecord.subject_id == subject_id)
    before = cursors.decode(cursor)
    if before is not None:
        stmt = stmt.where(DecisionRecord.id < before)
    rows = list((await session.execute(stmt.order_by(DecisionRecord.id.desc()).limit(limit + 1))).scalars())
    page = rows[:limit]
    appeals = await appeal_statuses(session, [r.id for r in page])
    more = len(rows) > limit
    return Page(
        items=[log_entry_view(r, access.network, appeals.get(r.id)) for r in page],
        next_cursor=cursors.encode(page[-1].id) if more and page else None,
    )


async def appeal_statuses(session: AsyncSession, decision_ids: list[int]) -> dict[int, AppealStatus]:
    if not decision_ids:
        return {}
    result = await session.execute(
        select(Appeal.decision_id, Appeal.status).where(Appeal.decision_id.in_(decision_ids))
    )
    return {int(d): s for d, s in result.tuples()}


async def get_entry(session: AsyncSession, decision_id: int) -> tuple[DecisionRecord, Network]:
    entry = await session.get(DecisionRecord, decision_id)
    if entry is None:
        raise NotFound(f"No decision {decision_id}.")
    network = await session.get(Network, entry.network_id)
    assert network is not None
    return entry, network


async def role_changes(session: AsyncSession, decision_ids: list[int]) -> dict[int, tuple[str, str]]:
    """For the given role-change entries, the role before and after ("member", "lead"), by entry id."""
    if not decision_ids:
        return {}
    result = await session.execute(
        select(DecisionRecord.id, DecisionRecord.details).where(DecisionRecord.id.in_(decision_ids))
    )
    changes = {}
    for entry_id, details in result.tuples():
        role = (details or {}).get("role")
        if isinstance(role, list) and len(role) == 2:
            changes[int(entry_id)] = (str(role[0]), str(role[1]))
    return changes
