"""Network settings and what they do to members' words over HTTP: pre-moderation of new members' posts,
slow mode, watched words (block, hold, flag) and their patterns, pupil-data screening, join questions
and invitations. Each refusal says why and writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from tests.conftest import ApiClient, World, event_kinds, problem
from tests.network.moderation.test_personal_data import FOUND, PASSES


async def setup(world: World, **network: Any) -> tuple[str, ApiClient, ApiClient]:
    lead = await world.person(name="Ada Lead")
    slug = await world.network(lead, **network)
    return slug, lead, await world.member(slug)


async def settle(lead: ApiClient, slug: str, **changes: Any) -> dict[str, Any]:
    response = await lead.patch(f"/networks/{slug}/settings", json=changes)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def share(client: ApiClient, slug: str, body: str = "We did this.", title: str = "A practice") -> httpx.Response:
    return await client.post(f"/networks/{slug}/posts", json={"kind": "practice", "title": title, "body": body})


def state_of(response: httpx.Response) -> str:
    assert response.status_code == 201, response.text
    return str(response.json()["state"])


async def watch(lead: ApiClient, slug: str, pattern: str, action: str, **extra: Any) -> httpx.Response:
    return await lead.post(f"/networks/{slug}/watched-words", json={"pattern": pattern, "action": action} | extra)


async def queue(lead: ApiClient, slug: str) -> list[dict[str, Any]]:
    response = await lead.get(f"/networks/{slug}/queue")
    assert response.status_code == 200, response.text
    return list(response.json())


async def approve(lead: ApiClient, slug: str, post_id: int) -> None:
    body = {"target_type": "post", "target_id": post_id, "action": "approve", "reason": "Fine to share"}
    response = await lead.post(f"/networks/{slug}/decisions", json=body)
    assert response.status_code == 201, response.text


async def written(world: World) -> tuple[int, ...]:
    tables = ("posts", "replies", "events", "queue_entries", "flags", "decisions", "watched_words", "memberships")
    return tuple([await world.count(t) for t in tables])


# --- settings -----------------------------------------------------------------------------


async def test_settings_are_for_leads_and_every_change_is_logged(world: World) -> None:
    slug, lead, member = await setup(world, visibility="members")
    outsider = await world.person()
    shown = await lead.get(f"/networks/{slug}/settings")
    assert shown.status_code == 200, shown.text
    assert shown.json() == {
        "premod_posts": 0,
        "slow_mode_seconds": 0,
        "guard_personal_data": True,
        "name_leads_in_log": True,
        "join_questions": [],
        "description": "",
        "visibility": "members",
        "join_policy": "open",
        "engagement_follow_up_weeks": 12,
        "adoption_follow_up_weeks": 8,
    }
    before = await written(world)
    problem(await member.get(f"/networks/{slug}/settings"), 403, "lead")
    problem(await member.patch(f"/networks/{slug}/settings", json={"premod_posts": 1}), 403, "lead")
    problem(await outsider.get(f"/networks/{slug}/settings"), 404)
    problem(await outsider.patch(f"/networks/{slug}/settings", json={"premod_posts": 1}), 404)
    problem(await lead.patch(f"/networks/{slug}/settings", json={}), 409, "nothing changed")
    problem(await lead.patch(f"/networks/{slug}/settings", json={"premod_posts": 0}), 409, "nothing changed")
    problem(await lead.patch(f"/networks/{slug}/settings", json={"join_questions": ["  "]}), 409, "nothing changed")
    for bad in ({"premod_posts": 51}, {"slow_mode_seconds": -1}, {"join_questions": ["Q"] * 6}, {"colour": "red"}):
        assert (await lead.patch(f"/networks/{slug}/settings", json=bad)).status_code == 400, bad
    assert await written(world) == before

    seen = len(await event_kinds(world))
    changed = await settle(lead, slug, premod_posts=2, slow_mode_seconds=30, reason="A wave of spam")
    assert (changed["premod_posts"], changed["slow_mode_seconds"]) == (2, 30)
    assert (await event_kinds(world))[seen:] == ["decision.logged", "network.updated"]
    [entry] = [e for e in (await member.get(f"/networks/{slug}/log")).json()["items"] if e["action"] == "settings"]
    assert entry["label"] == "changed new members' posts approved first, slow mode (seconds)"
    assert entry["reason"] == "A wave of spam" and entry["target_type"] == "network"
    assert (await lead.get(f"/networks/{slug}/settings")).json()["premod_posts"] == 2


async def test_join_questions_are_answered_and_leads_read_the_answers(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, join_policy="request")
    questions = ["Which trust are you from?", "What do you hope to share?"]
    await settle(lead, slug, join_questions=[f"  {q} " for q in questions])
    assert (await lead.get(f"/networks/{slug}/settings")).json()["join_questions"] == questions
    asking = await world.person()

    before = await written(world)
    body = problem(await asking.post(f"/networks/{slug}/join"), 422, "answer each", *questions)
    assert set(body["errors"]) == {"answers.0", "answers.1"}
    body = problem(await asking.post(f"/networks/{slug}/join", json={"answers": ["Oak Trust", " "]}), 422)
    assert questions[1] in body["detail"] and questions[0] not in body["detail"]
    problem(await asking.post(f"/networks/{slug}/join", json={"answers": ["a", "b", "c"]}), 422, "more answers")
    assert await written(world) == before

    answers = ["Oak Trust", "Our attendance work"]
    joined = await asking.post(f"/networks/{slug}/join", json={"answers": answers})
    assert joined.status_code == 200, joined.text
    assert joined.json()["state"] == "pending"
    [request] = (await lead.get(f"/networks/{slug}/join-requests")).json()
    assert request["person"]["id"] == asking.id and request["join_answers"] == answers
    assert request["state"] == "pending"
    listed = {m["person"]["id"]: m for m in (await lead.get(f"/networks/{slug}/members")).json()}
    assert listed[asking.id]["join_answers"] == answers

    # an open network's members join at once, without answering
    await settle(lead, slug, join_policy="open")
    assert (await (await world.person()).post(f"/networks/{slug}/join")).json()["state"] == "active"


async def test_an_invitation_works_once_and_expires(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, join_policy="invite")
    invited = await world.person()
    assert invited.person is not None
    email = invited.person["email"]
    made = await lead.post(f"/networks/{slug}/invitations", json={"email": email.upper()})
    assert made.status_code == 201, made.text
    token = made.json()["token"]
    assert made.json()["email"] == email
    entry = (await lead.get(f"/networks/{slug}/log")).json()["items"][0]
    assert entry["action"] == "invite" and "valid until" in entry["label"]
    assert email not in (await lead.get(f"/networks/{slug}/log")).text

    stranger = await world.person()
    problem(await stranger.post(f"/networks/{slug}/join", json={"invitation": token}), 403, "invitation")
    problem(await invited.post(f"/networks/{slug}/join"), 403, "invitation")
    problem(await invited.post(f"/networks/{slug}/join", json={"invitation": "not-a-token"}), 403, "invitation")
    joined = await invited.post(f"/networks/{slug}/join", json={"invitation": token})
    assert joined.status_code == 200, joined.text
    assert joined.json()["state"] == "active"
    assert (await invited.post(f"/networks/{slug}/leave")).status_code == 204
    problem(await invited.post(f"/networks/{slug}/join", json={"invitation": token}), 403, "invitation")

    later = await world.person()
    assert later.person is not None
    second = (await lead.post(f"/networks/{slug}/invitations", json={"email": later.person["email"]})).json()
    async with world.db() as session:
        await session.execute(
            text("UPDATE invitations SET expires_at = :at WHERE id = :id"),
            {"at": datetime.now(UTC) - timedelta(minutes=1), "id": second["id"]},
        )
        await session.commit()
    problem(await later.post(f"/networks/{slug}/join", json={"invitation": second["token"]}), 403, "invitation")
    problem(await stranger.post(f"/networks/{slug}/invitations", json={"email": "x@example.org"}), 403, "lead")


# --- pre-moderation and slow mode ---------------------------------------------------------


async def test_a_new_members_first_posts_wait_for_a_lead(world: World) -> None:
    slug, lead, regular = await setup(world)
    await settle(lead, slug, premod_posts=2)
    newcomer, reader = await world.member(slug), await world.member(slug)

    seen = len(await event_kinds(world))
    first, second = await share(newcomer, slug, title="First"), await share(newcomer, slug, title="Second")
    assert state_of(first) == "held" and state_of(second) == "held"
    assert "post.created" not in (await event_kinds(world))[seen:]
    assert (await newcomer.get(f"/posts/{first.json()['id']}")).json()["state"] == "held"
    problem(await reader.get(f"/posts/{first.json()['id']}"), 404)
    assert (await reader.get(f"/networks/{slug}/posts")).json()["items"] == []
    assert state_of(await share(lead, slug, title="A lead's post")) == "visible"

    entries = await queue(lead, slug)
    assert [e["target_id"] for e in entries] == [first.json()["id"], second.json()["id"]]
    assert all(e["held"] and e["severity"] == 2 for e in entries)
    assert "first 2 posts" in entries[0]["hold_reason"]
    added = [n for n in (await lead.get("/notifications")).json()["items"] if n["kind"] == "queue.added"]
    assert len(added) == 2 and all(n["data"]["held"] for n in added)

    assert state_of(await share(newcomer, slug, title="Third, too soon")) == "held"  # nothing approved yet
    await approve(lead, slug, first.json()["id"])
    await approve(lead, slug, second.json()["id"])
    assert state_of(await share(newcomer, slug, title="Fourth")) == "visible"
    assert (await reader.get(f"/posts/{first.json()['id']}")).json()["state"] == "visible"
    # replies are not pre-moderated, and members who were there before the setting are not new
    reply = await newcomer.post(f"/posts/{first.json()['id']}/replies", json={"body": "Thanks all"})
    assert state_of(reply) == "visible"
    assert state_of(await share(regular, slug)) == "held"  # the setting counts published posts, not join dates


async def test_slow_mode(world: World) -> None:
    slug, lead, member = await setup(world)
    other = await world.member(slug)
    await settle(lead, slug, slow_mode_seconds=600)
    post = await share(member, slug)
    assert state_of(post) == "visible"
    before = await written(world)
    body = problem(await share(member, slug), 429, "slow mode", "600 seconds", "try again in")
    assert "your text is kept" in body["detail"]
    problem(await member.post(f"/posts/{post.json()['id']}/replies", json={"body": "More"}), 429, "slow mode")
    assert await written(world) == before
    fixed = await member.patch(f"/posts/{post.json()['id']}", json={"body": "Typo fixed."})
    assert fixed.status_code == 200, fixed.text  # editing your own words again is not a new post
    assert state_of(await share(other, slug)) == "visible"  # each member has their own pace
    assert state_of(await share(lead, slug)) == "visible"
    assert state_of(await share(lead, slug)) == "visible"  # leads are not slowed
    await settle(lead, slug, slow_mode_seconds=0)
    assert state_of(await share(member, slug)) == "visible"


# --- watched words ------------------------------------------------------------------------


async def test_watched_words_block_hold_and_flag(world: World) -> None:
    slug, lead, member = await setup(world)
    reader = await world.member(slug)
    block = await watch(lead, slug, "cheap essays", "block", message="Adverts are not allowed here.")
    assert block.status_code == 201, block.text
    assert block.json()["pattern"] == "cheap essays" and block.json()["action"] == "block"
    assert (await watch(lead, slug, "strike", "hold")).status_code == 201
    assert (await watch(lead, slug, r"ofsted {1,3}(grade|rating)", "flag", is_regex=True)).status_code == 201
    words = (await lead.get(f"/networks/{slug}/watched-words")).json()
    assert [(w["pattern"], w["action"], w["is_regex"]) for w in words] == [
        ("cheap essays", "block", False),
        ("strike", "hold", False),
        (r"ofsted {1,3}(grade|rating)", "flag", True),
    ]

    post_id = (await world.practice(reader, slug))["id"]
    before = await written(world)
    problem(await share(member, slug, "Buy CHEAP   essays now"), 422, "Adverts are not allowed here.")
    problem(await member.post(f"/posts/{post_id}/replies", json={"body": "cheap essays!"}), 422, "adverts")
    problem(await share(lead, slug, "cheap essays"), 422, "adverts")  # a block is a block, for leads too
    assert await written(world) == before
    assert state_of(await share(member, slug, "Cheap essay writing tips for Year 11")) == "visible"  # whole words
    assert state_of(await share(member, slug, "Our striker scheme for PE")) == "visible"

    seen = len(await event_kinds(world))
    held = await share(member, slug, "Cover plans for the strike day")
    assert state_of(held) == "held"
    assert "post.created" not in (await event_kinds(world))[seen:]
    flagged = await share(member, slug, "How we prepared for our Ofsted  grade", title="Ofsted")
    assert state_of(flagged) == "visible"
    entries = {e["target_id"]: e for e in await queue(lead, slug)}
    hold_entry, flag_entry = entries[held.json()["id"]], entries[flagged.json()["id"]]
    assert hold_entry["held"] and "holds for review" in hold_entry["hold_reason"]
    assert [h["label"] for h in hold_entry["hits"]] == ["watched word 'strike'"]
    assert hold_entry["flags"] == []
    assert not flag_entry["held"]
    [raised] = flag_entry["flags"]
    assert raised["reason"] == "watched_word" and raised["reporter"] is None
    assert "ofsted" in raised["note"]
    reply = await member.post(f"/posts/{post_id}/replies", json={"body": "Any news on the strike?"})
    assert state_of(reply) == "held"
    assert (await reader.get(f"/posts/{post_id}/replies")).json()["items"] == []


async def test_watched_word_patterns_must_be_safe(world: World) -> None:
    slug, lead, member = await setup(world)
    assert (await watch(lead, slug, "scam", "block")).status_code == 201
    before = await written(world)
    for pattern, words in [
        ("(", "not a valid regular expression"),
        ("(a+)+", "nested"),
        ("(a|a)*", "nested"),
        ("[a-z]+ing", "bounded repeat"),
        ("free.*trial", "bounded repeat"),
        ("x{2,}", "bounded repeat"),
        ("a?", "empty text"),
        ("   ", "empty"),
    ]:
        body = problem(await watch(lead, slug, pattern, "hold", is_regex=True), 422, words)
        assert "pattern" in body["errors"], pattern
    problem(await watch(lead, slug, "  scam ", "hold"), 409, "already watched")
    problem(await watch(member, slug, "spam", "block"), 403, "lead")
    problem(await member.get(f"/networks/{slug}/watched-words"), 403, "lead")
    assert (await watch(lead, slug, "x" * 201, "hold")).status_code == 400
    assert (await watch(lead, slug, "spam", "delete")).status_code == 400
    assert await written(world) == before
    assert (await watch(lead, slug, "[a-z]{1,30}ing scheme", "hold", is_regex=True)).status_code == 201


async def test_removing_a_watched_word_is_logged_without_the_word(world: World) -> None:
    slug, lead, member = await setup(world)
    word = (await watch(lead, slug, "scam", "block")).json()
    problem(await share(member, slug, "Not a scam"), 422)
    problem(await member.delete(f"/networks/{slug}/watched-words/{word['id']}"), 403, "lead")
    problem(await lead.delete(f"/networks/{slug}/watched-words/999999"), 404)
    assert (await lead.delete(f"/networks/{slug}/watched-words/{word['id']}")).status_code == 204
    assert state_of(await share(member, slug, "Not a scam")) == "visible"
    log = await member.get(f"/networks/{slug}/log")
    actions = [(e["action"], e["label"]) for e in log.json()["items"][:2]]
    assert actions == [("unwatch_word", "a watched word (block)"), ("watch_word", "a watched word (block)")]
    assert "scam" not in log.text


# --- pupil data ---------------------------------------------------------------------------

UPN = "We supported pupil Jayden Smith (UPN B801200005001) through a reading plan."


async def test_pupil_data_is_held_in_posts_and_replies(world: World) -> None:
    slug, lead, member = await setup(world)
    reader = await world.member(slug)
    post_texts = [t for t, _ in FOUND[::3]]
    held = [await share(member, slug, body) for body in post_texts]
    assert [state_of(r) for r in held] == ["held"] * len(post_texts)
    entries = {e["target_id"]: e for e in await queue(lead, slug)}
    for response in held:
        entry = entries[response.json()["id"]]
        assert entry["severity"] == 0 and entry["held"]
        assert entry["hits"] and {h["source"] for h in entry["hits"]} == {"personal_data"}
        assert "pupils' personal data" in entry["hold_reason"].lower()

    post_id = (await world.practice(reader, slug, title="Transition"))["id"]
    reply = await member.post(f"/posts/{post_id}/replies", json={"body": FOUND[4][0]})
    assert state_of(reply) == "held"
    assert (await reader.get(f"/posts/{post_id}/replies")).json()["items"] == []
    [mine] = (await member.get(f"/posts/{post_id}/replies")).json()["items"]
    assert mine["state"] == "held"
    reply_entry = next(e for e in await queue(lead, slug) if e["target_type"] == "reply")
    assert reply_entry["severity"] == 0 and reply_entry["target_id"] == reply.json()["id"]


async def test_ordinary_writing_is_not_held(world: World) -> None:
    slug, lead, member = await setup(world)
    for body in PASSES[::4]:
        assert state_of(await share(member, slug, body)) == "visible", body
    assert await queue(lead, slug) == []


async def test_the_pupil_data_guard_can_be_turned_off_and_never_holds_a_lead(world: World) -> None:
    slug, lead, member = await setup(world)
    assert state_of(await share(lead, slug, UPN)) == "visible"
    await settle(lead, slug, guard_personal_data=False, reason="We share anonymised case studies only")
    assert state_of(await share(member, slug, UPN)) == "visible"
    assert await queue(lead, slug) == []


async def test_an_edit_that_adds_pupil_data_takes_a_post_back_to_the_leads(world: World) -> None:
    slug, lead, member = await setup(world)
    reader = await world.member(slug)
    post = await share(member, slug, "Our reading plan.")
    post_id = post.json()["id"]
    seen = len(await event_kinds(world))
    edited = await member.patch(f"/posts/{post_id}", json={"body": UPN})
    assert edited.status_code == 200, edited.text
    assert edited.json()["state"] == "held"
    # readers are told it left; its author and the leads (only) get the edit; the leads' queue changed
    assert (await event_kinds(world))[seen:] == ["post.hidden", "post.updated", "queue.changed"]
    assert await world.count("events", "kind = 'post.updated' AND audience = 'withheld'") == 1
    problem(await reader.get(f"/posts/{post_id}"), 404)
    [entry] = await queue(lead, slug)
    assert entry["target_id"] == post_id and entry["held"] and entry["severity"] == 0
    await approve(lead, slug, post_id)
    assert (await reader.get(f"/posts/{post_id}")).json()["body"] == UPN


async def test_an_edit_of_a_hidden_post_never_sends_it_back_to_be_approved(world: World) -> None:
    # holding it would let an approval publish what a lead hid, and leave its appeal nothing to undo
    slug, lead, member = await setup(world)
    post_id = (await share(member, slug, "Our reading plan.")).json()["id"]
    hide = {"target_type": "post", "target_id": post_id, "action": "hide", "reason": "Off topic"}
    assert (await lead.post(f"/networks/{slug}/decisions", json=hide)).status_code == 201
    edited = await member.patch(f"/posts/{post_id}", json={"body": UPN})
    assert edited.status_code == 200, edited.text
    assert edited.json()["state"] == "hidden"
    assert await queue(lead, slug) == []


async def test_the_adoption_follow_up_is_a_logged_setting(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    changed = await lead.patch(f"/networks/{slug}/settings", json={"adoption_follow_up_weeks": 12, "reason": "Termly"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["adoption_follow_up_weeks"] == 12
    log = (await member.get(f"/networks/{slug}/log")).json()["items"]
    assert any("adoption" in entry["label"] for entry in log), log
    problem(await lead.patch(f"/networks/{slug}/settings", json={"adoption_follow_up_weeks": 0}), 400)
    problem(await member.patch(f"/networks/{slug}/settings", json={"adoption_follow_up_weeks": 4}), 403, "lead")
