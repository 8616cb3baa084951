"""Offers over HTTP: made by other organisations on requests, accepted or declined by the requester, withdrawn
by their author; each change recorded and told to the people it concerns."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from network.enums import OrgKind
from tests.conftest import ApiClient, World, event_kinds, problem, unique


async def notifications(world: World) -> list[tuple[int, str, dict[str, Any]]]:
    async with world.db() as session:
        rows = (await session.execute(text("SELECT person_id, kind, payload FROM notifications ORDER BY id"))).all()
    return [(int(r[0]), str(r[1]), r[2] if isinstance(r[2], dict) else json.loads(r[2])) for r in rows]


async def written(world: World) -> tuple[int, ...]:
    """What a refused request must leave unchanged."""
    tables = ("offers", "events", "notifications")
    return (*[await world.count(t) for t in tables], await world.count("offers", "status = 'open'"))


async def post_status(client: ApiClient, post_id: int) -> str:
    return str((await client.get(f"/posts/{post_id}")).json()["status"])


async def test_offer_is_made_on_a_request_and_the_requester_is_told(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    requester = await world.member(slug)
    helper = await world.member(slug)
    request = await world.request(requester, slug)
    earlier = await event_kinds(world)
    notes = len(await notifications(world))

    response = await helper.post(f"/posts/{request['id']}/offers", json={"message": "We can **visit** in May."})
    assert response.status_code == 201, response.text
    offer = response.json()
    assert offer["post_id"] == request["id"] and offer["status"] == "open" and offer["decided_at"] is None
    assert offer["message"] == "We can **visit** in May."
    assert offer["message_html"] == "<p>We can <strong>visit</strong> in May.</p>\n"
    assert offer["author"]["id"] == helper.id
    assert offer["organisation"] == helper.person["organisation"]  # type: ignore[index]
    post = (await requester.get(f"/posts/{request['id']}")).json()
    assert post["status"] == "in_discussion" and post["offer_count"] == 1
    assert (await event_kinds(world))[len(earlier) :] == ["offer.made", "post.updated"]
    [(person_id, kind, payload)] = (await notifications(world))[notes:]
    assert (person_id, kind) == (requester.id, "offer.made")
    assert payload["offer_id"] == offer["id"] and payload["post_id"] == request["id"]

    listed = (await lead.get(f"/posts/{request['id']}/offers")).json()
    assert listed == [offer]


async def test_offer_refusals(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    private = await world.network(lead, visibility="members")
    org = unique("Asking Trust ")
    requester = await world.member(slug, org=org)
    colleague = await world.member(slug, org=org)
    helper = await world.member(slug)
    outsider = await world.person()
    watcher = await world.person(kind=OrgKind.REGULATOR)
    await watcher.post(f"/networks/{slug}/join")
    assert (await lead.patch(f"/networks/{slug}/members/{watcher.id}", json={"state": "active"})).status_code == 200
    request = await world.request(requester, slug)
    practice = await world.practice(requester, slug)
    private_request = await world.request(lead, private)
    path = f"/posts/{request['id']}/offers"
    before = await written(world)

    problem(await helper.post(f"/posts/{practice['id']}/offers", json={"message": "Us"}), 422, "request")
    problem(await requester.post(path, json={"message": "Us"}), 403, "own organisation")
    problem(await colleague.post(path, json={"message": "Us"}), 403, "own organisation")
    problem(await outsider.post(path, json={"message": "Us"}), 403, "members")
    problem(await watcher.post(path, json={"message": "Us"}), 403)
    problem(await outsider.post(f"/posts/{private_request['id']}/offers", json={"message": "Us"}), 404)
    problem(await helper.post("/posts/999999/offers", json={"message": "Us"}), 404)
    for body, status in (
        ({"message": ""}, 400),
        ({"message": "  "}, 422),
        ({"message": "x" * 10_001}, 400),
        ({}, 400),
        ({"message": 3}, 400),
        ({"message": "Us", "status": "accepted"}, 400),
    ):
        problem(await helper.post(path, json=body), status, "status" if "status" in body else "message")
    assert (await world.client().post(path, json={"message": "Us"})).status_code == 401
    problem(await helper.http.post(path, json={"message": "Us"}), 403, "csrf")
    assert await written(world) == before
    assert await post_status(requester, request["id"]) == "open"

    # one open offer per organisation: a colleague of the offerer is refused until it is withdrawn
    first = await helper.post(path, json={"message": "We can visit."})
    assert first.status_code == 201
    helper_colleague = await world.member(slug, org=helper.person["organisation"]["name"])  # type: ignore[index]
    before = await written(world)
    problem(await helper.post(path, json={"message": "And again."}), 409, "already")
    problem(await helper_colleague.post(path, json={"message": "Us too."}), 409, "already")
    assert await written(world) == before
    assert (await helper.post(f"/offers/{first.json()['id']}/withdraw")).status_code == 200
    second = await helper_colleague.post(path, json={"message": "A fresh offer."})
    assert second.status_code == 201, second.text

    # a closed request takes no offers
    closed = await requester.post(f"/posts/{request['id']}/close", json={"outcome": "Sorted."})
    assert closed.status_code == 200
    other = await world.member(slug)
    before = await written(world)
    problem(await other.post(path, json={"message": "Late."}), 409, "closed")
    problem(await requester.post(f"/offers/{second.json()['id']}/accept"), 409, "closed")
    assert await written(world) == before


async def test_accept_by_the_requesting_organisation_matches_the_request(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    org = unique("Asking Trust ")
    requester = await world.member(slug, org=org)
    colleague = await world.member(slug, org=org)
    helper_org = unique("Helping Trust ")
    helper = await world.member(slug, org=helper_org)
    helper_colleague = await world.member(slug, org=helper_org)
    bystander = await world.member(slug)
    request = await world.request(requester, slug)
    offer = (await helper.post(f"/posts/{request['id']}/offers", json={"message": "We can visit."})).json()
    rival = (await bystander.post(f"/posts/{request['id']}/offers", json={"message": "So can we."})).json()
    accept = f"/offers/{offer['id']}/accept"
    before = await written(world)

    for client in (helper, helper_colleague, bystander):
        problem(await client.post(accept), 403, "requesting organisation")
    # leads moderate; they do not choose help for another organisation
    problem(await lead.post(accept), 403, "requesting organisation")
    problem(await requester.post("/offers/999999/accept"), 404)
    assert await written(world) == before
    assert await post_status(requester, request["id"]) == "in_discussion"

    earlier = await event_kinds(world)
    notes_before = len(await notifications(world))
    response = await colleague.post(accept)
    assert response.status_code == 200, response.text
    accepted = response.json()
    assert accepted["status"] == "accepted" and accepted["decided_at"] is not None
    assert await post_status(requester, request["id"]) == "matched"
    assert (await event_kinds(world))[len(earlier) :] == ["offer.accepted", "post.updated", "engagement.opened"]
    notes = (await notifications(world))[notes_before:]
    # the request's author, named in the engagement that opens, is told of it; the offer's author of the acceptance
    assert [(p, k) for p, k, _ in notes] == [(helper.id, "offer.accepted"), (requester.id, "engagement.opened")]
    assert notes[0][2]["offer_id"] == offer["id"]

    # deciding twice is refused; the other offer stays open for the requester to decline
    before = await written(world)
    problem(await requester.post(accept), 409, "accepted")
    problem(await requester.post(f"/offers/{offer['id']}/decline"), 409, "accepted")
    problem(await helper.post(f"/offers/{offer['id']}/withdraw"), 409, "accepted")
    assert await written(world) == before
    statuses = {o["id"]: o["status"] for o in (await requester.get(f"/posts/{request['id']}/offers")).json()}
    assert statuses == {offer["id"]: "accepted", rival["id"]: "open"}
    assert (await requester.get(f"/posts/{request['id']}")).json()["offer_count"] == 2


async def test_decline_and_withdraw(world: World) -> None:
    lead = await world.person()
    slug = await world.network(lead)
    org = unique("Asking Trust ")
    requester = await world.member(slug, org=org)
    helper_org = unique("Helping Trust ")
    helper = await world.member(slug, org=helper_org)
    helper_colleague = await world.member(slug, org=helper_org)
    request = await world.request(requester, slug)
    path = f"/posts/{request['id']}/offers"

    declined = (await helper.post(path, json={"message": "Visit?"})).json()
    before = await written(world)
    problem(await helper.post(f"/offers/{declined['id']}/decline"), 403, "requesting organisation")
    assert await written(world) == before
    earlier = await event_kinds(world)
    response = await requester.post(f"/offers/{declined['id']}/decline")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "declined"
    assert (await event_kinds(world))[len(earlier) :] == ["offer.declined", "post.updated"]
    assert (await notifications(world))[-1][:2] == (helper.id, "offer.declined")
    assert await post_status(requester, request["id"]) == "in_discussion"

    withdrawn = (await helper.post(path, json={"message": "Resources instead?"})).json()
    before = await written(world)
    problem(await helper_colleague.post(f"/offers/{withdrawn['id']}/withdraw"), 403, "made")
    problem(await requester.post(f"/offers/{withdrawn['id']}/withdraw"), 403, "made")
    assert await written(world) == before
    earlier = await event_kinds(world)
    notes_before = len(await notifications(world))
    response = await helper.post(f"/offers/{withdrawn['id']}/withdraw")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "withdrawn"
    assert (await event_kinds(world))[len(earlier) :] == ["offer.withdrawn", "post.updated"]
    notes = (await notifications(world))[notes_before:]
    assert [(p, k) for p, k, _ in notes] == [(requester.id, "offer.withdrawn")]

    before = await written(world)
    for offer, status in ((declined, "declined"), (withdrawn, "withdrawn")):
        problem(await requester.post(f"/offers/{offer['id']}/accept"), 409, status)
        problem(await requester.post(f"/offers/{offer['id']}/decline"), 409, status)
        problem(await helper.post(f"/offers/{offer['id']}/withdraw"), 409, status)
    assert await written(world) == before
    assert await post_status(requester, request["id"]) == "in_discussion"
    assert (await requester.get(f"/posts/{request['id']}")).json()["offer_count"] == 0
