"""Appeals in the browser: the person a decision concerns appeals it; another lead (or a platform admin) decides.

`/decisions/{id}/appeal` shows the decision as it was logged and, to the person it concerns while they
may still appeal, a statement form (network.appeals.file). `/appeals/{id}` then shows how the appeal
stands and who decides it; to a permitted decider it shows the statement, the decision and a form to
uphold or overturn it (network.appeals.decide). The lead who took the decision sees the appeal with the
domain's refusal instead of the form. `/appeals` lists the open appeals the reader may decide, and their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from network import clock
from network.access import access_to
from network.casework import appeals
from network.enums import AppealStatus
from network.errors import DomainError, NotFound
from network.governance import transparency
from network.inputs import AppealDecisionInput, AppealInput
from network.models import Network, Person
from network.moderation.views import AppealView, log_entry_view
from network.people import networks
from server.deps import Db, Viewer
from web.forms import post_action, read_form, sign_in_first
from web.governance.log_pages import APPEAL_WORDS, LogRow, rows_for
from web.render import page
from web.shared import NO_TROUBLE, Trouble, field_errors, not_found, when

STATUS_WORDS = {
    AppealStatus.OPEN: "Waiting for a decision",
    AppealStatus.UPHELD: "Decided: the decision stands",
    AppealStatus.OVERTURNED: "Decided: the decision was overturned and undone",
}
OUTCOMES = {
    AppealStatus.UPHELD: ("Uphold: the decision stands", "Nothing changes; the appellant is told your reason."),
    AppealStatus.OVERTURNED: (
        "Overturn: undo the decision",
        "Hidden or removed content is shown again, an edit is put back, a lock or sanction is lifted.",
    ),
}


# ---- filing an appeal -------------------------------------------------------------------------------------------


async def _decision_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person,
    decision_id: int,
    *,
    trouble: Trouble = NO_TROUBLE,
) -> Response[Any]:
    """The decision as logged, with the statement form when the reader may appeal it now."""
    try:
        entry, network = await transparency.get_entry(db, decision_id)
    except NotFound as exc:
        return await not_found(request, db, viewer, exc.message)
    concerned = entry.subject_id == viewer.id
    if not concerned and not transparency.may_read_log(await access_to(db, network, viewer)):
        return await not_found(request, db, viewer, f"No decision {decision_id}.")
    appeal = await appeals.appeal_on(db, entry.id)
    now = clock.now()
    view = log_entry_view(entry, network, appeal.status if appeal else None)
    (row,) = await rows_for(db, [view], viewer, now)
    refusal = appeals.file_refusal(viewer, entry, already_appealed=appeal is not None, now=now)
    problem = refusal.message if refusal else None
    return await page(
        "partials/appeal_file.html",
        request,
        db,
        viewer,
        status_code=trouble.status,
        network=network,
        row=row,
        concerned=concerned,
        appeal=appeal if concerned else None,
        problem=problem,
        trouble=trouble,
        when=when,
    )


@get("/decisions/{decision_id:int}/appeal", summary="Appeal a decision that concerns you", include_in_schema=False)
async def appeal_form(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, decision_id: FromPath[int]
) -> Response[Any]:
    if viewer is None:
        return sign_in_first(f"/decisions/{decision_id}/appeal")
    return await _decision_page(request, db, viewer, decision_id)


@post("/decisions/{decision_id:int}/appeal", summary="File an appeal", include_in_schema=False)
async def file_appeal(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, decision_id: FromPath[int]
) -> Response[Any]:
    if viewer is None:
        return sign_in_first(f"/decisions/{decision_id}/appeal")
    typed = {"statement": str((await read_form(request)).get("statement", ""))}
    errors = field_errors(AppealInput, typed)
    if "statement" in errors and not typed["statement"].strip():
        errors["statement"] = "Say why the decision should change."
    if errors:
        trouble = Trouble("appeal", "Your appeal could not be sent.", 422, errors, typed)
        return await _decision_page(request, db, viewer, decision_id, trouble=trouble)

    async def refused(exc: DomainError) -> Response[Any]:
        if isinstance(exc, NotFound):
            return await not_found(request, db, viewer, exc.message)
        return await _decision_page(request, db, viewer, decision_id, trouble=Trouble.of("appeal", exc, typed))

    data = AppealInput(decision_id=decision_id, statement=typed["statement"])
    return await post_action(
        db, lambda: appeals.file(db, viewer, data), then=lambda made: f"/appeals/{made.id}?filed=1", refused=refused
    )


# ---- one appeal, and deciding it ----------------------------------------------------------------------------------


async def decider_refusal(db: AsyncSession, viewer: Person, view: AppealView, network: Network) -> str | None:
    """Why the reader may not decide this appeal (the domain's own check), or None."""
    return await appeals.decider_refusal(db, viewer, view.id)


async def _appeal_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person,
    appeal_id: int,
    *,
    notice: str = "",
    trouble: Trouble = NO_TROUBLE,
) -> Response[Any]:
    try:
        view = await appeals.get(db, viewer, appeal_id)
    except NotFound as exc:
        return await not_found(request, db, viewer, exc.message)
    network = await networks.get_by_slug(db, view.network)
    (row,) = await rows_for(db, [view.decision], viewer, clock.now())
    appellant = viewer.id == view.appellant.id
    refusal = None if appellant else await decider_refusal(db, viewer, view, network)
    return await page(
        "appeal.html",
        request,
        db,
        viewer,
        status_code=trouble.status,
        appeal=view,
        network=network,
        row=row,
        appellant=appellant,
        refusal=refusal,
        can_decide=not appellant and refusal is None and view.status is AppealStatus.OPEN,
        status_words=STATUS_WORDS,
        outcomes=OUTCOMES,
        notice=notice,
        trouble=trouble,
        when=when,
    )


@get("/appeals/{appeal_id:int}", summary="An appeal: how it stands, and deciding it", include_in_schema=False)
async def appeal_page(
    request: Request[Any, Any, Any],
    db: Db,
    viewer: Viewer,
    appeal_id: FromPath[int],
    filed: FromQuery[str] = "",
    decided: FromQuery[str] = "",
) -> Response[Any]:
    if viewer is None:
        return sign_in_first(f"/appeals/{appeal_id}")
    notice = ""
    if filed == "1":
        notice = "Your appeal was sent. You will be told the outcome and its reason."
    elif decided == "1":
        notice = "The appeal is decided. The appellant and the lead who acted are told, and it is in the log."
    return await _appeal_page(request, db, viewer, appeal_id, notice=notice)


@post("/appeals/{appeal_id:int}/decide", summary="Uphold or overturn an appeal", include_in_schema=False)
async def decide_appeal(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, appeal_id: FromPath[int]
) -> Response[Any]:
    if viewer is None:
        return sign_in_first(f"/appeals/{appeal_id}")
    form = await read_form(request)
    typed = {"outcome": str(form.get("outcome", "")), "reason": str(form.get("reason", ""))}
    errors = field_errors(AppealDecisionInput, {"reason": typed["reason"]})
    if typed["outcome"] not in (AppealStatus.UPHELD.value, AppealStatus.OVERTURNED.value):
        errors["outcome"] = "Choose to uphold the decision or to overturn it."
    if "reason" in errors and not typed["reason"].strip():
        errors["reason"] = "Give the reason for the outcome: the appellant is told it, and it is logged."
    if errors:
        trouble = Trouble("decide", "The appeal could not be decided.", 422, errors, typed)
        return await _appeal_page(request, db, viewer, appeal_id, trouble=trouble)

    async def refused(exc: DomainError) -> Response[Any]:
        return await _appeal_page(request, db, viewer, appeal_id, trouble=Trouble.of("decide", exc, typed))

    data = AppealDecisionInput(outcome=AppealStatus(typed["outcome"]), reason=typed["reason"])
    return await post_action(
        db,
        lambda: appeals.decide(db, viewer, appeal_id, data),
        then=lambda _: f"/appeals/{appeal_id}?decided=1",
        refused=refused,
    )


# ---- the list ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppealItem:
    appeal: AppealView
    row: LogRow
    network_name: str
    refusal: str | None  # why the reader may not decide it (the lead who acted), or None


@get("/appeals", summary="Appeals to decide, and your own", include_in_schema=False)
async def appeal_list(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, decided: FromQuery[str] = ""
) -> Response[Any]:
    if viewer is None:
        return sign_in_first("/appeals")
    include_decided = decided == "1"
    views = await appeals.list_for(db, viewer, open_only=not include_decided)
    now = clock.now()
    rows = {r.id: r for r in await rows_for(db, [v.decision for v in views], viewer, now)}
    theirs = [v for v in views if v.appellant.id != viewer.id]
    refusals = await appeals.decider_refusals(db, viewer, [v.id for v in theirs])
    names = await networks.names_by_slug(db, {v.network for v in views})
    to_decide: list[AppealItem] = []
    mine: list[AppealItem] = []
    for v in views:
        item = AppealItem(v, rows[v.decision.id], names.get(v.network, v.network), refusals.get(v.id))
        (mine if v.appellant.id == viewer.id else to_decide).append(item)
    return await page(
        "appeals.html",
        request,
        db,
        viewer,
        to_decide=to_decide,
        mine=mine,
        include_decided=include_decided,
        status_words=STATUS_WORDS,
        appeal_words=APPEAL_WORDS,
        when=when,
    )


handlers = [appeal_form, file_appeal, appeal_page, decide_appeal, appeal_list]
