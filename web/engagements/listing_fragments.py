"""The "Working together" lines as fragments, for the pages that redraw them live (docs/design.md §3.12):
a request's section (post.js) and the network page's (feed.js), each rendered by the page's own template
so the sentence is the server's. Anyone who may not read the request or the network gets the 404 page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath

from network.access import open_network
from network.content import posts
from network.engagements import listing
from network.enums import PostKind
from network.errors import DomainError
from server.deps import Db, Viewer
from web.engagements.engagement_pages import not_found
from web.people.network_pages import WORKING_TOGETHER
from web.render import page


class ListingFragments(Controller):
    path = "/"
    include_in_schema = False

    @get("/posts/{post_id:int}/engagements/section", summary="A request's working-together lines (for post.js)")
    async def request_section(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, post_id: FromPath[int]
    ) -> Response[Any]:
        try:
            access, post_ = await posts.open_post(db, post_id, viewer)
        except DomainError as exc:
            return await not_found(request, db, viewer, exc.message)
        if post_.kind is not PostKind.REQUEST:
            return await not_found(request, db, viewer, f"No request {post_id}.")
        engagements = await listing.on_request(db, access, post_)
        return await page("partials/post_engagements.html", request, db, viewer, engagements=engagements)

    @get("/networks/{slug:str}/engagements/section", summary="The network's working-together lines (for feed.js)")
    async def network_section(
        self, request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str]
    ) -> Response[Any]:
        try:
            access = await open_network(db, slug, viewer)
        except DomainError as exc:
            return await not_found(request, db, viewer, exc.message)
        working = await listing.network_summaries(db, access, cursor=None, limit=WORKING_TOGETHER)
        return await page("partials/network_working.html", request, db, viewer, working=working.items)


handlers = [ListingFragments]
