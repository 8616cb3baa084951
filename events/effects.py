"""What a transaction asks to be done once it has committed: its after-commit effects.

Work done inside a transaction sometimes has a consequence outside the database: wake the live
servers (a `Wakeup`), close someone's sockets (a `Revocation`), let the notice writer know there
are followers to tell, stamp an API token's last use. Such a consequence must happen only if the
change landed, and once. So the code that causes it hands an effect to the session it works in
(`after_commit`); whoever commits the session takes them (`taken`) and carries them out
(server/unit_of_work.py). A rolled-back transaction drops its effects, and a rolled-back savepoint
the ones handed in inside it (events/outbox.py keeps the marks): nothing is done for a change that
did not happen.

Effects are plain objects; this module knows none of their kinds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

_KEY = "commons.after_commit"


def after_commit(session: AsyncSession | Session, effect: object) -> None:
    """Do `effect` once this session's transaction has committed."""
    begun(session)
    session.info.setdefault(_KEY, []).append(effect)


def begun(session: AsyncSession | Session) -> None:
    """Make sure the session is in a transaction (beginning one runs no statement), so that its
    rollback is a rollback SQLAlchemy reports, whatever was or was not executed before."""
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    if not sync.in_transaction():
        sync.begin()


def taken(session: AsyncSession | Session) -> list[Any]:
    """The effects of the transaction that just committed, in the order they were handed in (taken:
    a second call returns none)."""
    found: list[Any] = session.info.pop(_KEY, [])
    return found


def count(session: AsyncSession | Session) -> int:
    return len(session.info.get(_KEY, ()))


def keep_first(session: AsyncSession | Session, number: int) -> None:
    """Forget the effects handed in after the first `number` (a savepoint rolled back)."""
    found: list[Any] | None = session.info.get(_KEY)
    if found is not None:
        del found[number:]


def discard(session: AsyncSession | Session) -> None:
    """Forget every effect (the transaction rolled back)."""
    session.info.pop(_KEY, None)
