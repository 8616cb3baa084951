"""What the live stream sends each person equals what the API shows them, for every event kind and
every column of the permission table (docs/design.md §4.4; docs/integrity.md, "Who receives an event").

For a public and a members-only network, one watcher stands in each column of the table: a member,
a muted member, a suspended and a banned one, a member who was removed, someone whose request to
join is pending, a signed-in outsider, a regulator's person who is not an observer, the network's
observer (a regulator's), a lead, a platform admin, and an anonymous visitor. Each follows the
network over a real websocket from the start of its log (`after: 0`). A scenario through the real
API then produces every kind of event the domain records. Each watcher keeps a local model built
ONLY from the events pushed to it and, at checkpoints, compares it with fresh GETs made as that
watcher, item by item and field by field: what a fetch shows must be in the model, and what the
model holds must be what a fetch shows (so an event someone may not see is a failing test). At
some checkpoints each watcher also replays the whole log on a new socket, and that replay must
match too: content hidden or removed since, and settings or member lists beyond the watcher's
column, are not in it.

Who may read and who sees the member list are typed out from the design's table below, not
derived from the implementation.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from network.enums import OrgKind
from network.event_kinds import PARTIES, SPECS, EventKind
from tests.conftest import ApiClient, World
from tests.live.client import WsClient, post_created, token_for

# every kind the log carries; a removed post's and reply's earlier events become the redacted kinds,
# which a live subscriber never receives as such (they are rewritten in place)
EVERY_KIND = {kind.value for kind in EventKind} - {EventKind.POST_REDACTED, EventKind.REPLY_REDACTED}
# an engagement's space is its named people's alone (no watcher here is one; tests/server/test_engagement_permissions.py
# follows them): the admin is sent every other kind
SPACE_KINDS = {kind.value for kind, spec in SPECS.items() if spec.audience == PARTIES}
ENVELOPE = ("at", "actor_id")  # added to every event's data by the server, not part of any resource
LISTED_STATES = ("active", "muted")  # what a member (not a lead) sees in the members list

# docs/design.md §4.1, typed out: which columns read the network's posts (and its log), and which see its members
READS = {
    "public": {"member", "muted", "pending", "removed", "outsider", "observer", "lead", "admin"},
    "members": {"member", "muted", "observer", "lead", "admin"},
}
SEES_MEMBERS = {"member", "muted", "observer", "lead", "admin"}
MODERATES = {"lead", "admin"}
COLUMNS = (
    "member",
    "muted",
    "suspended",
    "banned",
    "removed",
    "pending",
    "outsider",
    "regulator",
    "observer",
    "lead",
    "admin",
    "anonymous",
)

Json = dict[str, Any]


class Model:
    """A live client's picture of one network, built only from the events it was pushed.

    How a client applies an event depends on what it knows of itself: a lead (or the author) keeps a
    hidden post, shown as hidden; anyone else drops it."""

    def __init__(self, me: int | None, moderates: bool) -> None:
        self.me, self.moderates = me, moderates
        self.seqs: list[int] = []
        self.kinds: set[str] = set()
        self.slug: str | None = None
        self.network: Json = {}
        self.posts: dict[int, Json] = {}
        self.replies: dict[int, Json] = {}
        self.offers: dict[int, Json] = {}
        self.adoptions: dict[int, Json] = {}  # adoption records, by id
        self.members: dict[int, Json] = {}
        self.charter: Json | None = None
        self.log: dict[int, Json] = {}  # the transparency log, by entry id
        self.appeals: dict[int, int] = {}  # appeal id → the decision it is against
        self.settings: Json = {}
        self.queue: dict[int, Json] = {}  # open review-queue entries, by id
        self.engagements: dict[int, Json] = {}  # the network's listed engagements' summaries, by id

    @property
    def seq(self) -> int:
        return self.seqs[-1] if self.seqs else 0

    def _keeps(self, item: Json | None) -> bool:
        """Whether a post or reply that left the readers' view stays in this client's lists."""
        return item is not None and (self.moderates or item["author"]["id"] == self.me)

    def apply(self, event: Json) -> None:
        assert event["type"] == "event", event
        assert not self.seqs or event["seq"] > self.seqs[-1], "events arrive in order, each once"
        self.seqs.append(event["seq"])
        kind, data = event["kind"], event["data"]
        assert data["at"], event
        self.kinds.add(kind)
        if kind == "network.created":
            self.slug = data["slug"]
            self.charter = dict(data["charter"])
        elif kind == "network.described":
            self.network.update({k: v for k, v in data.items() if k not in ENVELOPE})
        elif kind == "network.updated":
            self.settings = dict(data["settings"])
        elif kind in ("post.created", "post.updated", "post.restored", "post.held"):
            self.posts[data["post"]["id"]] = dict(data["post"])
        elif kind == "post.hidden":
            post = self.posts.get(data["post_id"])
            if self._keeps(post):
                assert post is not None
                post["state"] = data["state"]
            else:
                self.posts.pop(data["post_id"], None)
        elif kind in ("post.removed", "post.redacted"):
            self.posts.pop(data["post_id"], None)
        elif kind in ("reply.created", "reply.restored", "reply.updated", "reply.held"):
            reply = data["reply"]
            self.replies[reply["id"]] = dict(reply)
            if reply["post_id"] in self.posts and "reply_count" in data:
                self.posts[reply["post_id"]]["reply_count"] = data["reply_count"]
        elif kind in ("reply.hidden", "reply.removed", "reply.redacted"):
            reply = self.replies.get(data["reply_id"])
            if kind == "reply.hidden" and self._keeps(reply):
                assert reply is not None
                reply["state"] = "hidden"
            else:
                self.replies.pop(data["reply_id"], None)
            if data["post_id"] in self.posts and "reply_count" in data:
                self.posts[data["post_id"]]["reply_count"] = data["reply_count"]
        elif kind == "reaction.changed":
            if data["post_id"] in self.posts:
                self.posts[data["post_id"]]["reactions"] = dict(data["reactions"])
        elif kind.startswith("offer."):
            self.offers[data["offer"]["id"]] = dict(data["offer"])
        elif kind in ("adoption.recorded", "adoption.updated", "adoption.reported"):
            self.adoptions[data["adoption"]["id"]] = dict(data["adoption"])
        elif kind == "adoption.hidden":
            adoption = self.adoptions.get(data["adoption_id"])
            keeps = adoption is not None and (self.moderates or adoption["recorded_by"]["id"] == self.me)
            if keeps and data["state"] != "removed":
                assert adoption is not None
                adoption["state"] = data["state"]
            else:
                self.adoptions.pop(data["adoption_id"], None)
        elif kind in ("member.joined", "member.updated", "member.asked"):
            member = data["member"]
            if self.moderates or member["state"] in LISTED_STATES:
                self.members[member["person"]["id"]] = {k: v for k, v in member.items() if k != "reason"}
            else:
                self.members.pop(member["person"]["id"], None)
        elif kind in ("member.left", "member.request_closed"):
            self.members.pop(data["person_id"], None)
        elif kind == "charter.changed":
            self.charter = {k: v for k, v in data.items() if k not in ENVELOPE}
        elif kind == "decision.logged":
            entry = data["entry"]
            self.log[entry["id"]] = dict(entry)
            if entry["action"] in ("appeal_upheld", "appeal_overturned"):
                against = self.appeals[entry["target_id"]]
                self.log[against]["appeal"] = entry["action"].removeprefix("appeal_")
        elif kind == "appeal.filed":
            self.appeals[data["appeal_id"]] = data["decision_id"]
            self.log[data["decision_id"]]["appeal"] = "open"
        elif kind == "queue.changed":
            entry = data["entry"]
            if entry["status"] == "open":
                self.queue[entry["id"]] = dict(entry)
            else:
                self.queue.pop(entry["id"], None)
        elif kind == "queue.noted":
            self.queue[data["entry_id"]].setdefault("notes", 0)
            self.queue[data["entry_id"]]["notes"] = data["notes"]
        elif kind == "engagement.listed":
            if data["listed"]:
                self.engagements[data["engagement"]["id"]] = dict(data["engagement"])
            else:
                self.engagements.pop(data["engagement"]["id"], None)
        elif kind.startswith("engagement."):  # no watcher is named in the scenario's engagement
            raise AssertionError(f"an engagement's space reached someone not named in it: {kind}")
        else:
            raise AssertionError(f"an event kind this test does not know: {kind} (add it to the model)")


def same(what: str, model: Json | None, fetched: Json) -> None:
    """Every field the fetch shows is in the model, with the same value (extra event fields are ignored)."""
    assert model is not None, f"{what}: the events never described it"
    missing = sorted(fetched.keys() - model.keys())
    assert not missing, f"{what}: the events do not carry {missing}"
    for name, value in fetched.items():
        assert model[name] == value, f"{what}.{name}: events say {model[name]!r}, a fetch says {value!r}"


@dataclass
class Watcher:
    column: str
    client: ApiClient
    reads: bool
    sees_members: bool
    moderates: bool
    ws: WsClient | None = None
    model: Model = field(default_factory=lambda: Model(None, False))
    refusal: Json | None = None  # what the socket answered a refused subscription

    @property
    def me(self) -> int | None:
        return self.client.id if self.client.person else None

    def new_model(self) -> Model:
        return Model(self.me, self.moderates)


async def compare(model: Model, watcher: Watcher, slug: str, step: str, *, details: bool = False) -> None:
    """The model against fresh GETs made as the watcher: equal both ways (with `details`, each post's
    own page too, which shows what the list does)."""
    client, where = watcher.client, f"{watcher.column} at '{step}'"
    listed = await client.get(f"/networks/{slug}/posts", params={"limit": 100})
    if not watcher.reads:
        assert listed.status_code == (401 if watcher.column == "anonymous" else 404), (where, listed.text)
        for path in ("", "/log", "/members", "/charter"):
            refused = await client.get(f"/networks/{slug}{path}")
            assert refused.status_code in (401, 404), (where, path, refused.status_code)
        assert model.seqs == [], f"{where}: was sent events of a network it may not read"
        return
    assert listed.status_code == 200, (where, listed.text)
    page = listed.json()
    assert page["next_cursor"] is None
    assert sorted(p["id"] for p in page["items"]) == sorted(model.posts), where
    for item in page["items"]:
        same(f"{where}: post {item['id']} (list)", model.posts.get(item["id"]), item)
    for post_id, post in model.posts.items():
        if details:
            detail = await client.get(f"/posts/{post_id}")
            assert detail.status_code == 200, (where, detail.text)
            same(f"{where}: post {post_id}", post, detail.json())

        replies = (await client.get(f"/posts/{post_id}/replies", params={"limit": 100})).json()["items"]
        expected = sorted(i for i, r in model.replies.items() if r["post_id"] == post_id)
        assert sorted(r["id"] for r in replies) == expected, (where, post_id)
        for reply in replies:
            same(f"{where}: reply {reply['id']}", model.replies.get(reply["id"]), reply)

        offers = (await client.get(f"/posts/{post_id}/offers")).json()
        expected = sorted(i for i, o in model.offers.items() if o["post_id"] == post_id)
        assert sorted(o["id"] for o in offers) == expected, (where, post_id)
        for offer in offers:
            same(f"{where}: offer {offer['id']}", model.offers.get(offer["id"]), offer)

        adoptions = (await client.get(f"/posts/{post_id}/adoptions")).json()["items"]
        expected = sorted(i for i, a in model.adoptions.items() if a["post_id"] == post_id)
        assert sorted(a["id"] for a in adoptions) == expected, (where, post_id, "adoptions")
        for adoption in adoptions:
            same(f"{where}: adoption {adoption['id']}", model.adoptions.get(adoption["id"]), adoption)

    members = await client.get(f"/networks/{slug}/members")
    if watcher.sees_members:
        listed_members = members.json()
        assert sorted(m["person"]["id"] for m in listed_members) == sorted(model.members), where
        for member in listed_members:
            fetched = {k: v for k, v in member.items() if k != "join_answers"}
            same(f"{where}: member {member['person']['id']}", model.members.get(member["person"]["id"]), fetched)
    else:
        assert members.status_code == 404, (where, members.text)
        assert model.members == {}, f"{where}: was sent the member list's events"

    network = (await client.get(f"/networks/{slug}")).json()
    for name, value in model.network.items():
        assert network[name] == value, (where, name)

    settings = await client.get(f"/networks/{slug}/settings")
    if watcher.moderates:
        same(f"{where}: settings", model.settings or None, settings.json())
        queue = (await client.get(f"/networks/{slug}/queue")).json()
        assert sorted(e["id"] for e in queue) == sorted(model.queue), where
        for entry in queue:
            kept = model.queue[entry["id"]]
            assert kept["claimed_by"] == entry["claimed_by"], (where, entry["id"])
            assert kept.get("notes", 0) == len(entry["notes"]), (where, entry["id"])
    else:
        assert settings.status_code in (403, 404), (where, settings.text)
        assert model.settings == {} and model.queue == {}, f"{where}: was sent the leads' events"

    log = (await client.get(f"/networks/{slug}/log", params={"limit": 100})).json()
    assert log["next_cursor"] is None
    assert [e["id"] for e in log["items"]] == sorted(model.log, reverse=True), where
    for entry in log["items"]:
        # the title of the post an entry concerns is the reader's, read with the log; the events carry none
        title = entry.pop("title")
        same(f"{where}: log entry {entry['id']}", model.log.get(entry["id"]), entry)
        if entry["target_type"] == "post":  # named exactly when the reader may read the post now
            post = await client.get(f"/posts/{entry['target_id']}")
            expected = post.json()["title"] if post.status_code == 200 else None
            assert title == expected, (where, entry["id"], title, post.status_code)

    charter = await client.get(f"/networks/{slug}/charter")
    assert charter.status_code == 200, (where, charter.text)
    same(f"{where}: charter", model.charter, charter.json())

    engagements = (await client.get(f"/networks/{slug}/engagements", params={"limit": 100})).json()
    assert sorted(s["id"] for s in engagements["items"]) == sorted(model.engagements), where
    for summary in engagements["items"]:
        same(f"{where}: engagement {summary['id']}", model.engagements.get(summary["id"]), summary)


async def head(world: World, slug: str) -> int:
    async with world.db() as session:
        result = await session.execute(text("SELECT event_seq FROM networks WHERE slug = :slug"), {"slug": slug})
        return int(result.scalar_one())


async def _seqs(world: World, slug: str, audience: str) -> list[int]:
    """The seqs of the network's events with (or, with a leading "!", without) this audience."""
    condition = "<>" if audience.startswith("!") else "="
    async with world.db() as session:
        result = await session.execute(
            text(
                "SELECT seq FROM events JOIN networks ON networks.id = events.network_id "  # noqa: S608 - our own
                f"WHERE networks.slug = :slug AND events.audience {condition} :audience ORDER BY seq"
            ),
            {"slug": slug, "audience": audience.lstrip("!")},
        )
        return [int(seq) for seq in result.scalars()]


async def admins_head(world: World, slug: str) -> int:
    """The last event a platform admin is sent: every event but an engagement's space's (its named people's)."""
    return max(await _seqs(world, slug, "!parties"), default=0)


async def parties_seqs(world: World, slug: str) -> set[int]:
    return set(await _seqs(world, slug, "parties"))


async def decide(lead: ApiClient, slug: str, target_type: str, target_id: int, action: str, **extra: Any) -> Any:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": "Kept in sync"}
    return await lead.post(f"/networks/{slug}/decisions", json=body | extra)


def ok(response: Any, status: int = 200) -> Json:
    assert response.status_code == status, response.text
    return dict(response.json()) if response.content else {}


def ok_list(response: Any, status: int = 200) -> list[Json]:
    assert response.status_code == status, response.text
    return list(response.json())


async def _subscribe(world: World, watcher: Watcher, slug: str) -> tuple[WsClient | None, Json | None]:
    """A socket following the network from the start of its log, or None and the refusal."""
    if watcher.column == "anonymous":
        ws = await WsClient.connect(world.server.url)
        first = await ws.next()
        assert first["type"] == "error" and first["code"] == "unauthenticated", first
        assert await ws.closed_code() == 4001
        return None, first
    ws = await WsClient.connect(world.server.url, await token_for(watcher.client))
    answer = await ws.subscribe(slug, after=0)
    if watcher.reads:
        assert answer["type"] == "subscribed", (watcher.column, answer)
        return ws, None
    assert answer["type"] == "error" and answer["code"] in ("not_found", "forbidden"), (watcher.column, answer)
    return ws, answer


async def _cast(world: World, slug: str, lead: ApiClient, visibility: str) -> dict[str, Watcher]:
    """One person in each column, arranged through the API as people get there."""
    people: dict[str, ApiClient] = {"lead": lead, "admin": await world.admin()}
    for column in ("member", "muted", "suspended", "banned", "removed"):
        people[column] = await world.member(slug)
    until = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0).isoformat()
    ok(await decide(lead, slug, "member", people["muted"].id, "mute", until=until), 201)
    ok(await decide(lead, slug, "member", people["suspended"].id, "suspend", until=until), 201)
    ok(await decide(lead, slug, "member", people["banned"].id, "ban"), 201)
    ok(await lead.delete(f"/networks/{slug}/members/{people['removed'].id}", params={"reason": "Left the trust"}), 204)
    ok(await lead.patch(f"/networks/{slug}/settings", json={"join_policy": "request", "reason": "Asking first"}))
    people["pending"] = await world.person()
    assert ok(await people["pending"].post(f"/networks/{slug}/join"))["state"] == "pending"
    ok(await lead.patch(f"/networks/{slug}/settings", json={"join_policy": "open", "reason": "Open again"}))
    people["outsider"] = await world.person()
    people["regulator"] = await world.person(kind=OrgKind.REGULATOR)
    people["observer"] = await world.observer(lead, slug, OrgKind.REGULATOR)
    people["anonymous"] = world.client()
    return {
        column: Watcher(
            column,
            people[column],
            reads=column in READS[visibility],
            sees_members=column in SEES_MEMBERS,
            moderates=column in MODERATES,
        )
        for column in COLUMNS
    }


@pytest.mark.parametrize("visibility", ["public", "members"])
async def test_each_column_is_sent_what_the_api_shows_it(world: World, backend: str, visibility: str) -> None:
    if visibility == "members" and backend == "sqlite":
        # a members-only network differs from a public one in who reads it, rules that do not depend on
        # the database: it runs on PostgreSQL, the public network on both
        pytest.skip("the members-only network runs on PostgreSQL")
    lead = await world.person()
    slug = await world.network(lead, visibility=visibility)
    watchers = await _cast(world, slug, lead, visibility)
    admin = watchers["admin"]
    watcher = watchers["member"].client  # the member who also takes part
    author = await world.member(slug)
    offerer_a = await world.member(slug)
    offerer_b = await world.member(slug)

    for w in watchers.values():
        w.model = w.new_model()
        w.ws, w.refusal = await _subscribe(world, w, slug)
        if w.ws is not None and w.reads:  # its replay of the log so far, up to the `caught_up` that ends it
            while (message := await w.ws.next("event", "caught_up"))["type"] == "event":
                w.model.apply(message)

    async def drain(w: Watcher) -> None:
        """What the hub handed this socket in the rounds that brought the admin to the head."""
        if w.ws is not None:
            for message in await w.ws.quiet(0.2):
                if message["type"] == "event":
                    w.model.apply(message)

    async def replay(w: Watcher, step: str) -> None:
        """A new socket from `after: 0`: what it is sent equals what the API shows."""
        if w.column == "anonymous":
            return
        ws = await WsClient.connect(world.server.url, await token_for(w.client))
        try:
            model = w.new_model()
            answer = await ws.subscribe(slug, after=0)
            assert answer["type"] == ("subscribed" if w.reads else "error"), (w.column, answer)
            if w.reads:  # the replay, up to the `caught_up` that ends it (the protocol says when it is done)
                while (message := await ws.next("event", "caught_up"))["type"] == "event":
                    model.apply(message)
                assert message["seq"] >= answer["seq"], message
            await compare(model, w, slug, f"{step} (replayed)", details=True)
        finally:
            await ws.close()

    async def checkpoint(step: str, *, replays: bool = False) -> None:
        """Everyone's live model up to the log's head, then each compared with what the API shows them."""
        target = await admins_head(world, slug)
        while admin.model.seq < target:  # the admin may see every event but the spaces': it gets them all
            admin.model.apply(await admin.ws.next("event") if admin.ws else {})
        await asyncio.gather(*(drain(w) for w in watchers.values()))
        await asyncio.gather(*(compare(w.model, w, slug, step) for w in watchers.values()))
        if replays:
            await asyncio.gather(*(replay(w, step) for w in watchers.values()))

    try:
        await checkpoint("replayed from the start", replays=True)
        assert watchers["member"].model.slug == slug

        practice = await world.practice(author, slug, title="Reading fluency", themes=["Reading"])
        request = await world.request(author, slug, title="Help with KS3 science")
        ok(await author.patch(f"/posts/{practice['id']}", json={"title": "Reading fluency, year two"}))
        ok(await watcher.post(f"/posts/{practice['id']}/replies", json={"body": "We tried this."}), 201)
        asked = ok(await offerer_a.post(f"/posts/{request['id']}/replies", json={"body": "Which year groups?"}), 201)
        ok(await watcher.post(f"/posts/{practice['id']}/reactions", json={"kind": "useful"}))
        ok(await offerer_a.post(f"/posts/{practice['id']}/reactions", json={"kind": "tried_it"}))
        ok(await watcher.delete(f"/posts/{practice['id']}/reactions/useful"))
        started = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
        tried = {"phase": "primary", "size_band": "small", "started_on": started, "adapted": "Twice a week"}
        adopted = ok(await offerer_a.post(f"/posts/{practice['id']}/adoptions", json=tried), 201)
        report = {"result": "improved", "evidence_strength": "internal_data", "advice": "Train the TAs first."}
        ok(await offerer_a.post(f"/adoptions/{adopted['id']}/report", json=report))
        await checkpoint("posts, an edit, replies and reactions; an adoption recorded and reported")

        first = ok(await offerer_a.post(f"/posts/{request['id']}/offers", json={"message": "A visit."}), 201)
        second = ok(await offerer_b.post(f"/posts/{request['id']}/offers", json={"message": "A review."}), 201)
        ok(await author.post(f"/offers/{first['id']}/decline"))
        ok(await offerer_b.post(f"/offers/{second['id']}/withdraw"))
        third = ok(await offerer_a.post(f"/posts/{request['id']}/offers", json={"message": "Two visits."}), 201)
        ok(await author.post(f"/offers/{third['id']}/accept"))
        ok(await author.post(f"/posts/{request['id']}/close", json={"outcome": "Two visits; it helped."}))
        await checkpoint("offers made, declined, withdrawn and accepted; the request closed")

        # the accepted offer's engagement: its space is its named people's (author, offerer_a), none of the
        # watchers'; every reader is sent its summary line once it is active, and again when it closes
        eid = ok_list(await author.get("/me/engagements"))[0]["id"]
        ok(await author.patch(f"/engagements/{eid}", json={"version": 1, "aims": "Two good visits"}))
        ok(await author.post(f"/engagements/{eid}/agree"))
        ok(await offerer_a.post(f"/engagements/{eid}/agree"))
        ok(await offerer_a.post(f"/engagements/{eid}/messages", json={"body": "Tuesday?"}), 201)
        ok(await author.post(f"/engagements/{eid}/check-ins", json={"progress": "One visit done"}), 201)
        outcome = {"what_changed": "Fluency rose", "evidence_strength": "anecdotal", "work_together_again": "yes"}
        ok(await author.post(f"/engagements/{eid}/outcomes", json=outcome), 201)
        ok(await offerer_a.post(f"/engagements/{eid}/outcomes", json=outcome), 201)
        ok(await offerer_a.post(f"/engagements/{eid}/follow-up", json={"lasted": "yes"}), 201)
        await checkpoint("an engagement agreed, worked and closed: the network sees its summary line")

        joiner = await world.member(slug)
        deputy = await world.member(slug)
        ok(await lead.patch(f"/networks/{slug}/members/{deputy.id}", json={"role": "lead", "reason": "Help"}))
        until = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0).isoformat()
        ok(await lead.patch(f"/networks/{slug}/members/{joiner.id}", json={"state": "muted", "until": until}))
        ok(await joiner.post(f"/networks/{slug}/leave"), 204)
        ok(await lead.delete(f"/networks/{slug}/members/{deputy.id}", params={"reason": "Moved on"}), 204)
        ok(await lead.patch(f"/networks/{slug}/settings", json={"join_policy": "request"}))
        asking, withdrawing = await world.person(), await world.person()
        for person in (asking, withdrawing):
            assert ok(await person.post(f"/networks/{slug}/join"))["state"] == "pending"
        ok(await lead.delete(f"/networks/{slug}/members/{asking.id}", params={"reason": "Trusts only"}), 204)
        ok(await withdrawing.post(f"/networks/{slug}/leave"), 204)
        ok(await lead.patch(f"/networks/{slug}/settings", json={"join_policy": "open"}))
        body = "Our charter.\n\n1. Share honestly.\n2. No personal data.\n3. Be kind,\n   always.\n"
        ok(await lead.put(f"/networks/{slug}/charter", json={"body": body, "note": "Shorter"}))
        await checkpoint("members joined, requests declined and withdrawn, a lead appointed and removed, the charter")

        second_lead = await world.member(slug)
        ok(await lead.patch(f"/networks/{slug}/members/{second_lead.id}", json={"role": "lead"}))
        ok(await offerer_b.post(f"/posts/{practice['id']}/flags", json={"reason": "charter", "clause": 3}), 201)
        entry = (await lead.get(f"/networks/{slug}/queue")).json()[0]
        ok(await lead.post(f"/networks/{slug}/queue/{entry['id']}/claim"))
        ok(await second_lead.post(f"/networks/{slug}/queue/{entry['id']}/notes", json={"body": "Looks fine"}), 201)
        await checkpoint("a post flagged: the leads' queue")
        hidden = ok(await decide(lead, slug, "post", practice["id"], "hide", clause=3), 201)
        filed = ok(await author.post("/appeals", json={"decision_id": hidden["id"], "statement": "Kind enough"}), 201)
        await checkpoint("a flagged post hidden and the decision appealed")
        ok(await second_lead.post(f"/appeals/{filed['id']}/decide", json={"outcome": "overturned", "reason": "Fine"}))
        # (a members-only network's replays are checked at its start and end: its rules differ from a
        # public one's in who reads, which every checkpoint's live comparison already shows)
        await checkpoint("the appeal overturned: the post is back", replays=visibility == "public")

        ok(await decide(lead, slug, "post", practice["id"], "lock"), 201)
        ok(await decide(lead, slug, "post", practice["id"], "pin"), 201)
        ok(await decide(lead, slug, "reply", asked["id"], "hide"), 201)
        ok(await decide(lead, slug, "adoption", adopted["id"], "hide"), 201)
        await checkpoint("a thread locked and pinned, a reply and an adoption record hidden")
        ok(await decide(lead, slug, "reply", asked["id"], "restore"), 201)
        ok(await decide(lead, slug, "reply", asked["id"], "edit", edit={"body": "Which year groups, please?"}), 201)
        ok(await decide(lead, slug, "reply", asked["id"], "remove"), 201)
        ok(await decide(lead, slug, "adoption", adopted["id"], "restore"), 201)
        await checkpoint("a reply restored, edited and removed; the adoption record restored")

        settings = {"premod_posts": 1, "description": "Reading work"}
        ok(await lead.patch(f"/networks/{slug}/settings", json=settings))
        newcomer = await world.member(slug)
        held = await world.practice(newcomer, slug, title="Held until approved")
        assert held["state"] == "held"
        pupil = "Our pupil Jayden Smith (UPN B801200005001) now reads at home."
        held_reply = ok(await newcomer.post(f"/posts/{request['id']}/replies", json={"body": pupil}), 201)
        assert held_reply["state"] == "held"
        await checkpoint("settings changed; held content is the leads' and its author's alone")
        ok(await decide(lead, slug, "post", held["id"], "approve"), 201)
        ok(await decide(lead, slug, "reply", held_reply["id"], "approve"), 201)
        await checkpoint("held content approved")

        ok(await decide(lead, slug, "member", offerer_a.id, "mute"), 201)
        ok(await decide(lead, slug, "member", offerer_a.id, "lift"), 201)
        ok(await decide(lead, slug, "member", offerer_b.id, "suspend"), 201)
        ok(await author.patch(f"/posts/{request['id']}", json={"body": pupil}))
        ok(await decide(lead, slug, "post", held["id"], "remove"), 201)
        await checkpoint("sanctions, an edit that took a post back to the leads, a post removed", replays=True)

        # nothing beyond the head: a last post by the lead is the next event every reader is sent
        marker = await world.practice(lead, slug, title="The last word")
        for w in watchers.values():
            if w.ws is not None and w.reads and w.column not in ("suspended", "banned"):
                earlier, _ = await w.ws.until(post_created(marker["id"]))
                assert [m for m in earlier if m["type"] == "event"] == [], w.column
    finally:
        for w in watchers.values():
            if w.ws is not None:
                await w.ws.close()

    # every kind the one list knows was sent or is in the log (a removed reply's events were redacted
    # in place), and no other
    async with world.db() as session:
        appended = set((await session.execute(text("SELECT DISTINCT kind FROM events"))).scalars())
    seen = appended | admin.model.kinds
    assert seen == {kind.value for kind in EventKind}, sorted(seen ^ {kind.value for kind in EventKind})
    spaces = await parties_seqs(world, slug)
    expected = [seq for seq in range(1, admin.model.seq + 1) if seq not in spaces]
    assert admin.model.seqs == expected, "an admin is sent every event but the spaces', once, in order"
    pushed = EVERY_KIND - SPACE_KINDS
    assert admin.model.kinds >= pushed, f"kinds never pushed: {sorted(pushed - admin.model.kinds)}"
    assert not admin.model.kinds & SPACE_KINDS
    # what the columns' tables say they may not see, they were not sent
    for w in watchers.values():
        if not w.sees_members:
            assert not w.model.kinds & {"member.joined", "member.updated", "member.left"}, w.column
        if not w.moderates:
            assert not w.model.kinds & {"network.updated", "member.asked", "queue.changed", "post.held"}, w.column
