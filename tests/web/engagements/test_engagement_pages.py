"""The engagement pages over plain HTTP, as a browser without JavaScript uses them (docs/design.md §3.12):
what they show and offer, the forms' POST-redirect-GET, refusals beside their forms, the stale plan edit
that keeps the person's text, and the 404 page for anyone not named."""

from __future__ import annotations

import html
import re

from sqlalchemy import text

from tests.conftest import World
from tests.server.engagement_world import OUTCOME, activate, colleague, engaged, ok
from tests.web.content.test_post_pages import Pages, main_of, redirected_to


def value_of(page: str, field_id: str) -> str:
    """What a textarea (or input) with this id holds, unescaped."""
    area = re.search(rf'<textarea id="{field_id}"[^>]*>(.*?)</textarea>', page, re.S)
    if area:
        return html.unescape(area.group(1))
    found = re.search(rf'<input [^>]*id="{field_id}"[^>]*value="([^"]*)"', page)
    assert found, field_id
    return html.unescape(found.group(1))


def hidden_version(page: str, form: str) -> int:
    found = re.search(rf'id="{form}".*?name="version" value="(\d+)"', page, re.S)
    assert found, form
    return int(found.group(1))


async def test_the_named_people_read_the_page_and_everyone_else_gets_the_page_of_a_missing_one(
    world: World, backend: str
) -> None:
    e = await engaged(world)
    requester = Pages(world, e.requester)
    shown = await requester.get(f"/engagements/{e.id}")
    assert shown.status_code == 200
    page = main_of(shown)
    assert page.count("<h1") == 1 and "A behaviour curriculum review" in page
    assert "are agreeing a plan to work together on" in page  # the summary sentence
    for heading in ("The plan", "Agreement", "Change the plan", "Thread", "Check-ins", "Outcomes"):
        assert re.search(rf"<h2[^>]*>{heading}\b", page), heading
    assert "Agree this plan" in page and f'action="/engagements/{e.id}/plan"' in page
    # not offered while proposed: check-ins, outcomes, the follow-up, sharing
    assert 'id="check-in-form"' not in page and 'id="outcome-form"' not in page and "follow-up-form" not in page
    assert "Share as a practice" not in page
    assert "Check-ins are recorded once both sides have agreed the plan." in page

    missing = await requester.get("/engagements/987654321")
    assert missing.status_code == 404
    outsiders = [await colleague(world, e.slug, e.requester), e.lead, await world.member(e.slug)]
    for outsider in outsiders:
        refused = await Pages(world, outsider).get(f"/engagements/{e.id}")
        assert refused.status_code == 404
        assert main_of(refused) == main_of(missing).replace("987654321", str(e.id))
    anonymous = Pages(world)
    refused = await anonymous.get(f"/engagements/{e.id}")
    assert refused.status_code == 404 and f"No engagement {e.id}." in refused.text
    # and their forms are refused the same way, writing nothing
    stranger = Pages(world, outsiders[0])
    written = await stranger.form(f"/engagements/{e.id}/messages", {"body": "Let me in"})
    assert written.status_code == 404 and f"No engagement {e.id}." in written.text
    assert await world.count("engagement_messages") == 0
    redirected_to(await anonymous.form(f"/engagements/{e.id}/agree", {}), f"/signin?next=/engagements/{e.id}")
    await anonymous.aclose()


async def test_the_plan_form_saves_a_version_and_a_stale_edit_shows_the_current_plan_beside_the_typed_text(
    world: World, backend: str
) -> None:
    e = await engaged(world)
    requester, offerer = Pages(world, e.requester), Pages(world, e.offerer)
    plan = {"title": "A behaviour curriculum review", "aims": "Fewer removals from class", "activities": "",
            "starts_on": "2026-01-05", "expected_end_on": "", "next_check_in_on": "", "listing": "1"}  # fmt: skip
    saved = await requester.form(f"/engagements/{e.id}/plan", plan | {"version": "1", "title": "Year 8 behaviour"})
    redirected_to(saved, f"/engagements/{e.id}?done=plan#plan")
    view = ok(await e.requester.get(f"/engagements/{e.id}"))
    assert view["version"] == 2 and view["aims"] == "Fewer removals from class" and view["starts_on"] == "2026-01-05"

    # the other side's form still shows version 1: saving it is refused, and nothing they typed is lost
    theirs = plan | {"aims": "Calmer corridors <b>and</b> lunchtimes", "starts_on": "2026-01-05", "version": "1"}
    stale = await offerer.form(f"/engagements/{e.id}/plan", theirs)
    assert stale.status_code == 409
    page = main_of(stale)
    assert "The plan changed while you were editing it" in page
    assert value_of(page, "plan-aims") == "Calmer corridors <b>and</b> lunchtimes"
    # a field they left as it was shows the plan as it is now: saving again writes only their own change
    assert value_of(page, "plan-title") == "Year 8 behaviour" and '<th scope="row">Title</th>' not in page
    table = page[page.index('id="plan-stale"') : page.index('id="plan-form"')]
    assert "Fewer removals from class" in table and "Calmer corridors &lt;b&gt;and&lt;/b&gt; lunchtimes" in table
    assert hidden_version(page, "plan-form") == 2  # saving again goes over the current version
    assert ok(await e.requester.get(f"/engagements/{e.id}"))["aims"] == "Fewer removals from class"
    assert await world.count("engagement_revisions") == 2
    # saved again from the version shown
    redirected_to(
        await offerer.form(f"/engagements/{e.id}/plan", theirs | {"version": "2", "title": "Year 8 behaviour"}),
        f"/engagements/{e.id}?done=plan#plan",
    )
    assert ok(await e.requester.get(f"/engagements/{e.id}"))["aims"] == "Calmer corridors <b>and</b> lunchtimes"

    # a rule's refusal is beside its field, with the text kept
    backwards = plan | {"version": "3", "starts_on": "2026-03-01", "expected_end_on": "2026-01-01", "aims": "Kept"}
    refused = await requester.form(f"/engagements/{e.id}/plan", backwards)
    assert refused.status_code == 422
    page = main_of(refused)
    assert 'id="plan-expected_end_on-error"' in page and "Before the start date." in page
    assert 'aria-describedby="plan-expected_end_on-error"' in page and value_of(page, "plan-aims") == "Kept"
    blank = await requester.form(f"/engagements/{e.id}/plan", plan | {"version": "3", "title": ""})
    assert blank.status_code == 422 and "plan-title-error" in blank.text
    assert await world.count("engagement_revisions") == 3

    # names a colleague, and the listing choice is the reader's side's
    mate = await colleague(world, e.slug, e.requester)
    form = main_of(await requester.get(f"/engagements/{e.id}"))
    assert f'<option value="{mate.id}">' in form
    named = plan | {
        "version": "3",
        "aims": "Calmer corridors <b>and</b> lunchtimes",
        "title": "Year 8 behaviour",
        "add_people": str(mate.id),
        "unlisted": "yes",
    }
    redirected_to(await requester.form(f"/engagements/{e.id}/plan", named), f"/engagements/{e.id}?done=plan#plan")
    view = ok(await mate.get(f"/engagements/{e.id}"))
    assert view["unlisted"] == {"requester": True, "offerer": False} and view["my_side"] == "requester"
    page = main_of(await Pages(world, mate).get(f"/engagements/{e.id}"))
    assert "Every version of the plan" in page and "Changed: listing, named people." in page


async def test_both_sides_agree_by_form_and_an_agreement_of_a_plan_changed_since_is_refused(
    world: World, backend: str
) -> None:
    e = await engaged(world)
    requester, offerer = Pages(world, e.requester), Pages(world, e.offerer)
    redirected_to(
        await requester.form(f"/engagements/{e.id}/agree", {"version": "1"}),
        f"/engagements/{e.id}?done=agreed#agreement",
    )
    page = main_of(await requester.get(f"/engagements/{e.id}?done=agreed"))
    assert "Your side has agreed this version of the plan." in page and "Agree this plan" not in page
    ok(await e.offerer.patch(f"/engagements/{e.id}", json={"version": 1, "activities": "Two visits"}))
    # the requester's page still says version 2 is theirs to agree: agreeing version 1 again is refused
    refused = await requester.form(f"/engagements/{e.id}/agree", {"version": "1"})
    assert refused.status_code == 409 and "version 1" in refused.text and "version 2" in refused.text
    assert ok(await e.requester.get(f"/engagements/{e.id}"))["agreed"]["requester"] == 1
    await requester.form(f"/engagements/{e.id}/agree", {"version": "2"})
    await offerer.form(f"/engagements/{e.id}/agree", {"version": "2"})
    view = ok(await e.requester.get(f"/engagements/{e.id}"))
    assert view["state"] == "active"
    page = main_of(await offerer.get(f"/engagements/{e.id}"))
    assert "are working together on" in page and "State: <strong" in page and "Active" in page
    assert 'id="check-in-form"' in page and 'id="outcome-form"' in page and "Agree this plan" not in page
    refused = await offerer.form(f"/engagements/{e.id}/agree", {"version": "2"})
    assert refused.status_code == 409 and "already active" in refused.text


async def test_messages_check_ins_outcomes_the_follow_up_and_sharing_by_form(world: World, backend: str) -> None:
    e = await engaged(world)
    requester, offerer = Pages(world, e.requester), Pages(world, e.offerer)
    sent = await requester.form(f"/engagements/{e.id}/messages", {"body": "When can you **visit**?"})
    assert sent.status_code == 303 and re.fullmatch(rf"/engagements/{e.id}#message-\d+", sent.headers["location"])
    page = main_of(await offerer.get(f"/engagements/{e.id}"))
    assert "<strong>visit</strong>" in page
    blank = await offerer.form(f"/engagements/{e.id}/messages", {"body": ""})
    assert blank.status_code == 422 and 'id="message-body-error"' in blank.text
    pupil = await offerer.form(f"/engagements/{e.id}/messages", {"body": "Jayden Smith (UPN B801200005001) again"})
    assert pupil.status_code == 422 and "Nothing was saved" in pupil.text
    assert "Jayden Smith (UPN B801200005001) again" in html.unescape(main_of(pupil))
    early = await offerer.form(f"/engagements/{e.id}/check-ins", {"progress": "Early", "next_check_in_on": ""})
    assert early.status_code == 409 and "active" in early.text
    assert await world.count("engagement_messages") == 1 and await world.count("engagement_check_ins") == 0

    await activate(world, e)
    checked = await offerer.form(
        f"/engagements/{e.id}/check-ins", {"progress": "First visit done", "next_check_in_on": "2099-01-01"}
    )
    redirected_to(checked, f"/engagements/{e.id}?done=check-in#check-ins")
    page = main_of(await requester.get(f"/engagements/{e.id}"))
    assert "First visit done" in page and "1 January 2099" in page

    missing = await requester.form(f"/engagements/{e.id}/outcomes", {"what_changed": "", "evidence_strength": ""})
    assert missing.status_code == 422
    page = main_of(missing)
    assert 'id="outcome-what_changed-error"' in page and 'id="outcome-evidence_strength-error"' in page
    outcome = {k: str(v) for k, v in OUTCOME.items()} | {"do_differently": ""}
    redirected_to(
        await requester.form(f"/engagements/{e.id}/outcomes", outcome), f"/engagements/{e.id}?done=outcome#closing"
    )
    page = main_of(await offerer.get(f"/engagements/{e.id}"))
    assert OUTCOME["what_changed"] in page and 'id="outcome-form"' in page  # theirs still to write
    assert "Share as a practice" not in page  # not their side's outcome
    theirs = outcome | {"what_changed": "We learnt to review remotely.", "evidence_strength": "none_yet"}
    await offerer.form(f"/engagements/{e.id}/outcomes", theirs)
    assert ok(await e.requester.get(f"/engagements/{e.id}"))["state"] == "closed"

    page = main_of(await requester.get(f"/engagements/{e.id}"))
    assert "worked together on" in page and "Closed: completed" in page
    assert "Did the change last?" in page and "Answer now, before you are asked" in page
    assert 'id="message-form"' not in page and "its thread is kept as it was" in page
    request_page = main_of(await requester.get(f"/posts/{e.request['id']}"))
    assert f'href="/engagements/{e.id}"' in request_page and "worked together on" in request_page

    # the follow-up falls due: its form is open
    async with world.db() as session:
        await session.execute(
            text("UPDATE engagements SET follow_up_due_on = '2000-01-01' WHERE id = :id"), {"id": e.id}
        )
        await session.commit()
    page = main_of(await requester.get(f"/engagements/{e.id}"))
    assert "Answer the follow-up" in page and '<details class="edit-box" id="follow-up-box" open>' in page
    refused = await requester.form(f"/engagements/{e.id}/follow-up", {"lasted": "forever", "note": "Kept this"})
    assert refused.status_code == 422 and "Kept this" in refused.text
    redirected_to(
        await requester.form(f"/engagements/{e.id}/follow-up", {"lasted": "yes", "note": "Still a third fewer."}),
        f"/engagements/{e.id}?done=follow-up#follow-up",
    )
    assert "Yes, it lasted" in main_of(await offerer.get(f"/engagements/{e.id}"))

    # sharing: their own side's outcome only, once; then a link to the practice
    wrong = await offerer.form(f"/engagements/{e.id}/outcomes/requester/share", {})
    assert wrong.status_code == 403 and "that side" in wrong.text
    nowhere = await requester.form(f"/engagements/{e.id}/outcomes/elsewhere/share", {})
    assert nowhere.status_code == 404
    shared = await requester.form(f"/engagements/{e.id}/outcomes/requester/share", {})
    redirected_to(shared, f"/engagements/{e.id}?done=shared#outcome-requester")
    practice_id = ok(await e.requester.get(f"/engagements/{e.id}"))["outcomes"][0]["practice_id"]
    page = main_of(await offerer.get(f"/engagements/{e.id}"))
    assert f'<a href="/posts/{practice_id}">Shared with the network as a practice</a>' in page
    again = await requester.form(f"/engagements/{e.id}/outcomes/requester/share", {})
    assert again.status_code == 409 and str(practice_id) in again.text


async def test_stopping_early_needs_a_reason_and_closes_the_request(world: World, backend: str) -> None:
    e = await engaged(world)
    offerer = Pages(world, e.offerer)
    refused = await offerer.form(f"/engagements/{e.id}/stop", {"reason": ""})
    assert (
        refused.status_code == 422
        and 'id="stop-reason-error"' in refused.text
        and '<details class="moderate-box" id="stop" open>' in refused.text
    )
    redirected_to(
        await offerer.form(f"/engagements/{e.id}/stop", {"reason": "Our lead moved on."}),
        f"/engagements/{e.id}?done=stopped#closing",
    )
    page = main_of(await offerer.get(f"/engagements/{e.id}"))
    assert "Stopped early: Our lead moved on." in page and "Closed: stopped early" in page
    assert "Stop this engagement early" not in page and 'id="plan-form"' not in page


async def test_accepting_an_offer_lands_on_its_engagement_and_the_request_and_network_pages_show_it(
    world: World, backend: str
) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    requester, offerer, reader = await world.member(slug), await world.member(slug), await world.member(slug)
    request = await world.request(requester, slug, title="Reading fluency in Year 3")
    offer = ok(await offerer.post(f"/posts/{request['id']}/offers", json={"message": "We can help."}), 201)
    accepted = await Pages(world, requester).form(f"/offers/{offer['id']}/accept", {})
    assert accepted.status_code == 303
    match = re.fullmatch(r"/engagements/(\d+)", accepted.headers["location"])
    assert match, accepted.headers["location"]
    engagement_id = int(match.group(1))
    assert (await Pages(world, requester).get(accepted.headers["location"])).status_code == 200

    # proposed: the named people see it on the request page with a link; the network does not yet
    page = main_of(await Pages(world, offerer).get(f"/posts/{request['id']}"))
    assert "Working together" in page and f'href="/engagements/{engagement_id}"' in page
    page = main_of(await Pages(world, reader).get(f"/posts/{request['id']}"))
    assert '<section id="engagements" class="post-section" aria-labelledby="engagements-h" hidden>' in page
    assert f"engagement-line-{engagement_id}" not in page
    page = main_of(await Pages(world, reader).get(f"/networks/{slug}"))
    assert '<section id="working-together" aria-labelledby="working-heading" hidden>' in page
    assert f"working-line-{engagement_id}" not in page

    ok(await requester.post(f"/engagements/{engagement_id}/agree"))
    ok(await offerer.post(f"/engagements/{engagement_id}/agree"))
    page = main_of(await Pages(world, reader).get(f"/posts/{request['id']}"))
    assert "are working together on “Reading fluency in Year 3”" in page
    assert f'href="/engagements/{engagement_id}"' not in page  # the space is not theirs to open
    page = main_of(await Pages(world, reader).get(f"/networks/{slug}"))
    assert "Working together" in page and "are working together on “Reading fluency in Year 3”" in page


async def test_my_engagements_lists_what_is_due_first_and_the_account_page_links_to_it(
    world: World, backend: str
) -> None:
    e = await engaged(world)
    second = await engaged(world)
    pages = Pages(world, e.requester)
    assert 'href="/account/engagements"' in main_of(await pages.get("/account"))
    page = main_of(await pages.get("/account/engagements"))
    assert page.count("<h1") == 1 and f'href="/engagements/{e.id}"' in page
    assert "The plan waits for your side to agree it." in page
    await activate(world, e)
    async with world.db() as session:
        await session.execute(
            text("UPDATE engagements SET next_check_in_on = '2000-01-01' WHERE id = :id"), {"id": e.id}
        )
        await session.commit()
    page = main_of(await pages.get("/account/engagements"))
    due = page.split('id="all-h"')[0]
    assert f'href="/engagements/{e.id}"' in due and "A check-in is due" in due
    assert f'href="/engagements/{second.id}"' not in page  # not named there
    assert "Nothing is waiting for you" not in due
    signed_out = Pages(world)
    redirected_to(await signed_out.get("/account/engagements"), "/signin?next=/account/engagements")
    await signed_out.aclose()


async def test_a_named_person_flags_a_message_for_the_platform_admins_who_then_read_the_page(
    world: World, backend: str
) -> None:
    e = await engaged(world)
    message = ok(await e.offerer.post(f"/engagements/{e.id}/messages", json={"body": "Buy our toolkit today."}), 201)
    requester = Pages(world, e.requester)
    page = main_of(await requester.get(f"/engagements/{e.id}"))
    assert f'action="/engagements/{e.id}/messages/{message["id"]}/flags"' in page
    assert 'for="flag-{}-reason"'.format(message["id"]) in page
    own = main_of(await Pages(world, e.offerer).get(f"/engagements/{e.id}"))
    assert "/flags" not in own  # not one's own message
    admin = await world.admin()
    assert (await Pages(world, admin).get(f"/engagements/{e.id}")).status_code == 404  # no flag open yet

    path = f"/engagements/{e.id}/messages/{message['id']}/flags"
    redirected_to(
        await requester.form(path, {"reason": "spam", "note": "An advert"}),
        f"/engagements/{e.id}?done=flagged#message-{message['id']}",
    )
    again = await requester.form(path, {"reason": "spam", "note": "Still an advert"})
    assert again.status_code == 409 and "Still an advert" in again.text
    assert f'<details class="flag-box" id="flag-{message["id"]}" open>' in again.text
    wrong = await requester.form(path, {"reason": "watched_word", "note": ""})
    assert wrong.status_code == 403
    assert await world.count("engagement_flags") == 1
    # a platform admin reads the space while the flag is open, and is offered nothing to do in it
    reviewing = main_of(await Pages(world, admin).get(f"/engagements/{e.id}"))
    assert "Buy our toolkit today." in reviewing
    for form in ("plan-form", "agree-form", "message-form", "outcome-form", "stop-form"):
        assert f'id="{form}"' not in reviewing, form
    assert "/flags" not in reviewing
