"""The platform admins' queue of flags raised in engagements' spaces (`/admin/engagement-flags`,
docs/design.md §3.12): each open flag, newest first, with its engagement, the flagged message's text, who
flagged it, why and when, and a form to dismiss it or remove the message, with a reason. The form is a
plain POST handed to the service the API calls (network/engagements/flags.py): 303 back with a notice, or
the page again with the refusal beside the flag's form and the typed reason kept. Anyone else is shown
the page an unknown address gets, as on the admins' organisations page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from network.engagements import flags
from network.engagements.models import Engagement, EngagementFlag, EngagementMessage
from network.errors import DomainError
from network.inputs import EngagementFlagDecision
from network.models import Person
from server.deps import Db, Viewer
from web.forms import post_action, read_form, sign_in_first
from web.render import page
from web.shared import NO_TROUBLE, Trouble, when

PATH = "/admin/engagement-flags"
DONE = {
    "dismissed": "The flag is dismissed; the message stays.",
    "removed": "The message is removed and its author told.",
}


@dataclass(frozen=True)
class Row:
    """One open flag as the queue shows it."""

    id: int
    engagement_id: int
    engagement_title: str
    message_body: str
    raised_by: str  # a name, or "" when the network's watched words raised it
    reason: str
    note: str
    raised_at: datetime


async def _rows(db: AsyncSession, viewer: Person) -> list[Row]:
    """The open flags, newest first, with what each is about."""
    found: list[EngagementFlag] = list(reversed(await flags.open_flags(db, viewer)))
    engagement_ids = {f.engagement_id for f in found}
    message_ids = {f.message_id for f in found}
    people_ids = {f.raised_by_id for f in found if f.raised_by_id is not None}
    titles = dict(
        (await db.execute(select(Engagement.id, Engagement.title).where(Engagement.id.in_(engagement_ids))))
        .tuples()
        .all()
    )
    bodies = dict(
        (
            await db.execute(
                select(EngagementMessage.id, EngagementMessage.body).where(EngagementMessage.id.in_(message_ids))
            )
        )
        .tuples()
        .all()
    )
    names = dict(
        (await db.execute(select(Person.id, Person.display_name).where(Person.id.in_(people_ids)))).tuples().all()
    )
    return [
        Row(
            id=f.id,
            engagement_id=f.engagement_id,
            engagement_title=titles.get(f.engagement_id, ""),
            message_body=bodies.get(f.message_id, ""),
            raised_by=names.get(f.raised_by_id, "") if f.raised_by_id is not None else "",
            reason=f.reason,
            note=f.note,
            raised_at=f.created_at,
        )
        for f in found
    ]


async def _queue_page(
    request: Request[Any, Any, Any], db: AsyncSession, viewer: Person, trouble: Trouble = NO_TROUBLE
) -> Template:
    rows = await _rows(db, viewer)
    shown = {f"flag-{row.id}" for row in rows}
    # a flag decided meanwhile has no form left to keep the reason in: it is shown above the queue
    unused_reason = trouble.typed.get("reason", "") if trouble.form and trouble.form not in shown else ""
    return await page(
        "admin_engagement_flags.html",
        request,
        db,
        viewer,
        status_code=trouble.status,
        rows=rows,
        unused_reason=unused_reason,
        when=when,
        done=DONE.get(request.query_params.get("done", ""), ""),
        trouble=trouble,
    )


async def _not_here(request: Request[Any, Any, Any], db: AsyncSession, viewer: Person | None) -> Template | None:
    if viewer is None or not viewer.is_admin:
        return await page("organisation.html", request, db, viewer, status_code=404, missing="There is no such page.")
    return None


@get(PATH, summary="Flags raised in engagements (platform admins)", include_in_schema=False)
async def engagement_flags(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return sign_in_first(PATH)
    if refused := await _not_here(request, db, viewer):
        return refused
    return await _queue_page(request, db, viewer)


@post(f"{PATH}/{{flag_id:int}}/decide", summary="Decide an engagement flag (platform admins)", include_in_schema=False)
async def decide_flag(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, flag_id: FromPath[int]
) -> Template | Response[Any]:
    if viewer is None:
        return sign_in_first(PATH)
    if refused := await _not_here(request, db, viewer):
        return refused
    form = await read_form(request)
    action = str(form.get("action", ""))
    typed = {"reason": str(form.get("reason", ""))}
    name = f"flag-{flag_id}"
    if action not in ("dismiss", "remove"):
        return await _queue_page(
            request, db, viewer, Trouble(name, "Choose to dismiss the flag or remove the message.", 422, {}, typed)
        )
    try:
        data = msgspec.convert(
            {"remove": action == "remove", "reason": typed["reason"].strip()}, EngagementFlagDecision
        )
    except msgspec.ValidationError:
        problem = "Give a reason (up to 1,000 characters)."
        return await _queue_page(request, db, viewer, Trouble(name, problem, 422, {"reason": problem}, typed))

    async def shown_again(exc: DomainError) -> Response[Any]:
        return await _queue_page(request, db, viewer, Trouble.of(name, exc, typed))

    done = "removed" if data.remove else "dismissed"
    return await post_action(
        db, lambda: flags.decide(db, viewer, flag_id, data), then=lambda _: f"{PATH}?done={done}", refused=shown_again
    )


handlers = [engagement_flags, decide_flag]
