"""The platform admins' organisations page: the list with approvers and people waiting, adding one of
any kind (a refusal keeps what was typed and writes nothing), and nothing of it for anyone else."""

from __future__ import annotations

import html

from network.enums import OrgKind
from tests.conftest import PASSWORD, World, direct_account, unique
from tests.web.people.test_auth_pages import FormClient


async def signed_in_form(world: World, email: str) -> FormClient:
    client = FormClient(world.server.url)
    response = await client.submit("/signin", {"email": email, "password": PASSWORD}, page="/signin")
    assert response.status_code == 303, response.text
    return client


async def test_admins_list_and_add_organisations_and_no_one_else_sees_the_page(world: World) -> None:
    org = unique("Marrowby Diocese ")
    await world.person(org=org, verified=False)  # one person waiting
    admin_email = await direct_account(world.db, "admin", "Ada Admin", "Stewards", OrgKind.OTHER_GROUP, is_admin=True)
    member = await world.person()
    assert member.person
    admin = await signed_in_form(world, admin_email)
    other = await signed_in_form(world, member.person["email"])
    try:
        assert (await other.get("/admin/organisations")).status_code == 404
        refused = await other.submit("/admin/organisations", {"name": "Sneaky Office", "kind": "regulator"})
        assert refused.status_code == 404

        page = (await admin.get(f"/admin/organisations?q={org.split()[0]}")).text
        assert html.escape(org) in page
        row = page[page.find(html.escape(org)) :]
        assert "<td>1</td>" in row[: row.find("</tr>")]  # waiting

        before = await world.count("organisations")
        typed = {"name": "Schools Standards Office", "kind": "regulator", "ukprn": "12"}
        bad = await admin.submit("/admin/organisations", typed)
        assert bad.status_code == 422 and "A UKPRN is eight digits" in bad.text
        assert 'value="Schools Standards Office"' in bad.text
        missing = await admin.submit("/admin/organisations", {"name": "No Kind Trust"})
        assert missing.status_code == 422 and 'id="kind-error"' in missing.text
        assert await world.count("organisations") == before

        added = await admin.submit(
            "/admin/organisations", typed | {"ukprn": "10012345", "domains": "sso.example.gov.uk"}
        )
        assert added.status_code == 303 and added.headers["location"].endswith("/people?done=created")
        assert await world.count("organisations", "kind = 'regulator' AND ukprn = '10012345'") == 1
        assert await world.count("organisation_domains", "domain = 'sso.example.gov.uk'") == 1
        assert "The organisation is added" in (await admin.get(added.headers["location"])).text
    finally:
        await admin.aclose()
        await other.aclose()
