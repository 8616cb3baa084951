"""The `/ws` endpoint: authenticate, check Origin, then read client messages and write frames.

Two tasks per connection: the handler's own, which reads client messages (with a flood
limit), and a writer that drains the bounded queue the hub fills. The hub's one heartbeat task
pings every connection each interval and closes a peer silent for too long. Closing from any
side cancels the read and ends the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network.access import open_network
from network.engagements import space
from network.errors import NotFound
from network.models import Person
from network.people import accounts
from server.auth import SESSION_COOKIE, SESSION_KEY, bearer_token, session_digest, session_holds
from server.live import direct, protocol
from server.live.connection import Connection
from server.live.hub import Hub
from server.live.policy import excluded, standing_from
from server.live.source import network_start
from server.settings import Settings

MAX_NETWORKS = 200
FLOOD_BURST = 60
FLOOD_PER_SECOND = 20.0
FLUSH_ON_CLOSE = 10
log = logging.getLogger("commons")


def origin_allowed(origin: str | None, host: str | None, allowed: tuple[str, ...], scheme: str) -> bool:
    """Browsers always send Origin: it must be this site, the same scheme (`https` for a `wss`
    socket, `http` for `ws`), host and port as the socket's own `scheme` and Host, or one named
    in ALLOWED_ORIGINS, compared the same way. Default ports count as written (http:80,
    https:443). Clients that are not browsers (the CLI, services) send none and use a token."""
    if origin is None:
        return True
    asked = _origin(origin)
    if asked is None:
        return False
    if any(_origin(entry) == asked for entry in allowed):
        return True
    site_scheme = "https" if scheme in ("wss", "https") else "http"
    return bool(host) and asked == _origin(f"{site_scheme}://{host}")


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int] | None:
    """An http(s) origin as (scheme, host, port), its port made explicit; None if it is not one."""
    try:
        parts = urlsplit(url.rstrip("/"))
        port = parts.port
    except ValueError:  # a port that is not a number, or out of range
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    if parts.path or parts.query or parts.fragment:
        return None
    return parts.scheme, parts.hostname, port if port is not None else _DEFAULT_PORTS[parts.scheme]


async def _identify(
    socket: WebSocket[Any, Any, Any], session: AsyncSession
) -> tuple[Person | None, str | None, int | None]:
    token = bearer_token(socket) or socket.query_params.get("token")
    if token:
        found = await accounts.token_and_person(session, token)
        if found is None:
            return None, None, None
        return found[1], None, found[0].id
    scope_session = socket.scope.get("session") or {}
    person_id = scope_session.get(SESSION_KEY) if isinstance(scope_session, dict) else None
    session_id = socket.cookies.get(SESSION_COOKIE)
    if not isinstance(person_id, int) or not session_id:
        return None, None, None
    person = await session.get(Person, person_id)
    if person is None or not session_holds(scope_session, person):
        return None, None, None
    return person, session_digest(session_id), None


async def _authenticate(
    socket: WebSocket[Any, Any, Any], sessions: async_sessionmaker[AsyncSession]
) -> tuple[int | None, str | None, int | None]:
    """Who connects, as plain ids: no ORM object or session outlives the handshake (thousands of
    connections stay open). A token's last use is not stamped here: thousands of sockets that
    connect at once would each need a write of their own (see server/db.py, record_token_uses)."""
    async with sessions() as session:
        person, digest, token_id = await _identify(socket, session)
        return (person.id if person else None), digest, token_id


class _Flood:
    """A token bucket: bursts are fine, a stream of messages is not."""

    def __init__(self) -> None:
        self.tokens = float(FLOOD_BURST)
        self.at = time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(FLOOD_BURST, self.tokens + (now - self.at) * FLOOD_PER_SECOND)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@websocket("/ws")
async def live_socket(socket: WebSocket[Any, Any, Any]) -> None:
    app_state = socket.app.state
    settings: Settings = app_state.settings
    hub: Hub = app_state.hub
    sessions: async_sessionmaker[AsyncSession] = app_state.session_maker

    origin, host = socket.headers.get("origin"), socket.headers.get("host")
    if not origin_allowed(origin, host, settings.allowed_origins, socket.scope["scheme"]):
        await socket.close(code=protocol.CLOSE_POLICY, reason="Origin not allowed.")
        return
    person_id, digest, token_id = await _authenticate(socket, sessions)
    await socket.accept()
    if person_id is None:
        await socket.send_text(protocol.error("unauthenticated", "Sign in, or connect with a valid API token."))
        await socket.close(code=protocol.CLOSE_UNAUTHENTICATED, reason="Not signed in.")
        return

    conn = Connection(person_id, session_digest=digest, token_id=token_id, queue_size=settings.live_queue_size)
    conn.direct = direct.writer(socket.scope)
    hub.register(conn)
    hub.start_heartbeat(settings.live_ping_seconds)
    # Two tasks per connection: this one reads, a writer drains the queue. Closing (by the hub, the
    # heartbeat or the writer failing) cancels the read; an idle connection costs no timer of its own.
    main = asyncio.current_task()
    writer = asyncio.create_task(_write(socket, conn))
    stopped = False

    def stop_reading() -> None:
        nonlocal stopped
        if main is not None and asyncio.current_task() is not main and not main.done():
            stopped = True
            main.cancel()

    conn.on_close = stop_reading
    writer.add_done_callback(lambda task: None if task.cancelled() else stop_reading())
    try:
        await _read(socket, conn, hub, sessions)
    except asyncio.CancelledError:
        if not stopped or main is None:
            raise  # the server is shutting down
        main.uncancel()
    finally:
        conn.on_close = None
        hub.drop(conn)
        writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await writer
        if conn.close_code is not None:
            with contextlib.suppress(Exception):
                if conn.close_code != protocol.CLOSE_SLOW_CONSUMER:
                    for frame in conn.pending[:FLUSH_ON_CLOSE]:  # e.g. the error that explains the close
                        await socket.send_text(frame)
                await socket.close(code=conn.close_code, reason=conn.close_reason[:120])


async def _write(socket: WebSocket[Any, Any, Any], conn: Connection) -> None:
    while True:
        for frame in await conn.take():
            await socket.send_text(frame)
            conn.sending -= 1


async def _read(
    socket: WebSocket[Any, Any, Any], conn: Connection, hub: Hub, sessions: async_sessionmaker[AsyncSession]
) -> None:
    flood = _Flood()
    while True:
        try:
            event = await socket.receive()
        except WebSocketDisconnect:
            return
        if event["type"] == "websocket.disconnect":
            return
        conn.last_heard = time.monotonic()
        text, data = event.get("text"), event.get("bytes")
        raw: str | bytes = text if isinstance(text, str) else data if isinstance(data, bytes) else b""
        if not flood.allow():
            conn.send(protocol.error("flood", "Too many messages; slow down."))
            conn.close(protocol.CLOSE_FLOOD, "Too many messages.")
            return
        try:
            await _handle(protocol.parse(raw), conn, hub, sessions)
        except Exception:  # a fault of ours: say so and keep the socket, whose other streams are fine
            log.exception("live message failed for person %s", conn.person_id)
            conn.send(protocol.error("server_error", "Something went wrong on our side; nothing changed. Try again."))
        if conn.close_code is not None:
            return


async def _handle(
    message: protocol.ClientMessage, conn: Connection, hub: Hub, sessions: async_sessionmaker[AsyncSession]
) -> None:
    if isinstance(message, protocol.BadMessage):
        conn.send(protocol.error(message.code, message.message))
    elif isinstance(message, protocol.Pong):
        return
    elif isinstance(message, protocol.Unsubscribe):
        for network_id, slug in list(conn.networks.items()):
            if slug == message.network:
                hub.unsubscribe_network(conn, network_id)
        conn.send(protocol.unsubscribed(message.network))
    elif isinstance(message, protocol.SubscribeNotifications):
        await hub.subscribe_notifications(conn, message.after, message.epoch)
    elif isinstance(message, protocol.SubscribeNetwork):
        async with sessions() as session:  # one session for the checks and the hub's read of the head
            person = await session.get(Person, conn.person_id)
            if person is None or not person.is_active:
                conn.close(protocol.CLOSE_UNAUTHENTICATED, "This account was disabled.")
                return
            try:
                access = await open_network(session, message.network, person)
            except NotFound:
                conn.send(
                    protocol.error("not_found", "No network by that name that you may read.", network=message.network)
                )
                return
            if excluded(access):
                conn.send(
                    protocol.error("forbidden", "You are suspended or banned in this network.", network=message.network)
                )
                return
            if access.network.id not in conn.networks and len(conn.networks) >= MAX_NETWORKS:
                conn.send(protocol.error("too_many_subscriptions", f"At most {MAX_NETWORKS} networks per connection."))
                return
            start = await network_start(session, access.network.id, oldest=message.after is not None)
            groups = await space.groups_of(session, access)  # the engagements whose space they read
            await hub.subscribe_network(
                conn,
                access.network.id,
                access.network.slug,
                message.after,
                message.epoch,
                standing_from(access, groups),
                start=start,
            )
