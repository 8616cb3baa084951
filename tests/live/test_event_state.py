"""A subscriber who applies the pushed events holds what a fresh fetch shows, for every kind of event.

One member follows a network over a real websocket from the start of its log (`after: 0`, so
`network.created` and the first lead's `member.joined` are replayed). A scenario through the real
API then produces every kind of event the domain records. The test keeps a local model built ONLY
from the pushed events and, after every step, compares it with fresh GETs of the same resources,
field by field. Every field a fetch shows must be in the model: an event that leaves a client
unable to stay in sync (no new counts, no way to remove a member, a stale request status) fails.

None of the compared views has a per-viewer field (PostView, ReplyView, OfferView, MemberView and
CharterView are the same for every reader); what *is* per viewer is which rows a reader may list,
so the model keeps members as a non-lead member lists them (active and muted only).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from tests.conftest import ApiClient, World
from tests.live.client import WsClient, token_for

EVERY_KIND = {
    "network.created",
    "post.created",
    "post.updated",
    "reply.created",
    "reaction.changed",
    "offer.made",
    "offer.accepted",
    "offer.declined",
    "offer.withdrawn",
    "member.joined",
    "member.updated",
    "member.left",
    "charter.changed",
    "post.hidden",
    "post.removed",
    "post.restored",
    "reply.hidden",
    "reply.removed",
    "reply.restored",
    "reply.updated",
    "decision.logged",
    "appeal.filed",
    "network.updated",
}
ENVELOPE = ("at", "actor_id")  # added to every event's data by the server, not part of any resource
LISTED_STATES = ("active", "muted")  # what a member (not a lead) sees in the members list

Json = dict[str, Any]


class Model:
    """A live client's picture of one network, built only from the events it was pushed."""

    def __init__(self) -> None:
        self.seqs: list[int] = []
        self.kinds: set[str] = set()
        self.slug: str | None = None
        self.posts: dict[int, Json] = {}
        self.replies: dict[int, Json] = {}
        self.offers: dict[int, Json] = {}
        self.members: dict[int, Json] = {}
        self.charter: Json | None = None
        self.log: dict[int, Json] = {}  # the transparency log, by entry id
        self.appeals: dict[int, int] = {}  # appeal id → the decision it is against
        self.settings: Json = {}

    @property
    def seq(self) -> int:
        return self.seqs[-1] if self.seqs else 0

    def apply(self, event: Json) -> None:
        assert event["type"] == "event"
        self.seqs.append(event["seq"])
        kind, data = event["kind"], event["data"]
        assert data["at"], event
        self.kinds.add(kind)
        if kind == "network.created":
            self.slug = data["slug"]
            self.charter = dict(data["charter"])
        elif kind in ("post.created", "post.updated"):
            self.posts[data["post"]["id"]] = dict(data["post"])
        elif kind == "reply.created":
            reply = data["reply"]
            self.replies[reply["id"]] = dict(reply)
            self.posts[reply["post_id"]]["reply_count"] = data["reply_count"]
        elif kind == "reaction.changed":
            self.posts[data["post_id"]]["reactions"] = dict(data["reactions"])
        elif kind.startswith("offer."):
            self.offers[data["offer"]["id"]] = dict(data["offer"])
        elif kind in ("member.joined", "member.updated"):
            member = data["member"]
            if member["state"] in LISTED_STATES:
                self.members[member["person"]["id"]] = dict(member)
            else:
                self.members.pop(member["person"]["id"], None)
        elif kind == "member.left":
            self.members.pop(data["person_id"])
        elif kind == "charter.changed":
            self.charter = {k: v for k, v in data.items() if k not in ENVELOPE}
        elif kind in ("post.hidden", "post.removed"):
            self.posts.pop(data["post_id"], None)  # a member no longer sees it (held again, hidden or removed)
        elif kind == "post.restored":
            self.posts[data["post"]["id"]] = dict(data["post"])
        elif kind in ("reply.hidden", "reply.removed"):
            self.replies.pop(data["reply_id"])
            if data["post_id"] in self.posts:
                self.posts[data["post_id"]]["reply_count"] = data["reply_count"]
        elif kind in ("reply.restored", "reply.updated"):
            reply = data["reply"]
            self.replies[reply["id"]] = dict(reply)
            self.posts[reply["post_id"]]["reply_count"] = data["reply_count"]
        elif kind == "decision.logged":
            entry = data["entry"]
            self.log[entry["id"]] = dict(entry)
            if entry["action"] in ("appeal_upheld", "appeal_overturned"):
                against = self.appeals[entry["target_id"]]
                self.log[against]["appeal"] = entry["action"].removeprefix("appeal_")
        elif kind == "appeal.filed":
            self.appeals[data["appeal_id"]] = data["decision_id"]
            self.log[data["decision_id"]]["appeal"] = "open"
        elif kind == "network.updated":
            self.settings = dict(data["settings"])
        else:
            raise AssertionError(f"an event kind this test does not know: {kind} (add it to the model)")


def same(what: str, model: Json | None, fetched: Json) -> None:
    """Every field the fetch shows is in the model, with the same value (extra event fields are ignored)."""
    assert model is not None, f"{what}: the events never described it"
    missing = sorted(fetched.keys() - model.keys())
    assert not missing, f"{what}: the events do not carry {missing}"
    for name, value in fetched.items():
        assert model[name] == value, f"{what}.{name}: events say {model[name]!r}, a fetch says {value!r}"


async def compare(model: Model, watcher: ApiClient, slug: str) -> None:
    """The model against fresh GETs, as the watcher sees them."""
    listed = (await watcher.get(f"/networks/{slug}/posts", params={"limit": 100})).json()
    assert listed["next_cursor"] is None
    assert sorted(p["id"] for p in listed["items"]) == sorted(model.posts)
    for item in listed["items"]:
        same(f"post {item['id']} (list)", model.posts.get(item["id"]), item)
    for post_id, post in model.posts.items():
        detail = await watcher.get(f"/posts/{post_id}")
        assert detail.status_code == 200, detail.text
        same(f"post {post_id}", post, detail.json())

        replies = (await watcher.get(f"/posts/{post_id}/replies", params={"limit": 100})).json()["items"]
        expected = sorted(i for i, r in model.replies.items() if r["post_id"] == post_id)
        assert sorted(r["id"] for r in replies) == expected
        for reply in replies:
            same(f"reply {reply['id']}", model.replies.get(reply["id"]), reply)

        offers = (await watcher.get(f"/posts/{post_id}/offers")).json()
        expected = sorted(i for i, o in model.offers.items() if o["post_id"] == post_id)
        assert sorted(o["id"] for o in offers) == expected
        for offer in offers:
            same(f"offer {offer['id']}", model.offers.get(offer["id"]), offer)

    members = (await watcher.get(f"/networks/{slug}/members")).json()
    assert sorted(m["person"]["id"] for m in members) == sorted(model.members)
    for member in members:
        same(f"member {member['person']['id']}", model.members.get(member["person"]["id"]), member)
    network = (await watcher.get(f"/networks/{slug}")).json()
    assert network["member_count"] == len(model.members)
    for name in ("description", "visibility", "join_policy"):
        if name in model.settings:
            assert model.settings[name] == network[name], name

    log = (await watcher.get(f"/networks/{slug}/log", params={"limit": 100})).json()
    assert log["next_cursor"] is None
    assert [e["id"] for e in log["items"]] == sorted(model.log, reverse=True)
    for entry in log["items"]:
        same(f"log entry {entry['id']}", model.log.get(entry["id"]), entry)

    charter = await watcher.get(f"/networks/{slug}/charter")
    assert charter.status_code == 200, charter.text
    same("charter", model.charter, charter.json())


async def head(world: World, slug: str) -> int:
    async with world.db() as session:
        result = await session.execute(text("SELECT event_seq FROM networks WHERE slug = :slug"), {"slug": slug})
        return int(result.scalar_one())


async def decide(lead: ApiClient, slug: str, target_type: str, target_id: int, action: str, **extra: Any) -> Any:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": "Kept in sync"}
    return await lead.post(f"/networks/{slug}/decisions", json=body | extra)


def ok(response: Any, status: int = 200) -> Json:
    assert response.status_code == status, response.text
    return dict(response.json()) if response.content else {}


async def test_applying_pushed_events_matches_a_fresh_fetch(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    watcher = await world.member(slug)
    author = await world.member(slug)
    offerer_a = await world.member(slug)
    offerer_b = await world.member(slug)

    model = Model()
    ws = await WsClient.connect(world.server.url, await token_for(watcher))

    async def checkpoint(step: str) -> None:
        """Apply what was pushed up to the log's head, then compare with a fresh fetch."""
        target = await head(world, slug)
        while model.seq < target:
            model.apply(await ws.next("event"))
        assert model.seq == target, step
        await compare(model, watcher, slug)

    try:
        subscribed = await ws.subscribe(slug, after=0)
        assert subscribed["type"] == "subscribed", subscribed
        await checkpoint("replayed from the start")
        assert model.slug == slug

        practice = await world.practice(author, slug, title="Reading fluency", themes=["Reading"])
        request = await world.request(author, slug, title="Help with KS3 science")
        await checkpoint("posts created")

        ok(await author.patch(f"/posts/{practice['id']}", json={"title": "Reading fluency, year two"}))
        await checkpoint("post edited")

        ok(await watcher.post(f"/posts/{practice['id']}/replies", json={"body": "We tried this."}), 201)
        asked = ok(await offerer_a.post(f"/posts/{request['id']}/replies", json={"body": "Which year groups?"}), 201)
        await checkpoint("replies to a practice and a request")

        ok(await watcher.post(f"/posts/{practice['id']}/reactions", json={"kind": "useful"}))
        ok(await offerer_a.post(f"/posts/{practice['id']}/reactions", json={"kind": "tried_it"}))
        ok(await offerer_b.post(f"/posts/{request['id']}/reactions", json={"kind": "useful"}))
        await checkpoint("reactions")
        ok(await watcher.delete(f"/posts/{practice['id']}/reactions/useful"))
        await checkpoint("a reaction taken back")

        first = ok(await offerer_a.post(f"/posts/{request['id']}/offers", json={"message": "A visit."}), 201)
        second = ok(await offerer_b.post(f"/posts/{request['id']}/offers", json={"message": "A review."}), 201)
        await checkpoint("offers from two organisations")
        ok(await author.post(f"/offers/{first['id']}/decline"))
        await checkpoint("an offer declined")
        ok(await offerer_b.post(f"/offers/{second['id']}/withdraw"))
        await checkpoint("an offer withdrawn")
        third = ok(await offerer_a.post(f"/posts/{request['id']}/offers", json={"message": "Two visits."}), 201)
        ok(await author.post(f"/offers/{third['id']}/accept"))
        await checkpoint("an offer accepted")
        ok(await author.post(f"/posts/{request['id']}/close", json={"outcome": "Two visits; it helped."}))
        await checkpoint("the request closed")

        joiner = await world.member(slug)
        deputy = await world.member(slug)
        await checkpoint("members joined")
        ok(await lead.patch(f"/networks/{slug}/members/{deputy.id}", json={"role": "lead", "reason": "Help"}))
        until = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0).isoformat()
        change = {"state": "muted", "until": until, "reason": "Cool off"}
        ok(await lead.patch(f"/networks/{slug}/members/{joiner.id}", json=change))
        await checkpoint("a lead appointed and a member muted")
        ok(await joiner.post(f"/networks/{slug}/leave"), 204)
        ok(await lead.delete(f"/networks/{slug}/members/{deputy.id}", params={"reason": "Moved on"}), 204)
        await checkpoint("a member left and a lead was removed")

        body = "Our charter.\n\n1. Share honestly.\n2. No personal data.\n3. Be kind,\n   always.\n"
        ok(await lead.put(f"/networks/{slug}/charter", json={"body": body, "note": "Shorter"}))
        await checkpoint("the charter amended")
        assert model.charter is not None and model.charter["clauses"] == [
            "Share honestly.",
            "No personal data.",
            "Be kind, always.",
        ]

        # moderation: decisions on content and members, an appeal, settings and held content approved
        second_lead = await world.member(slug)
        ok(await lead.patch(f"/networks/{slug}/members/{second_lead.id}", json={"role": "lead"}))
        flagged = await offerer_b.post(f"/posts/{practice['id']}/flags", json={"reason": "charter", "clause": 3})
        ok(flagged, 201)
        hidden = ok(await decide(lead, slug, "post", practice["id"], "hide", clause=3), 201)
        filed = ok(await author.post("/appeals", json={"decision_id": hidden["id"], "statement": "Kind enough"}), 201)
        await checkpoint("a flagged post hidden and the decision appealed")
        ok(await second_lead.post(f"/appeals/{filed['id']}/decide", json={"outcome": "overturned", "reason": "Fine"}))
        await checkpoint("the appeal overturned: the post is back")

        ok(await decide(lead, slug, "post", practice["id"], "lock"), 201)
        ok(await decide(lead, slug, "post", practice["id"], "pin"), 201)
        ok(await decide(lead, slug, "reply", asked["id"], "hide"), 201)
        await checkpoint("a thread locked and pinned, a reply hidden")
        ok(await decide(lead, slug, "reply", asked["id"], "restore"), 201)
        ok(await decide(lead, slug, "reply", asked["id"], "edit", edit={"body": "Which year groups, please?"}), 201)
        ok(await decide(lead, slug, "reply", asked["id"], "remove"), 201)
        await checkpoint("a reply restored, edited and removed")

        ok(await lead.patch(f"/networks/{slug}/settings", json={"premod_posts": 1, "description": "Reading work"}))
        newcomer = await world.member(slug)
        held = await world.practice(newcomer, slug, title="Held until approved")
        assert held["state"] == "held"
        pupil = "Our pupil Jayden Smith (UPN B801200005001) now reads at home."
        held_reply = ok(await newcomer.post(f"/posts/{request['id']}/replies", json={"body": pupil}), 201)
        assert held_reply["state"] == "held"
        await checkpoint("settings changed; held content sends nothing")
        ok(await decide(lead, slug, "post", held["id"], "approve"), 201)
        ok(await decide(lead, slug, "reply", held_reply["id"], "approve"), 201)
        await checkpoint("held content approved")

        ok(await decide(lead, slug, "member", offerer_a.id, "mute"), 201)
        ok(await decide(lead, slug, "member", offerer_a.id, "lift"), 201)
        ok(await decide(lead, slug, "member", offerer_b.id, "suspend"), 201)
        ok(await author.patch(f"/posts/{request['id']}", json={"body": pupil}))
        ok(await decide(lead, slug, "post", held["id"], "remove"), 201)
        await checkpoint("sanctions, an edit that took a post back to the leads, a post removed")

        assert [m for m in await ws.quiet(0.3) if m["type"] == "event"] == []  # nothing beyond the head
    finally:
        await ws.close()

    assert model.seqs == list(range(1, model.seq + 1)), "seqs must be consecutive, without gaps or repeats"
    assert model.kinds >= EVERY_KIND, f"kinds never pushed: {sorted(EVERY_KIND - model.kinds)}"
