"""Person and organisation pages: what they shared, asked and offered, limited to what the reader may read."""

from __future__ import annotations

import html as htmllib
import re

import httpx

from network.enums import OrgKind
from tests.conftest import ApiClient, World


async def page(world: World, c: ApiClient, path: str) -> httpx.Response:
    return await c.http.get(world.server.url + path)


def section(html: str, heading_id: str) -> str:
    """The text of one section of the page (from its heading to the section's end), tags dropped."""
    match = re.search(rf'<h2 id="{heading_id}">(.*?)</section>', html, re.S)
    assert match, f"no section {heading_id}"
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())


async def test_signed_out_readers_are_sent_to_sign_in(world: World) -> None:
    alice = await world.person()
    async with httpx.AsyncClient(base_url=world.server.url) as anon:
        person = await anon.get(f"/people/{alice.id}")
        org = await anon.get(f"/organisations/{alice.person['organisation']['id']}")  # type: ignore[index]
    assert person.status_code == 303 and person.headers["location"] == f"/signin?next=/people/{alice.id}"
    assert org.status_code == 303 and org.headers["location"].startswith("/signin?next=/organisations/")


async def test_unknown_ids_are_404_pages(world: World) -> None:
    reader = await world.person()
    person = await page(world, reader, "/people/999999")
    assert person.status_code == 404
    assert person.headers["content-type"].startswith("text/html")
    assert "<h1>Person not found</h1>" in person.text and 'href="/search"' in person.text
    org = await page(world, reader, "/organisations/999999")
    assert org.status_code == 404 and "<h1>Organisation not found</h1>" in org.text
    assert (await page(world, reader, "/people/not-a-number")).status_code == 404


async def test_person_page_shows_only_what_the_reader_may_read(world: World) -> None:
    lead = await world.person(name="Lena Lead")
    public = await world.network(lead, name="Open Reading")
    private = await world.network(lead, visibility="members", name="Closed Maths")
    alice = await world.member(public, name="Alice <Able>", org="Able & Co Trust")
    assert (await alice.post(f"/networks/{private}/join")).json()["state"] == "active"
    secret = await world.network(alice, visibility="hidden", name="Secret Circle")
    bob = await world.member(public, name="Bob Bright")

    shared = await world.practice(alice, public, title="Phonics <em>fidelity</em>", summary="Short daily checks")
    await world.practice(alice, private, title="Closed practice title")
    await world.practice(alice, secret, title="Secret practice title")
    hidden = await world.practice(alice, public, title="Hidden practice title")
    removed = await world.practice(alice, public, title="Removed practice title")
    await world.set_post(hidden["id"], "state = 'hidden'")
    await world.set_post(removed["id"], "state = 'removed'")
    asked = await world.request(alice, public, title="Need a KS3 reviewer", support_type="peer_review")
    await world.request(alice, private, title="Closed request title")
    bobs_request = await world.request(bob, public, title="Bob asks for help")
    lead_private_request = await world.request(lead, private, title="Lead private request")
    assert (await alice.post(f"/posts/{bobs_request['id']}/offers", json={"message": "We can **visit**"})).is_success
    offer = {"message": "Closed offer message"}
    assert (await alice.post(f"/posts/{lead_private_request['id']}/offers", json=offer)).is_success

    response = await page(world, bob, f"/people/{alice.id}")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Alice &lt;Able&gt;</h1>" in html
    assert f'href="/organisations/{alice.person["organisation"]["id"]}">Able &amp; Co Trust</a>' in html  # type: ignore[index]
    networks = section(html, "networks-heading")
    assert "Open Reading" in networks
    assert "Closed Maths" not in networks and "Secret Circle" not in html and "Closed" not in html
    practices = section(html, "shared-heading")
    assert practices.startswith("Practices shared (1)")
    assert "Phonics <em>fidelity</em>" in practices and "Short daily checks" in practices
    assert "Phonics &lt;em&gt;fidelity&lt;/em&gt;" in html
    assert f'href="/posts/{shared["id"]}"' in html
    assert "Hidden practice title" not in html and "Removed practice title" not in html
    requests = section(html, "asked-heading")
    assert requests.startswith("Requests asked (1)") and "Need a KS3 reviewer" in requests
    assert "status: open" in requests and f'href="/posts/{asked["id"]}"' in html
    offers = section(html, "offered-heading")
    assert offers.startswith("Help offered (1)") and "Bob asks for help" in offers and "open" in offers
    assert "<strong>visit</strong>" in html  # the offer's markdown, rendered and sanitised

    # Alice herself reads her members-only and hidden networks, and her own hidden (not removed) post
    own = (await page(world, alice, f"/people/{alice.id}")).text
    networks = section(own, "networks-heading")
    assert "Closed Maths" in networks and "Secret Circle" in networks and "lead" in networks
    practices = section(own, "shared-heading")
    assert practices.startswith("Practices shared (4)")
    assert "Hidden practice title" in practices and "hidden (shown to you only)" in practices
    assert "Removed practice title" not in own
    assert section(own, "asked-heading").startswith("Requests asked (2)")
    assert section(own, "offered-heading").startswith("Help offered (2)")

    # the lead reads the hidden post too (moderators see everything but removed), but not the hidden network
    lead_view = (await page(world, lead, f"/people/{alice.id}")).text
    assert "Hidden practice title" in lead_view and "Secret" not in lead_view


async def test_organisation_page_lists_people_and_their_work(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead, name="Open Reading")
    private = await world.network(lead, visibility="members")
    alice = await world.member(slug, name="Alice Able", org="Shared Trust")
    amir = await world.member(slug, name="Amir Ahmed", org="shared trust")  # the same organisation
    outsider = await world.person()
    await world.practice(alice, slug, title="Alice's practice")
    await world.practice(amir, slug, title="Amir's practice")
    assert (await amir.post(f"/networks/{private}/join")).is_success
    await world.practice(amir, private, title="Members-only practice")
    org_id = alice.person["organisation"]["id"]  # type: ignore[index]
    assert amir.person["organisation"]["id"] == org_id  # type: ignore[index]

    html = (await page(world, outsider, f"/organisations/{org_id}")).text
    assert "<h1>Shared Trust</h1>" in html and "Multi-academy trust" in html
    people = section(html, "people-heading")
    assert people.startswith("People (2)") and "Alice Able" in people and "Amir Ahmed" in people
    assert f'href="/people/{alice.id}"' in html and f'href="/people/{amir.id}"' in html
    practices = section(html, "shared-heading")
    assert practices.startswith("Practices shared (2)")
    assert "Alice's practice" in practices and "Amir's practice" in practices
    assert "Members-only practice" not in html
    assert "its people only observe" not in html
    member_view = (await page(world, amir, f"/organisations/{org_id}")).text
    assert section(member_view, "shared-heading").startswith("Practices shared (3)")


async def test_regulator_and_government_pages_say_their_people_only_observe(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    inspector = await world.observer(lead, slug, kind=OrgKind.REGULATOR)
    org_id = inspector.person["organisation"]["id"]  # type: ignore[index]
    html = (await page(world, lead, f"/organisations/{org_id}")).text
    assert "Regulator" in html and "its people only observe" in html
    person = (await page(world, lead, f"/people/{inspector.id}")).text
    assert "only observe: they may read" in person
    assert "observer" in section(person, "networks-heading")
    official = await world.person(kind=OrgKind.GOVERNMENT)
    gov = (await page(world, lead, f"/organisations/{official.person['organisation']['id']}")).text  # type: ignore[index]
    assert "Government" in gov and "its people only observe" in gov
