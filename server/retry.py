"""One more try for a request whose transaction lost a deadlock or a serialisation failure.

PostgreSQL ends one of two transactions that wait on each other (SQLSTATE 40P01), and a
transaction whose snapshot went stale (40001). Nothing it wrote was kept, and the winner has
usually committed by the time it is told: run again, the request almost always succeeds. So an
unsafe request (reads take no locks to lose) whose transaction failed so is run once more, with
its body replayed, and the client sees only the second answer; a second failure answers as any
database failure does (503, nothing changed).

Our own code because nothing we use does this: the request's transaction is a dependency inside
Litestar's handler (server/db.py), whose exception handling turns the error into a response
before any middleware sees an exception, and neither Litestar nor advanced-alchemy re-runs a
request. So SQLAlchemy's `handle_error` event notes the failure for the request in progress, and
this middleware, outermost, holds back the error response and runs the request again.
"""

from __future__ import annotations

import copy
import logging
from contextvars import ContextVar
from typing import Any, cast

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send
from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext

log = logging.getLogger("commons")

RETRYABLE = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# the retryable failures of the request in progress (None outside one); a list, so that what the
# handler's tasks and SQLAlchemy's greenlets append reaches the middleware whatever context they copied
_FAILURES: ContextVar[list[str] | None] = ContextVar("commons_retryable_failures", default=None)


@event.listens_for(Engine, "handle_error")
def _note_failure(context: ExceptionContext) -> None:
    failures = _FAILURES.get()
    code = getattr(context.original_exception, "sqlstate", None)
    if failures is not None and code in RETRYABLE:
        failures.append(str(code))


def _fresh(scope: Scope) -> Scope:
    """The scope as it arrived, with a state of its own: Litestar keeps per-request state there
    (the parsed body, cached dependencies, whether a response has started)."""
    state: dict[str, Any] = scope.get("state", {})
    return cast(Scope, {**scope, "state": {key: copy.copy(value) for key, value in state.items()}})


class RetryOnce:
    """ASGI middleware: an unsafe request that failed on a deadlock or serialisation failure, before
    anything of its answer was sent, is run once more."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        arrived = _fresh(scope)
        body: list[ReceiveMessage] = []
        failures: list[str] = []
        held = False

        async def recording() -> ReceiveMessage:
            message = await receive()
            if message["type"] == "http.request":
                body.append(message)
            return message

        async def holding(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start" and message["status"] >= 500 and failures:
                held = True  # the failure came before the answer: nothing has reached the client
            if not held:
                await send(message)

        token = _FAILURES.set(failures)
        try:
            await self.app(scope, recording, holding)
        finally:
            _FAILURES.reset(token)
        if not held:
            return
        method, path = scope["method"], scope["path"]
        log.info("%s %s lost a transaction (%s); running it once more", method, path, failures[0])
        replay = iter(body)

        async def replaying() -> ReceiveMessage:
            return next(replay, None) or await receive()

        await self.app(arrived, replaying, send)
