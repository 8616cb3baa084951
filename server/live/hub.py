"""This process's live hub: which connection follows which stream, and the pumps that feed them.

Per network one pump runs at a time. A pump reads the log once from the lowest cursor among
its subscribers, encodes each row once, and hands every subscriber exactly the rows after its
own cursor, in order: one log read per wake-up, not one per connection, and no duplicates
because a row goes to a subscriber only when its seq is the next one that subscriber needs.
People's notification streams share one pump that reads the woken ones together, a thousand
people per query: one post can notify every member of a network at once, and a query per
person would cost more than the post. Wake-ups only make pumps run sooner; a slow tick
compares stream heads with one query, so a lost wake-up costs latency only.

Each event carries its audience: most go to everyone who may read the network, and a pump hands
those to every subscriber at once; the rest go only to the subscribers the policy says may see them
now, judged from the standing the hub holds for each subscriber. A subscriber's cursor moves past
what it may not see, so a resume sends it no gap to fill, and a replay ends with `caught_up`. After
an event the policy names (a membership change), the subscribers it concerns are read again before
anything later is sent to them.

This is the delivery core, and it knows neither tables nor permission rules: it reads through a
`Source` (server/live/source.py: the database) and asks a `Policy` (server/live/policy.py: the
domain's rules) who may receive what; tests/live/test_hub_core.py drives it with neither.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from events.signals import CatchUp, Revocation, Signal, Wakeup
from server.live import direct, protocol
from server.live.connection import Connection

log = logging.getLogger("commons.live")

BATCH = 500
PEOPLE_PER_READ = 1000
PEOPLE_ROWS_PER_READ = 2000
REPLAY_PAUSE = 0.05
# (audience, audience person, audience group) of a frame only some subscribers receive; None: every subscriber
Audience = tuple[str, int | None, int | None] | None


class LoggedEvent(Protocol):
    """A row of a network's log, as the source reads it."""

    seq: int
    kind: str
    payload: dict[str, Any]
    created_at: datetime
    actor_id: int | None
    audience: str
    audience_person_id: int | None
    audience_group_id: int | None


class Source(Protocol):
    """Where the hub reads (server/live/source.py)."""

    async def epoch(self) -> str: ...

    async def network_start(self, network_id: int, *, oldest: bool) -> tuple[int, int | None]: ...

    async def notifications_head(self, person_id: int) -> int: ...

    async def events_after(self, network_id: int, after: int, limit: int) -> Sequence[LoggedEvent]: ...

    async def notifications_after(self, cursors: Mapping[int, int], limit: int) -> Sequence[Any]: ...

    async def heads(self, networks: Iterable[int], people: Iterable[int]) -> tuple[dict[int, int], dict[int, int]]: ...

    async def disabled(self, people: Iterable[int]) -> list[int]: ...


class Policy(Protocol):
    """Who may receive what (server/live/policy.py). A standing is the policy's own object: what a
    subscriber is in a network, or None when they may no longer follow it."""

    async def standing(self, network_id: int, person_id: int) -> object | None: ...

    def recheck_after(self, kind: str, payload: Mapping[str, Any]) -> int | bool | frozenset[int] | None: ...

    def recheck_first(self, kind: str) -> bool: ...

    def for_everyone(self, to: str, person_id: int | None) -> bool: ...

    def may_receive(
        self, standing: object, person_id: int, to: str, to_person: int | None, to_group: int | None, now: datetime
    ) -> bool: ...


@dataclass(eq=False)
class Sub:
    conn: Connection
    last: int  # the last seq this subscriber has been sent, passed over, or resumed from
    replay_to: int = 0  # the head when it subscribed: until it gets there, it is replaying
    standing: object | None = None  # the policy's word on what they are in the network


@dataclass(eq=False)
class Stream:
    kind: str  # "network" or "person"
    owner_id: int
    label: str  # the network's slug, for frames
    subs: dict[int, Sub] = field(default_factory=dict)
    dirty: bool = False
    throttled: bool = False
    task: asyncio.Task[None] | None = None


def _people(concerned: int | bool | frozenset[int]) -> frozenset[int] | None:
    """The subscribers a policy named to read again: everyone (None), one person, or several."""
    if concerned is True:
        return None
    if isinstance(concerned, frozenset):
        return concerned
    return frozenset({int(concerned)})


def event_frame(slug: str, event: LoggedEvent) -> str:
    data = dict(event.payload)
    data["at"] = event.created_at.isoformat()
    data["actor_id"] = event.actor_id
    return protocol.event(slug, event.seq, event.kind, data)


class NotificationFrames:
    """Frames for notification rows as `reader.notifications_after` returns them. What a post's
    followers' rows share (kind, payload, time, network) is decoded and encoded once; only the
    seq and the id are put in per row."""

    def __init__(self) -> None:
        self._parts: dict[tuple[Any, ...], tuple[str, str]] = {}

    def frame(self, note: Any) -> str:
        key = (note.payload_json, note.kind, note.created_at, note.network_id, note.read_at is None)
        parts = self._parts.get(key)
        if parts is None:
            data = json.loads(note.payload_json)
            data.update(at=note.created_at.isoformat(), network_id=note.network_id, read=note.read_at is not None)
            parts = self._parts[key] = protocol.notification_parts(note.kind, data)
        return protocol.joined(note.seq, note.id, parts)


class Hub:
    def __init__(self, source: Source, policy: Policy, *, tick_seconds: float = 5.0) -> None:
        self._source = source
        self._policy = policy
        self.tick_seconds = tick_seconds
        self.networks: dict[int, Stream] = {}
        self.people: dict[int, Stream] = {}
        self.connections: dict[int, Connection] = {}
        self.epoch = ""
        self._ticker: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._stopping = False
        self._people_due: dict[int, None] = {}  # woken notification streams, in order (a set that keeps it)
        self._people_pump: asyncio.Task[None] | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        self.epoch = await self._source.epoch()
        self._ticker = asyncio.create_task(self._tick_forever())

    async def stop(self) -> None:
        self._stopping = True
        for task in (self._ticker, self._heartbeat, self._people_pump):
            if task:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for stream in [*self.networks.values(), *self.people.values()]:
            if stream.task:
                stream.task.cancel()
        for conn in list(self.connections.values()):
            conn.close(protocol.CLOSE_GOING_AWAY, "The server is restarting; reconnect and resume.")

    # -- connections -------------------------------------------------------------------------

    def register(self, conn: Connection) -> None:
        self.connections[conn.id] = conn

    def drop(self, conn: Connection) -> None:
        self.connections.pop(conn.id, None)
        for network_id in list(conn.networks):
            self._unsubscribe(self.networks, network_id, conn)
        conn.networks.clear()
        if conn.notifications:
            self._unsubscribe(self.people, conn.person_id, conn)

    def _unsubscribe(self, table: dict[int, Stream], owner_id: int, conn: Connection) -> None:
        stream = table.get(owner_id)
        if stream is None:
            return
        stream.subs.pop(conn.id, None)
        if not stream.subs:
            if stream.task:
                stream.task.cancel()
            del table[owner_id]

    def unsubscribe_network(self, conn: Connection, network_id: int) -> None:
        conn.networks.pop(network_id, None)
        self._unsubscribe(self.networks, network_id, conn)

    async def subscribe_network(
        self,
        conn: Connection,
        network_id: int,
        label: str,
        after: int | None,
        epoch: str | None,
        standing: object,
        *,
        start: tuple[int, int | None] | None = None,
    ) -> None:
        """Start (or restart) following a network: `subscribed`, then the missed events it may see and
        `caught_up`, then live ones. `standing` is the policy's word on the subscriber, from the check
        the caller made that they may follow it. `start` is the network's head and oldest kept seq when
        the caller has read them already (as `Source.network_start` answers, the oldest only when
        resuming), so a subscription holds one database session, not one inside another."""
        if start is None:
            start = await self._source.network_start(network_id, oldest=after is not None)
        head, oldest = start
        reason = self._resume_problem(after, epoch, head, oldest)
        if reason:
            conn.send(protocol.resync(reason, label))
            after = None
        stream = self.networks.get(network_id)
        if stream is None:
            stream = self.networks[network_id] = Stream("network", network_id, label)
        conn.networks[network_id] = label
        conn.send(protocol.subscribed(label, head, self.epoch))
        stream.subs[conn.id] = Sub(conn, head if after is None else after, replay_to=head, standing=standing)
        self._wake(stream)

    async def subscribe_notifications(self, conn: Connection, after: int | None, epoch: str | None) -> None:
        head = await self._source.notifications_head(conn.person_id)
        reason = self._resume_problem(after, epoch, head, None, pruned_away=False)
        if reason:
            conn.send(protocol.resync(reason))
            after = None
        stream = self.people.get(conn.person_id)
        if stream is None:
            stream = self.people[conn.person_id] = Stream("person", conn.person_id, "")
        conn.notifications = True
        conn.send(protocol.subscribed_notifications(head, self.epoch))
        stream.subs[conn.id] = Sub(conn, head if after is None else after, replay_to=head)
        self._wake(stream)

    def _resume_problem(
        self, after: int | None, epoch: str | None, head: int, oldest: int | None, *, pruned_away: bool = True
    ) -> str:
        if after is None:
            return ""
        if epoch is not None and epoch != self.epoch:
            return "epoch"  # the cursor belongs to another database
        if after > head:
            return "cursor_ahead"
        if oldest is not None and after < oldest - 1:
            return "cursor_expired"  # events after the cursor were pruned
        if oldest is None and after < head and pruned_away:
            return "cursor_expired"  # everything after the cursor was pruned
        return ""

    # -- signals -----------------------------------------------------------------------------

    def on_signal(self, signal: Signal) -> None:
        if isinstance(signal, Wakeup):
            table = self.networks if signal.stream == "network" else self.people
            stream = table.get(signal.owner_id)
            if stream is not None:
                self._wake(stream)
        elif isinstance(signal, Revocation):
            self.revoke(signal)
        elif isinstance(signal, CatchUp):
            for stream in [*self.networks.values(), *self.people.values()]:
                self._wake(stream)

    def revoke(self, signal: Revocation) -> None:
        for conn in list(self.connections.values()):
            hit = (
                (signal.kind == "person" and str(conn.person_id) == signal.key)
                or (signal.kind == "session" and conn.session_digest == signal.key)
                or (signal.kind == "sessions" and conn.session_digest is not None and str(conn.person_id) == signal.key)
                or (signal.kind == "token" and conn.token_id is not None and str(conn.token_id) == signal.key)
            )
            if hit:
                self.drop(conn)  # nothing more is queued for it, even before the socket closes
                conn.close(protocol.CLOSE_UNAUTHENTICATED, _REVOKE_REASONS[signal.kind])

    # -- pumps -------------------------------------------------------------------------------

    def _wake(self, stream: Stream) -> None:
        stream.dirty = True
        if stream.kind == "person":
            self._people_due[stream.owner_id] = None
            if self._people_pump is None or self._people_pump.done():
                self._people_pump = asyncio.create_task(self._pump_people())
        elif stream.task is None or stream.task.done():
            stream.task = asyncio.create_task(self._pump(stream))

    async def _pump(self, stream: Stream) -> None:
        try:
            while stream.dirty and stream.subs and not self._stopping:
                if stream.throttled:
                    stream.throttled = False
                    await asyncio.sleep(REPLAY_PAUSE)  # let replaying sockets drain their queues
                stream.dirty = False
                low = min(sub.last for sub in stream.subs.values())
                rows = await self._source.events_after(stream.owner_id, low, BATCH)
                await self._deliver_events(stream, rows, low)
                if len(rows) == BATCH:
                    stream.dirty = True
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("pump for network %s failed; the slow tick will retry", stream.owner_id)

    async def _pump_people(self) -> None:
        while self._people_due and not self._stopping:
            owners = list(itertools.islice(self._people_due, PEOPLE_PER_READ))
            for owner in owners:
                del self._people_due[owner]
            streams = [s for owner in owners if (s := self.people.get(owner)) is not None and s.subs]
            try:
                await self._read_people(streams)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("notification pump failed for %d people; the slow tick will retry", len(streams))

    async def _read_people(self, streams: list[Stream]) -> None:
        """One read for many people's notification streams, then each one's frames to its sockets."""
        if not streams:
            return
        lows = {}
        for stream in streams:
            stream.dirty = False
            lows[stream.owner_id] = min(sub.last for sub in stream.subs.values())
        rows = await self._source.notifications_after(lows, PEOPLE_ROWS_PER_READ)
        frames: dict[int, list[tuple[int, str, Audience]]] = {}
        encoder = NotificationFrames()
        for row in rows:
            frames.setdefault(row.person_id, []).append((row.seq, encoder.frame(row), None))
        # A full read may have stopped inside one person's rows: that person and those after go again.
        cut = rows[-1].person_id if len(rows) == PEOPLE_ROWS_PER_READ else None
        for stream in streams:
            if stream.owner_id in frames:
                self._deliver(stream, frames[stream.owner_id], lows[stream.owner_id])
            if cut is not None and stream.owner_id >= cut:
                stream.dirty = True
            if stream.throttled:  # a replay at its socket's pace: this stream waits, the others do not
                stream.throttled = False
                self._people_due.pop(stream.owner_id, None)
                asyncio.get_running_loop().call_later(REPLAY_PAUSE, self._wake, stream)
            elif stream.dirty:
                self._people_due[stream.owner_id] = None

    async def _deliver_events(self, stream: Stream, events: Sequence[LoggedEvent], low: int) -> None:
        pending: list[tuple[int, str, Audience]] = []
        read_first = events[0].seq if events else 0
        for event in events:
            concerned = self._policy.recheck_after(event.kind, event.payload)
            if concerned is not None and self._policy.recheck_first(event.kind):
                # Deliver what came before, then read them again before this event: the change it tells of
                # (who is named in an engagement) decides who receives it, as a replay would.
                self._deliver(stream, pending, low, read_first)
                pending = []
                await self._recheck(stream, _people(concerned))
                concerned = None
            everyone = self._policy.for_everyone(event.audience, event.audience_person_id)
            to = None if everyone else (event.audience, event.audience_person_id, event.audience_group_id)
            pending.append((event.seq, event_frame(stream.label, event), to))
            if concerned is not None:
                # Deliver what came before, then read that member (or everyone) again before anything later.
                self._deliver(stream, pending, low, read_first)
                pending = []
                await self._recheck(stream, _people(concerned))
        self._deliver(stream, pending, low, read_first)

    def _deliver(
        self, stream: Stream, frames: list[tuple[int, str, Audience]], low: int, read_first: int | None = None
    ) -> None:
        """Hand each subscriber the frames after its cursor that it may see. `low` is where the read
        started and `read_first` the first row it found (the frames may be a later part of it): a
        subscriber behind `low` arrived after the read and is served by the pump's next round, as is
        one that arrived while an earlier part was handed out (its rows were in that part)."""
        if not frames:
            return
        first = frames[0][0] if read_first is None else read_first
        subs = list(stream.subs.values())
        # framed once for all of them (direct.wire), when there is more than one to send it to
        framed = [direct.wire(frame) if len(subs) > 1 else None for _, frame, _ in frames]
        restricted = any(to is not None for _, _, to in frames)
        now = datetime.now(UTC) if restricted else None
        for sub in subs:
            if sub.last < low:
                continue
            if sub.last < first - 1:  # the rows it needs were pruned while it lagged
                sub.conn.send(protocol.resync("cursor_expired", stream.label or None))
                sub.last = first - 1
            take: list[str] = []
            wires: list[bytes | None] = []
            # a replay keeps a place in the queue for the `caught_up` that ends it
            room = sub.conn.room() - (1 if sub.last < sub.replay_to else 0)
            last = sub.last  # the last seq this round has dealt with for it, sent or passed over
            for (seq, frame, to), wire in zip(frames, framed, strict=True):
                if seq != last + 1:
                    continue
                if to is not None and not self._may_see(stream, sub, to, now):
                    last = seq  # not for them: their cursor moves past it
                    continue
                if last < sub.replay_to and len(take) >= room:
                    # A replay goes at the socket's pace: the rest comes in a later round, not as an overflow.
                    stream.throttled = stream.dirty = True
                    break
                take.append(frame)
                wires.append(wire)
                last = seq
            if sub.last < sub.replay_to <= last:  # the replay is done: what follows is live
                take.append(protocol.caught_up(last, stream.label or None))
                wires.append(None)
            if not take or sub.conn.send_many(take, wires):  # all of them in one write
                sub.last = last

    def _may_see(self, stream: Stream, sub: Sub, to: tuple[str, int | None, int | None], now: datetime | None) -> bool:
        if stream.kind == "person" or now is None:
            return True
        if sub.standing is None:
            return False
        return self._policy.may_receive(sub.standing, sub.conn.person_id, to[0], to[1], to[2], now)

    async def _recheck(self, stream: Stream, people: frozenset[int] | None) -> None:
        """Read again what subscribers are in the network (all of them when `people` is None): a
        member promoted to lead receives the leads' events from here on, a person named in an
        engagement its space's; one who may no longer read it is told and unsubscribed."""
        subs = [s for s in stream.subs.values() if people is None or s.conn.person_id in people]
        for sub in subs:
            standing = await self._policy.standing(stream.owner_id, sub.conn.person_id)
            if standing is not None:
                sub.standing = standing
                continue
            self.unsubscribe_network(sub.conn, stream.owner_id)
            sub.conn.send(protocol.error("forbidden", "You can no longer read this network.", network=stream.label))

    # -- heartbeats --------------------------------------------------------------------------

    def start_heartbeat(self, interval: float) -> None:
        """One task pings every connection (not a timer per connection: most of them are idle)."""
        if not self._stopping and (self._heartbeat is None or self._heartbeat.done()):
            self._heartbeat = asyncio.create_task(self._beat_forever(interval))

    async def _beat_forever(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            now = time.monotonic()
            for conn in list(self.connections.values()):
                if now - conn.last_heard > interval * 2.5:
                    conn.close(protocol.CLOSE_HEARTBEAT, "No answer to pings.")
                else:
                    conn.send(protocol.PING)

    # -- the slow tick -----------------------------------------------------------------------

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.tick_seconds)
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live tick failed")

    async def tick(self) -> None:
        """Compare every followed stream's head with what was delivered; wake the ones behind. Also
        close the sockets of accounts disabled by another process (a lost revocation costs latency too)."""
        if not self.connections:
            return
        network_heads, person_heads = await self._source.heads(list(self.networks), list(self.people))
        for person_id in await self._source.disabled({conn.person_id for conn in self.connections.values()}):
            self.revoke(Revocation("person", str(person_id)))
        for table, heads in ((self.networks, network_heads), (self.people, person_heads)):
            for owner_id, head in heads.items():
                stream = table.get(owner_id)
                if stream and any(sub.last < head for sub in stream.subs.values()):
                    self._wake(stream)


_REVOKE_REASONS = {
    "session": "Signed out.",
    "sessions": "Signed out: this account's sessions were ended.",
    "person": "This account was disabled.",
    "token": "This API token was revoked.",
}
