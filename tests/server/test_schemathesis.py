"""Every operation of the published API with generated input (schemathesis, valid and invalid
examples), as a member of a network with posts and as a platform admin: no answer is a 5xx, and
every status is one the OpenAPI document lists for that operation.

Path parameters that name things are pinned to real ones (the caller's network, a request with an
offer, a spare token), so generated bodies reach the services instead of stopping at a 404; the
hostile-input tests cover ids that name nothing. Examples are bounded to keep the module quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from tests.conftest import ApiClient, World
from tests.live.client import token_for

EXAMPLES = 4  # per operation and generation mode, beyond the boundary cases of the coverage phase


@dataclass
class Caller:
    url: str
    headers: dict[str, str]
    pinned: dict[str, Any]


async def _token_id(client: ApiClient) -> int:
    response = await client.post("/tokens", json={"name": "spare"})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture(params=["member", "admin"])
async def caller(request: pytest.FixtureRequest, world: World, backend: str) -> Caller:
    """Someone with a token and real things to act on: a member of a network with posts, or an admin
    (on PostgreSQL: the member's run already meets SQLite's own refusals of what it cannot store)."""
    if request.param == "admin" and backend == "sqlite":
        pytest.skip("the admin's run is on PostgreSQL")
    lead = await world.person()
    slug = await world.network(lead)
    member = await world.member(slug)
    for n in range(3):
        await world.practice(lead, slug, title=f"Practice {n}")
    asked = await world.request(member, slug)
    helper = await world.member(slug)
    offer = await helper.post(f"/posts/{asked['id']}/offers", json={"message": "We can help."})
    assert offer.status_code == 201, offer.text
    await member.post(f"/posts/{asked['id']}/replies", json={"body": "Anyone?"})
    who = member if request.param == "member" else await world.admin()
    pinned = {"slug": slug, "post_id": asked["id"], "offer_id": offer.json()["id"], "token_id": await _token_id(who)}
    return Caller(world.server.url, {"Authorization": f"Bearer {await token_for(who)}"}, pinned)


@pytest.fixture
def api_schema(caller: Caller) -> Any:
    schema = schemathesis.openapi.from_url(caller.url + "/schema/openapi.json")
    schema.config.update(parameters=caller.pinned, request_timeout=20)
    schema.config.phases.coverage.unexpected_methods = set()  # Litestar's 405s need no proof per path
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES,
        deterministic=True,  # the same examples every run: a failure in CI is one anyone can reproduce
        database="none",
    )
    return schema


@pytest.fixture(autouse=True)
def _node_id(request: pytest.FixtureRequest) -> None:
    """schemathesis' fixture-loaded schemas name each operation's subtest through `Node._nodeid`, which
    pytest 9.2 no longer has (it keeps `nodeid`): give it back what it reads and writes."""
    request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_every_operation_answers_as_documented(case: Any, caller: Caller) -> None:
    case.call_and_validate(headers=caller.headers, checks=[not_a_server_error, status_code_conformance])
