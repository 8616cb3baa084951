"""Person and organisation pages: who they are, and what they shared, asked and offered.

Only what the reader may read is shown (see `network.people.profiles`). Signed-out readers are sent
to sign in, as post bodies need it; an unknown id is a 404 page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from network.enums import OrgKind
from network.errors import NotFound
from network.models import Person
from network.people import profiles
from network.people.profiles import OrganisationProfile, PersonProfile
from server.deps import Db, Viewer
from web.forms import sign_in_first
from web.render import page

ORG_KINDS = {
    OrgKind.MULTI_ACADEMY_TRUST.value: "Multi-academy trust",
    OrgKind.SINGLE_ACADEMY_TRUST.value: "Single-academy trust",
    OrgKind.DIOCESE.value: "Diocese",
    OrgKind.LOCAL_AUTHORITY.value: "Local authority",
    OrgKind.FEDERATION.value: "Federation",
    OrgKind.OTHER_GROUP.value: "Other group that runs schools",
    OrgKind.REGULATOR.value: "Regulator",
    OrgKind.GOVERNMENT.value: "Government",
}


async def _profile_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    template: str,
    load: Callable[[Person], Awaitable[PersonProfile | OrganisationProfile]],
    missing: str,
) -> Template | Redirect:
    """A profile page: signed-out readers sign in first; one that cannot be found is the page with `missing`."""
    if viewer is None:
        return sign_in_first(request.url.path)
    try:
        profile = await load(viewer)
    except NotFound:
        return await page(template, request, db, viewer, status_code=404, missing=missing)
    return await page(template, request, db, viewer, profile=profile, lists=profile.contributions, org_kinds=ORG_KINDS)


@get("/people/{person_id:int}", summary="A person's page", include_in_schema=False)
async def person_page(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, person_id: FromPath[int]
) -> Template | Redirect:
    return await _profile_page(
        request,
        db,
        viewer,
        "person.html",
        lambda reader: profiles.person_profile(db, reader, person_id),
        "There is no person with that number.",
    )


@get("/organisations/{organisation_id:int}", summary="An organisation's page", include_in_schema=False)
async def organisation_page(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, organisation_id: FromPath[int]
) -> Template | Redirect:
    return await _profile_page(
        request,
        db,
        viewer,
        "organisation.html",
        lambda reader: profiles.organisation_profile(db, reader, organisation_id),
        "There is no organisation with that number.",
    )


handlers = [person_page, organisation_page]
