"""An engagement's page (`/engagements/{id}`, docs/design.md §3.12): the summary sentence and state, the plan
with its edit form and each side's agreement, the private thread, check-ins, closing (outcomes, stopping
early, the follow-up, sharing an outcome as a practice) and every version of the plan.

Only the engagement's named people read it; to anyone else it is the 404 page with "No engagement N.",
exactly as for one that does not exist. Every form is a plain POST (`engagement_forms.py`) answered with
303 back here, so the page works without JavaScript; `engagement.js` keeps an open page current from the
live socket by reading this page again and swapping in the parts that changed (`data-part`), never a form
someone has typed in. What the reader may do comes from the services' own refusal functions
(`EngagementView.powers`): a form is shown exactly where it would work.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock, cursors, markdown
from network.engagements import lifecycle, space, thread
from network.engagements.views import EngagementView, RevisionView
from network.enums import Side
from network.errors import NotFound
from network.models import Person
from network.people import profiles
from server.deps import Db, Viewer
from web.content.post_pages import FLAG_REASONS
from web.engagements import vocabulary
from web.forms import see_other
from web.render import page
from web.shared import Trouble, day, when

MESSAGE_PAGE = 100
# the plan's fields as the form and the revisions name them
PLAN_LABELS = {
    "title": "Title",
    "aims": "Aims",
    "activities": "Planned activities",
    "starts_on": "Start",
    "expected_end_on": "Expected end",
    "next_check_in_on": "Next check-in",
}
# what the page says after a form went through (?done=…)
DONE = {
    "plan": "The plan is saved as a new version. The other side sees it now.",
    "agreed": "Your side has agreed this version of the plan.",
    "message": "",
    "check-in": "Your check-in is recorded.",
    "outcome": "Your side's outcome is recorded.",
    "stopped": "The engagement is stopped early. Its request is closed, saying why.",
    "follow-up": "Thank you: your answer is recorded.",
    "shared": "The outcome is shared with the network as a practice.",
    "flagged": "Thank you: the platform admins will look at the message. The network's leads cannot read this space.",
}


def md(text: str, top: int = 3) -> str:
    """Markdown as sanitised HTML, its headings nested under the page's."""
    return markdown.nest_headings(markdown.render(text), top)


async def not_found(
    request: Request[Any, Any, Any], db: AsyncSession, viewer: Person | None, message: str
) -> Response[Any]:
    """The 404 page, the same for an engagement the reader is not named in as for one that does not exist."""
    return await page("partials/post_not_found.html", request, db, viewer, status_code=404, message=message)


def _shown(value: object) -> str:
    if value is None or value == "":
        return "not set"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def stale_fields(view: EngagementView, typed: dict[str, Any]) -> list[tuple[str, str, str]]:
    """After an edit refused as stale: each plan field where what the person typed differs from the current
    plan, as (label, the current value, theirs), so they can compare before saving again."""
    found = []
    for name, label in PLAN_LABELS.items():
        if name not in typed:
            continue
        current = getattr(view, name)
        theirs = _text(typed[name])
        if theirs != _text(current):
            found.append((label, _shown(current), theirs or "not set"))
    return found


def _text(value: object) -> str:
    return (value.isoformat() if isinstance(value, date) else str(value or "")).strip()


def merge_stale(view: EngagementView, typed: dict[str, Any], base: dict[str, object] | None) -> dict[str, Any]:
    """The plan form to show again after a stale edit: each field the person changed from the version they
    edited (`base`) as they typed it, every other field as the plan is now, so that saving it again writes
    only their own changes over what came since."""
    merged = dict(typed)
    for name in PLAN_LABELS:
        if name in typed and base is not None and _text(typed[name]) == _text(base.get(name)):
            merged[name] = _text(getattr(view, name))
    return merged


def _changes(revisions: list[RevisionView]) -> dict[int, list[str]]:
    """For each version, the parts of the plan it changed from the version before (newest first in, by version out)."""
    by_version = {r.version: r.plan for r in revisions}
    changed: dict[int, list[str]] = {}
    for version, plan in by_version.items():
        before = by_version.get(version - 1)
        if before is None:
            changed[version] = []
            continue
        names = [label for name, label in PLAN_LABELS.items() if plan.get(name) != before.get(name)]
        if plan.get("unlisted") != before.get("unlisted"):
            names.append("listing")
        if plan.get("people") != before.get("people"):
            names.append("named people")
        changed[version] = names
    return changed


async def _revision_names(db: AsyncSession, revisions: list[RevisionView]) -> dict[int, str]:
    ids = {r.editor_id for r in revisions if r.editor_id is not None}
    for r in revisions:
        people = r.plan.get("people")
        if isinstance(people, list):
            ids |= {int(p["person_id"]) for p in people if isinstance(p, dict) and "person_id" in p}
    return await profiles.display_names(db, ids)


async def render_engagement(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person | None,
    engagement_id: int,
    *,
    trouble: Trouble | None = None,
    messages_after: str | None = None,
    done: str | None = None,
) -> Response[Any]:
    """The whole page; with `trouble`, the refusal is shown beside its form with what was typed kept (and,
    for a stale plan edit, the current plan beside it)."""
    try:
        space_ = await space.open_engagement(db, engagement_id, viewer)
        seq = space_.network.event_seq  # read before the content, so a live change is never missed
        view = await space.describe_for(db, space_)
        messages = await thread.list_messages(db, space_, cursor=messages_after, limit=MESSAGE_PAGE)
    except cursors.BadCursor:  # an altered "later messages" address: start from the first message
        return see_other(f"/engagements/{engagement_id}#thread")
    except NotFound as exc:
        return await not_found(request, db, viewer, exc.message)
    powers = view.powers
    assert powers is not None and viewer is not None
    revisions = await thread.revisions(db, space_)
    stale: list[tuple[str, str, str]] = []
    if trouble is not None and trouble.form == "plan" and trouble.status == 409:
        base = next((r.plan for r in revisions if str(r.version) == str(trouble.typed.get("version"))), None)
        trouble.typed = merge_stale(view, trouble.typed, base)
        stale = stale_fields(view, trouble.typed)
    mine = view.my_side
    return await page(
        "engagement.html",
        request,
        db,
        viewer,
        status_code=trouble.status if trouble else 200,
        e=view,
        network=space_.network,
        seq=seq,
        messages=messages.items,
        messages_next=messages.next_cursor,
        messages_after=messages_after,
        check_ins=await thread.list_check_ins(db, space_),
        revisions=revisions,
        changes=_changes(revisions),
        names=await _revision_names(db, revisions),
        colleagues=await lifecycle.nameable(db, space_) if powers.edit else [],
        sides=[Side.REQUESTER, Side.OFFERER],
        mine=mine,
        other=mine.other if mine is not None else None,
        outcomes={o.side: o for o in view.outcomes},
        follow_ups={f.side: f for f in view.follow_ups},
        trouble=trouble,
        stale=stale,
        done=DONE.get(done or "", ""),
        today=clock.now().date(),
        follow_up_due=vocabulary.follow_up_due(view, clock.now().date()),
        v=vocabulary,
        plan_labels=PLAN_LABELS,
        flag_reasons=FLAG_REASONS,
        md=md,
        when=when,
        day=day,
    )


@get("/engagements/{engagement_id:int}", summary="An engagement's space", include_in_schema=False)
async def engagement_page(
    request: Request[Any, Any, Any],
    db: Db,
    viewer: Viewer,
    engagement_id: FromPath[int],
    messages_after: FromQuery[str | None] = None,
    done: FromQuery[str | None] = None,
) -> Response[Any]:
    return await render_engagement(request, db, viewer, engagement_id, messages_after=messages_after, done=done)


handlers = [engagement_page]
