"""Flags and the review queue over HTTP: who may flag what and why, one entry per item with all its
flags, the queue's order, claims and notes, and who hears of a new entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.conftest import ApiClient, World, problem


async def flag(
    client: ApiClient, target_id: int, reason: str = "spam", *, reply: bool = False, **extra: Any
) -> httpx.Response:
    path = f"/replies/{target_id}/flags" if reply else f"/posts/{target_id}/flags"
    return await client.post(path, json={"reason": reason} | extra)


def flagged(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return dict(response.json())


async def queue(lead: ApiClient, slug: str, **params: Any) -> list[dict[str, Any]]:
    response = await lead.get(f"/networks/{slug}/queue", params=params)
    assert response.status_code == 200, response.text
    return list(response.json())


async def notes_of(client: ApiClient, kind: str) -> list[dict[str, Any]]:
    items = (await client.get("/notifications", params={"limit": 100})).json()["items"]
    return [n for n in items if n["kind"] == kind]


async def written(world: World) -> tuple[int, ...]:
    return tuple([await world.count(t) for t in ("flags", "queue_entries", "notifications", "events", "decisions")])


@dataclass
class Scene:
    slug: str
    lead: ApiClient
    author: ApiClient
    reporter: ApiClient
    posts: list[int]


async def scene(world: World, posts: int = 1, title: str = "Practice") -> Scene:
    """A network with its lead, an author who shared `posts` practices ("<title> 0", …) and a reporter."""
    lead = await world.person()
    slug = await world.network(lead)
    author, reporter = await world.member(slug), await world.member(slug)
    ids = [(await world.practice(author, slug, title=f"{title} {n}"))["id"] for n in range(posts)]
    return Scene(slug, lead, author, reporter, ids)


async def decide(lead: ApiClient, slug: str, target_type: str, target_id: int, action: str) -> dict[str, Any]:
    body = {"target_type": target_type, "target_id": target_id, "action": action, "reason": "Looked at it"}
    response = await lead.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


# --- flagging -----------------------------------------------------------------------------


async def test_each_reason_is_taken_and_reaches_the_queue(world: World) -> None:
    s = await scene(world, posts=6)
    reasons: list[tuple[str, dict[str, Any]]] = [
        ("personal_data", {"note": "Names a pupil"}),
        ("charter", {"clause": 2, "note": "Pupil data"}),
        ("inappropriate", {}),
        ("spam", {}),
        ("off_topic", {}),
        ("other", {"note": "Looks copied from elsewhere"}),
    ]
    for post_id, (reason, extra) in zip(s.posts, reasons, strict=True):
        view = flagged(await flag(s.reporter, post_id, reason, **extra))
        assert view["reason"] == reason
        assert view["target_type"] == "post" and view["target_id"] == post_id and view["post_id"] == post_id
        assert view["clause"] == extra.get("clause")
        assert view["note"] == extra.get("note", "")
        assert view["status"] == "open"
        assert view["reporter"]["id"] == s.reporter.id
    entries = await queue(s.lead, s.slug)
    assert sorted(e["target_id"] for e in entries) == sorted(s.posts)
    assert {e["flags"][0]["reason"] for e in entries} == {r for r, _ in reasons}
    assert await world.count("flags") == 6


async def test_a_flag_needs_what_its_reason_needs(world: World) -> None:
    s = await scene(world)
    [post_id] = s.posts
    before = await written(world)
    problem(await flag(s.reporter, post_id, "charter"), 422, "which clause")
    body = problem(await flag(s.reporter, post_id, "charter", clause=99), 422, "no clause 99", "it has 6")
    assert "clause" in body["errors"]
    problem(await flag(s.reporter, post_id, "other"), 422, "say what is wrong")
    problem(await flag(s.reporter, post_id, "other", note="   "), 422, "say what is wrong")
    problem(await flag(s.reporter, post_id, "watched_word"), 422, "filters")
    assert (await flag(s.reporter, post_id, "rude")).status_code == 400  # not a reason at all
    assert (await flag(s.reporter, post_id, "spam", clause=0)).status_code == 400
    assert await written(world) == before
    flagged(await flag(s.reporter, post_id, "charter", clause=6))


async def test_one_open_flag_per_person_per_item(world: World) -> None:
    s = await scene(world)
    [post_id] = s.posts
    flagged(await flag(s.reporter, post_id, "spam"))
    before = await written(world)
    problem(await flag(s.reporter, post_id, "spam"), 409, "already flagged")
    problem(await flag(s.reporter, post_id, "inappropriate"), 409, "already flagged")
    assert await written(world) == before
    # once the leads have decided, the same person may raise it again
    await decide(s.lead, s.slug, "post", post_id, "dismiss")
    again = flagged(await flag(s.reporter, post_id, "inappropriate"))
    [entry] = await queue(s.lead, s.slug)
    assert [f["id"] for f in entry["flags"]] == [again["id"]]


async def admitted(world: World, lead: ApiClient, slug: str) -> ApiClient:
    """A person who asked to join a request-policy network and was let in."""
    person = await world.person()
    assert (await person.post(f"/networks/{slug}/join")).json()["state"] == "pending"
    assert (await lead.patch(f"/networks/{slug}/members/{person.id}", json={"state": "active"})).status_code == 200
    return person


async def test_who_may_flag(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, join_policy="request")
    author, other = await admitted(world, lead, slug), await admitted(world, lead, slug)
    post_id = (await world.practice(author, slug, title="Flag me"))["id"]
    reply = await author.post(f"/posts/{post_id}/replies", json={"body": "And a reply"})
    reply_id = reply.json()["id"]
    observer = await world.observer(lead, slug)
    pending = await world.person()
    assert (await pending.post(f"/networks/{slug}/join")).json()["state"] == "pending"
    outsider = await world.person()
    sanctioned = {}
    for action in ("mute", "suspend", "ban"):
        person = await admitted(world, lead, slug)
        await decide(lead, slug, "member", person.id, action)
        sanctioned[action] = person

    before = await written(world)
    body = problem(await flag(observer, post_id), 403, "observers do not flag")
    problem(await flag(observer, reply_id, reply=True), 403, "observers do not flag")
    for refused in (pending, outsider):
        problem(await flag(refused, post_id), 403, "only members and leads")
        problem(await flag(refused, reply_id, reply=True), 403, "only members and leads")
    # docs/design.md §4.1: the suspended and banned read nothing of a network, public or not
    for gone in (sanctioned["suspend"], sanctioned["ban"]):
        problem(await flag(gone, post_id), 404)
        problem(await flag(gone, reply_id, reply=True), 404)
    problem(await flag(author, post_id), 403, "your own")
    problem(await flag(author, reply_id, reply=True), 403, "your own")
    assert (await flag(world.client(), post_id)).status_code == 401
    problem(await flag(other, 999_999), 404)
    problem(await flag(other, 999_999, reply=True), 404)
    assert await written(world) == before
    assert "observers" in body["detail"].lower()

    flagged(await flag(sanctioned["mute"], post_id, "inappropriate"))  # muted members still flag (docs/design.md §4.1)
    flagged(await flag(other, reply_id, "spam", reply=True))
    flagged(await flag(lead, post_id, "off_topic"))


async def test_members_only_networks_are_not_confirmed_to_outsiders(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members")
    author = await world.member(slug)
    suspended = await world.member(slug)
    post_id = (await world.practice(author, slug))["id"]
    await decide(lead, slug, "member", suspended.id, "suspend")
    outsider = await world.person()
    before = await written(world)
    problem(await flag(outsider, post_id), 404)
    problem(await flag(suspended, post_id), 404)
    assert await written(world) == before


async def test_content_that_is_not_shown_cannot_be_flagged(world: World) -> None:
    s = await scene(world)
    [post_id] = s.posts
    await decide(s.lead, s.slug, "post", post_id, "hide")
    before = await written(world)
    problem(await flag(s.reporter, post_id), 404)  # members no longer see it
    problem(await flag(s.lead, post_id), 409, "not shown")  # a lead sees it, but there is nothing to flag
    assert await written(world) == before


async def test_a_reply_is_flagged_and_queued_on_its_own(world: World) -> None:
    s = await scene(world)
    [post_id] = s.posts
    reply = await s.author.post(f"/posts/{post_id}/replies", json={"body": "Ignore them, **buy** my course"})
    reply_id = reply.json()["id"]
    view = flagged(await flag(s.reporter, reply_id, "spam", reply=True))
    assert (view["target_type"], view["target_id"], view["post_id"]) == ("reply", reply_id, post_id)
    [entry] = await queue(s.lead, s.slug)
    assert (entry["target_type"], entry["target_id"], entry["post_id"]) == ("reply", reply_id, post_id)
    assert entry["content"]["title"] is None
    assert entry["content"]["body"] == "Ignore them, **buy** my course"
    assert "<strong>buy</strong>" in entry["content"]["body_html"]
    assert entry["content"]["state"] == "visible"
    assert entry["author"]["id"] == s.author.id
    assert entry["history"]["replies"] == 1 and entry["history"]["posts"] == 1
    assert entry["history"]["role"] == "member" and entry["history"]["state"] == "active"


# --- the queue ----------------------------------------------------------------------------


async def test_several_flags_on_one_item_make_one_entry(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    reporters = [await world.member(slug) for _ in range(3)]
    post_id = (await world.practice(author, slug))["id"]
    flagged(await flag(reporters[0], post_id, "off_topic"))
    flagged(await flag(reporters[1], post_id, "charter", clause=4))
    [entry] = await queue(lead, slug)
    assert entry["severity"] == 1 and entry["severity_label"] == "Charter or conduct"
    flagged(await flag(reporters[2], post_id, "personal_data", note="A pupil's name"))
    [entry] = await queue(lead, slug)
    assert [f["reason"] for f in entry["flags"]] == ["off_topic", "charter", "personal_data"]
    assert [f["reporter"]["id"] for f in entry["flags"]] == [r.id for r in reporters]
    assert entry["severity"] == 0 and entry["severity_label"] == "Personal data"
    assert entry["held"] is False and entry["status"] == "open"
    assert await world.count("queue_entries") == 1
    # the leads heard of the entry once, not once per flag
    assert len(await notes_of(lead, "queue.added")) == 1


async def test_the_queue_puts_the_most_severe_first_then_the_oldest(world: World) -> None:
    s = await scene(world, posts=5, title="Item")
    by_title = {f"Item {n}": post_id for n, post_id in enumerate(s.posts)}
    flags: list[tuple[str, str, dict[str, Any]]] = [
        ("Item 0", "off_topic", {}),
        ("Item 1", "spam", {}),
        ("Item 2", "charter", {"clause": 1}),
        ("Item 3", "personal_data", {}),
        ("Item 4", "off_topic", {}),
    ]
    for title, reason, extra in flags:
        flagged(await flag(s.reporter, by_title[title], reason, **extra))
    order = [e["target_id"] for e in await queue(s.lead, s.slug)]
    assert order == [by_title[t] for t in ("Item 3", "Item 2", "Item 1", "Item 0", "Item 4")]
    assert [e["severity"] for e in await queue(s.lead, s.slug)] == [0, 1, 2, 3, 3]


async def test_decided_entries_leave_the_queue_and_are_listed_as_resolved(world: World) -> None:
    s = await scene(world, posts=2)
    first, second = s.posts
    flagged(await flag(s.reporter, first))
    flagged(await flag(s.reporter, second))
    decision = await decide(s.lead, s.slug, "post", first, "hide")
    assert [e["target_id"] for e in await queue(s.lead, s.slug)] == [second]
    [resolved] = await queue(s.lead, s.slug, resolved="true")
    assert resolved["target_id"] == first and resolved["status"] == "resolved"
    assert resolved["content"]["state"] == "hidden"
    assert resolved["flags"] == []  # its flags were settled by the decision
    assert await world.count("flags", f"status = 'upheld' AND decision_id = {decision['id']}") == 1


async def test_claims_and_notes(world: World) -> None:
    lead = await world.person(name="Ada Lead")
    slug = await world.network(lead)
    deputy = await world.member(slug, name="Bo Deputy")
    assert (await lead.patch(f"/networks/{slug}/members/{deputy.id}", json={"role": "lead"})).status_code == 200
    reporter, author = await world.member(slug), await world.member(slug)
    post_id = (await world.practice(author, slug))["id"]
    flagged(await flag(reporter, post_id))
    [entry] = await queue(lead, slug)
    base = f"/networks/{slug}/queue/{entry['id']}"

    claimed = await lead.post(f"{base}/claim")
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["claimed_by"]["id"] == lead.id and claimed.json()["claimed_at"]
    assert (await lead.post(f"{base}/claim")).status_code == 200  # claiming your own claim again is harmless
    problem(await deputy.post(f"{base}/claim"), 409, "Ada Lead", "already claimed")
    problem(await deputy.delete(f"{base}/claim"), 409, "only they can release")
    assert (await queue(deputy, slug))[0]["claimed_by"]["id"] == lead.id

    released = await lead.delete(f"{base}/claim")
    assert released.status_code == 200, released.text
    assert released.json()["claimed_by"] is None and released.json()["claimed_at"] is None
    assert (await deputy.post(f"{base}/claim")).json()["claimed_by"]["id"] == deputy.id

    note = await lead.post(f"{base}/notes", json={"body": "  Second report this week from them.  "})
    assert note.status_code == 201, note.text
    assert note.json()["body"] == "Second report this week from them."
    assert note.json()["author"]["id"] == lead.id
    problem(await deputy.post(f"{base}/notes", json={"body": "   "}), 422, "blank")
    assert (await deputy.post(f"{base}/notes", json={"body": ""})).status_code == 400
    [entry] = await queue(deputy, slug)
    assert [n["body"] for n in entry["notes"]] == ["Second report this week from them."]

    before = await world.count("queue_notes")
    problem(await reporter.post(f"{base}/claim"), 403, "lead")
    problem(await reporter.post(f"{base}/notes", json={"body": "Me too"}), 403, "lead")
    problem(await lead.post(f"/networks/{slug}/queue/999999/claim"), 404)
    other_slug = await world.network(lead)
    problem(await lead.post(f"/networks/{other_slug}/queue/{entry['id']}/claim"), 404)  # not that network's entry
    assert await world.count("queue_notes") == before

    await decide(deputy, slug, "post", post_id, "dismiss")
    problem(await lead.post(f"{base}/claim"), 409, "decided already")


async def test_leads_hear_of_new_entries_and_members_do_not(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    deputy = await world.member(slug)
    assert (await lead.patch(f"/networks/{slug}/members/{deputy.id}", json={"role": "lead"})).status_code == 200
    author, reporter, bystander = await world.member(slug), await world.member(slug), await world.member(slug)
    post = await world.practice(author, slug, title="Our tutoring model")
    flagged(await flag(reporter, post["id"], "spam"))
    [entry] = await queue(lead, slug)
    for each in (lead, deputy):
        [note] = await notes_of(each, "queue.added")
        assert note["data"] | {"severity": "Held or spam"} == note["data"]
        assert note["data"]["network"] == slug
        assert note["data"]["entry_id"] == entry["id"]
        assert (note["data"]["target_type"], note["data"]["target_id"]) == ("post", post["id"])
        assert note["data"]["post_id"] == post["id"] and note["data"]["title"] == "Our tutoring model"
        assert note["data"]["held"] is False
    for each in (author, reporter, bystander):
        assert await notes_of(each, "queue.added") == []


async def test_the_queue_is_for_leads(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, visibility="members")
    member = await world.member(slug)
    observer = await world.observer(lead, slug)
    outsider = await world.person()
    problem(await member.get(f"/networks/{slug}/queue"), 403, "lead")
    problem(await observer.get(f"/networks/{slug}/queue"), 403, "lead")
    problem(await outsider.get(f"/networks/{slug}/queue"), 404)
    assert (await world.client().get(f"/networks/{slug}/queue")).status_code == 401
    problem(await member.get(f"/networks/{slug}/join-requests"), 403, "lead")
    problem(await outsider.get(f"/networks/{slug}/join-requests"), 404)
    assert await queue(lead, slug) == []
    admin = await world.admin()
    assert await queue(admin, slug) == []  # a platform admin may moderate anywhere


async def test_the_authors_history_counts_each_upheld_flag_once(world: World) -> None:
    s = await scene(world)
    [post_id] = s.posts
    second = await world.member(s.slug)
    flagged(await flag(s.reporter, post_id))
    await decide(s.lead, s.slug, "post", post_id, "hide")
    await decide(s.lead, s.slug, "post", post_id, "restore")
    flagged(await flag(second, post_id))  # the same item, queued a second time
    [entry] = await queue(s.lead, s.slug)
    assert entry["history"]["upheld_flags"] == 1
    assert entry["history"]["decisions"] == 2
    assert [f["reporter"]["id"] for f in entry["flags"]] == [second.id]
