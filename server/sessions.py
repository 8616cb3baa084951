"""Server-side sessions (Litestar's), with a new session id at sign-in.

Litestar's server-side backend keeps reusing the id from the browser's cookie, so an id
planted before sign-in would survive it (session fixation). `rotate` marks the request;
the backend below then deletes the old record and stores the session under a fresh id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Message, Scope, ScopeSession

_ROTATE = "commons.rotate_session"
_NEW_ID = "commons.new_session_id"


def rotate(scope: Scope) -> None:
    """Give this request's session a new id when the response is sent."""
    scope.setdefault("state", {})[_ROTATE] = True


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
        state = connection.scope.get("state", {})
        old_id = connection.cookies.get(self.config.key)
        if state.get(_ROTATE) and old_id:
            await self.delete(old_id, store=self.config.get_store_from_app(connection.scope["app"]))
        await super().store_in_message(scope_session, message, connection)


@dataclass
class SessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend  # type: ignore[assignment]
