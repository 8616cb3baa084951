"""The lease on a periodic mail run (`MailRun`): one process works a run at a time, and takes it over
when its holder stops renewing it.

`claim` makes the run's row if it is new (its unique name makes two makers one) and takes the lease
if it is free or ran out; `renew` moves the lease on with the run's progress, and only for the
holder, in the transaction that commits a chunk of the work, so what one holder did is never undone
by another. A run whose holder died continues from the last chunk it committed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from server.mail.models import MailRun

LEASE = timedelta(minutes=2)  # renewed with every chunk, which takes seconds


async def claim(
    session: AsyncSession, name: str, worker: str, now: datetime, lease: timedelta = LEASE
) -> MailRun | None:
    """The run, leased to `worker` until `now + lease`; None when it is done or another holds it.
    The caller commits (on SQLite holding the write lock)."""
    found = (await session.execute(select(MailRun.id).where(MailRun.name == name))).scalar_one_or_none()
    if found is None:
        try:
            async with session.begin_nested():
                session.add(MailRun(name=name, started_at=now, after_person_id=0, queued=0))
        except IntegrityError:
            pass  # another process made it first; the lease below decides who works it
    taken = await session.execute(
        update(MailRun)
        .where(
            MailRun.name == name,
            MailRun.done_at.is_(None),
            or_(MailRun.claimed_until.is_(None), MailRun.claimed_until < now, MailRun.claimed_by == worker),
        )
        .values(claimed_by=worker, claimed_until=now + lease)
        .returning(MailRun.id)
        .execution_options(synchronize_session=False)
    )
    run_id = taken.scalar_one_or_none()
    if run_id is None:
        return None
    return await session.get(MailRun, run_id, populate_existing=True)


async def renew(
    session: AsyncSession,
    run_id: int,
    worker: str,
    now: datetime,
    *,
    after_person_id: int,
    queued: int,
    done: bool = False,
    lease: timedelta = LEASE,
) -> bool:
    """Record a chunk's progress and keep the lease; False when `worker` no longer holds it (the caller
    rolls the chunk back: the new holder does it)."""
    moved = await session.execute(
        update(MailRun)
        .where(MailRun.id == run_id, MailRun.claimed_by == worker, MailRun.done_at.is_(None))
        .values(
            after_person_id=after_person_id,
            queued=MailRun.queued + queued,
            claimed_until=now + lease,
            done_at=now if done else None,
        )
        .returning(MailRun.id)
        .execution_options(synchronize_session=False)
    )
    return moved.first() is not None


async def is_done(session: AsyncSession, name: str) -> bool:
    found = await session.execute(select(MailRun.done_at).where(MailRun.name == name))
    return found.scalar_one_or_none() is not None
