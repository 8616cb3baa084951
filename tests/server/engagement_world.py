"""An engagement arranged through the API, for the engagement tests: a network, a request, an offer from
another organisation, accepted, and the people around it in each column of the permission table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.conftest import ApiClient, World


@dataclass
class Engaged:
    slug: str
    lead: ApiClient
    requester: ApiClient  # wrote the request and accepted the offer
    offerer: ApiClient  # made the offer
    request: dict[str, Any]
    offer: dict[str, Any]
    engagement: dict[str, Any]

    @property
    def id(self) -> int:
        return int(self.engagement["id"])


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json()) if response.content else {}


async def engaged(world: World, *, visibility: str = "public", org: str | None = None) -> Engaged:
    lead = await world.person()
    slug = await world.network(lead, visibility=visibility)
    requester = await world.member(slug, org=org or None)
    offerer = await world.member(slug)
    request = await world.request(requester, slug, title="A behaviour curriculum review")
    offer = ok(await offerer.post(f"/posts/{request['id']}/offers", json={"message": "We can review it."}), 201)
    ok(await requester.post(f"/offers/{offer['id']}/accept"))
    mine = ok_list(await requester.get("/me/engagements"))
    assert len(mine) == 1, mine
    return Engaged(slug, lead, requester, offerer, request, offer, mine[0])


def ok_list(response: Any, status: int = 200) -> list[dict[str, Any]]:
    assert response.status_code == status, response.text
    return list(response.json())


async def colleague(world: World, slug: str, of: ApiClient) -> ApiClient:
    """A member of the network from the same organisation as `of`."""
    assert of.person is not None
    return await world.member(slug, org=of.person["organisation"]["name"])


async def activate(world: World, e: Engaged) -> dict[str, Any]:
    """Both sides agree the current plan: the engagement is active."""
    ok(await e.requester.post(f"/engagements/{e.id}/agree"))
    return ok(await e.offerer.post(f"/engagements/{e.id}/agree"))


OUTCOME = {
    "what_changed": "Behaviour incidents fell by a third in Year 8.",
    "evidence_strength": "internal_data",
    "work_together_again": "yes",
    "for_whom": "Year 8 pupils and their tutors",
    "how_we_know": "Our incident logs, term on term.",
}
