"""The notifications page: newest first, each as a sentence with a link, marking read.

Without JavaScript: plain cursor links and POST forms that redirect back (303). With it,
`notifications.js` marks read in place (asking for JSON), keeps the header's unread badge
right, and puts new notifications at the top of the list as they arrive (fetching the
server-rendered items from `/notifications/latest`, so a sentence is written in one place).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template
from litestar.status_codes import HTTP_200_OK
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from network.errors import Invalid
from network.models import Person
from network.people import networks, notifications
from network.people.notifications import NotificationView
from network.views import Page
from server.deps import Db, Viewer
from web.people.notification_sentences import sentence
from web.render import page

PAGE_SIZE = 30
LIST_PATH = "/notifications"


@dataclass(frozen=True, slots=True)
class Item:
    """One notification as the page shows it."""

    id: int
    seq: int
    kind: str
    read: bool
    created_at: datetime
    sentence: Markup


async def network_names(db: AsyncSession, views: list[NotificationView]) -> dict[int, str]:
    return await networks.names_by_id(db, {v.network_id for v in views if v.network_id})


async def items_for(db: AsyncSession, views: list[NotificationView]) -> list[Item]:
    names = await network_names(db, views)
    return [Item(v.id, v.seq, v.kind, v.read, v.created_at, sentence(v, names)) for v in views]


def _signin(next_path: str = LIST_PATH) -> Redirect:
    return Redirect(f"/signin?next={next_path}", status_code=303)


def _back(target: str) -> str:
    """Where a mark-read form returns: this page (with its query), never elsewhere."""
    if target == LIST_PATH or target.startswith(LIST_PATH + "?"):
        return target
    return LIST_PATH


@get(LIST_PATH, summary="Notifications page", include_in_schema=False)
async def notifications_page(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Redirect:
    if viewer is None:
        return _signin()
    cursor = request.query_params.get("cursor") or None
    unread_only = request.query_params.get("unread") == "1"
    error = None
    try:
        listing = await notifications.list_notifications(
            db, viewer, unread_only=unread_only, cursor=cursor, limit=PAGE_SIZE
        )
    except Invalid as exc:
        error = exc.message
        listing = Page(items=[], next_cursor=None)
    items = await items_for(db, listing.items)
    here = LIST_PATH + (f"?{request.url.query}" if request.url.query else "")
    more = None
    if listing.next_cursor:
        more = LIST_PATH + "?" + urlencode({"cursor": listing.next_cursor} | ({"unread": "1"} if unread_only else {}))
    return await page(
        "notifications.html",
        request,
        db,
        viewer,
        status_code=400 if error else 200,
        items=items,
        more=more,
        first_page=cursor is None,
        unread_only=unread_only,
        here=here,
        error=error,
    )


@get(
    LIST_PATH + "/latest", summary="Notifications newer than a sequence number, as list items", include_in_schema=False
)
async def latest_items(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Template | Response[str]:
    """The `<li>`s of the viewer's notifications after `after` (for the live list); empty for nobody."""
    if viewer is None:
        return Response("", status_code=401, media_type="text/html")
    try:
        after = int(request.query_params.get("after", "0"))
    except ValueError:
        after = 0
    listing = await notifications.list_notifications(db, viewer, unread_only=False, cursor=None, limit=PAGE_SIZE)
    items = await items_for(db, [v for v in listing.items if v.seq > after])
    return Template("notification_items.html", context={"items": items, "here": LIST_PATH})


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    return "application/json" in request.headers.get("accept", "")


async def _after_marking(request: Request[Any, Any, Any], db: AsyncSession, person: Person, marked: int) -> Any:
    if _wants_json(request):
        unread = await notifications.unread_count(db, person)
        return Response({"marked": marked, "unread": unread})
    form = await request.form()
    return Redirect(_back(str(form.get("next") or LIST_PATH)), status_code=303)


@post(LIST_PATH + "/read", status_code=HTTP_200_OK, summary="Mark every notification read", include_in_schema=False)
async def mark_all_read(request: Request[Any, Any, Any], db: Db, viewer: Viewer) -> Response[Any] | Redirect:
    if viewer is None:
        return _signin()
    marked = await notifications.mark_read(db, viewer, None)
    return await _after_marking(request, db, viewer, marked)  # type: ignore[no-any-return]


@post(
    LIST_PATH + "/{notification_id:int}/read",
    status_code=HTTP_200_OK,
    summary="Mark one notification read",
    include_in_schema=False,
)
async def mark_one_read(
    request: Request[Any, Any, Any], db: Db, viewer: Viewer, notification_id: FromPath[int]
) -> Response[Any] | Redirect:
    if viewer is None:
        return _signin()
    marked = await notifications.mark_read(db, viewer, [notification_id])  # someone else's id marks nothing
    return await _after_marking(request, db, viewer, marked)  # type: ignore[no-any-return]


handlers = [notifications_page, latest_items, mark_all_read, mark_one_read]
