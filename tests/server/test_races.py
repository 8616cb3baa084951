"""Check-then-act races: conflicting requests fired at the same moment, on both databases.

Each round arranges a fresh target, then sends every request of the race at once, each on its own
connection (its own httpx client, signed in as the person acting), to the live server. What may
happen is what could happen one after another: usually exactly one succeeds and the others are
refused with 409 and a message a person understands; where both orders are legitimate (hide then
remove), the final state is the one the sequence leaves. In every round the rows, events,
notifications and log entries written are exactly those of the requests that succeeded, each
measured first on a target of its own.

A race that finds two winners (or an inconsistent end) fails with how many rounds went wrong.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from sqlalchemy import text

from tests.conftest import PASSWORD, ApiClient, World, unique

ROUNDS = 15  # per pair
FEWER = 8  # per triple, and per race whose outcome is settled by an index already
# SQLite's one writer runs the calls in turn, so no race happens there: a few rounds check the answers
SQLITE_ROUNDS = 3

COUNTED = (
    "offers",
    "events",
    "notifications",
    "decisions",
    "post_revisions",
    "flags",
    "queue_entries",
    "appeals",
    "memberships",
    "charter_versions",
    "reactions",
)

Call = Callable[[], Awaitable[httpx.Response]]
T = TypeVar("T")


async def rows(world: World) -> dict[str, int]:
    counts = ", ".join(f"(SELECT count(*) FROM {t})" for t in COUNTED)  # noqa: S608 - our own table names
    async with world.db() as session:
        found = (await session.execute(text(f"SELECT {counts}"))).one()
    return dict(zip(COUNTED, (int(n) for n in found), strict=True))


def change(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {t: after[t] - before[t] for t in COUNTED if after[t] != before[t]}


def plus(*changes: dict[str, int]) -> dict[str, int]:
    total: dict[str, int] = {}
    for c in changes:
        for t, n in c.items():
            total[t] = total.get(t, 0) + n
    return {t: n for t, n in total.items() if n}


async def at_once(calls: list[Call]) -> list[httpx.Response]:
    """Every request at the same moment, each on its own client's connection."""
    return list(await asyncio.gather(*(call() for call in calls)))


async def another_session(world: World, who: ApiClient) -> ApiClient:
    """The same person signed in a second time, on a connection of its own."""
    assert who.person is not None
    c = world.client()
    response = await c.post("/auth/login", json={"email": who.person["email"], "password": PASSWORD})
    assert response.status_code == 200, response.text
    c.person = response.json() | {"email": who.person["email"]}
    return c


def detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", ""))
    except ValueError:
        return response.text[:200]


def refusal_problem(response: httpx.Response, statuses: Collection[int], phrases: Collection[str]) -> str | None:
    """Why `response` is not a readable refusal with one of `statuses` saying one of `phrases`, or None."""
    said = detail(response)
    if response.status_code not in statuses:
        return f"{response.status_code} {said!r}"
    if not response.headers.get("content-type", "").startswith("application/problem+json"):
        return f"{response.status_code} without problem details"
    if not any(p.lower() in said.lower() for p in phrases):
        return f"{response.status_code} saying {said!r}"
    return None


@dataclass
class Tally:
    race: str
    rounds: int = 0
    doubles: int = 0  # rounds in which more succeeded than may
    faults: list[str] = field(default_factory=list)

    def fault(self, what: str) -> None:
        self.faults.append(f"round {self.rounds}: {what}")


def verdict(*tallies: Tally) -> None:
    for t in tallies:
        print(f"\n[race] {t.race}: {t.doubles} of {t.rounds} rounds with too many successes, {len(t.faults)} faults")
    bad = [t for t in tallies if t.faults]
    assert not bad, "\n".join(
        f"{t.race}: {t.doubles}/{t.rounds} rounds with too many successes; " + " | ".join(t.faults[:4]) for t in bad
    )


async def race(
    world: World,
    name: str,
    arrange: Callable[[], Awaitable[T]],
    fire: Callable[[T], list[Call]],
    says: Collection[str],
    *,
    rounds: int = ROUNDS,
    may_win: Collection[frozenset[int]] | None = None,
    settle: Callable[[T, list[httpx.Response]], Awaitable[str | None]] | None = None,
    loser_statuses: Collection[int] = (409,),
    writes: Callable[[list[dict[str, int]], frozenset[int]], dict[str, int]] | None = None,
) -> Tally:
    """`rounds` times: arrange a fresh target and fire every call at it at once.

    The calls that succeed must form one of `may_win` (by default: exactly one, any); the others must
    be refusals (`loser_statuses`) saying one of `says`; what was written must be what the winners
    write alone (each measured first on a target of its own), or what `writes` makes of those
    measures for the winners; and `settle` may check the final state."""
    if world.db.kw["bind"].dialect.name == "sqlite":
        rounds = min(rounds, SQLITE_ROUNDS)
    tally = Tally(name)
    calls = fire(await arrange())
    alone: list[dict[str, int]] = []
    for k in range(len(calls)):
        if k:
            calls = fire(await arrange())
        before = await rows(world)
        response = await calls[k]()
        assert response.status_code < 300, (name, k, response.text)
        alone.append(change(before, await rows(world)))
    allowed = set(may_win) if may_win is not None else {frozenset({k}) for k in range(len(calls))}
    for _ in range(rounds):
        tally.rounds += 1
        target = await arrange()
        before = await rows(world)
        responses = await at_once(fire(target))
        wrote = change(before, await rows(world))
        winners = frozenset(k for k, r in enumerate(responses) if r.status_code < 300)
        if winners not in allowed:
            if len(winners) > max(len(w) for w in allowed):
                tally.doubles += 1
            statuses = [r.status_code for r in responses]
            tally.fault(f"{statuses} {[detail(r)[:80] for r in responses if r.status_code >= 300]}")
            continue
        for k, r in enumerate(responses):
            if k not in winners and (why := refusal_problem(r, loser_statuses, says)):
                tally.fault(f"call {k} refused with {why}")
        expected = writes(alone, winners) if writes else plus(*(alone[k] for k in sorted(winners)))
        if wrote != expected:
            tally.fault(f"wrote {wrote}; the winners write {expected}")
        if settle is not None and (why := await settle(target, responses)):
            tally.fault(why)
    return tally


def only_one(alone: list[dict[str, int]], winners: frozenset[int]) -> dict[str, int]:
    """Both answer as a success, but the second changes nothing (reacting, approving are idempotent)."""
    return alone[min(winners)]


# --- offers and requests --------------------------------------------------------------------


@dataclass
class Market:
    slug: str
    lead: ApiClient
    requester: ApiClient
    colleague: ApiClient  # of the requesting organisation
    helper: ApiClient
    helper_again: ApiClient  # the helper, signed in a second time
    partner: ApiClient  # of the helper's organisation


async def market(world: World) -> Market:
    lead = await world.person()
    slug = await world.network(lead)
    asking, helping = unique("Asking Trust "), unique("Helping Trust ")
    requester, colleague = await world.member(slug, org=asking), await world.member(slug, org=asking)
    helper, partner = await world.member(slug, org=helping), await world.member(slug, org=helping)
    return Market(slug, lead, requester, colleague, helper, await another_session(world, helper), partner)


def offer_on(client: ApiClient, post_id: int, message: str = "We can visit in May.") -> Call:
    return lambda: client.post(f"/posts/{post_id}/offers", json={"message": message})


async def test_one_open_offer_per_organisation(world: World) -> None:
    m = await market(world)

    async def request() -> int:
        return int((await world.request(m.requester, m.slug))["id"])

    async def one_open(post_id: int, _: list[httpx.Response]) -> str | None:
        n = await world.count("offers", f"post_id = {post_id} AND status = 'open'")
        return None if n == 1 else f"{n} open offers from one organisation"

    says = ("already has an open offer",)
    verdict(
        await race(
            world,
            "offer: two people of one organisation",
            request,
            lambda p: [offer_on(m.helper, p), offer_on(m.partner, p)],
            says,
            settle=one_open,
        ),
        await race(
            world,
            "offer: the same person twice",
            request,
            lambda p: [offer_on(m.helper, p), offer_on(m.helper_again, p)],
            says,
            settle=one_open,
        ),
        await race(
            world,
            "offer: three at once from one organisation",
            request,
            lambda p: [offer_on(m.helper, p), offer_on(m.helper_again, p), offer_on(m.partner, p)],
            says,
            rounds=FEWER,
            settle=one_open,
        ),
    )


async def offer_status(world: World, offer_id: int) -> tuple[str, str]:
    async with world.db() as session:
        row = (
            await session.execute(
                text(
                    f"SELECT o.status, p.status FROM offers o JOIN posts p ON p.id = o.post_id WHERE o.id = {offer_id}"  # noqa: S608
                )
            )
        ).one()
    return str(row[0]), str(row[1])


async def test_an_offer_is_decided_once(world: World) -> None:
    m = await market(world)

    async def offer() -> int:
        post_id = (await world.request(m.requester, m.slug))["id"]
        response = await offer_on(m.helper, post_id)()
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def act(client: ApiClient, verb: str) -> Callable[[int], Call]:
        return lambda offer_id: lambda: client.post(f"/offers/{offer_id}/{verb}")

    ends = {  # the offer's status and the request's, after each
        "accept": ("accepted", "matched"),
        "decline": ("declined", "in_discussion"),
        "withdraw": ("withdrawn", "in_discussion"),
    }

    def consistent(verbs: list[str]) -> Callable[[int, list[httpx.Response]], Awaitable[str | None]]:
        async def check(offer_id: int, responses: list[httpx.Response]) -> str | None:
            [winner] = [verbs[k] for k, r in enumerate(responses) if r.status_code < 300]
            found = await offer_status(world, offer_id)
            if found != ends[winner]:
                return f"{winner} won but the offer is {found[0]} and the request {found[1]}"
            return None

        return check

    tallies = []
    for name, verbs, clients, rounds in (
        ("offer: accepted twice", ["accept", "accept"], [m.requester, m.colleague], ROUNDS),
        ("offer: accepted and declined", ["accept", "decline"], [m.requester, m.colleague], ROUNDS),
        ("offer: accepted and withdrawn", ["accept", "withdraw"], [m.requester, m.helper], ROUNDS),
        (
            "offer: accepted, declined and withdrawn",
            ["accept", "decline", "withdraw"],
            [m.requester, m.colleague, m.helper],
            FEWER,
        ),
    ):
        actions = [act(c, v) for c, v in zip(clients, verbs, strict=True)]
        tallies.append(
            await race(
                world,
                name,
                offer,
                lambda o, actions=actions: [a(o) for a in actions],
                ("already accepted", "already declined", "already withdrawn"),
                rounds=rounds,
                settle=consistent(verbs),
            )
        )
    verdict(*tallies)


async def test_a_request_is_closed_once(world: World) -> None:
    m = await market(world)

    async def request() -> int:
        return int((await world.request(m.requester, m.slug))["id"])

    def close(client: ApiClient, post_id: int) -> Call:
        return lambda: client.post(f"/posts/{post_id}/close", json={"outcome": "Found help elsewhere."})

    async def closed_if_offered(post_id: int, responses: list[httpx.Response]) -> str | None:
        offered, closed = (r.status_code < 300 for r in responses)
        status = (await m.requester.get(f"/posts/{post_id}")).json()["status"]
        if closed and status != "closed":
            return f"closed, yet the request is {status}"
        if offered and not closed and status != "in_discussion":
            return f"offered on, yet the request is {status}"
        return None

    verdict(
        await race(
            world,
            "request: closed twice",
            request,
            lambda p: [close(m.requester, p), close(m.colleague, p)],
            ("already closed",),
        ),
        await race(
            world,
            "request: an offer while it closes",
            request,
            lambda p: [offer_on(m.helper, p), close(m.requester, p)],
            ("closed",),
            rounds=FEWER,
            may_win=[frozenset({1}), frozenset({0, 1})],  # an offer then the close, or the close alone
            settle=closed_if_offered,
        ),
    )


# --- moderation -------------------------------------------------------------------------------


@dataclass
class Bench:
    slug: str
    leads: list[ApiClient]  # three leads; the first takes the decisions that are appealed
    author: ApiClient
    author_again: ApiClient
    reporter: ApiClient
    reporter_again: ApiClient
    other_reporter: ApiClient


async def bench(world: World) -> Bench:
    first = await world.person(name="Ada Lead")
    slug = await world.network(first)
    leads = [first]
    for name in ("Bo Lead", "Cy Lead"):
        lead = await world.member(slug, name=name)
        response = await first.patch(f"/networks/{slug}/members/{lead.id}", json={"role": "lead"})
        assert response.status_code == 200, response.text
        leads.append(lead)
    author, reporter, other = await world.member(slug), await world.member(slug), await world.member(slug)
    return Bench(
        slug,
        leads,
        author,
        await another_session(world, author),
        reporter,
        await another_session(world, reporter),
        other,
    )


def decision(lead: ApiClient, slug: str, action: str, post_id: int, **extra: Any) -> Call:
    body = {"target_type": "post", "target_id": post_id, "action": action, "reason": "As the charter says."} | extra
    return lambda: lead.post(f"/networks/{slug}/decisions", json=body)


def flag(client: ApiClient, post_id: int) -> Call:
    return lambda: client.post(f"/posts/{post_id}/flags", json={"reason": "spam"})


async def post_state(world: World, post_id: int) -> str:
    async with world.db() as session:
        return str((await session.execute(text(f"SELECT state FROM posts WHERE id = {post_id}"))).scalar_one())  # noqa: S608


async def test_an_appeal_is_decided_once(world: World) -> None:
    b = await bench(world)

    async def appeal() -> tuple[int, int]:
        post_id = (await world.practice(b.author, b.slug))["id"]
        hidden = await decision(b.leads[0], b.slug, "hide", post_id)()
        assert hidden.status_code == 201, hidden.text
        filed = await b.author.post("/appeals", json={"decision_id": hidden.json()["id"], "statement": "Look again."})
        assert filed.status_code == 201, filed.text
        return int(filed.json()["id"]), int(post_id)

    def rule(client: ApiClient, outcome: str) -> Callable[[tuple[int, int]], Call]:
        body = {"outcome": outcome, "reason": "Considered."}
        return lambda target: lambda: client.post(f"/appeals/{target[0]}/decide", json=body)

    def as_decided(outcomes: list[str]) -> Callable[[tuple[int, int], list[httpx.Response]], Awaitable[str | None]]:
        async def check(target: tuple[int, int], responses: list[httpx.Response]) -> str | None:
            [outcome] = [outcomes[k] for k, r in enumerate(responses) if r.status_code < 300]
            state = await post_state(world, target[1])
            if state != {"upheld": "hidden", "overturned": "visible"}[outcome]:
                return f"{outcome}, yet the post is {state}"
            return None

        return check

    admin = await world.admin()
    verdict(
        await race(
            world,
            "appeal: upheld and overturned by two leads",
            appeal,
            lambda t: [rule(b.leads[1], "upheld")(t), rule(b.leads[2], "overturned")(t)],
            ("decided already",),
            settle=as_decided(["upheld", "overturned"]),
        ),
        await race(
            world,
            "appeal: two leads and an admin",
            appeal,
            lambda t: [rule(b.leads[1], "overturned")(t), rule(b.leads[2], "upheld")(t), rule(admin, "overturned")(t)],
            ("decided already",),
            rounds=FEWER,
            settle=as_decided(["overturned", "upheld", "overturned"]),
        ),
    )


async def test_flags_are_dismissed_and_claimed_once(world: World) -> None:
    b = await bench(world)

    async def flagged() -> int:
        post_id = int((await world.practice(b.author, b.slug))["id"])
        response = await flag(b.reporter, post_id)()
        assert response.status_code == 201, response.text
        return post_id

    async def entry() -> int:
        post_id = await flagged()
        [found] = [e for e in (await b.leads[0].get(f"/networks/{b.slug}/queue")).json() if e["post_id"] == post_id]
        return int(found["id"])

    def claim(lead: ApiClient) -> Callable[[int], Call]:
        return lambda entry_id: lambda: lead.post(f"/networks/{b.slug}/queue/{entry_id}/claim")

    async def claimed_by_winner(entry_id: int, responses: list[httpx.Response]) -> str | None:
        [winner] = [r for r in responses if r.status_code < 300]
        async with world.db() as session:
            holder = (
                await session.execute(text(f"SELECT claimed_by_id FROM queue_entries WHERE id = {entry_id}"))  # noqa: S608
            ).scalar_one()
        said = winner.json()["claimed_by"]["id"]
        return None if holder == said else f"the winner was told {said} holds it; {holder} does"

    async def resolved_once(post_id: int, _: list[httpx.Response]) -> str | None:
        open_flags = await world.count("flags", f"post_id = {post_id} AND status = 'open'")
        open_entries = await world.count("queue_entries", f"post_id = {post_id} AND status = 'open'")
        return None if (open_flags, open_entries) == (0, 0) else f"{open_flags} flags and {open_entries} entries open"

    verdict(
        await race(
            world,
            "queue: dismissed by two leads",
            flagged,
            lambda p: [decision(b.leads[0], b.slug, "dismiss", p), decision(b.leads[1], b.slug, "dismiss", p)],
            ("no open flags",),
            settle=resolved_once,
        ),
        await race(
            world,
            "queue: claimed by two leads",
            entry,
            lambda e: [claim(b.leads[0])(e), claim(b.leads[1])(e)],
            ("already claimed",),
            settle=claimed_by_winner,
        ),
    )


async def test_hide_and_remove_end_removed(world: World) -> None:
    b = await bench(world)

    async def post() -> int:
        return int((await world.practice(b.author, b.slug))["id"])

    async def never_hidden_after_removal(post_id: int, responses: list[httpx.Response]) -> str | None:
        hid, removed = (r.status_code < 300 for r in responses)
        state = await post_state(world, post_id)
        if removed and state != "removed":
            return f"removed, yet the post ends {state}"
        async with world.db() as session:
            kinds = (
                await session.execute(
                    text("SELECT kind, payload FROM events WHERE kind IN ('post.created', 'post.updated')")
                )
            ).all()
            froms = (
                await session.execute(
                    text(f"SELECT action, details FROM decisions WHERE target_id = {post_id} AND target_type = 'post'")  # noqa: S608
                )
            ).all()
        for _, payload in kinds:
            data = payload if isinstance(payload, dict) else json.loads(payload)
            if removed and data.get("post", {}).get("id") == post_id:
                return "the removed post's events still carry it"
        if hid and removed:
            details = {str(a): d if isinstance(d, dict) else json.loads(d) for a, d in froms}
            if details["remove"].get("from_state") != "hidden":
                return f"removed after the hide, yet computed from {details['remove'].get('from_state')}"
        return None

    verdict(
        await race(
            world,
            "post: hidden and removed by two leads",
            post,
            lambda p: [decision(b.leads[0], b.slug, "hide", p), decision(b.leads[1], b.slug, "remove", p)],
            ("removed",),
            may_win=[frozenset({1}), frozenset({0, 1})],  # hide then remove, or remove alone
            settle=never_hidden_after_removal,
        )
    )


async def test_flags_and_appeals_are_filed_once(world: World) -> None:
    b = await bench(world)

    async def post() -> int:
        return int((await world.practice(b.author, b.slug))["id"])

    async def one_entry(post_id: int, _: list[httpx.Response]) -> str | None:
        entries = await world.count("queue_entries", f"post_id = {post_id} AND status = 'open'")
        return None if entries == 1 else f"{entries} open queue entries for one post"

    async def decided() -> int:
        post_id = await post()
        response = await decision(b.leads[0], b.slug, "hide", post_id)()
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def appeal(client: ApiClient) -> Callable[[int], Call]:
        return lambda d: lambda: client.post("/appeals", json={"decision_id": d, "statement": "Look again."})

    verdict(
        await race(
            world,
            "flag: the same person twice",
            post,
            lambda p: [flag(b.reporter, p), flag(b.reporter_again, p)],
            ("already flagged",),
            rounds=FEWER,
            settle=one_entry,
        ),
        await race(
            world,
            "flag: two people at once (both count, one queue entry)",
            post,
            lambda p: [flag(b.reporter, p), flag(b.other_reporter, p)],
            ("-",),
            rounds=FEWER,
            may_win=[frozenset({0, 1})],
            # the second flag joins the first's entry, and the leads hear the entry changed
            writes=lambda alone, _: plus(alone[0], {"flags": 1, "events": 1}),
            settle=one_entry,
        ),
        await race(
            world,
            "appeal: filed twice",
            decided,
            lambda d: [appeal(b.author)(d), appeal(b.author_again)(d)],
            ("already been appealed",),
            rounds=FEWER,
        ),
    )


# --- posts ------------------------------------------------------------------------------------


async def test_two_edits_at_once_are_both_kept(world: World) -> None:
    b = await bench(world)

    async def post() -> int:
        return int((await world.practice(b.author, b.slug))["id"])

    def edit(client: ApiClient, post_id: int, **fields: str) -> Call:
        return lambda: client.patch(f"/posts/{post_id}", json=fields)

    async def both_kept(post_id: int, _: list[httpx.Response]) -> str | None:
        now = (await b.author.get(f"/posts/{post_id}")).json()
        async with world.db() as session:
            kept = (
                await session.execute(text(f"SELECT revision FROM post_revisions WHERE post_id = {post_id} ORDER BY 1"))  # noqa: S608
            ).scalars()
            numbers = list(kept)
        if (now["title"], now["body"]) != ("Edited title", "Edited body"):
            return f"an edit was lost: {now['title']!r} / {now['body']!r}"
        return None if numbers == [1, 2] else f"revisions kept: {numbers}"

    verdict(
        await race(
            world,
            "post: two edits at once",
            post,
            lambda p: [edit(b.author, p, title="Edited title"), edit(b.author_again, p, body="Edited body")],
            ("-",),
            may_win=[frozenset({0, 1})],
            settle=both_kept,
        )
    )


async def test_reacting_twice_at_once_counts_once(world: World) -> None:
    b = await bench(world)

    async def post() -> int:
        return int((await world.practice(b.author, b.slug))["id"])

    def react(client: ApiClient, post_id: int) -> Call:
        return lambda: client.post(f"/posts/{post_id}/reactions", json={"kind": "useful"})

    async def one_reaction(post_id: int, responses: list[httpx.Response]) -> str | None:
        counts = [r.json()["useful"] for r in responses]
        return None if counts == [1, 1] else f"counts answered: {counts}"

    # both answer 200 (reacting is idempotent); only one reaction and one event are written
    tally = await race(
        world,
        "reaction: the same person twice",
        post,
        lambda p: [react(b.reporter, p), react(b.reporter_again, p)],
        ("-",),
        rounds=FEWER,
        may_win=[frozenset({0, 1})],
        writes=only_one,
        settle=one_reaction,
    )
    verdict(tally)


# --- members ----------------------------------------------------------------------------------


async def active_leads(world: World, slug: str) -> int:
    where = f"role = 'lead' AND state = 'active' AND network_id = (SELECT id FROM networks WHERE slug = '{slug}')"  # noqa: S608
    return await world.count("memberships", where)


async def test_a_network_keeps_a_lead_when_leads_act_at_once(world: World) -> None:
    first = await world.person(name="Ada Lead")
    slug = await world.network(first)
    second = await world.member(slug, name="Bo Lead")
    assert (await first.patch(f"/networks/{slug}/members/{second.id}", json={"role": "lead"})).status_code == 200
    leads = [first, second]
    tallies = []

    def demote(by: ApiClient, whom: ApiClient) -> Call:
        return lambda: by.patch(
            f"/networks/{slug}/members/{whom.id}", json={"role": "member", "reason": "Stepping down."}
        )

    def remove(by: ApiClient, whom: ApiClient) -> Call:
        return lambda: by.delete(f"/networks/{slug}/members/{whom.id}", params={"reason": "Stepping down."})

    def leave(who: ApiClient) -> Call:
        return lambda: who.post(f"/networks/{slug}/leave")

    async def restore() -> None:
        """Both lead again, whoever is left."""
        of_network = f"network_id = (SELECT id FROM networks WHERE slug = '{slug}')"  # noqa: S608
        async with world.db() as session:
            found = await session.execute(text(f"SELECT person_id, role FROM memberships WHERE {of_network}"))  # noqa: S608
            roles = {int(person): str(role) for person, role in found.all()}
        stays = next(c for c in leads if roles.get(c.id) == "lead")
        for c in leads:
            if roles.get(c.id) == "lead":
                continue
            if c.id not in roles:
                assert (await c.post(f"/networks/{slug}/join")).status_code == 200
            response = await stays.patch(f"/networks/{slug}/members/{c.id}", json={"role": "lead"})
            assert response.status_code == 200, response.text

    for name, fire, rounds in (
        ("members: two leads demote each other", lambda: [demote(first, second), demote(second, first)], ROUNDS),
        ("members: two leads remove each other", lambda: [remove(first, second), remove(second, first)], FEWER),
        ("members: the last two leads leave at once", lambda: [leave(first), leave(second)], FEWER),
    ):
        tally = Tally(name)
        for _ in range(rounds):
            tally.rounds += 1
            await restore()
            before = await rows(world)
            responses = await at_once(fire())
            wrote = change(before, await rows(world))
            winners = [r for r in responses if r.status_code < 300]
            if len(winners) != 1:
                tally.doubles += len(winners) > 1
                tally.fault(f"{[r.status_code for r in responses]} {[detail(r)[:80] for r in responses]}")
            for r in responses:
                # on SQLite (one writer) the second request starts after the first committed: its sender
                # is no longer a lead, and is told so
                refused = refusal_problem(r, (409, 403), ("at least one lead", "last lead", "only a lead"))
                if r.status_code >= 300 and refused:
                    tally.fault(f"refused with {refused}")
            if (n := await active_leads(world, slug)) != 1:
                tally.fault(f"{n} active leads left")
            if len(winners) == 1 and wrote.get("decisions", 0) > 1:
                tally.fault(f"wrote {wrote}")
        tallies.append(tally)
    verdict(*tallies)


async def test_joins_are_decided_once(world: World) -> None:
    first = await world.person(name="Ada Lead")
    slug = await world.network(first, join_policy="request")
    deputy = await world.person(name="Bo Lead")
    assert (await deputy.post(f"/networks/{slug}/join", json={"answers": []})).status_code == 200
    for body in ({"state": "active"}, {"role": "lead"}):
        assert (await first.patch(f"/networks/{slug}/members/{deputy.id}", json=body)).status_code == 200
    invite_slug = await world.network(first, join_policy="invite")

    async def asking() -> ApiClient:
        joiner = await world.person()
        assert (await joiner.post(f"/networks/{slug}/join", json={"answers": []})).status_code == 200
        return joiner

    def approve(lead: ApiClient) -> Callable[[ApiClient], Call]:
        return lambda j: lambda: lead.patch(f"/networks/{slug}/members/{j.id}", json={"state": "active"})

    def decline(lead: ApiClient) -> Callable[[ApiClient], Call]:
        return lambda j: lambda: lead.delete(f"/networks/{slug}/members/{j.id}", params={"reason": "Not a trust."})

    async def invited() -> tuple[ApiClient, ApiClient, str]:
        guest = await world.person()
        made = await first.post(f"/networks/{invite_slug}/invitations", json={"email": guest.person["email"]})  # type: ignore[index]
        assert made.status_code == 201, made.text
        return guest, await another_session(world, guest), str(made.json()["token"])

    def join(client: ApiClient, token: str) -> Call:
        return lambda: client.post(f"/networks/{invite_slug}/join", json={"invitation": token})

    tallies = [
        await race(
            world,
            "members: a join approved by two leads (both answer, one approval is written)",
            asking,
            lambda j: [approve(first)(j), approve(deputy)(j)],
            ("-",),
            rounds=FEWER,
            may_win=[frozenset({0, 1})],
            writes=only_one,
        ),
        await race(
            world,
            "members: a join declined by two leads",
            asking,
            lambda j: [decline(first)(j), decline(deputy)(j)],
            ("not a member",),
            rounds=FEWER,
            loser_statuses=(404,),
        ),
        await race(
            world,
            "members: one invitation taken twice",
            invited,
            lambda g: [join(g[0], g[2]), join(g[1], g[2])],
            ("already a member",),
            rounds=FEWER,
        ),
    ]
    verdict(*tallies)


async def test_the_charter_is_amended_once(world: World) -> None:
    first = await world.person(name="Ada Lead")
    slug = await world.network(first)
    deputy = await world.member(slug, name="Bo Lead")
    assert (await first.patch(f"/networks/{slug}/members/{deputy.id}", json={"role": "lead"})).status_code == 200

    async def text_() -> str:
        return f"1. Share honestly ({unique('v')}).\n2. Be kind.\n"

    def amend(lead: ApiClient, body: str) -> Call:
        return lambda: lead.put(f"/networks/{slug}/charter", json={"body": body, "note": "Clearer."})

    async def numbered(_: str, __: list[httpx.Response]) -> str | None:
        async with world.db() as session:
            versions = list((await session.execute(text("SELECT version FROM charter_versions ORDER BY 1"))).scalars())
        return None if versions == list(range(1, len(versions) + 1)) else f"versions {versions}"

    verdict(
        await race(
            world,
            "charter: the same new text from two leads",
            text_,
            lambda body: [amend(first, body), amend(deputy, body)],
            ("as it stands",),
            rounds=FEWER,
            settle=numbered,
        ),
        await race(
            world,
            "charter: two new texts from two leads (both kept, in turn)",
            text_,
            lambda body: [amend(first, body), amend(deputy, body.replace("kind", "courteous"))],
            ("-",),
            rounds=FEWER,
            may_win=[frozenset({0, 1})],
            settle=numbered,
        ),
    )
