"""The practice page's "Tried elsewhere" section without JavaScript: the record form after "tried it",
refusals that keep what was typed, the report form, the live fragment and the account's list."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import World
from tests.web.content.test_post_pages import Pages, main_of, redirected_to

STARTED = (date.today() - timedelta(days=10)).isoformat()


async def test_tried_it_offers_the_record_and_the_report_follows(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    trier = await world.member(slug, org="Riverside Learning Trust")
    practice = await world.practice(author, slug)
    pid = practice["id"]
    pages = Pages(world, trier)

    before = main_of(await pages.get(f"/posts/{pid}"))
    assert "Tried elsewhere" in before and "No other organisation has recorded trying this yet." in before
    assert 'id="adoption-record">' in before  # offered, folded: nothing is forced
    await pages.form(f"/posts/{pid}/reactions", {"kind": "tried_it"})
    after = main_of(await pages.get(f"/posts/{pid}"))
    assert 'id="adoption-record" open' in after and '<label for="adoption-phase">' in after

    # a refusal keeps what was typed, with the message beside the form
    future = (date.today() + timedelta(days=5)).isoformat()
    fields = {"phase": "primary", "size_band": "small", "setting": "Coastal town", "started_on": future}
    refused = await pages.form(f"/posts/{pid}/adoptions", fields)
    assert refused.status_code == 422
    body = main_of(refused)
    assert "future" in body and 'value="Coastal town"' in body and 'id="adoption-record" open' in body
    missing = await pages.form(f"/posts/{pid}/adoptions", fields | {"phase": "", "started_on": STARTED})
    assert missing.status_code == 422 and "phase" in main_of(missing)
    assert await world.count("adoptions") == 0

    done = await pages.form(f"/posts/{pid}/adoptions", fields | {"started_on": STARTED, "adapted": "Weekly"})
    redirected_to(done, f"/posts/{pid}#tried-elsewhere")
    shown = main_of(await pages.get(f"/posts/{pid}"))
    assert "Tried in 1 organisation: 1 not reported yet." in shown and "Riverside Learning Trust" in shown
    assert 'action="/adoptions/' in shown and "adoption-record" not in shown

    [adoption_id] = [int(x) for x in shown.split('action="/adoptions/')[1].split("/")[:1]]
    report = {"result": "improved", "evidence_strength": "comparison", "how_we_know": "", "advice": "Start small."}
    redirected_to(await pages.form(f"/adoptions/{adoption_id}/report", report), f"/posts/{pid}#tried-elsewhere")
    reported = main_of(await Pages(world, author).get(f"/posts/{pid}"))
    assert "1 reports improvement (1 with a comparison)" in reported and "Start small." in reported
    assert "adoption-report-form" not in reported  # the author's organisation writes no report

    fragment = await Pages(world, author).get(f"/posts/{pid}/adoptions/summary")
    assert fragment.status_code == 200 and 'id="adoption-summary"' in fragment.text and "<main" not in fragment.text
    mine = main_of(await pages.get("/account/adoptions"))
    assert practice["title"] in mine and "Reported: improved" in mine


async def test_the_practices_own_organisation_and_requests_have_no_record_form(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    author = await world.member(slug)
    practice = await world.practice(author, slug)
    request = await world.request(author, slug)
    own = main_of(await Pages(world, author).get(f"/posts/{practice['id']}"))
    assert "Tried elsewhere" in own and "adoption-form" not in own
    assert "Tried elsewhere" not in main_of(await Pages(world, author).get(f"/posts/{request['id']}"))
    outsider = await world.person()
    assert (await Pages(world, outsider).get(f"/posts/{practice['id']}/adoptions/summary")).status_code == 200
    hidden_slug = await world.network(lead, visibility="members")
    secret = await world.practice(await world.member(hidden_slug), hidden_slug)
    assert (await Pages(world, outsider).get(f"/posts/{secret['id']}/adoptions/summary")).status_code == 404
