"""Person and organisation pages: who they are, and what they shared, asked and offered.

Only what the reader may read is shown (see `network.profiles`). Signed-out readers are sent
to sign in, as post bodies need it; an unknown id is a 404 page.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Redirect, Template

from network import profiles
from network.enums import OrgKind
from network.errors import NotFound
from server.deps import Db, Viewer
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


def _signin(path: str) -> Redirect:
    return Redirect(f"/signin?next={path}", status_code=303)


@get("/people/{person_id:int}", summary="A person's page", include_in_schema=False)
async def person_page(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, person_id: FromPath[int]
) -> Template | Redirect:
    if viewer is None:
        return _signin(request.url.path)
    try:
        profile = await profiles.person_profile(db, viewer, person_id)
    except NotFound:
        return await page(
            "person.html", request, db, viewer, status_code=404, missing="There is no person with that number."
        )
    return await page(
        "person.html", request, db, viewer, profile=profile, lists=profile.contributions, org_kinds=ORG_KINDS
    )


@get("/organisations/{organisation_id:int}", summary="An organisation's page", include_in_schema=False)
async def organisation_page(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, organisation_id: FromPath[int]
) -> Template | Redirect:
    if viewer is None:
        return _signin(request.url.path)
    try:
        profile = await profiles.organisation_profile(db, viewer, organisation_id)
    except NotFound:
        return await page(
            "organisation.html",
            request,
            db,
            viewer,
            status_code=404,
            missing="There is no organisation with that number.",
        )
    return await page(
        "organisation.html", request, db, viewer, profile=profile, lists=profile.contributions, org_kinds=ORG_KINDS
    )


handlers = [person_page, organisation_page]
