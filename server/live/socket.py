"""The `/ws` endpoint: authenticate, check Origin, then read client messages and write frames.

Three tasks per connection: the reader (client messages, with a flood limit), the writer
(drains the bounded queue the hub fills) and the heartbeat (a ping every interval; a peer
silent for too long is closed). Whichever ends first ends the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any
from urllib.parse import urlsplit

from litestar import WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from network import accounts
from network.access import open_network
from network.errors import NotFound
from network.models import Person
from server.auth import SESSION_COOKIE, SESSION_KEY, bearer_token, session_digest
from server.live import protocol
from server.live.connection import Connection
from server.live.hub import Hub, excluded
from server.settings import Settings

MAX_NETWORKS = 200
FLOOD_BURST = 60
FLOOD_PER_SECOND = 20.0


def origin_allowed(origin: str | None, host: str | None, allowed: tuple[str, ...]) -> bool:
    """Browsers always send Origin: it must be this site or one named in ALLOWED_ORIGINS.
    Clients that are not browsers (the CLI, services) send none and authenticate with a token."""
    if origin is None:
        return True
    origin = origin.rstrip("/")
    if origin in allowed:
        return True
    parts = urlsplit(origin)
    return bool(host) and parts.scheme in ("http", "https") and parts.netloc == host


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
    if person is None or not person.is_active:
        return None, None, None
    return person, session_digest(session_id), None


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

    if not origin_allowed(socket.headers.get("origin"), socket.headers.get("host"), settings.allowed_origins):
        await socket.close(code=protocol.CLOSE_POLICY, reason="Origin not allowed.")
        return
    async with sessions() as session:
        person, digest, token_id = await _identify(socket, session)
    await socket.accept()
    if person is None:
        await socket.send_text(protocol.error("unauthenticated", "Sign in, or connect with a valid API token."))
        await socket.close(code=protocol.CLOSE_UNAUTHENTICATED, reason="Not signed in.")
        return

    conn = Connection(person.id, session_digest=digest, token_id=token_id, queue_size=settings.live_queue_size)
    hub.register(conn)
    tasks = [
        asyncio.create_task(_read(socket, conn, hub, sessions)),
        asyncio.create_task(_write(socket, conn)),
        asyncio.create_task(_heartbeat(conn, settings.live_ping_seconds)),
        asyncio.create_task(conn.closing.wait()),
    ]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        hub.drop(conn)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if conn.close_code is not None:
            with contextlib.suppress(Exception):
                await socket.close(code=conn.close_code, reason=conn.close_reason[:120])


async def _write(socket: WebSocket[Any, Any, Any], conn: Connection) -> None:
    while True:
        frame = await conn.queue.get()
        await socket.send_text(frame)


async def _heartbeat(conn: Connection, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        if time.monotonic() - conn.last_heard > interval * 2.5:
            conn.close(protocol.CLOSE_HEARTBEAT, "No answer to pings.")
            return
        conn.send(protocol.PING)


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
        message = protocol.parse(raw)
        await _handle(message, conn, hub, sessions)


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
        async with sessions() as session:
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
        await hub.subscribe_network(conn, access.network, message.after, message.epoch)
