"""Saved searches in the browser: "Save this search" on the search page (`POST /search/saved`), and the
person's own list (`/account/saved-searches`): run each one, turn its alerts on or off, rename it,
delete it (network/search/saved.py). Plain forms, no JavaScript: each answers with POST-redirect-GET,
or the list again with the refusal beside the form it came from.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from network.errors import DomainError
from network.models import Person
from network.search import filters as search_filters
from network.search import saved
from network.search.scope import reading_scope
from server.deps import Db, Viewer
from web.forms import read_form, see_other, sign_in_first
from web.render import page

PATH = "/account/saved-searches"
AnyRequest = Request[Any, Any, Any]
DONE = {
    "saved": "The search is saved. New posts that match it will be in your notifications.",
    "renamed": "The saved search is renamed.",
    "alerts-on": "You will be told of new posts that match it.",
    "alerts-off": "You will no longer be told of new posts that match it; it stays saved.",
    "deleted": "The saved search is deleted.",
}


async def _list_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    viewer: Person,
    *,
    status_code: int = 200,
    message: str = "",
    errors: dict[str, str] | None = None,
    form: int | None = None,
    typed: str = "",
) -> Template:
    scope = await reading_scope(db, viewer)
    return await page(
        "saved_searches.html",
        request,
        db,
        viewer,
        status_code=status_code,
        searches=[saved.view(s) for s in await saved.list_saved(db, viewer)],
        most=saved.MAX_SAVED,
        network_names={n.slug: n.name for n in scope.networks.values()},
        done=DONE.get(request.query_params.get("done", ""), ""),
        message=message,
        errors=errors or {},
        form=form,
        typed=typed,
    )


@get(PATH, summary="Your saved searches", include_in_schema=False)
async def saved_searches_page(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return sign_in_first(PATH)
    return await _list_page(request, db, viewer)


@post("/search/saved", summary="Save this search", include_in_schema=False)
async def save_search(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    form = await read_form(request)
    q = str(form.get("q", ""))
    chosen = {name: str(form.get(name, "")) for name in search_filters.NAMES if form.get(name)}
    if viewer is None:
        return sign_in_first(saved.search_link(q, chosen))
    try:
        data = msgspec.convert({"q": q, "filters": chosen}, saved.SavedSearchInput)
        async with db.begin_nested():
            made = await saved.create(db, viewer, data)
    except msgspec.ValidationError:
        message = "That search could not be saved as it is: search again, then save it."
        return await _list_page(request, db, viewer, status_code=400, message=message)
    except DomainError as exc:
        return await _list_page(request, db, viewer, status_code=exc.status, message=exc.message)
    return see_other(f"{PATH}?done=saved#saved-{made.id}")


@post(PATH + "/{saved_id:int}/name", summary="Rename a saved search", include_in_schema=False)
async def rename(request: AnyRequest, db: Db, viewer: Viewer, saved_id: FromPath[int]) -> Template | Redirect:
    if viewer is None:
        return sign_in_first(PATH)
    typed = str((await read_form(request)).get("name", ""))
    try:
        async with db.begin_nested():
            await saved.change(db, viewer, saved_id, saved.SavedSearchChange(name=typed[:1000]))
    except DomainError as exc:
        errors = {f"name-{saved_id}": exc.fields.get("name", exc.message)} if exc.fields else {}
        return await _list_page(
            request, db, viewer, status_code=exc.status, message=exc.message, errors=errors, form=saved_id, typed=typed
        )
    return see_other(f"{PATH}?done=renamed#saved-{saved_id}")


@post(PATH + "/{saved_id:int}/alerts", summary="Turn a saved search's alerts on or off", include_in_schema=False)
async def alerts(request: AnyRequest, db: Db, viewer: Viewer, saved_id: FromPath[int]) -> Template | Redirect:
    if viewer is None:
        return sign_in_first(PATH)
    on = (await read_form(request)).get("alerts") == "on"
    try:
        async with db.begin_nested():
            await saved.change(db, viewer, saved_id, saved.SavedSearchChange(alerts=on))
    except DomainError as exc:
        return await _list_page(request, db, viewer, status_code=exc.status, message=exc.message)
    return see_other(f"{PATH}?done={'alerts-on' if on else 'alerts-off'}#saved-{saved_id}")


@post(PATH + "/{saved_id:int}/delete", summary="Delete a saved search", include_in_schema=False)
async def delete(request: AnyRequest, db: Db, viewer: Viewer, saved_id: FromPath[int]) -> Template | Redirect:
    if viewer is None:
        return sign_in_first(PATH)
    try:
        async with db.begin_nested():
            await saved.remove(db, viewer, saved_id)
    except DomainError as exc:
        return await _list_page(request, db, viewer, status_code=exc.status, message=exc.message)
    return see_other(f"{PATH}?done=deleted")


handlers = [saved_searches_page, save_search, rename, alerts, delete]
