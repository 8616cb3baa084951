"""The approvers' page (`/organisations/{id}/people`) and the notice a waiting person sees on every page
(docs/design.md §3.9): approving, declining with a reason (a refusal keeps what was typed and writes
nothing), domains, and the page an unknown organisation gets for anyone who may not manage it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import World, unique
from tests.server.test_api_affiliation import approver_for, org_of
from tests.web.people.test_account_pages import signed_in
from tests.web.people.test_auth_pages import FormClient


def listed_people(response: httpx.Response) -> str:
    """The organisation page's list of its people (not the viewer's own name in the navigation)."""
    page = response.text
    start = page.find('id="people-heading"')
    return page[start : page.find("</section>", start)]


@pytest.fixture
async def clients() -> AsyncIterator[list[FormClient]]:
    made: list[FormClient] = []
    yield made
    for client in made:
        await client.aclose()


async def test_a_waiting_person_sees_why_on_every_page_and_the_approver_approves_them(
    world: World, clients: list[FormClient]
) -> None:
    org = unique("Hollinbrook Schools Trust ")
    approver, _ = await approver_for(world, org)
    waiting = await world.person(org=org, verified=False, name="Wren Waiting")
    assert waiting.person and approver.person
    org_id = await org_of(approver)

    theirs = await signed_in(world, waiting.person["email"])
    clients.append(theirs)
    for path in ("/networks", "/account"):
        page = (await theirs.get(path)).text
        assert 'id="affiliation-notice"' in page and f'waiting for <a href="/organisations/{org_id}">{org}' in page
    assert (await theirs.get(f"/organisations/{org_id}/people")).status_code == 404  # not theirs to manage
    assert "Wren Waiting" not in listed_people(await theirs.get(f"/organisations/{org_id}"))  # not its voice

    browser = await signed_in(world, approver.person["email"])
    clients.append(browser)
    page = (await browser.get(f"/organisations/{org_id}/people")).text
    assert "Wren Waiting" in page and 'Waiting for approval <span class="count">(1)' in page
    assert 'id="affiliation-notice"' not in page

    refused = await browser.submit(f"/organisations/{org_id}/people/{waiting.id}/decline", {"reason": "  "})
    assert refused.status_code == 422
    assert "Say why you decline" in refused.text
    assert (await waiting.get("/me")).json()["affiliation"] == "waiting"

    typed = await browser.submit(f"/organisations/{org_id}/domains", {"domain": "gmail.com"})
    assert typed.status_code == 422 and 'value="gmail.com"' in typed.text

    done = await browser.submit(f"/organisations/{org_id}/people/{waiting.id}/approve", {})
    assert done.status_code == 303 and done.headers["location"].endswith("?done=approved")
    assert (await waiting.get("/me")).json()["affiliation"] == "verified"
    assert 'id="affiliation-notice"' not in (await theirs.get("/networks")).text
    assert "Wren Waiting" in listed_people(await theirs.get(f"/organisations/{org_id}"))
    log = (await browser.get(f"/organisations/{org_id}/people")).text
    assert "<td>approved</td>" in log and "<td>requested</td>" in log

    made = await browser.submit(f"/organisations/{org_id}/people/{waiting.id}/approver", {})
    assert made.status_code == 303 and made.headers["location"].endswith("?done=approver")
    assert (await browser.submit(f"/organisations/{org_id}/people/{waiting.id}/promote", {})).status_code == 404
    removed = await browser.submit(f"/organisations/{org_id}/people/{waiting.id}/remove", {"reason": "Moved on."})
    assert removed.status_code == 303 and (await waiting.get("/me")).json()["affiliation"] == "removed"
    assert "Moved on." in (await theirs.get("/networks")).text  # the notice says why

    notes = (await browser.get("/notifications")).text
    assert "Wren Waiting asked to act for" in notes and f'href="/organisations/{org_id}/people"' in notes
