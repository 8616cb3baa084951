"""Saved searches in the browser, without JavaScript: "Save this search" under the results, and the list
on `/account/saved-searches` that runs, turns alerts on and off, renames and deletes them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from tests.conftest import World
from tests.web.people.test_account_pages import signed_in
from tests.web.people.test_auth_pages import FormClient, field_error


@pytest.fixture
async def clients() -> AsyncIterator[list[FormClient]]:
    made: list[FormClient] = []
    yield made
    for client in made:
        await client.aclose()


async def browser_for(world: World, clients: list[FormClient], **person: str) -> tuple[FormClient, int]:
    who = await world.person(**person)
    assert who.person
    browser = await signed_in(world, who.person["email"])
    clients.append(browser)
    return browser, who.id


def save_form(html: str) -> dict[str, str] | None:
    """The hidden fields of the "Save this search" form, or None when the page has none."""
    found = re.search(r'<form method="post" action="/search/saved".*?</form>', html, re.S)
    if found is None:
        return None
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', found.group(0)))


def saved_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="card saved-search" id="saved-(\d+)">', html)]


async def test_a_search_is_saved_from_its_results_with_its_filters(world: World, clients: list[FormClient]) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Coastal Trusts")
    browser, _ = await browser_for(world, clients)
    results = await browser.get("/search", params={"q": "oracy", "network": slug, "theme": "Oracy", "sort": "newest"})
    assert results.status_code == 200
    fields = save_form(results.text)
    assert fields is not None
    assert {k: v for k, v in fields.items() if k != "_csrf_token"} == {
        "q": "oracy",
        "network": slug,
        "theme": "Oracy",
        "sort": "newest",
    }
    saved = await browser.submit("/search/saved", {k: v for k, v in fields.items() if k != "_csrf_token"})
    assert saved.status_code == 303
    assert re.fullmatch(r"/account/saved-searches\?done=saved#saved-\d+", saved.headers["location"])
    listed = await browser.get(saved.headers["location"])
    html = listed.text
    assert "The search is saved." in html
    (saved_id,) = saved_ids(html)
    assert f'<h2 id="saved-{saved_id}-name">oracy</h2>' in html
    assert "Network: Coastal Trusts" in html and "Theme: oracy" in html
    run = re.search(r'<a href="([^"]+)">Run this search', html)
    assert run and run.group(1).replace("&amp;", "&") == f"/search?q=oracy&network={slug}&theme=oracy&sort=newest"
    assert "Alerts on" in html and "Turn alerts off" in html

    for unsaveable in ({"q": "the"}, {"q": "oracy", "kind": "poems"}, {"q": ""}):
        assert save_form((await browser.get("/search", params=unsaveable)).text) is None, unsaveable
    anonymous = FormClient(world.server.url)
    clients.append(anonymous)
    assert save_form((await anonymous.get("/search", params={"q": "oracy"})).text) is None


async def test_alerts_are_turned_off_and_on_and_a_search_renamed_and_deleted(
    world: World, clients: list[FormClient]
) -> None:
    browser, _ = await browser_for(world, clients)
    await browser.get("/search?q=attendance")
    await browser.submit("/search/saved", {"q": "attendance"})
    await browser.submit("/search/saved", {"q": "phonics", "kind": "request"})
    first, second = saved_ids((await browser.get("/account/saved-searches")).text)

    off = await browser.submit(f"/account/saved-searches/{first}/alerts", {"alerts": "off"})
    assert off.status_code == 303
    assert off.headers["location"] == f"/account/saved-searches?done=alerts-off#saved-{first}"
    page = (await browser.get(off.headers["location"])).text
    assert "You will no longer be told of new posts that match it" in page
    mine = (await browser.http.get("/api/v1/me/saved-searches")).json()["items"]
    assert [(s["name"], s["alerts"]) for s in mine] == [("attendance", False), ("phonics", True)]
    assert (await browser.submit(f"/account/saved-searches/{first}/alerts", {"alerts": "on"})).status_code == 303

    renamed = await browser.submit(f"/account/saved-searches/{second}/name", {"name": "  Phonics   requests "})
    assert renamed.status_code == 303
    blank = await browser.submit(f"/account/saved-searches/{second}/name", {"name": "   "})
    assert blank.status_code == 422
    assert field_error(blank.text, f"name-{second}") == "Required."
    assert 'role="alert"' in blank.text

    deleted = await browser.submit(f"/account/saved-searches/{first}/delete", {})
    assert deleted.status_code == 303
    after = (await browser.get(deleted.headers["location"])).text
    assert "The saved search is deleted." in after and saved_ids(after) == [second]
    mine = (await browser.http.get("/api/v1/me/saved-searches")).json()["items"]
    assert [(s["name"], s["alerts"]) for s in mine] == [("Phonics requests", True)]


async def test_someone_elses_saved_search_cannot_be_touched(world: World, clients: list[FormClient]) -> None:
    owner, _ = await browser_for(world, clients)
    other, _ = await browser_for(world, clients)
    await owner.get("/search?q=attendance")
    await owner.submit("/search/saved", {"q": "attendance"})
    (theirs,) = saved_ids((await owner.get("/account/saved-searches")).text)
    await other.get("/account/saved-searches")
    for action, data in (("name", {"name": "Mine"}), ("alerts", {"alerts": "off"}), ("delete", {})):
        refused = await other.submit(f"/account/saved-searches/{theirs}/{action}", data)
        assert refused.status_code == 404 and f"No saved search {theirs}." in refused.text
    mine = (await owner.http.get("/api/v1/me/saved-searches")).json()["items"]
    assert [(s["name"], s["alerts"]) for s in mine] == [("attendance", True)]


async def test_a_refused_save_says_why(world: World, clients: list[FormClient]) -> None:
    lead = await world.person()
    private = await world.network(lead, visibility="members")
    browser, _ = await browser_for(world, clients)
    await browser.get("/account/saved-searches")
    refused = await browser.submit("/search/saved", {"q": "attendance", "network": private})
    assert refused.status_code == 422
    assert "Choose one of the networks you can read." in refused.text and 'role="alert"' in refused.text
    common = await browser.submit("/search/saved", {"q": "the and"})
    assert common.status_code == 422 and "too common to search for" in common.text
    assert saved_ids(common.text) == []


async def test_the_account_and_notification_settings_pages_lead_to_it(world: World, clients: list[FormClient]) -> None:
    browser, _ = await browser_for(world, clients)
    for path in ("/account", "/account/notifications"):
        assert 'href="/account/saved-searches"' in (await browser.get(path)).text, path
    empty = (await browser.get("/account/saved-searches")).text
    assert "You have no saved searches yet." in empty
    anonymous = FormClient(world.server.url)
    clients.append(anonymous)
    response = await anonymous.http.get("/account/saved-searches")
    assert response.status_code == 303 and response.headers["location"] == "/signin?next=/account/saved-searches"
