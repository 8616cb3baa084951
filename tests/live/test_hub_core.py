"""The hub's delivery core (server/live/hub.py) with no database and no permission rules: a log kept in
a list and a policy that says who may see what. Order, each event once, audiences, re-checks after the
events a policy names, resume problems, a replay at the socket's pace ending with `caught_up`, a
subscriber arriving while a pump is re-checking, and the slow tick."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from events.signals import Wakeup
from server.live import protocol
from server.live.connection import Connection
from server.live.hub import Hub

NETWORK = 1


@dataclass
class Row:
    seq: int
    kind: str
    payload: dict[str, Any]
    audience: str = "readers"
    audience_person_id: int | None = None
    audience_group_id: int | None = None
    actor_id: int | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class ListSource:
    """A network's log in a list; `oldest` is the first seq still kept (older ones were pruned)."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.oldest = 1
        self.disabled_people: set[int] = set()

    def append(self, kind: str, audience: str = "readers", person: int | None = None, **payload: Any) -> int:
        seq = len(self.rows) + 1
        self.rows.append(Row(seq, kind, payload, audience, person))
        return seq

    async def epoch(self) -> str:
        return "e1"

    async def network_start(self, network_id: int, *, oldest: bool) -> tuple[int, int | None]:
        kept = [r for r in self.rows if r.seq >= self.oldest]
        return len(self.rows), (kept[0].seq if kept else None) if oldest else None

    async def notifications_head(self, person_id: int) -> int:
        return 0

    async def events_after(self, network_id: int, after: int, limit: int) -> Sequence[Row]:
        return [r for r in self.rows if r.seq > after and r.seq >= self.oldest][:limit]

    async def notifications_after(self, cursors: Mapping[int, int], limit: int) -> Sequence[Any]:
        return []

    async def heads(self, networks: Iterable[int], people: Iterable[int]) -> tuple[dict[int, int], dict[int, int]]:
        return {n: len(self.rows) for n in networks}, {}

    async def disabled(self, people: Iterable[int]) -> list[int]:
        return [p for p in people if p in self.disabled_people]


class Rules:
    """Standing is a set of the audiences a person receives; `standings` is what a re-check reads."""

    def __init__(self) -> None:
        self.standings: dict[int, frozenset[str] | None] = {}
        self.gate: asyncio.Event | None = None  # when set, a re-check waits for it

    async def standing(self, network_id: int, person_id: int) -> object | None:
        if self.gate is not None:
            await self.gate.wait()
        return self.standings.get(person_id)

    def recheck_after(self, kind: str, payload: Mapping[str, Any]) -> int | bool | frozenset[int] | None:
        if kind in ("changed", "regrouped"):
            return int(payload["person_id"])
        return True if kind == "everyone.changed" else None

    def recheck_first(self, kind: str) -> bool:
        return kind == "regrouped"

    def for_everyone(self, to: str, person_id: int | None) -> bool:
        return to == "readers" and person_id is None

    def may_receive(
        self, standing: object, person_id: int, to: str, to_person: int | None, to_group: int | None, now: datetime
    ) -> bool:
        assert isinstance(standing, frozenset)
        return to in standing or to_person == person_id


async def frames(conn: Connection, until: str = "caught_up", timeout: float = 5) -> list[dict[str, Any]]:
    """What the hub queued for this connection, up to the first frame of type `until`."""
    got: list[dict[str, Any]] = []
    async with asyncio.timeout(timeout):
        while not got or got[-1]["type"] != until:
            for raw in await conn.take():
                got.append(json.loads(raw))
                conn.sending -= 1
    return got


async def up_to(conn: Connection, seq: int, timeout: float = 5) -> list[dict[str, Any]]:
    """What the hub queued for this connection, up to the event `seq`."""
    got: list[dict[str, Any]] = []
    async with asyncio.timeout(timeout):
        while seq not in seqs(got):
            for raw in await conn.take():
                got.append(json.loads(raw))
                conn.sending -= 1
    return got


def seqs(got: list[dict[str, Any]]) -> list[int]:
    return [f["seq"] for f in got if f["type"] == "event"]


async def hub_with(source: ListSource, rules: Rules) -> Hub:
    hub = Hub(source, rules, tick_seconds=3600)
    await hub.start()
    return hub


async def subscribe(hub: Hub, person: int, rules: Rules, after: int | None = 0, **kw: Any) -> Connection:
    conn = Connection(person, queue_size=kw.pop("queue_size", 1000))
    hub.register(conn)
    rules.standings.setdefault(person, frozenset({"readers"}))
    await hub.subscribe_network(conn, NETWORK, "net", after, kw.pop("epoch", None), rules.standings[person])
    return conn


async def test_every_subscriber_gets_each_event_once_in_order_then_caught_up() -> None:
    source, rules = ListSource(), Rules()
    for n in range(5):
        source.append("post.created", n=n)
    hub = await hub_with(source, rules)
    try:
        a, b = await subscribe(hub, 1, rules), await subscribe(hub, 2, rules, after=3)
        got_a, got_b = await frames(a), await frames(b)
        assert got_a[0]["type"] == "subscribed" and got_a[0]["seq"] == 5 and got_a[0]["epoch"] == "e1"
        assert seqs(got_a) == [1, 2, 3, 4, 5] and seqs(got_b) == [4, 5]
        assert got_a[-1] == {"type": "caught_up", "network": "net", "seq": 5}
        source.append("post.created", n=5)
        hub.on_signal(Wakeup("network", NETWORK, 6))
        live = await up_to(a, 6)
        assert seqs(live) == [6] and live[0]["network"] == "net" and live[0]["data"]["n"] == 5
        assert seqs(await up_to(b, 6)) == [6]
    finally:
        await hub.stop()


async def test_an_event_goes_only_to_those_the_policy_lets_see_it_and_cursors_move_past() -> None:
    source, rules = ListSource(), Rules()
    source.append("post.created")
    source.append("settings", audience="leads")
    source.append("held", audience="leads", person=2)  # the leads and person 2
    source.append("settings", audience="leads")  # the replay ends on an event a member may not see
    rules.standings[9] = frozenset({"readers", "leads"})
    hub = await hub_with(source, rules)
    try:
        member, author, lead = (
            await subscribe(hub, 1, rules),
            await subscribe(hub, 2, rules),
            await subscribe(hub, 9, rules),
        )
        got = {who: await frames(conn) for who, conn in (("member", member), ("author", author), ("lead", lead))}
        assert seqs(got["member"]) == [1]
        assert seqs(got["author"]) == [1, 3]
        assert seqs(got["lead"]) == [1, 2, 3, 4]
        # the member's replay ended on events not for them: caught_up says where their cursor is
        assert got["member"][-1] == {"type": "caught_up", "network": "net", "seq": 4}
        assert hub.networks[NETWORK].subs[member.id].last == 4
    finally:
        await hub.stop()


async def test_after_an_event_the_policy_names_its_subscriber_is_read_again() -> None:
    source, rules = ListSource(), Rules()
    hub = await hub_with(source, rules)
    try:
        member, other = await subscribe(hub, 1, rules, after=None), await subscribe(hub, 2, rules, after=None)
        await frames(member, until="subscribed")
        await frames(other, until="subscribed")
        rules.standings[1] = frozenset({"readers", "leads"})  # promoted: receives the leads' events from here on
        source.append("changed", person_id=1)
        source.append("settings", audience="leads")
        rules.standings[2] = None  # removed
        source.append("changed", person_id=2)
        source.append("post.created")
        hub.on_signal(Wakeup("network", NETWORK, 4))
        assert seqs(await up_to(member, 4)) == [1, 2, 3, 4]
        told = await frames(other, until="error")
        assert seqs(told) == [1, 3]  # not the leads' event; nothing after its own change
        assert told[-1]["code"] == "forbidden"
        assert other.id not in hub.networks[NETWORK].subs  # nothing more is sent to it
    finally:
        await hub.stop()


async def test_an_event_the_policy_rechecks_first_goes_by_the_standing_it_makes() -> None:
    """Someone named in a group by an event receives that event (as a replay would send it to them); someone
    dropped by one does not."""
    source, rules = ListSource(), Rules()
    hub = await hub_with(source, rules)
    try:
        rules.standings[2] = frozenset({"readers", "group"})  # in the group when it subscribes
        named, dropped = await subscribe(hub, 1, rules, after=None), await subscribe(hub, 2, rules, after=None)
        await frames(named, until="subscribed")
        await frames(dropped, until="subscribed")
        rules.standings[1] = frozenset({"readers", "group"})
        source.append("regrouped", audience="group", person_id=1)
        rules.standings[2] = frozenset({"readers"})
        source.append("regrouped", audience="group", person_id=2)
        source.append("post.created")
        hub.on_signal(Wakeup("network", NETWORK, 3))
        assert seqs(await up_to(named, 3)) == [1, 2, 3]
        assert seqs(await up_to(dropped, 3)) == [1, 3]  # the group's first event, not the one dropping it
    finally:
        await hub.stop()


async def test_a_cursor_that_cannot_be_resumed_is_told_to_resync() -> None:
    source, rules = ListSource(), Rules()
    for _ in range(6):
        source.append("post.created")
    source.oldest = 4  # 1-3 were pruned
    hub = await hub_with(source, rules)
    try:
        for after, epoch, reason in ((2, None, "cursor_expired"), (9, None, "cursor_ahead"), (5, "other", "epoch")):
            conn = await subscribe(hub, 1, rules, after=after, epoch=epoch)
            got = await frames(conn, until="subscribed")
            assert got[0] == {"type": "resync", "network": "net", "reason": reason}, got
            hub.drop(conn)
        fine = await subscribe(hub, 1, rules, after=3)
        assert seqs(await frames(fine)) == [4, 5, 6]
    finally:
        await hub.stop()


async def test_a_long_replay_goes_at_the_sockets_pace_and_ends_with_caught_up() -> None:
    source, rules = ListSource(), Rules()
    for _ in range(40):
        source.append("post.created")
    hub = await hub_with(source, rules)
    try:
        conn = await subscribe(hub, 1, rules, queue_size=5)
        got = await frames(conn)
        assert seqs(got) == list(range(1, 41)) and got[-1]["type"] == "caught_up"
        assert conn.close_code is None  # a queue of 5 never overflowed
    finally:
        await hub.stop()


async def test_a_subscriber_arriving_while_a_pump_rechecks_is_served_whole() -> None:
    """A pump hands out a read in parts, re-checking subscribers in between; one who subscribes from an
    old cursor meanwhile gets the whole replay in the next round, not a false `cursor_expired`."""
    source, rules = ListSource(), Rules()
    source.append("post.created")
    source.append("changed", person_id=1)
    source.append("post.created")
    hub = await hub_with(source, rules)
    try:
        rules.gate = asyncio.Event()
        first = await subscribe(hub, 1, rules)
        await asyncio.sleep(0.05)  # the pump is waiting in the re-check after seq 2
        late = await subscribe(hub, 2, rules)
        rules.gate.set()
        got = await frames(late)
        assert [f["type"] for f in got if f["type"] == "resync"] == []
        assert seqs(got) == [1, 2, 3]
        assert seqs(await frames(first)) == [1, 2, 3]
    finally:
        await hub.stop()


async def test_the_slow_tick_wakes_streams_behind_and_closes_disabled_accounts() -> None:
    source, rules = ListSource(), Rules()
    hub = await hub_with(source, rules)
    try:
        conn, gone = await subscribe(hub, 1, rules, after=None), await subscribe(hub, 2, rules, after=None)
        await frames(conn, until="subscribed")
        source.append("post.created")  # no wake-up: the tick finds it
        source.disabled_people.add(2)
        await hub.tick()
        assert seqs(await up_to(conn, 1)) == [1]
        assert gone.close_code == protocol.CLOSE_UNAUTHENTICATED
    finally:
        await hub.stop()
