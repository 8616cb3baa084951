"""The platform admins' organisations page (`/admin/organisations`): every organisation with what the
register says of it, its domains, approvers and people waiting, a search, and a form to add one
(the only way a regulator or government organisation comes to exist). Each organisation's people,
approvers and domains are managed on its approvers' page, which admins may open for any of them.
Anyone else is shown the page an unknown address gets."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from network.enums import Affiliation, OrgKind, Region
from network.errors import DomainError
from network.inputs import NewOrganisationInput
from network.models import Organisation, OrganisationApprover, Person
from network.people import accounts, organisations
from server.deps import Db, Viewer
from web.forms import read_form, see_other, sign_in_first
from web.render import page

PATH = "/admin/organisations"
# what to say beside a field the input's types refuse
ADVICE = {
    "name": "Give the organisation's full name (2 to 200 characters).",
    "kind": "Choose what kind of organisation it is.",
    "region": "Choose one of England's regions, or none.",
    "gias_group_uid": "A GIAS Group UID is digits only.",
    "gias_group_id": "A GIAS Group ID is letters and digits, like TR01234.",
    "companies_house_number": "A Companies House number is eight characters, like 08123456.",
    "ukprn": "A UKPRN is eight digits, starting with 1.",
    "domains": "Give domains like trust.org.uk, separated by spaces.",
}
FIELDS = ("name", "kind", "region", "gias_group_uid", "gias_group_id", "companies_house_number", "ukprn", "domains")


async def _counts(session: AsyncSession, ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Approvers and people waiting, by organisation."""
    if not ids:
        return {}, {}
    approvers = await session.execute(
        select(OrganisationApprover.organisation_id, func.count())
        .where(OrganisationApprover.organisation_id.in_(ids))
        .group_by(OrganisationApprover.organisation_id)
    )
    waiting = await session.execute(
        select(Person.organisation_id, func.count())
        .where(Person.organisation_id.in_(ids), Person.affiliation == Affiliation.WAITING, Person.deleted_at.is_(None))
        .group_by(Person.organisation_id)
    )
    return dict(approvers.tuples().all()), dict(waiting.tuples().all())


async def _admin_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    message: str = "",
    values: dict[str, str] | None = None,
) -> Template:
    query = request.query_params.get("q", "")[:100]
    found: list[Organisation] = await accounts.list_organisations(db, query, limit=200)
    ids = [org.id for org in found]
    approvers, waiting = await _counts(db, ids)
    return await page(
        "admin_organisations.html",
        request,
        db,
        viewer,
        status_code=status_code,
        organisations=found,
        domains=await organisations.domains_of(db, ids),
        approvers=approvers,
        waiting=waiting,
        query=query,
        kinds=list(OrgKind),
        regions=list(Region),
        done=request.query_params.get("done", "") == "added",
        errors=errors or {},
        message=message,
        values=values or {},
    )


def _not_here(viewer: Person | None) -> bool:
    return viewer is None or not viewer.is_admin


@get(PATH, summary="Organisations (platform admins)", include_in_schema=False)
async def admin_organisations(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return sign_in_first(PATH)
    if _not_here(viewer):
        return await page("organisation.html", request, db, viewer, status_code=404, missing="There is no such page.")
    return await _admin_page(request, db, viewer)


@post(PATH, summary="Add an organisation (platform admins)", include_in_schema=False)
async def add_organisation(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return sign_in_first(PATH)
    if _not_here(viewer):
        return await page("organisation.html", request, db, viewer, status_code=404, missing="There is no such page.")
    form = await read_form(request)
    typed = {name: str(form.get(name, "")).strip() for name in FIELDS}
    raw: dict[str, Any] = {k: v for k, v in typed.items() if v and k != "domains"}
    raw["domains"] = [d for d in typed["domains"].replace(",", " ").split() if d]
    try:
        data = msgspec.convert(raw, NewOrganisationInput)
    except msgspec.ValidationError as exc:
        text = str(exc)  # "... - at `$.ukprn`", or "Object missing required field `kind`"
        where = text.rsplit("$.", 1)[-1] if "$." in text else text.partition("field `")[2]
        field = next((name for name in FIELDS if where.startswith(name)), "name")
        problem = ADVICE[field]
        return await _admin_page(
            request, db, viewer, status_code=422, errors={field: problem}, message=problem, values=typed
        )
    try:
        async with db.begin_nested():
            org = await organisations.create_organisation(db, viewer, data)
    except DomainError as exc:
        errors = dict(exc.fields) or {"name": exc.message}
        return await _admin_page(
            request, db, viewer, status_code=exc.status, errors=errors, message=exc.message, values=typed
        )
    return see_other(f"/organisations/{org.id}/people?done=created")


handlers = [admin_organisations, add_organisation]
