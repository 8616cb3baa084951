"""Server-side sessions (Litestar's), with a new session id at sign-in and none for anonymous readers.

Litestar's server-side backend keeps reusing the id from the browser's cookie, so an id
planted before sign-in would survive it (session fixation). `rotate` marks the request;
the backend below then deletes the old record and stores the session under a fresh id.

It also stores an empty session (and sets a cookie) for every request that has none, so
each anonymous reader or crawler would add a record to the store, and an id made up by a
client would be adopted. Here an empty session is never stored: a browser that sends a
session cookie with nothing behind it is told to drop it, and one without a cookie gets none.
Ending a session sends an expired cookie (Litestar's keeps the configured Max-Age, which
browsers honour over the past Expires date).

The backend is put in place through Litestar's private `_backend_class`, and it overrides methods
Litestar's own backend calls (`get_session_id`, `store_in_message`); pyproject.toml pins Litestar
to the minor release this is tested with, and `check` (run when this module is imported) raises,
naming the version, if the config would build another backend or those methods are gone: a
session id that silently stopped rotating at sign-in would be a security hole, not a slowdown.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Message, Scope, ScopeSession

_ROTATE = "commons.rotate_session"
_NEW_ID = "commons.new_session_id"
_AFTER = "commons.after_session_stored"

AfterStored = Callable[[Scope, str], Awaitable[None]]


def rotate(scope: Scope) -> None:
    """Give this request's session a new id when the response is sent."""
    scope.setdefault("state", {})[_ROTATE] = True


def after_stored(scope: Scope, callback: AfterStored) -> None:
    """Call `callback(scope, session_id)` once this request's session is stored (a sign-in that
    took effect), with the id it was stored under."""
    scope.setdefault("state", {}).setdefault(_AFTER, []).append(callback)


class RotatingSessionBackend(ServerSideSessionBackend):
    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        state = connection.scope.get("state", {})
        if state.get(_ROTATE):
            if _NEW_ID not in state:
                state[_NEW_ID] = self.generate_session_id()
            return str(state[_NEW_ID])
        return super().get_session_id(connection)

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        store = self.config.get_store_from_app(connection.scope["app"])
        old_id = connection.cookies.get(self.config.key)
        if old_id == "null":
            old_id = None
        if not scope_session:  # signed out, cleared, or never used: keep nothing
            if old_id:
                await self.delete(old_id, store=store)
                self._expire_cookie(message)
            return
        if connection.scope.get("state", {}).get(_ROTATE):
            status = message.get("status", 200)
            if isinstance(status, int) and status >= 400:
                return  # the sign-in failed after all (say, its commit did): it does not take effect
            if old_id:
                await self.delete(old_id, store=store)
        await super().store_in_message(scope_session, message, connection)
        for callback in connection.scope.get("state", {}).pop(_AFTER, []):
            await callback(connection.scope, self.get_session_id(connection))

    def _expire_cookie(self, message: Message) -> None:
        cookie = Cookie(
            key=self.config.key,
            value="",
            path=self.config.path,
            domain=self.config.domain,
            max_age=0,
            expires=0,
            secure=self.config.secure,
            httponly=self.config.httponly,
            samesite=self.config.samesite,
        )
        MutableScopeHeaders.from_message(message).add("Set-Cookie", cookie.to_header(header=""))


@dataclass
class SessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend  # type: ignore[assignment]


# Litestar's backend methods that RotatingSessionBackend overrides or calls.
_USED = ("get_session_id", "store_in_message", "generate_session_id", "delete")


def check(config: Any, base: type = ServerSideSessionBackend) -> None:
    """Raise unless Litestar builds this config's session middleware with RotatingSessionBackend and its
    backend still has the methods that one overrides or calls."""
    problems = [f"ServerSideSessionBackend.{name} is gone" for name in _USED if not callable(getattr(base, name, None))]
    try:
        backend = config.middleware.kwargs.get("backend")
    except AttributeError:
        backend = None
    if not isinstance(backend, RotatingSessionBackend):
        problems.append(f"the session middleware's backend is {type(backend).__name__}, not RotatingSessionBackend")
    if problems:
        raise RuntimeError(
            f"server/sessions.py does not fit Litestar {version('litestar')}: {'; '.join(problems)}. Without it "
            "a session id would not change at sign-in. It relies on Litestar's private `_backend_class`, tested "
            "with the version pinned in pyproject.toml: install that, or update server/sessions.py."
        )


check(SessionConfig())
