"""What platform admins alone do through the API: organisations of any kind and their verified domains.

The services refuse everyone else (403); regulator and government organisations are made only here and
on the command line (docs/design.md §5).
"""

from __future__ import annotations

from litestar import Controller, delete, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from network.errors import enforce
from network.inputs import DomainInput, NewOrganisationInput
from network.people import accounts, organisations
from network.views import OrganisationDetail, organisation_detail
from server.deps import Db, Me


class AdminOrganisationController(Controller):
    path = "/admin/organisations"
    tags = ["admin"]

    @post("/", status_code=HTTP_201_CREATED, summary="Add an organisation of any kind (platform admins)")
    async def create_organisation(self, db: Db, person: Me, data: JSONBody[NewOrganisationInput]) -> OrganisationDetail:
        org = await organisations.create_organisation(db, person, data)
        return await _detail(db, org.id)

    @post(
        "/{organisation_id:int}/domains",
        status_code=HTTP_201_CREATED,
        summary="Add a verified email domain to an organisation (platform admins)",
    )
    async def add_domain(
        self, db: Db, person: Me, organisation_id: FromPath[int], data: JSONBody[DomainInput]
    ) -> OrganisationDetail:
        enforce(organisations.manage_refusal(person))
        org = await accounts.get_organisation(db, organisation_id)
        await organisations.add_domain(db, person, org, data.domain)
        return await _detail(db, org.id)

    @delete(
        "/{organisation_id:int}/domains/{domain:str}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Remove a verified email domain from an organisation (platform admins)",
    )
    async def remove_domain(self, db: Db, person: Me, organisation_id: FromPath[int], domain: FromPath[str]) -> None:
        enforce(organisations.manage_refusal(person))
        org = await accounts.get_organisation(db, organisation_id)
        await organisations.remove_domain(db, person, org, domain)


async def _detail(db: Db, organisation_id: int) -> OrganisationDetail:
    org = await accounts.get_organisation(db, organisation_id)
    return organisation_detail(org, (await organisations.domains_of(db, [org.id])).get(org.id, []))
