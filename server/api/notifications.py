"""Personal notifications: list (newest first), unread count, mark read."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK

from network.errors import Invalid
from network.inputs import Input
from network.people import notifications
from network.people.notifications import ReadResult, UnreadCount
from network.views import Page
from server.api.params import Cursor, Limit
from server.deps import Db, Me


class ReadInput(Input):
    """Either `ids` (up to 500 of your notifications) or `all: true`."""

    ids: Annotated[list[Annotated[int, msgspec.Meta(ge=1)]], msgspec.Meta(max_length=500)] | None = None
    all: bool = False


class NotificationController(Controller):
    path = "/notifications"
    tags = ["notifications"]

    @get("/", summary="Your notifications, newest first")
    async def list_notifications(
        self, db: Db, person: Me, cursor: Cursor = None, limit: Limit = 30, unread: FromQuery[bool] = False
    ) -> Page:
        return await notifications.list_notifications(db, person, unread_only=unread, cursor=cursor, limit=limit)

    @get("/unread-count", summary="How many of your notifications are unread")
    async def unread_count(self, db: Db, person: Me) -> UnreadCount:
        return UnreadCount(unread=await notifications.unread_count(db, person))

    @post("/read", status_code=HTTP_200_OK, summary="Mark notifications read: {ids} or {all: true}")
    async def mark_read(self, db: Db, person: Me, data: JSONBody[ReadInput]) -> ReadResult:
        if data.all == (data.ids is not None):
            raise Invalid("Send either {'ids': [...]} or {'all': true}.", fields={"ids": "Give ids or all."})
        marked = await notifications.mark_read(db, person, None if data.all else data.ids)
        return ReadResult(marked=marked, unread=await notifications.unread_count(db, person))
