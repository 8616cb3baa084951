"""Support engagements over the API (docs/design.md §3.12): an accepted offer opens one; its named
people edit the plan (a stale edit is refused with the current plan and the text sent back), agree it,
write in its thread, check in, write their outcomes (which close it and its request), answer the
follow-up and share an outcome as a practice; the network sees the summary line unless both sides keep
it unlisted."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import text

from tests.conftest import World, problem
from tests.server.engagement_world import OUTCOME, activate, colleague, engaged, ok, ok_list


async def test_accepting_an_offer_opens_a_proposed_engagement_naming_both_sides(world: World, backend: str) -> None:
    e = await engaged(world)
    eng = e.engagement
    assert eng["state"] == "proposed" and eng["title"] == "A behaviour curriculum review"
    assert eng["request_id"] == e.request["id"] and eng["offer_id"] == e.offer["id"]
    assert {(p["person"]["id"], p["side"]) for p in eng["people"]} == {
        (e.requester.id, "requester"),
        (e.offerer.id, "offerer"),
    }
    assert eng["my_side"] == "requester" and eng["powers"]["agree"] and not eng["powers"]["check_in"]
    assert eng["listed"] is False and "are agreeing a plan" in eng["summary"]
    seen = ok(await e.offerer.get(f"/engagements/{e.id}"))
    assert seen["my_side"] == "offerer"
    assert await world.count("engagements") == 1
    assert await world.count("engagement_revisions") == 1
    notes = ok(await e.offerer.get("/notifications"))
    assert "offer.accepted" in {n["kind"] for n in notes["items"]}
    # not listed to the network while proposed
    assert ok(await e.lead.get(f"/networks/{e.slug}/engagements"))["items"] == []


async def test_the_plan_is_edited_from_a_version_and_a_stale_edit_gets_its_text_back(
    world: World, backend: str
) -> None:
    e = await engaged(world)
    first = ok(
        await e.requester.patch(
            f"/engagements/{e.id}",
            json={"version": 1, "aims": "Fewer removals from class", "starts_on": "2026-01-05"},
        )
    )
    assert first["version"] == 2 and first["aims"] == "Fewer removals from class"
    # the other side edits from version 1 too: refused, with the current plan and their own text
    stale = await e.offerer.patch(f"/engagements/{e.id}", json={"version": 1, "aims": "Calmer corridors"})
    body = problem(stale, 409, "version 1", "version 2")
    assert body["current"]["aims"] == "Fewer removals from class" and body["current"]["version"] == 2
    assert body["yours"]["aims"] == "Calmer corridors"
    # the If-Match header names the version as well as the body
    again = ok(
        await e.offerer.patch(f"/engagements/{e.id}", json={"aims": "Calmer corridors"}, headers={"If-Match": '"2"'})
    )
    assert again["version"] == 3 and again["aims"] == "Calmer corridors"
    problem(await e.offerer.patch(f"/engagements/{e.id}", json={"aims": "x"}), 422, "version")
    problem(
        await e.offerer.patch(
            f"/engagements/{e.id}", json={"version": 3, "starts_on": "2026-02-01", "expected_end_on": "2026-01-01"}
        ),
        422,
        "end",
    )
    revisions = ok_list(await e.requester.get(f"/engagements/{e.id}/revisions"))
    assert [r["version"] for r in revisions] == [3, 2, 1]
    assert revisions[1]["plan"]["aims"] == "Fewer removals from class" and revisions[1]["editor_id"] == e.requester.id


async def test_both_sides_agree_the_same_version_and_it_becomes_active_and_listed(world: World, backend: str) -> None:
    e = await engaged(world)
    ok(await e.requester.post(f"/engagements/{e.id}/agree"))
    problem(await e.requester.post(f"/engagements/{e.id}/agree"), 409, "already agreed")
    # an edit makes a new version: the requester's agreement was of the old one
    ok(await e.offerer.patch(f"/engagements/{e.id}", json={"version": 1, "activities": "Two visits"}))
    assert ok(await e.offerer.post(f"/engagements/{e.id}/agree"))["state"] == "proposed"
    active = ok(await e.requester.post(f"/engagements/{e.id}/agree"))
    assert active["state"] == "active" and active["starts_on"] and active["listed"]
    org_a = e.requester.person["organisation"]["name"]  # type: ignore[index]
    org_b = e.offerer.person["organisation"]["name"]  # type: ignore[index]
    listed = ok(await (await world.person()).get(f"/networks/{e.slug}/engagements"))["items"]
    assert [s["id"] for s in listed] == [e.id]
    assert listed[0]["summary"] == f"{org_a} and {org_b} are working together on “A behaviour curriculum review”."
    assert set(listed[0]) == {
        "id", "network", "request_id", "title", "summary", "requesting_organisation", "offering_organisation",
        "state", "closed_as", "starts_on", "expected_end_on", "closed_at",
    }  # fmt: skip
    assert ok_list(await e.lead.get(f"/posts/{e.request['id']}/engagements"))[0]["id"] == e.id
    # an active engagement's aims change: still active, and the revision is kept
    edited = ok(await e.offerer.patch(f"/engagements/{e.id}", json={"version": 2, "aims": "Also: calmer lunchtimes"}))
    assert edited["state"] == "active" and edited["version"] == 3


async def test_unlisted_by_both_sides_the_network_does_not_see_it(world: World, backend: str) -> None:
    e = await engaged(world)
    ok(await e.requester.patch(f"/engagements/{e.id}", json={"version": 1, "unlisted": True}))
    ok(await e.offerer.patch(f"/engagements/{e.id}", json={"version": 2, "unlisted": True}))
    assert (await activate(world, e))["listed"] is False
    assert ok(await e.lead.get(f"/networks/{e.slug}/engagements"))["items"] == []
    assert ok_list(await e.lead.get(f"/posts/{e.request['id']}/engagements")) == []
    # one side lists it again: the network sees it (and is told)
    ok(await e.offerer.patch(f"/engagements/{e.id}", json={"version": 3, "unlisted": False}))
    assert [s["id"] for s in ok(await e.lead.get(f"/networks/{e.slug}/engagements"))["items"]] == [e.id]
    async with world.db() as session:
        found = await session.execute(text("SELECT payload FROM events WHERE kind = 'engagement.listed'"))
        payloads = [p if isinstance(p, dict) else json.loads(p) for p in found.scalars()]
    assert [p["listed"] for p in payloads] == [True]


async def test_the_thread_and_check_ins_are_the_named_peoples(world: World, backend: str) -> None:
    e = await engaged(world)
    ok(await e.requester.post(f"/engagements/{e.id}/messages", json={"body": "When can you visit?"}), 201)
    reply = ok(await e.offerer.post(f"/engagements/{e.id}/messages", json={"body": "Tuesday week."}), 201)
    page = ok(await e.requester.get(f"/engagements/{e.id}/messages", params={"limit": 1}))
    assert [m["body"] for m in page["items"]] == ["When can you visit?"] and page["next_cursor"]
    rest = ok(await e.requester.get(f"/engagements/{e.id}/messages", params={"cursor": page["next_cursor"]}))
    assert [m["id"] for m in rest["items"]] == [reply["id"]]
    # check-ins wait for the plan to be agreed
    problem(await e.requester.post(f"/engagements/{e.id}/check-ins", json={"progress": "Early days"}), 409, "active")
    await activate(world, e)
    made = ok(
        await e.offerer.post(
            f"/engagements/{e.id}/check-ins", json={"progress": "First visit done", "next_check_in_on": "2099-01-01"}
        ),
        201,
    )
    assert made["side"] == "offerer"
    assert ok(await e.requester.get(f"/engagements/{e.id}"))["next_check_in_on"] == "2099-01-01"
    assert [c["id"] for c in ok_list(await e.requester.get(f"/engagements/{e.id}/check-ins"))] == [made["id"]]
    # the thread is not network content: search never finds it
    found = ok(await e.lead.get("/search", params={"q": "Tuesday week"}))
    assert found["items"] == [] or all("Tuesday" not in str(item) for item in found["items"])
    found = ok(await e.requester.get("/search", params={"q": "visit done"}))
    assert all("First visit done" not in str(item) for item in found["items"])


async def test_the_pupil_data_guard_and_watched_words_apply_to_every_text_of_the_space(
    world: World, backend: str
) -> None:
    e = await engaged(world)
    pupil = "Jayden Smith (UPN B801200005001) keeps leaving class."
    problem(await e.requester.post(f"/engagements/{e.id}/messages", json={"body": pupil}), 422, "nothing was saved")
    problem(await e.requester.patch(f"/engagements/{e.id}", json={"version": 1, "aims": pupil}), 422, "personal data")
    ok(await e.lead.post(f"/networks/{e.slug}/watched-words", json={"pattern": "rubbish", "action": "block"}), 201)
    problem(await e.offerer.post(f"/engagements/{e.id}/messages", json={"body": "This is rubbish"}), 422)
    assert await world.count("engagement_messages") == 0
    assert await world.count("engagement_revisions") == 1


async def test_outcomes_close_it_and_its_request_then_the_follow_up_and_a_share(world: World, backend: str) -> None:
    e = await engaged(world)
    problem(await e.requester.post(f"/engagements/{e.id}/outcomes", json=OUTCOME), 409, "active")
    await activate(world, e)
    half = ok(await e.requester.post(f"/engagements/{e.id}/outcomes", json=OUTCOME), 201)
    assert half["state"] == "active" and [o["side"] for o in half["outcomes"]] == ["requester"]
    problem(await e.requester.post(f"/engagements/{e.id}/outcomes", json=OUTCOME), 409, "already written")
    problem(await e.requester.post(f"/engagements/{e.id}/follow-up", json={"lasted": "yes"}), 409, "closed")
    theirs = OUTCOME | {"what_changed": "We learnt how to run a review remotely.", "evidence_strength": "none_yet"}
    closed = ok(await e.offerer.post(f"/engagements/{e.id}/outcomes", json=theirs), 201)
    assert closed["state"] == "closed" and closed["closed_as"] == "completed" and closed["follow_up_due_on"]
    request = ok(await e.lead.get(f"/posts/{e.request['id']}"))
    assert request["status"] == "closed" and f"/engagements/{e.id}" in request["outcome"]
    assert "worked together" in ok(await e.lead.get(f"/networks/{e.slug}/engagements"))["items"][0]["summary"]
    # each side says once whether the change lasted
    answered = ok(
        await e.offerer.post(f"/engagements/{e.id}/follow-up", json={"lasted": "partly", "note": "Mostly"}), 201
    )
    assert [f["lasted"] for f in answered["follow_ups"]] == ["partly"]
    problem(await e.offerer.post(f"/engagements/{e.id}/follow-up", json={"lasted": "yes"}), 409, "already answered")
    # an outcome shared as a practice, once, by its own side
    problem(await e.offerer.post(f"/engagements/{e.id}/outcomes/requester/share"), 403, "that side")
    practice = ok(await e.requester.post(f"/engagements/{e.id}/outcomes/requester/share"), 201)
    assert practice["kind"] == "practice" and practice["author"]["id"] == e.requester.id
    assert practice["impact"] == OUTCOME["what_changed"] and practice["evidence_strength"] == "internal_data"
    assert f"/posts/{e.request['id']}" in practice["body"]
    again = problem(await e.requester.post(f"/engagements/{e.id}/outcomes/requester/share"), 409, str(practice["id"]))
    assert again["status"] == 409
    shared = ok(await e.offerer.post(f"/engagements/{e.id}/outcomes/offerer/share"), 201)
    assert shared["evidence_strength"] is None  # "none yet"
    outcomes = ok(await e.requester.get(f"/engagements/{e.id}"))["outcomes"]
    assert {o["side"]: o["practice_id"] for o in outcomes} == {"requester": practice["id"], "offerer": shared["id"]}
    # closed: the plan and the thread stay as they were
    problem(await e.requester.patch(f"/engagements/{e.id}", json={"version": 2, "aims": "x"}), 409, "closed")
    problem(await e.requester.post(f"/engagements/{e.id}/messages", json={"body": "Thanks!"}), 409, "closed")


async def test_either_side_stops_it_early_with_a_reason_and_the_request_closes(world: World, backend: str) -> None:
    e = await engaged(world)
    await activate(world, e)
    problem(await e.offerer.post(f"/engagements/{e.id}/stop", json={"reason": "   "}), 422, "why")
    stopped = ok(await e.offerer.post(f"/engagements/{e.id}/stop", json={"reason": "Our lead moved on."}))
    assert stopped["state"] == "closed" and stopped["closed_as"] == "stopped_early"
    assert stopped["stop_reason"] == "Our lead moved on."
    request = ok(await e.requester.get(f"/posts/{e.request['id']}"))
    assert request["status"] == "closed" and "stopped early: Our lead moved on." in request["outcome"]
    problem(await e.requester.post(f"/engagements/{e.id}/stop", json={"reason": "Again"}), 409, "already closed")


async def test_a_named_person_names_colleagues_of_their_own_organisation_only(world: World, backend: str) -> None:
    e = await engaged(world)
    mate = await colleague(world, e.slug, e.requester)
    outsider = await world.member(e.slug)
    problem(await mate.get(f"/engagements/{e.id}"), 404, f"No engagement {e.id}")
    problem(
        await e.requester.patch(f"/engagements/{e.id}", json={"version": 1, "add_people": [outsider.id]}),
        422,
        "organisation",
    )
    problem(
        await e.requester.patch(f"/engagements/{e.id}", json={"version": 1, "drop_people": [e.offerer.id]}),
        422,
        "own side",
    )
    named = ok(await e.requester.patch(f"/engagements/{e.id}", json={"version": 1, "add_people": [mate.id]}))
    assert (mate.id, "requester") in {(p["person"]["id"], p["side"]) for p in named["people"]}
    assert ok(await mate.get(f"/engagements/{e.id}"))["my_side"] == "requester"
    assert "engagement.named" in {n["kind"] for n in ok(await mate.get("/notifications"))["items"]}
    dropped = ok(await mate.patch(f"/engagements/{e.id}", json={"version": 2, "drop_people": [e.requester.id]}))
    assert e.requester.id not in {p["person"]["id"] for p in dropped["people"]}
    problem(await e.requester.get(f"/engagements/{e.id}"), 404, f"No engagement {e.id}")
    problem(
        await mate.patch(f"/engagements/{e.id}", json={"version": 3, "drop_people": [mate.id]}), 409, "at least one"
    )


async def test_the_network_sets_when_the_follow_up_falls_due(world: World, backend: str) -> None:
    e = await engaged(world)
    ok(await e.lead.patch(f"/networks/{e.slug}/settings", json={"engagement_follow_up_weeks": 4, "reason": "Sooner"}))
    assert ok(await e.lead.get(f"/networks/{e.slug}/settings"))["engagement_follow_up_weeks"] == 4
    await activate(world, e)
    closed = ok(await e.offerer.post(f"/engagements/{e.id}/stop", json={"reason": "Done early"}))
    from datetime import date, timedelta

    assert date.fromisoformat(closed["follow_up_due_on"]) - date.fromisoformat(closed["closed_at"][:10]) == timedelta(
        weeks=4
    )
    log = ok(await e.lead.get(f"/networks/{e.slug}/log"))["items"]
    assert any("follow-up" in entry["label"] for entry in log)


async def test_the_leads_export_holds_listed_summaries_never_the_space(world: World, backend: str) -> None:
    e = await engaged(world)
    await activate(world, e)
    ok(await e.requester.post(f"/engagements/{e.id}/messages", json={"body": "Private: our staffing gap"}), 201)
    ok(await e.requester.post(f"/engagements/{e.id}/outcomes", json=OUTCOME), 201)
    hidden = await engaged(world)  # a second network's engagement, kept unlisted by both sides
    ok(await hidden.requester.patch(f"/engagements/{hidden.id}", json={"version": 1, "unlisted": True}))
    ok(await hidden.offerer.patch(f"/engagements/{hidden.id}", json={"version": 2, "unlisted": True}))
    await activate(world, hidden)
    for case, expected in ((e, [e.id]), (hidden, [])):
        response = await case.lead.get(f"/networks/{case.slug}/export")
        assert response.status_code == 200, response.text
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            rows = json.loads(archive.read("engagements.json"))
            everything = " ".join(archive.read(name).decode() for name in archive.namelist())
        assert [r["id"] for r in rows] == expected
        assert "staffing gap" not in everything and OUTCOME["what_changed"] not in everything
    assert rows == []
    first = json.loads(
        zipfile.ZipFile(io.BytesIO((await e.lead.get(f"/networks/{e.slug}/export")).content)).read("engagements.json")
    )[0]
    assert first["requester_evidence"] == "internal_data" and first["offerer_evidence"] is None
    problem(await e.requester.get(f"/networks/{e.slug}/export"), 403)
