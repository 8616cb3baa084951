"""The unit of work: every path that writes commits through it, and it carries out what the committed
transaction asked for.

A change's events and notifications are written in its own transaction just before the commit
(events/outbox.py). What must happen outside the database (wake the live servers, close
revoked sockets, start the notice writer, start the mail sender, stamp an API token's last use) is handed to the session
as an after-commit effect (events/effects.py) and done here, once the commit succeeded: never for a
transaction that rolled back (its effects, and a rolled-back savepoint's, are dropped), never twice.
The request's transaction (server/db.py), the notice writer, and the command line all commit
through one of these, so each path does the same after its commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from events import effects
from events.bus import Bus
from events.log import signals_in
from events.signals import Revocation, Wakeup
from network.content.post_notices import NoticesLeft
from network.people import accounts
from server.db import writing
from server.mail.queue import MailQueued

log = logging.getLogger("commons")

KNOWN = (Wakeup, Revocation, NoticesLeft, accounts.TokenUsed, MailQueued)


class UnitOfWork:
    """Commits a session and carries out its effects. `bus` carries wake-ups and revocations to every
    server; `notices` starts this process's notice writer (None where there is none: the command
    line, whose notices the servers' writers find on their next tick); `mail` likewise starts this
    process's mail sender (None: the servers' senders find the mail on their next tick)."""

    def __init__(
        self,
        maker: Callable[[], AsyncSession],
        bus: Bus | None,
        notices: Callable[[], None] | None = None,
        mail: Callable[[], None] | None = None,
    ) -> None:
        self._maker = maker
        self._bus = bus
        self._notices = notices
        self._mail = mail

    async def commit(self, session: AsyncSession) -> None:
        """Commit, then do what the transaction asked for. If the commit fails, nothing is done."""
        await session.commit()
        await self.carry_out(effects.taken(session))

    async def carry_out(self, done: Sequence[object]) -> None:
        unknown = [type(e).__name__ for e in done if not isinstance(e, KNOWN)]
        if unknown:  # a kind of effect nobody carries out is a mistake in the code, not a passing fault
            raise TypeError(f"after-commit effects nobody carries out: {sorted(set(unknown))}")
        signals = signals_in(list(done))
        if signals and self._bus is not None:
            await self._bus.publish(signals)
        if self._notices is not None and any(isinstance(e, NoticesLeft) for e in done):
            self._notices()
        if self._mail is not None and any(isinstance(e, MailQueued) for e in done):
            self._mail()
        uses = {e.token_id: e.at for e in done if isinstance(e, accounts.TokenUsed)}
        if uses:
            await self._record_token_uses(uses)

    async def _record_token_uses(self, uses: dict[int, datetime]) -> None:
        """Token uses are written in a writing transaction of their own. On SQLite a transaction that
        read and then writes fails at once when another wrote in between (whatever the busy timeout),
        so concurrent reads with one token failed with 503 when each stamped it. A lost stamp is not
        worth failing a request for: a failure is logged only."""
        try:
            async with self._maker() as session, writing(session):
                await accounts.record_token_uses(session, uses)
                await session.commit()
        except SQLAlchemyError as exc:
            log.warning("could not record the use of tokens %s: %s", sorted(uses), exc)
