"""Recording an adoption and writing its report from the practice page, the section's live fragment, and
the account's list of the organisation's records (docs/design.md §3.13).

Each form is a plain POST answered with 303 back to the practice's "Tried elsewhere" section, so the
pages work without JavaScript; a refusal shows the practice page again with the message beside the
form and what was typed kept (`post_pages.render_post`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath

from network.access import Access
from network.adoption import service
from network.adoption.models import Adoption
from network.adoption.views import AdoptionInput, ReportInput
from network.content import posts
from network.errors import DomainError, NotFound
from network.models import Post
from server.deps import Db, Viewer
from web.content.adoption_section import section_for
from web.content.post_pages import Trouble, act_on_post, helpers, moderation_for, not_found, render_post
from web.forms import read_form, sign_in_first
from web.render import page

RECORD_FIELDS = ("phase", "size_band", "setting", "adapted", "started_on")
REPORT_FIELDS = ("result", "evidence_strength", "how_we_know", "advice")
WHERE = "tried-elsewhere"


def _converted(typed: dict[str, str], schema: type[Any], form: str) -> Any:
    """The form's fields as the API's input, or the Trouble to show (the field at fault named)."""
    values = {k: v for k, v in typed.items() if v != "" or k in ("setting", "adapted", "how_we_know", "advice")}
    try:
        return msgspec.convert(values, schema, strict=False)
    except msgspec.ValidationError as exc:
        text = str(exc)
        name = text.rsplit("$.", 1)[-1].strip("`' ") if "$." in text else ""
        missing = "missing required field" in text.lower()
        if missing:
            name = text.split("`")[1] if "`" in text else name
        message = "Choose or fill in this field." if missing else "This is not valid."
        return Trouble(form, f"Check the form: {name.replace('_', ' ') or 'a field'}.", 422, {name: message}, typed)


async def _form_action(
    request: Request[Any, Any, Any],
    db: Db,
    viewer: Viewer,
    post_id: int,
    form: str,
    fields: tuple[str, ...],
    schema: type[Any],
    act: Callable[[Access, Post, Any], Awaitable[Adoption]],
) -> Response[Any]:
    if viewer is None:
        return sign_in_first(f"/posts/{post_id}")
    raw = await read_form(request)
    typed = {name: str(raw.get(name, "")) for name in fields}
    data = _converted(typed, schema, form)
    if isinstance(data, Trouble):
        return await render_post(request, db, viewer, post_id, trouble=data)
    return await act_on_post(
        request,
        db,
        viewer,
        post_id,
        form,
        lambda access, post_: act(access, post_, data),
        then=lambda _: WHERE,
        typed=typed,
    )


class AdoptionPages(Controller):
    path = "/"
    include_in_schema = False

    @post("/posts/{post_id:int}/adoptions", summary="Record that your organisation is trying this practice")
    async def record(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int]
    ) -> Response[Any]:
        async def make(access: Access, post_: Post, data: AdoptionInput) -> Adoption:
            return await service.record(db, access, post_, data)

        return await _form_action(request, db, viewer, post_id, "adoption", RECORD_FIELDS, AdoptionInput, make)

    @post("/adoptions/{adoption_id:int}/report", summary="Say how it went")
    async def report(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, adoption_id: FromPath[int]
    ) -> Response[Any]:
        if viewer is None:
            return sign_in_first("/account/adoptions")
        try:
            _access, post_, _adoption = await service.open_adoption(db, adoption_id, viewer)
        except NotFound as exc:
            return await not_found(request, db, viewer, exc.message)
        post_id = post_.id

        async def write(access: Access, post_: Post, data: ReportInput) -> Adoption:
            _, _, adoption = await service.open_adoption(db, adoption_id, viewer)
            return await service.report(db, access, post_, adoption, data)

        return await _form_action(request, db, viewer, post_id, "adoption-report", REPORT_FIELDS, ReportInput, write)

    @get("/posts/{post_id:int}/adoptions/summary", summary="The section's summary and reports (for post.js)")
    async def summary(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int]
    ) -> Response[Any]:
        if viewer is None:
            return await not_found(request, db, viewer)
        try:
            access, post_ = await posts.open_post(db, post_id, viewer)
            section = await section_for(db, access, post_, tried=False)
        except DomainError as exc:
            return await not_found(request, db, viewer, exc.message)
        if section is None:
            return await not_found(request, db, viewer)
        view = await posts.describe_post(db, post_, access.network.slug)
        mod = await moderation_for(db, access, view, [], adoption_list=section.listing.items)
        return await page(
            "partials/adoption_summary.html", request, db, viewer, adoption=section, mod=mod, trouble=None, **helpers()
        )

    @get("/account/adoptions", summary="Your organisation's adoptions")
    async def mine(self, request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Response[Any]:
        if viewer is None:
            return sign_in_first("/account/adoptions")
        items = await service.ours(db, viewer)
        return await page("adoptions.html", request, db, viewer, items=items, **helpers())


handlers = [AdoptionPages]
