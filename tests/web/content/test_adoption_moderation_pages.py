"""Flags and leads' decisions on adoption records from the practice page, without JavaScript: the reply's
forms on each record, refusals that write nothing, and what the record's organisation sees once a lead
has hidden it (docs/design.md §3.13)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.conftest import ApiClient, World
from tests.web.casework.test_queue_pages import article
from tests.web.content.test_post_pages import Pages, main_of, redirected_to

STARTED = (date.today() - timedelta(days=20)).isoformat()


async def _tried(world: World) -> tuple[str, ApiClient, ApiClient, ApiClient, ApiClient, int, int]:
    """A network with a practice, a member of another organisation who recorded trying it, and a reader."""
    lead = await world.person(name="Lena Lead")
    slug = await world.network(lead)
    author = await world.member(slug, org="Author Trust")
    trier = await world.member(slug, name="Tara Trier", org="Trier Trust")
    reader = await world.member(slug, name="Rob Reader", org="Reader Trust")
    pid = (await world.practice(author, slug, title="Daily retrieval starters"))["id"]
    recorded = await trier.post(
        f"/posts/{pid}/adoptions",
        json={"phase": "primary", "size_band": "small", "started_on": STARTED, "adapted": "Twice a week"},
    )
    assert recorded.status_code == 201, recorded.text
    return slug, lead, author, trier, reader, pid, recorded.json()["id"]


async def test_members_flag_a_record_through_its_form_and_refusals_write_nothing(world: World) -> None:
    slug, lead, author, trier, reader, pid, aid = await _tried(world)
    key = f"adoption-{aid}"
    pages = Pages(world, reader)
    html = article(main_of(await pages.get(f"/posts/{pid}")), key)
    assert f'action="/adoptions/{aid}/flag"' in html and f'<details class="flag-box" id="flag-{key}">' in html
    assert "/moderate" not in html  # no lead tools for a member
    for who in (trier, author):  # its own recorder flags nothing of theirs; the author may flag it
        page = article(main_of(await Pages(world, who).get(f"/posts/{pid}")), key)
        assert (f'action="/adoptions/{aid}/flag"' in page) is (who is author)
    observer = await world.observer(lead, slug)
    assert "/flag" not in article(main_of(await Pages(world, observer).get(f"/posts/{pid}")), key)
    fragment = await pages.get(f"/posts/{pid}/adoptions/summary")  # the live redraw keeps the form
    assert f'action="/adoptions/{aid}/flag"' in fragment.text

    # a refusal shows the form again, open, with what was typed
    other = await pages.form(f"/adoptions/{aid}/flag", {"reason": "other", "note": "  "})
    assert other.status_code == 422 and f'<details class="flag-box" id="flag-{key}" open>' in other.text
    no_reason = await pages.form(f"/adoptions/{aid}/flag", {"note": "Names a <pupil>", "clause": ""})
    assert no_reason.status_code == 422 and "Names a &lt;pupil&gt;" in no_reason.text
    own = await Pages(world, trier).form(f"/adoptions/{aid}/flag", {"reason": "spam"})
    assert own.status_code == 403 and "You cannot flag your own words; edit them instead." in own.text
    watching = await Pages(world, observer).form(f"/adoptions/{aid}/flag", {"reason": "spam"})
    assert watching.status_code == 403 and "Observers do not flag content" in watching.text
    assert (await pages.form(f"/adoptions/{aid}/flag", {"reason": "spam"}, csrf=False)).status_code == 403
    missing = await pages.form("/adoptions/99999/flag", {"reason": "spam"})
    assert missing.status_code == 404 and "No adoption 99999." in missing.text
    outsider = await world.person()
    hidden_slug = await world.network(lead, visibility="members")
    secret = await world.practice(await world.member(hidden_slug), hidden_slug)
    theirs = await (await world.member(hidden_slug, org="Secret Trust")).post(
        f"/posts/{secret['id']}/adoptions", json={"phase": "primary", "size_band": "small", "started_on": STARTED}
    )
    unseen = await Pages(world, outsider).form(f"/adoptions/{theirs.json()['id']}/flag", {"reason": "spam"})
    assert unseen.status_code == 404 and f"No adoption {theirs.json()['id']}." in unseen.text
    assert await world.count("flags") == 0 and await world.count("queue_entries") == 0

    sent = await pages.form(f"/adoptions/{aid}/flag", {"reason": "personal_data", "note": "Names a school"})
    redirected_to(sent, f"/posts/{pid}?done=flagged&on={key}#{key}-status")
    shown = article(main_of(await pages.get(sent.headers["location"])), key)
    assert "Thanks — the network&#39;s leads will look at this." in shown
    assert "You have flagged this record; the leads are looking at it." in shown
    assert f'action="/adoptions/{aid}/flag"' not in shown
    assert await world.count("flags", f"target_type = 'adoption' AND target_id = {aid}") == 1
    assert await world.count("queue_entries") == 1
    twice = await pages.form(f"/adoptions/{aid}/flag", {"reason": "spam"})
    assert twice.status_code == 409 and "You have already flagged this" in twice.text


async def test_leads_hide_restore_and_remove_a_record_from_the_page_and_members_may_not(world: World) -> None:
    _slug, lead, author, trier, reader, pid, aid = await _tried(world)
    key = f"adoption-{aid}"
    pages = Pages(world, lead)
    tools = re.search(rf'<details class="moderate-box" id="moderate-{key}".*?</details>', await _page(pages, pid), re.S)
    assert tools and re.findall(r'name="action" value="(\w+)"', tools.group(0)) == ["hide", "remove"]
    for who in (author, trier, reader):
        assert f"/adoptions/{aid}/moderate" not in await _page(Pages(world, who), pid)
    refused = await Pages(world, reader).form(f"/adoptions/{aid}/moderate", {"action": "hide", "reason": "Mine"})
    assert refused.status_code == 403 and "Only a lead of this network may do that." in refused.text
    no_reason = await pages.form(f"/adoptions/{aid}/moderate", {"action": "hide", "reason": ""})
    assert no_reason.status_code == 422
    assert f'<details class="moderate-box" id="moderate-{key}" open>' in no_reason.text
    assert 'value="hide" required checked' in no_reason.text
    assert await world.count("decisions", "target_type = 'adoption'") == 0

    hidden = await pages.form(f"/adoptions/{aid}/moderate", {"action": "hide", "reason": "Names a school"})
    redirected_to(hidden, f"/posts/{pid}?done=hide&on={key}#{key}-status")
    lead_view = article(main_of(await pages.get(hidden.headers["location"])), key)
    assert "Hidden: its author still sees it, with your reason." in lead_view
    tools = re.search(rf'id="moderate-{key}".*?</details>', lead_view, re.S)
    assert tools and re.findall(r'name="action" value="(\w+)"', tools.group(0)) == ["restore", "remove"]
    assert f'id="{key}"' not in await _page(Pages(world, reader), pid)  # out of the readers' view
    theirs = article(await _page(Pages(world, trier), pid), key)  # its recorder: why, and the appeal
    assert "Hidden by a lead: Names a school" in theirs and "/appeal" in theirs
    twice = await pages.form(f"/adoptions/{aid}/moderate", {"action": "hide", "reason": "Again"})
    assert twice.status_code == 409

    restored = await pages.form(f"/adoptions/{aid}/moderate", {"action": "restore", "reason": "Fixed"})
    redirected_to(restored, f"/posts/{pid}?done=restore&on={key}#{key}-status")
    assert "Twice a week" in article(await _page(Pages(world, reader), pid), key)
    removed = await pages.form(f"/adoptions/{aid}/moderate", {"action": "remove", "reason": "Personal data"})
    redirected_to(removed, f"/posts/{pid}?done=remove&on={key}#{key}-status")
    assert await world.count("adoptions", f"id = {aid} AND state = 'removed'") == 1
    assert "Twice a week" not in await _page(Pages(world, reader), pid)
    assert await world.count("decisions", "target_type = 'adoption'") == 3


async def _page(pages: Pages, pid: int) -> str:
    return main_of(await pages.get(f"/posts/{pid}"))
