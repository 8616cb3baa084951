"""The approvers' page of an organisation (`/organisations/{id}/people`): who waits to act for it, who
does, its approvers, its verified domains and its log (network/people/affiliation.py decides).

Each form posts to its own path and answers with POST-redirect-GET (`?done=`), or the page again with
the refusal beside the form and the reason that was typed. Anyone who may not manage the organisation's
people is shown the page an unknown organisation gets.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from network.enums import Affiliation
from network.errors import DomainError
from network.models import Person
from network.people import affiliation, organisations, profiles
from server.deps import AppSettings, Db, Viewer
from server.mail import affiliation_mail
from server.settings import Settings
from web.forms import read_form, see_other, sign_in_first
from web.render import page

DONE = {
    "created": "The organisation is added. Once someone from it signs up, approve them and name its first approver.",
    "approved": "Approved: they act for the organisation now.",
    "declined": "Declined: they are told why.",
    "removed": "Removed: they no longer act for the organisation.",
    "approver": "They are an approver now.",
    "dropped": "They are no longer an approver.",
    "domain": "The domain is added: people who confirm an address there are verified at once.",
    "domain-removed": "The domain is removed.",
}


def _path(organisation_id: int) -> str:
    return f"/organisations/{organisation_id}/people"


async def _people_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person,
    organisation_id: int,
    *,
    status_code: int = 200,
    form: str = "",
    errors: dict[str, str] | None = None,
    message: str = "",
    values: dict[str, str] | None = None,
) -> Template:
    if await affiliation.manage_refusal(db, viewer, organisation_id) is not None:
        return await page(
            "organisation.html",
            request,
            db,
            viewer,
            status_code=404,
            missing="There is no organisation with that number.",
        )
    org = await affiliation.organisation(db, organisation_id)
    everyone = await affiliation.people_of(db, organisation_id, list(Affiliation))
    log = await affiliation.log_of(db, organisation_id)
    named = await profiles.people_by_id(db, {i for e in log for i in (e.actor_id, e.person_id) if i is not None})
    return await page(
        "organisation_people.html",
        request,
        db,
        viewer,
        status_code=status_code,
        org=org,
        waiting=[p for p in everyone if p.affiliation == Affiliation.WAITING],
        verified=[p for p in everyone if p.affiliation == Affiliation.VERIFIED],
        past=[p for p in everyone if p.affiliation in (Affiliation.DECLINED, Affiliation.REMOVED)],
        approvers=set(await affiliation.approver_ids(db, organisation_id)),
        domains=(await organisations.domains_of(db, [organisation_id])).get(organisation_id, []),
        log=log,
        named=named,
        done=DONE.get(request.query_params.get("done", ""), ""),
        form=form,
        errors=errors or {},
        message=message,
        values=values or {},
    )


@get("/organisations/{organisation_id:int}/people", summary="An organisation's people", include_in_schema=False)
async def people_page(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, organisation_id: FromPath[int]
) -> Template | Redirect:
    if viewer is None:
        return sign_in_first(_path(organisation_id))
    return await _people_page(request, db, viewer, organisation_id)


async def _act(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    organisation_id: int,
    form: str,
    done: str,
    act: Callable[[Person, dict[str, str]], Awaitable[object]],
) -> Template | Redirect:
    """Run one form's act in a savepoint (a refusal writes nothing), then redirect, or show why not."""
    if viewer is None:
        return sign_in_first(_path(organisation_id))
    typed = {key: str(value) for key, value in (await read_form(request)).items() if key != "_csrf_token"}
    try:
        async with db.begin_nested():
            await act(viewer, typed)
    except DomainError as exc:
        await db.refresh(viewer)
        return await _people_page(
            request,
            db,
            viewer,
            organisation_id,
            status_code=exc.status,
            form=form,
            errors=dict(exc.fields) or {"reason": exc.message},
            message=exc.message,
            values=typed,
        )
    return see_other(f"{_path(organisation_id)}?done={done}")


# each form on a person: the path's last part → what `?done=` says once it is done
STEPS = {"approve": "approved", "decline": "declined", "remove": "removed", "approver": "approver"}
STEPS |= {"not-approver": "dropped"}


async def _step(
    db: AsyncSession, settings: Settings, actor: Person, organisation_id: int, person_id: int, step: str, reason: str
) -> Person:
    """One step on one person of the organisation; a decision about them is mailed to them too."""
    match step:
        case "approve":
            subject = await affiliation.approve(db, actor, organisation_id, person_id)
        case "decline":
            subject = await affiliation.decline(db, actor, organisation_id, person_id, reason)
        case "remove":
            subject = await affiliation.remove(db, actor, organisation_id, person_id, reason)
        case "approver":
            return await affiliation.name_approver(db, actor, organisation_id, person_id)
        case _:
            return await affiliation.drop_approver(db, actor, organisation_id, person_id)
    await affiliation_mail.mail_decision(db, settings, subject)
    return subject


@post("/organisations/{organisation_id:int}/people/{person_id:int}/{step:str}", include_in_schema=False)
async def person_step(
    request: Request[Any, Any, Any],
    db: Db,
    viewer: Viewer,
    settings: AppSettings,
    organisation_id: FromPath[int],
    person_id: FromPath[int],
    step: FromPath[str],
) -> Template | Redirect:
    """Approve, decline, remove, or make or unmake an approver (`STEPS`)."""
    if step not in STEPS:
        return await page("organisation.html", request, db, viewer, status_code=404, missing="There is no such page.")

    async def act(actor: Person, typed: dict[str, str]) -> object:
        return await _step(db, settings, actor, organisation_id, person_id, step, typed.get("reason", ""))

    return await _act(request, db, viewer, organisation_id, f"person-{person_id}", STEPS[step], act)


@post("/organisations/{organisation_id:int}/domains", include_in_schema=False)
async def add_domain(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, organisation_id: FromPath[int]
) -> Template | Redirect:
    async def act(actor: Person, typed: dict[str, str]) -> object:
        return await affiliation.add_domain(db, actor, organisation_id, typed.get("domain", ""))

    return await _act(request, db, viewer, organisation_id, "domain", "domain", act)


@post("/organisations/{organisation_id:int}/domains/remove", include_in_schema=False)
async def remove_domain(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, organisation_id: FromPath[int]
) -> Template | Redirect:
    async def act(actor: Person, typed: dict[str, str]) -> object:
        await affiliation.remove_domain(db, actor, organisation_id, typed.get("domain", ""))
        return None

    return await _act(request, db, viewer, organisation_id, "domains", "domain-removed", act)


handlers = [people_page, person_step, add_domain, remove_domain]
