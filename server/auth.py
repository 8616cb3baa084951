"""Who is asking: a personal API token (`Authorization: Bearer …`) or the session cookie.

A request that carries a bearer token is authenticated by the token alone, and needs no CSRF
token: browsers never attach an Authorization header to a cross-site request on their own.
A session whose account has been disabled, or whose person has since ended their sessions (their
generation moved on: network/people/accounts.py `end_sessions`), is cleared on its next use.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.types import Scope
from sqlalchemy.ext.asyncio import AsyncSession

from events.signals import Revocation
from network.models import Person
from network.people import accounts
from server import session_list, sessions
from server.deps import Db

_CACHE = "commons.person"
SESSION_KEY = "person_id"
GENERATION_KEY = "generation"
SESSION_COOKIE = "commons_session"


session_digest = session_list.digest  # session ids never cross the bus or leave the store


def bearer_from_scope(scope: Scope) -> str | None:
    """The bearer token of the request's (first) Authorization header, else None.

    The CSRF middleware asks this too, so a request skips the CSRF check exactly when it is
    authenticated by its token, never by the session cookie it may also carry.
    """
    for name, raw in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, value = raw.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and value.strip():
                return value.strip()
            return None
    return None


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    return bearer_from_scope(connection.scope)


async def identify(connection: ASGIConnection[Any, Any, Any, Any], db: AsyncSession) -> Person | None:
    state = connection.scope.setdefault("state", {})
    if _CACHE in state:
        return state[_CACHE]  # type: ignore[no-any-return]
    person: Person | None
    token = bearer_token(connection)
    if token is not None:
        person = await accounts.person_for_token(db, token)
        if person is None:
            raise NotAuthorizedException("This API token is not valid (unknown, revoked, or its account is disabled).")
    else:
        person = None
        person_id = connection.session.get(SESSION_KEY) if connection.scope.get("session") else None
        if isinstance(person_id, int):
            person = await db.get(Person, person_id)
            if not session_holds(connection.session, person):
                connection.clear_session()
                person = None
            else:
                session_list.touch(connection)
                _seen(connection, person_id)
    state[_CACHE] = person
    return person


def _seen(connection: ASGIConnection[Any, Any, Any, Any], person_id: int) -> None:
    """A signed-in browser is on the site: what they see here needs no email (server/presence.py). A
    script with an API token is not a person reading."""
    presence = connection.app.state.get("presence")
    if presence is not None:
        presence.saw(person_id)


async def provide_viewer(request: Request[Any, Any, Any], db: Db) -> Person | None:
    return await identify(request, db)


async def provide_person(request: Request[Any, Any, Any], db: Db) -> Person:
    person = await identify(request, db)
    if person is None:
        raise NotAuthorizedException("Sign in first, or send a personal API token as 'Authorization: Bearer …'.")
    return person


def session_holds(values: Any, person: Person | None) -> bool:
    """Whether a session's values still sign this person in: the account is active and the session
    began in the person's current generation (a session from before the key existed began in 0)."""
    if person is None or not person.is_active or not isinstance(values, dict):
        return False
    return bool(values.get(GENERATION_KEY, 0) == person.session_generation)


def sign_in(request: Request[Any, Any, Any], person: Person) -> None:
    """Start a fresh session for this person, under a new session id."""
    sessions.rotate(request.scope)
    request.set_session({SESSION_KEY: person.id, GENERATION_KEY: person.session_generation})
    request.scope.setdefault("state", {})[_CACHE] = person
    session_list.note_sign_in(request.scope, person.id)


async def start_session(request: Request[Any, Any, Any], person: Person) -> None:
    """Sign in under a new session id; a session this browser had before ends, its live sockets too."""
    old_id = request.cookies.get(SESSION_COOKIE)
    sign_in(request, person)
    if old_id and old_id != "null":
        await request.app.state.bus.publish([Revocation("session", session_digest(old_id))])


def keep_signed_in(request: Request[Any, Any, Any], person: Person) -> None:
    """After the person ended their other sessions, this one goes on in the new generation."""
    request.set_session({SESSION_KEY: person.id, GENERATION_KEY: person.session_generation})


def sign_out(request: Request[Any, Any, Any]) -> None:
    request.clear_session()
    request.scope.setdefault("state", {})[_CACHE] = None
