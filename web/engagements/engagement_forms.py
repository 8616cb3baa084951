"""The engagement page's forms: the plan, agreeing it, the thread, check-ins, outcomes, stopping early, the
follow-up and sharing an outcome (docs/design.md §3.12).

Each is a plain POST read into the API's own input (network/inputs.py) and handed to the service the API
calls, in a savepoint: it answers 303 back to its place on the page (POST-redirect-GET), or the page again
with the refusal beside its form and what was typed kept. A plan edit names the version its form showed;
when the plan has changed since, the service refuses it (409) and the page shows the current plan beside
what the person typed, their text still in the form, ready to save over the current version.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import msgspec
from litestar import Request, Response, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from network.engagements import flags, lifecycle, outcomes, space, thread
from network.engagements.space import Space
from network.enums import Side
from network.errors import DomainError, NotFound
from network.inputs import (
    CheckInInput,
    EngagementFlagInput,
    EngagementMessageInput,
    FollowUpInput,
    OutcomeInput,
    PlanEdit,
    StopInput,
)
from network.models import Person
from server.deps import Db, Viewer
from web.engagements.engagement_pages import not_found, render_engagement
from web.forms import post_action, read_form, sign_in_first
from web.shared import Trouble, field_errors

AnyRequest = Request[Any, Any, Any]
In = TypeVar("In", bound=msgspec.Struct)
Out = TypeVar("Out")

PLAN_TEXTS = ("title", "aims", "activities")
PLAN_DATES = ("starts_on", "expected_end_on", "next_check_in_on")


def plan_values(form: FormMultiDict) -> dict[str, Any]:
    """The plan form as `PlanEdit` reads it: every field sent (the service keeps those that did not change),
    a blank date clearing it, the listing choice only when the form offered it."""
    values: dict[str, Any] = {"version": str(form.get("version", "")).strip() or None}
    values |= {name: str(form.get(name, "")) for name in PLAN_TEXTS}
    values |= {name: str(form.get(name, "")).strip() or None for name in PLAN_DATES}
    if form.get("listing"):
        values["unlisted"] = form.get("unlisted") == "yes"
    added = str(form.get("add_people", "")).strip()
    values["add_people"] = [added] if added else []
    values["drop_people"] = [str(v) for v in form.getall("drop_people", [])]
    return values


def plan_typed(values: dict[str, Any]) -> dict[str, Any]:
    """What the person typed into the plan form, to show again: the texts and dates as typed."""
    typed = {"version": values["version"]} | {name: values[name] for name in PLAN_TEXTS}
    typed |= {name: values[name] or "" for name in PLAN_DATES}
    if "unlisted" in values:
        typed["unlisted"] = values["unlisted"]
    return typed


def read_input(schema: type[In], form: str, values: dict[str, Any], typed: dict[str, Any]) -> In | Trouble:
    """The form's values as the API's input, or the trouble to show beside the form: a message per field."""
    try:
        return msgspec.convert(values, schema, strict=False)
    except msgspec.ValidationError:
        fields = field_errors(schema, values)
        message = "Check the fields marked below." if fields else "This form could not be read; try again."
        return Trouble(form, message, 422, fields, typed)


async def act(
    request: AnyRequest,
    db: AsyncSession,
    viewer: Person | None,
    engagement_id: int,
    form: str,
    change: Callable[[Space], Awaitable[Out]],
    *,
    then: Callable[[Out], str],
    typed: dict[str, Any] | None = None,
) -> Response[Any]:
    """Open the engagement, make the change in a savepoint and go back to `then(result)` on its page (303).
    An engagement the reader may not read is the 404 page; any other refusal shows the page again with the
    message beside the form `form` and what was typed kept."""
    back = f"/engagements/{engagement_id}"
    if viewer is None:
        return sign_in_first(back)

    async def refused(exc: DomainError) -> Response[Any]:
        if isinstance(exc, NotFound):
            return await not_found(request, db, viewer, exc.message)
        trouble = Trouble.of(form, exc, typed)
        if form != "message" and set(trouble.fields) == {"body"}:  # the screening's word for any text written:
            trouble.fields = {}  # on a form of several texts it is said for the whole form
        return await render_engagement(request, db, viewer, engagement_id, trouble=trouble)

    try:
        space_ = await space.open_engagement(db, engagement_id, viewer)
    except DomainError as exc:
        return await refused(exc)
    return await post_action(db, lambda: change(space_), then=lambda result: back + then(result), refused=refused)


async def text_form(
    request: AnyRequest,
    db: AsyncSession,
    viewer: Person | None,
    engagement_id: int,
    form: str,
    schema: type[In],
    names: tuple[str, ...],
    change: Callable[[Space, In], Awaitable[Out]],
    *,
    then: Callable[[Out], str],
) -> Response[Any]:
    """A form whose fields `names` are read into `schema` (blank choices and dates left for the input to judge)."""
    if viewer is None:
        return sign_in_first(f"/engagements/{engagement_id}")
    fields = await read_form(request)
    values: dict[str, Any] = {name: str(fields.get(name, "")) for name in names}
    typed = dict(values)
    if "next_check_in_on" in values:  # a blank date is no date
        values["next_check_in_on"] = values["next_check_in_on"].strip() or None
    data = read_input(schema, form, values, typed)
    if isinstance(data, Trouble):
        return await render_engagement(request, db, viewer, engagement_id, trouble=data)
    parsed = data
    return await act(request, db, viewer, engagement_id, form, lambda s: change(s, parsed), then=then, typed=typed)


@post("/engagements/{engagement_id:int}/plan", summary="Change an engagement's plan", include_in_schema=False)
async def edit_plan(request: AnyRequest, db: Db, viewer: Viewer, engagement_id: FromPath[int]) -> Response[Any]:
    if viewer is None:
        return sign_in_first(f"/engagements/{engagement_id}")
    values = plan_values(await read_form(request))
    typed = plan_typed(values)
    data = read_input(PlanEdit, "plan", values, typed)
    if isinstance(data, Trouble):
        return await render_engagement(request, db, viewer, engagement_id, trouble=data)
    edit = data

    async def change(space_: Space) -> object:
        return await lifecycle.edit_plan(db, space_, edit, if_match=None)

    return await act(request, db, viewer, engagement_id, "plan", change, then=lambda _: "?done=plan#plan", typed=typed)


@post("/engagements/{engagement_id:int}/agree", summary="Agree an engagement's plan", include_in_schema=False)
async def agree(request: AnyRequest, db: Db, viewer: Viewer, engagement_id: FromPath[int]) -> Response[Any]:
    version = str((await read_form(request)).get("version", "")).strip()

    async def change(space_: Space) -> object:
        return await lifecycle.agree(
            db, space_, version=int(version) if version.isdigit() and len(version) < 10 else None
        )

    return await act(request, db, viewer, engagement_id, "agree", change, then=lambda _: "?done=agreed#agreement")


@post("/engagements/{engagement_id:int}/messages", summary="Write in an engagement's thread", include_in_schema=False)
async def add_message(request: AnyRequest, db: Db, viewer: Viewer, engagement_id: FromPath[int]) -> Response[Any]:
    async def change(space_: Space, data: EngagementMessageInput) -> object:
        return await thread.add_message(db, space_, data)

    return await text_form(
        request, db, viewer, engagement_id, "message", EngagementMessageInput, ("body",), change,
        then=lambda made: f"#message-{getattr(made, 'id', '')}",
    )  # fmt: skip


@post(
    "/engagements/{engagement_id:int}/messages/{message_id:int}/flags",
    summary="Flag a message of an engagement's thread for the platform admins",
    include_in_schema=False,
)
async def flag_message(
    request: AnyRequest, db: Db, viewer: Viewer, engagement_id: FromPath[int], message_id: FromPath[int]
) -> Response[Any]:
    async def change(space_: Space, data: EngagementFlagInput) -> object:
        return await flags.raise_flag(db, space_, await thread.open_message(db, space_, message_id), data)

    return await text_form(
        request, db, viewer, engagement_id, f"flag-{message_id}", EngagementFlagInput, ("reason", "note"), change,
        then=lambda _: f"?done=flagged#message-{message_id}",
    )  # fmt: skip


@post("/engagements/{engagement_id:int}/check-ins", summary="Record a check-in", include_in_schema=False)
async def add_check_in(request: AnyRequest, db: Db, viewer: Viewer, engagement_id: FromPath[int]) -> Response[Any]:
    async def change(space_: Space, data: CheckInInput) -> object:
        return await thread.add_check_in(db, space_, data)

    return await text_form(
        request, db, viewer, engagement_id, "check-in", CheckInInput, ("progress", "next_check_in_on"), change,
        then=lambda _: "?done=check-in#check-ins",
    )  # fmt: skip


OUTCOME_FIELDS = (
    "what_changed",
    "for_whom",
    "how_we_know",
    "evidence_strength",
    "do_differently",
    "work_together_again",
)


@post("/engagements/{engagement_id:int}/outcomes", summary="Write your side's outcome", include_in_schema=False)
async def write_outcome(request: AnyRequest, db: Db, viewer: Viewer, engagement_id: FromPath[int]) -> Response[Any]:
    async def change(space_: Space, data: OutcomeInput) -> object:
        return await outcomes.write_outcome(db, space_, data)

    return await text_form(
        request, db, viewer, engagement_id, "outcome", OutcomeInput, OUTCOME_FIELDS, change,
        then=lambda _: "?done=outcome#closing",
    )  # fmt: skip


@post("/engagements/{engagement_id:int}/stop", summary="Stop an engagement early", include_in_schema=False)
async def stop(request: AnyRequest, db: Db, viewer: Viewer, engagement_id: FromPath[int]) -> Response[Any]:
    async def change(space_: Space, data: StopInput) -> object:
        return await lifecycle.stop(db, space_, data.reason)

    return await text_form(
        request,
        db,
        viewer,
        engagement_id,
        "stop",
        StopInput,
        ("reason",),
        change,
        then=lambda _: "?done=stopped#closing",
    )


@post("/engagements/{engagement_id:int}/follow-up", summary="Say whether the change lasted", include_in_schema=False)
async def follow_up(request: AnyRequest, db: Db, viewer: Viewer, engagement_id: FromPath[int]) -> Response[Any]:
    async def change(space_: Space, data: FollowUpInput) -> object:
        return await outcomes.answer_follow_up(db, space_, data)

    return await text_form(
        request, db, viewer, engagement_id, "follow-up", FollowUpInput, ("lasted", "note"), change,
        then=lambda _: "?done=follow-up#follow-up",
    )  # fmt: skip


@post(
    "/engagements/{engagement_id:int}/outcomes/{side:str}/share",
    summary="Share a side's outcome as a practice",
    include_in_schema=False,
)
async def share(
    request: AnyRequest, db: Db, viewer: Viewer, engagement_id: FromPath[int], side: FromPath[str]
) -> Response[Any]:
    if side not in {s.value for s in Side}:
        return await not_found(request, db, viewer, f"No engagement {engagement_id}.")
    which = Side(side)

    async def change(space_: Space) -> object:
        return await outcomes.share(db, space_, which)

    return await act(
        request, db, viewer, engagement_id, f"share-{side}", change, then=lambda _: f"?done=shared#outcome-{side}"
    )


handlers = [edit_plan, agree, add_message, flag_message, add_check_in, write_outcome, stop, follow_up, share]
