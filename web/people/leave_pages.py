"""Leaving a network from its page: a plain form that asks again before it acts (POST, with the CSRF field),
answered with 303 to the directory, which says they left. A refusal (the last lead, a sanction) is the
network's page again with the reason. A network the reader may not read is the 404 page, as in the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, Response, post
from litestar.params import FromPath

from network.access import access_to
from network.errors import DomainError, NotFound
from network.people import membership, networks
from server.deps import Db, Viewer
from web.forms import see_other, sign_in_first
from web.people.network_pages import FeedQuery, _network_page, not_found


@post("/networks/{slug:str}/leave", summary="Leave a network, or withdraw a request to join it")
async def leave(request: Request[Any, Any, Any], db: Db, viewer: Viewer, slug: FromPath[str]) -> Response[Any]:
    if viewer is None:
        return sign_in_first(f"/networks/{slug}")
    try:
        async with db.begin_nested():  # a refusal writes nothing
            await membership.leave(db, await access_to(db, await networks.get_by_slug(db, slug), viewer))
    except NotFound as exc:
        return await not_found(request, db, viewer, exc.message)
    except DomainError as exc:
        try:
            return await _network_page(
                request, db, viewer, slug, FeedQuery(), error=exc.message, status_code=exc.status
            )
        except NotFound as gone:
            return await not_found(request, db, viewer, gone.message)
    return see_other(f"/networks?left={quote(slug)}")


handlers = [leave]
