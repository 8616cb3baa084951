"""Where a person is signed in: the account page's list of sessions (docs/design.md §3.8).

Sessions live in Litestar's server-side store under their ids, and no store answers "every session
of person N". So each sign-in also adds an entry to a small record per person, kept in a store of
its own (`person_sessions`, server/stores.py): the session's id, when it began, the browser and system
it came from, and its address with the last part hidden. It is kept with the sessions rather than in
the database so that it needs no migration and lives in whichever store the sessions do on each
runtime mode; in a store of its own because a session id is whatever a cookie says, and a cookie must
never be able to name this record. Reading the list reads each session back: one that ended, expired
or began in an earlier generation is left out and forgotten. When a session was last seen is kept in
the session itself (written at most once a minute, with the session the response stores anyway).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar.connection import ASGIConnection
from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.stores.base import Store
from litestar.types import Scope

from network.errors import NotFound
from network.models import Person
from server import sessions

STORE = "person_sessions"
SESSIONS_STORE = "sessions"
SEEN_KEY = "seen"
SEEN_GRAIN = 60  # seconds: last seen is kept to the minute
KEPT = 20  # entries per person at most; the oldest go first
_NOTE = "commons.sign_in"


def digest(session_id: str) -> str:
    """Session ids never cross the bus or leave the store; their digests name them (and are the
    listed sessions' ids)."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:32]


class SessionView(msgspec.Struct):
    id: str
    started_at: datetime
    last_seen_at: datetime
    device: str  # "Firefox on Windows"
    address: str  # "192.0.2.x"
    current: bool


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Version/", "Safari"),
)
_SYSTEMS = (
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def device(agent: str) -> str:
    """A user agent, shortened to browser and system ("Firefox on Windows"); a script by its name."""
    browser = next((name for mark, name in _BROWSERS if mark in agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in agent), None)
    if browser is None:
        first = re.match(r"[A-Za-z][\w.-]{0,39}", agent.strip())
        browser = first.group(0) if first else "An unknown browser"
    return f"{browser} on {system}" if system else browser


def address(host: str | None) -> str:
    """A client address with its last part hidden: 192.0.2.x, or an IPv6 address's first 48 bits."""
    try:
        ip = ipaddress.ip_address(host or "")
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv4Address):
        return ".".join(str(ip).split(".")[:3]) + ".x"
    return ":".join(ip.exploded.split(":")[:3]) + ":…"


@dataclass(frozen=True, slots=True)
class _SignIn:
    person_id: int
    started: float
    device: str
    address: str


def note_sign_in(scope: Scope, person_id: int) -> None:
    """This request signs the person in: once its session is stored under its new id, list it."""
    client = scope.get("client")
    agent = Headers.from_scope(scope).get("user-agent", "")[:500]
    note = _SignIn(person_id, time.time(), device(agent), address(client[0] if client else None))
    scope.setdefault("state", {})[_NOTE] = note
    sessions.after_stored(scope, _record)


def _stores(scope: Scope) -> tuple[Store, Store]:
    stores = scope["app"].stores
    return stores.get(STORE), stores.get(SESSIONS_STORE)


def _key(person_id: int) -> str:
    return f"person:{person_id}"


async def _entries(store: Store, person_id: int) -> list[dict[str, Any]]:
    raw = await store.get(_key(person_id))
    entries = json.loads(raw) if raw else []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("sid"), str)]


# The record outlives every session in it: none lasts longer than the session cookie's age, and each
# sign-in writes the record again. (The database store, too, needs every item to expire.)
RECORD_SECONDS = 60 * 24 * 3600


async def _save(store: Store, person_id: int, entries: list[dict[str, Any]]) -> None:
    if entries:
        await store.set(_key(person_id), json.dumps(entries[-KEPT:]), expires_in=RECORD_SECONDS)
    else:
        await store.delete(_key(person_id))


async def _record(scope: Scope, session_id: str) -> None:
    note: _SignIn | None = scope.get("state", {}).get(_NOTE)
    if note is None:
        return
    store, _ = _stores(scope)
    entries = [e for e in await _entries(store, note.person_id) if e["sid"] != session_id]
    entries.append({"sid": session_id, "started": note.started, "device": note.device, "address": note.address})
    await _save(store, note.person_id, entries)


def touch(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Note that the session was seen now, at most once a minute (an HTTP request's session only)."""
    if connection.scope.get("type") != ScopeType.HTTP:
        return
    values = connection.scope.get("session")
    if isinstance(values, dict):
        now = time.time()
        if not isinstance(values.get(SEEN_KEY), (int, float)) or now - values[SEEN_KEY] >= SEEN_GRAIN:
            values[SEEN_KEY] = int(now)


def _holds(values: dict[str, Any], person: Person) -> bool:
    # as server/auth.py session_holds, without importing it (auth imports this module)
    return values.get("person_id") == person.id and values.get("generation", 0) == person.session_generation


async def _live(scope: Scope, person: Person) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The person's listed sessions that still sign them in, with each one's values; the rest are forgotten."""
    store, session_store = _stores(scope)
    entries = await _entries(store, person.id)
    live = []
    for entry in entries:
        raw = await session_store.get(entry["sid"])
        values = json.loads(raw) if raw else None
        if isinstance(values, dict) and _holds(values, person):
            live.append((entry, values))
    if len(live) != len(entries):
        await _save(store, person.id, [entry for entry, _ in live])
    return live


def _when(seconds: Any) -> datetime:
    return datetime.fromtimestamp(float(seconds), tz=UTC)


async def listed(scope: Scope, person: Person, current_id: str | None) -> list[SessionView]:
    """Where the person is signed in, the session asking (`current_id`) marked, newest first."""
    views = [
        SessionView(
            id=digest(entry["sid"]),
            started_at=_when(entry.get("started", 0)),
            last_seen_at=_when(values.get(SEEN_KEY) or entry.get("started", 0)),
            device=str(entry.get("device", "")),
            address=str(entry.get("address", "")),
            current=entry["sid"] == current_id,
        )
        for entry, values in await _live(scope, person)
    ]
    return sorted(views, key=lambda v: (v.current, v.started_at), reverse=True)


async def end(scope: Scope, person: Person, session_digest: str) -> str:
    """End one of the person's sessions, named by its listed id: its record goes from the store, so
    its next request is signed out. Returns the session's id (the caller closes its sockets)."""
    store, session_store = _stores(scope)
    live = await _live(scope, person)
    found = next((entry for entry, _ in live if digest(entry["sid"]) == session_digest), None)
    if found is None:
        raise NotFound("No such session.")
    await session_store.delete(found["sid"])
    await _save(store, person.id, [entry for entry, _ in live if entry is not found])
    return str(found["sid"])


async def forget_all(scope: Scope, person_id: int) -> list[str]:
    """Drop every listed session of the person and the list itself (a deleted account); their ids."""
    store, session_store = _stores(scope)
    entries = await _entries(store, person_id)
    for entry in entries:
        await session_store.delete(entry["sid"])
    await store.delete(_key(person_id))
    return [str(entry["sid"]) for entry in entries]
