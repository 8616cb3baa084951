"""Row locks taken before a check, so that the check and the change it allows see the same row.

Under READ COMMITTED two transactions may both read a row, both pass a service's check and both
write. So a state transition locks the row it changes (SELECT … FOR UPDATE) before it checks,
and reads the row as it is once the lock is held: `populate_existing` refreshes the object the
session already holds, so callers that loaded it earlier see the fresh state through it.

Only the model's own table is locked (FOR UPDATE OF): an eagerly joined author is a person, and a
person's row is also their notification counter, which is taken later in the lock order that
docs/integrity.md describes. SQLite renders no FOR UPDATE; its one writer (BEGIN IMMEDIATE, see
server/db.py) already serialises writing transactions.
"""

from __future__ import annotations

from typing import Any, TypeVar

from advanced_alchemy.mixins import IdentityPrimaryKey
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

M = TypeVar("M", bound=IdentityPrimaryKey)


async def lock_row(session: AsyncSession, model: type[M], row_id: int, *, shared: bool = False) -> M | None:
    """The row as it is now, locked until the transaction ends (None if it is gone).

    `shared` takes FOR SHARE: writers that only need the row to stay as checked (a reaction on a
    visible post) do not queue behind each other, but a transition of the row waits for them."""
    stmt = (
        select(model)
        .where(model.id == row_id)
        .with_for_update(of=model, read=shared)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def lock_rows(session: AsyncSession, model: type[M], *where: ColumnElement[Any]) -> list[M]:
    """The rows matching `where`, locked in id order (so two lockers of overlapping sets cannot
    deadlock each other). Under READ COMMITTED a row changed by the transaction waited for is
    checked again and left out if it no longer matches: count what this returns, not what was read
    before."""
    stmt = (
        select(model)
        .where(*where)
        .order_by(model.id)
        .with_for_update(of=model)
        .execution_options(populate_existing=True)
    )
    return list((await session.execute(stmt)).scalars())
