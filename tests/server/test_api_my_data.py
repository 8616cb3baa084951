"""Downloading one's data (docs/design.md §3.8): all of one's own, nothing of anyone else's, no secrets."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select

from network.models import ApiToken, Person
from tests.conftest import PASSWORD, World, problem
from tests.live.client import token_for
from tests.server.engagement_world import OUTCOME, activate, engaged
from tests.web.people.test_auth_pages import FormClient


async def test_my_data_holds_what_i_wrote_and_what_was_decided_about_me(world: World) -> None:
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead)
    me = await world.member(slug, name="Mo Member", org="Mo's Trust")
    other = await world.member(slug, name="Olu Other")
    mine = await world.practice(me, slug, title="Our reading routine")
    theirs = await world.practice(other, slug, title="Someone else's practice")
    assert (await me.post(f"/posts/{theirs['id']}/replies", json={"body": "We tried this too."})).status_code == 201
    assert (await me.post(f"/posts/{theirs['id']}/reactions", json={"kind": "useful"})).status_code in (200, 201)
    flagged = await me.post(f"/posts/{theirs['id']}/flags", json={"reason": "off_topic", "note": "Wrong network"})
    assert flagged.status_code == 201, flagged.text
    decided = await lead.post(
        f"/networks/{slug}/decisions",
        json={"target_type": "post", "target_id": mine["id"], "action": "hide", "reason": "Names a pupil"},
    )
    assert decided.status_code == 201, decided.text
    await token_for(me)

    response = await me.get("/me/data")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == "attachment; filename=my-data.json"
    data = response.json()
    assert data["account"]["display_name"] == "Mo Member"
    assert data["account"]["organisation"]["name"] == "Mo's Trust"
    assert data["account"]["affiliation"] == "verified" and data["account"]["email_confirmed_at"]
    assert [m["network"]["slug"] for m in data["memberships"]] == [slug]
    assert [(p["title"], p["state"]) for p in data["posts"]] == [("Our reading routine", "hidden")]
    assert [r["body"] for r in data["replies"]] == ["We tried this too."]
    assert [(r["post_id"], r["kind"]) for r in data["reactions"]] == [(theirs["id"], "useful")]
    assert [(f["reason"], f["note"]) for f in data["flags_raised"]] == [("off_topic", "Wrong network")]
    assert [(d["action"], d["reason"]) for d in data["decisions_about_me"]] == [("hide", "Names a pupil")]
    assert len(data["api_tokens"]) == 1

    assert {n["kind"] for n in data["notifications"]} >= {"decision"}  # what I was told, as I was told it
    text = json.dumps(data)
    own = json.dumps({key: value for key, value in data.items() if key != "notifications"})
    assert "Someone else's practice" not in own  # another's post is not my data
    assert "Olu Other" not in own
    assert "Lena Lead" not in own  # who decided is not named here
    assert "actor" not in json.dumps(data["decisions_about_me"])
    async with world.db() as session:
        person = await session.scalar(select(Person).where(Person.id == me.id))
        digest = await session.scalar(select(ApiToken.digest).where(ApiToken.person_id == me.id))
    assert person is not None and digest is not None
    assert person.password_hash not in text
    assert digest not in text


async def test_signed_out_there_is_nothing_to_download(world: World) -> None:
    problem(await world.client().get("/me/data"), 401)
    browser = FormClient(world.server.url)
    try:
        response = await browser.http.get("/account/data.json")
        assert response.status_code == 303
        assert response.headers["location"] == "/signin?next=/account"
    finally:
        await browser.aclose()


async def test_the_account_page_downloads_the_same_document(world: World) -> None:
    me = await world.person(name="Page Person")
    assert me.person
    browser = FormClient(world.server.url)
    try:
        signed = await browser.submit("/signin", {"email": me.person["email"], "password": PASSWORD}, page="/signin")
        assert signed.status_code == 303
        response = await browser.http.get("/account/data.json")
        assert response.status_code == 200
        assert response.headers["content-disposition"] == "attachment; filename=my-data.json"
        assert response.json()["account"]["email"] == me.person["email"]
    finally:
        await browser.aclose()


async def test_my_data_holds_my_adoption_records_and_the_reports_i_wrote(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug, name="Ada Author", org="Author Trust")
    me = await world.member(slug, name="Mo Member", org="Mo's Trust")
    colleague = await world.member(slug, name="Cal Colleague", org="Mo's Trust")
    practice = await world.practice(author, slug, title="Weekly retrieval quizzes")
    other = await world.practice(author, slug, title="Shared moderation days")
    started = (date.today() - timedelta(days=30)).isoformat()
    context = {"phase": "primary", "size_band": "small", "started_on": started}
    mine = await me.post(f"/posts/{practice['id']}/adoptions", json=context | {"adapted": "Fortnightly quizzes"})
    assert mine.status_code == 201, mine.text
    report = {"result": "improved", "evidence_strength": "internal_data", "advice": "Keep them short."}
    assert (await me.post(f"/adoptions/{mine.json()['id']}/report", json=report)).status_code == 200
    theirs = await colleague.post(f"/posts/{other['id']}/adoptions", json=context | {"adapted": "Cal's own words"})
    assert theirs.status_code == 201, theirs.text
    written = {"result": "too_early", "evidence_strength": "none_yet", "how_we_know": "One term in."}
    assert (await me.post(f"/adoptions/{theirs.json()['id']}/report", json=written)).status_code == 200

    data = (await me.get("/me/data")).json()
    assert [(a["post_id"], a["adapted"], a["size_band"]) for a in data["adoptions"]] == [
        (practice["id"], "Fortnightly quizzes", "small")
    ]
    assert [(r["post_id"], r["result"], r["how_we_know"], r["advice"]) for r in data["adoption_reports"]] == [
        (practice["id"], "improved", "", "Keep them short."),
        (other["id"], "too_early", "One term in.", ""),
    ]
    assert "Cal's own words" not in json.dumps(data)  # a colleague's record is theirs
    assert "Cal's own words" in json.dumps((await colleague.get("/me/data")).json()["adoptions"])


async def test_my_data_holds_the_engagements_i_am_named_in_with_my_own_words_only(world: World) -> None:
    e = await engaged(world)
    mine = {"body": "When can you visit our two secondaries?"}
    assert (await e.requester.post(f"/engagements/{e.id}/messages", json=mine)).status_code == 201
    theirs = {"body": "Tuesday week, with our behaviour lead."}
    assert (await e.offerer.post(f"/engagements/{e.id}/messages", json=theirs)).status_code == 201
    await activate(world, e)
    check_in = {"progress": "The first visit is booked.", "next_check_in_on": "2099-01-01"}
    assert (await e.requester.post(f"/engagements/{e.id}/check-ins", json=check_in)).status_code == 201
    assert (await e.offerer.post(f"/engagements/{e.id}/check-ins", json={"progress": "Their notes"})).status_code == 201
    assert (await e.requester.post(f"/engagements/{e.id}/outcomes", json=OUTCOME)).status_code == 201
    own = OUTCOME | {"what_changed": "The offerer's outcome, in their words."}
    assert (await e.offerer.post(f"/engagements/{e.id}/outcomes", json=own)).status_code == 201
    lasted = {"lasted": "partly", "note": "Year 8 kept it up."}
    assert (await e.requester.post(f"/engagements/{e.id}/follow-up", json=lasted)).status_code == 201

    data = (await e.requester.get("/me/data")).json()
    [engagement] = data["engagements"]
    assert engagement["id"] == e.id and engagement["my_side"] == "requester" and engagement["state"] == "closed"
    assert engagement["title"] == e.engagement["title"] and engagement["named_at"]
    assert [m["body"] for m in engagement["messages"]] == [mine["body"]]
    assert [c["progress"] for c in engagement["check_ins"]] == [check_in["progress"]]
    assert [(o["side"], o["what_changed"]) for o in engagement["outcomes"]] == [("requester", OUTCOME["what_changed"])]
    assert [(f["lasted"], f["note"]) for f in engagement["follow_ups"]] == [("partly", "Year 8 kept it up.")]
    text = json.dumps(data["engagements"])
    for words in (theirs["body"], "Their notes", own["what_changed"]):  # the other side's words are theirs
        assert words not in text
    offerer = (await e.offerer.get("/me/data")).json()["engagements"]
    assert [m["body"] for m in offerer[0]["messages"]] == [theirs["body"]] and offerer[0]["follow_ups"] == []
    outsider = await world.member(e.slug)
    assert (await outsider.get("/me/data")).json()["engagements"] == []
