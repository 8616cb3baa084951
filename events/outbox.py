"""The unit of work's outbox: a change's events and notifications, written as it commits.

A service hands what its change should tell (`event`, `notify`) to the session it works in; they
are written in the same transaction, just before it commits, and thrown away if it rolls back
(a savepoint rolled back takes back what was handed in inside it). So nothing is told of a change
that did not land, and nothing that landed goes untold.

Why at the commit and not as the service goes: each event bumps its network's counter row and
each notification its person's, and those row locks are held until the commit. Taken as services
went, one transaction could hold a person's counter and wait for a network's while another held
that network's and waited for the person's (a deadlock). Written here, every transaction takes
them in one order: first the rows its change is about (the services lock those before they check
them), then people's counters in id order, then networks' counters in id order, each held only
for the last moments before the commit. See docs/integrity.md.

Our own code, on SQLAlchemy's session events (wired once, for every session the application,
the command line and the background writers open), because no plugin offers a transactional outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Session, SessionTransaction

from events import effects, log

_KEY = "commons.outbox"


@dataclass(slots=True)
class _Event:
    counter: InstrumentedAttribute[int]
    network_id: int
    kind: str
    payload: dict[str, Any]
    actor_id: int | None
    audience: str
    audience_person_id: int | None
    subject_id: int | None
    audience_group_id: int | None = None


@dataclass(slots=True)
class _Notices:
    counter: InstrumentedAttribute[int]
    kinds: dict[int, str]  # person id → kind
    payload: dict[str, Any]
    network_id: int | None


@dataclass(slots=True)
class Outbox:
    events: list[_Event] = field(default_factory=list)
    notices: list[_Notices] = field(default_factory=list)
    # savepoint → how many events, notices and after-commit effects there were when it began; kept
    # until the commit (SQLAlchemy ends a savepoint before it reports that it was rolled back)
    marks: dict[SessionTransaction, tuple[int, int, int]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.events or self.notices)


def _outbox(session: AsyncSession | Session) -> Outbox:
    box: Outbox | None = session.info.get(_KEY)
    if box is None:
        effects.begun(session)  # so that a rollback, even before any statement, takes it back
        box = session.info[_KEY] = Outbox()
    return box


def event(
    session: AsyncSession,
    *,
    counter: InstrumentedAttribute[int],
    network_id: int,
    kind: str,
    payload: dict[str, Any],
    actor_id: int | None,
    audience: str,
    audience_person_id: int | None = None,
    subject_id: int | None = None,
    audience_group_id: int | None = None,
) -> None:
    """An event for a network's log, appended when this transaction commits."""
    _outbox(session).events.append(
        _Event(
            counter, network_id, kind, payload, actor_id, audience, audience_person_id, subject_id, audience_group_id
        )
    )


def notify(
    session: AsyncSession,
    *,
    counter: InstrumentedAttribute[int],
    kinds: dict[int, str],
    payload: dict[str, Any],
    network_id: int | None,
) -> None:
    """Notifications (person id → kind, one payload), written when this transaction commits."""
    if kinds:
        _outbox(session).notices.append(_Notices(counter, dict(kinds), payload, network_id))


def pending(session: AsyncSession | Session) -> Outbox | None:
    """What this session's transaction has still to write (for tests and for callers that must know)."""
    box: Outbox | None = session.info.get(_KEY)
    return box if box else None


def write(session: Session) -> None:
    """Write what the outbox holds, in the lock order above, and empty it."""
    box: Outbox | None = session.info.get(_KEY)
    if not box:
        return
    session.flush()  # the change's own rows first: their locks come before the counters'
    notices, events = box.notices, box.events
    box.notices, box.events, box.marks = [], [], {}
    if len(notices) > 1:
        owners = [person for batch in notices for person in batch.kinds]
        if len(set(owners)) > 1:
            log.lock_owners(session, notices[0].counter, owners)
    for batch in notices:
        if len(batch.kinds) == 1:
            ((person_id, kind),) = batch.kinds.items()
            log.write_notification(
                session,
                counter=batch.counter,
                person_id=person_id,
                kind=kind,
                payload=batch.payload,
                network_id=batch.network_id,
            )
        else:
            log.write_notifications(
                session, counter=batch.counter, kinds=batch.kinds, payload=batch.payload, network_id=batch.network_id
            )
    for item in sorted(events, key=lambda e: e.network_id):  # stable: a network's events keep their order
        log.write_event(
            session,
            counter=item.counter,
            network_id=item.network_id,
            kind=item.kind,
            payload=item.payload,
            actor_id=item.actor_id,
            audience=item.audience,
            audience_person_id=item.audience_person_id,
            subject_id=item.subject_id,
            audience_group_id=item.audience_group_id,
        )


@sa_event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    write(session)


@sa_event.listens_for(Session, "after_transaction_create")
def _savepoint_begun(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        box = _outbox(session)
        box.marks[transaction] = (len(box.events), len(box.notices), effects.count(session))


@sa_event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous: SessionTransaction) -> None:
    box: Outbox | None = session.info.get(_KEY)
    if box is None:
        if not previous.nested:
            effects.discard(session)
        return
    if previous.nested:
        mark = box.marks.pop(previous, None)
        if mark is not None:
            del box.events[mark[0] :]
            del box.notices[mark[1] :]
            effects.keep_first(session, mark[2])
        return
    session.info.pop(_KEY, None)  # the whole transaction rolled back: nothing of it is told or done
    effects.discard(session)
